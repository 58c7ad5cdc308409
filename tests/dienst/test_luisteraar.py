"""The desktop side: a listener hears the webhook's events (LISTEN/NOTIFY on PostgreSQL,
polling on SQLite), knows when the dienst is gone, and the teamlead sees missed calls."""

from __future__ import annotations

import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from kiss.db import read_scope
from kiss.services.telefonie.luisteraar import (
    OproepLuisteraar,
    OproepMelding,
    OproepStand,
    Verbinding,
)
from kiss.services.telefonie.oproepen import gemiste_oproepen
from tests.dienst.conftest import Dienst, start_dienst
from tests.factories import Wereld


def _wacht_op(luisteraar: OproepLuisteraar, soort: str, timeout: float) -> OproepMelding:
    einde = time.monotonic() + timeout
    while time.monotonic() < einde:
        for melding in luisteraar.wacht(einde - time.monotonic()):
            if melding.gebeurtenis == soort:
                return melding
    raise AssertionError(f"geen {soort} binnen {timeout} s")


def test_answer_reaches_the_listener_in_time(
    dienst: Dienst, engine: Engine, wereld: Wereld
) -> None:
    """Webhook → the agent's listener: within 300 ms on PostgreSQL, 1 s on SQLite."""
    luisteraar = OproepLuisteraar(engine, wereld.agent.id)
    luisteraar.wacht(0)  # starts at the newest event: older calls never pop
    # generous: the test proves the pop arrives pushed, not polled; the 300 ms / 1 s speed is
    # measured by benchmarks/bench_dienst.py on a quiet machine
    grens = 1.0 if engine.dialect.name == "postgresql" else 2.0
    tijden = []
    try:
        for i in range(5):
            ontvangen: list[OproepMelding] = []

            def luister() -> None:
                ontvangen.append(_wacht_op(luisteraar, "answer", 5))  # noqa: B023

            draad = threading.Thread(target=luister)
            draad.start()
            time.sleep(0.05)
            begin = time.perf_counter()
            status, _ = dienst.cti(
                event="answer", callId=f"lat-{i}", direction="in", answeringNumber="2301",
                **{"from": "0612345678"},
            )  # fmt: skip
            draad.join(5)
            tijden.append(time.perf_counter() - begin)
            assert status == 200 and ontvangen
            melding = ontvangen[0]
            assert melding.is_pop and melding.voor_mij and melding.contactmoment_id is not None
        assert luisteraar.status is Verbinding.VERBONDEN
    finally:
        luisteraar.sluit()
    print(
        f"\n{engine.dialect.name}: webhook → listener p50 {statistics.median(tijden) * 1e3:.0f} ms,"
        f" max {max(tijden) * 1e3:.0f} ms"
    )
    # the machine is shared with other test runs: judge the median, not one outlier
    assert statistics.median(tijden) < grens


def test_colleagues_see_the_call_ring_but_get_no_pop(
    dienst: Dienst, engine: Engine, wereld: Wereld
) -> None:
    luisteraar = OproepLuisteraar(engine, wereld.collega.id)
    luisteraar.wacht(0)
    stand = OproepStand()
    try:
        dienst.cti(event="newCall", callId="r1", direction="in", queue="KCC",
                   user=["Anna de Wit", "Bram Bos"], **{"from": "0612345678"})  # fmt: skip
        stand.verwerk([_wacht_op(luisteraar, "newCall", 3)])
        assert stand.tekst(Verbinding.VERBONDEN) == "☎ 1 binnenkomend"
        dienst.cti(event="answer", callId="r1", direction="in", answeringNumber="2301")
        antwoord = _wacht_op(luisteraar, "answer", 3)
        stand.verwerk([antwoord])
        assert not antwoord.is_pop and antwoord.contactmoment_id is None
        assert stand.tekst(Verbinding.VERBONDEN) == "☎ verbonden"
    finally:
        luisteraar.sluit()


def test_a_stopped_dienst_shows_as_lost_connection(
    database_url: str, engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    luisteraar = OproepLuisteraar(engine, wereld.agent.id)
    try:
        luisteraar.wacht(0)
        assert luisteraar.status is Verbinding.GEEN_DIENST  # single-user desk: nothing shown
        assert OproepStand().tekst(luisteraar.status) == ""
        lopend = start_dienst(database_url, tmp_path)
        luisteraar.wacht(1.2)
        assert luisteraar.status is Verbinding.VERBONDEN
        assert lopend.stop() == 0
        luisteraar.wacht(1.2)
        assert luisteraar.status is Verbinding.VERBROKEN
        assert OproepStand().tekst(luisteraar.status) == "☎ geen verbinding met kiss dienst"
    finally:
        luisteraar.sluit()


def test_missed_queue_calls_are_listed_for_the_teamlead(
    dienst: Dienst, engine: Engine, wereld: Wereld
) -> None:
    dienst.cti(event="newCall", callId="m1", direction="in", queue="KCC", **{"from": "0612345678"})
    dienst.cti(event="hangup", callId="m1", direction="in", cause="cancel")
    dienst.cti(event="newCall", callId="m2", direction="in", queue="KCC", **{"from": "0201234567"})
    dienst.cti(event="answer", callId="m2", direction="in", answeringNumber="2301")
    dienst.cti(event="newCall", callId="m3", direction="in", **{"from": "0201234568"})  # no queue
    nu = datetime.now(UTC)
    with read_scope(engine) as session:
        gemist = gemiste_oproepen(
            session, nu - timedelta(hours=1), nu + timedelta(minutes=1), nu=nu,
            wachttijd=timedelta(minutes=10),
        )  # fmt: skip
    assert [(g.call_id, g.nummer, g.wachtrij, g.oorzaak) for g in gemist] == [
        ("m1", "0612345678", "KCC", "cancel")
    ]
