"""Benchmark: terugbel queues and "pak de volgende" at KCC scale (issue 7).

    python benchmarks/bench_terugbel.py                       # temp SQLite file
    python benchmarks/bench_terugbel.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/bench_terugbel.py --notities 20000      # a quick run

Generates 200,000 terugbelnotities (10% open or in behandeling) over 20 teams with bulk
inserts, then times the first page of a team queue sorted by deadline (p50/p95 over the
repeats; target p95 ≤ 20 ms) against a naive baseline that loads all of the team's notes
through the ORM and sorts them in Python. Finally 8 processes, each with its own engine and
connection, take 2,000 notes with "pak de volgende" and the claims/s are reported; every note
must be claimed exactly once. A PostgreSQL URL gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, insert, select, text

from benchmarks.common import Meting, meet, tabel
from kiss.config import Settings
from kiss.db import make_engine, read_scope, session_scope, upgrade
from kiss.models import (
    Afdeling,
    Gemeente,
    Klant,
    Medewerker,
    Team,
    Terugbelnotitie,
    TerugbelStatus,
)
from kiss.services.naam import naam_sleutel
from kiss.services.terugbel.deadline import bereken_deadline
from kiss.services.terugbel.wachtrij import (
    WachtrijFilter,
    WachtrijSoort,
    pak_volgende,
    tellingen,
    wachtrij,
)

NU = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday morning
SETTINGS = Settings()
TEAMS = 20
PER_TEAM = 10
PAK_NOTITIES = 2000
PROCESSEN = 8
ACHTERNAMEN = ("Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
               "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks")  # fmt: skip


@contextmanager
def database(url: str | None) -> Iterator[tuple[Engine, str]]:
    """A migrated, empty database and its URL: a temp SQLite file by default; on PostgreSQL
    a fresh schema that is dropped afterwards."""
    if url is None or url.startswith("sqlite") or "://" not in url:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            pad = url.removeprefix("sqlite:///") if url else str(Path(folder) / "bench.db")
            eigen = f"sqlite:///{pad}"
            engine = make_engine(eigen)
            upgrade(engine)
            yield engine, eigen
            engine.dispose()
        return
    schema = f"kiss_bench_terugbel_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    eigen = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    engine = make_engine(eigen)
    try:
        upgrade(engine)
        yield engine, eigen
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _in_stukken(engine: Engine, model: Any, rows: list[dict[str, Any]], stuk: int = 10_000) -> None:
    for begin in range(0, len(rows), stuk):
        with engine.begin() as connection:
            connection.execute(insert(model), rows[begin : begin + stuk])


def vul(engine: Engine, notities: int, rng: random.Random) -> dict[str, Any]:
    """Organisation, klanten and ``notities`` notes (10% active); returns what the
    measurements need."""
    start = time.perf_counter()
    with session_scope(engine) as session:
        gemeenten = [Gemeente(naam="Haarlem", code="0392"), Gemeente(naam="Zandvoort", code="0473")]
        afdelingen = [Afdeling(naam=f"Afdeling {n}") for n in range(5)]
        session.add_all([*gemeenten, *afdelingen])
        session.flush()
        teams = [Team(naam=f"Team {n:02d}", afdeling_id=afdelingen[n % 5].id) for n in range(TEAMS)]
        pak_team = Team(naam="Team pak de volgende", afdeling_id=afdelingen[0].id)
        session.add_all([*teams, pak_team])
        session.flush()
        medewerkers = [
            Medewerker(
                gebruikersnaam=f"m{t}_{n}",
                voornaam="Mw",
                achternaam=f"{t}-{n}",
                rollen="backoffice;teamlead" if n == 0 else "backoffice",
                team_id=team.id,
                afdeling_id=team.afdeling_id,
            )
            for t, team in enumerate(teams)
            for n in range(PER_TEAM)
        ]
        pakkers = [
            Medewerker(
                gebruikersnaam=f"pak{n}",
                achternaam=f"Pakker {n}",
                rollen="backoffice",
                team_id=pak_team.id,
                afdeling_id=pak_team.afdeling_id,
            )
            for n in range(PROCESSEN)
        ]
        session.add_all([*medewerkers, *pakkers])
        session.flush()
        gemeente_ids = [g.id for g in gemeenten]
        team_ids = [(t.id, t.afdeling_id) for t in teams]
        mdw_per_team = {t.id: [m.id for m in medewerkers if m.team_id == t.id] for t in teams}
        pak = {"team": pak_team.id, "afdeling": pak_team.afdeling_id,
               "medewerkers": [m.id for m in pakkers]}  # fmt: skip
        leden = [m.id for m in medewerkers]
    klanten = []
    for n in range(max(1000, notities // 10)):
        voorvoegsel_achternaam = rng.choice(ACHTERNAMEN).rsplit(" ", 1)
        achternaam = voorvoegsel_achternaam[-1] + (str(n % 97) if n % 3 else "")
        voorvoegsel = voorvoegsel_achternaam[0] if len(voorvoegsel_achternaam) > 1 else ""
        klanten.append(
            {
                "id": uuid.uuid4(),
                "soort": "persoon",
                "voornamen": rng.choice(("Anna", "Bram", "Carla", "Daan", "Eva", "Fatima")),
                "voorvoegsel": voorvoegsel,
                "achternaam": achternaam,
                "naam_sleutel": naam_sleutel(achternaam),
                "gemeente_id": rng.choice(gemeente_ids),
                "aangemaakt_op": NU,
                "gewijzigd_op": NU,
            }
        )
    _in_stukken(engine, Klant, klanten)
    klant_ids = [k["id"] for k in klanten]

    rows: list[dict[str, Any]] = []
    gewoon = notities - PAK_NOTITIES
    for n in range(notities):
        actief = n >= gewoon or rng.random() < (notities * 0.1 - PAK_NOTITIES) / gewoon
        if n >= gewoon:
            team_id, afdeling_id = pak["team"], pak["afdeling"]
            aangemaakt = NU - timedelta(minutes=rng.randrange(1, 60 * 24 * 6))
        else:
            team_id, afdeling_id = rng.choice(team_ids)
            if actief:
                aangemaakt = NU - timedelta(minutes=rng.randrange(1, 60 * 24 * 10))
            else:
                aangemaakt = NU - timedelta(minutes=rng.randrange(60 * 24 * 3, 60 * 24 * 730))
        deadline = bereken_deadline(aangemaakt, SETTINGS)
        status = TerugbelStatus.OPEN
        behandelaar = None
        if not actief:
            status = TerugbelStatus.AFGEHANDELD
            behandelaar = rng.choice(mdw_per_team.get(team_id, leden))
        elif n < gewoon and rng.random() < 0.3:
            status = TerugbelStatus.IN_BEHANDELING
            behandelaar = rng.choice(mdw_per_team[team_id])
        persoonlijk = None  # 3% go to one colleague by name, as agents do for follow-ups
        if n < gewoon and rng.random() < 0.03:
            persoonlijk = rng.choice(mdw_per_team[team_id])
        nummer = f"+316{rng.randrange(10_000_000, 99_999_999)}"
        afgehandeld = (
            aangemaakt + timedelta(hours=rng.choice((3, 20, 40, 70))) if not actief else None
        )
        rows.append(
            {
                "id": uuid.uuid4(),
                "klant_id": rng.choice(klant_ids) if rng.random() < 0.85 else None,
                "gemeente_id": rng.choice(gemeente_ids),
                "toegewezen_afdeling_id": afdeling_id,
                "toegewezen_team_id": team_id,
                "toegewezen_medewerker_id": persoonlijk,
                "terugbelnummer": "0" + nummer[3:],
                "terugbelnummer_e164": nummer,
                "extra_nummer": "",
                "extra_nummer_e164": None,
                "email": "",
                "vraag": f"Vraag {n} over een aanvraag",
                "toelichting": "",
                "gewenst_moment": "",
                "aangemaakt_op": aangemaakt,
                "deadline": deadline,
                "status": status,
                "behandelaar_id": behandelaar,
                "geclaimd_op": aangemaakt if behandelaar else None,
                "afgehandeld_op": afgehandeld,
                "eerste_contact_op": afgehandeld,
                "uitkomst": "klant gesproken en geholpen" if afgehandeld else "",
                "uitkomst_toelichting": "",
                "versie": 1,
            }
        )
    _in_stukken(engine, Terugbelnotitie, rows)
    if engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    # SQLite: no ANALYZE, as in a real installation (the queries must not depend on it)
    seconden = time.perf_counter() - start
    print(f"Data gegenereerd in {seconden:.0f} s", file=sys.stderr)
    telefoons = [r["terugbelnummer"] for r in rows if r["status"] != "afgehandeld"][:500]
    return {"leden": leden, "pak": pak, "telefoons": telefoons}


def _pak_alles(url: str, medewerker_id: uuid.UUID, start: Any, uitvoer: Any) -> None:
    """One agent in its own process: "pak de volgende" until the queue is empty."""
    try:
        engine = make_engine(url)
        with read_scope(engine) as session:
            ik = session.get(Medewerker, medewerker_id)
        genomen: list[str] = []
        uitvoer.put(("klaar", str(medewerker_id), None))
        start.wait()
        while True:
            with session_scope(engine) as session:
                notitie_id = pak_volgende(session, ik, WachtrijSoort.TEAM, NU)  # type: ignore[arg-type]
            if notitie_id is None:
                break
            genomen.append(str(notitie_id))
        engine.dispose()
        uitvoer.put(("gedaan", str(medewerker_id), genomen))
    except BaseException as exc:  # report, never hang the parent
        uitvoer.put(("fout", str(medewerker_id), repr(exc)))


def pak_de_volgende(url: str, medewerkers: list[uuid.UUID]) -> tuple[float, int, int]:
    """(seconds, claimed, distinct) for PROCESSEN processes emptying the pak-team queue."""
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    uitvoer = context.Queue()
    processen = [
        context.Process(target=_pak_alles, args=(url, m, start, uitvoer)) for m in medewerkers
    ]
    for proces in processen:
        proces.start()
    for _ in processen:  # every process has its engine and medewerker: start together
        soort, wie, fout = uitvoer.get(timeout=120)
        if soort == "fout":
            raise SystemExit(f"Proces {wie} faalde: {fout}")
    begin = time.perf_counter()
    start.set()
    genomen: list[str] = []
    for _ in processen:
        soort, wie, resultaat = uitvoer.get(timeout=600)
        if soort == "fout":
            raise SystemExit(f"Proces {wie} faalde: {resultaat}")
        genomen.extend(resultaat)
    seconden = time.perf_counter() - begin
    for proces in processen:
        proces.join(timeout=60)
    return seconden, len(genomen), len(set(genomen))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", metavar="URL", help="standaard een tijdelijk SQLite-bestand")
    parser.add_argument("--notities", type=int, default=200_000)
    parser.add_argument("--herhaal", type=int, default=300, help="metingen per vraag (≥ 200)")
    args = parser.parse_args()
    rng = random.Random(7)

    with database(args.database) as (engine, url):
        gegevens = vul(engine, args.notities, rng)
        with read_scope(engine) as session:
            leden = list(
                session.execute(
                    select(Medewerker).where(Medewerker.id.in_(gegevens["leden"]))  # type: ignore[attr-defined]
                ).scalars()
            )
            totaal = session.execute(select(func.count()).select_from(Terugbelnotitie)).scalar_one()
            actief = session.execute(
                select(func.count()).where(Terugbelnotitie.status != "afgehandeld")
            ).scalar_one()
        teamleiders = [m for m in leden if "teamlead" in m.rollenset]
        steekproef = [rng.choice(leden) for _ in range(args.herhaal)]

        def eerste_pagina(wie: object, soort: str = "team", **filter: Any) -> None:
            with read_scope(engine) as session:
                pagina = wachtrij(
                    session,
                    wie,
                    soort,
                    WachtrijFilter(**filter),
                    nu=NU,
                    settings=SETTINGS,  # type: ignore[arg-type]
                )
            assert len(pagina.regels) <= 50

        def verversing(wie: object) -> None:
            with read_scope(engine) as session:
                wachtrij(session, wie, "team", nu=NU, settings=SETTINGS)  # type: ignore[arg-type]
                tellingen(session, wie, NU)  # type: ignore[arg-type]

        def naief(wie: object) -> None:
            medewerker: Medewerker = wie  # type: ignore[assignment]
            with read_scope(engine) as session:
                alles = (
                    session.execute(
                        select(Terugbelnotitie).where(
                            Terugbelnotitie.toegewezen_team_id == medewerker.team_id
                        )
                    )
                    .scalars()
                    .all()
                )
                actief = sorted(
                    (n for n in alles if n.status != "afgehandeld"), key=lambda n: n.deadline
                )[:50]
                for notitie in actief:  # names as the screen shows them, one by one
                    if notitie.klant_id:
                        session.get(Klant, notitie.klant_id)

        metingen: list[Meting] = []
        basis = meet("", naief, steekproef[:10])
        metingen.append(
            meet("teamwachtrij, eerste pagina (50) op deadline", eerste_pagina, steekproef,
                 doel_ms=20.0, basis=basis)
        )  # fmt: skip
        metingen.append(meet("verversing: pagina + tellingen per wachtrij", verversing, steekproef))
        metingen.append(
            meet("teamwachtrij, alleen te laat", lambda w: eerste_pagina(w, te_laat=True),
                 steekproef, doel_ms=20.0)
        )  # fmt: skip
        telefoons = gegevens["telefoons"]
        metingen.append(
            meet(
                "teamwachtrij, zoek telefoonnummer (06-notatie)",
                lambda w: eerste_pagina(w, zoektekst=rng.choice(telefoons)),
                steekproef,
                doel_ms=20.0,
            )
        )
        metingen.append(
            meet("teamwachtrij, zoek klantnaam", lambda w: eerste_pagina(w, zoektekst="Bakker"),
                 steekproef)
        )  # fmt: skip
        metingen.append(
            meet(
                "alles (teamleider), eerste pagina",
                lambda w: eerste_pagina(w, "alles"),
                [rng.choice(teamleiders) for _ in range(args.herhaal)],
                doel_ms=20.0,
            )
        )
        seconden, geclaimd, uniek = pak_de_volgende(url, gegevens["pak"]["medewerkers"])
        with read_scope(engine) as session:
            over = session.execute(
                select(func.count()).where(
                    Terugbelnotitie.toegewezen_team_id == gegevens["pak"]["team"],
                    Terugbelnotitie.status == TerugbelStatus.OPEN,
                )
            ).scalar_one()

    print()
    print(f"Database: {engine.dialect.name} · {totaal:,} terugbelnotities, {actief:,} actief")
    print(tabel("Basis = alle notities van het team via de ORM, sorteren in Python", metingen))
    status = "ok" if geclaimd == uniek == PAK_NOTITIES and over == 0 else "FOUT"
    print(
        f"Pak de volgende: {PROCESSEN} processen, {geclaimd:,} claims ({uniek:,} uniek, "
        f"{over} over) in {seconden:.2f} s = {geclaimd / seconden:,.0f} claims/s  {status}"
    )


if __name__ == "__main__":
    main()
