"""The screens of the terminal UI, one per module; each receives what it needs and returns domain values."""
