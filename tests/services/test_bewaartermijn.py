"""Retention: old contacts and closed notes go, open notes and recent data stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Auditregel, Contactmoment, Medewerker, Terugbelnotitie, Terugbelpoging
from kiss.services import audit
from kiss.services.bewaartermijn import schoon_op

NU = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _vul(engine: Engine) -> None:
    oud = NU - timedelta(days=800)
    recent = NU - timedelta(days=10)
    with session_scope(engine) as session:
        oud_contact = Contactmoment(kanaal="telefoon", gestart_op=oud, status="afgerond")
        oud_open = Contactmoment(kanaal="balie", gestart_op=oud, status="afgerond")
        nieuw = Contactmoment(kanaal="e-mail", gestart_op=recent, status="afgerond")
        session.add_all([oud_contact, oud_open, nieuw])
        session.flush()
        dicht = Terugbelnotitie(
            contactmoment_id=oud_contact.id,
            deadline=oud,
            status="afgehandeld",
            afgehandeld_op=oud + timedelta(hours=3),
            aangemaakt_op=oud,
        )
        nog_open = Terugbelnotitie(
            contactmoment_id=oud_open.id,
            deadline=oud,
            status="open",
            aangemaakt_op=oud,
            vraag="Nog steeds geen antwoord",
        )
        session.add_all([dicht, nog_open])
        session.flush()
        session.add(Terugbelpoging(terugbelnotitie_id=dicht.id, moment=oud, bereikt=True))
        session.add(Auditregel(actie="klantbeeld_geopend", moment=NU - timedelta(days=2000)))
        session.add(Auditregel(actie="klantbeeld_geopend", moment=recent))


def _beheerder(session: Session) -> Medewerker:
    beheerder = Medewerker(gebruikersnaam="beheer", achternaam="Beheer", rollen="beheerder")
    session.add(beheerder)
    session.flush()
    return beheerder


def _tel(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_dry_run_counts_without_removing(engine: Engine) -> None:
    _vul(engine)
    with session_scope(engine) as session:
        verslag = schoon_op(
            session, door=_beheerder(session), nu=NU, contactmomenten_dagen=730,
            audit_dagen=1825, droog=True,
        )  # fmt: skip
    assert (verslag.contactmomenten, verslag.terugbelnotities, verslag.auditregels) == (2, 1, 1)
    assert _tel(engine, Contactmoment) == 3
    assert _tel(engine, Auditregel) == 3  # the dry run itself is audited


def test_old_data_goes_open_notes_and_recent_data_stay(engine: Engine) -> None:
    _vul(engine)
    with session_scope(engine) as session:
        schoon_op(
            session, door=_beheerder(session), nu=NU, contactmomenten_dagen=730, audit_dagen=1825
        )
    with Session(engine) as session:
        assert session.execute(select(Contactmoment.kanaal)).scalars().all() == ["e-mail"]
        notitie = session.execute(select(Terugbelnotitie)).scalar_one()
        assert notitie.status == "open" and notitie.contactmoment_id is None
        assert notitie.vraag == "Nog steeds geen antwoord"
    assert _tel(engine, Terugbelpoging) == 0
    with Session(engine) as session:
        acties = session.execute(select(Auditregel.actie).order_by(Auditregel.volgnummer))
        assert list(acties.scalars()) == [
            "klantbeeld_geopend",
            "audit_opgeschoond",
            "bewaartermijn_opgeschoond",
        ]
        assert audit.controleer(session).in_orde  # the chain starts where the record says
