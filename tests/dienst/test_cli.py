"""``kiss dienst status`` and ``kiss dienst gemist`` for the beheerder and the teamlead."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from kiss.cli import main
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Medewerker
from kiss.services import uitgaand
from kiss.services.telefonie import cti, dienststatus, oproepen
from tests.factories import bouw_wereld


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    uit = capsys.readouterr()
    return code, uit.out, uit.err


def test_status_and_missed_calls(sqlite_engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sqlite_engine.url.database)
    bouw_wereld(sqlite_engine)
    code, out, _ = _run(capsys, "--database", db, "dienst", "status")
    assert code == 1 and "nog nooit gedraaid" in out
    nu = datetime.now(UTC)
    with session_scope(sqlite_engine) as session:
        dienststatus.gestart(session, nu)
        session.add(Medewerker(gebruikersnaam="lead", achternaam="Leider", rollen="teamlead"))
        uitgaand.plaats(session, soort="mail", sleutel="m1", groep="m1", payload={})
        for melding in (
            {"event": "newCall", "callId": "g1", "from": "0612345678", "queue": "KCC"},
            {"event": "hangup", "callId": "g1", "cause": "cancel"},
        ):
            oproepen.verwerk(session, cti.lees(melding), settings=Settings(), nu=nu)
    code, out, _ = _run(capsys, "--database", db, "dienst", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["draait"] and status["mail"]["wachtend"] == 1
    code, out, err = _run(capsys, "--database", db, "--medewerker", "agent", "dienst", "gemist")
    assert code == 2 and "geen rechten" in err
    code, out, _ = _run(capsys, "--database", db, "--medewerker", "lead", "dienst", "gemist",
                        "--json")  # fmt: skip
    assert [(r["nummer"], r["wachtrij"], r["oorzaak"]) for r in json.loads(out)] == [
        ("0612345678", "KCC", "cancel")
    ]
    with session_scope(sqlite_engine) as session:
        dienststatus.gestopt(session, nu + timedelta(seconds=1))
    code, out, _ = _run(capsys, "--database", db, "dienst", "status")
    assert code == 1 and "draait NIET" in out
