"""Call handling without the HTTP layer: times that survive afronden, anonymous callers,
outgoing calls, and the dienst's settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.dienst.instellingen import InstellingFout, laad
from kiss.models import Contactmoment, Medewerker, Oproep, OproepGebeurtenis
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.telefonie import cti, oproepen
from tests.factories import Wereld

SETTINGS = Settings()
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _meld(engine: Engine, nu: datetime, **velden: object) -> oproepen.Verwerkt:
    with session_scope(engine) as session:
        return oproepen.verwerk(session, cti.lees(velden), settings=SETTINGS, nu=nu)


def test_call_times_win_over_the_afronden_moment(engine: Engine, wereld: Wereld) -> None:
    basis = {"callId": "t1", "direction": "in", "from": "0612345678"}
    _meld(engine, T0, event="newCall", **basis)
    antwoord = _meld(engine, T0 + timedelta(seconds=20), event="answer", answeringNumber="2301",
                     **basis)  # fmt: skip
    assert antwoord.contactmoment_id is not None
    _meld(engine, T0 + timedelta(minutes=4), event="hangup", cause="normalClearing", **basis)
    with session_scope(engine) as session:  # the agent closes it two minutes later
        medewerker = session.get(Medewerker, wereld.agent.id)
        assert medewerker is not None
        contactmomenten.rond_af(
            session, medewerker, antwoord.contactmoment_id,
            ContactInvoer(onderwerp="Paspoort", gespreksresultaat="afgehandeld",
                          afdeling_id=wereld.burgerzaken.id),
            SETTINGS, nu=T0 + timedelta(minutes=6),
        )  # fmt: skip
    with session_scope(engine) as session:
        hersteld = oproepen.herstel_gesprekstijden(
            session, T0 + timedelta(minutes=7), timedelta(days=1)
        )
    assert hersteld == 1
    with session_scope(engine) as session:  # the next round finds nothing to do
        assert (
            oproepen.herstel_gesprekstijden(session, T0 + timedelta(minutes=8), timedelta(1)) == 0
        )
    with read_scope(engine) as session:
        contact = session.get(Contactmoment, antwoord.contactmoment_id)
    assert contact is not None and contact.status == "afgerond"
    assert (contact.gestart_op, contact.beeindigd_op) == (
        T0 + timedelta(seconds=20),
        T0 + timedelta(minutes=4),
    )  # handling time = the talk time, 3 min 40 s


def test_anonymous_and_outgoing_calls(engine: Engine, wereld: Wereld) -> None:
    anoniem = _meld(engine, T0, event="answer", callId="a1", direction="in", answeringNumber="2301",
                    **{"from": "anonymous"})  # fmt: skip
    uit = _meld(engine, T0, event="answer", callId="u1", direction="out", answeringNumber="2301",
                **{"from": "0235114258", "to": "0612345678"})  # fmt: skip
    onbekend = _meld(engine, T0, event="answer", callId="o1", direction="in",
                     answeringNumber="9999", **{"from": "0612345678"})  # fmt: skip
    with read_scope(engine) as session:
        contacten = list(session.execute(select(Contactmoment)).scalars())
    assert len(contacten) == 1 and contacten[0].id == anoniem.contactmoment_id
    assert contacten[0].contact_nummer == "" and contacten[0].klant_id is None
    assert uit.contactmoment_id is None and uit.medewerker_id == wereld.agent.id
    assert onbekend.medewerker_id is None and onbekend.contactmoment_id is None


def test_settings_from_environment_and_files(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("# telefooncentrale\ncentrale-token-0123456789\n", encoding="utf-8")
    wachtwoord = tmp_path / "smtp"
    wachtwoord.write_text("geheim-wachtwoord\n", encoding="utf-8")
    toml = tmp_path / "kiss.toml"
    toml.write_text(
        f'[dienst]\npoort = 9001\ntokenbestand = "{tokens}"\n'
        f'[mail]\nhost = "smtp.gemeente.test"\nstarttls = true\nherinnering = "06:30"\n'
        f'gebruiker = "kiss"\nwachtwoordbestand = "{wachtwoord}"\n',
        encoding="utf-8",
    )
    instellingen = laad(toml, {"KISS_DIENST_ADRES": "0.0.0.0"})
    assert (instellingen.adres, instellingen.poort) == ("0.0.0.0", 9001)
    assert instellingen.tokens == ("centrale-token-0123456789",)
    assert instellingen.mail.starttls and instellingen.mail.herinnering.hour == 6
    assert instellingen.mail.wachtwoord == "geheim-wachtwoord"
    assert "geheim" not in repr(instellingen) and "centrale-token" not in repr(instellingen)
    with pytest.raises(InstellingFout, match="minstens 16 tekens"):
        laad(toml, {"KISS_DIENST_TOKENS": "kort"})
    with pytest.raises(InstellingFout, match="niet te lezen"):
        laad(toml, {"KISS_DIENST_TOKENBESTAND": str(tmp_path / "weg")})


def test_phone_numbers_from_the_phone_system() -> None:
    assert cti.beller("31612345678") == "+31612345678"
    assert cti.beller("0031612345678") == "+31612345678"
    assert cti.beller("anonymous") == ""
    with pytest.raises(cti.OngeldigeMelding) as fout:
        cti.lees_formulier([("event", "answer"), ("callId", "a"), ("callId", "b")])
    assert fout.value.fouten == {"callId": "komt meer dan eens voor"}


def test_calls_older_than_the_retention_are_deleted(engine: Engine, wereld: Wereld) -> None:
    _meld(engine, T0 - timedelta(days=800), event="newCall", callId="oud", **{"from": "0612"})
    _meld(engine, T0 - timedelta(days=800), event="hangup", callId="oud")
    _meld(engine, T0, event="newCall", callId="nieuw", **{"from": "0612345678"})
    with session_scope(engine) as session:
        assert oproepen.opschonen(session, T0 - timedelta(days=730)) == 1
    with read_scope(engine) as session:
        assert [o.call_id for o in session.execute(select(Oproep)).scalars()] == ["nieuw"]
        assert {g.call_id for g in session.execute(select(OproepGebeurtenis)).scalars()} == {
            "nieuw"
        }
