"""Engine, sessions and schema migrations for SQLite (default) and PostgreSQL.

Connections fail fast instead of hanging: a connect timeout, a statement timeout and TCP
keepalives on PostgreSQL, a busy timeout on SQLite. A database that cannot be reached raises
:class:`DatabaseNietBeschikbaar` with a Dutch message that never contains a password.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 30_000
SQLITE_BUSY_TIMEOUT_MS = 10_000
UPGRADE_LOCK_ID = 0x4B495353  # "KISS": pg_advisory_lock key for schema upgrades


class DatabaseNietBeschikbaar(RuntimeError):
    """The database cannot be reached or did not answer in time; the message is Dutch and
    never contains a password, so the UI can show it and offer to retry."""


class GeenDatabaseToegang(PermissionError):
    """The login may connect but has no KISS group role (any more); Dutch message."""


class SchemaVerouderd(RuntimeError):
    """The shared database's schema is older than this version of KISS (Dutch message)."""


@event.listens_for(OrmSession, "before_flush")
def _valideer_voor_schrijven(session: Any, _context: Any, _instances: Any) -> None:
    """Lengths and characters are checked before any backend sees them, so SQLite accepts
    exactly what PostgreSQL accepts (raises kiss.validation.ValidatieFout, Dutch)."""
    from kiss.validation import controleer_object

    for obj in list(session.new) + list(session.dirty):
        controleer_object(obj)


def default_database_url() -> str:
    data_dir = platformdirs.user_data_path("kiss", ensure_exists=True)
    return f"sqlite:///{data_dir / 'kiss.db'}"


def database_url(explicit: str | None = None) -> str:
    """``--database`` beats ``KISS_DATABASE_URL`` beats the default file.

    A plain path (``kiss.db``) means an SQLite file.
    """
    url = explicit or os.environ.get("KISS_DATABASE_URL") or default_database_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_PASSWORD_PARAM = re.compile(r"(password=)[^&\s]*", re.IGNORECASE)


def verberg_wachtwoord(tekst: str) -> str:
    """Any URL or connection string in ``tekst`` with its password replaced by ``***``."""
    return _PASSWORD_PARAM.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1***@", tekst))


def is_postgres(url_or_engine: str | Engine) -> bool:
    if isinstance(url_or_engine, Engine):
        return url_or_engine.dialect.name == "postgresql"
    return database_url(url_or_engine).startswith("postgresql")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _postgres_connect_args(url: str, given: dict[str, Any]) -> dict[str, Any]:
    """Timeouts and keepalives, unless the URL or the caller already chose them."""
    query = make_url(url).query
    args: dict[str, Any] = {}
    defaults: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    for key, value in defaults.items():
        if key not in query and key not in given:
            args[key] = value
    options = str(query.get("options", "")) + " " + str(given.get("options", ""))
    if "statement_timeout" not in options:
        extra = f"-c statement_timeout={statement_timeout_ms()}"
        if "options" in given:
            args["options"] = f"{given['options']} {extra}"
        elif "options" not in query:
            args["options"] = extra
    return {**given, **args}


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # Take the write lock at BEGIN so concurrent writers queue instead of failing
        # with "database is locked" when a reader upgrades to a writer.
        event.listen(engine, "connect", _sqlite_no_autobegin)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    kwargs["connect_args"] = _postgres_connect_args(url, kwargs.get("connect_args", {}))
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if "statement_timeout" in str(make_url(url).query.get("options", "")):
        return engine
    if "options" in make_url(url).query:
        # the URL sets its own options (e.g. a search_path): add the timeout per connection
        event.listen(engine, "connect", _postgres_statement_timeout)
    return engine


def statement_timeout_ms() -> int:
    """30 s, or ``KISS_STATEMENT_TIMEOUT_MS`` (0: no limit, e.g. for a benchmark's VACUUM)."""
    try:
        return max(0, int(os.environ.get("KISS_STATEMENT_TIMEOUT_MS", STATEMENT_TIMEOUT_MS)))
    except ValueError:
        return STATEMENT_TIMEOUT_MS


