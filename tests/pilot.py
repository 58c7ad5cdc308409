"""Helpers for Textual pilot tests."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.app import App
from textual.worker import WorkerCancelled


async def settle(app: App[Any], pilot: Any, rounds: int = 3) -> None:
    """Let workers finish and messages be handled (a newer search may cancel an older one)."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
