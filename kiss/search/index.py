"""The search index: a local SQLite FTS5 table with BM25 column weights, fed by the caller.

How a query is answered (see :meth:`SearchIndex.search`):

1. The text is cut into folded words (:mod:`kiss.search.text`); in a query of three or more
   words the stopwords (:mod:`kiss.search.stopwoorden`) are left out. Each word becomes a
   *group* of alternative index terms, OR'ed together:
   its stem; the synonyms of the word (or of a multi-word phrase starting at it); for the word
   being typed (the last one, when the caller says so with ``typing=True``; by default when
   the query does not end in whitespace or punctuation) the most frequent vocabulary words
   that start with it; for an unknown word of 5+ letters the
   vocabulary words within 1 edit (9+ letters: 2 edits, transpositions count as one, the first
   letter must be right); for an unknown compound its parts (``wozwaarde`` → woz AND waarde).
   Words that match nothing at all are dropped (``vd berg`` searches for ``berg``).
2. The MATCH expression is built from these terms only, every term quoted, so nothing a user
   types can reach the FTS5 query parser. All groups AND'ed first; if that gives fewer than
   ``limit`` hits, or the query has three or more groups, documents matching some groups
   join them with their score times ``partial_factor`` (a strong match of most words may beat
   a weak match of all); :attr:`Hit.complete` tells which is which.
3. BM25 with per-field weights; every field has a hidden twin column with the parts of its
   compounds (``parkeervergunning`` → parkeer, vergunning) and joined hyphenated words,
   weighted ``part_weight`` × the field weight. Hidden documents and documents outside the
   scope are filtered in SQL. FTS5 computes BM25 for every matching document (~2 µs each,
   more with more alternatives), so when every group matches more than ``ROW_BUDGET``
   documents (``ve`` while typing, ``gemeente``) the query is ranked within the *title
   tier* instead: per index term the visible documents that have it in a title-like field
   (weight ≥ half the top weight) with its BM25 weight there, kept in the file next to the
   FTS table (idf from the vocabulary counts); only when that gives
   fewer than ``limit`` hits is every document ranked. In the partial-match step the heavy
   groups count through the title tier, the others through FTS5.
4. Ties are broken by usage: the score is multiplied by ``1 + usage_boost · log(1+usage) /
   log(1+max usage)`` (the most used document gains at most ``usage_boost``, default 1 %),
   then by key, so the order never depends on insertion order.
5. For each hit a :class:`Snippet` is cut from the snippet field with the most matched words.

Storage: the FTS table is contentless (only the inverted index); the original values are kept
zlib-compressed for snippets; the vocabulary (surface words and index terms with their document
counts, and which words hold a stem or compound part) is kept in tables of the same file and
updated in the write transaction, so a process opening the file reads nothing up front and a
write by another process is seen at the next search (``PRAGMA data_version`` empties the small
in-memory caches). A file index is memory-mapped: its pages are shared between processes.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import json
import math
import sqlite3
import threading
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kiss.search.stopwoorden import STOPWOORDEN
from kiss.search.text import (
    NORMALISATION_VERSION,
    decompound,
    fold_aligned,
    hyphen_joins,
    raw_word_set,
    stem,
    synonym_table,
    word_spans,
    words,
)

__all__ = ["Document", "Field", "Hit", "SearchIndex", "Snippet"]

#: Bump when the file layout changes: an older file is emptied on open (its caller refills it).
LAYOUT_VERSION = 3
MAX_QUERY_CHARS = 2000  # the rest of a pasted essay is ignored
MAX_QUERY_WORDS = 16
PAGE_CACHE_KIB = 8192  # SQLite's own page cache per open index (the file is not memory-mapped)
MIN_PREFIX = 2  # the word being typed is expanded from its second letter on
_PREFIX_TERMS = {2: 8, 3: 16}  # most frequent completions used, by prefix length
_PREFIX_TERMS_LONG = 32
_PREFIX_SCAN = 20_000  # vocabulary words looked at for one prefix
_TYPO_TERMS = 5
_COMPOUND_MIN = 8  # words this long are split into parts
#: Ranking costs ~2 µs per matching document and alternative. When every word of a query
#: matches more documents than this (``de``, or ``ve`` while typing), the query is ranked
#: within the title tier first; the full ranking only runs when that gives too few hits.
ROW_BUDGET = 1500
#: BM25 constants of FTS5 (``bm25()``), used for the title tier's own scores.
_K1 = 1.2
_B = 0.75
_KOP_AVG = 8.0  # a typical number of title-tier tokens per document


@dataclass(frozen=True)
class Field:
    """A searchable field. ``weight`` scales its BM25 score; ``snippet`` fields are the ones
    a hit's :class:`Snippet` may be cut from."""

    name: str
    weight: float = 1.0
    snippet: bool = False


@dataclass(frozen=True)
class Snippet:
    """A short plain-text excerpt with the matched words as ``(start, end)`` offsets into
    ``text``. Render it yourself, or with :meth:`markup` as Rich markup."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    field: str = ""  # the field it was cut from

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def markup(self, style: str = "bold") -> str:
        """Rich markup with the spans in ``[style]…[/]``; everything else escaped."""
        from rich.markup import escape

        parts: list[str] = []
        cursor = 0
        for start, end in self.spans:
            parts.append(escape(self.text[cursor:start]))
            parts.append(f"[{style}]{escape(self.text[start:end])}[/]")
            cursor = end
        parts.append(escape(self.text[cursor:]))
        return "".join(parts)


@dataclass(frozen=True)
class Hit:
    """One search result. ``score`` is higher for better hits (BM25 × usage boost);
    ``matched_terms`` are the document's words that matched (folded), best field first."""

    key: str
    score: float
    snippet: Snippet
    matched_terms: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = True  # every word of the query matched (not only some)


@dataclass(frozen=True)
class Document:
    """One document for :meth:`SearchIndex.upsert_many`; same meaning as the arguments of
    :meth:`SearchIndex.upsert`."""

    key: str
    values: Mapping[str, str]
    scopes: Iterable[str] = ()
    visible: bool = True
    usage: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)  # stored, returned in Hit.extra


@dataclass(frozen=True)
class _Alt:
    """One alternative of a query group: a term, a phrase, or terms that must all occur."""

    kind: str  # "term" | "phrase" | "all"
    stems: tuple[str, ...]

    def expr(self) -> str:
        quoted = ['"' + s.replace('"', '""') + '"' for s in self.stems]
        if self.kind == "term":
            return quoted[0]
        if self.kind == "phrase":
            return " + ".join(quoted)
        return "(" + " AND ".join(quoted) + ")"


