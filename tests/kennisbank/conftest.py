"""Kennisbank tests keep their search index files in the test's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _eigen_zoekindex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KISS_ZOEKINDEX_MAP", str(tmp_path / "zoekindex"))
