"""The werkplek's contact use cases, without a screen, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlmodel import Session

from kiss.config import Settings
from kiss.models import Contactmoment, ContactmomentStatus, Medewerker, Terugbelnotitie
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, TerugbelFouten, TerugbelInvoer
from kiss.werkplek import NieuwContact, Werkplek
from tests.factories import Wereld, bouw_wereld

NU = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class Klok:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.nu = 100.0

    def __call__(self) -> float:
        return self.nu


def _werkplek(engine: Engine, tmp_path: Path, klok: Klok | None = None) -> Werkplek:
    return Werkplek(
        engine,
        Settings(),
        klok=lambda: NU,
        herstel_pad=tmp_path / "herstel.json",
        monotoon=klok or Klok(),
    )


def _meld_aan(werkplek: Werkplek) -> None:
    """Log in as the factory's agent: on PostgreSQL the database login decides who you are,
    so the agent's gebruikersnaam becomes this test's login."""
    if werkplek.engine.dialect.name == "postgresql":
        with Session(werkplek.engine) as session:
            login = session.execute(text("SELECT session_user")).scalar_one()
            session.execute(
                update(Medewerker)
                .where(Medewerker.gebruikersnaam == "agent")
                .values(gebruikersnaam=login)
            )
            session.commit()
    werkplek.aanmelden("agent")


def _compleet(wereld: Wereld) -> ContactInvoer:
    return ContactInvoer(
        onderwerp="Paspoort verlengen",
        gespreksresultaat="afgehandeld",
        afdeling_id=wereld.burgerzaken.id,
    )


def _aantal(engine: Engine, model: type, **filters: object) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(model)
        for naam, waarde in filters.items():
            query = query.where(getattr(model, naam) == waarde)
        return int(session.execute(query).scalar_one())


def test_caller_id_links_one_klant_offers_several_and_leaves_unknown_empty(
    engine: Engine, tmp_path: Path
) -> None:
    wereld = bouw_wereld(engine)
    werkplek = _werkplek(engine, tmp_path)
    _meld_aan(werkplek)

    bekend = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "+31612345678"))
    assert bekend.contact.klant_id == wereld.berg.id
    assert werkplek.actief is not None and werkplek.actief.klant_id == wereld.berg.id

    onbekend = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "0611111111"))
    assert onbekend.treffers == [] and onbekend.contact.klant_id is None
    assert werkplek.actief is not None and werkplek.actief.id == onbekend.contact.id
    assert werkplek.actief.klant_id is None  # the klantbeeld shows nobody

    werkplek.wissel(bekend.contact.id)
    assert werkplek.actief is not None and werkplek.actief.klant_id == wereld.berg.id


def test_anonymous_unlinks_every_question_of_the_conversation(
    engine: Engine, tmp_path: Path
) -> None:
    wereld = bouw_wereld(engine)
    werkplek = _werkplek(engine, tmp_path)
    _meld_aan(werkplek)
    eerste = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    tweede = werkplek.nog_een_vraag()
    assert tweede.klant_id == wereld.berg.id
    werkplek.koppel_klant(None, tweede.id)
    assert all(c.klant_id is None for c in werkplek.open_contacten)
    assert {c.id for c in werkplek.open_contacten} == {eerste.id, tweede.id}


def test_afronden_with_a_terugbelnotitie_is_one_transaction(engine: Engine, tmp_path: Path) -> None:
    """Before, the note was saved first and the contact closed in a second transaction: a
    refused afronden left a note without a closed contact."""
    wereld = bouw_wereld(engine)
    werkplek = _werkplek(engine, tmp_path)
    _meld_aan(werkplek)
    contact = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    notitie = TerugbelInvoer(
        doel=Doel(DoelSoort.AFDELING, wereld.burgerzaken.id, "Afdeling Burgerzaken"),
        terugbelnummer="0612345678",
        vraag="Wanneer is mijn paspoort klaar?",
    )
    onvolledig = ContactInvoer(gespreksresultaat="terugbelnotitie gemaakt")  # no onderwerp
    with pytest.raises(InvoerFouten):
        werkplek.afronden_met_terugbelnotitie(contact.id, onvolledig, notitie)
    assert _aantal(engine, Terugbelnotitie) == 0
    with pytest.raises(TerugbelFouten):
        werkplek.afronden_met_terugbelnotitie(
            contact.id, replace(onvolledig, onderwerp="Paspoort"), replace(notitie, doel=None)
        )
    assert _aantal(engine, Contactmoment, status=ContactmomentStatus.AFGEROND) == 0

    afgerond = werkplek.afronden_met_terugbelnotitie(
        contact.id, replace(onvolledig, onderwerp="Paspoort"), notitie
    )
    assert afgerond.notitie_id is not None and afgerond.klant_id == wereld.berg.id
    assert _aantal(engine, Terugbelnotitie) == 1
    assert _aantal(engine, Contactmoment, status=ContactmomentStatus.AFGEROND) == 1
    assert werkplek.open_contacten == []


def test_autosave_is_due_after_a_short_quiet_and_every_few_seconds_while_typing(
    engine: Engine, tmp_path: Path
) -> None:
    wereld = bouw_wereld(engine)
    klok = Klok()
    werkplek = _werkplek(engine, tmp_path, klok)
    _meld_aan(werkplek)
    contact = werkplek.start_contact(NieuwContact("balie", "Haarlem")).contact
    assert not werkplek.moet_bewaren()

    werkplek.werk_bij(contact.id, ContactInvoer(notitie="a"))
    klok.nu += 0.5
    assert not werkplek.moet_bewaren()
    klok.nu += 0.5  # one second of quiet
    assert werkplek.moet_bewaren()
    assert werkplek.bewaar_concepten() == 1
    assert not werkplek.moet_bewaren()

    tekst = ""
    for _ in range(13):  # a keystroke every 0.2 s: never quiet
        tekst += "x"
        werkplek.werk_bij(contact.id, ContactInvoer(notitie=tekst))
        if werkplek.moet_bewaren():
            break
        klok.nu += 0.2
    assert werkplek.moet_bewaren(), "while typing goes on, autosave is due within 3 s"
    werkplek.bewaar_concepten()
    with Session(engine) as session:
        opgeslagen = session.get(Contactmoment, contact.id)
        assert opgeslagen is not None and opgeslagen.notitie == tekst
    del wereld


def test_text_not_yet_in_the_database_comes_back_from_the_recovery_file(
    engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(engine)
    werkplek = _werkplek(engine, tmp_path)
    _meld_aan(werkplek)
    contact = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    werkplek.werk_bij(contact.id, ContactInvoer(onderwerp="Parkeren", notitie="eerste deel"))
    werkplek.bewaar_concepten()
    werkplek.werk_bij(contact.id, ContactInvoer(onderwerp="Parkeren", notitie="eerste en tweede"))
    werkplek.bewaar_herstel()  # the database never got the second part (a crash, an outage)
    assert (tmp_path / "herstel.json").stat().st_mode & 0o077 == 0  # owner only

    opnieuw = _werkplek(engine, tmp_path)
    aanmelding = opnieuw.aanmelden("agent")  # the same login as before
    [concept] = aanmelding.concepten
    assert concept.id == contact.id
    assert concept.invoer.notitie == "eerste en tweede"
    assert concept.onbewaard  # and the next autosave stores it
    opnieuw.heropen(aanmelding.concepten)
    opnieuw.bewaar_concepten()
    with Session(engine) as session:
        opgeslagen = session.get(Contactmoment, contact.id)
        assert opgeslagen is not None and opgeslagen.notitie == "eerste en tweede"
    assert not (tmp_path / "herstel.json").exists()  # nothing personal left behind


def test_discard_and_switch(engine: Engine, tmp_path: Path) -> None:
    bouw_wereld(engine)
    werkplek = _werkplek(engine, tmp_path)
    _meld_aan(werkplek)
    a = werkplek.start_contact(NieuwContact("telefoon", "Haarlem")).contact
    b = werkplek.start_contact(NieuwContact("balie", "Zandvoort")).contact
    assert werkplek.actief is not None and werkplek.actief.id == b.id
    volgende = werkplek.volgende()
    assert volgende is not None and volgende.id == a.id
    werkplek.verwerp(a.id)
    assert [c.id for c in werkplek.open_contacten] == [b.id]
    assert werkplek.actief is not None and werkplek.actief.id == b.id
    assert _aantal(engine, Contactmoment, id=a.id) == 0
    with pytest.raises(LookupError):
        werkplek.wissel(uuid.uuid4())


def test_use_cases_refuse_before_login(engine: Engine, tmp_path: Path) -> None:
    werkplek = _werkplek(engine, tmp_path)
    with pytest.raises(PermissionError, match="aanmelden"):
        werkplek.start_contact(NieuwContact("telefoon", "Haarlem"))
