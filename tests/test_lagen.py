"""The layers are enforced, not described: screens render and ask, the werkplek and the
services hold the rules and never import Textual."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("import-linter ontbreekt: installeer met pip install -e '.[test]'")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_werkplek_loads_without_textual() -> None:
    code = "import kiss.werkplek, sys; assert 'textual' not in sys.modules, 'textual geladen'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_screens_and_widgets_do_no_database_work() -> None:
    verboden = re.compile(r"session_scope|read_scope|select\(")
    treffers = [
        f"{pad.relative_to(ROOT)}:{nummer}: {regel.strip()}"
        for map_ in ("kiss/screens", "kiss/widgets")
        for pad in sorted((ROOT / map_).rglob("*.py"))
        for nummer, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1)
        if verboden.search(regel)
    ]
    assert treffers == []
