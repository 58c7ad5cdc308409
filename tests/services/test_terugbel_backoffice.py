"""Backoffice parity with ITA (issue 18, point 2), on SQLite and PostgreSQL: an attempt has a
kanaal and gelukt or not, the answer for the resident is kept apart from the internal note,
a zaak of the klant can be linked, a closed note is read-only until a teamlead reopens it
with a reason, and an afdeling's vragenset must be answered."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Auditregel, Medewerker, TerugbelStatus, Zaak
from kiss.rollen import GeenToegang
from kiss.services.terugbel import terugbelnotities as tb
from kiss.services.terugbel import vragenset
from kiss.services.terugbel.terugbelnotities import (
    AlGewijzigd,
    Doel,
    DoelSoort,
    OngeldigeActie,
    TerugbelFouten,
    TerugbelInvoer,
)
from tests.factories import Wereld, bouw_wereld

NU = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def _met_rol(engine: Engine, medewerker: Medewerker, rollen: str) -> Medewerker:
    with session_scope(engine) as session:
        opgeslagen = session.get(Medewerker, medewerker.id)
        assert opgeslagen is not None
        opgeslagen.rollen = rollen
    return replace_rollen(medewerker, rollen)


def replace_rollen(medewerker: Medewerker, rollen: str) -> Medewerker:
    kopie = Medewerker.model_validate(medewerker.model_dump())
    kopie.rollen = rollen
    return kopie


def _notitie(engine: Engine, wereld: Wereld, **velden: object) -> tb.Terugbelnotitie:
    invoer = TerugbelInvoer(
        doel=Doel(DoelSoort.AFDELING, wereld.burgerzaken.id, "Burgerzaken"),
        terugbelnummer="0612345678",
        vraag="Wanneer wordt mijn container geleegd?",
        klant_id=wereld.berg.id,
    )
    with session_scope(engine) as session:
        return tb.maak_terugbelnotitie(
            session, wereld.agent, replace(invoer, **velden), NU, Settings()
        )


def test_attempts_have_a_kanaal_and_the_answer_for_the_resident_is_kept_apart(
    engine: Engine,
) -> None:
    wereld = bouw_wereld(engine)
    notitie = _notitie(engine, wereld)
    with session_scope(engine) as session:
        tb.log_poging(
            session, wereld.collega, notitie.id, False, "voicemail", NU, kanaal="telefoon"
        )
        tb.log_poging(
            session, wereld.collega, notitie.id, True, "", NU + timedelta(hours=1), kanaal="e-mail"
        )
        tb.afhandelen(
            session,
            wereld.collega,
            notitie.id,
            tb.Uitkomst.GEHOLPEN,
            "Container stond op de verkeerde route.",
            NU + timedelta(hours=2),
            informatie_klant="Uw container wordt donderdag geleegd.",
        )
    with session_scope(engine) as session:
        detail = tb.detail(session, wereld.collega, notitie.id, log=False)
    assert [(p.kanaal, p.bereikt) for p in detail.pogingen] == [
        ("telefoon", False),
        ("e-mail", True),
    ]
    assert detail.informatie_klant == "Uw container wordt donderdag geleegd."
    assert detail.uitkomst_toelichting == "Container stond op de verkeerde route."
    assert detail.alleen_lezen


def test_a_closed_note_is_read_only_until_a_teamlead_reopens_it_with_a_reason(
    engine: Engine,
) -> None:
    wereld = bouw_wereld(engine)
    notitie = _notitie(engine, wereld)
    with session_scope(engine) as session:
        tb.afhandelen(session, wereld.collega, notitie.id, tb.Uitkomst.GEHOLPEN, "", NU)
    for actie in (
        lambda s: tb.log_poging(s, wereld.collega, notitie.id, True, "", NU),
        lambda s: tb.koppel_zaak(s, wereld.collega, notitie.id, None),
        lambda s: tb.afhandelen(s, wereld.collega, notitie.id, tb.Uitkomst.GEHOLPEN, "", NU),
    ):
        with pytest.raises((AlGewijzigd, OngeldigeActie)), session_scope(engine) as session:
            actie(session)
    with pytest.raises(GeenToegang), session_scope(engine) as session:
        tb.heropen(session, wereld.agent, notitie.id, "klant belde opnieuw", NU)
    teamlead = _met_rol(engine, wereld.collega, "kcc;teamlead")
    with pytest.raises(TerugbelFouten) as fout, session_scope(engine) as session:
        tb.heropen(session, teamlead, notitie.id, "  ", NU)
    assert "waarom" in fout.value.fouten["reden"]
    with session_scope(engine) as session:
        tb.heropen(session, teamlead, notitie.id, "Klant belde: container niet geleegd.", NU)
    with session_scope(engine) as session:
        detail = tb.detail(session, teamlead, notitie.id, log=False)
        acties = list(session.execute(select(Auditregel.actie)).scalars())
    assert detail.status == TerugbelStatus.OPEN and detail.afgehandeld_op is None
    assert not detail.alleen_lezen
    assert "container niet geleegd" in detail.overdrachten[-1].reden
    assert "Heropend" in detail.overdrachten[-1].reden
    assert tb.HEROPEND in acties
    with pytest.raises(OngeldigeActie), session_scope(engine) as session:
        tb.heropen(session, teamlead, notitie.id, "nog eens", NU)


def test_only_a_zaak_of_the_notes_klant_can_be_linked(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    notitie = _notitie(engine, wereld)
    with Session(engine) as session:
        eigen = session.execute(select(Zaak.id).where(Zaak.klant_id == wereld.berg.id)).scalar_one()
        vreemd = Zaak(
            identificatie="ZAAK-X",
            klant_id=wereld.vries.id,
            zaaktype="Melding",
            status="nieuw",
            startdatum=NU.date(),
        )
        session.add(vreemd)
        session.commit()
        vreemd_id = vreemd.id
    with pytest.raises(TerugbelFouten), session_scope(engine) as session:
        tb.koppel_zaak(session, wereld.collega, notitie.id, vreemd_id)
    with session_scope(engine) as session:
        tb.koppel_zaak(session, wereld.collega, notitie.id, eigen)
    with session_scope(engine) as session:
        detail = tb.detail(session, wereld.collega, notitie.id, log=False)
    assert detail.zaak_id == eigen and "ZAAK-2026-0000001" in detail.zaak


def test_an_afdelings_vragenset_must_be_answered(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    vragen = [
        {"label": "Adres van de container", "soort": "kort", "verplicht": True},
        {"label": "Soort container", "soort": "keuze", "keuzes": ["rest", "gft", "papier"]},
        {"label": "Eerder gemeld", "soort": "vinkje"},
    ]
    with pytest.raises(GeenToegang), session_scope(engine) as session:
        vragenset.zet(session, wereld.agent, afdeling_id=wereld.burgerzaken.id, vragen=vragen)
    beheerder = _met_rol(engine, wereld.privacy, "beheerder")
    with (
        pytest.raises(vragenset.VragensetFout, match="twee keuzes"),
        session_scope(engine) as session,
    ):
        vragenset.zet(
            session,
            beheerder,
            afdeling_id=wereld.burgerzaken.id,
            vragen=[{"label": "Soort", "soort": "keuze", "keuzes": ["een"]}],
        )
    with session_scope(engine) as session:
        vragenset.zet(session, beheerder, afdeling_id=wereld.burgerzaken.id, vragen=vragen)

    with pytest.raises(TerugbelFouten) as fout:
        _notitie(engine, wereld, antwoorden={"Soort container": "plastic"})
    assert "Vul 'Adres van de container' in" in fout.value.fouten["antwoord:Adres van de container"]
    assert "een van de keuzes" in fout.value.fouten["antwoord:Soort container"]
    # a note to a team of that afdeling gets the afdeling's questions too
    with pytest.raises(TerugbelFouten), session_scope(engine) as session:
        tb.maak_terugbelnotitie(
            session,
            wereld.agent,
            TerugbelInvoer(
                doel=Doel(DoelSoort.TEAM, wereld.team.id, "Reisdocumenten"),
                terugbelnummer="0612345678",
                vraag="Container?",
            ),
            NU,
            Settings(),
        )
    notitie = _notitie(
        engine,
        wereld,
        antwoorden={
            "Adres van de container": "Zijlweg 12",
            "Soort container": "gft",
            "Eerder gemeld": True,
        },
    )
    with session_scope(engine) as session:
        detail = tb.detail(session, wereld.agent, notitie.id, log=False)
    assert detail.antwoorden == (
        ("Adres van de container", "Zijlweg 12"),
        ("Soort container", "gft"),
        ("Eerder gemeld", "ja"),
    )
