"""Kennisbank: articles, their import/export and search. No UI imports."""
