"""The smoelenboek's use cases without a screen, on SQLite and PostgreSQL: search with a
typo, the card with today's stand-in, the behandelaar of a zaak, and doorverbinden recorded
on the active contact (refused without one, or for someone who takes no transfers)."""

# ruff: noqa: E501  (CSV rows are long by nature)

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kiss.config import DOORVERBONDEN
from kiss.db import session_scope
from kiss.models import Contactmoment, Medewerker, Zaak
from kiss.services.contact.contactmomenten import DoorverbindenGeweigerd
from kiss.services.smoelenboek.importeren import importeer
from kiss.services.smoelenboek.kaart import MedewerkerKaart, Soort
from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker
from kiss.werkplek import NieuwContact, Werkplek
from tests.factories import Wereld, bouw_wereld
from tests.werkplek.aanmelden import werkplek_voor

WOENSDAG_10_UUR = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)
MEDEWERKERS = """personeelsnummer,voornaam,voorvoegsel,achternaam,functie,afdeling,team,telefoon,mobiel,email,expertise,locatie,werkdagen,afwezig_van,afwezig_tot,afwezig_reden,vervanger,niet_doorverbinden,rollen
V1,Jan,van der,Berg,Vergunningverlener,Vergunningen,Omgeving,023-5114001,,jan@haarlem.nl,omgevingsvergunning;bouwen,Stadhuis,ma;di;wo;do,2026-06-08,2026-06-12,vakantie,V3,nee,backoffice
V2,Fatima,,El Amrani,Jurist,Vergunningen,Omgeving,023-5114002,,fatima@haarlem.nl,omgevingsvergunning;bezwaar,Zijlpoort,ma;di;wo;do;vr,,,,,ja,backoffice
V3,Piet,,Jansen,Vergunningverlener,Vergunningen,Omgeving,023-5114003,,piet@haarlem.nl,omgevingsvergunning;kapvergunning,Stadhuis,ma;di;wo;do;vr,,,,,nee,backoffice
"""


@pytest.fixture
def wereld(engine: Engine, tmp_path: Path) -> Wereld:
    wereld = bouw_wereld(engine)
    map_ = tmp_path / "sb"
    map_.mkdir()
    (map_ / "afdelingen.csv").write_text("naam,telefoon\nVergunningen,023-5115000\n")
    (map_ / "teams.csv").write_text("naam,afdeling\nOmgeving,Vergunningen\n")
    (map_ / "medewerkers.csv").write_text(MEDEWERKERS)
    (map_ / "externe_organisaties.csv").write_text("naam,telefoon,onderwerpen\nUWV,0900-9294,WW\n")
    with session_scope(engine) as session:
        assert importeer(session, map_, volledig=False).fouten == []
    SmoelenboekZoeker.voor(engine).vergeet()
    return wereld


def _agent(engine: Engine, tmp_path: Path) -> Werkplek:
    werkplek = werkplek_voor(engine, "agent", tmp_path, klok=lambda: WOENSDAG_10_UUR)
    werkplek.smoelenboek.laad_index(opnieuw=True)
    return werkplek


def _id(engine: Engine, voornaam: str) -> uuid.UUID:
    with session_scope(engine) as session:
        return session.execute(
            select(Medewerker.id).where(Medewerker.voornaam == voornaam)
        ).scalar_one()


def test_a_typo_finds_the_experts_and_the_card_names_todays_stand_in(
    engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    werkplek = _agent(engine, tmp_path)
    assert werkplek.smoelenboek.zoek("   ") == []
    namen = [t.naam for t in werkplek.smoelenboek.zoek("bouwvergunig")]
    assert "Jan van der Berg" in namen and "Fatima El Amrani" in namen
    kaart = werkplek.smoelenboek.kaart(Soort.MEDEWERKER, _id(engine, "Jan"))
    assert isinstance(kaart, MedewerkerKaart) and not kaart.aanwezigheid.aanwezig
    assert kaart.vervanger is not None and kaart.vervanger.naam == "Piet Jansen"
    behandelaar = werkplek.smoelenboek.behandelaar(_zaak(engine, wereld))
    assert behandelaar.naam == "Bram Bos"
    werkplek.smoelenboek.controleer_versheid()  # a background check: nothing to report


def _zaak(engine: Engine, wereld: Wereld) -> uuid.UUID:
    with session_scope(engine) as session:
        return session.execute(select(Zaak.id).where(Zaak.klant_id == wereld.berg.id)).scalar_one()


def test_doorverbinden_lands_on_the_active_contact(
    engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    werkplek = _agent(engine, tmp_path)
    piet = _id(engine, "Piet")
    with pytest.raises(LookupError, match="geen open contactmoment"):
        werkplek.smoelenboek.doorverbinden(Soort.MEDEWERKER, piet)
    contact = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    with pytest.raises(DoorverbindenGeweigerd):
        werkplek.smoelenboek.doorverbinden(Soort.MEDEWERKER, _id(engine, "Fatima"))
    bijgewerkt = werkplek.smoelenboek.doorverbinden(Soort.MEDEWERKER, piet)
    assert bijgewerkt.id == contact.id
    assert bijgewerkt.invoer.gespreksresultaat == DOORVERBONDEN
    with session_scope(engine) as session:
        opgeslagen = session.get(Contactmoment, contact.id)
        assert opgeslagen is not None and opgeslagen.doorverbonden_naar == "Piet Jansen"
        assert opgeslagen.doorverbonden_medewerker_id == piet
