"""Snapshots of every screen and dialog with demo data (pytest-textual-snapshot).

The demo generator fills one database per test session (fixed seed, fixed ``NU``), with the
kennisbank index and its vectors computed up front; each test works on its own copy, with
the app's clock fixed at ``NU``. Cursors do not blink and animations are off, so the same
run draws the same picture. Update after a deliberate change of a screen with
``pytest tests/snapshots --snapshot-update`` and look at the pictures in the report.

Most snapshots are 140×42; the ``smal`` ones are 80×24, where nothing essential may be cut
(the history's columns, phone numbers, messages).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text, update
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import make_engine
from kiss.demo import genereer
from kiss.models.kennisbank import ArtikelFeedback
from kiss.screens.teamlead import TeamleadScreen
from kiss.screens.terugbel import TerugbelScreen
from kiss.services.kennisbank.zoeken import KennisbankZoeker
from kiss.werkplek import Werkplek
from tests.pilot import settle

NU = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)  # a Friday, 11:30 in Haarlem
GROOT = (140, 42)
SMAL = (80, 24)

Stap = str | tuple[str, ...] | Callable[[Pilot[Any]], Awaitable[None] | None]
Vergelijk = Callable[..., bool]


@dataclass(frozen=True)
class Demo:
    map: Path
    agent: str  # personeelsnummer: teamleider + KCC (every area)
    redacteur: str  # redacteur + KCC
    telefoon: str  # of a klant with zaken and a long history, typed as agents do
    klant: str  # that klant's name


@pytest.fixture(scope="session")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """One demo database for the session, with the kennisbank index and vectors built."""
    map_ = tmp_path_factory.mktemp("demo")
    database = map_ / "kiss.db"
    shutil.copyfile(sqlite_template, database)
    engine = make_engine(str(database))
    genereer(engine, Settings(), seed=2026, nu=NU)
    KennisbankZoeker(engine, pad=str(database.with_suffix(".zoekindex"))).bereken_vectoren()
    with engine.connect() as verbinding:
        agent = verbinding.execute(
            text("SELECT personeelsnummer FROM medewerker WHERE rollen = 'teamlead;kcc'")
        ).scalar_one()
        redacteur = verbinding.execute(
            text("SELECT personeelsnummer FROM medewerker WHERE rollen = 'redacteur;kcc'")
        ).scalar_one()
        # a klant with a zaak, much history and a phone number nobody else has
        telefoon, klant = verbinding.execute(
            text(
                """
                SELECT a.genormaliseerd, k.id FROM klant k
                JOIN digitaal_adres a ON a.klant_id = k.id AND a.soort = 'telefoonnummer'
                WHERE EXISTS (SELECT 1 FROM zaak z WHERE z.klant_id = k.id)
                  AND k.soort = 'persoon'
                  AND (SELECT count(*) FROM digitaal_adres b
                       WHERE b.genormaliseerd = a.genormaliseerd) = 1
                ORDER BY (SELECT count(*) FROM contactmoment c WHERE c.klant_id = k.id) DESC,
                         a.genormaliseerd
                LIMIT 1
                """
            )
        ).one()
        naam = verbinding.execute(
            text("SELECT voornamen || ' ' || achternaam FROM klant WHERE id = :id"),
            {"id": klant},
        ).scalar_one()
    engine.dispose()
    nationaal = "0" + str(telefoon).removeprefix("+31")
    return Demo(map_, agent, redacteur, nationaal, naam)


@dataclass
class Omgeving:
    demo: Demo
    map: Path
    engines: list[Engine]

    def app(self, wie: str | None = None) -> KissApp:
        engine = make_engine(str(self.map / "kiss.db"))
        self.engines.append(engine)
        settings = Settings(gemeente="Haarlem")
        werkplek = Werkplek(
            engine, settings, klok=lambda: NU, herstel_pad=self.map / "herstel.json"
        )
        app = KissApp(
            settings=settings,
            engine=engine,
            medewerker=wie or self.demo.agent,
            werkplek=werkplek,
        )
        app.animation_level = "none"
        return app


@pytest.fixture
def omgeving(demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Omgeving]:
    monkeypatch.delenv("KISS_ZOEKINDEX_MAP", raising=False)
    # no background refresh while a slow machine takes the picture
    monkeypatch.setattr(TerugbelScreen, "VERVERS_SECONDEN", 3600.0)
    monkeypatch.setattr(TeamleadScreen, "VERVERS_SECONDEN", 3600.0)
    monkeypatch.setattr("kiss.screens.smoelenboek.VERSHEID_SECONDEN", 3600.0)
    # a message stays until the picture is taken, however slow the machine
    melden = App.notify

    def notify(self: App[Any], message: str, *, timeout: float | None = None, **kw: Any) -> None:
        melden(self, message, timeout=600, **kw)

    monkeypatch.setattr(App, "notify", notify)
    for bestand in demo.map.glob("kiss.*"):  # the database and the index (with its WAL)
        shutil.copyfile(bestand, tmp_path / bestand.name)
    uitvoer = Omgeving(demo, tmp_path, [])
    yield uitvoer
    for engine in uitvoer.engines:
        engine.dispose()


def stil(app: KissApp) -> None:
    """No blinking cursors anywhere on the screen stack (a blink would change the picture):
    the focused field shows its cursor steadily, every other field none. Setting the
    visibility too undoes a blink that was already on its way when blinking stopped."""
    for scherm in app.screen_stack:
        for veld in scherm.query("Input, TextArea"):
            veld.cursor_blink = False  # type: ignore[attr-defined]
            veld._cursor_visible = veld.has_focus  # type: ignore[attr-defined]
            veld.refresh()  # no line drawn during a blink stays cached


def stappen(*lijst: Stap) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """What the agent does before the picture: keys (a string is one key, a tuple a typed
    text), or a function of the pilot; the app settles after each step."""

    async def uitvoeren(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await settle(app, pilot)
        for stap in lijst:
            if isinstance(stap, str):
                await pilot.press(stap)
            elif isinstance(stap, tuple):
                await pilot.press(*stap)
            else:
                resultaat = stap(pilot)
                if resultaat is not None:
                    await resultaat
            await settle(app, pilot)
        stil(app)  # type: ignore[arg-type]
        await settle(app, pilot)
        stil(app)  # type: ignore[arg-type]
        await stabiel(app, pilot)

    return uitvoeren


async def stabiel(app: App[Any], pilot: Pilot[Any], tot: float = 10.0) -> None:
    """Until two pictures 0.2 s apart are the same: what a widget finishes when idle or
    after a refresh (a table sizing its columns, the tabs' underline following a new label)
    lands before the picture, however busy the machine."""
    vorige = None
    for _ in range(int(tot / 0.2)):
        await pilot.pause(0.2)
        await settle(app, pilot)
        beeld = app.export_screenshot()
        if beeld == vorige:
            return
        vorige = beeld


def wacht(seconden: float) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Real time for what a screen does after a short delay (a table's column widths)."""

    async def pauze(pilot: Pilot[Any]) -> None:
        await pilot.pause(seconden)

    return pauze


def typ(tekst: str) -> tuple[str, ...]:
    return tuple(tekst)


def bellen(nummer: str) -> tuple[Stap, ...]:
    """A call comes in: ctrl+n, the caller's number, enter."""
    return ("ctrl+n", typ(nummer), "enter")


def waarde(selector: str, nieuw: Any) -> Callable[[Pilot[Any]], None]:
    def zet(pilot: Pilot[Any]) -> None:
        veld = pilot.app.screen.query_one(selector)
        if isinstance(veld, Select):
            veld.value = nieuw
        elif isinstance(veld, Input | TextArea):
            veld.focus()
            if isinstance(veld, Input):
                veld.value = nieuw
            else:
                veld.text = nieuw

    return zet


def invullen(selector: str, tekst: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Type into a field as the agent does (so autosave sees every keystroke)."""

    async def typen(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one(selector).focus()
        await pilot.press(*tekst)

    return typen


def klik(selector: str) -> Callable[[Pilot[Any]], Awaitable[bool]]:
    def druk(pilot: Pilot[Any]) -> Awaitable[bool]:
        return pilot.click(selector)

    return druk


# ---- F1 … F6: the areas ----------------------------------------------------------------------


def test_start(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(omgeving.app(), terminal_size=GROOT, run_before=stappen("f1"))


def test_klantbeeld_met_zaken_en_historie(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """F2 after a call from a known number: the klantbeeld of a klant with zaken and history."""
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen(*bellen(omgeving.demo.telefoon))
    )


def test_klantbeeld_smal(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """80×24: the history's columns and the phone numbers stay readable."""
    assert snap_compare(
        omgeving.app(), terminal_size=SMAL, run_before=stappen(*bellen(omgeving.demo.telefoon))
    )


def _naar_historie(pilot: Pilot[Any]) -> None:
    pilot.app.screen.query_one("#klantbeeld").scroll_end(animate=False)


def test_klantbeeld_historie_smal(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """80×24, the klantbeeld scrolled down to the contact history."""
    assert snap_compare(
        omgeving.app(),
        terminal_size=SMAL,
        run_before=stappen(*bellen(omgeving.demo.telefoon), _naar_historie),
    )


def test_geen_klant_gekoppeld(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """An anonymous call: the klantbeeld is empty."""
    assert snap_compare(omgeving.app(), terminal_size=GROOT, run_before=stappen("ctrl+n", "enter"))


def test_kennisbank_resultaten_en_artikel(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f3", typ("paspoort"), "enter")
    )


def test_smoelenboek_kaart(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f4", typ("Hanneke Post"), "down")
    )


def test_terugbel_wachtrij(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f5", "alt+4", wacht(0.5))
    )


def test_terugbel_detail(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f5", "alt+4", "enter")
    )


def test_teamlead_wachtrijen(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(omgeving.app(), terminal_size=GROOT, run_before=stappen("f6"))


def bovenaan(selector: str) -> Callable[[Pilot[Any]], None]:
    """Scroll to the top: parts that arrive in any order leave the same picture."""

    def scroll(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one(selector).scroll_home(animate=False)

    return scroll


def test_teamlead_dashboard(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f6", "d", bovenaan("#tl-dash"))
    )


# ---- dialogs ---------------------------------------------------------------------------------


def test_nieuw_contact_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("ctrl+n", typ("06-1234"))
    )


def test_validatiefout_bij_het_veld(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """An impossible number: the message stands at the field, the dialog stays open."""
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("ctrl+n", typ("06-1234"), "enter")
    )


def test_nieuwe_klant_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """An unknown number: registering a new klant starts with that number filled in."""
    assert snap_compare(
        omgeving.app(),
        terminal_size=GROOT,
        run_before=stappen(*bellen("06-55501234"), klik("#nieuwe-klant")),
    )


def test_adres_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """ctrl+t says whose file it changes."""
    assert snap_compare(
        omgeving.app(),
        terminal_size=GROOT,
        run_before=stappen(*bellen(omgeving.demo.telefoon), "ctrl+t"),
    )


def test_bevestig_weggooien(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """F8 asks first, with the safe button focused."""
    assert snap_compare(
        omgeving.app(),
        terminal_size=GROOT,
        run_before=stappen(*bellen(omgeving.demo.telefoon), "f8"),
    )


def test_kennisbank_feedback_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(),
        terminal_size=GROOT,
        run_before=stappen("f3", typ("paspoort"), "enter", "ctrl+f"),
    )


def test_kennisbank_bewerken_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(omgeving.demo.redacteur),
        terminal_size=GROOT,
        run_before=stappen("f3", typ("paspoort"), "enter", "ctrl+e"),
    )


def _feedback_op_nu(pilot: Pilot[Any]) -> None:
    """Feedback is stamped with the system clock, not the app's (see the report): put it
    on ``NU`` so the picture does not change every minute."""
    app = pilot.app
    assert isinstance(app, KissApp)
    with app.werkplek.engine.begin() as verbinding:
        verbinding.execute(update(ArtikelFeedback).values(aangemaakt_op=NU))


def test_kennisbank_feedbacklijst(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(omgeving.demo.redacteur),
        terminal_size=GROOT,
        run_before=stappen(
            "f3",
            typ("paspoort"),
            "enter",
            "ctrl+f",
            typ("De kosten voor 2027 ontbreken."),
            "ctrl+s",
            _feedback_op_nu,
            "ctrl+l",
        ),
    )


def test_herverdeel_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f6", "space", "down", "space", "h")
    )


def test_belpoging_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f5", "alt+4", "enter", "b")
    )


def test_afhandel_dialoog(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("f5", "alt+4", "enter", "a")
    )


def test_teamlead_definities(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(),
        terminal_size=GROOT,
        run_before=stappen("f6", "d", bovenaan("#tl-dash"), "?"),
    )


def test_opdrachtenpalet(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """ctrl+p offers KISS's own commands, in Dutch."""
    assert snap_compare(omgeving.app(), terminal_size=GROOT, run_before=stappen("ctrl+p"))


def test_opdrachtenpalet_zoekt(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    assert snap_compare(
        omgeving.app(), terminal_size=GROOT, run_before=stappen("ctrl+p", typ("ga naar"))
    )


async def _database_weg(pilot: Pilot[Any]) -> None:
    """From now on every statement fails as a lost disk or server would; autosave runs into
    it within a second or two."""
    app = pilot.app
    assert isinstance(app, KissApp)

    def weg(*_: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    event.listen(app.werkplek.engine, "before_cursor_execute", weg)
    for _ in range(100):
        if app.database_probleem:
            # the picture is about the message and the kept text: no text cursor in it (it
            # was drawn in some runs and not in others while the failure was handled)
            app.set_focus(None)
            return
        await pilot.pause(0.1)
    raise AssertionError("autosave liep niet tegen de database aan")


def test_database_mislukt(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """The database went away while typing: a Dutch message, the text stays."""
    assert snap_compare(
        omgeving.app(),
        terminal_size=GROOT,
        run_before=stappen(
            *bellen(omgeving.demo.telefoon),
            invullen("#notitie", "Belt over de vergunning"),
            _database_weg,
        ),
    )


def test_database_mislukt_smal(snap_compare: Vergelijk, omgeving: Omgeving) -> None:
    """80×24: the message is readable in full."""
    assert snap_compare(
        omgeving.app(),
        terminal_size=SMAL,
        run_before=stappen(
            *bellen(omgeving.demo.telefoon), invullen("#vraag", "Wanneer?"), _database_weg
        ),
    )
