"""Connections fail fast with a Dutch message and never show a password."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from kiss.cli import main
from kiss.db import DatabaseNietBeschikbaar, bereid_voor, make_engine, verberg_wachtwoord


@pytest.fixture
def stille_server() -> Iterator[int]:
    """A loopback port that accepts connections and then never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    open_verbindingen: list[socket.socket] = []
    stop = threading.Event()

    def aannemen() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                open_verbindingen.append(server.accept()[0])
            except OSError:
                continue

    draad = threading.Thread(target=aannemen, daemon=True)
    draad.start()
    yield server.getsockname()[1]
    stop.set()
    draad.join()
    for verbinding in open_verbindingen:
        verbinding.close()
    server.close()


def test_a_silent_database_gives_a_dutch_message_within_the_connect_timeout(
    stille_server: int, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql+psycopg://jan:GeheimWachtwoord1@127.0.0.1:{stille_server}/kiss"
    begin = time.monotonic()
    with pytest.raises(DatabaseNietBeschikbaar) as fout:
        bereid_voor(make_engine(url))
    assert time.monotonic() - begin < 15
    assert "niet bereikbaar" in str(fout.value) or "antwoordt niet" in str(fout.value)
    assert "GeheimWachtwoord1" not in str(fout.value)
    assert main(["--database", url, "kennisbank", "zoek", "paspoort"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kiss: De database") and "GeheimWachtwoord1" not in err
    assert "Traceback" not in err


def test_postgresql_connections_carry_timeouts_and_keepalives(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        return
    with engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
        parameters = conn.connection.driver_connection.info.get_parameters()  # type: ignore[union-attr]
    assert parameters["connect_timeout"] == "5" and parameters["keepalives"] == "1"
    zonder_opties = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with zonder_opties.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
    zonder_opties.dispose()


def test_a_statement_that_runs_too_long_is_stopped(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("statement_timeout is een PostgreSQL-instelling")
    from sqlalchemy.exc import OperationalError

    with engine.connect() as conn:
        conn.execute(text("SET statement_timeout = 200"))  # the same mechanism, shorter
        with pytest.raises(OperationalError, match="statement timeout"):
            conn.execute(text("SELECT pg_sleep(5)"))


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        ("postgresql+psycopg://jan:geheim@db/kiss", "postgresql+psycopg://jan:***@db/kiss"),
        (
            "host=db user=jan password=geheim dbname=kiss",
            "host=db user=jan password=*** dbname=kiss",
        ),
        ("postgresql://db/kiss?password=geheim&x=1", "postgresql://db/kiss?password=***&x=1"),
    ],
)
def test_passwords_are_hidden_in_any_url(tekst: str, verwacht: str) -> None:
    assert verberg_wachtwoord(tekst) == verwacht


def test_a_database_failure_halfway_is_a_dutch_message_without_secrets() -> None:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from kiss.cli.common import databasefout

    engine = make_engine("postgresql+psycopg://jan:GeheimWachtwoord1@127.0.0.1:1/kiss")
    with pytest.raises(OperationalError) as weg:
        engine.connect()
    fout = databasefout(weg.value)
    assert fout is not None and fout.code == 1 and "GeheimWachtwoord1" not in str(fout)
    assert str(fout).startswith("De database")
    geweigerd = ProgrammingError("SELECT bsn FROM klant", {}, Exception("permission denied"))
    fout = databasefout(geweigerd)
    assert fout is not None and fout.code == 2 and "geen rechten" in str(fout)
    assert databasefout(ValueError("een fout in KISS zelf")) is None  # bugs keep their traceback


def test_the_statement_timeout_can_be_lifted_for_maintenance(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("statement_timeout is een PostgreSQL-instelling")
    monkeypatch.setenv("KISS_STATEMENT_TIMEOUT_MS", "0")
    onderhoud = make_engine(str(engine.url.render_as_string(hide_password=False)))
    with onderhoud.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "0"
    onderhoud.dispose()
