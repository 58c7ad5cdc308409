"""Helpers for Textual pilot tests."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.app import App
from textual.worker import WorkerCancelled, WorkerState

BEZIG = (WorkerState.PENDING, WorkerState.RUNNING)


async def settle(app: App[Any], pilot: Any, rounds: int = 3) -> None:
    """Let workers finish and the messages they post be handled, until the app is quiet.

    A chain (worker → message → new worker) needs several rounds; a newer search may
    legitimately cancel an older one.
    """
    rustig = 0
    for _ in range(max(rounds, 3) * 8):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if any(w.state in BEZIG for w in app.workers):
            rustig = 0
            continue
        rustig += 1
        if rustig >= rounds:
            return
