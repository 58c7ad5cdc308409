"""Benchmark: the teamlead norm dashboard at KCC scale (issue 8).

    python benchmarks/bench_dashboard.py                       # 5,000,000 contactmomenten, SQLite
    python benchmarks/bench_dashboard.py --backend postgresql  # the same on PostgreSQL
    python benchmarks/bench_dashboard.py --schaal 0.02         # a quick run (100,000)

Generates two years of history: 5,000,000 afgeronde contactmomenten over both gemeenten and
every kanaal (a third with a kennisbank article as onderwerp, one in ten ending in a
terugbelnotitie) and 500,000 terugbelnotities (open, on time, late; assigned to an afdeling, a
team or a person), then computes the dashboard (:func:`kiss.services.rapportage.normen.dashboard`)
for the last full month, the last full week and yesterday, and prints p50/p95. Goal: the month
p95 <= 1 s. Baseline in the same run: the same month computed the naive way, loading the
period's rows into Python and counting there.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert, select, text

from benchmarks.common import meet, scratch_engine, tabel
from kiss.config import DEFAULT_KANALEN, Settings
from kiss.db import read_scope, session_scope
from kiss.models import (
    Afdeling,
    Contactmoment,
    Gemeente,
    Kennisartikel,
    Medewerker,
    Team,
    Terugbelnotitie,
)
from kiss.services.rapportage.normen import Periode, dashboard

RESULTATEN = (
    ("afgehandeld", 62),
    ("doorverwezen naar andere organisatie", 6),
    ("zaak aangemaakt", 8),
    ("doorverbonden", 10),
    ("terugbelnotitie gemaakt", 10),
    ("verbinding verbroken", 4),
)
KANAAL_GEWICHT = (45, 15, 14, 8, 7, 6, 3, 2)
BATCH = 20_000


def _id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def basis(engine: Engine, rng: random.Random) -> dict[str, list[uuid.UUID]]:
    with session_scope(engine) as s:
        gemeenten = [Gemeente(naam="Haarlem", code="0392"), Gemeente(naam="Zandvoort", code="0473")]
        afdelingen = [Afdeling(naam=f"Afdeling {i}") for i in range(8)]
        s.add_all([*gemeenten, *afdelingen])
        s.flush()
        teams = [Team(naam=f"Team {i}", afdeling_id=afdelingen[i % 8].id) for i in range(24)]
        artikelen = [Kennisartikel(sleutel=f"a{i}", titel=f"Artikel {i}") for i in range(60)]
        s.add_all([*teams, *artikelen])
        s.flush()
        medewerkers = [
            Medewerker(personeelsnummer=f"B{i:04d}", achternaam=f"Mdw {i}",
                       afdeling_id=afdelingen[i % 8].id, team_id=teams[i % 24].id)
            for i in range(120)
        ]  # fmt: skip
        s.add_all(medewerkers)
        s.flush()
        return {
            "gemeenten": [g.id for g in gemeenten],
            "afdelingen": [a.id for a in afdelingen],
            "teams": [t.id for t in teams],
            "artikelen": [a.id for a in artikelen],
            "medewerkers": [m.id for m in medewerkers],
        }


def genereer(engine: Engine, contacten: int, notities: int, nu: datetime, seed: int = 8) -> None:
    rng = random.Random(seed)
    ids = basis(engine, rng)
    begin = nu - timedelta(days=730)
    spreiding = 730 * 86400
    resultaten = [r for r, _ in RESULTATEN]
    gewichten = [g for _, g in RESULTATEN]
    kans_notitie = notities / contacten
    cm_rijen: list[dict[str, object]] = []
    tb_rijen: list[dict[str, object]] = []
    gemaakt = [0, 0]
    stap = time.perf_counter()

    def schrijf(alles: bool = False) -> None:
        """Contacts first, then the notes that refer to them."""
        if len(cm_rijen) < BATCH and not alles:
            return
        with engine.begin() as c:
            if cm_rijen:
                c.execute(insert(Contactmoment.__table__), cm_rijen)  # type: ignore[attr-defined]
            if tb_rijen:
                c.execute(insert(Terugbelnotitie.__table__), tb_rijen)  # type: ignore[attr-defined]
        gemaakt[0] += len(cm_rijen)
        gemaakt[1] += len(tb_rijen)
        cm_rijen.clear()
        tb_rijen.clear()

    for _ in range(contacten):
        start = begin + timedelta(seconds=rng.randrange(spreiding))
        resultaat = rng.choices(resultaten, gewichten)[0]
        cid = _id(rng)
        gemeente = ids["gemeenten"][0 if rng.random() < 0.75 else 1]
        cm_rijen.append(
            {
                "id": cid, "gesprek_id": cid, "gemeente_id": gemeente,
                "kanaal": rng.choices(DEFAULT_KANALEN, KANAAL_GEWICHT)[0],
                "richting": "inkomend", "medewerker_id": rng.choice(ids["medewerkers"]),
                "contact_nummer": "", "gestart_op": start,
                "beeindigd_op": start + timedelta(seconds=rng.randrange(60, 1200)),
                "vraag": "", "notitie": "",
                "artikel_id": rng.choice(ids["artikelen"]) if rng.random() < 0.33 else None,
                "onderwerp": "", "gespreksresultaat": resultaat, "doorverbonden_naar": "",
                "status": "afgerond", "contact_gelukt": True, "vertrouwelijk": False,
                "taal": "nld", "gewijzigd_op": start, "terugbelnotitie_gemaakt": False,
            }
        )  # fmt: skip
        if rng.random() < kans_notitie:
            cm_rijen[-1]["terugbelnotitie_gemaakt"] = True
            deadline = start + timedelta(hours=rng.choice((48, 72, 96)))
            tb_rijen.append(_notitie(rng, ids, cid, gemeente, start, deadline, nu))
        schrijf()
        if time.perf_counter() - stap > 15:
            stap = time.perf_counter()
            print(f"  … {gemaakt[0]:,} contactmomenten, {gemaakt[1]:,} notities", flush=True)
    schrijf(alles=True)
    print(f"Gegenereerd: {gemaakt[0]:,} contactmomenten, {gemaakt[1]:,} terugbelnotities")


def _notitie(
    rng: random.Random,
    ids: dict[str, list[uuid.UUID]],
    contact: uuid.UUID,
    gemeente: uuid.UUID,
    aangemaakt: datetime,
    deadline: datetime,
    nu: datetime,
) -> dict[str, object]:
    opvolging = aangemaakt + timedelta(hours=rng.uniform(1, 110))
    klaar = opvolging if opvolging < nu and rng.random() < 0.95 else None
    naar = rng.random()
    return {
        "id": _id(rng), "contactmoment_id": contact, "gemeente_id": gemeente,
        "toegewezen_afdeling_id": rng.choice(ids["afdelingen"]) if naar < 0.2 else None,
        "toegewezen_team_id": rng.choice(ids["teams"]) if 0.2 <= naar < 0.9 else None,
        "toegewezen_medewerker_id": rng.choice(ids["medewerkers"]) if naar >= 0.9 else None,
        "terugbelnummer": "", "extra_nummer": "", "email": "", "vraag": "", "toelichting": "",
        "gewenst_moment": "", "aangemaakt_op": aangemaakt, "deadline": deadline,
        "status": "afgehandeld" if klaar else "open",
        "eerste_contact_op": klaar if klaar and rng.random() < 0.7 else None,
        "afgehandeld_op": klaar, "uitkomst": "", "uitkomst_toelichting": "", "versie": 1,
    }  # fmt: skip


def naief(engine: Engine, periode: Periode) -> Counter[str]:
    """The baseline: every row of the period into Python, counted there."""
    grenzen = periode.grenzen()
    tellers: Counter[str] = Counter()
    with read_scope(engine) as s:
        for cm in s.execute(
            select(Contactmoment).where(
                Contactmoment.gestart_op >= grenzen[0], Contactmoment.gestart_op < grenzen[-1]
            )
        ).scalars():
            tellers[cm.kanaal] += 1
            tellers[cm.gespreksresultaat] += 1
        for n in s.execute(
            select(Terugbelnotitie).where(
                Terugbelnotitie.aangemaakt_op >= grenzen[0],
                Terugbelnotitie.aangemaakt_op < grenzen[-1],
            )
        ).scalars():
            tellers[n.status] += 1
    return tellers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--schaal", type=float, default=1.0, help="1.0 = 5M contacten")
    parser.add_argument("--herhaal", type=int, default=15)
    parser.add_argument("--sqlite-bestand", help="bewaar/hergebruik dit SQLite-bestand")
    args = parser.parse_args()
    nu = datetime(2026, 11, 23, 10, tzinfo=UTC)
    contacten, notities = int(5_000_000 * args.schaal), int(500_000 * args.schaal)
    with scratch_engine(args.backend, keep=args.sqlite_bestand) as engine:
        with read_scope(engine) as s:
            leeg = s.execute(select(Contactmoment.id).limit(1)).first() is None
        if leeg:
            t = time.perf_counter()
            genereer(engine, contacten, notities, nu)
            print(f"generatie {time.perf_counter() - t:.0f} s")
            # what autovacuum does to a table that has settled: statistics, and on PostgreSQL
            # the visibility map that lets the dashboard scan its index without the table
            opdracht = "VACUUM ANALYZE" if args.backend == "postgresql" else "ANALYZE"
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text(opdracht))
        maand = Periode.maand(nu - timedelta(days=31))  # the last full month
        settings = Settings()
        eerste = dashboard(engine, maand, nu=nu, settings=settings)  # warm the caches
        print(
            f"maand {maand}: {eerste.totaal.contactmomenten:,} contactmomenten, "
            f"{eerste.totaal.notities:,} terugbelnotities, eerste keer goed "
            f"{eerste.totaal.eerste_keer_goed_pct:.1%}, terugbelnorm "
            f"{eerste.totaal.terugbelnorm_pct:.1%}"
        )
        herhaal = [None] * args.herhaal
        metingen = []
        basis = meet("naïef: rijen naar Python, daar tellen", lambda _: naief(engine, maand),
                     herhaal[:3])  # fmt: skip

        def maand_dashboard(_: object) -> object:
            return dashboard(engine, maand, nu=nu)

        metingen.append(
            meet("dashboard maand", maand_dashboard, herhaal, doel_ms=1000, basis=basis)
        )
        # the data end at nu, so this week and today would be nearly empty: take full ones
        week, dag = Periode.week(nu - timedelta(days=7)), Periode.vandaag(nu - timedelta(days=1))
        metingen.append(
            meet("dashboard vorige week", lambda _: dashboard(engine, week, nu=nu), herhaal)
        )
        metingen.append(
            meet("dashboard gisteren", lambda _: dashboard(engine, dag, nu=nu), herhaal)
        )
        metingen.append(basis)
        print(tabel(f"Normdashboard ({args.backend}, {contacten:,} contactmomenten)", metingen))


if __name__ == "__main__":
    main()
