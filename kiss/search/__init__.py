"""The shared search core: an SQLite FTS5 index with BM25 column weights, typo tolerance,
prefix matching for the word being typed, diacritics folding, light Dutch stemming, compound
splitting, synonyms and stopwords for sentences. Used by the kennisbank and the smoelenboek.

An index lives in memory or in a file that several processes share (its vocabulary is kept in
the file, so opening it never re-reads the documents); :mod:`kiss.search.vectoren` adds sentence
vectors for search by meaning. The caller feeds it from the main database, so results are the
same on SQLite and PostgreSQL. No imports from other kiss modules.
"""

from kiss.search.index import Document, Field, Hit, SearchIndex, Snippet

__all__ = ["Document", "Field", "Hit", "SearchIndex", "Snippet"]
