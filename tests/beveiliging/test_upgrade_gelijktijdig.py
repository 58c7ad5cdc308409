"""Three ``kiss db upgrade`` at once on an empty PostgreSQL database: all three succeed (an
advisory lock makes the others wait, then they find nothing left to do)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from kiss.db import head_revision, make_engine
from kiss.services.beveiliging.groepsrollen import alle_groepsrollen
from kiss.services.beveiliging.inrichten import verwijder_rollen
from tests.conftest import POSTGRES_URL


@pytest.fixture
def lege_database(postgres_schema_url: str) -> Iterator[tuple[str, str]]:
    schema = f"kiss_leeg_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    prefix = f"ku{uuid.uuid4().hex[:6]}_"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield POSTGRES_URL + f"?options=-csearch_path%3D{schema}", prefix
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        verwijder_rollen(conn, alle_groepsrollen(prefix))
    admin.dispose()


def test_three_simultaneous_upgrades_all_succeed(lege_database: tuple[str, str]) -> None:
    url, prefix = lege_database
    env = {**os.environ, "KISS_ROL_VOORVOEGSEL": prefix}
    code = "from kiss.cli import main; raise SystemExit(main())"
    processen = [
        subprocess.Popen(
            [sys.executable, "-c", code, "--database", url, "db", "upgrade"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    uitkomsten = [(p.wait(timeout=180), *p.communicate()) for p in processen]
    engine = make_engine(url)
    verwacht = head_revision(engine)
    for rc, out, err in uitkomsten:
        assert rc == 0, err
        assert f"schemaversie {verwacht}" in out and "Traceback" not in err
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == verwacht
    engine.dispose()
