"""Smoelenboek cards and doorverbinden on the open contactmoment (both backends)."""
# ruff: noqa: E501  (CSV fixture rows are long by nature)

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.config import DOORVERBONDEN, Settings
from kiss.db import session_scope
from kiss.models import Auditregel, Contactmoment, ExterneOrganisatie, Medewerker, Team, Zaak
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import DoorverbindenGeweigerd
from kiss.services.smoelenboek.aanwezigheid import Status
from kiss.services.smoelenboek.importeren import importeer
from kiss.services.smoelenboek.kaart import (
    NietInSmoelenboek,
    Soort,
    behandelaar_van_zaak,
    eenheid_kaart,
    medewerker_kaart,
)
from tests.factories import Wereld, bouw_wereld

WOENSDAG = date(2026, 6, 10)
NU = datetime(2026, 6, 10, 9, 30, tzinfo=UTC)

MEDEWERKERS = """personeelsnummer,voornaam,voorvoegsel,achternaam,functie,afdeling,team,telefoon,mobiel,email,expertise,locatie,werkdagen,afwezig_van,afwezig_tot,afwezig_reden,vervanger,niet_doorverbinden,rollen
V1,Jan,van der,Berg,Vergunningverlener,Vergunningen,Omgeving,023-5114001,06-11112222,jan@haarlem.nl,omgevingsvergunning;bouwen,Stadhuis,ma;di;wo;do,2026-06-08,2026-06-12,vakantie,V2,nee,backoffice
V2,Fatima,,El Amrani,Jurist,Vergunningen,Omgeving,023-5114002,,fatima@haarlem.nl,bezwaar,Zijlpoort,ma;di;wo;do;vr,2026-06-10,2026-06-10,cursus,V3,nee,backoffice
V3,Piet,,Jansen,Vergunningverlener,Vergunningen,,023-5114003,,piet@haarlem.nl,omgevingsvergunning,Stadhuis,ma;di;wo;do;vr,,,,V1,nee,backoffice
V4,Els,,Smit,Wethoudersecretaris,Vergunningen,,023-5114004,,els@haarlem.nl,,Stadhuis,ma;di;wo;do;vr,,,,,ja,backoffice
"""


def _smoelenboek(engine: Engine, tmp_path: Path) -> dict[str, Medewerker]:
    map_ = tmp_path / "sb"
    map_.mkdir()
    (map_ / "afdelingen.csv").write_text(
        "naam,telefoon,openingstijden,omschrijving\n"
        "Vergunningen,023-5115000,ma-vr 9-16,Omgevingsvergunningen\n"
    )
    (map_ / "teams.csv").write_text("naam,afdeling,telefoon\nOmgeving,Vergunningen,023 511 5100\n")
    (map_ / "medewerkers.csv").write_text(MEDEWERKERS)
    (map_ / "externe_organisaties.csv").write_text(
        "naam,telefoon,website,openingstijden,onderwerpen\n"
        "UWV,0900-9294,https://uwv.nl,ma-vr 8-17,WW;ziektewet\n"
    )
    with session_scope(engine) as session:
        verslag = importeer(session, map_, volledig=False)
    assert verslag.fouten == [], [str(f) for f in verslag.fouten]
    with Session(engine) as session:
        return {
            m.personeelsnummer: m
            for m in session.execute(select(Medewerker)).scalars()
            if m.personeelsnummer
        }


def test_card_of_an_absent_expert_offers_the_first_present_vervanger(
    engine: Engine, tmp_path: Path
) -> None:
    mw = _smoelenboek(engine, tmp_path)
    with Session(engine) as session:
        kaart = medewerker_kaart(session, mw["V1"].id, WOENSDAG)
    assert kaart.naam == "Jan van der Berg" and kaart.functie == "Vergunningverlener"
    assert kaart.telefoon == "023 511 4001" and kaart.mobiel == "06 11112222"
    assert (kaart.afdeling, kaart.team) == ("Vergunningen", "Omgeving")
    assert kaart.werkdagen == "ma, di, wo, do" and kaart.locatie == "Stadhuis"
    assert kaart.expertise == ["omgevingsvergunning", "bouwen"]
    assert kaart.aanwezigheid.status == Status.AFWEZIG
    assert "vakantie" in kaart.aanwezigheid.tekst
    # V2 (the vaste vervanger) is on a course today; V3 is in
    assert kaart.vaste_vervanger is not None and kaart.vaste_vervanger.naam == "Fatima El Amrani"
    assert kaart.vervanger is not None and kaart.vervanger.naam == "Piet Jansen"
    assert kaart.vervanger.aanwezigheid.aanwezig
    assert [o.naam for o in kaart.overgeslagen] == ["Fatima El Amrani"]
    with Session(engine) as session:
        aanwezig = medewerker_kaart(session, mw["V3"].id, WOENSDAG)
    assert aanwezig.aanwezigheid.aanwezig and aanwezig.vervanger is None


