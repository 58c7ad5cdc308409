"""A crash never shows a secret: Textual's last-resort traceback prints local variables,
which can hold a database password. KISS shows it without locals and with secrets hidden."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import Engine

import kiss.app
from kiss.app import KissApp
from kiss.config import Settings
from kiss.werkplek.fouten import zonder_geheimen
from tests.factories import bouw_wereld
from tests.pilot import settle


class KapotteApp(KissApp):
    CSS_PATH = str(Path(kiss.app.__file__).parent / "kiss.tcss")
    getoond: list[object] = []

    def _print_error_renderables(self) -> None:
        self.getoond.extend(self._exit_renderables)  # what the terminal would show
        super()._print_error_renderables()

    def action_kapot(self) -> None:
        geheim = "-".join(["geheim", "123"])  # a local variable; the literal is not in the source
        raise RuntimeError(f"verbinding met postgresql://kcc:{geheim}@db/kiss mislukt")


async def test_a_crash_shows_no_password_nor_local_variables(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    app = KapotteApp(settings=Settings(), engine=sqlite_engine, medewerker="agent")
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await settle(app, pilot)
            app.call_later(app.action_kapot)
            await pilot.pause(0.2)
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, color_system=None)
    assert app.getoond
    for renderable in app.getoond:
        console.print(renderable)
    uitvoer = buffer.getvalue()
    assert "RuntimeError" in uitvoer and "postgresql://kcc:***@db/kiss" in uitvoer
    assert "geheim-123" not in uitvoer  # neither in the message nor as a local variable


def test_secrets_are_hidden_in_urls_and_settings() -> None:
    assert zonder_geheimen("postgresql+psycopg://kcc:p%40ss@db:5432/kiss") == (
        "postgresql+psycopg://kcc:***@db:5432/kiss"
    )
    assert zonder_geheimen("password=hunter2 host=db") == "password=*** host=db"
    assert zonder_geheimen("Authorization: Token abc123") == "Authorization: Token ***"
    assert zonder_geheimen("token: abc123") == "token: ***"
