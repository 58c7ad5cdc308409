"""The Dutch login screen for a shared PostgreSQL database: gebruikersnaam and wachtwoord
(masked). A small standalone app, run before the main app when the database asks for a
password that the URL, a passfile, a service file or Kerberos does not provide."""

from __future__ import annotations

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from kiss.services.beveiliging.verbinding import inlogfout, met_login


class InlogApp(App[str]):
    """Returns the URL with the login, or None when the user gives up (Escape)."""

    TITLE = "KISS — inloggen"
    BINDINGS = [("escape", "stoppen", "Stoppen")]
    DEFAULT_CSS = """
    InlogApp { align: center middle; }
    #inloggen { width: 60; height: auto; border: round $primary; padding: 1 2; }
    #melding { color: $error; height: auto; }
    """

    def __init__(self, url: str, gebruiker: str = "") -> None:
        super().__init__()
        self.url = url
        self.gebruiker = gebruiker

    def compose(self) -> ComposeResult:
        with Vertical(id="inloggen"):
            yield Label("Log in op de gedeelde KISS-database")
            yield Input(value=self.gebruiker, placeholder="Gebruikersnaam", id="gebruiker")
            yield Input(placeholder="Wachtwoord", password=True, id="wachtwoord")
            yield Static("", id="melding")
            yield Button("Inloggen", variant="primary", id="knop")

    def on_mount(self) -> None:
        veld = "#wachtwoord" if self.gebruiker else "#gebruiker"
        self.query_one(veld, Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#knop")
    def inloggen(self) -> None:
        gebruiker = self.query_one("#gebruiker", Input).value
        wachtwoord = self.query_one("#wachtwoord", Input).value
        self.query_one("#melding", Static).update("Bezig met inloggen…")
        self.controleer(gebruiker, wachtwoord)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def controleer(self, gebruiker: str, wachtwoord: str) -> None:
        fout = inlogfout(self.url, gebruiker, wachtwoord)
        if fout is None:
            self.call_from_thread(self.exit, met_login(self.url, gebruiker.strip(), wachtwoord))
        else:
            self.call_from_thread(self.mislukt, fout)

    def mislukt(self, fout: str) -> None:
        self.query_one("#melding", Static).update(fout)
        wachtwoord = self.query_one("#wachtwoord", Input)
        wachtwoord.value = ""
        wachtwoord.focus()

    def action_stoppen(self) -> None:
        self.exit(None)


def vraag_login(url: str) -> str | None:
    return InlogApp(url).run()
