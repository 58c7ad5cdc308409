"""Model round trips on SQLite and PostgreSQL: UUIDs, aware timestamps, JSON, dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from kiss.db import make_engine, session_scope
from kiss.models import (
    Afdeling,
    Auditregel,
    Contactmoment,
    DigitaalAdres,
    Gemeente,
    Kennisartikel,
    Klant,
    Medewerker,
    Team,
    Terugbelnotitie,
    Zaak,
)


def test_round_trip_keeps_every_kind_of_value(engine: Engine) -> None:
    amsterdam = timezone(timedelta(hours=1))
    gestart = datetime(2026, 3, 29, 1, 30, tzinfo=amsterdam)
    with session_scope(engine) as session:
        gemeente = Gemeente(naam="Haarlem", code="0392")
        afdeling = Afdeling(naam="Burgerzaken")
        session.add_all([gemeente, afdeling])
        session.flush()
        team = Team(naam="Reisdocumenten", afdeling_id=afdeling.id)
        session.add(team)
        session.flush()
        medewerker = Medewerker(
            voornaam="Zoë",
            achternaam="Çelik",
            afdeling_id=afdeling.id,
            team_id=team.id,
            rollen="kcc;privacy",
        )
        klant = Klant(
            bsn="999990019",
            voornamen="Anna",
            voorvoegsel="van den",
            achternaam="Berg",
            geboortedatum=date(1975, 7, 7),
            postcode="2011 AB",
            huisnummer=12,
            gemeente_id=gemeente.id,
            extra_hulp=True,
            taal="Engels",
        )
        session.add_all([medewerker, klant])
        session.flush()
        session.add(
            DigitaalAdres(klant_id=klant.id, waarde="06-12345678", genormaliseerd="+31612345678")
        )
        artikel = Kennisartikel(
            sleutel="paspoort",
            titel="Paspoort",
            trefwoorden=["reis", "pas"],
            vragen=[{"vraag": "Kosten?", "antwoord": "Zie tarieven"}],
            gemeenten=["Haarlem"],
        )
        session.add(artikel)
        session.flush()
        contact = Contactmoment(
            kanaal="telefoon",
            klant_id=klant.id,
            medewerker_id=medewerker.id,
            gestart_op=gestart,
            artikel_id=artikel.id,
            gemeente_id=gemeente.id,
        )
        session.add(contact)
        session.flush()
        session.add(
            Terugbelnotitie(
                contactmoment_id=contact.id,
                klant_id=klant.id,
                deadline=gestart + timedelta(hours=48),
                toegewezen_team_id=team.id,
            )
        )
        session.add(
            Zaak(
                identificatie="ZAAK-1",
                klant_id=klant.id,
                zaaktype="Melding",
                startdatum=date(2026, 3, 1),
                behandelaar_id=medewerker.id,
            )
        )
        session.add(
            Auditregel(actie="klantbeeld_geopend", klant_id=klant.id, medewerker_id=medewerker.id)
        )
        klant_id, contact_id = klant.id, contact.id

    with Session(engine) as session:
        klant = session.get(Klant, klant_id)
        assert klant is not None and klant.weergavenaam == "Anna van den Berg"
        assert klant.geboortedatum == date(1975, 7, 7) and klant.extra_hulp
        contact = session.get(Contactmoment, contact_id)
        assert contact is not None
        assert contact.gestart_op.tzinfo is not None
        assert contact.gestart_op == gestart  # same instant, returned in UTC
        assert contact.gestart_op.utcoffset() == timedelta(0)
        assert contact.status == "concept" and contact.taal == "nld"
        artikel = session.exec(select(Kennisartikel)).one()
        assert artikel.trefwoorden == ["reis", "pas"] and artikel.vragen[0]["vraag"] == "Kosten?"
        notitie = session.exec(select(Terugbelnotitie)).one()
        assert notitie.deadline - contact.gestart_op == timedelta(hours=48)
        assert notitie.versie == 1 and notitie.status == "open"
        medewerker = session.exec(select(Medewerker)).one()
        assert medewerker.naam == "Zoë Çelik" and medewerker.rollenset == {"kcc", "privacy"}
        adres = session.exec(select(DigitaalAdres)).one()
        assert adres.genormaliseerd == "+31612345678"


def test_naive_timestamps_are_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="tijdzone"), session_scope(engine) as session:
        session.add(Contactmoment(kanaal="balie", gestart_op=datetime(2026, 1, 1, 12)))
        session.flush()


def test_bsn_is_unique(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(Klant(bsn="999990019", achternaam="A"))
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Klant(bsn="999990019", achternaam="B"))
        session.flush()


def test_data_written_in_one_run_is_there_after_a_restart(database_url: str) -> None:
    first = make_engine(database_url)
    with session_scope(first) as session:
        session.add(Gemeente(naam="Zandvoort", code="0473"))
    first.dispose()
    second = make_engine(database_url)
    with Session(second) as session:
        assert session.exec(select(Gemeente.naam)).all() == ["Zandvoort"]
    second.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    with pytest.raises(IntegrityError), session_scope(sqlite_engine) as session:
        session.add(DigitaalAdres(klant_id=Klant().id, waarde="x", genormaliseerd="x"))
        session.flush()


def test_timestamps_come_back_in_utc(engine: Engine) -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(Auditregel(actie="test", moment=moment))
    with Session(engine) as session:
        assert session.exec(select(Auditregel.moment)).one() == moment
