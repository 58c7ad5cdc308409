"""The search index: a local SQLite FTS5 table with BM25 column weights, fed by the caller.

How a query is answered (see :meth:`SearchIndex.search`):

1. The text is cut into folded words (:mod:`kiss.search.text`); each word becomes a *group*
   of alternative index terms, OR'ed together:
   its stem; the synonyms of the word (or of a multi-word phrase starting at it); for the word
   being typed (the last one, when the query does not end in whitespace or punctuation) the
   most frequent vocabulary words that start with it; for an unknown word of 5+ letters the
   vocabulary words within 1 edit (9+ letters: 2 edits, transpositions count as one, the first
   letter must be right); for an unknown compound its parts (``wozwaarde`` → woz AND waarde).
   Words that match nothing at all are dropped (``vd berg`` searches for ``berg``).
2. The MATCH expression is built from these terms only, every term quoted, so nothing a user
   types can reach the FTS5 query parser. All groups AND'ed first; if that gives fewer than
   ``limit`` hits, documents matching any group follow (ranked below).
3. BM25 with per-field weights; every field has a hidden twin column with the parts of its
   compounds (``parkeervergunning`` → parkeer, vergunning) and joined hyphenated words,
   weighted ``part_weight`` × the field weight. Hidden documents and documents outside the
   scope are filtered in SQL.
4. Ties are broken by usage: the score is multiplied by ``1 + usage_boost · log(1+usage) /
   log(1+max usage)`` (the most used document gains at most ``usage_boost``, default 1 %),
   then by key, so the order never depends on insertion order.
5. For each hit a :class:`Snippet` is cut from the snippet field with the most matched words.

Memory: the FTS table is contentless (only the inverted index); the original values are kept
zlib-compressed for snippets, and the vocabulary (surface words → document frequency) in
Python dicts for prefix and typo expansion.
"""

from __future__ import annotations

import bisect
import json
import math
import sqlite3
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kiss.search.text import (
    NORMALISATION_VERSION,
    decompound,
    fold_aligned,
    hyphen_joins,
    raw_words,
    stem,
    synonym_table,
    word_spans,
    words,
)

__all__ = ["Document", "Field", "Hit", "SearchIndex", "Snippet"]

MAX_QUERY_CHARS = 2000  # the rest of a pasted essay is ignored
MAX_QUERY_WORDS = 16
MIN_PREFIX = 2  # the word being typed is expanded from its second letter on
_PREFIX_TERMS = {2: 8, 3: 16}  # most frequent completions used, by prefix length
_PREFIX_TERMS_LONG = 32
_PREFIX_SCAN = 20_000  # vocabulary words looked at for one prefix
_TYPO_TERMS = 5
_COMPOUND_MIN = 8  # words this long are split into parts
#: Ranking costs ~2 µs per matching document. When every word of a query matches more
#: documents than this (``de``, or ``ve`` while typing), the query is ranked within the
#: title-like fields (weight ≥ half the top weight) first; the full ranking only runs when
#: that gives too few hits.
ROW_BUDGET = 4000


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


@dataclass(frozen=True)
class Document:
    """One document for :meth:`SearchIndex.upsert_many`; same meaning as the arguments of
    :meth:`SearchIndex.upsert`."""

    key: str
    values: Mapping[str, str]
    scopes: Iterable[str] = ()
    visible: bool = True
    usage: int = 0


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


def _scope_key(scope: str) -> str:
    return " ".join(scope.split()).casefold()


