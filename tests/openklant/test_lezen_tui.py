"""Reading the register at the desk (pilot, fake Open Klant on loopback): a caller known only
in the register is offered "alleen in Open Klant", taken over and linked; the klantbeeld
shows the register's contacts marked with their source; a slow or down register never holds
up the local result or klantbeeld and says so in Dutch; without the link nothing changes."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from textual.widgets import DataTable, Label, OptionList, Static

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import OpenklantKoppeling
from kiss.screens.dialogen import Bevestig
from kiss.services.klant.zoeken import NaamVocabulaire
from kiss.services.openklant.config import OpenklantConfig
from kiss.services.openklant.lezen import RegisterContact
from kiss.werkplek.klanten import RegisterContacten
from tests.factories import bouw_wereld
from tests.openklant.register import FakeOpenKlant
from tests.openklant.test_lezen import _ita_partij
from tests.pilot import BEZIG, settle

SIZE = (160, 50)


def _app(engine: Engine) -> KissApp:
    return KissApp(settings=Settings(autosave_seconden=0.1), engine=engine, medewerker="agent")  # type: ignore[arg-type]


async def _tot(pilot: Any, voorwaarde: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait (without waiting for every worker) until true."""
    einde = time.monotonic() + timeout
    while not voorwaarde():
        if time.monotonic() > einde:
            raise AssertionError("voorwaarde niet gehaald")
        await pilot.pause(0.02)


def _bezig(app: KissApp, groep: str) -> bool:
    return any(w.group == groep and w.state in BEZIG for w in app.workers)


def _tekst(app: KissApp, selector: str) -> str:
    return str(app.contact_scherm.query_one(selector, Label | Static).content)  # type: ignore[arg-type]


def _opties(app: KissApp) -> list[str]:
    lijst = app.contact_scherm.query_one("#treffers", OptionList)
    return [str(lijst.get_option_at_index(i).prompt) for i in range(lijst.option_count)]


def _tijdlijn(app: KissApp) -> list[list[str]]:
    tabel = app.contact_scherm.query_one("#kb-tijdlijn", DataTable)
    return [[str(c) for c in tabel.get_row_at(i)] for i in range(tabel.row_count)]


async def test_a_caller_only_in_open_klant_is_offered_taken_over_and_shows_its_contacts(
    sqlite_engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    NaamVocabulaire.voor(sqlite_engine).vergeet()
    wereld = bouw_wereld(sqlite_engine)
    _ita_partij(register)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"0687654329", "enter")  # the number ITA stored, another notation
        await settle(app, pilot)
        scherm = app.contact_scherm
        [optie] = _opties(app)
        assert "Ruud Jansen" in optie and "alleen in Open Klant" in optie
        assert "alleen in Open Klant" in _tekst(app, "#zoek-status")
        assert app.werkplek.actief is not None and app.werkplek.actief.klant_id is None

        scherm.zoeker.focus_treffers()
        await pilot.press("enter")
        await settle(app, pilot)
        actief = app.werkplek.actief
        assert actief is not None and actief.klant_id is not None
        assert "Jansen" in _tekst(app, "#kb-naam")
        [elders] = [r for r in _tijdlijn(app) if "Open Klant" in r]
        assert elders[1] == "e-mail" and elders[3] == "Bezwaar WOZ" and elders[5] == "Open Klant"
        assert "overgenomen" in " ".join(str(n.message) for n in app._notifications)

        # the existing rule stays: another klant is only linked after the agent says so
        scherm.zoeker.invoer.value = ""
        await settle(app, pilot)
        klant_id = actief.klant_id
        app.werkplek.koppel_klant(wereld.berg.id)
        scherm.toon_open_contacten()
        await settle(app, pilot)
        scherm.zoeker.invoer.focus()
        await pilot.press(*"999990044")  # Ruud's BSN: local now, no register-only offer
        await settle(app, pilot)
        assert not any("alleen in Open Klant" in o for o in _opties(app))
        scherm.zoeker.focus_treffers()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.werkplek.actief is not None and app.werkplek.actief.klant_id == wereld.berg.id
        assert klant_id != wereld.berg.id
    assert register.spec_fouten == []


