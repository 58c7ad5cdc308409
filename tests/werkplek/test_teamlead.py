"""The teamlead's use cases without a screen, on SQLite and PostgreSQL: the afdeling's queue
review, bulk reassigning that leaves a note a colleague changed meanwhile alone, the norm
dashboard, and refusals for an agent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiss.rollen import GeenToegang
from kiss.services.rapportage.normen import Periode
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, TerugbelFouten
from kiss.werkplek import Werkplek
from tests.services.test_terugbelnotities import VRIJDAG, TerugbelWereld, maak, terugbel_wereld
from tests.werkplek.aanmelden import werkplek_voor


@pytest.fixture
def tw(engine: Engine) -> TerugbelWereld:
    return terugbel_wereld(engine)


def _als(engine: Engine, wie: str, tmp_path: Path) -> Werkplek:
    return werkplek_voor(engine, wie, tmp_path, klok=lambda: VRIJDAG)


def test_review_and_bulk_reassign_leave_a_note_a_colleague_took_alone(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    laat = maak(engine, tw, nu=VRIJDAG - timedelta(days=7))
    vers = maak(engine, tw)
    eva = _als(engine, "eva", tmp_path)
    overzicht = eva.teamlead.review()
    assert [r.id for r in overzicht.regels] == [laat.id, vers.id]  # overdue first
    versies = {r.id: r.versie for r in overzicht.regels}
    dirk = _als(engine, "dirk", tmp_path)
    dirk.terugbel.claim(vers.id)  # meanwhile
    naar = Doel(DoelSoort.TEAM, tw.vergunningen.id)
    with pytest.raises(TerugbelFouten):
        eva.teamlead.herverdeel([laat.id, vers.id], None, "Vergunning", versies)
    resultaat = eva.teamlead.herverdeel([laat.id, vers.id], naar, "Vergunning", versies)
    assert resultaat.gelukt == [laat.id] and set(resultaat.mislukt) == {vers.id}
    assert [r.id for r in eva.teamlead.review().regels] == [vers.id]


def test_the_dashboard_counts_the_period_and_an_agent_is_refused(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    maak(engine, tw)
    eva = _als(engine, "eva", tmp_path)
    dashboard = eva.teamlead.dashboard(Periode.voorinstelling("maand", VRIJDAG))
    assert dashboard.totaal.notities == 1
    dirk = _als(engine, "dirk", tmp_path)
    with pytest.raises(GeenToegang):
        dirk.teamlead.review()
    with pytest.raises(GeenToegang):
        dirk.teamlead.dashboard(Periode.voorinstelling("vandaag", VRIJDAG))
