"""``kiss terugbel deadline`` and ``kiss terugbel lijst`` (for scripts and cron)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from kiss.cli import main
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort
from tests.services.test_terugbelnotities import VRIJDAG, maak, terugbel_wereld


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("vanaf", "verwacht"),
    [
        ("2026-12-24T10:00", "dinsdag 29 december 2026 10:00"),
        ("2026-10-09T15:00", "dinsdag 13 oktober 2026 15:00"),
        ("2026-10-10T11:00", "woensdag 14 oktober 2026 00:00"),
        ("2026-12-24T09:00Z", "dinsdag 29 december 2026 10:00"),  # explicit UTC
    ],
)
def test_deadline_prints_the_moment_in_dutch_time(
    capsys: pytest.CaptureFixture[str], vanaf: str, verwacht: str
) -> None:
    code, out, _ = _run(capsys, "terugbel", "deadline", "--vanaf", vanaf)
    assert code == 0 and out.strip() == verwacht


def test_deadline_json_and_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "terugbel", "deadline", "--vanaf", "2026-12-24T10:00", "--json")
    data = json.loads(out)
    assert code == 0 and data["deadline"] == "2026-12-29T10:00:00+01:00"
    assert data["deadline_utc"] == "2026-12-29T09:00:00+00:00" and data["uren"] == 48
    code, _, err = _run(capsys, "terugbel", "deadline", "--vanaf", "24 december")
    assert code == 2 and "Ongeldig moment" in err


def test_lijst_by_team_overdue_and_json(
    engine: Engine, als_medewerker: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tw = terugbel_wereld(engine)
    te_laat = maak(engine, tw, nu=VRIJDAG - timedelta(days=30))
    maak(engine, tw, nu=VRIJDAG - timedelta(days=20))
    maak(engine, tw, doel=Doel(DoelSoort.TEAM, tw.vergunningen.id), nu=VRIJDAG - timedelta(days=9))
    basis = (*als_medewerker(naam="dirk"), "terugbel", "lijst")
    basis += ("--op", "2026-10-09T15:00")
    code, out, _ = _run(capsys, *basis, "--team", "Reisdocumenten", "--json")
    data = json.loads(out)
    assert code == 0 and data["wachtrij"] == "alles" and len(data["notities"]) == 2
    assert data["notities"][0]["id"] == str(te_laat.id)
    assert data["notities"][0]["staat"] == "te_laat"
    assert data["notities"][0]["klant"] == "Johanna van den Berg"
    code, out, _ = _run(capsys, *basis, "--te-laat", "--max", "1")
    assert code == 0 and "Mijn notities: 0 notitie(s)" in out  # Dirk's own: none
    code, out, _ = _run(capsys, *basis, "--wachtrij", "team", "--te-laat", "--max", "1")
    assert code == 0 and "(er zijn er meer)" in out and "Te laat" in out
    code, _, err = _run(capsys, *basis, "--wachtrij", "alles")
    assert code == 1 and "geen rechten" in err
    code, out, _ = _run(capsys, *als_medewerker(naam="eva"), "terugbel", "lijst", "--json")
    assert code == 0 and len(json.loads(out)["notities"]) == 3  # a teamleider sees all
    code, _, err = _run(capsys, *basis, "--team", "Bestaat niet")
    assert code == 1 and "Omgevingsvergunningen, Reisdocumenten" in err