def _postgres_statement_timeout(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {statement_timeout_ms()}")
    dbapi_connection.commit()


def _sqlite_no_autobegin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(connection: Any) -> None:
    if connection.get_execution_options().get("kiss_readonly"):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def niet_beschikbaar(exc: BaseException, engine: Engine | None = None) -> DatabaseNietBeschikbaar:
    """A Dutch, password-free :class:`DatabaseNietBeschikbaar` for a driver error."""
    oorzaak = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reden = verberg_wachtwoord(oorzaak[0] if oorzaak else type(exc).__name__)
    waar = ""
    if engine is not None:
        waar = " (" + engine.url.render_as_string(hide_password=True) + ")"
    if "timeout" in reden.lower() or "canceling statement" in reden.lower():
        return DatabaseNietBeschikbaar(
            f"De database{waar} antwoordt niet op tijd. Probeer het zo opnieuw. ({reden})"
        )
    return DatabaseNietBeschikbaar(
        f"De database{waar} is niet bereikbaar. Probeer het zo opnieuw. ({reden})"
    )


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work; on SQLite it does not take the write lock, so long reports
    do not hold up agents who are saving."""
    with Session(engine.execution_options(kiss_readonly=True), expire_on_commit=False) as session:
        yield session  # closing ends the transaction; loaded objects stay readable


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


@contextmanager
def upgrade_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL: one upgrade at a time (others wait, then find nothing left to do)."""
    if not is_postgres(engine):
        yield
        return
    with engine.connect() as lock:
        lock.execute(text("SET statement_timeout = 0"))
        lock.execute(text("SELECT pg_advisory_lock(:id)"), {"id": UPGRADE_LOCK_ID})
        lock.commit()
        try:
            yield
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": UPGRADE_LOCK_ID})
            lock.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (creating it on an empty database); on PostgreSQL
    behind an advisory lock, so simultaneous upgrades wait for each other."""
    from alembic import command

    with upgrade_lock(engine):
        command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def controleer_schema(engine: Engine) -> None:
    """A normal start on a shared database only checks the schema version."""
    huidig, nodig = current_revision(engine), head_revision(engine)
    if huidig is None and is_postgres(engine):
        with engine.connect() as connection:
            bestaat = connection.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'alembic_version'"
                    " AND schemaname = ANY (string_to_array(replace(replace("
                    "current_setting('search_path'), ' ', ''), '\"', ''), ',')))"
                )
            ).scalar_one()
            login = connection.execute(text("SELECT session_user")).scalar_one()
        if bestaat:  # the schema is there, this login just cannot see it
            raise GeenDatabaseToegang(
                f"Uw databaselogin '{login}' heeft geen KISS-rechten (meer). Vraag een "
                "beheerder: kiss gebruiker toevoegen."
            )
    if huidig != nodig:
        raise SchemaVerouderd(
            f"Het databaseschema heeft versie {huidig or 'geen'}, deze KISS heeft {nodig} "
            "nodig. Vraag de beheerder om 'kiss db upgrade' uit te voeren (met de "
            "eigenaarsrol van de database)."
        )


_REVISIEREGEL = re.compile(r"^(down_)?revision\b[^=\n]*=(.*)$", re.MULTILINE)


def _kop_uit_bestanden() -> str | None:
    """The head revision read from the migration files' text, without loading alembic;
    ``None`` when the files do not show exactly one head (alembic then decides)."""
    revisies: set[str] = set()
    ouders: set[str] = set()
    for pad in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for ouder, waarde in _REVISIEREGEL.findall(pad.read_text(encoding="utf-8")):
            namen = re.findall(r"[\"']([^\"']+)[\"']", waarde)
            (ouders if ouder else revisies).update(namen)
    koppen = revisies - ouders
    return koppen.pop() if len(koppen) == 1 else None


def schema_is_actueel(engine: Engine) -> bool:
    """True when the database is certainly at this KISS's newest schema version: one small
    query, and alembic (a quarter of a second to import) is not needed to start."""
    from sqlalchemy.exc import DBAPIError

    kop = _kop_uit_bestanden()
    if kop is None:
        return False
    try:
        with engine.execution_options(kiss_readonly=True).connect() as connection:
            versies = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no table yet, no rights, no server: the full path says what is wrong
        return False
    return [v for (v,) in versies] == [kop]


def bereid_voor(engine: Engine) -> None:
    """At start-up: the embedded SQLite file upgrades itself; a shared PostgreSQL database
    is only checked (``kiss db upgrade`` is the owner's job)."""
    from sqlalchemy.exc import DBAPIError

    if schema_is_actueel(engine):
        return
    try:
        if is_postgres(engine):
            controleer_schema(engine)
        else:
            upgrade(engine)
    except DBAPIError as exc:
        raise niet_beschikbaar(exc, engine) from exc
