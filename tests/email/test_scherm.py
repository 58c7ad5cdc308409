"""F9 with the pilot: the queue, a resident's text shown as plain text (never markup), pak de
volgende and answering from the reply editor (the answer waits in the outbox)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from rich.console import Console
from sqlalchemy import Engine, select
from textual.widgets import DataTable, Static, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.models import Medewerker, Uitgaand
from kiss.models.email import EmailBericht, EmailStatus, EmailZaak
from kiss.screens.email import AntwoordEditor, EmailScreen
from kiss.services.email.instellingen import EmailInstellingen
from tests.factories import bouw_wereld
from tests.pilot import settle

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GEVAARLIJK = "[bold red]nep[/bold red] \x1b[2J <script>alert(1)</script> [link=x]klik[/link]"


def _app(engine: Engine) -> KissApp:
    app = KissApp(settings=Settings(), engine=engine, medewerker="agent", klok=lambda: NU)
    app.werkplek.email.instellingen = EmailInstellingen(adres="info@gemeente.example")
    return app


def _vul(engine: Engine) -> tuple[EmailZaak, EmailZaak]:
    wereld = bouw_wereld(engine)
    with session_scope(engine) as session:
        later = EmailZaak(onderwerp="Later", afzender="b@voorbeeld.nl", ontvangen_op=NU,
                          deadline=NU + timedelta(days=2))  # fmt: skip
        eerst = EmailZaak(onderwerp="Afval", afzender="j.vandenberg@voorbeeld.nl",
                          klant_id=wereld.berg.id, ontvangen_op=NU - timedelta(days=4),
                          deadline=NU - timedelta(hours=1))  # fmt: skip
        session.add_all([later, eerst])
        session.flush()
        session.add(
            EmailBericht(zaak_id=eerst.id, message_id="<a@x>", van=eerst.afzender,
                         onderwerp="Afval", tekst=GEVAARLIJK, moment=eerst.ontvangen_op)
        )  # fmt: skip
        session.flush()
        session.expunge_all()
    return eerst, later


async def test_wachtrij_pak_de_volgende_en_antwoorden(sqlite_engine: Engine) -> None:
    eerst, _later = _vul(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, EmailScreen)
        tabel = scherm.query_one("#email-tabel", DataTable)
        assert tabel.row_count == 2
        assert str(tabel.get_row_at(0)[1]) == "Afval"  # the earliest deadline first
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        draad = scherm.query_one("#email-draad", Static)
        getoond = str(draad.render())
        assert "[bold red]nep[/bold red]" in getoond and "<script>" in getoond  # as typed
        assert "\x1b" not in getoond
        await pilot.press("a")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, AntwoordEditor)
        editor.query_one("#antwoord-tekst", TextArea).text = "De gft-container komt maandag."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EmailScreen)
        assert tabel.row_count == 1
    with read_scope(sqlite_engine) as session:
        zaak = session.get(EmailZaak, eerst.id)
        assert zaak is not None and zaak.status == EmailStatus.BEANTWOORD
        rij = session.execute(
            select(Uitgaand).where(Uitgaand.sleutel.like("email:antwoord:%"))
        ).scalar_one()
    assert rij.payload["tekst"].startswith("De gft-container komt maandag.")
    assert rij.payload["aan"] == "j.vandenberg@voorbeeld.nl"


async def test_een_leeg_antwoord_geeft_een_melding_in_de_editor(sqlite_engine: Engine) -> None:
    _vul(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, AntwoordEditor)
        editor.query_one("#antwoord-tekst", TextArea).text = "   "
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is editor
        assert "Het antwoord is leeg" in str(editor.query_one("#antwoord-fout", Static).render())


async def test_het_normdashboard_toont_de_emailnorm(sqlite_engine: Engine) -> None:
    _vul(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        session.add(Medewerker(gebruikersnaam="tl", achternaam="Leider", rollen="teamlead"))
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="tl", klok=lambda: NU)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        tabel = app.screen.query_one("#tl-email", Static).content
    console = Console(record=True, width=150, file=io.StringIO())
    console.print(tabel)
    getoond = console.export_text()
    assert "E-mailnorm (antwoord binnen de termijn)" in getoond
    assert "Doel: e-mailnorm ≥ 90%" in getoond


async def test_een_redacteur_komt_niet_in_de_mail(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        session.add(Medewerker(gebruikersnaam="rd", achternaam="Redactie", rollen="redacteur"))
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="rd", klok=lambda: NU)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert not isinstance(app.screen, EmailScreen)
        assert any("KCC, de backoffice en teamleiders" in str(n.message)
                   for n in app._notifications)  # fmt: skip


async def test_de_opdrachtenlijst_kent_de_mail(sqlite_engine: Engine) -> None:
    _vul(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        titels = [c.title for c in app.get_system_commands(app.screen)]
    assert "Ga naar E-mail" in titels
