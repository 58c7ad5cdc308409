"""Start-up stays fast: what only later work needs is not imported when the TUI starts, and
an up-to-date database is recognised without alembic (see benchmarks/bench_start.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from kiss.db import _kop_uit_bestanden, head_revision, make_engine, schema_is_actueel

LATER = (
    "alembic",  # only when the schema must change
    "numpy",  # kennisbank meaning search: at the first search
    "holidays",  # the holiday calendars: at the first deadline
    "snowballstemmer",  # stemming: at the first search
    "smtplib",  # mail is sent by kiss dienst
    "kiss.demo",
    "kiss.search.vectoren",
)


def _start_in_nieuw_proces(database: Path) -> set[str]:
    code = textwrap.dedent(
        f"""
        import sys
        import kiss.cli
        from kiss.app import KissApp
        from kiss.cli.common import engine
        import argparse
        engine(argparse.Namespace(database={str(database)!r}, gemeente=None))
        print("\\n".join(sys.modules))
        """
    )
    uit = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(uit.stdout.split())


def test_start_laadt_niet_wat_pas_later_nodig_is(sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "kiss.db"
    database.write_bytes(sqlite_template.read_bytes())
    geladen = _start_in_nieuw_proces(database)
    assert "kiss.app" in geladen
    assert not [m for m in LATER if m in geladen]


def test_kop_uit_de_bestanden_is_die_van_alembic(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "kiss.db"))
    assert _kop_uit_bestanden() == head_revision(engine)
    assert not schema_is_actueel(engine)  # empty: not even an alembic_version table
    engine.dispose()


def test_schema_actueel_na_upgrade(sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "kiss.db"
    database.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(str(database))
    assert schema_is_actueel(engine)
    with engine.begin() as verbinding:
        verbinding.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    assert not schema_is_actueel(engine)
    engine.dispose()
