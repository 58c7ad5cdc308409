"""Smoelenboek search through the shared search core: names with typos and particles,
expertise (with synonyms), afdeling/team, function, phone numbers in any notation, outside
organisations, presence with the vervanger offered first, and freshness after edits."""

# ruff: noqa: E501  (CSV fixture rows are long by nature)

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Medewerker, utcnow
from kiss.services.smoelenboek.aanwezigheid import Status
from kiss.services.smoelenboek.importeren import importeer
from kiss.services.smoelenboek.kaart import Soort
from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker, Treffer, kern_van_vraag

WOENSDAG = date(2026, 6, 10)

AFDELINGEN = """naam,telefoon,email,openingstijden,omschrijving
Vergunningen,023-5115000,,ma-vr 9-16,Omgevingsvergunningen en evenementen
Publiekszaken,14 023,,ma-vr 9-17,Paspoorten en verhuizingen
Werk en Inkomen,023 511 6000,,ma-vr 9-17,Bijstand en schuldhulp
"""
TEAMS = """naam,afdeling,telefoon,email
Omgeving,Vergunningen,023 511 5100,
Markt en Evenementen,Vergunningen,023 511 5200,
Reisdocumenten,Publiekszaken,,
"""
MEDEWERKERS = """personeelsnummer,voornaam,voorvoegsel,achternaam,functie,afdeling,team,telefoon,mobiel,email,expertise,locatie,werkdagen,afwezig_van,afwezig_tot,afwezig_reden,vervanger,niet_doorverbinden,rollen
V1,Jan,van der,Berg,Vergunningverlener,Vergunningen,Omgeving,023-5114001,06-11112222,jan@haarlem.nl,omgevingsvergunning;bouwen;verbouwing,Stadhuis,ma;di;wo;do,2026-06-08,2026-06-12,vakantie,V3,nee,backoffice
V2,Fatima,,El Amrani,Jurist,Vergunningen,Omgeving,023-5114002,,fatima@haarlem.nl,bezwaar;omgevingsvergunning,Zijlpoort,ma;di;wo;do;vr,,,,,ja,backoffice
V3,Piet,,Jansen,Vergunningverlener,Vergunningen,Omgeving,023-5114003,,piet@haarlem.nl,omgevingsvergunning;kapvergunning,Stadhuis,ma;di;wo;do;vr,,,,,nee,backoffice
V4,Sanne,de,Vries,Marktmeester,Vergunningen,Markt en Evenementen,023-5114004,06-33334444,sanne@haarlem.nl,standplaatsvergunning;markt;evenementenvergunning,Stadhuis,ma;di;wo;do;vr,,,,,nee,backoffice
V5,Bram,,Bos,Baliemedewerker,Publiekszaken,Reisdocumenten,023-5114005,,bram@haarlem.nl,paspoort;rijbewijs;identiteitskaart,Stadhuis,ma;di;wo;do;vr,,,,,nee,kcc
V6,Zoë,,Çelik,Consulent werk en inkomen,Werk en Inkomen,,023-5114006,,zoe@haarlem.nl,bijstand;schuldhulpverlening,Raakspoort,ma;wo;vr,,,,,nee,backoffice
V7,Kees,van den,Bergh,Jurist,Publiekszaken,,023-5114007,,kees@haarlem.nl,naturalisatie,Stadhuis,ma;di;wo;do;vr,,,,,nee,backoffice
"""
ORGANISATIES = """naam,telefoon,website,openingstijden,onderwerpen
UWV,0900-9294,https://uwv.nl,ma-vr 8-17,WW;ziektewet;WIA
SVB,030 264 9000,https://svb.nl,ma-vr 8-17,AOW;kinderbijslag
Informatiepunt Digitale Overheid,0800-0000,,ma-vr 9-17,DigiD;digitale overheid
"""


