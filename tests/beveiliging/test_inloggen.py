"""Logging in to a shared database: the Dutch login screen (password masked, never echoed)
and when KISS asks at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.engine import make_url
from textual.widgets import Input, Static

from kiss.cli import main
from kiss.screens.inloggen import InlogApp
from kiss.services.beveiliging.verbinding import heeft_eigen_login


@pytest.fixture
def pg(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("inloggen met een databaselogin bestaat alleen op PostgreSQL")
    return database_url


def _url_zonder_gebruiker(url: str) -> str:
    return make_url(url).set(username=None).render_as_string(False)


async def _probeer(app: InlogApp, pilot: object, gebruiker: str, wachtwoord: str) -> str:
    app.query_one("#gebruiker", Input).value = gebruiker
    app.query_one("#wachtwoord", Input).value = wachtwoord
    await pilot.press("enter")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    return str(app.query_one("#melding", Static).content)


async def test_login_screen_masks_the_password_and_says_what_is_wrong_in_dutch(
    pg: str, als_medewerker: Callable[..., list[str]]
) -> None:
    login = make_url(als_medewerker("kcc")[1]).username or ""
    app = InlogApp(_url_zonder_gebruiker(pg))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.query_one("#wachtwoord", Input).password
        assert "Vul uw gebruikersnaam en wachtwoord in" in await _probeer(app, pilot, "", "")
        melding = await _probeer(app, pilot, "bestaat_niet_x", "Zomer2026!geheim")
        assert "Gebruikersnaam of wachtwoord onjuist" in melding
        assert "Zomer2026!geheim" not in melding
        assert app.query_one("#wachtwoord", Input).value == ""  # typed again, never kept
        await _probeer(app, pilot, login, "Zomer2026!geheim")
    assert app.return_value is not None and make_url(app.return_value).username == login


def test_no_login_screen_when_a_connection_works_without_asking(pg: str) -> None:
    assert heeft_eigen_login(pg)  # here the server trusts loopback (as Kerberos would)
    assert heeft_eigen_login("postgresql+psycopg://jan:geheim@127.0.0.1:1/kiss")
    # an unreachable server: the normal start reports that, no login screen first
    assert heeft_eigen_login("postgresql+psycopg://127.0.0.1:1/kiss")


def test_medewerker_flag_on_postgresql_is_refused_before_the_tui_starts(
    pg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database", pg, "--medewerker", "M1001"]) == 2
    assert "--medewerker werkt alleen met de lokale SQLite-database" in capsys.readouterr().err
