"""When the register fails, stalls, drops the line or refuses: nothing lost, nothing twice,
a refusal parked with the register's own Dutch message, and the agent never waits."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, update

from kiss.db import session_scope
from kiss.models import Klant, OpenklantKoppeling, Uitgaand, UitgaandStatus
from kiss.services import uitgaand
from kiss.services.openklant import verzender
from kiss.services.openklant.config import OpenklantConfig
from kiss.services.terugbel import terugbelnotities
from tests.openklant.register import FakeOpenKlant
from tests.openklant.test_verzenden import LATER, SETTINGS, _contact, _status
from tests.services.test_terugbelnotities import VRIJDAG, invoer_voor, terugbel_wereld


def _tot_rust(
    engine: Engine,
    config: OpenklantConfig,
    register: FakeOpenKlant | None = None,
    rondes: int = 12,
) -> list[str]:
    """Run the sender as cron would, an hour apart, until nothing is due; the messages."""
    meldingen: list[str] = []
    for ronde in range(rondes):
        if register is not None:
            register.wacht_tot_stil()
        resultaat = verzender.sync(engine, config, nu=LATER + timedelta(hours=ronde))
        meldingen += resultaat.fouten
        if resultaat.behandeld == 0:
            break
    return meldingen


def _vul(engine: Engine) -> None:
    tw = terugbel_wereld(engine)
    vragen = _contact(engine, tw, vragen=2)
    _contact(engine, tw, klant=False)  # anonymous
    with session_scope(engine) as session:
        notitie = terugbelnotities.maak_terugbelnotitie(
            session, tw.w.agent, invoer_voor(tw, contactmoment_id=vragen[0]), VRIJDAG, SETTINGS
        )
    with session_scope(engine) as session:
        terugbelnotities.log_poging(
            session, tw.backoffice, notitie.id, True, "Gesproken", VRIJDAG + timedelta(hours=1)
        )


def _tellingen(register: FakeOpenKlant) -> dict[str, int]:
    return {k: len(v) for k, v in register.register.data.items() if v}


@pytest.mark.parametrize(
    "storing",
    [
        {"soort": "timeout_na", "methode": "POST", "pad": "/maak-klantcontact", "aantal": 2},
        {"soort": "timeout_na", "methode": "POST", "pad": "/partijen"},
        {"soort": "timeout_na", "methode": "POST", "pad": "/internetaken"},
        {"soort": "timeout_voor", "methode": "POST", "pad": "/actoren"},
        {"soort": "fout500", "aantal": 3},
        {"soort": "verbreek", "methode": "POST", "aantal": 2},
    ],
    ids=[
        "timeout-klantcontact",
        "timeout-partij",
        "timeout-taak",
        "traag-actor",
        "500",
        "verbroken",
    ],
)
def test_after_failures_and_timeouts_nothing_is_lost_or_duplicated(
    engine: Engine, register: FakeOpenKlant, kort_config: OpenklantConfig, storing: dict
) -> None:
    _vul(engine)
    # the same work against a register that never fails, for comparison
    schoon = FakeOpenKlant().start()
    try:
        verzender_config = OpenklantConfig(url=schoon.url, token=schoon.token, timeout=5)
        register.storing(**storing)

        meldingen = _tot_rust(engine, kort_config, register)

        assert meldingen, "the failure was noticed and reported"
        assert _status(engine).keys() == {"verzonden"}
        assert register.spec_fouten == []
        # the same rows once more, to a register that never fails: the same objects
        with session_scope(engine) as session:
            session.execute(
                update(Uitgaand).values(
                    status=UitgaandStatus.WACHTEND, pogingen=0, volgende_poging_op=VRIJDAG
                )
            )
            session.execute(delete(OpenklantKoppeling))
        _tot_rust(engine, verzender_config)
        assert _tellingen(register) == _tellingen(schoon)
    finally:
        schoon.stop()


def test_a_refusal_is_parked_with_the_registers_message_and_holds_only_its_group(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    tw = terugbel_wereld(engine)
    with session_scope(engine) as session:  # an old record with a BSN that fails the 11-proef
        session.execute(update(Klant).where(Klant.id == tw.w.berg.id).values(bsn="123456789"))
    _contact(engine, tw)  # klant berg: refused
    _contact(engine, tw, klant=False)  # anonymous: goes through

    resultaat = verzender.sync(engine, ok_config, nu=LATER)

    assert (resultaat.verzonden, resultaat.geparkeerd) == (1, 1)
    with session_scope(engine) as session:
        stand = uitgaand.overzicht(session, "openklant")
    [geparkeerd] = stand.geparkeerd
    assert "Ongeldig Burgerservicenummer" in geparkeerd.reden
    assert "POST /partijen (400)" in geparkeerd.reden
    # parked means: not tried again on the next runs
    aantal = len(register.verzoeken)
    assert verzender.sync(engine, ok_config, nu=LATER + timedelta(days=1)).behandeld == 0
    assert len(register.verzoeken) == aantal


def test_a_refusal_on_command_is_parked(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    tw = terugbel_wereld(engine)
    _contact(engine, tw)
    register.storing("weiger", methode="POST", pad="/maak-klantcontact",
                     reden="Het kanaal 'telefoon' is niet toegestaan.")  # fmt: skip
    resultaat = verzender.sync(engine, ok_config, nu=LATER)
    assert resultaat.geparkeerd == 1
    assert "Het kanaal 'telefoon' is niet toegestaan." in resultaat.fouten[0]


def test_register_down_keeps_rows_waiting_and_afronden_fast(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    tw = terugbel_wereld(engine)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    dood = f"http://127.0.0.1:{sock.getsockname()[1]}"  # bound, never listening: refused
    start = time.perf_counter()
    _contact(engine, tw, vragen=3)
    zonder = time.perf_counter() - start

    monkeypatch.setenv("KISS_OPENKLANT_URL", dood)
    monkeypatch.setenv("KISS_OPENKLANT_TOKEN", "x")
    start = time.perf_counter()
    _contact(engine, tw, vragen=3)
    met = time.perf_counter() - start
    # queuing is a single insert per question: no network, no waiting for the register
    assert met < max(3 * zonder, zonder + 0.5), (zonder, met)

    config = OpenklantConfig(url=dood + "/klantinteracties/api/v1", token="x", timeout=0.3)
    resultaat = verzender.sync(engine, config, nu=LATER)
    sock.close()
    assert resultaat.verzonden == 0
    assert resultaat.opnieuw == 3  # all three wait (each its own group), none lost
    assert "niet bereikbaar" in resultaat.fouten[0]
    assert _status(engine) == {"wachtend": ["klantcontact"] * 3}


def test_two_senders_at_once_create_everything_once(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    _vul(engine)
    fouten: list[BaseException | str] = []

    def run(nu: datetime) -> None:
        try:
            fouten.extend(verzender.sync(engine, ok_config, nu=nu).fouten)
        except BaseException as fout:  # pragma: no cover - reported below
            fouten.append(fout)

    # the two senders run as two cron jobs firing together, round after round on one shared
    # clock (each on its own clock, one could run an hour ahead and take over the other's
    # lease while that one was still sending: a lease expiry that real time never makes)
    for ronde in range(12):
        register.wacht_tot_stil()
        nu = LATER + timedelta(hours=ronde)
        threads = [threading.Thread(target=run, args=(nu,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        if not _status(engine).keys() - {"verzonden"}:
            break
    assert not fouten
    assert _status(engine).keys() == {"verzonden"}
    tellingen = _tellingen(register)
    assert tellingen["partijen"] == 1
    assert tellingen["klantcontacten"] == 4  # 2 questions + 1 anonymous + 1 attempt
    assert tellingen["internetaken"] == 1
    assert register.spec_fouten == []
