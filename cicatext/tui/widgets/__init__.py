"""Reusable widgets of the terminal UI, each with its own DEFAULT_CSS."""
