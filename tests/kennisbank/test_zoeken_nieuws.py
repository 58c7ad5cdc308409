"""Nieuws en werkinstructies in the kennisbank search (issue 17): a published werkinstructie is
found like an article, by the rule the start screen uses (publish window at the moment of the
search, doelgroep), per gemeente; an edit, an unpublish or a removal reaches another agent's
search within a second without rebuilding the index."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiss.db import session_scope
from kiss.models import Medewerker
from kiss.search.index import SearchIndex
from kiss.services.beheer import nieuws
from kiss.services.beheer.nieuws import NieuwsInvoer
from kiss.services.kennisbank.artikelen import importeer_pad
from kiss.services.kennisbank.zoeken import KennisbankZoeker
from tests.beheer.conftest import NU, Beheerwereld, bouw_beheerwereld

DATA = Path(__file__).resolve().parents[2] / "data" / "kennisbank"

STORING = NieuwsInvoer(
    "Storing bij het aanvragen van een parkeervergunning",
    "Het digitale loket voor de **parkeervergunning** ligt eruit. Noteer naam en kenteken en "
    "maak een terugbelnotitie voor Parkeren; de vergunning gaat in op de dag van de aanvraag.",
    soort="werkinstructie",
    publiceren_van=NU - timedelta(hours=1),
)


@pytest.fixture
def bw(engine: Engine) -> Beheerwereld:
    with session_scope(engine) as session:
        assert not importeer_pad(session, DATA).fouten
    return bouw_beheerwereld(engine)


def _schrijf(engine: Engine, bw: Beheerwereld, invoer: NieuwsInvoer, **opties: object) -> uuid.UUID:
    with session_scope(engine) as session:
        return nieuws.bewaar(session, bw.redacteur, invoer, nu=NU, **opties).id  # type: ignore[arg-type]


def _sleutels(
    zoeker: KennisbankZoeker, tekst: str, wie: Medewerker | None, nu=NU, **opties: object
) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The items found (articles left out), by the words."""
    opties.setdefault("betekenis", False)
    resultaat = zoeker.zoek_resultaat(tekst, bezig=False, voor=wie, nu=nu, **opties)  # type: ignore[arg-type]
    return [(t.soort, t.sleutel) for t in resultaat.treffers if not t.is_artikel]


def test_a_published_werkinstructie_is_found_by_a_callers_question(
    engine: Engine, bw: Beheerwereld
) -> None:
    item = _schrijf(engine, bw, STORING)
    zoeker = KennisbankZoeker(engine)
    resultaat = zoeker.zoek_resultaat(
        "het aanvragen van mijn parkeervergunning lukt niet, het loket is stuk",
        bezig=False, voor=bw.wereld.agent, nu=NU, betekenis=False,
    )  # fmt: skip
    eerste = resultaat.treffers[0]
    assert (eerste.soort, eerste.id, eerste.sleutel) == ("werkinstructie", item, f"nieuws:{item}")
    assert eerste.titel == STORING.titel and "loket" in eerste.samenvatting
    assert not resultaat.geen_goed_antwoord  # an item counts as a fitting answer
    # articles keep their own sleutel and soort next to it
    paspoort = zoeker.zoek_resultaat("paspoort aanvragen", bezig=False, betekenis=False)
    assert ("artikel", "paspoort-aanvragen") in [(t.soort, t.sleutel) for t in paspoort.treffers]
    # found by meaning as well (the vectors are computed for items too)
    zoeker.bereken_vectoren()
    assert zoeker.vectoren is not None and f"nieuws:{item}" in zoeker.vectoren.versies()
    met_betekenis = zoeker.zoek_resultaat(
        "mijn parkeervergunning aanvragen gaat mis want de website doet het niet",
        bezig=False, voor=bw.wereld.agent, nu=NU, betekenis=True,
    )  # fmt: skip
    assert f"nieuws:{item}" in [t.sleutel for t in met_betekenis.treffers[:3]]


def test_unpublished_expired_and_future_items_follow_the_clock_of_the_search(
    engine: Engine, bw: Beheerwereld
) -> None:
    agent = bw.wereld.agent
    verlopen = _schrijf(engine, bw, NieuwsInvoer(
        "Kwakkelwinterpremie verlopen", "Oude regeling.", soort="werkinstructie",
        publiceren_van=NU - timedelta(days=5), publiceren_tot=NU - timedelta(days=1)))  # fmt: skip
    straks = _schrijf(engine, bw, NieuwsInvoer(
        "Kwakkelwinterpremie morgen", "De nieuwe regeling.", soort="nieuws",
        publiceren_van=NU + timedelta(hours=2)))  # fmt: skip
    zoeker = KennisbankZoeker(engine)
    assert _sleutels(zoeker, "kwakkelwinterpremie", agent) == []
    # the moment passes: found without anything being indexed again
    zoeker.actueel()
    upserts = _tel_upserts(zoeker)
    assert _sleutels(zoeker, "kwakkelwinterpremie", agent, nu=NU + timedelta(hours=2)) == [
        ("nieuws", f"nieuws:{straks}")
    ]
    assert upserts() == 0
    # still not the expired one; and once its own end passes, the new one goes too
    later = NU + timedelta(days=3)
    _schrijf(engine, bw, NieuwsInvoer(
        "Kwakkelwinterpremie morgen", "De nieuwe regeling.", publiceren_van=NU + timedelta(hours=2),
        publiceren_tot=NU + timedelta(days=1)), item_id=straks)  # fmt: skip
    zoeker.vergeet()
    assert _sleutels(zoeker, "kwakkelwinterpremie", agent, nu=later) == []
    assert verlopen not in {t.id for t in zoeker.zoek("kwakkelwinterpremie", nu=later)}


