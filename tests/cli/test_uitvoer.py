"""Output for pipes and files: ``kiss … | head`` ends quietly; a piped table is never cut."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from kiss.cli import main
from kiss.db import make_engine
from kiss.models import Medewerker
from kiss.services import audit

KISS = [sys.executable, "-c", "from kiss.cli import main; raise SystemExit(main())"]


def test_a_closed_pipe_ends_quietly(sqlite_engine: object, tmp_path: Path) -> None:
    url = str(sqlite_engine.url)  # type: ignore[attr-defined]
    engine = make_engine(url)
    with Session(engine) as session:
        wie = Medewerker(gebruikersnaam="po", achternaam="Privacy", rollen="privacy")
        session.add(wie)
        session.flush()
        for i in range(3000):
            audit.log(session, wie, audit.KLANTBEELD_GEOPEND, details=f"regel {i} " + "x" * 200)
        session.commit()
    engine.dispose()
    opdracht = " ".join(
        [f"'{a}'" for a in KISS]
        + ["--database", url, "--medewerker", "po", "audit", "export", "--van", "2020-01-01",
           "--tot", date.today().isoformat(), "--formaat", "json"]
    )  # fmt: skip
    uit = subprocess.run(
        ["sh", "-c", f"{opdracht} | head -n 1"], capture_output=True, text=True, timeout=120
    )
    assert uit.stdout.strip() == "["
    assert "Traceback" not in uit.stderr and "BrokenPipe" not in uit.stderr, uit.stderr


def test_rapport_piped_to_a_file_keeps_the_whole_table(
    sqlite_engine: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(sqlite_engine.url)  # type: ignore[attr-defined]
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(Medewerker(gebruikersnaam="tl", achternaam="Leider", rollen="teamlead"))
        session.commit()
    engine.dispose()
    assert main(["--database", url, "--medewerker", "tl", "rapport", "--periode", "maand"]) == 0
    tabel = capsys.readouterr().out
    for kop in ("gemeente", "eerste keer goed", "te laat opgevolgd", "gem. afhandeltijd"):
        assert kop in tabel
    assert "…" not in tabel


def test_a_database_that_fails_halfway_ends_in_dutch_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy.exc import OperationalError

    from kiss.cli import terugbel

    def valt_weg(_args: object) -> int:
        engine = make_engine("postgresql+psycopg://jan:GeheimWachtwoord1@127.0.0.1:1/kiss")
        with engine.connect():
            return 0

    monkeypatch.setattr(terugbel, "run_deadline", valt_weg)
    assert main(["terugbel", "deadline"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kiss: De database") and "GeheimWachtwoord1" not in err
    assert "Traceback" not in err
    assert OperationalError  # the driver error itself never reaches the user
