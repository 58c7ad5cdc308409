"""Alembic environment: runs on the engine KISS hands it (see kiss.db.upgrade)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import kiss.models  # noqa: F401  (registers every table)
from kiss.db import make_engine

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine") or make_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # a migration on a big table may take longer than an agent's statement limit
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            context.run_migrations()
        connection.commit()


run_migrations_online()