@pytest.fixture
def zoeker(engine: Engine, tmp_path: Path) -> SmoelenboekZoeker:
    map_ = tmp_path / "sb"
    map_.mkdir()
    for naam, tekst in (
        ("afdelingen.csv", AFDELINGEN),
        ("teams.csv", TEAMS),
        ("medewerkers.csv", MEDEWERKERS),
        ("externe_organisaties.csv", ORGANISATIES),
    ):
        (map_ / naam).write_text(tekst)
    with session_scope(engine) as session:
        verslag = importeer(session, map_)
    assert verslag.fouten == [], [str(f) for f in verslag.fouten]
    return SmoelenboekZoeker(engine, controle_interval=0.0)


def _namen(treffers: list[Treffer]) -> list[str]:
    return [t.naam for t in treffers]


def _zoek(zoeker: SmoelenboekZoeker, tekst: str, **kwargs: object) -> list[Treffer]:
    return zoeker.zoek(tekst, WOENSDAG, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "tekst",
    ["van der Berg", "Berg, van der", "jan van der berg", "vd berg", "Jan Berg", "van der Bergg"],
)
def test_name_with_particles_and_typos(zoeker: SmoelenboekZoeker, tekst: str) -> None:
    namen = _namen(_zoek(zoeker, tekst))
    assert "Jan van der Berg" in namen[:3], namen


def test_typo_in_a_longer_name(zoeker: SmoelenboekZoeker) -> None:
    assert _namen(_zoek(zoeker, "Fatima El Amrnai"))[0] == "Fatima El Amrani"
    assert "Piet Jansen" in _namen(_zoek(zoeker, "jnasen"))[:2]  # two letters swapped


def test_diacritics_are_folded(zoeker: SmoelenboekZoeker) -> None:
    assert _namen(_zoek(zoeker, "zoe celik"))[0] == "Zoë Çelik"
    assert _namen(_zoek(zoeker, "Çelik"))[0] == "Zoë Çelik"


def test_expertise_question_in_plain_dutch(zoeker: SmoelenboekZoeker) -> None:
    assert kern_van_vraag("wie weet iets van standplaatsvergunning?") == "standplaatsvergunning"
    assert kern_van_vraag("Wie gaat over de markt") == "de markt"
    assert kern_van_vraag("van der Berg") == "van der Berg"
    treffers = _zoek(zoeker, "wie weet iets van standplaatsvergunning")
    assert treffers[0].naam == "Sanne de Vries"


def test_typo_and_synonym_find_the_omgevingsvergunning_experts(zoeker: SmoelenboekZoeker) -> None:
    for tekst in ("bouwvergunig", "bouwvergunning", "omgevingsvergunning", "omgevingsverg"):
        namen = _namen(_zoek(zoeker, tekst, soort=Soort.MEDEWERKER))
        assert {"Piet Jansen", "Fatima El Amrani", "Jan van der Berg"} <= set(namen[:4]), (
            tekst,
            namen,
        )


def test_absent_expert_comes_with_the_vervanger_offered_first(zoeker: SmoelenboekZoeker) -> None:
    treffers = _zoek(zoeker, "van der Berg")
    jan = next(t for t in treffers if t.naam == "Jan van der Berg")
    assert jan.aanwezigheid is not None and jan.aanwezigheid.status == Status.AFWEZIG
    assert "vakantie" in jan.aanwezigheid.tekst
    assert jan.vervanger is not None and jan.vervanger.naam == "Piet Jansen"
    positie = treffers.index(jan)
    assert positie > 0 and treffers[positie - 1].naam == "Piet Jansen"
    assert treffers[positie - 1].vervangt == "Jan van der Berg"
    assert sum(1 for t in treffers if t.naam == "Piet Jansen") == 1
    fatima = next(t for t in _zoek(zoeker, "El Amrani") if t.naam == "Fatima El Amrani")
    assert fatima.niet_doorverbinden and fatima.aanwezigheid is not None
    assert fatima.aanwezigheid.aanwezig


def test_afdeling_team_and_function(zoeker: SmoelenboekZoeker) -> None:
    treffers = _zoek(zoeker, "Vergunningen")
    assert treffers[0].soort == Soort.AFDELING and treffers[0].naam == "Vergunningen"
    assert "Markt en Evenementen" in _namen(_zoek(zoeker, "markt en evenementen"))[:2]
    juristen = _namen(_zoek(zoeker, "jurist", soort=Soort.MEDEWERKER))
    assert set(juristen[:2]) == {"Fatima El Amrani", "Kees van den Bergh"}


