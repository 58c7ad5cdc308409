"""A running ``kiss dienst`` follows a beheerder's change of the organisation's settings without
a restart: today a closing day, the daily reminder of late terugbelnotities waits; the
beheerder switches the servicenorm to calendar days, and the reminder is planned within seconds.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from kiss.config import Organisatie, ServicenormInstelling
from kiss.db import read_scope, session_scope
from kiss.models import Medewerker
from kiss.models.uitgaand import Uitgaand
from kiss.services.beheer import instellingen
from kiss.weergave import AMSTERDAM
from tests.dienst.conftest import start_dienst
from tests.dienst.test_meldingen import _mailboxen, _notitie
from tests.factories import Wereld


def _herinneringen(engine: Engine) -> list[str]:
    with read_scope(engine) as session:
        return list(
            session.execute(
                select(Uitgaand.sleutel).where(
                    Uitgaand.sleutel.startswith("mail:herinnering:")  # type: ignore[attr-defined]
                )
            ).scalars()
        )


def _bewaar(engine: Engine, beheerder: Medewerker, org: Organisatie) -> int:
    with session_scope(engine) as session:
        return instellingen.bewaar(session, beheerder, org, nu=datetime.now(AMSTERDAM)).versie


def test_the_running_dienst_plans_with_the_servicenorm_a_beheerder_just_saved(
    database_url: str, engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        beheerder = Medewerker(gebruikersnaam="beheer", achternaam="Heer", rollen="beheerder")
        session.add(beheerder)
        session.flush()
        session.expunge(beheerder)
    _mailboxen(engine, wereld)
    nu = datetime.now(AMSTERDAM)
    _notitie(engine, wereld, nu - timedelta(days=6))  # long overdue
    vandaag = nu.date()
    gesloten = Organisatie(
        servicenorm=ServicenormInstelling(
            extra_sluitingsdagen=(vandaag, vandaag + timedelta(days=1))  # and past midnight
        )
    )
    _bewaar(engine, beheerder, gesloten)
    lopend = start_dienst(database_url, tmp_path, KISS_MAIL_HERINNERING="00:00")
    try:
        time.sleep(2.0)  # many rounds of the planner (every 0.2 s): a closed day, no reminder
        assert _herinneringen(engine) == []
        open_ = replace(gesloten, servicenorm=ServicenormInstelling(soort="kalender"))
        assert _bewaar(engine, beheerder, open_) == 2
        begin = time.monotonic()
        while not _herinneringen(engine) and time.monotonic() - begin < 15:
            time.sleep(0.1)
        duur = time.monotonic() - begin
    finally:
        assert lopend.stop() == 0, (tmp_path / "dienst.log").read_text()
    (sleutel,) = _herinneringen(engine)
    assert sleutel.endswith(":reisdoc@gemeente.test")
    assert duur < 2.0 + 1.0, duur  # the desks' check every 2 s, plus one planner round
    log = (tmp_path / "dienst.log").read_text()
    assert "instellingen van de organisatie bijgewerkt (versie 2)" in log
