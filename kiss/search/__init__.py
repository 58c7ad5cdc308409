"""The shared search core: a local SQLite FTS5 index with BM25 column weights, typo
tolerance, prefix matching for the word being typed, diacritics folding, light Dutch
stemming, compound splitting and synonyms. Used by the kennisbank and the smoelenboek.

The index is local (in memory by default) and fed by the caller from the main database, so
results are the same on SQLite and PostgreSQL. No imports from other kiss modules.
"""

from kiss.search.index import Document, Field, Hit, SearchIndex, Snippet

__all__ = ["Document", "Field", "Hit", "SearchIndex", "Snippet"]
