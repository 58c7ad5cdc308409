"""Schema changes go through migrations: an old database upgrades without losing rows."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kiss.db import current_revision, head_revision, make_engine, upgrade
from tests.conftest import IN_CI, POSTGRES_URL, _postgres_unreachable_reason


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(str(tmp_path / "oud.db"))
        yield engine
        engine.dispose()
        return
    reason = _postgres_unreachable_reason()
    if reason:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"kiss_migratie_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL + f"?options=-csearch_path%3D{schema}")
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_first_revision_upgrades_to_head_keeping_rows(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0001")
    assert current_revision(empty_engine) == "0001"
    gemeente_id = uuid.uuid4()
    contact_id = uuid.uuid4()
    with empty_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO gemeente (id, naam, code) VALUES (:id, 'Haarlem', '0392')"),
            {"id": gemeente_id.hex if empty_engine.dialect.name == "sqlite" else gemeente_id},
        )
        connection.execute(
            text(
                "INSERT INTO contactmoment (id, gesprek_id, gemeente_id, kanaal, richting, "
                "contact_nummer, gestart_op, vraag, notitie, onderwerp, gespreksresultaat, "
                "doorverbonden_naar, status, gewijzigd_op) VALUES (:id, :id, :g, 'telefoon', "
                "'inkomend', '', '2026-01-05 10:00:00', 'vraag', 'notitie', 'Paspoort', "
                "'afgehandeld', '', 'afgerond', '2026-01-05 10:00:00')"
            ),
            {
                "id": contact_id.hex if empty_engine.dialect.name == "sqlite" else contact_id,
                "g": gemeente_id.hex if empty_engine.dialect.name == "sqlite" else gemeente_id,
            },
        )

    upgrade(empty_engine)

    assert current_revision(empty_engine) == head_revision(empty_engine)
    with empty_engine.connect() as connection:
        row = connection.execute(
            text("SELECT onderwerp, notitie, taal, contact_gelukt FROM contactmoment")
        ).one()
        assert (row.onderwerp, row.notitie, row.taal, bool(row.contact_gelukt)) == (
            "Paspoort",
            "notitie",
            "nld",
            True,
        )
        assert connection.execute(text("SELECT naam FROM gemeente")).scalar_one() == "Haarlem"


def test_upgrade_is_idempotent(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision(empty_engine)


def test_models_and_migrations_agree(empty_engine: Engine) -> None:
    """Every model change has a migration: autogenerate finds nothing to do at head."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