async def test_a_slow_or_down_register_never_holds_up_the_desk(
    sqlite_engine: Engine,
    register: FakeOpenKlant,
    ok_config: OpenklantConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register.vertraging = 4.0  # the register stalls longer than KISS waits
    monkeypatch.setenv("KISS_OPENKLANT_TIMEOUT", "2.5")
    NaamVocabulaire.voor(sqlite_engine).vergeet()
    wereld = bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:  # Johanna was sent to the register earlier
        session.add(
            OpenklantKoppeling(soort="klant", lokaal_id=wereld.berg.id, extern_uuid=uuid.uuid4())
        )
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        register.storing("timeout_voor", aantal=100)
        await pilot.press("ctrl+n")
        await settle(app, pilot, rounds=1)
        await pilot.press(*"0612345678", "enter")  # Johanna, known locally
        await _tot(pilot, lambda: "Johanna van den Berg" in _tekst(app, "#kb-naam"))
        assert _bezig(app, "klantbeeld-register")  # the local klantbeeld did not wait for it
        await settle(app, pilot)
        assert "Open Klant nu niet te raadplegen" in _tekst(app, "#kb-register")
        assert "Johanna van den Berg" in _tekst(app, "#kb-naam")
        assert not any("Open Klant" in r for r in _tijdlijn(app))

        scherm = app.contact_scherm
        scherm.zoeker.invoer.focus()
        await pilot.press(*"+31 6 1234 5678")
        await _tot(pilot, lambda: "gevonden" in _tekst(app, "#zoek-status"))
        assert len(_opties(app)) == 1
        assert _bezig(app, "klant-zoeken-register")  # the local hit did not wait for it
        await settle(app, pilot)
        assert "Open Klant nu niet te raadplegen" in _tekst(app, "#zoek-status")
        assert len(_opties(app)) == 1

        register.storingen.clear()
        register.wacht_tot_stil()
        register.stop()  # down: the connection is refused
        scherm.zoeker.invoer.value = ""
        await pilot.press(*"j.berg@example.nl")
        await settle(app, pilot)
        assert "Open Klant nu niet te raadplegen" in _tekst(app, "#zoek-status")


async def test_register_contacts_of_another_klant_are_dropped_and_nothing_asked_without_link(
    sqlite_engine: Engine, register: FakeOpenKlant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KISS_OPENKLANT_URL", raising=False)
    NaamVocabulaire.voor(sqlite_engine).vergeet()
    wereld = bouw_wereld(sqlite_engine)
    _ita_partij(register)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"0612345678", "enter")
        await settle(app, pilot)
        scherm = app.contact_scherm
        assert "Johanna van den Berg" in _tekst(app, "#kb-naam")
        rijen = _tijdlijn(app)
        scherm.zoeker.invoer.focus()
        await pilot.press(*"0687654329")
        await settle(app, pilot)
        assert _opties(app) == [] and "Open Klant" not in _tekst(app, "#zoek-status")
        assert register.verzoeken == []  # the demo set-up never asks a register

        # an answer for a klant that is no longer the active contact's is never shown
        ander = RegisterContact("x", None, "balie", "Van een ander", "", True)
        scherm._register_contacten_binnen(RegisterContacten(wereld.vries.id, [ander]))
        await pilot.pause()
        assert _tijdlijn(app) == rijen
        eigen = RegisterContact("y", None, "balie", "Paspoort ophalen", "", True)
        scherm._register_contacten_binnen(RegisterContacten(wereld.berg.id, [eigen]))
        await pilot.pause()
        assert any("Paspoort ophalen" in r and "Open Klant" in r for r in _tijdlijn(app))