class SearchIndex:
    """A local full-text index over documents with the given fields.

    ``synonyms`` maps a term to its equivalents (``{"paspoort": ["reisdocument"],
    "id-kaart": ["identiteitskaart", "id"]}``): each entry is one group of equivalent terms,
    valid in both directions; multi-word terms are phrases. ``path`` makes the index a SQLite
    file instead of memory (an existing file built with other fields or other normalisation
    rules is emptied). All methods are thread-safe (one lock).
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
        self.snippet_chars = max(40, snippet_chars)
        self._by_weight = sorted(self.fields, key=lambda f: -f.weight)  # stable: ties keep order
        weights: list[float] = []
        for f in self.fields:
            weights += [f.weight, f.weight * part_weight]
        top = max(f.weight for f in self.fields)
        titles = [i for i, f in enumerate(self.fields) if f.weight >= top / 2]
        self._title_columns = "{" + " ".join(f"c{i} p{i}" for i in titles) + "}"
        self._bm25 = "bm25(fts, " + ", ".join(repr(float(w)) for w in weights) + ")"
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        self._create_schema()
        self._reset_memory()
        self._synonym_words: set[str] = set()
        self._set_synonyms(synonyms)
        self._load_vocabulary()

    # ---- setup -----------------------------------------------------------------------------

    def _create_schema(self) -> None:
        db = self._db
        db.execute("PRAGMA synchronous = OFF")  # a cache the caller can always rebuild
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        signature = json.dumps({"version": NORMALISATION_VERSION, "fields": self._names})
        row = db.execute("SELECT value FROM meta WHERE name = 'signature'").fetchone()
        if row is not None and row[0] != signature:
            for table in ("fts", "doc_scope", "doc"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('signature', ?)", (signature,))
        db.execute(
            "CREATE TABLE IF NOT EXISTS doc(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
            "visible INTEGER NOT NULL, all_scopes INTEGER NOT NULL, usage INTEGER NOT NULL, "
            "data BLOB NOT NULL, parts TEXT NOT NULL)"
        )
        db.execute("CREATE INDEX IF NOT EXISTS doc_usage ON doc(usage)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS doc_scope(scope TEXT NOT NULL, id INTEGER NOT NULL, "
            "PRIMARY KEY (scope, id)) WITHOUT ROWID"
        )
        columns = ", ".join(f"c{i}, p{i}" for i in range(len(self._names)))
        db.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5({columns}, content='', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        placeholders = ", ".join("?" for _ in range(2 * len(self._names)))
        self._sql_insert = f"INSERT INTO fts(rowid, {columns}) VALUES (?, {placeholders})"
        self._sql_delete = (
            f"INSERT INTO fts(fts, rowid, {columns}) VALUES ('delete', ?, {placeholders})"
        )

    def _reset_memory(self) -> None:
        self._ids: dict[str, int] = {}
        self._surface_df: Counter[str] = Counter()  # folded word → documents containing it
        self._word_df: Counter[str] = Counter()  # stem of a word → documents
        self._part_df: Counter[str] = Counter()  # stem of a compound part → documents
        self._sorted: list[str] = []  # every listed surface word, sorted (prefix lookup)
        self._buckets: dict[tuple[int, str], list[str]] = {}  # (length, first letter) → words
        self._listed: set[str] = set()
        self._dead = 0
        self._parts_cache: dict[str, tuple[str, ...]] = {}
        self._word_parts: dict[str, tuple[str, ...]] = {}  # live word → its parts when indexed
        self._surface_of: dict[str, set[str]] = {}  # stem or part → live words having it
        self._group_cache: dict[tuple[str, bool], tuple[_Alt, ...]] = {}
        self._max_usage: int | None = None
        self._next_id = 1

    def _set_synonyms(self, synonyms: Mapping[str, Iterable[str]] | None) -> None:
        self._synonym_source = {key: list(values) for key, values in (synonyms or {}).items()}
        self._synonyms = synonym_table(self._synonym_source)
        self._synonym_words = set()
        for key, values in self._synonym_source.items():
            for term in [key, *values]:
                ws = words(term)
                if len(ws) == 1:  # one-word synonyms complete and correct like indexed words
                    self._synonym_words.add(ws[0])
                    self._list_word(ws[0])
        self._group_cache.clear()

    def _load_vocabulary(self) -> None:
        """Rebuild the in-memory vocabulary from a file-backed index."""
        rows = self._db.execute("SELECT id, key, data, parts FROM doc").fetchall()
        for id_, key, data, parts in rows:
            self._ids[key] = id_
            values = json.loads(zlib.decompress(data))
            surface, stems = set(), set()
            for name in self._names:
                ws = words(values.get(name, ""))
                surface.update(ws)
                stems.update(map(stem, ws))
            part_stems = {p for column in json.loads(parts) for p in column.split()}
            self._count(surface, stems, part_stems, +1)
        self._next_id = max(self._ids.values(), default=0) + 1

    # ---- vocabulary ------------------------------------------------------------------------

    def _list_word(self, word: str) -> None:
        if word in self._listed:
            return
        self._listed.add(word)
        bisect.insort(self._sorted, word)
        self._buckets.setdefault((len(word), word[0]), []).append(word)

    def _count(self, surface: set[str], stems: set[str], part_stems: set[str], sign: int) -> None:
        """Add (``sign`` +1) or remove (-1) one document's words to the vocabulary counts."""
        changed = False
        for counter, items in (
            (self._surface_df, surface),
            (self._word_df, stems),
            (self._part_df, part_stems),
        ):
            if sign > 0:
                new = items - counter.keys()
                counter.update(items)
                if new:
                    changed = True
                    if counter is self._surface_df:
                        for word in sorted(new):
                            self._list_word(word)
                            self._link(word, +1)
            else:
                counter.subtract(items)
                gone = [item for item in items if counter[item] <= 0]
                for item in gone:
                    del counter[item]
                if gone:
                    changed = True
                    if counter is self._surface_df:
                        self._dead += len(gone)
                        for word in gone:
                            self._link(word, -1)
        if changed:
            self._group_cache.clear()
        if self._dead > 1000 and self._dead > len(self._surface_df):
            self._compact()

    def _link(self, word: str, sign: int) -> None:
        """Keep ``_surface_of`` (stem or compound part → the words that contain it) current."""
        if sign > 0:
            parts = self._parts_cache.get(word)
            if parts is None:
                parts = self._parts_of(word, self._known())
            if parts:
                self._word_parts[word] = parts
            for term in (stem(word), *parts):
                self._surface_of.setdefault(term, set()).add(word)
            return
        for term in (stem(word), *self._word_parts.pop(word, ())):
            holders = self._surface_of.get(term)
            if holders is not None:
                holders.discard(word)
                if not holders:
                    del self._surface_of[term]

    def _compact(self) -> None:
        live = [w for w in self._sorted if w in self._surface_df or w in self._synonym_words]
        self._sorted = live
        self._listed = set(live)
        self._buckets = {}
        for w in live:
            self._buckets.setdefault((len(w), w[0]), []).append(w)
        self._dead = 0

    def _alive(self, word: str) -> bool:
        return word in self._surface_df or word in self._synonym_words

    def _present(self, term: str) -> bool:
        return term in self._word_df or term in self._part_df

    def _known(self, extra: set[str] | None = None) -> Callable[[str], bool]:
        """Is a fragment a word: of the index, of ``extra`` (a batch being added)?"""
        surface = self._surface_df
        if not extra:
            return surface.__contains__
        return lambda fragment: fragment in surface or fragment in extra

    def _parts_of(self, word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
        parts = self._parts_cache.get(word)
        if parts is None:
            pieces = decompound(word, known, min_length=_COMPOUND_MIN)
            if not pieces and word.endswith(("en", "es", "s")):  # parkeervergunningen
                base = word[:-2] if word.endswith("en") else word[:-1]
                pieces = decompound(base, known, min_length=_COMPOUND_MIN)
            parts = tuple(dict.fromkeys(stem(p) for p in pieces)) if len(pieces) > 1 else ()
            self._parts_cache[word] = parts
        return parts

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
                    parts.extend(self._parts_of(w, known) * n)
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

    def _remove(self, key: str) -> None:
        id_ = self._ids.pop(key, None)
        if id_ is None:
            return
        data, parts = self._db.execute(
            "SELECT data, parts FROM doc WHERE id = ?", (id_,)
        ).fetchone()
        columns, old = self._columns_for_delete(data, parts)
        self._db.execute(self._sql_delete, (id_, *columns))
        self._db.execute("DELETE FROM doc WHERE id = ?", (id_,))
        self._db.execute("DELETE FROM doc_scope WHERE id = ?", (id_,))
        self._count(old.surface, old.stems, old.part_stems, -1)
        self._max_usage = None

    def _insert(
        self,
        key: str,
        values: dict[str, str],
        analysis: _Analysis,
        scopes: Iterable[str],
        visible: bool,
        usage: int,
    ) -> tuple[Any, ...]:
        id_ = self._next_id
        self._next_id += 1
        self._ids[key] = id_
        scope_keys = sorted({_scope_key(s) for s in scopes if s and s.strip()})
        self._db.execute(
            "INSERT INTO doc(id, key, visible, all_scopes, usage, data, parts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                id_,
                key,
                int(bool(visible)),
                int(not scope_keys),
                max(0, int(usage)),
                zlib.compress(json.dumps(values, ensure_ascii=False).encode(), 1),
                json.dumps(analysis.parts),
            ),
        )
        if scope_keys:
            self._db.executemany(
                "INSERT INTO doc_scope(scope, id) VALUES (?, ?)", [(s, id_) for s in scope_keys]
            )
        return (id_, *analysis.columns)

    def upsert(
        self,
        key: str,
        values: Mapping[str, str],
        *,
        scopes: Iterable[str] = (),
        visible: bool = True,
        usage: int = 0,
    ) -> None:
        """Add or replace one document; searchable at once.

        ``values`` maps field names to text (missing fields are empty). ``scopes`` (e.g.
        gemeente names, compared case-insensitively): empty means the document belongs to every
        scope. ``visible=False`` keeps it out of every result. ``usage`` breaks near-ties."""
        self.upsert_many([Document(key, values, scopes, visible, usage)])

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
            # Compound parts may be any word of the batch, whatever the order it came in.
            new_words: set[str] = set()
            for values in checked.values():
                for text in values.values():
                    new_words.update(words(text))
            new_words.difference_update(self._surface_df)
            if new_words:
                self._parts_cache.clear()
            known = self._known(new_words)
            rows: list[tuple[Any, ...]] = []
            self._db.execute("BEGIN")
            try:
                for key, doc in batch.items():
                    self._remove(key)
                    analysis = self._analyse(checked[key], known)
                    rows.append(
                        self._insert(
                            key, checked[key], analysis, doc.scopes, doc.visible, doc.usage
                        )
                    )
                    self._count(analysis.surface, analysis.stems, analysis.part_stems, +1)
                    if len(rows) >= 500:
                        self._db.executemany(self._sql_insert, rows)
                        rows.clear()
                self._db.executemany(self._sql_insert, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._rebuild_memory()
                raise
            if new_words:
                self._parts_cache.clear()  # later documents split with the grown vocabulary
            self._max_usage = None
            if len(batch) >= 1000:
                self._db.execute("INSERT INTO fts(fts) VALUES ('optimize')")

    @staticmethod
    def _as_document(item: tuple[Any, ...]) -> Document:
        if len(item) == 2:
            return Document(item[0], item[1])
        key, values, options = item
        return Document(key, values, **dict(options))

    def _rebuild_memory(self) -> None:
        self._reset_memory()
        self._set_synonyms(self._synonym_source)
        self._load_vocabulary()

    def delete(self, key: str) -> None:
        """Remove a document (no error if it is not there); gone from results at once."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._remove(key)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._rebuild_memory()
                raise

    def set_usage(self, key: str, usage: int) -> None:
        """Set how often a document was used (opened, linked, …); ignored for unknown keys."""
        with self._lock:
            self._db.execute("UPDATE doc SET usage = ? WHERE key = ?", (max(0, int(usage)), key))
            self._max_usage = None

    def set_synonyms(self, synonyms: Mapping[str, Iterable[str]] | None) -> None:
        """Replace the synonym map (used at query time only, so no re-indexing)."""
        with self._lock:
            self._set_synonyms(synonyms)

    def clear(self) -> None:
        """Remove every document."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute("INSERT INTO fts(fts) VALUES ('delete-all')")
            self._db.execute("DELETE FROM doc")
            self._db.execute("DELETE FROM doc_scope")
            self._db.execute("COMMIT")
            self._reset_memory()
            self._set_synonyms(self._synonym_source)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._ids

    # ---- query planning --------------------------------------------------------------------

    def _synonym_alts(self, member: tuple[str, ...]) -> list[_Alt]:
        alts = []
        for other in sorted(self._synonyms.get(member, ())):
            if all(self._present(s) for s in other):
                alts.append(_Alt("term" if len(other) == 1 else "phrase", other))
        return alts

    def _prefixed(self, prefix: str) -> list[str]:
        """The most frequent live vocabulary words starting with ``prefix``."""
        start = bisect.bisect_left(self._sorted, prefix)
        found: list[str] = []
        for word in self._sorted[start : start + _PREFIX_SCAN]:
            if not word.startswith(prefix):
                break
            if self._alive(word):
                found.append(word)
        wanted = _PREFIX_TERMS.get(len(prefix), _PREFIX_TERMS_LONG)
        if len(found) > wanted:
            found.sort(key=lambda w: (-self._surface_df.get(w, 0), len(w), w))
            found = found[:wanted]
        return found

    def _fuzzy(self, word: str) -> list[str]:
        """Live vocabulary words at the smallest edit distance (≤ 1, or ≤ 2 from 9 letters)."""
        n = len(word)
        if n < 5:
            return []
        limit = 2 if n >= 9 else 1
        found: list[tuple[int, str]] = []
        for length in range(n - limit, n + limit + 1):
            bucket = self._buckets.get((length, word[0]))
            if not bucket:
                continue
            for candidate, distance, _ in process.extract(
                word, bucket, scorer=OSA.distance, score_cutoff=limit, limit=4 * _TYPO_TERMS
            ):
                if candidate != word and self._alive(candidate):
                    found.append((int(distance), candidate))
        if not found:
            return []
        best = min(d for d, _ in found)
        closest = [w for d, w in found if d == best]
        closest.sort(key=lambda w: (-self._surface_df.get(w, 0), w))
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
        if not alts:
            for correction in self._fuzzy(word):
                add_word(correction)
        if not alts and len(word) >= _COMPOUND_MIN:
            parts = decompound(word, self._known(), min_length=_COMPOUND_MIN)
            stems = tuple(dict.fromkeys(stem(p) for p in parts))
            if len(stems) > 1 and all(self._present(s) for s in stems):
                alts.append(_Alt("all", stems))
        result = tuple(dict.fromkeys(alts))
        if len(self._group_cache) > 5000:
            self._group_cache.clear()
        self._group_cache[(word, typing)] = result
        return result

    def _plan(self, query: str) -> list[tuple[_Alt, ...]]:
        text = query[:MAX_QUERY_CHARS]
        tokens = words(text)[:MAX_QUERY_WORDS]
        typing_last = bool(text) and text[-1].isalnum() and len(query) <= MAX_QUERY_CHARS
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
                groups.append(self._group(tokens[i], typing_last and i == len(tokens) - 1))
                i += 1
        return list(dict.fromkeys(g for g in groups if g))

    # ---- searching -------------------------------------------------------------------------

    def search(self, query: str, *, scope: str | None = None, limit: int = 10) -> list[Hit]:
        """The best ``limit`` visible documents for what was typed; ``scope`` keeps documents
        of that scope and documents without scopes. Never raises on any query text."""
        if limit <= 0 or not isinstance(query, str):
            return []
        with self._lock:
            groups = self._plan(query)
            if not groups:
                return []
            cap = limit * 2 + 10
            sizes = [self._estimate(g) for g in groups]
            if min(sizes) <= ROW_BUDGET:
                rows = [(0, *r) for r in self._match(self._expr(groups, "AND"), scope, cap)]
            else:  # every group matches very many documents: rank within title-like fields
                everything = set(range(len(groups)))
                expression = self._expr(groups, "AND", everything)
                rows = [(0, *r) for r in self._match(expression, scope, cap)]
                if len(rows) < limit:
                    rows = [(0, *r) for r in self._match(self._expr(groups, "AND"), scope, cap)]
            if len(rows) < limit and len(groups) > 1:
                seen = {row[1] for row in rows}
                heavy = {i for i, size in enumerate(sizes) if size > ROW_BUDGET}
                expression = self._expr(groups, "OR", heavy)
                rows += [(1, *r) for r in self._match(expression, scope, cap) if r[0] not in seen]
            ranked = self._rank(rows)[:limit]
            terms = {t for g in groups for alt in g for t in alt.stems}
            matching = set().union(*(self._surface_of.get(t, ()) for t in terms))
            data = self._values([id_ for id_, *_ in ranked])
            hits = []
            for id_, key, score in ranked:
                snippet, matched = self._describe(data[id_], matching)
                hits.append(Hit(key, score, snippet, matched))
            return hits

    def _estimate(self, group: tuple[_Alt, ...]) -> int:
        """An upper bound of the documents matching a group (from the vocabulary counts)."""
        total = 0
        for alt in group:
            total += min(self._word_df.get(t, 0) + self._part_df.get(t, 0) for t in alt.stems)
        return min(total, len(self._ids))

    def _expr(self, groups: list[tuple[_Alt, ...]], op: str, narrow: set[int] = frozenset()) -> str:
        """The MATCH expression; groups in ``narrow`` only match the title-like columns."""
        parts = []
        for i, group in enumerate(groups):
            inner = "(" + " OR ".join(alt.expr() for alt in group) + ")"
            parts.append(self._title_columns + " : " + inner if i in narrow else inner)
        return f" {op} ".join(parts)

    def _match(
        self, expression: str, scope: str | None, cap: int
    ) -> list[tuple[int, str, int, float]]:
        sql = (
            f"SELECT d.id, d.key, d.usage, {self._bm25} AS r "
            "FROM fts JOIN doc d ON d.id = fts.rowid "
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

    def _rank(self, rows: list[tuple[int, int, str, int, float]]) -> list[tuple[int, str, float]]:
        top = self._usage_max()
        scale = self.usage_boost / math.log1p(top) if top > 0 else 0.0
        scored = []
        for tier, id_, key, usage, bm25 in rows:
            score = -bm25 * (1.0 + scale * math.log1p(usage))
            scored.append((tier, -score, key, id_))
        scored.sort()
        return [(id_, key, -neg) for _, neg, key, id_ in scored]

    def _values(self, ids: list[int]) -> dict[int, dict[str, str]]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._db.execute(f"SELECT id, data FROM doc WHERE id IN ({marks})", ids)
        return {id_: json.loads(zlib.decompress(data)) for id_, data in rows}

    # ---- snippets --------------------------------------------------------------------------

    def _find(self, text: str, matching: set[str]) -> list[tuple[int, int, str]]:
        """``(start, end, folded word)`` of every word of ``text`` in ``matching``."""
        folded = fold_aligned(text)
        if folded is None:  # offsets would shift: the slow, exact way
            return [(s, e, w) for s, e, w in word_spans(text) if w in matching]
        present = set(raw_words(folded))
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
