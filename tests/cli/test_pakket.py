"""Packaging: the licence as an SPDX expression (PEP 639) with a setuptools that reads it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def test_license_is_an_spdx_expression_and_setuptools_understands_it() -> None:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert data["project"]["license"] == "EUPL-1.2"
    vloer = next(r for r in data["build-system"]["requires"] if r.startswith("setuptools"))
    versie = re.search(r">=\s*(\d+)", vloer)
    assert versie and int(versie.group(1)) >= 77  # license expressions since setuptools 77
    assert not any("License ::" in c for c in data["project"].get("classifiers", []))
