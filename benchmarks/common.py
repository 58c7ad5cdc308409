"""Shared helpers for the benchmark scripts: a scratch database, timing, the result table."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, text

from kiss.db import make_engine, upgrade

POSTGRES_URL = os.environ.get(
    "KISS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def scratch_engine(backend: str, keep: str | None = None) -> Iterator[Engine]:
    """A migrated, empty database: a temp SQLite file, or a fresh PostgreSQL schema that is
    dropped afterwards. ``keep`` names an SQLite file to reuse/keep instead."""
    if backend == "sqlite":
        if keep:
            engine = make_engine(keep)
            upgrade(engine)
            yield engine
            engine.dispose()
            return
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(os.path.join(folder, "bench.db"))
            upgrade(engine)
            yield engine
            engine.dispose()
        return
    schema = f"kiss_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL + f"?options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Meting:
    naam: str
    tijden_ms: list[float]
    doel_ms: float | None = None
    basis: Meting | None = None

    @property
    def p50(self) -> float:
        return statistics.median(self.tijden_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.tijden_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def meet(
    naam: str, werk: Callable[[object], object], invoer: list[object], **kwargs: object
) -> Meting:
    tijden = []
    for item in invoer:
        start = time.perf_counter()
        werk(item)
        tijden.append((time.perf_counter() - start) * 1000)
    return Meting(naam, tijden, **kwargs)  # type: ignore[arg-type]


def tabel(titel: str, metingen: list[Meting]) -> str:
    regels = [
        titel,
        f"{'meting':<44}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'doel':>9}  "
        f"{'basis p50':>10}{'factor':>9}",
    ]
    for m in metingen:
        doel = f"≤{m.doel_ms:g}" if m.doel_ms is not None else ""
        status = ""
        if m.doel_ms is not None:
            status = " ok" if m.p95 <= m.doel_ms else " TE TRAAG"
        basis = f"{m.basis.p50:10.2f}" if m.basis else " " * 10
        factor = f"{m.basis.p50 / m.p50:8.0f}x" if m.basis and m.p50 > 0 else " " * 9
        regels.append(
            f"{m.naam:<44}{len(m.tijden_ms):>6}{m.p50:10.2f}{m.p95:10.2f}{doel:>9}  {basis}{factor}"
            + status
        )
    return "\n".join(regels)