def _tel_upserts(zoeker: KennisbankZoeker):  # type: ignore[no-untyped-def]
    """A counter of the documents this zoeker's index writes from now on."""
    index = zoeker.actueel()
    geteld = {"n": 0}
    origineel = index.upsert_many

    def tel(docs):  # type: ignore[no-untyped-def]
        docs = list(docs)
        geteld["n"] += len(docs)
        return origineel(docs)

    index.upsert_many = tel  # type: ignore[method-assign]
    return lambda: geteld["n"]


def test_doelgroep_and_gemeente_as_on_the_start_screen(engine: Engine, bw: Beheerwereld) -> None:
    backoffice = _schrijf(engine, bw, NieuwsInvoer(
        "Wachtrij kwakkelwinterpremie", "Alleen voor de backoffice.", soort="werkinstructie",
        skills=("backoffice",), publiceren_van=NU - timedelta(hours=1)))  # fmt: skip
    zandvoort = _schrijf(engine, bw, NieuwsInvoer(
        "Strandpas kwakkelwinterpremie", "Alleen Zandvoort.", soort="werkinstructie",
        gemeente="Zandvoort", publiceren_van=NU - timedelta(hours=1)))  # fmt: skip
    zoeker = KennisbankZoeker(engine)
    agent = bw.wereld.agent  # kcc, not backoffice
    with session_scope(engine) as session:
        start = {r.id for r in nieuws.voor_mij(session, agent, nu=NU)}
    assert backoffice not in start
    wachtrij = ("werkinstructie", f"nieuws:{backoffice}")
    assert wachtrij not in _sleutels(zoeker, "wachtrij kwakkelwinterpremie", agent)
    assert wachtrij not in _sleutels(zoeker, "wachtrij kwakkelwinterpremie", None)  # nobody
    with session_scope(engine) as session:
        ik = session.get(Medewerker, agent.id)
        assert ik is not None
        ik.expertise = "Backoffice"
        session.flush()
        session.refresh(ik)
        session.expunge(ik)
    assert _sleutels(zoeker, "wachtrij kwakkelwinterpremie", ik)[0] == wachtrij
    assert _sleutels(zoeker, "strandpas", agent, gemeente="Haarlem") == []
    assert _sleutels(zoeker, "strandpas", agent, gemeente="Zandvoort") == [
        ("werkinstructie", f"nieuws:{zandvoort}")
    ]


def test_an_edit_unpublish_and_removal_reach_another_index_within_a_second(
    engine: Engine, bw: Beheerwereld
) -> None:
    item = _schrijf(engine, bw, STORING)
    KennisbankZoeker(engine).actueel()  # this agent built the index file
    ander = KennisbankZoeker(engine)  # another agent: opens the same file
    assert ander.pad is not None and Path(ander.pad).exists()
    agent = bw.wereld.agent
    assert _sleutels(ander, "parkeervergunning loket", agent)[0] == (
        "werkinstructie", f"nieuws:{item}",
    )  # fmt: skip
    upserts = _tel_upserts(ander)

    def wacht_tot(tekst: str, gevonden: bool) -> float:
        begin = time.perf_counter()
        while time.perf_counter() - begin < 5:
            treffers = _sleutels(ander, tekst, agent)
            if (("werkinstructie", f"nieuws:{item}") in treffers) == gevonden:
                return time.perf_counter() - begin
            time.sleep(0.02)
        raise AssertionError(f"{tekst!r} na 5 s nog {'niet ' if gevonden else ''}gevonden")

    _schrijf(engine, bw, NieuwsInvoer(STORING.titel, STORING.tekst + " Vraag naar de "
             "zuurkoolregeling.", soort="werkinstructie", publiceren_van=STORING.publiceren_van),
             item_id=item)  # fmt: skip
    assert wacht_tot("zuurkoolregeling", True) < 1.0
    assert upserts() == 1  # only the edited item, no rebuild
    _schrijf(engine, bw, NieuwsInvoer(STORING.titel, STORING.tekst, soort="werkinstructie",
             publiceren_van=STORING.publiceren_van, publiceren_tot=NU - timedelta(minutes=1)),
             item_id=item)  # unpublished  # fmt: skip
    assert wacht_tot("parkeervergunning loket", False) < 1.0
    _schrijf(engine, bw, STORING, item_id=item)  # published again
    assert wacht_tot("parkeervergunning loket", True) < 1.0
    with session_scope(engine) as session:
        nieuws.verwijder(session, bw.redacteur, item, nu=NU)
    assert wacht_tot("parkeervergunning loket", False) < 1.0
    ander.vergeet()
    index = SearchIndex(ander.actueel().fields, path=ander.pad)
    assert f"nieuws:{item}" not in index  # removed from the file itself
    assert upserts() <= 3  # the item on its own, never the articles