@dataclass
class _Analysis:
    columns: list[str]  # c0, p0, c1, p1, … as inserted into the FTS table
    parts: list[str]  # p0, p1, … (stored: they depend on the vocabulary of the moment)
    surface: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    part_stems: set[str] = field(default_factory=set)
    links: set[tuple[str, str]] = field(default_factory=set)  # (part stem, compound word)


@dataclass
class _Delta:
    """Document-count changes of one write transaction, applied to the file at its end."""

    surface: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    links: set[tuple[str, str]] = field(default_factory=set)
    kop_removed: dict[str, set[int]] = field(default_factory=dict)  # term → document ids
    kop_added: dict[str, list[tuple[int, float]]] = field(default_factory=dict)

    def add(self, analysis: _Analysis, sign: int) -> None:
        for word in analysis.surface:
            self.surface[word] += sign
        for term in analysis.stems | analysis.part_stems:
            self.terms[term] += sign
        if sign > 0:
            self.links |= analysis.links


_numpy_module: Any = None
_numpy_lock = threading.Lock()
_numpy_started = False


def _numpy() -> Any:
    """numpy when it is loaded; otherwise ``None`` and it starts loading in a thread (importing
    it takes ~0.2 s here, too long for a new process's first search)."""
    global _numpy_started
    if _numpy_module is not None:
        return _numpy_module
    with _numpy_lock:
        if not _numpy_started:
            _numpy_started = True
            threading.Thread(target=_load_numpy, daemon=True, name="numpy-laden").start()
    return None


def _load_numpy() -> None:
    global _numpy_module
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is a dependency; pure Python still works
        return
    _numpy_module = numpy


def _scope_key(scope: str) -> str:
    return " ".join(scope.split()).casefold()


