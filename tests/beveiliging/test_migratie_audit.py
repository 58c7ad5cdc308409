"""Migration 0006 numbers and chains the audit rows an install already has, and adds the
masked BSN for the klanten it already has."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text
from sqlmodel import Session

from kiss.db import upgrade
from kiss.services import audit
from tests.test_migrations import empty_engine  # noqa: F401  (the fixture, both backends)


def test_existing_audit_rows_become_a_valid_chain(empty_engine: Engine) -> None:  # noqa: F811
    upgrade(empty_engine, "0005")
    begin = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    with empty_engine.begin() as conn:
        for i in (2, 0, 1):  # inserted out of order: numbered by moment
            conn.execute(
                text(
                    "INSERT INTO auditregel (id, moment, actie, object_type, object_id, details, "
                    "klant_id) VALUES (:id, :m, 'klantbeeld_geopend', 'klant', '', :d, :k)"
                ),
                {
                    "id": uuid.uuid4().hex if conn.dialect.name == "sqlite" else uuid.uuid4(),
                    "m": (begin + timedelta(minutes=i)).replace(tzinfo=None)
                    if conn.dialect.name == "sqlite"
                    else begin + timedelta(minutes=i),
                    "d": f"regel {i}",
                    "k": None,
                },
            )
        conn.execute(
            text(
                "INSERT INTO klant (id, soort, bsn, voornamen, voorvoegsel, achternaam, "
                "handelsnaam, straat, toevoeging, woonplaats, voorkeurskanaal, taal, extra_hulp, "
                "aandachtspunten, naam_sleutel, aangemaakt_op, gewijzigd_op) VALUES (:id, "
                "'persoon', '999990019', '', '', 'Berg', '', '', '', '', '', '', false, '', "
                "'berg', :m, :m)"
            ),
            {"id": uuid.uuid4().hex if conn.dialect.name == "sqlite" else uuid.uuid4(),
             "m": begin.replace(tzinfo=None) if conn.dialect.name == "sqlite" else begin},
        )  # fmt: skip
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        uitkomst = audit.controleer(session)
        assert uitkomst.in_orde, uitkomst.fout
        assert (uitkomst.eerste, uitkomst.laatste) == (1, 3)
        details = session.execute(
            text("SELECT details FROM auditregel ORDER BY volgnummer")
        ).scalars()
        assert list(details) == ["regel 0", "regel 1", "regel 2"]
        gemaskeerd = session.execute(text("SELECT bsn_gemaskeerd FROM klant")).scalar_one()
        assert gemaskeerd == "*****0019"
        audit.log(session, None, "na_migratie")  # new rows continue the chain
        session.commit()
        assert audit.controleer(session).laatste == 4
