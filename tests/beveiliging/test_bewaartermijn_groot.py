"""Retention above PostgreSQL's 65,535-parameter limit: 150,000 expired contactmomenten go
in batches, as a beheerder's login, and the run is audited with its counts."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session, SQLModel

import kiss.models  # noqa: F401
from kiss.cli import main
from kiss.db import session_scope
from kiss.models import Auditregel, Contactmoment

AANTAL = 150_000


def _vermenigvuldig(engine: Engine, aantal: int) -> None:
    """One real row, copied in SQL (fast) with fresh ids."""
    with session_scope(engine) as session:
        session.add(
            Contactmoment(
                kanaal="telefoon",
                status="afgerond",
                gestart_op=datetime.now(UTC) - timedelta(days=1000),
            )
        )
    tabel = SQLModel.metadata.tables["contactmoment"]
    kolommen = [c.name for c in tabel.columns]
    bron = ", ".join(
        "gen_random_uuid()" if k in ("id", "gesprek_id") else f"t.{k}" for k in kolommen
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                f"INSERT INTO contactmoment ({', '.join(kolommen)}) SELECT {bron} "
                f"FROM contactmoment t, generate_series(1, {aantal - 1})"
            )
        )


def test_150000_expired_rows_go_in_batches_and_the_run_is_audited(
    engine: Engine,
    database_url: str,
    als_medewerker: Callable[..., list[str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("de parametergrens van 65.535 geldt voor PostgreSQL")
    _vermenigvuldig(engine, AANTAL)
    beheerder = als_medewerker("beheerder")
    assert main([*beheerder, "opschonen", "--droog"]) == 0
    assert f"{AANTAL} contactmomenten" in capsys.readouterr().out
    begin = time.perf_counter()
    assert main([*beheerder, "opschonen"]) == 0
    duur = time.perf_counter() - begin
    out = capsys.readouterr().out
    assert f"{AANTAL} contactmomenten" in out and "verwijderd" in out
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Contactmoment)).scalar_one() == 0
        details = (
            session.execute(
                select(Auditregel.details)
                .where(Auditregel.actie == "bewaartermijn_opgeschoond")
                .order_by(Auditregel.volgnummer)
            )
            .scalars()
            .all()
        )
    droog, echt = (json.loads(d) for d in details)
    assert droog["droog"] and droog["contactmomenten"] == AANTAL
    assert not echt["droog"] and echt["contactmomenten"] == AANTAL
    print(f"\n{AANTAL} contactmomenten opgeschoond in {duur:.1f} s")