class SearchIndex:
    """A local full-text index over documents with the given fields.

    ``synonyms`` maps a term to its equivalents (``{"paspoort": ["reisdocument"],
    "id-kaart": ["identiteitskaart", "id"]}``): each entry is one group of equivalent terms,
    valid in both directions; multi-word terms are phrases. ``path`` makes the index a SQLite
    file instead of memory (an existing file built with other fields, normalisation rules or
    layout is emptied). Several processes may open the same file: a write by one is seen by
    the others at their next search, and opening never reads the documents (the vocabulary is
    kept in the file). All methods are thread-safe (one lock).
    """

    def __init__(
        self,
        fields: Sequence[Field],
        *,
        synonyms: Mapping[str, Iterable[str]] | None = None,
        path: str | None = None,
        part_weight: float = 0.5,
        usage_boost: float = 0.01,
        snippet_chars: int = 160,
        partial_factor: float = 0.6,
    ) -> None:
        self.fields: tuple[Field, ...] = tuple(fields)
        names = [f.name for f in self.fields]
        if not names or len(set(names)) != len(names) or not all(names):
            raise ValueError("fields need unique, non-empty names")
        if not all(math.isfinite(f.weight) and f.weight > 0 for f in self.fields):
            raise ValueError("field weights must be positive numbers")
        self._names = names
        self._position = {name: i for i, name in enumerate(names)}
        self.part_weight = part_weight
        self.usage_boost = usage_boost
        self.partial_factor = partial_factor
        self.snippet_chars = max(40, snippet_chars)
        self._by_weight = sorted(self.fields, key=lambda f: -f.weight)  # stable: ties keep order
        weights: list[float] = []
        for f in self.fields:
            weights += [f.weight, f.weight * part_weight]
        top = max(f.weight for f in self.fields)
        titles = [i for i, f in enumerate(self.fields) if f.weight >= top / 2]
        self._titles = titles
        self._bm25 = "bm25(fts, " + ", ".join(repr(float(w)) for w in weights) + ")"
        self._lock = threading.RLock()
        self._path = str(path) if path else ":memory:"
        self._db = sqlite3.connect(
            self._path, check_same_thread=False, isolation_level=None, timeout=10.0
        )
        self._create_schema()
        self._reset_memory()
        self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        self._set_synonyms(synonyms)

    # ---- setup -----------------------------------------------------------------------------

    def _create_schema(self) -> None:
        db = self._db
        db.execute("PRAGMA busy_timeout = 10000")
        if self._path != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
            db.execute("PRAGMA synchronous = NORMAL")
            # Read with pread into a small page cache of our own, not memory-mapped: the OS
            # page cache still shares the file between every agent's process, but a mapping
            # made each page a search ever touched resident in this process too (RSS 230
            # against 50 MB after 495 keystrokes at 100,000 articles, equally fast).
            db.execute("PRAGMA mmap_size = 0")
            db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            signature = json.dumps(
                {"version": NORMALISATION_VERSION, "layout": LAYOUT_VERSION, "fields": self._names}
            )
            row = db.execute("SELECT value FROM meta WHERE name = 'signature'").fetchone()
            if row is not None and row[0] != signature:
                for table in ("fts", "doc_scope", "doc", "vocab", "term", "part_of", "kop"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.execute("DELETE FROM meta")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('signature', ?)", (signature,))
            db.execute(
                "CREATE TABLE IF NOT EXISTS doc(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
                "visible INTEGER NOT NULL, all_scopes INTEGER NOT NULL, usage INTEGER NOT NULL, "
                "data BLOB NOT NULL, parts TEXT NOT NULL, extra TEXT NOT NULL DEFAULT '{}')"
            )
            db.execute("CREATE INDEX IF NOT EXISTS doc_usage ON doc(usage)")
            # ranking reads only these small columns of every candidate: from this index, so
            # the pages of the table, which also hold each document's compressed text, are
            # not mapped for thousands of candidates (half the memory at 100k articles)
            db.execute(
                "CREATE INDEX IF NOT EXISTS doc_rang ON doc(id, visible, all_scopes, usage, key)"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS doc_scope(scope TEXT NOT NULL, id INTEGER NOT NULL, "
                "PRIMARY KEY (scope, id)) WITHOUT ROWID"
            )
            # The vocabulary lives in the file too, so opening an index never re-reads its
            # documents: surface words (prefix completion, typo correction) and index terms.
            db.execute(
                "CREATE TABLE IF NOT EXISTS vocab(word TEXT PRIMARY KEY, df INTEGER NOT NULL, "
                "n INTEGER NOT NULL, f TEXT NOT NULL) WITHOUT ROWID"
            )
            db.execute("CREATE INDEX IF NOT EXISTS vocab_bucket ON vocab(f, n)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS term(t TEXT PRIMARY KEY, df INTEGER NOT NULL) "
                "WITHOUT ROWID"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS part_of(t TEXT NOT NULL, word TEXT NOT NULL, "
                "PRIMARY KEY (t, word)) WITHOUT ROWID"
            )
            columns = ", ".join(f"c{i}, p{i}" for i in range(len(self._names)))
            db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5({columns}, content='', "
                "tokenize='unicode61 remove_diacritics 2')"
            )
            # The title tier: per index term, the visible documents with that term in a
            # title-like field and its BM25 term weight there (see _kop_scores).
            db.execute(
                "CREATE TABLE IF NOT EXISTS kop(t TEXT PRIMARY KEY, ids BLOB NOT NULL, "
                "w BLOB NOT NULL) WITHOUT ROWID"
            )
            if db.execute("SELECT 1 FROM meta WHERE name = 'kop'").fetchone() is None:
                self._fill_kop()  # a file of an earlier version: the tier is built from it
                db.execute("INSERT INTO meta VALUES ('kop', '1')")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        columns = ", ".join(f"c{i}, p{i}" for i in range(len(self._names)))
        placeholders = ", ".join("?" for _ in range(2 * len(self._names)))
        self._sql_insert = f"INSERT INTO fts(rowid, {columns}) VALUES (?, {placeholders})"
        self._sql_delete = (
            f"INSERT INTO fts(fts, rowid, {columns}) VALUES ('delete', ?, {placeholders})"
        )

    def _reset_memory(self) -> None:
        """Caches of what is in the file; emptied whenever the file changes."""
        self._buckets: dict[tuple[int, str], list[str]] = {}  # (length, first letter) → words
        self._known_cache: dict[str, bool] = {}
        self._parts_cache: dict[str, tuple[str, ...]] = {}
        self._term_cache: dict[str, int] = {}
        self._group_cache: dict[tuple[str, bool], tuple[_Alt, ...]] = {}
        self._prefix_cache: dict[str, list[str]] = {}
        self._max_usage: int | None = None
        self._count_cache: int | None = None
        self._kop_cache: dict[str, tuple[bytes, bytes]] = {}  # term → stored postings
        self._kop_dicts: dict[str, dict[int, float]] = {}  # the same as {id: weight}

    def _fresh(self) -> None:
        """Drop the caches when another process (or connection) changed the file."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._data_version = version
            self._reset_memory()

    def _set_synonyms(self, synonyms: Mapping[str, Iterable[str]] | None) -> None:
        self._synonym_source = {key: list(values) for key, values in (synonyms or {}).items()}
        self._synonyms = synonym_table(self._synonym_source)
        self._synonym_words: set[str] = set()
        self._synonym_buckets: dict[tuple[int, str], list[str]] = {}
        for key, values in self._synonym_source.items():
            for term in [key, *values]:
                ws = words(term)
                if len(ws) == 1 and ws[0] not in self._synonym_words:
                    # one-word synonyms complete and correct like indexed words
                    self._synonym_words.add(ws[0])
                    self._synonym_buckets.setdefault((len(ws[0]), ws[0][0]), []).append(ws[0])
        self._synonym_sorted = sorted(self._synonym_words)
        self._group_cache.clear()
        self._prefix_cache.clear()

    # ---- vocabulary ------------------------------------------------------------------------

    def _word_df(self, word: str) -> int:
        row = self._db.execute("SELECT df FROM vocab WHERE word = ?", (word,)).fetchone()
        return int(row[0]) if row else 0

    def _term_df(self, term: str) -> int:
        cached = self._term_cache.get(term)
        if cached is None:
            row = self._db.execute("SELECT df FROM term WHERE t = ?", (term,)).fetchone()
            cached = int(row[0]) if row else 0
            if len(self._term_cache) > 50_000:
                self._term_cache.clear()
            self._term_cache[term] = cached
        return cached

    def _alive(self, word: str) -> bool:
        return word in self._synonym_words or self._word_df(word) > 0

    def _present(self, term: str) -> bool:
        return self._term_df(term) > 0

    def _known(self, extra: set[str] | None = None) -> Callable[[str], bool]:
        """Is a fragment a word: of the index, of ``extra`` (a batch being added)?"""
        cache = self._known_cache

        def known(fragment: str) -> bool:
            if extra and fragment in extra:
                return True
            hit = cache.get(fragment)
            if hit is None:
                hit = self._word_df(fragment) > 0
                if len(cache) > 200_000:
                    cache.clear()
                cache[fragment] = hit
            return hit

        return known

    def _parts_of(self, word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
        parts = self._parts_cache.get(word)
        if parts is None:
            pieces = decompound(word, known, min_length=_COMPOUND_MIN)
            if not pieces and word.endswith(("en", "es", "s")):  # parkeervergunningen
                base = word[:-2] if word.endswith("en") else word[:-1]
                pieces = decompound(base, known, min_length=_COMPOUND_MIN)
            parts = tuple(dict.fromkeys(stem(p) for p in pieces)) if len(pieces) > 1 else ()
            if len(self._parts_cache) > 200_000:
                self._parts_cache.clear()
            self._parts_cache[word] = parts
        return parts

    def _bucket(self, length: int, first: str) -> list[str]:
        bucket = self._buckets.get((length, first))
        if bucket is None:
            rows = self._db.execute(
                "SELECT word FROM vocab WHERE f = ? AND n = ?", (first, length)
            ).fetchall()
            bucket = [r[0] for r in rows]
            extra = self._synonym_buckets.get((length, first), ())
            if extra:
                bucket = list(dict.fromkeys([*bucket, *extra]))
            self._buckets[(length, first)] = bucket
        return bucket

    # ---- writing ---------------------------------------------------------------------------

    def _check_values(self, values: Mapping[str, str]) -> dict[str, str]:
        unknown = set(values) - set(self._position)
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
        return {name: "" if v is None else str(v) for name, v in values.items()}

    def _analyse(self, values: Mapping[str, str], known: Callable[[str], bool]) -> _Analysis:
        analysis = _Analysis(columns=[], parts=[])
        for name in self._names:
            text = values.get(name, "")
            ws = words(text)
            stems = list(map(stem, ws))
            parts: list[str] = []
            for w, n in Counter(ws).items():
                if len(w) >= _COMPOUND_MIN:
                    found = self._parts_of(w, known)
                    if found:
                        analysis.links.update((p, w) for p in found)
                        parts.extend(found * n)
            for joined in hyphen_joins(text):
                parts.append(stem(joined))
                parts.extend(self._parts_of(joined, known))
            part_column = " ".join(parts)
            analysis.columns += [" ".join(stems), part_column]
            analysis.parts.append(part_column)
            analysis.surface.update(ws)
            analysis.stems.update(stems)
            analysis.part_stems.update(parts)
        return analysis

    def _columns_for_delete(self, data: bytes, parts: str) -> tuple[list[str], _Analysis]:
        values = json.loads(zlib.decompress(data))
        stored_parts = json.loads(parts)
        analysis = _Analysis(columns=[], parts=stored_parts)
        for name, part_column in zip(self._names, stored_parts, strict=True):
            ws = words(values.get(name, ""))
            stems = [stem(w) for w in ws]
            analysis.columns += [" ".join(stems), part_column]
            analysis.surface.update(ws)
            analysis.stems.update(stems)
            analysis.part_stems.update(part_column.split())
        return analysis.columns, analysis

    def _remove(self, key: str, delta: _Delta) -> bool:
        row = self._db.execute("SELECT id, data, parts FROM doc WHERE key = ?", (key,)).fetchone()
        if row is None:
            return False
        id_, data, parts = row
        columns, old = self._columns_for_delete(data, parts)
        for term in self._kop_weights(columns):
            delta.kop_removed.setdefault(term, set()).add(id_)
        self._db.execute(self._sql_delete, (id_, *columns))
        self._db.execute("DELETE FROM doc WHERE id = ?", (id_,))
        self._db.execute("DELETE FROM doc_scope WHERE id = ?", (id_,))
        delta.add(old, -1)
        return True

    def _insert(
        self,
        key: str,
        values: dict[str, str],
        analysis: _Analysis,
        doc: Document,
    ) -> tuple[Any, ...]:
        scope_keys = sorted({_scope_key(s) for s in doc.scopes if s and s.strip()})
        cursor = self._db.execute(
            "INSERT INTO doc(key, visible, all_scopes, usage, data, parts, extra) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                int(bool(doc.visible)),
                int(not scope_keys),
                max(0, int(doc.usage)),
                zlib.compress(json.dumps(values, ensure_ascii=False).encode(), 1),
                json.dumps(analysis.parts),
                json.dumps(dict(doc.extra), ensure_ascii=False),
            ),
        )
        id_ = cursor.lastrowid
        if scope_keys:
            self._db.executemany(
                "INSERT INTO doc_scope(scope, id) VALUES (?, ?)", [(s, id_) for s in scope_keys]
            )
        return (id_, *analysis.columns)

    def _apply(self, delta: _Delta) -> None:
        """Write one transaction's vocabulary changes (document counts) to the file."""
        db = self._db
        words_ = [(w, n, len(w), w[0]) for w, n in delta.surface.items() if n]
        db.executemany(
            "INSERT INTO vocab(word, df, n, f) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
            words_,
        )
        db.executemany(
            "INSERT INTO term(t, df) VALUES (?, ?) "
            "ON CONFLICT(t) DO UPDATE SET df = df + excluded.df",
            [(t, n) for t, n in delta.terms.items() if n],
        )
        if any(n < 0 for n in delta.surface.values()):
            db.execute("DELETE FROM vocab WHERE df <= 0")
        if any(n < 0 for n in delta.terms.values()):
            db.execute("DELETE FROM term WHERE df <= 0")
        links = delta.links | {(stem(w), w) for w, n in delta.surface.items() if n > 0}
        if links:
            db.executemany("INSERT OR IGNORE INTO part_of(t, word) VALUES (?, ?)", links)
        self._kop_apply(delta.kop_removed, delta.kop_added)

    # ---- the title tier --------------------------------------------------------------------

    def _kop_weights(self, columns: Sequence[str]) -> dict[str, float]:
        """The title tier of one document (its analysed columns): per term in a title-like
        field, FTS5's BM25 term weight there (field weights times frequency, saturated by the
        length of those fields), without the idf, which is applied at query time."""
        freq: Counter[str] = Counter()
        length = 0
        for i in self._titles:
            weight = self.fields[i].weight
            for text, factor in ((columns[2 * i], 1.0), (columns[2 * i + 1], self.part_weight)):
                terms = text.split()
                length += len(terms)
                for term in terms:
                    freq[term] += weight * factor
        norm = _K1 * (1 - _B + _B * length / _KOP_AVG)
        return {t: f * (_K1 + 1) / (f + norm) for t, f in freq.items()}

    def _fill_kop(self) -> None:
        """Build the title tier from the documents of the file (inside a transaction)."""
        db = self._db
        added: dict[str, list[tuple[int, float]]] = {}
        for id_, data, parts in db.execute("SELECT id, data, parts FROM doc WHERE visible = 1"):
            columns, _ = self._columns_for_delete(data, parts)
            for term, weight in self._kop_weights(columns).items():
                added.setdefault(term, []).append((id_, weight))
        self._kop_apply({}, added)

    def _kop_apply(
        self, removed: Mapping[str, set[int]], added: Mapping[str, list[tuple[int, float]]]
    ) -> None:
        if not removed and not added:
            return
        db = self._db
        for term in set(removed) | set(added):
            row = db.execute("SELECT ids, w FROM kop WHERE t = ?", (term,)).fetchone()
            postings: dict[int, float] = {}
            if row is not None:
                ids, weights = array("q"), array("f")
                ids.frombytes(row[0])
                weights.frombytes(row[1])
                postings = dict(zip(ids, weights, strict=True))
            for id_ in removed.get(term, ()):
                postings.pop(id_, None)
            postings.update(added.get(term, ()))
            if postings:
                ordered = sorted(postings.items())
                db.execute(
                    "INSERT OR REPLACE INTO kop(t, ids, w) VALUES (?, ?, ?)",
                    (
                        term,
                        array("q", [i for i, _ in ordered]).tobytes(),
                        array("f", [w for _, w in ordered]).tobytes(),
                    ),
                )
            elif row is not None:
                db.execute("DELETE FROM kop WHERE t = ?", (term,))

    def _kop_raw(self, term: str) -> tuple[bytes, bytes]:
        """A term's title-tier postings as stored: document ids (int64), weights (float32)."""
        cached = self._kop_cache.get(term)
        if cached is None:
            row = self._db.execute("SELECT ids, w FROM kop WHERE t = ?", (term,)).fetchone()
            cached = (bytes(row[0]), bytes(row[1])) if row else (b"", b"")
            if len(self._kop_cache) > 2000:
                self._kop_cache.clear()
            self._kop_cache[term] = cached
        return cached

    def _kop_postings(self, term: str) -> dict[int, float]:
        """Document id → the term's BM25 weight in its title tier (without the idf)."""
        cached = self._kop_dicts.get(term)
        if cached is None:
            ids, weights = array("q"), array("f")
            raw_ids, raw_weights = self._kop_raw(term)
            ids.frombytes(raw_ids)
            weights.frombytes(raw_weights)
            cached = dict(zip(ids, weights, strict=True))
            if len(self._kop_dicts) > 500:
                self._kop_dicts.clear()
            self._kop_dicts[term] = cached
        return cached

    def _idf(self, term: str) -> float:
        """FTS5's idf (documents with the term in any field; at least 1e-6)."""
        n = self._doc_count()
        df = self._term_df(term)
        idf = math.log((n - df + 0.5) / (df + 0.5))
        return idf if idf > 0 else 1e-6

    def _kop_order(
        self, groups: Sequence[tuple[_Alt, ...]], op: str
    ) -> Iterator[tuple[float, int]]:
        """``(-score, document id)`` of the documents matching the groups (all of them with
        ``op`` AND, any with OR) in the title tier, best first, ties by id. With numpy once it
        is loaded (it loads in the background the first time: never on the first search)."""
        np = _numpy()
        if np is not None:
            return self._kop_order_numpy(np, groups, op)
        parts = sorted((self._kop_group(g) for g in groups), key=len)
        if op == "AND":
            scores = dict(parts[0])
            for part in parts[1:]:
                scores = {i: s + part[i] for i, s in scores.items() if i in part}
        else:
            scores = {}
            for part in parts:
                for i, s in part.items():
                    scores[i] = scores.get(i, 0.0) + s
        return self._best_first(scores)

    @staticmethod
    def _best_first(scores: dict[int, float]) -> Iterator[tuple[float, int]]:
        first = heapq.nsmallest(64, ((-s, i) for i, s in scores.items()))
        yield from first
        if len(first) < len(scores):
            yield from sorted((-s, i) for i, s in scores.items())[len(first) :]

    def _kop_group(self, group: tuple[_Alt, ...]) -> dict[int, float]:
        """Documents matching one query group in the title tier, with their score."""
        found: dict[int, float] = {}
        for alt in group:
            scores: dict[int, float] | None = None
            for term in alt.stems:  # a phrase or compound: every term in the title fields
                idf = self._idf(term)
                postings = self._kop_postings(term)
                if scores is None:
                    scores = {i: w * idf for i, w in postings.items()}
                else:
                    scores = {i: s + postings[i] * idf for i, s in scores.items() if i in postings}
            for i, score in (scores or {}).items():
                found[i] = found.get(i, 0.0) + score
        return found

    def _kop_order_numpy(
        self, np: Any, groups: Sequence[tuple[_Alt, ...]], op: str
    ) -> Iterator[tuple[float, int]]:
        id_parts, score_parts = [], []
        for group in groups:
            ids, scores = self._kop_group_numpy(np, group)
            id_parts.append(ids)
            score_parts.append(scores)
        ids = np.concatenate(id_parts)
        if not len(ids):
            return
        unique, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
        scores = np.bincount(inverse, weights=np.concatenate(score_parts))
        if op == "AND":
            keep = counts == len(groups)
            unique, scores = unique[keep], scores[keep]
        order = np.lexsort((unique, -scores))
        for start in range(0, len(order), 256):
            chunk = order[start : start + 256]
            yield from zip((-scores[chunk]).tolist(), unique[chunk].tolist(), strict=True)

    def _kop_group_numpy(self, np: Any, group: tuple[_Alt, ...]) -> tuple[Any, Any]:
        id_parts, score_parts = [], []
        for alt in group:
            ids: Any = None
            scores: Any = None
            for term in alt.stems:
                raw_ids, raw_weights = self._kop_raw(term)
                t_ids = np.frombuffer(raw_ids, dtype=np.int64)
                t_scores = np.frombuffer(raw_weights, dtype=np.float32).astype(np.float64)
                t_scores *= self._idf(term)
                if ids is None:
                    ids, scores = t_ids, t_scores
                else:
                    ids, a, b = np.intersect1d(ids, t_ids, assume_unique=True, return_indices=True)
                    scores = scores[a] + t_scores[b]
            if ids is not None and len(ids):
                id_parts.append(ids)
                score_parts.append(scores)
        if not id_parts:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        if len(id_parts) == 1:
            return id_parts[0], score_parts[0]
        ids, inverse = np.unique(np.concatenate(id_parts), return_inverse=True)
        return ids, np.bincount(inverse, weights=np.concatenate(score_parts))

    def _kop_match(
        self, groups: Sequence[tuple[_Alt, ...]], op: str, scope: str | None, cap: int
    ) -> list[tuple[int, str, int, float]]:
        """Like :meth:`_match` (same rows, BM25 negative), ranked within the title tier: for
        query words so frequent that ranking every document that has them would be slow."""
        order = self._kop_order(groups, op)
        found: list[tuple[int, str, int, float]] = []
        step = cap if scope is None else cap * 4  # documents of other scopes are skipped
        while len(found) < cap:
            chunk = list(itertools.islice(order, step))
            if not chunk:
                break
            wanted = [i for _, i in chunk]
            marks = ", ".join("?" for _ in wanted)
            sql = (
                "SELECT d.id, d.key, d.usage FROM doc d INDEXED BY doc_rang "  # see doc_rang
                f"WHERE d.id IN ({marks})"
            )
            params: list[Any] = list(wanted)
            if scope is not None:
                sql += (
                    " AND (d.all_scopes = 1 OR EXISTS (SELECT 1 FROM doc_scope s "
                    "WHERE s.scope = ? AND s.id = d.id))"
                )
                params.append(_scope_key(scope))
            rows = {r[0]: r for r in self._db.execute(sql, params)}
            for negative, i in chunk:
                row = rows.get(i)
                if row is not None:
                    found.append((row[0], row[1], row[2], negative))
            step *= 4
        return found[:cap]

    def _doc_count(self) -> int:
        if self._count_cache is None:
            self._count_cache = int(self._db.execute("SELECT COUNT(*) FROM doc").fetchone()[0])
        return self._count_cache

    def upsert(
        self,
        key: str,
        values: Mapping[str, str],
        *,
        scopes: Iterable[str] = (),
        visible: bool = True,
        usage: int = 0,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Add or replace one document; searchable at once (also for other processes that
        opened the same file).

        ``values`` maps field names to text (missing fields are empty). ``scopes`` (e.g.
        gemeente names, compared case-insensitively): empty means the document belongs to every
        scope. ``visible=False`` keeps it out of every result. ``usage`` breaks near-ties.
        ``extra`` is stored with the document and returned in :attr:`Hit.extra`."""
        self.upsert_many([Document(key, values, scopes, visible, usage, extra or {})])

    def upsert_many(
        self,
        docs: Iterable[
            Document | tuple[str, Mapping[str, str]] | tuple[str, Mapping[str, str], Mapping]
        ],
    ) -> None:
        """Add or replace many documents in one transaction (a later duplicate key wins).

        Items are :class:`Document` objects, or ``(key, values)`` / ``(key, values, options)``
        tuples where ``options`` holds the keyword arguments of :meth:`upsert`."""
        batch: dict[str, Document] = {}
        for item in docs:
            doc = item if isinstance(item, Document) else self._as_document(item)
            batch[doc.key] = doc
        if not batch:
            return
        checked = {key: self._check_values(doc.values) for key, doc in batch.items()}
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._fresh()
                # Compound parts may be any word of the batch, whatever the order it came in.
                batch_words: set[str] = set()
                for values in checked.values():
                    for text in values.values():
                        batch_words.update(words(text))
                self._parts_cache.clear()
                known = self._known(batch_words)
                delta = _Delta()
                rows: list[tuple[Any, ...]] = []
                for key, doc in batch.items():
                    self._remove(key, delta)
                    analysis = self._analyse(checked[key], known)
                    row = self._insert(key, checked[key], analysis, doc)
                    rows.append(row)
                    delta.add(analysis, +1)
                    if doc.visible:
                        for term, weight in self._kop_weights(analysis.columns).items():
                            delta.kop_added.setdefault(term, []).append((row[0], weight))
                    if len(rows) >= 500:
                        self._db.executemany(self._sql_insert, rows)
                        rows.clear()
                self._db.executemany(self._sql_insert, rows)
                self._apply(delta)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._reset_memory()
            if len(batch) >= 1000:
                self._db.execute("INSERT INTO fts(fts) VALUES ('optimize')")

    @staticmethod
    def _as_document(item: tuple[Any, ...]) -> Document:
        if len(item) == 2:
            return Document(item[0], item[1])
        key, values, options = item
        return Document(key, values, **dict(options))

    def delete(self, key: str) -> None:
        """Remove a document (no error if it is not there); gone from results at once."""
        self.delete_many([key])

    def delete_many(self, keys: Iterable[str]) -> None:
        """Remove documents in one transaction; only their own words are uncounted."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                delta = _Delta()
                for key in keys:
                    self._remove(key, delta)
                self._apply(delta)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._reset_memory()

    def set_usage(self, key: str, usage: int) -> None:
        """Set how often a document was used (opened, linked, …); ignored for unknown keys."""
        self.set_usages({key: usage})

    def set_usages(self, usages: Mapping[str, int]) -> None:
        """:meth:`set_usage` for many documents in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "UPDATE doc SET usage = ? WHERE key = ? AND usage != ?",
                [(max(0, int(n)), k, max(0, int(n))) for k, n in usages.items()],
            )
            self._db.execute("COMMIT")
            self._max_usage = None

    def set_synonyms(self, synonyms: Mapping[str, Iterable[str]] | None) -> None:
        """Replace the synonym map (used at query time only, so no re-indexing)."""
        with self._lock:
            self._set_synonyms(synonyms)

    def clear(self) -> None:
        """Remove every document."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("INSERT INTO fts(fts) VALUES ('delete-all')")
            for table in ("doc", "doc_scope", "vocab", "term", "part_of", "kop"):
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute("COMMIT")
            self._reset_memory()

    def get_meta(self, name: str) -> str | None:
        """A value the caller stored with :meth:`set_meta` (e.g. what it last indexed)."""
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM meta WHERE name = ?", ("user:" + name,)
            ).fetchone()
            return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", ("user:" + name, str(value))
            )

    def keys(self) -> set[str]:
        """Every document key (for a caller that compares with its source)."""
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT key FROM doc")}

    def extras(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The ``extra`` values stored with these documents."""
        wanted = list(keys)
        found: dict[str, dict[str, Any]] = {}
        with self._lock:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                marks = ", ".join("?" for _ in chunk)
                for key, extra in self._db.execute(
                    f"SELECT key, extra FROM doc WHERE key IN ({marks})", chunk
                ):
                    found[key] = json.loads(extra)
        return found

    def visible(self, keys: Iterable[str], scope: str | None = None) -> set[str]:
        """Those of ``keys`` that a search with ``scope`` may show (visible and in scope)."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        with self._lock:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                marks = ", ".join("?" for _ in chunk)
                sql = f"SELECT d.key FROM doc d WHERE d.key IN ({marks}) AND d.visible = 1"
                params: list[Any] = list(chunk)
                if scope is not None:
                    sql += (
                        " AND (d.all_scopes = 1 OR EXISTS (SELECT 1 FROM doc_scope s "
                        "WHERE s.scope = ? AND s.id = d.id))"
                    )
                    params.append(_scope_key(scope))
                found.update(r[0] for r in self._db.execute(sql, params))
        return found

    def unknown_words(self, query: str) -> list[str]:
        """The words of ``query`` (stopwords of a sentence left out) that no document has,
        not even as a synonym: they were corrected, split or dropped to find anything."""
        with self._lock:
            self._fresh()
            tokens = words(query[:MAX_QUERY_CHARS])
            if len(tokens) >= 3:
                tokens = [t for t in tokens if t not in STOPWOORDEN] or tokens
            return [
                t
                for t in tokens[:MAX_QUERY_WORDS]
                if not self._present(stem(t)) and not self._synonym_alts((stem(t),))
            ]

    def hits_for(self, keys: Sequence[str], query: str) -> dict[str, Hit]:
        """A :class:`Hit` (snippet, extra) for each of ``keys`` found in the index, as if
        ``query`` had found it (for documents found another way, by meaning)."""
        with self._lock:
            self._fresh()
            groups = self._plan(query, False)
            terms = {t for g in groups for alt in g for t in alt.stems}
            matching = self._linked(terms)
            wanted = list(dict.fromkeys(keys))
            if not wanted:
                return {}
            marks = ", ".join("?" for _ in wanted)
            rows = self._db.execute(
                f"SELECT key, data, extra FROM doc WHERE key IN ({marks})", wanted
            ).fetchall()
            hits = {}
            for key, data, extra in rows:
                values = json.loads(zlib.decompress(data))
                snippet, matched = self._describe(values, matching)
                hits[key] = Hit(key, 0.0, snippet, matched, json.loads(extra), False)
            return hits

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM doc").fetchone()[0])

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM doc WHERE key = ?", (key,)).fetchone() is not None
            )

    # ---- query planning --------------------------------------------------------------------

    def _synonym_alts(self, member: tuple[str, ...]) -> list[_Alt]:
        alts = []
        for other in sorted(self._synonyms.get(member, ())):
            if all(self._present(s) for s in other):
                alts.append(_Alt("term" if len(other) == 1 else "phrase", other))
        return alts

    def _prefixed(self, prefix: str) -> list[str]:
        """The most frequent live vocabulary words starting with ``prefix``."""
        cached = self._prefix_cache.get(prefix)
        if cached is not None:
            return cached
        wanted = _PREFIX_TERMS.get(len(prefix), _PREFIX_TERMS_LONG)
        rows = self._db.execute(
            "SELECT word, df FROM (SELECT word, df FROM vocab WHERE word >= ? AND word < ? "
            "LIMIT ?) ORDER BY df DESC, length(word), word LIMIT ?",
            (prefix, prefix + "\U0010ffff", _PREFIX_SCAN, wanted),
        ).fetchall()
        found = [(w, df) for w, df in rows]
        start = bisect.bisect_left(self._synonym_sorted, prefix)
        for word in self._synonym_sorted[start : start + wanted]:
            if not word.startswith(prefix):
                break
            if all(word != w for w, _ in found):
                found.append((word, self._word_df(word)))
        found.sort(key=lambda item: (-item[1], len(item[0]), item[0]))
        result = [w for w, _ in found[:wanted]]
        if len(self._prefix_cache) > 5000:
            self._prefix_cache.clear()
        self._prefix_cache[prefix] = result
        return result

    def _fuzzy(self, word: str) -> list[str]:
        """Live vocabulary words at the smallest edit distance (≤ 1, or ≤ 2 from 9 letters)."""
        n = len(word)
        if n < 5:
            return []
        limit = 2 if n >= 9 else 1
        found: list[tuple[int, str]] = []
        for length in range(n - limit, n + limit + 1):
            bucket = self._bucket(length, word[0])
            if not bucket:
                continue
            for candidate, distance, _ in process.extract(
                word, bucket, scorer=OSA.distance, score_cutoff=limit, limit=4 * _TYPO_TERMS
            ):
                if candidate != word:
                    found.append((int(distance), candidate))
        if not found:
            return []
        best = min(d for d, _ in found)
        closest = [w for d, w in found if d == best]
        closest.sort(key=lambda w: (-self._word_df(w), w))
        return closest[:_TYPO_TERMS]

    def _group(self, word: str, typing: bool) -> tuple[_Alt, ...]:
        cached = self._group_cache.get((word, typing))
        if cached is not None:
            return cached
        alts: list[_Alt] = []

        def add_word(w: str) -> None:
            s = stem(w)
            if self._present(s):
                alts.append(_Alt("term", (s,)))
            alts.extend(self._synonym_alts((s,)))

        add_word(word)
        if typing and len(word) >= MIN_PREFIX:
            for completion in self._prefixed(word):
                add_word(completion)
        if not alts and len(word) >= _COMPOUND_MIN:
            parts = decompound(word, self._known(), min_length=_COMPOUND_MIN)
            stems = tuple(dict.fromkeys(stem(p) for p in parts))
            if len(stems) > 1 and all(self._present(s) for s in stems):
                alts.append(_Alt("all", stems))
        if not alts:
            for correction in self._fuzzy(word):
                add_word(correction)
        result = tuple(dict.fromkeys(alts))
        if len(self._group_cache) > 5000:
            self._group_cache.clear()
        self._group_cache[(word, typing)] = result
        return result

    def _plan(self, query: str, typing: bool | None) -> list[tuple[_Alt, ...]]:
        text = query[:MAX_QUERY_CHARS]
        tokens = words(text)
        if len(tokens) >= 3:  # a sentence: the little words do not decide
            content = [t for t in tokens if t not in STOPWOORDEN]
            if content:
                typed_last = tokens[-1]
                tokens = content
                if content[-1] != typed_last:
                    typing = False  # the word being typed was a stopword
        tokens = tokens[:MAX_QUERY_WORDS]
        if typing is None:
            typing = bool(text) and text[-1].isalnum() and len(query) <= MAX_QUERY_CHARS
        longest = max((len(m) for m in self._synonyms), default=1)
        groups: list[tuple[_Alt, ...]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(longest, len(tokens) - i), 1, -1):
                member = tuple(stem(t) for t in tokens[i : i + size])
                if member in self._synonyms:
                    alts = [_Alt("phrase", member)] if all(map(self._present, member)) else []
                    groups.append(tuple(dict.fromkeys(alts + self._synonym_alts(member))))
                    i += size
                    break
            else:
                groups.append(self._group(tokens[i], typing and i == len(tokens) - 1))
                i += 1
        return list(dict.fromkeys(g for g in groups if g))

    # ---- searching -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        scope: str | None = None,
        limit: int = 10,
        typing: bool | None = None,
    ) -> list[Hit]:
        """The best ``limit`` visible documents for what was typed; ``scope`` keeps documents
        of that scope and documents without scopes. Never raises on any query text.

        ``typing=True`` expands the last word as a prefix (it is still being typed),
        ``typing=False`` treats the query as finished; ``None`` guesses from a trailing
        space or punctuation."""
        if limit <= 0 or not isinstance(query, str):
            return []
        with self._lock:
            self._fresh()
            groups = self._plan(query, typing)
            if not groups:
                return []
            cap = limit * 2 + 10
            sizes = [self._estimate(g) for g in groups]
            if min(sizes) <= ROW_BUDGET:
                rows = [(0, *r) for r in self._match(self._expr(groups, "AND"), scope, cap)]
            else:  # every group matches very many documents: rank within the title tier
                rows = [(0, *r) for r in self._kop_match(groups, "AND", scope, cap)]
                if len(rows) < limit:
                    rows = [(0, *r) for r in self._match(self._expr(groups, "AND"), scope, cap)]
            if len(groups) > 1 and (len(rows) < limit or len(groups) >= 3):
                # a strong match of most words may beat a weak match of all of them
                seen = {row[1] for row in rows}
                rows += [
                    (1, *r) for r in self._partial(groups, sizes, scope, cap) if r[0] not in seen
                ]
            ranked = self._rank(rows)[:limit]
            terms = {t for g in groups for alt in g for t in alt.stems}
            data = self._values([id_ for id_, *_ in ranked])
            matching = self._linked(terms)
            hits = []
            for id_, key, score, tier in ranked:
                values, extra = data[id_]
                snippet, matched = self._describe(values, matching)
                hits.append(Hit(key, score, snippet, matched, extra, tier == 0))
            return hits

    def _partial(
        self, groups: list[tuple[_Alt, ...]], sizes: list[int], scope: str | None, cap: int
    ) -> list[tuple[int, str, int, float]]:
        """Documents matching some of the groups: the light groups ranked in every field, the
        heavy ones (more than ROW_BUDGET documents) within the title tier; a document found
        both ways scores the sum."""
        light = [g for g, size in zip(groups, sizes, strict=True) if size <= ROW_BUDGET]
        heavy = [g for g, size in zip(groups, sizes, strict=True) if size > ROW_BUDGET]
        if not heavy:
            return self._match(self._expr(light, "OR"), scope, cap)
        found = self._kop_match(heavy, "OR", scope, cap)
        if not light:
            return found
        merged = {row[0]: row for row in self._match(self._expr(light, "OR"), scope, cap)}
        for id_, key, usage, score in found:
            other = merged.get(id_)
            merged[id_] = (id_, key, usage, score + (other[3] if other else 0.0))
        return sorted(merged.values(), key=lambda r: (r[3], r[1]))[:cap]

    def _linked(self, terms: set[str]) -> set[str]:
        """Words of the index whose stem is one of ``terms`` or that contain one of them as a
        compound part (what a snippet highlights)."""
        if not terms:
            return set()
        marks = ", ".join("?" for _ in terms)
        rows = self._db.execute(f"SELECT word FROM part_of WHERE t IN ({marks})", list(terms))
        return {r[0] for r in rows}

    def _estimate(self, group: tuple[_Alt, ...]) -> int:
        """An upper bound of the documents matching a group (from the vocabulary counts)."""
        total = 0
        for alt in group:
            total += min(self._term_df(t) for t in alt.stems)
        return min(total, self._doc_count())

    def _expr(self, groups: list[tuple[_Alt, ...]], op: str) -> str:
        """The MATCH expression: the groups' alternatives OR'ed, the groups joined by ``op``."""
        return f" {op} ".join("(" + " OR ".join(alt.expr() for alt in g) + ")" for g in groups)

    def _match(
        self, expression: str, scope: str | None, cap: int
    ) -> list[tuple[int, str, int, float]]:
        sql = (
            f"SELECT d.id, d.key, d.usage, {self._bm25} AS r "
            "FROM fts JOIN doc d INDEXED BY doc_rang ON d.id = fts.rowid "  # see doc_rang
            "WHERE fts MATCH ? AND d.visible = 1"
        )
        params: list[Any] = [expression]
        if scope is not None:
            sql += (
                " AND (d.all_scopes = 1 OR EXISTS (SELECT 1 FROM doc_scope s "
                "WHERE s.scope = ? AND s.id = d.id))"
            )
            params.append(_scope_key(scope))
        sql += " ORDER BY r, d.key LIMIT ?"
        params.append(cap)
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # defensive: our own expression should always parse
            return []

    def _usage_max(self) -> int:
        if self._max_usage is None:
            self._max_usage = int(
                self._db.execute("SELECT COALESCE(MAX(usage), 0) FROM doc").fetchone()[0]
            )
        return self._max_usage

    def _rank(
        self, rows: list[tuple[int, int, str, int, float]]
    ) -> list[tuple[int, str, float, int]]:
        top = self._usage_max()
        scale = self.usage_boost / math.log1p(top) if top > 0 else 0.0
        scored = []
        for tier, id_, key, usage, bm25 in rows:
            score = -bm25 * (1.0 + scale * math.log1p(usage))
            if tier:
                score *= self.partial_factor
            scored.append((-score, key, id_, tier))
        scored.sort()
        return [(id_, key, -neg, tier) for neg, key, id_, tier in scored]

    def _values(self, ids: list[int]) -> dict[int, tuple[dict[str, str], dict[str, Any]]]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._db.execute(f"SELECT id, data, extra FROM doc WHERE id IN ({marks})", ids)
        return {
            id_: (json.loads(zlib.decompress(data)), json.loads(extra)) for id_, data, extra in rows
        }

    # ---- snippets --------------------------------------------------------------------------

    def _find(self, text: str, matching: set[str]) -> list[tuple[int, int, str]]:
        """``(start, end, folded word)`` of every word of ``text`` in ``matching``."""
        folded = fold_aligned(text)
        if folded is None:  # offsets would shift: the slow, exact way
            return [(s, e, w) for s, e, w in word_spans(text) if w in matching]
        present = raw_word_set(folded)
        found = {raw: raw for raw in present & matching}
        if "'" in folded:
            for raw in present:
                if "'" in raw:
                    word = next((w for w in words(raw) if w in matching), None)
                    if word is not None:
                        found[raw] = word
        spans: list[tuple[int, int, str]] = []
        size = len(folded)
        for raw, word in found.items():
            at = folded.find(raw)
            while at >= 0:
                end = at + len(raw)
                if (at == 0 or not folded[at - 1].isalnum()) and (
                    end == size or not folded[end].isalnum()
                ):
                    spans.append((at, end, word))
                at = folded.find(raw, end)
        spans.sort()
        result: list[tuple[int, int, str]] = []
        for span in spans:  # "auto" inside "auto's": keep the first, longest
            if not result or span[0] >= result[-1][1]:
                result.append(span)
        return result

    def _describe(
        self, values: Mapping[str, str], matching: set[str]
    ) -> tuple[Snippet, tuple[str, ...]]:
        matched: dict[str, None] = {}
        best: tuple[int, str, str, list[tuple[int, int, str]]] | None = None
        fallback: tuple[str, str] | None = None
        any_snippet_field = any(f.snippet for f in self.fields)
        for f in self._by_weight:
            raw = values.get(f.name, "")
            if not raw:
                continue
            text = " ".join(raw.split()) if f.snippet else raw
            hits = self._find(text, matching)
            for _, _, w in hits:
                matched.setdefault(w, None)
            if not f.snippet or not text:
                continue
            if fallback is None:
                fallback = (f.name, text)
            distinct = len({stem(w) for _, _, w in hits})
            if hits and (best is None or distinct > best[0]):
                best = (distinct, f.name, text, hits)
        if not any_snippet_field:
            return Snippet(""), tuple(matched)
        if best is None:
            if fallback is None:
                return Snippet(""), tuple(matched)
            name, text = fallback
            return self._cut(text, [], name), tuple(matched)
        _, name, text, hits = best
        return self._cut(text, hits, name), tuple(matched)

    def _cut(self, text: str, hits: list[tuple[int, int, str]], name: str) -> Snippet:
        size = self.snippet_chars
        if len(text) <= size:
            return Snippet(text, tuple((s, e) for s, e, _ in hits), name)
        begin = 0
        if hits:
            # the window (starting at a hit) that shows the most different matched words
            best_start, best_count = hits[0][0], -1
            for s, _, _ in hits[:40]:
                count = len({w for s2, e2, w in hits if s <= s2 and e2 <= s + size - 20})
                if count > best_count:
                    best_start, best_count = s, count
            begin = max(0, best_start - 30)
            if begin > 0:
                space = text.rfind(" ", 0, begin + 1)
                begin = space + 1 if space >= 0 and best_start - space < 60 else best_start
        end = min(len(text), begin + size)
        if end < len(text):
            space = text.rfind(" ", begin, end)
            if space > begin:
                end = space
        prefix = "… " if begin > 0 else ""
        suffix = " …" if end < len(text) else ""
        shift = len(prefix) - begin
        spans = tuple((s + shift, e + shift) for s, e, _ in hits if s >= begin and e <= end)
        return Snippet(prefix + text[begin:end] + suffix, spans, name)
