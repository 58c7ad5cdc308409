"""The start screen's counts without a screen, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from tests.services.test_terugbelnotities import VRIJDAG, maak, terugbel_wereld
from tests.werkplek.aanmelden import werkplek_voor


def test_the_start_screen_counts_what_is_in_the_database(engine: Engine, tmp_path: Path) -> None:
    tw = terugbel_wereld(engine)
    werkplek = werkplek_voor(engine, "agent", tmp_path, klok=lambda: VRIJDAG)
    voor = werkplek.overzicht.telling()
    assert not voor.leeg and voor.klanten == 4 and voor.open_terugbelnotities == 0
    maak(engine, tw)
    assert werkplek.overzicht.telling().open_terugbelnotities == 1
