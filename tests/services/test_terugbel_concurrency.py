"""Many agents at once, on real connections: 8 processes take 2,000 notes with "pak de
volgende" (every note claimed exactly once, none lost), and two agents closing the same notes
at the same moment (exactly one wins each time)."""

from __future__ import annotations

import multiprocessing
import threading
import traceback
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select

from kiss.db import make_engine, read_scope, session_scope
from kiss.models import Auditregel, Medewerker, Terugbelnotitie, TerugbelStatus
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.deadline import bereken_deadline
from kiss.services.terugbel.terugbelnotities import AlGewijzigd, Uitkomst
from kiss.services.terugbel.wachtrij import WachtrijSoort, pak_volgende
from tests.services.test_terugbelnotities import SETTINGS, VRIJDAG, maak, terugbel_wereld

PROCESSEN = 8
NOTITIES = 2000


def _pak_alles(
    url: str, medewerker_id: uuid.UUID, start: Any, uitvoer: Any
) -> None:  # pragma: no cover - runs in a child process
    """One agent: 'pak de volgende' until the team queue is empty."""
    try:
        engine = make_engine(url)
        with read_scope(engine) as session:
            ik = session.get(Medewerker, medewerker_id)
        assert ik is not None
        genomen: list[str] = []
        start.wait()
        while True:
            with session_scope(engine) as session:
                notitie_id = pak_volgende(session, ik, WachtrijSoort.TEAM, VRIJDAG)
            if notitie_id is None:
                break
            genomen.append(str(notitie_id))
        engine.dispose()
        uitvoer.put((str(medewerker_id), genomen, None))
    except BaseException:
        uitvoer.put((str(medewerker_id), [], traceback.format_exc()))


def _vul_wachtrij(engine: Engine, team_id: uuid.UUID, afdeling_id: uuid.UUID) -> None:
    rows = []
    for index in range(NOTITIES):
        aangemaakt = VRIJDAG - timedelta(minutes=index)
        rows.append(
            {
                "id": uuid.uuid4(),
                "toegewezen_team_id": team_id,
                "toegewezen_afdeling_id": afdeling_id,
                "terugbelnummer": "06-12345678",
                "terugbelnummer_e164": "+31612345678",
                "vraag": f"vraag {index}",
                "aangemaakt_op": aangemaakt,
                "deadline": bereken_deadline(aangemaakt, SETTINGS),
                "status": TerugbelStatus.OPEN,
                "versie": 1,
            }
        )
    with session_scope(engine) as session:
        session.execute(insert(Terugbelnotitie), rows)


def test_eight_processes_claim_two_thousand_notes_each_exactly_once(
    engine: Engine, database_url: str
) -> None:
    tw = terugbel_wereld(engine)
    with session_scope(engine) as session:
        agenten = [
            Medewerker(
                gebruikersnaam=f"agent{n}",
                achternaam=f"Agent {n}",
                rollen="backoffice",
                team_id=tw.team.id,
                afdeling_id=tw.w.burgerzaken.id,
            )
            for n in range(PROCESSEN)
        ]
        session.add_all(agenten)
    _vul_wachtrij(engine, tw.team.id, tw.w.burgerzaken.id)
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    uitvoer = context.Queue()
    processen = [
        context.Process(target=_pak_alles, args=(database_url, a.id, start, uitvoer))
        for a in agenten
    ]
    for proces in processen:
        proces.start()
    start.set()
    resultaten = [uitvoer.get(timeout=240) for _ in processen]
    for proces in processen:
        proces.join(timeout=60)
    fouten = [fout for _, _, fout in resultaten if fout]
    assert not fouten, fouten[0]
    per_agent = {mid: genomen for mid, genomen, _ in resultaten}
    alle = [nid for genomen in per_agent.values() for nid in genomen]
    assert len(alle) == NOTITIES and len(set(alle)) == NOTITIES  # each exactly once
    assert sum(1 for genomen in per_agent.values() if genomen) >= 2  # they really competed
    with read_scope(engine) as session:
        rijen = session.execute(
            select(Terugbelnotitie.id, Terugbelnotitie.status, Terugbelnotitie.behandelaar_id,
                   Terugbelnotitie.versie)
        ).all()  # fmt: skip
        claims = session.execute(
            select(func.count()).where(Auditregel.actie == terugbelnotities.GECLAIMD)
        ).scalar()
    behandelaar = {str(nid): str(mid) for mid, genomen in per_agent.items() for nid in genomen}
    assert len(rijen) == NOTITIES
    for nid, status, behandelaar_id, versie in rijen:  # no lost update
        assert status == TerugbelStatus.IN_BEHANDELING and versie == 2
        assert behandelaar[str(nid)] == str(behandelaar_id)
    assert claims == NOTITIES


def test_two_agents_closing_the_same_notes_at_once_one_wins_each_time(engine: Engine) -> None:
    tw = terugbel_wereld(engine)
    ids = [maak(engine, tw, nu=VRIJDAG + timedelta(minutes=n)).id for n in range(15)]
    with session_scope(engine) as session:
        for nid in ids:
            terugbelnotities.claim(session, tw.backoffice, nid, VRIJDAG)
    barriere = threading.Barrier(2)
    gewonnen: dict[str, list[uuid.UUID]] = {"dirk": [], "eva": []}
    verloren: dict[str, list[str]] = {"dirk": [], "eva": []}
    onverwacht: list[BaseException] = []

    def sluit(naam: str, wie: Medewerker) -> None:
        for nid in ids:
            barriere.wait(timeout=30)
            try:
                with session_scope(engine) as session:
                    terugbelnotities.afhandelen(
                        session, wie, nid, Uitkomst.GEHOLPEN, naam, VRIJDAG, versie=2
                    )
                gewonnen[naam].append(nid)
            except AlGewijzigd as exc:
                verloren[naam].append(str(exc))
            except BaseException as exc:
                onverwacht.append(exc)

    draden = [
        threading.Thread(target=sluit, args=("dirk", tw.backoffice)),
        threading.Thread(target=sluit, args=("eva", tw.teamlead)),
    ]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(timeout=120)
    assert not onverwacht, onverwacht
    assert sorted(gewonnen["dirk"] + gewonnen["eva"]) == sorted(ids)  # exactly one per note
    assert len(verloren["dirk"]) + len(verloren["eva"]) == len(ids)
    assert all("zojuist afgehandeld door" in m for m in verloren["dirk"] + verloren["eva"])
    with read_scope(engine) as session:
        for nid in ids:
            notitie = session.get(Terugbelnotitie, nid)
            assert notitie is not None and notitie.versie == 3
            winnaar = "dirk" if nid in gewonnen["dirk"] else "eva"
            assert notitie.uitkomst_toelichting == winnaar  # the winner's text, not overwritten


@pytest.mark.parametrize("aantal", [3])
def test_take_the_next_on_an_empty_queue_returns_nothing(engine: Engine, aantal: int) -> None:
    tw = terugbel_wereld(engine)
    for _ in range(aantal):
        maak(engine, tw)
    for _ in range(aantal):
        with session_scope(engine) as session:
            assert pak_volgende(session, tw.backoffice, "team", VRIJDAG) is not None
    with session_scope(engine) as session:
        assert pak_volgende(session, tw.backoffice, "team", VRIJDAG) is None
