"""Reading the register through the werkplek, without a screen, on SQLite and PostgreSQL: a
caller known only in Open Klant is found by phone number and taken over for the contact, the
klantbeeld gets the register's contacts, and a register that is down or slow gives a Dutch
message instead of an error. Without the link nothing is asked."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Auditregel, Klant, OpenklantKoppeling
from kiss.services.openklant.config import OpenklantConfig
from kiss.werkplek import NieuwContact, Werkplek
from tests.factories import bouw_wereld
from tests.openklant.register import FakeOpenKlant
from tests.openklant.test_lezen import _ita_partij
from tests.werkplek.aanmelden import werkplek_voor

NU = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
RUUD = "06-87654329"  # the number the backoffice (ITA) stored in the register


def _werkplek(engine: Engine, tmp_path: Path) -> Werkplek:
    return werkplek_voor(engine, "agent", tmp_path, lambda: NU)


def _klanten(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(Klant)).scalar_one())


def test_a_caller_only_in_open_klant_is_found_by_phone_taken_over_and_linked(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig, tmp_path: Path
) -> None:
    bouw_wereld(engine)
    partij_uuid = _ita_partij(register)
    werkplek = _werkplek(engine, tmp_path)
    assert werkplek.klanten.leest_register

    gestart = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", RUUD))
    assert gestart.treffers == [] and gestart.contact.klant_id is None  # unknown locally
    assert werkplek.klanten.zoek(RUUD).treffers == []

    for getypt in (RUUD, "+31 6 8765 4329", "999990044", "Ruud@voorbeeld.nl"):
        uitkomst = werkplek.klanten.zoek_in_register(getypt)
        assert uitkomst.melding == "" and uitkomst.tekst == getypt
        [partij] = uitkomst.partijen
        assert (partij.uuid, partij.naam, partij.alleen_in_register) == (
            partij_uuid,
            "Ruud Jansen",
            True,
        )
    assert werkplek.klanten.zoek_in_register("Jansen").partijen == []  # never by name
    aantal = _klanten(engine)

    contact = werkplek.klanten.neem_over_en_koppel(partij, gestart.contact.id)
    assert contact.klant_id is not None and contact.samenvatting.klant_naam
    assert _klanten(engine) == aantal + 1
    assert werkplek.actief is not None and werkplek.actief.klant_id == contact.klant_id
    # now a local klant: found locally, no longer offered from the register
    [treffer] = werkplek.klanten.zoek(RUUD).treffers
    assert treffer.id == contact.klant_id
    assert werkplek.klanten.zoek_in_register(RUUD).partijen == []
    assert werkplek.klanten.neem_over(partij) == contact.klant_id  # taken over once
    assert _klanten(engine) == aantal + 1
    with Session(engine) as session:
        details = session.execute(
            select(Auditregel.details).where(Auditregel.klant_id == contact.klant_id)
        ).scalars()
        assert "overgenomen uit Open Klant" in list(details)

    beeld = werkplek.klanten.beeld(contact.klant_id)
    assert beeld.naam.endswith("Jansen")
    elders = werkplek.klanten.register_contacten(contact.klant_id)
    assert elders.melding == "" and elders.klant_id == contact.klant_id
    [kc] = elders.contacten
    assert (kc.kanaal, kc.onderwerp, kc.bron) == ("e-mail", "Bezwaar WOZ", "Open Klant")
    assert register.spec_fouten == []


def test_a_register_that_is_slow_or_down_gives_a_dutch_message_not_an_error(
    engine: Engine,
    register: FakeOpenKlant,
    ok_config: OpenklantConfig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wereld = bouw_wereld(engine)
    monkeypatch.setenv("KISS_OPENKLANT_TIMEOUT", "0.5")  # the register stalls 1.5 s
    werkplek = _werkplek(engine, tmp_path)
    register.storing("timeout_voor", aantal=20)
    begin = time.monotonic()
    uitkomst = werkplek.klanten.zoek_in_register(RUUD)
    # a klant the register does not know yet needs no call at all
    assert werkplek.klanten.register_contacten(wereld.berg.id).melding == ""
    with session_scope(engine) as session:  # Johanna's partij, sent earlier
        session.add(
            OpenklantKoppeling(soort="klant", lokaal_id=wereld.berg.id, extern_uuid=uuid.uuid4())
        )
    elders = werkplek.klanten.register_contacten(wereld.berg.id)
    assert time.monotonic() - begin < 5
    assert uitkomst.partijen == [] and "niet te raadplegen" in uitkomst.melding
    assert elders.contacten == [] and "niet te raadplegen" in elders.melding
    # the local search and klantbeeld do not depend on the register
    assert werkplek.klanten.zoek("06-12345678").treffers
    assert werkplek.klanten.beeld(wereld.berg.id).id == wereld.berg.id

    register.storingen.clear()
    register.wacht_tot_stil()
    register.stop()  # down: the connection is refused
    uitkomst = werkplek.klanten.zoek_in_register(RUUD)
    assert uitkomst.partijen == [] and "niet te raadplegen" in uitkomst.melding


def test_without_open_klant_nothing_is_asked(
    engine: Engine, register: FakeOpenKlant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KISS_OPENKLANT_URL", raising=False)
    wereld = bouw_wereld(engine)
    _ita_partij(register)
    werkplek = _werkplek(engine, tmp_path)
    assert werkplek.klanten.openklant is None and not werkplek.klanten.leest_register
    uitkomst = werkplek.klanten.zoek_in_register(RUUD)
    assert (uitkomst.partijen, uitkomst.melding) == ([], "")
    assert werkplek.klanten.register_contacten(wereld.berg.id).contacten == []
    assert register.verzoeken == []
