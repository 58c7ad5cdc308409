"""Textual screens: they call services and render results; no SQL, no business rules."""
