"""The smoelenboek with the pilot: a typo finds the omgevingsvergunning experts, an absent
expert shows the vervanger, doorverbinden lands on the open contactmoment, a colleague who
does not take transfers is refused with the terugbelnotitie offered, and one key from a
klantbeeld's zaak opens its behandelaar's card."""

# ruff: noqa: E501  (CSV fixture rows are long by nature)

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from sqlalchemy import Engine, select
from sqlmodel import Session
from textual.widgets import DataTable, Input, Select

from kiss.app import KissApp
from kiss.config import DOORVERBONDEN, Settings
from kiss.db import session_scope
from kiss.models import Contactmoment
from kiss.screens.dialogen import Bevestig
from kiss.screens.nieuw_contact import NieuwContact
from kiss.screens.smoelenboek import SmoelenboekScreen
from kiss.screens.smoelenboek_kaart import KaartView
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.smoelenboek.importeren import importeer
from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (180, 50)
WOENSDAG_10_UUR = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)

MEDEWERKERS = """personeelsnummer,voornaam,voorvoegsel,achternaam,functie,afdeling,team,telefoon,mobiel,email,expertise,locatie,werkdagen,afwezig_van,afwezig_tot,afwezig_reden,vervanger,niet_doorverbinden,rollen
V1,Jan,van der,Berg,Vergunningverlener,Vergunningen,Omgeving,023-5114001,,jan@haarlem.nl,omgevingsvergunning;bouwen,Stadhuis,ma;di;wo;do,2026-06-08,2026-06-12,vakantie,V3,nee,backoffice
V2,Fatima,,El Amrani,Jurist,Vergunningen,Omgeving,023-5114002,,fatima@haarlem.nl,omgevingsvergunning;bezwaar,Zijlpoort,ma;di;wo;do;vr,,,,,ja,backoffice
V3,Piet,,Jansen,Vergunningverlener,Vergunningen,Omgeving,023-5114003,,piet@haarlem.nl,omgevingsvergunning;kapvergunning,Stadhuis,ma;di;wo;do;vr,,,,,nee,backoffice
V4,Sanne,de,Vries,Marktmeester,Vergunningen,,023-5114004,,sanne@haarlem.nl,standplaatsvergunning;markt,Stadhuis,ma;di;wo;do;vr,,,,,nee,backoffice
"""


def _smoelenboek(engine: Engine, tmp_path: Path) -> None:
    map_ = tmp_path / "sb"
    map_.mkdir()
    (map_ / "afdelingen.csv").write_text("naam,telefoon\nVergunningen,023-5115000\n")
    (map_ / "teams.csv").write_text("naam,afdeling\nOmgeving,Vergunningen\n")
    (map_ / "medewerkers.csv").write_text(MEDEWERKERS)
    (map_ / "externe_organisaties.csv").write_text(
        "naam,telefoon,onderwerpen\nUWV,0900-9294,WW;ziektewet\n"
    )
    with session_scope(engine) as session:
        assert importeer(session, map_, volledig=False).fouten == []
    SmoelenboekZoeker.voor(engine).vergeet()


def _app(engine: Engine, **kwargs: object) -> KissApp:
    return KissApp(
        settings=Settings(autosave_seconden=0.1),
        engine=engine,
        medewerker="agent",
        klok=lambda: WOENSDAG_10_UUR,
        **kwargs,  # type: ignore[arg-type]
    )


async def _typ(app: KissApp, pilot: object, tekst: str) -> None:
    scherm = app.screen
    assert isinstance(scherm, SmoelenboekScreen)
    scherm.zoekveld.value = ""
    scherm.zoekveld.focus()
    await pilot.press(*tekst)  # type: ignore[attr-defined]
    await pilot.pause(0.3)  # type: ignore[attr-defined]  # the debounce
    await settle(app, pilot)


def _rijen(scherm: SmoelenboekScreen) -> list[str]:
    tabel = scherm.query_one("#sb-treffers", DataTable)
    return [Text.from_markup(str(tabel.get_row_at(i)[0])).plain for i in range(tabel.row_count)]


def _kies(scherm: SmoelenboekScreen, naam: str) -> None:
    tabel = scherm.query_one("#sb-treffers", DataTable)
    rij = next(i for i, tekst in enumerate(_rijen(scherm)) if tekst.startswith(naam))
    tabel.focus()
    tabel.move_cursor(row=rij)


def _kaart(scherm: SmoelenboekScreen) -> str:
    return scherm.query_one(KaartView).tekst


def _contact(engine: Engine) -> Contactmoment:
    with Session(engine) as session:
        return session.execute(select(Contactmoment)).scalar_one()


