"""Nieuws en werkinstructies: publish windows, doelgroep, read-marks per medewerker, the unread
belangrijk counter and the teamlead's list of who has not read an item."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiss.db import session_scope
from kiss.models import Medewerker
from kiss.rollen import GeenToegang
from kiss.services.beheer import nieuws
from kiss.services.beheer.nieuws import NieuwsInvoer
from kiss.validation import InvoerFouten
from tests.beheer.conftest import NU, Beheerwereld, Klok, bouw_beheerwereld, meld_aan, werkplek


def _schrijf(engine: Engine, door: Medewerker, invoer: NieuwsInvoer) -> uuid.UUID:
    with session_scope(engine) as session:
        return nieuws.bewaar(session, door, invoer, nu=NU).id


def _stand(engine: Engine, wie: Medewerker, nu=NU) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return nieuws.stand(session, wie, nu=nu).ongelezen_belangrijk


def _voor(engine: Engine, wie: Medewerker, nu=NU) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return [r.titel for r in nieuws.voor_mij(session, wie, nu=nu)]


@pytest.fixture
def bw(engine: Engine) -> Beheerwereld:
    return bouw_beheerwereld(engine)


def test_publish_window_doelgroep_and_order(engine: Engine, bw: Beheerwereld) -> None:
    agent = bw.wereld.agent
    _schrijf(
        engine, bw.redacteur, NieuwsInvoer("Oud nieuws", publiceren_van=NU - timedelta(days=2))
    )
    _schrijf(
        engine, bw.redacteur, NieuwsInvoer("Vers nieuws", publiceren_van=NU - timedelta(hours=1))
    )
    _schrijf(
        engine,
        bw.redacteur,
        NieuwsInvoer("Storing DigiD", belangrijk=True, publiceren_van=NU - timedelta(days=3)),
    )
    _schrijf(
        engine,
        bw.redacteur,
        NieuwsInvoer("Morgen pas", belangrijk=True, publiceren_van=NU + timedelta(hours=2)),
    )
    _schrijf(
        engine,
        bw.redacteur,
        NieuwsInvoer(
            "Verlopen", publiceren_van=NU - timedelta(days=5), publiceren_tot=NU - timedelta(days=1)
        ),
    )
    _schrijf(
        engine,
        bw.redacteur,
        NieuwsInvoer(
            "Alleen backoffice", skills=("backoffice",), publiceren_van=NU - timedelta(minutes=5)
        ),
    )
    _schrijf(engine, bw.redacteur, NieuwsInvoer(
        "Werkinstructie KCC", soort="werkinstructie", skills=("KCC",),
        publiceren_van=NU - timedelta(minutes=10)))  # fmt: skip
    assert _voor(engine, agent) == [
        "Storing DigiD",
        "Werkinstructie KCC",
        "Vers nieuws",
        "Oud nieuws",
    ]
    assert _stand(engine, agent) == 1
    # the future item appears at its moment, and counts from then on
    later = NU + timedelta(hours=2)
    assert _voor(engine, agent, later)[:2] == ["Morgen pas", "Storing DigiD"]
    assert _stand(engine, agent, later) == 2


def test_read_marks_are_per_medewerker(engine: Engine, bw: Beheerwereld) -> None:
    agent, collega = bw.wereld.agent, bw.wereld.collega
    belangrijk = _schrijf(engine, bw.redacteur, NieuwsInvoer("Let op", belangrijk=True,
                                                             publiceren_van=NU))  # fmt: skip
    _schrijf(engine, bw.redacteur, NieuwsInvoer("Gewoon", publiceren_van=NU))
    with session_scope(engine) as session:
        assert nieuws.markeer_alles_gelezen(session, agent, nu=NU) == 1  # not the belangrijk one
    assert _stand(engine, agent) == 1
    with session_scope(engine) as session:
        nieuws.markeer_gelezen(session, agent, belangrijk, nu=NU)
        nieuws.markeer_gelezen(session, agent, belangrijk, nu=NU)  # twice: no error
    assert _stand(engine, agent) == 0
    assert _stand(engine, collega) == 1
    with session_scope(engine) as session:
        gelezen = {r.titel: r.gelezen for r in nieuws.voor_mij(session, collega, nu=NU)}
    assert gelezen == {"Let op": False, "Gewoon": False}


def test_teamlead_sees_who_has_not_read(engine: Engine, bw: Beheerwereld) -> None:
    item = _schrijf(engine, bw.redacteur, NieuwsInvoer(
        "Nieuwe werkwijze paspoort", soort="werkinstructie", belangrijk=True,
        skills=("kcc",), publiceren_van=NU))  # fmt: skip
    with session_scope(engine) as session:
        nieuws.markeer_gelezen(session, bw.wereld.agent, item, nu=NU)
    with session_scope(engine) as session:
        lijst = nieuws.niet_gelezen(session, bw.teamlead, nu=NU)
    assert len(lijst) == 1 and lijst[0].gelezen == 1
    assert lijst[0].niet_gelezen == sorted(
        [bw.wereld.collega.naam, bw.wereld.privacy.naam, bw.teamlead.naam]
    )
    with pytest.raises(GeenToegang), session_scope(engine) as session:
        nieuws.niet_gelezen(session, bw.wereld.agent, nu=NU)


def test_only_redacteuren_write_and_bad_input_is_named(engine: Engine, bw: Beheerwereld) -> None:
    with pytest.raises(GeenToegang):
        _schrijf(engine, bw.wereld.agent, NieuwsInvoer("Mag niet"))
    with pytest.raises(InvoerFouten) as fout:
        _schrijf(
            engine,
            bw.redacteur,
            NieuwsInvoer(
                "", soort="roddel", publiceren_van=NU, publiceren_tot=NU - timedelta(hours=1)
            ),
        )
    assert set(fout.value.fouten) == {"titel", "soort", "publiceren_tot"}


def test_werkplek_counter_follows_reading(engine: Engine, bw: Beheerwereld, tmp_path: Path) -> None:
    klok = Klok()
    agent = werkplek(engine, tmp_path, klok=klok)
    meld_aan(agent, "agent")
    item = _schrijf(
        engine,
        bw.redacteur,
        NieuwsInvoer("Let op", belangrijk=True, publiceren_van=NU + timedelta(minutes=1)),
    )
    assert agent.beheer.peil().nieuws.ongelezen_belangrijk == 0  # type: ignore[union-attr]
    klok.nu = NU + timedelta(minutes=1)
    assert agent.beheer.peil().nieuws.ongelezen_belangrijk == 1  # type: ignore[union-attr]
    agent.beheer.lees(item)
    assert agent.beheer.peil().nieuws.ongelezen_belangrijk == 0  # type: ignore[union-attr]


def test_items_are_offered_as_search_documents_and_shown_by_the_start_screens_rule(
    engine: Engine, bw: Beheerwereld
) -> None:
    invoer = NieuwsInvoer(
        "Paspoort: nieuwe foto-eisen", soort="werkinstructie", tekst="Vanaf maart …",
        publiceren_van=NU,
    )  # fmt: skip
    foto = _schrijf(engine, bw.redacteur, invoer)
    later = _schrijf(
        engine, bw.redacteur, NieuwsInvoer("Nog niet", publiceren_van=NU + timedelta(days=1))
    )
    with session_scope(engine) as session:
        items = nieuws.zoekbare_items(session, [foto, later])
        zichtbaar = nieuws.zichtbaar_voor(session, [foto, later], bw.wereld.agent, nu=NU)
        morgen = nieuws.zichtbaar_voor(
            session, [foto, later], bw.wereld.agent, nu=NU + timedelta(days=1)
        )
        stand = nieuws.vingerafdruk(session)
    # every item that is not removed is a document; who sees it is decided when searching
    assert sorted((i.titel, i.soort) for i in items) == [
        ("Nog niet", "nieuws"), ("Paspoort: nieuwe foto-eisen", "werkinstructie"),
    ]  # fmt: skip
    assert {i.sleutel for i in items} == {f"nieuws:{foto}", f"nieuws:{later}"}
    assert zichtbaar == {foto} and morgen == {foto, later}
    # every edit changes the fingerprint, also with a clock that stands still (NU)
    with session_scope(engine) as session:
        nieuws.bewaar(session, bw.redacteur, invoer, nu=NU, item_id=foto)
    with session_scope(engine) as session:
        assert nieuws.vingerafdruk(session) != stand
        stand = nieuws.vingerafdruk(session)
        nieuws.verwijder(session, bw.redacteur, later, nu=NU)
    with session_scope(engine) as session:
        assert nieuws.vingerafdruk(session) != stand
        assert nieuws.zoekbare_items(session, [later]) == []