def test_unit_and_organisation_cards(engine: Engine, tmp_path: Path) -> None:
    _smoelenboek(engine, tmp_path)
    with Session(engine) as session:
        uwv = session.execute(
            select(ExterneOrganisatie).where(ExterneOrganisatie.naam == "UWV")
        ).scalar_one()
        team = session.execute(select(Team)).scalar_one()
        org_kaart = eenheid_kaart(session, Soort.ORGANISATIE, uwv.id)
        team_kaart = eenheid_kaart(session, Soort.TEAM, team.id)
        afdeling_kaart = eenheid_kaart(session, Soort.AFDELING, team.afdeling_id)
    assert org_kaart.telefoon == "0900 9294" and org_kaart.onderwerpen == ["WW", "ziektewet"]
    assert team_kaart.afdeling == "Vergunningen" and team_kaart.telefoon == "023 511 5100"
    assert afdeling_kaart.omschrijving == "Omgevingsvergunningen"
    with Session(engine) as session, pytest.raises(NietInSmoelenboek):
        eenheid_kaart(session, Soort.TEAM, uwv.id)


def _contact(engine: Engine, wereld: Wereld) -> Contactmoment:
    with session_scope(engine) as session:
        return contactmomenten.start(
            session,
            wereld.agent,
            kanaal="telefoon",
            gemeente="Haarlem",
            settings=Settings(),
            klant_id=wereld.berg.id,
            nu=NU,
        )


def test_doorverbinden_records_the_transfer_on_the_open_contactmoment(
    engine: Engine, tmp_path: Path
) -> None:
    wereld = bouw_wereld(engine)
    mw = _smoelenboek(engine, tmp_path)
    contact = _contact(engine, wereld)
    with session_scope(engine) as session:
        samenvatting = contactmomenten.doorverbind(
            session, wereld.agent, contact.id, naar_medewerker_id=mw["V3"].id, nu=NU
        )
    assert samenvatting.gespreksresultaat == DOORVERBONDEN
    assert samenvatting.afdeling_id == mw["V3"].afdeling_id
    with Session(engine) as session:
        opgeslagen = session.get(Contactmoment, contact.id)
        assert opgeslagen is not None
        assert opgeslagen.doorverbonden_naar == "Piet Jansen"
        assert opgeslagen.doorverbonden_medewerker_id == mw["V3"].id
        assert opgeslagen.gespreksresultaat == DOORVERBONDEN
        audit = session.execute(
            select(Auditregel).where(Auditregel.actie == "contactmoment_doorverbonden")
        ).scalar_one()
        assert audit.medewerker_id == wereld.agent.id and audit.klant_id == wereld.berg.id
        assert audit.details == "doorverbonden naar Piet Jansen"

    with Session(engine) as session:
        uwv = session.execute(select(ExterneOrganisatie)).scalar_one()
    with session_scope(engine) as session:
        contactmomenten.doorverbind(session, wereld.agent, contact.id, naar_organisatie_id=uwv.id)
    with Session(engine) as session:
        opgeslagen = session.get(Contactmoment, contact.id)
        assert opgeslagen is not None and opgeslagen.doorverbonden_naar == "UWV"
        assert opgeslagen.doorverbonden_medewerker_id is None


def test_doorverbinden_is_refused_for_niet_doorverbinden_and_departed_colleagues(
    engine: Engine, tmp_path: Path
) -> None:
    wereld = bouw_wereld(engine)
    mw = _smoelenboek(engine, tmp_path)
    contact = _contact(engine, wereld)
    with (
        session_scope(engine) as session,
        pytest.raises(DoorverbindenGeweigerd, match="Els Smit wil niet doorverbonden worden"),
    ):
        contactmomenten.doorverbind(
            session, wereld.agent, contact.id, naar_medewerker_id=mw["V4"].id
        )
    with session_scope(engine) as session:
        vertrokken = session.get(Medewerker, mw["V3"].id)
        assert vertrokken is not None
        vertrokken.actief = False
    with session_scope(engine) as session, pytest.raises(DoorverbindenGeweigerd, match="dienst"):
        contactmomenten.doorverbind(
            session, wereld.agent, contact.id, naar_medewerker_id=mw["V3"].id
        )
    with Session(engine) as session:
        opgeslagen = session.get(Contactmoment, contact.id)
        assert opgeslagen is not None and opgeslagen.gespreksresultaat == ""


def test_doorverbinden_on_a_closed_contactmoment_is_refused(engine: Engine, tmp_path: Path) -> None:
    wereld = bouw_wereld(engine)
    mw = _smoelenboek(engine, tmp_path)
    contact = _contact(engine, wereld)
    with session_scope(engine) as session:
        contactmomenten.rond_af(
            session,
            wereld.agent,
            contact.id,
            contactmomenten.ContactInvoer(
                onderwerp="Vraag", gespreksresultaat="afgehandeld", afdeling_id=mw["V3"].afdeling_id
            ),
            Settings(),
        )
    with session_scope(engine) as session, pytest.raises(contactmomenten.AlAfgerond):
        contactmomenten.doorverbind(
            session, wereld.agent, contact.id, naar_medewerker_id=mw["V3"].id
        )


def test_behandelaar_of_a_zaak(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    with Session(engine) as session:
        zaak = session.execute(select(Zaak)).scalar_one()
        assert behandelaar_van_zaak(session, zaak.id) == wereld.collega.id
        kaart = medewerker_kaart(session, wereld.collega.id, WOENSDAG)
    assert kaart.naam == "Bram Bos" and kaart.aanwezigheid.status == Status.AANWEZIG
