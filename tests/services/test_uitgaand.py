"""The generic outbox: written with the change, sent in order, exactly once, retried, parked."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from kiss.db import session_scope
from kiss.models import Uitgaand, UitgaandStatus
from kiss.services import uitgaand
from kiss.services.uitgaand import Geweigerd, TijdelijkeFout

NU = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # after every plaats in these tests


def _aantal(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(Uitgaand)).scalar_one()


def test_row_commits_and_rolls_back_with_the_change_and_twice_is_once(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        uitgaand.plaats(session, soort="mail", sleutel="a", groep="g", payload={"x": 1})
        raise RuntimeError("opslaan mislukt")
    assert _aantal(engine) == 0

    with session_scope(engine) as session:
        eerste = uitgaand.plaats(session, soort="mail", sleutel="a", groep="g", payload={"x": 1})
        tweede = uitgaand.plaats(session, soort="mail", sleutel="a", groep="g", payload={"x": 2})
        assert eerste.id == tweede.id
    with session_scope(engine) as session:
        again = uitgaand.plaats(session, soort="mail", sleutel="a", groep="g", payload={"x": 3})
        assert again.payload == {"x": 1}
    assert _aantal(engine) == 1


def test_in_order_per_group_retry_with_backoff_then_sent(engine: Engine) -> None:
    with session_scope(engine) as session:
        for i in range(3):
            uitgaand.plaats(session, soort="ok", sleutel=f"g1-{i}", groep="g1", payload={"i": i})
        uitgaand.plaats(session, soort="ok", sleutel="g2-0", groep="g2", payload={"i": 9})
        uitgaand.plaats(session, soort="mail", sleutel="m", groep="g1", payload={})

    gezien: list[str] = []
    storing = {"aan": True}

    def verzend(rij: Uitgaand) -> str | None:
        if storing["aan"] and rij.sleutel == "g1-0":
            raise TijdelijkeFout("Register niet bereikbaar")
        gezien.append(rij.sleutel)
        return f"remote-{rij.sleutel}"

    eerste = uitgaand.verwerk(engine, "ok", verzend, nu=NU)
    # g1-0 failed, so g1-1 and g1-2 wait; g2 is independent; soort "mail" is not touched
    assert (eerste.verzonden, eerste.opnieuw) == (1, 1)
    assert gezien == ["g2-0"]
    assert eerste.fouten == ["Register niet bereikbaar"]

    storing["aan"] = False
    te_vroeg = uitgaand.verwerk(engine, "ok", verzend, nu=NU + timedelta(seconds=10))
    assert te_vroeg.behandeld == 0  # back-off: not due yet

    later = uitgaand.verwerk(engine, "ok", verzend, nu=NU + uitgaand.wachttijd(1))
    assert later.verzonden == 3
    assert gezien == ["g2-0", "g1-0", "g1-1", "g1-2"]
    with session_scope(engine) as session:
        rij = session.execute(select(Uitgaand).where(Uitgaand.sleutel == "g1-0")).scalar_one()
        assert rij.status == UitgaandStatus.VERZONDEN
        assert rij.pogingen == 2
        assert rij.extern_id == "remote-g1-0"
        assert rij.verzonden_op == NU + uitgaand.wachttijd(1)
        assert rij.laatste_fout == ""
        mail = session.execute(select(Uitgaand).where(Uitgaand.sleutel == "m")).scalar_one()
        assert mail.status == UitgaandStatus.WACHTEND


def test_backoff_grows_and_is_capped() -> None:
    assert uitgaand.wachttijd(1) == timedelta(seconds=30)
    assert uitgaand.wachttijd(2) == timedelta(minutes=1)
    assert uitgaand.wachttijd(3) == timedelta(minutes=2)
    assert uitgaand.wachttijd(50) == timedelta(hours=1)


def test_refusal_parks_with_reason_and_holds_its_group(engine: Engine) -> None:
    with session_scope(engine) as session:
        uitgaand.plaats(session, soort="ok", sleutel="a1", groep="a", payload={})
        uitgaand.plaats(session, soort="ok", sleutel="a2", groep="a", payload={})
        uitgaand.plaats(session, soort="ok", sleutel="b1", groep="b", payload={})

    def verzend(rij: Uitgaand) -> str | None:
        if rij.sleutel == "a1":
            raise Geweigerd("telefoonnummer: Het opgegeven telefoonnummer is ongeldig.")
        return None

    resultaat = uitgaand.verwerk(engine, "ok", verzend, nu=NU)
    assert (resultaat.verzonden, resultaat.geparkeerd) == (1, 1)
    # parked rows are not retried, and the rest of their group waits for the beheerder
    assert uitgaand.verwerk(engine, "ok", verzend, nu=NU + timedelta(days=1)).behandeld == 0

    with session_scope(engine) as session:
        stand = uitgaand.overzicht(session, "ok")
    assert stand.wachtend == 1
    assert stand.verzonden == 1
    assert stand.laatste_succes == NU
    assert [(p.sleutel, p.reden) for p in stand.geparkeerd] == [
        ("a1", "telefoonnummer: Het opgegeven telefoonnummer is ongeldig.")
    ]

    with session_scope(engine) as session:
        assert uitgaand.opnieuw_aanbieden(session, stand.geparkeerd[0].id, nu=NU)
    daarna = uitgaand.verwerk(engine, "ok", lambda rij: None, nu=NU + timedelta(days=1))
    assert daarna.verzonden == 2


def test_concurrent_runners_send_each_row_once_and_in_order(engine: Engine) -> None:
    groepen, per_groep = 6, 5
    with session_scope(engine) as session:
        for g in range(groepen):
            for i in range(per_groep):
                uitgaand.plaats(
                    session, soort="ok", sleutel=f"{g}-{i}", groep=f"g{g}", payload={"i": i}
                )
    verzonden: list[tuple[str, int]] = []
    lock = threading.Lock()
    fouten: list[BaseException] = []

    def verzend(rij: Uitgaand) -> str | None:
        with lock:
            verzonden.append((rij.groep, rij.payload["i"]))
        return None

    def runner() -> None:
        try:
            while uitgaand.verwerk(engine, "ok", verzend, nu=NU, max_aantal=3).behandeld:
                pass
        except BaseException as fout:  # pragma: no cover - reported below
            fouten.append(fout)

    threads = [threading.Thread(target=runner) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not fouten
    assert len(verzonden) == groepen * per_groep
    assert len(set(verzonden)) == groepen * per_groep  # nothing twice
    for g in range(groepen):
        assert [i for groep, i in verzonden if groep == f"g{g}"] == list(range(per_groep))


def test_opruimen_deletes_only_rows_sent_long_ago(engine: Engine) -> None:
    with session_scope(engine) as session:
        for sleutel in ("oud", "nieuw", "wacht"):
            uitgaand.plaats(session, soort="ok", sleutel=sleutel, groep=sleutel, payload={})
    uitgaand.verwerk(engine, "ok", lambda rij: None, nu=NU, max_aantal=2)  # oud, nieuw sent
    with session_scope(engine) as session:
        session.execute(
            Uitgaand.__table__.update()
            .where(Uitgaand.sleutel == "nieuw")
            .values(verzonden_op=NU + timedelta(days=10))
        )
    with session_scope(engine) as session:
        assert uitgaand.opruimen(session, ouder_dan=NU + timedelta(days=1), soort="ok") == 1
    with session_scope(engine) as session:
        over = session.execute(select(Uitgaand.sleutel).order_by(Uitgaand.sleutel)).scalars()
        assert list(over) == ["nieuw", "wacht"]
