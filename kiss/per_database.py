"""One shared object per database: search indexes and vocabularies are built once and shared
by every screen and worker that uses the same engine."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")


class PerDatabase(Generic[T]):
    """Makes the object for an engine on first use (thread-safe). A new engine for the same
    URL (a test, or a CLI run) gets a fresh object, so nothing stale carries over."""

    def __init__(self, maak: Callable[[Engine], T]) -> None:
        self._maak = maak
        self._objecten: dict[str, tuple[Engine, T]] = {}
        self._lock = threading.Lock()

    def voor(self, engine: Engine) -> T:
        sleutel = str(engine.url)
        with self._lock:
            bekend = self._objecten.get(sleutel)
            if bekend is None or bekend[0] is not engine:
                bekend = self._objecten[sleutel] = (engine, self._maak(engine))
            return bekend[1]

    def vergeet_alles(self) -> None:
        with self._lock:
            self._objecten.clear()
