"""The terugbel queues' use cases without a screen, on SQLite and PostgreSQL: the default
queue, a page with the counts, pak de volgende, a colleague who was first, working a note
to the end, and the pre-filled form."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiss.models import Terugbelnotitie, TerugbelStatus
from kiss.services.terugbel.terugbelnotities import (
    AlGeclaimd,
    Doel,
    DoelSoort,
    TerugbelFouten,
    Uitkomst,
)
from kiss.services.terugbel.wachtrij import WachtrijFilter, WachtrijSoort
from kiss.werkplek import NieuwContact, Werkplek
from tests.services.test_terugbelnotities import VRIJDAG, TerugbelWereld, maak, terugbel_wereld
from tests.werkplek.aanmelden import werkplek_voor


@pytest.fixture
def tw(engine: Engine) -> TerugbelWereld:
    return terugbel_wereld(engine)


def _als(engine: Engine, wie: str, tmp_path: Path) -> Werkplek:
    return werkplek_voor(engine, wie, tmp_path, klok=lambda: VRIJDAG)


def test_the_default_queue_is_the_team_then_the_afdeling_then_my_own(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    assert _als(engine, "dirk", tmp_path).terugbel.standaard_wachtrij() == WachtrijSoort.TEAM
    assert _als(engine, "agent", tmp_path).terugbel.standaard_wachtrij() == WachtrijSoort.AFDELING
    assert _als(engine, "balie", tmp_path).terugbel.standaard_wachtrij() == WachtrijSoort.MIJN


def test_a_page_with_counts_and_a_queue_i_may_not_see(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    notitie = maak(engine, tw)
    maak(engine, tw, klant_id=tw.w.vries.id, terugbelnummer="+31 6 87654321")
    werkplek = _als(engine, "dirk", tmp_path)
    stand = werkplek.terugbel.wachtrij(WachtrijSoort.TEAM)
    assert stand.pagina is not None and len(stand.pagina.regels) == 2
    telling = stand.tellingen[WachtrijSoort.TEAM]
    assert telling is not None and telling.actief == 2
    gezocht = werkplek.terugbel.wachtrij(WachtrijSoort.TEAM, WachtrijFilter(zoektekst="0612345678"))
    assert gezocht.pagina is not None and [r.id for r in gezocht.pagina.regels] == [notitie.id]
    alles = werkplek.terugbel.wachtrij(WachtrijSoort.ALLES)  # for teamleiders only
    assert alles.pagina is None and alles.melding
    assert alles.tellingen[WachtrijSoort.ALLES] is None


def test_pak_de_volgende_takes_the_earliest_then_reports_none(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    oud = maak(engine, tw, nu=VRIJDAG.replace(day=2))
    nieuw = maak(engine, tw)
    werkplek = _als(engine, "dirk", tmp_path)
    assert werkplek.terugbel.pak_volgende(WachtrijSoort.TEAM) == oud.id
    assert werkplek.terugbel.pak_volgende(WachtrijSoort.TEAM) == nieuw.id
    assert werkplek.terugbel.pak_volgende(WachtrijSoort.TEAM) is None
    detail = werkplek.terugbel.detail(oud.id)
    assert detail.status == TerugbelStatus.IN_BEHANDELING and detail.behandelaar == "Dirk Dekker"


def test_a_colleague_was_first_then_the_note_is_worked_to_the_end(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    notitie = maak(engine, tw)
    dirk = _als(engine, "dirk", tmp_path)
    gezien = dirk.terugbel.detail(notitie.id)
    eva = _als(engine, "eva", tmp_path)
    eva.terugbel.claim(notitie.id)
    with pytest.raises(AlGeclaimd, match="Eva Smit"):
        dirk.terugbel.claim(notitie.id, gezien.versie)
    eva_ziet = eva.terugbel.detail(notitie.id, log=False)
    eva.terugbel.log_poging(notitie.id, False, "Voicemail", eva_ziet.versie)
    eva_ziet = eva.terugbel.detail(notitie.id, log=False)
    eva.terugbel.afhandelen(
        notitie.id, Uitkomst.GEHOLPEN.value, "Uitgelegd", versie=eva_ziet.versie
    )
    klaar = eva.terugbel.detail(notitie.id, log=False)
    assert klaar.status == TerugbelStatus.AFGEHANDELD
    assert [p.notitie for p in klaar.pogingen] == ["Voicemail"]


def test_reassigning_needs_a_target_and_records_the_reason(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    notitie = maak(engine, tw)
    dirk = _als(engine, "dirk", tmp_path)
    with pytest.raises(TerugbelFouten):
        dirk.terugbel.herverdeel(notitie.id, None, "Niet voor ons")
    naar = Doel(DoelSoort.TEAM, tw.vergunningen.id)
    dirk.terugbel.herverdeel(notitie.id, naar, "Gaat over een vergunning")
    detail = dirk.terugbel.detail(notitie.id, log=False)
    assert [o.reden for o in detail.overdrachten] == ["Gaat over een vergunning"]
    with dirk.lees() as session:
        opgeslagen = session.get(Terugbelnotitie, notitie.id)
        assert opgeslagen is not None and opgeslagen.toegewezen_team_id == tw.vergunningen.id


def test_the_form_is_pre_filled_from_the_active_contact_or_empty_with_the_target(
    engine: Engine, tw: TerugbelWereld, tmp_path: Path
) -> None:
    agent = _als(engine, "agent", tmp_path)
    doel = Doel(DoelSoort.MEDEWERKER, tw.backoffice.id, "Dirk Dekker")
    leeg = agent.terugbel.voorstel(None, doel)
    assert leeg.doel == doel and leeg.is_leeg and leeg.gemeente == agent.gemeente
    contact = agent.start_contact(NieuwContact("telefoon", "Zandvoort", "0612345678")).contact
    voorstel = agent.terugbel.voorstel(contact.id, doel)
    assert voorstel.doel == doel and voorstel.klant_id == tw.w.berg.id
    assert voorstel.terugbelnummer == "06-12345678" and voorstel.contactmoment_id == contact.id
