"""Benchmark: what the hash-chained audit costs (issue 13).

    python benchmarks/bench_audit.py                        # SQLite and PostgreSQL
    python benchmarks/bench_audit.py --backend postgresql --regels 500 --keten 20000

Per backend: writing one audit row in its own transaction, chained (lock, read the last
hash, compute the new one) against the baseline in the same run: the same row inserted
without the chain; and ``kiss audit controleer`` over a trail of ``--keten`` rows (p50/p95 of
three runs). Also the retention delete of ``--oud`` expired contactmomenten in batches.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert, text

from benchmarks.common import meet, scratch_engine, tabel
from kiss.db import read_scope, session_scope
from kiss.models import Auditregel, Contactmoment, Medewerker
from kiss.services import audit
from kiss.services.bewaartermijn import schoon_op


def _zonder_keten(engine: Engine, nummer: int) -> None:
    """The same row through the same ORM path, but already 'sealed' so the chain skips it."""
    with session_scope(engine) as session:
        session.add(
            Auditregel(
                volgnummer=10_000_000 + nummer,
                actie=audit.KLANTBEELD_GEOPEND,
                object_type="klant",
                hash="x",
            )
        )


def _met_keten(engine: Engine, medewerker: Medewerker) -> None:
    with session_scope(engine) as session:
        audit.log(session, medewerker, audit.KLANTBEELD_GEOPEND, object_type="klant")


def _vul_keten(engine: Engine, aantal: int, medewerker: Medewerker) -> None:
    with session_scope(engine) as session:
        for i in range(aantal):
            audit.log(session, medewerker, audit.KLANTBEELD_GEOPEND, details=str(i))
            if i % 5000 == 4999:
                session.flush()


def _vul_oud(engine: Engine, aantal: int) -> None:
    oud = datetime.now(UTC) - timedelta(days=1000)
    with engine.begin() as conn:
        for begin in range(0, aantal, 5000):
            conn.execute(
                insert(Contactmoment.__table__),  # type: ignore[arg-type]
                [
                    Contactmoment(kanaal="telefoon", status="afgerond", gestart_op=oud).model_dump()
                    for _ in range(min(5000, aantal - begin))
                ],
            )


def run(backend: str, regels: int, keten: int, oud: int) -> str:
    with scratch_engine(backend) as engine:
        with session_scope(engine) as session:
            wie = Medewerker(gebruikersnaam="bench", achternaam="Bench", rollen="beheerder")
            session.add(wie)
        basis = meet("audit: 1 regel, zonder keten (basis)", lambda i: _zonder_keten(engine, i),
                     list(range(regels)))  # fmt: skip
        met = meet("audit: 1 regel, met hashketen", lambda _: _met_keten(engine, wie),
                   list(range(regels)), basis=basis)  # fmt: skip
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM auditregel WHERE volgnummer >= 10000000"))
        _vul_keten(engine, keten, wie)

        def controleer(_: object) -> None:
            with read_scope(engine) as session:
                assert audit.controleer(session).in_orde

        verifieer = meet(f"audit controleer, {keten + regels} regels", controleer, [0, 1, 2])
        _vul_oud(engine, oud)

        def opschonen(_: object) -> None:
            with session_scope(engine) as session:
                verslag = schoon_op(session, door=wie, nu=datetime.now(UTC),
                                    contactmomenten_dagen=730, audit_dagen=1825)  # fmt: skip
                assert verslag.contactmomenten == oud

        weg = meet(f"opschonen, {oud} contactmomenten in porties", opschonen, [0])
        return tabel(f"Audit en bewaartermijn op {backend}", [basis, met, verifieer, weg])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "beide"), default="beide")
    parser.add_argument("--regels", type=int, default=300)
    parser.add_argument("--keten", type=int, default=20_000)
    parser.add_argument("--oud", type=int, default=100_000)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "beide" else (args.backend,)
    for backend in backends:
        print(run(backend, args.regels, args.keten, args.oud))
        print()


if __name__ == "__main__":
    main()