async def test_typo_finds_experts_vervanger_shown_and_doorverbinden_recorded(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(sqlite_engine)
    _smoelenboek(sqlite_engine, tmp_path)
    app = _app(sqlite_engine, start_contact=NieuwContact("telefoon", "Haarlem", "06-12345678"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(app.werkplek.open_contacten) == 1
        await pilot.press("f4")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, SmoelenboekScreen)

        await _typ(app, pilot, "bouwvergunig")
        rijen = _rijen(scherm)
        assert any(r.startswith("Jan van der Berg") for r in rijen), rijen
        assert any(r.startswith("Fatima El Amrani") for r in rijen), rijen
        # the absent expert's stand-in is offered first, right above him
        jan = next(i for i, r in enumerate(rijen) if r.startswith("Jan van der Berg"))
        assert rijen[jan - 1].startswith("↳ Piet Jansen") and "vervangt Jan" in rijen[jan - 1]
        aanwezig = Text.from_markup(
            str(scherm.query_one("#sb-treffers", DataTable).get_row_at(jan)[1])
        ).plain
        assert aanwezig == "✕ afwezig, terug 15-06 → Piet Jansen"

        _kies(scherm, "Jan van der Berg")
        await settle(app, pilot)
        kaart = _kaart(scherm)
        assert "Jan van der Berg" in kaart and "vakantie" in kaart
        assert "Vervanger vandaag: Piet Jansen" in kaart and "023 511 4003" in kaart

        await pilot.press("ctrl+d")  # Jan is away: offer the vervanger
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        await pilot.press("enter")  # "Naar Piet Jansen"
        await settle(app, pilot)
        contact = _contact(sqlite_engine)
        assert contact.doorverbonden_naar == "Piet Jansen"
        assert contact.gespreksresultaat == DOORVERBONDEN
        assert contact.doorverbonden_medewerker_id is not None
        # the open contact holds the result, and the Klant screen shows it (its autosave
        # keeps it)
        actief = app.werkplek.actief
        assert actief is not None and actief.invoer.gespreksresultaat == DOORVERBONDEN
        await pilot.press("f2")
        await settle(app, pilot)
        formulier_resultaat = app.contact_scherm.query_one("#resultaat", Select).value
        assert formulier_resultaat == DOORVERBONDEN
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert _contact(sqlite_engine).gespreksresultaat == DOORVERBONDEN


async def test_niet_doorverbinden_is_refused_and_offers_a_terugbelnotitie(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(sqlite_engine)
    _smoelenboek(sqlite_engine, tmp_path)
    app = _app(sqlite_engine, start_contact=NieuwContact("telefoon", "Haarlem", "06-12345678"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, SmoelenboekScreen)
        await _typ(app, pilot, "el amrani")
        _kies(scherm, "Fatima El Amrani")
        await settle(app, pilot)
        assert "NIET DOORVERBINDEN" in _kaart(scherm)
        await pilot.press("ctrl+d")
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        assert "wil niet doorverbonden worden" in str(app.screen.vraag)
        assert any("terugbelnotitie" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await settle(app, pilot)
        assert _contact(sqlite_engine).doorverbonden_naar == ""


async def test_doorverbinden_without_an_open_contact_explains(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(sqlite_engine)
    _smoelenboek(sqlite_engine, tmp_path)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        await _typ(app, pilot, "uwv")
        scherm = app.screen
        assert isinstance(scherm, SmoelenboekScreen)
        assert _rijen(scherm)[0] == "UWV"
        assert "WW, ziektewet" in _kaart(scherm)
        await pilot.press("ctrl+d")
        await settle(app, pilot)
        assert any("geen open contactmoment" in str(n.message) for n in app._notifications)


async def test_behandelaar_card_from_the_klantbeeld_zaak(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(sqlite_engine)
    _smoelenboek(sqlite_engine, tmp_path)
    app = _app(sqlite_engine, start_contact=NieuwContact("telefoon", "Haarlem", "06-12345678"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        zaken = app.contact_scherm.query_one("#kb-zaken", DataTable)
        assert zaken.row_count == 1
        zaken.focus()
        await pilot.press("ctrl+j")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, SmoelenboekScreen)
        kaart = _kaart(scherm)
        assert "behandelaar van de zaak" in kaart and "Bram Bos" in kaart
        assert scherm.query_one("#sb-zoek", Input).value == ""


async def test_a_terugbelnotitie_from_a_card_is_pre_filled_with_the_colleague_and_the_caller(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(sqlite_engine)
    _smoelenboek(sqlite_engine, tmp_path)
    app = _app(sqlite_engine, start_contact=NieuwContact("telefoon", "Haarlem", "06-12345678"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, SmoelenboekScreen)
        await _typ(app, pilot, "piet jansen")
        _kies(scherm, "Piet Jansen")
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        formulier = app.screen
        assert isinstance(formulier, TerugbelFormulier)
        doel = formulier.query_one("#tb-doel", Select).value
        assert isinstance(doel, Doel) and doel.soort == DoelSoort.MEDEWERKER
        assert formulier.query_one("#tb-terugbelnummer", Input).value == "06-12345678"


async def test_a_card_consulted_for_the_question_becomes_its_source(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(sqlite_engine)
    _smoelenboek(sqlite_engine, tmp_path)
    app = _app(sqlite_engine, start_contact=NieuwContact("telefoon", "Haarlem", "0612345678"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        await _typ(app, pilot, "uwv")
        await pilot.press("ctrl+u")
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert "UWV (smoelenboek)" in str(app.contact_scherm.query_one("#bronnen").content)
        actief = app.werkplek.actief
        assert actief is not None and [b.titel for b in actief.invoer.bronnen] == ["UWV"]


async def test_presence_and_phone_are_in_view_without_scrolling_sideways(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """At 140 columns the list shares the screen with the card: who is there and their number
    come before the long description, which may run off the edge (the card shows it whole)."""
    bouw_wereld(sqlite_engine)
    _smoelenboek(sqlite_engine, tmp_path)
    app = _app(sqlite_engine)
    async with app.run_test(size=(140, 42)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, SmoelenboekScreen)
        await _typ(app, pilot, "omgevingsvergunning")
        await pilot.pause(0.3)  # the table sizes its columns when idle
        tabel = scherm.query_one("#sb-treffers", DataTable)
        rechts = 0
        zichtbaar: dict[str, int] = {}
        for kolom in tabel.ordered_columns:
            rechts += kolom.get_render_width(tabel)
            zichtbaar[str(kolom.label)] = rechts
        breedte = tabel.scrollable_content_region.width
        assert zichtbaar["aanwezig"] <= breedte and zichtbaar["telefoon"] <= breedte, (
            zichtbaar, breedte,
        )  # fmt: skip