@pytest.mark.parametrize(
    "nummer", ["023-5114001", "+31 23 511 4001", "0031235114001", "(023) 511 40 01", "0235114001"]
)
def test_phone_number_in_any_notation(zoeker: SmoelenboekZoeker, nummer: str) -> None:
    treffers = _zoek(zoeker, nummer)
    assert _namen(treffers)[:1] == ["Jan van der Berg"] or (
        treffers[0].vervangt and treffers[1].naam == "Jan van der Berg"
    )
    assert all(t.gevonden_op in ("telefoon", "vervanger") for t in treffers)


def test_mobile_extension_and_general_numbers(zoeker: SmoelenboekZoeker) -> None:
    assert "Sanne de Vries" in _namen(_zoek(zoeker, "06 3333 4444"))
    assert _namen(_zoek(zoeker, "4004")) == ["Sanne de Vries"]  # the extension
    assert _namen(_zoek(zoeker, "023 511 5000")) == ["Vergunningen"]
    assert _namen(_zoek(zoeker, "023-5115100")) == ["Omgeving"]
    assert _namen(_zoek(zoeker, "14 023")) == ["Publiekszaken"]
    assert _namen(_zoek(zoeker, "0900 92 94")) == ["UWV"]
    half = _namen(_zoek(zoeker, "023 511 40"))  # still typing: every number that starts so
    assert "Sanne de Vries" in half and "Vergunningen" not in half


def test_outside_organisations_and_what_they_handle(zoeker: SmoelenboekZoeker) -> None:
    svb = _zoek(zoeker, "kinderbijslag")[0]
    assert svb.soort == Soort.ORGANISATIE and svb.naam == "SVB"
    assert "kinderbijslag" in svb.omschrijving and svb.aanwezigheid is None
    assert _zoek(zoeker, "uwv")[0].naam == "UWV"
    assert _zoek(zoeker, "digid")[0].naam == "Informatiepunt Digitale Overheid"


def test_edits_are_found_without_a_restart(zoeker: SmoelenboekZoeker, engine: Engine) -> None:
    assert "Bram Bos" not in _namen(_zoek(zoeker, "parkeervergunning"))
    with session_scope(engine) as session:
        bram = session.execute(select(Medewerker).where(Medewerker.voornaam == "Bram")).scalar_one()
        bram.expertise += ";parkeervergunning"
        bram.gewijzigd_op = utcnow()
        kees = session.execute(select(Medewerker).where(Medewerker.voornaam == "Kees")).scalar_one()
        kees.actief = False
        kees.gewijzigd_op = utcnow()
        session.add(
            Medewerker(
                personeelsnummer="V9",
                voornaam="Noor",
                achternaam="Visser",
                functie="Parkeercontroleur",
                telefoon="023-5114009",
                telefoon_e164="+31235114009",
            )
        )
    assert _namen(_zoek(zoeker, "parkeervergunning"))[0] == "Bram Bos"
    assert "Kees van den Bergh" not in _namen(_zoek(zoeker, "naturalisatie"))
    assert _namen(_zoek(zoeker, "Noor Visser"))[0] == "Noor Visser"
    assert _namen(_zoek(zoeker, "023 511 4009")) == ["Noor Visser"]
    assert _zoek(zoeker, "023 511 4007") == []  # departed: not offered any more


def test_empty_and_unknown_queries(zoeker: SmoelenboekZoeker) -> None:
    assert _zoek(zoeker, "   ") == []
    assert _zoek(zoeker, "xyzzyqwv") == []


def test_one_zoeker_per_database(engine: Engine) -> None:
    assert SmoelenboekZoeker.voor(engine) is SmoelenboekZoeker.voor(engine)
    with Session(engine) as session:
        assert SmoelenboekZoeker.voor(engine).zoek("iets", WOENSDAG, session=session) == []
