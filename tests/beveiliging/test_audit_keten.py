"""The audit trail is a hash chain: a row changed, removed or slipped in behind KISS's back
is found by ``kiss audit controleer``, on both backends."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from kiss.cli import main
from kiss.db import session_scope
from kiss.models import Medewerker
from kiss.services import audit


def _vul(engine: Engine, aantal: int = 5) -> list[int]:
    with session_scope(engine) as session:
        wie = Medewerker(gebruikersnaam="kijker", achternaam="Kijker")
        session.add(wie)
        session.flush()
        for i in range(aantal):
            audit.log(session, wie, audit.KLANTBEELD_GEOPEND, details=f"klant {i}")
    with session_scope(engine) as session:  # a second transaction continues the chain
        audit.log(session, None, "systeem", details="nog een")
    return list(range(1, aantal + 2))


def test_intact_chain_is_reported_in_order(
    engine: Engine, als_medewerker: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _vul(engine)
    privacy = als_medewerker("privacy")
    assert main([*privacy, "audit", "controleer"]) == 0
    assert "Audittrail in orde: 6 regels gecontroleerd (regel 1 t/m 6)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("knoeien", "verwacht"),
    [
        ("UPDATE auditregel SET details = 'niets gezien' WHERE volgnummer = 3", "3"),
        ("DELETE FROM auditregel WHERE volgnummer = 4", "4"),
        ("UPDATE auditregel SET moment = moment - interval '1 day' WHERE volgnummer = 2", "2"),
    ],
    ids=["gewijzigd", "verwijderd", "tijd verschoven"],
)
def test_a_row_changed_in_the_database_is_named(
    engine: Engine,
    als_medewerker: Callable[..., list[str]],
    capsys: pytest.CaptureFixture[str],
    knoeien: str,
    verwacht: str,
) -> None:
    _vul(engine)
    if engine.dialect.name == "sqlite":
        knoeien = knoeien.replace("moment - interval '1 day'", "datetime(moment, '-1 day')")
    with engine.begin() as conn:
        conn.execute(text(knoeien))
    privacy = als_medewerker("privacy")
    assert main([*privacy, "audit", "controleer", "--json"]) == 1
    uitkomst = json.loads(capsys.readouterr().out)
    assert not uitkomst["in_orde"] and uitkomst["gebroken_volgnummer"] is not None
    assert f"Auditregel {verwacht}" in uitkomst["fout"]


def test_export_for_the_privacy_officer(
    engine: Engine, als_medewerker: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    _vul(engine, 2)
    privacy = als_medewerker("privacy")
    vandaag = date.today().isoformat()
    assert main([*privacy, "audit", "export", "--van", vandaag, "--tot", vandaag]) == 0
    rijen = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["details"] for r in rijen[:3]] == ["klant 0", "klant 1", "nog een"]
    assert rijen[0]["medewerker"].startswith("Kijker") and len(rijen[0]["hash"]) == 64
    assert main([*privacy, "audit", "export", "--van", vandaag, "--tot", vandaag,
                 "--formaat", "json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data[-1]["actie"] == "audit_geexporteerd"  # the first export is itself audited


def test_simultaneous_agents_form_one_unbroken_chain(engine: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import func, select
    from sqlmodel import Session

    from kiss.models import Auditregel

    def schrijf(nummer: int) -> None:
        for i in range(15):
            with session_scope(engine) as session:
                audit.log(session, None, audit.KLANTBEELD_GEOPEND, details=f"{nummer}-{i}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(schrijf, range(4)))
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Auditregel)).scalar_one() == 60
        uitkomst = audit.controleer(session)
    assert uitkomst.in_orde, uitkomst.fout
    assert (uitkomst.eerste, uitkomst.laatste) == (1, 60)
