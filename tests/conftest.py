"""Shared fixtures: one parametrised ``engine`` fixture runs database tests on SQLite and
PostgreSQL.

PostgreSQL: ``KISS_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
Each test process works in its own schema, so parallel runs never see each other's rows.
Outside CI an unreachable server skips the PostgreSQL half with the reason; with ``CI=true``
it is an error.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import kiss.models  # noqa: F401
from kiss.db import make_engine, upgrade

POSTGRES_URL = os.environ.get(
    "KISS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _postgres_unreachable_reason() -> str | None:
    try:
        engine = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any driver error means: not reachable
        return f"PostgreSQL niet bereikbaar op {POSTGRES_URL}: {type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test gets a copy (migrating once keeps tests fast)."""
    path = tmp_path_factory.mktemp("template") / "kiss.db"
    engine = make_engine(str(path))
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    reason = _postgres_unreachable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true maar {reason}", pytrace=False)
        pytest.skip(reason)
    schema = f"kiss_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = POSTGRES_URL + ("&" if "?" in POSTGRES_URL else "?") + f"options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty, migrated database on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "kiss.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
    else:
        url: str = request.getfixturevalue("postgres_schema_url")
        engine = make_engine(url)
        _truncate_all(engine)
        engine.dispose()
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """SQLite only: for TUI tests, where the backend does not change what is shown."""
    target = tmp_path / "kiss.db"
    shutil.copyfile(sqlite_template, target)
    engine = make_engine(str(target))
    yield engine
    engine.dispose()


# --- identities for CLI tests: a medewerker with rollen, and on PostgreSQL a real login ----


@pytest.fixture(scope="session")
def rol_voorvoegsel(request: pytest.FixtureRequest) -> Iterator[str]:
    """A prefix for this test process's PostgreSQL group roles (cluster-wide names), with the
    group roles, grants and row-level security applied to its schema; dropped at the end."""
    from kiss.services.beveiliging.groepsrollen import alle_groepsrollen
    from kiss.services.beveiliging.inrichten import richt_in, verwijder_rollen

    url: str = request.getfixturevalue("postgres_schema_url")
    prefix = f"kt{os.getpid()}{uuid.uuid4().hex[:4]}_"
    engine = make_engine(url)
    with engine.begin() as connection:
        richt_in(connection, prefix)
    yield prefix
    with engine.begin() as connection:
        logins = connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"{prefix}%"}
        ).scalars()
        verwijder_rollen(connection, sorted(logins, key=lambda r: r in alle_groepsrollen(prefix)))
    engine.dispose()


@pytest.fixture
def als_medewerker(
    request: pytest.FixtureRequest, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., list[str]]:
    """``als_medewerker("beheerder")`` → the CLI arguments that make the command run as a
    medewerker with those rollen: ``--medewerker`` on SQLite, a login role of its own on
    PostgreSQL (where ``--medewerker`` is refused)."""
    from sqlmodel import Session, col, select

    from kiss.models import Medewerker

    postgres = database_url.startswith("postgresql")
    prefix = request.getfixturevalue("rol_voorvoegsel") if postgres else ""
    if postgres:
        monkeypatch.setenv("KISS_ROL_VOORVOEGSEL", prefix)

    def maak(rollen: str = "", naam: str | None = None, **velden: object) -> list[str]:
        """``rollen`` empty: keep those of an existing medewerker called ``naam``."""
        naam = naam or "t_" + rollen.replace(";", "_")
        login = f"{prefix}l_{naam}" if postgres else naam
        engine = make_engine(database_url)
        with Session(engine) as session:
            medewerker = session.exec(
                select(Medewerker).where(col(Medewerker.gebruikersnaam).in_([login, naam]))
            ).first() or Medewerker(gebruikersnaam=login, achternaam=naam)
            medewerker.gebruikersnaam = login
            if rollen:
                medewerker.rollen = rollen
            for veld, waarde in velden.items():
                setattr(medewerker, veld, waarde)
            session.add(medewerker)
            session.commit()
            if postgres:
                bestaat = session.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}
                ).first()
                if not bestaat:
                    session.execute(text(f'CREATE ROLE "{login}" LOGIN'))
                session.execute(text("SELECT kiss_rollen_bijwerken(:r)"), {"r": login})
                session.commit()
        engine.dispose()
        if postgres:
            from sqlalchemy.engine import make_url

            url = make_url(database_url).set(username=login).render_as_string(False)
            return ["--database", url]
        return ["--database", database_url, "--medewerker", naam]

    return maak
