"""Retention is complete and safe: klanten with nothing left go with their adressen; an open
zaak or a recent contact keeps them; absurd settings and other roles are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Contactmoment, DigitaalAdres, Klant, Medewerker, Zaak
from kiss.rollen import GeenToegang
from kiss.services.bewaartermijn import schoon_op, valideer_termijnen
from kiss.validation import ValidatieFout

NU = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
OUD = NU - timedelta(days=800)


def _klant(session: Session, naam: str) -> Klant:
    klant = Klant(achternaam=naam, aangemaakt_op=OUD, gewijzigd_op=OUD)
    session.add(klant)
    session.flush()
    session.add(DigitaalAdres(klant_id=klant.id, waarde="06", genormaliseerd=f"+31{naam}"))
    return klant


def test_klanten_without_anything_left_go_with_their_adressen(engine: Engine) -> None:
    with session_scope(engine) as session:
        beheerder = Medewerker(achternaam="Beheer", rollen="beheerder")
        session.add(beheerder)
        weg = _klant(session, "weg")
        session.add(Contactmoment(kanaal="telefoon", klant_id=weg.id, gestart_op=OUD))
        recent = _klant(session, "recent")
        session.add(Contactmoment(kanaal="balie", klant_id=recent.id, gestart_op=NU))
        met_zaak = _klant(session, "zaak")
        session.add(Zaak(identificatie="Z-1", klant_id=met_zaak.id, zaaktype="melding",
                         startdatum=date(2024, 1, 1)))  # fmt: skip
        session.flush()
        droog = schoon_op(session, door=beheerder, nu=NU, contactmomenten_dagen=730,
                          audit_dagen=1825, droog=True)  # fmt: skip
        verslag = schoon_op(session, door=beheerder, nu=NU, contactmomenten_dagen=730,
                            audit_dagen=1825)  # fmt: skip
    assert (droog.klanten, droog.digitale_adressen) == (1, 1)
    assert (verslag.klanten, verslag.digitale_adressen, verslag.contactmomenten) == (1, 1, 1)
    with Session(engine) as session:
        namen = set(session.execute(select(Klant.achternaam)).scalars())
        assert namen == {"recent", "zaak"}
        assert session.execute(select(func.count()).select_from(DigitaalAdres)).scalar_one() == 2


@pytest.mark.parametrize(
    ("contact", "audit", "melding"),
    [
        (-5, 1825, "contactmomenten_dagen = -5 dagen kan niet"),
        (730, 0, "audit_dagen = 0 dagen kan niet"),
        (10, 1825, "kies tussen 30 en 3650"),
        (3000, 1000, "minstens zo lang"),
        ("730", 1825, "geheel aantal dagen"),
    ],
)
def test_absurd_periods_are_refused_in_dutch(contact: object, audit: object, melding: str) -> None:
    with pytest.raises(ValidatieFout, match=melding):
        valideer_termijnen(contact, audit)


def test_only_a_beheerder_may_clean_up(engine: Engine) -> None:
    with session_scope(engine) as session:
        agent = Medewerker(achternaam="Agent", rollen="kcc;teamlead;privacy")
        session.add(agent)
        session.add(Contactmoment(kanaal="telefoon", gestart_op=OUD))
        session.flush()
        with pytest.raises(GeenToegang, match="geen rechten"):
            schoon_op(session, door=agent, nu=NU, contactmomenten_dagen=730, audit_dagen=1825)
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Contactmoment)).scalar_one() == 1
