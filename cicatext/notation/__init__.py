"""Bracketed negotiating text: read, render, view and operate on it. Pure: no I/O, no git, no UI."""
