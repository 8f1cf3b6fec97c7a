"""The terminal UI (Textual): the app, its screens and widgets. Screens call the core and draw what it returns."""
