"""Mode ``kennisbank``: search while the caller talks, read, use as onderwerp, give feedback,
and (redacteuren) edit. Search runs in an exclusive worker per keystroke, debounced."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Markdown, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from kiss.db import read_scope, session_scope
from kiss.screens.kennisbank_dialogen import ArtikelBewerken, FeedbackDialoog, FeedbackLijst
from kiss.services.kennisbank import artikelen
from kiss.services.kennisbank.zoeken import ArtikelTreffer, zoek_artikelen

if TYPE_CHECKING:
    from kiss.app import KissApp

DEBOUNCE = 0.12


class KennisbankScreen(Screen[None]):
    DEFAULT_CSS = """
    KennisbankScreen #kb-zoekbalk { height: auto; padding: 0 1; }
    KennisbankScreen #kb-status { color: $text-muted; height: 1; }
    KennisbankScreen #kb-werk { height: 1fr; }
    KennisbankScreen #kb-resultaten { width: 42%; min-width: 40; }
    KennisbankScreen #kb-lezer { width: 1fr; padding: 0 1; border-left: solid $panel; }
    """
    BINDINGS = [
        Binding("ctrl+u", "gebruik", "Gebruik als onderwerp", id="gebruik_als_onderwerp",
                priority=True, tooltip="Koppel het artikel aan het open contactmoment"),
        Binding("ctrl+f", "feedback", "Feedback", id="artikel_feedback", priority=True,
                tooltip="Meld dat het artikel niet klopt, verouderd of onduidelijk is"),
        Binding("ctrl+e", "bewerk", "Bewerken", id="artikel_bewerken", priority=True,
                tooltip="Artikel bewerken (redacteur)"),
        Binding("ctrl+l", "feedbacklijst", "Feedbacklijst", id="feedbacklijst", priority=True,
                tooltip="Feedback van collega's (redacteur)"),
        Binding("ctrl+k", "zoek", "Zoeken", id="kennisbank_zoeken", priority=True),
    ]  # fmt: skip

    class ResultatenBinnen(Message):
        def __init__(self, tekst: str, treffers: list[ArtikelTreffer]) -> None:
            super().__init__()
            self.tekst = tekst
            self.treffers = treffers

    def __init__(self) -> None:
        super().__init__()
        self.treffers: dict[str, ArtikelTreffer] = {}
        self.artikel_id: uuid.UUID | None = None
        self.artikel_titel = ""
        self.artikel_afdeling: uuid.UUID | None = None

    @property
    def kiss(self) -> KissApp:
        return cast("KissApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="kb-zoekbalk"):
            yield Input(placeholder="Zoek in de kennisbank, bijv. paspoort verlengen", id="kb-zoek")
            yield Label("", id="kb-status")
        with Horizontal(id="kb-werk"):
            yield OptionList(id="kb-resultaten")
            with VerticalScroll(id="kb-lezer"):
                yield Markdown("Typ een vraag; de beste artikelen verschijnen terwijl u typt.",
                               id="kb-artikel")  # fmt: skip
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#kb-zoek", Input).focus()

    def gemeente(self) -> str:
        contact = self.kiss.contact_scherm
        actief = contact.open.get(contact.actief) if contact.actief else None
        return actief.samenvatting.gemeente if actief else self.kiss.gemeente

    def action_zoek(self) -> None:
        self.query_one("#kb-zoek", Input).focus()

    @on(Input.Changed, "#kb-zoek")
    def _getypt(self, event: Input.Changed) -> None:
        self.zoek(event.value, self.gemeente())

    @on(Input.Submitted, "#kb-zoek")
    def _enter(self) -> None:
        lijst = self.query_one("#kb-resultaten", OptionList)
        if lijst.option_count:
            lijst.focus()
            lijst.highlighted = 0
            self._toon_gemarkeerd()

    @work(thread=True, exclusive=True, group="kennisbank-zoeken")
    def zoek(self, tekst: str, gemeente: str) -> None:
        """Each keystroke cancels the previous search before it starts."""
        time.sleep(DEBOUNCE)
        if get_current_worker().is_cancelled:
            return
        treffers = zoek_artikelen(self.kiss.engine, tekst, gemeente=gemeente, limit=15)
        if not get_current_worker().is_cancelled:
            self.post_message(self.ResultatenBinnen(tekst, treffers))

    @on(ResultatenBinnen)
    def _binnen(self, event: ResultatenBinnen) -> None:
        if event.tekst != self.query_one("#kb-zoek", Input).value:
            return
        lijst = self.query_one("#kb-resultaten", OptionList)
        lijst.clear_options()
        self.treffers = {str(t.id): t for t in event.treffers}
        for treffer in event.treffers:
            regel = Text(treffer.titel, style="bold")
            regel.append("\n")
            snippet = Text(treffer.snippet.text, style="dim")
            for start, einde in treffer.snippet.spans:
                snippet.stylize("bold reverse", start, einde)
            regel.append_text(snippet)
            lijst.add_option(Option(regel, id=str(treffer.id)))
        status = f"{len(event.treffers)} artikel(en)" if event.tekst.strip() else ""
        if event.tekst.strip() and not event.treffers:
            status = "Niets gevonden. Probeer andere woorden, of vraag een collega (F4)."
        self.query_one("#kb-status", Label).update(status)
        if event.treffers:
            lijst.highlighted = 0
            self._toon(event.treffers[0].id)

    @on(OptionList.OptionHighlighted, "#kb-resultaten")
    def _toon_gemarkeerd(self) -> None:
        lijst = self.query_one("#kb-resultaten", OptionList)
        if lijst.highlighted is None or not lijst.option_count:
            return
        option_id = lijst.get_option_at_index(lijst.highlighted).id
        if option_id and uuid.UUID(option_id) != self.artikel_id:
            self._toon(uuid.UUID(option_id))

    @on(OptionList.OptionSelected, "#kb-resultaten")
    def _gekozen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._toon(uuid.UUID(event.option.id))
            self.query_one("#kb-lezer").focus()

    def _toon(self, artikel_id: uuid.UUID) -> None:
        self.artikel_id = artikel_id
        self.laad_artikel(artikel_id)

    @work(thread=True, exclusive=True, group="kennisbank-lezen")
    def laad_artikel(self, artikel_id: uuid.UUID) -> None:
        with read_scope(self.kiss.engine) as session:
            weergave = artikelen.weergave(session, artikel_id)
        self.app.call_from_thread(self._toon_weergave, weergave)

    def _toon_weergave(self, weergave: Any) -> None:
        if weergave.id != self.artikel_id:
            return
        self.artikel_titel = weergave.titel
        self.artikel_afdeling = weergave.afdeling_id
        self.query_one("#kb-artikel", Markdown).update(weergave.markdown)

    def action_gebruik(self) -> None:
        if self.artikel_id is None:
            self.notify("Kies eerst een artikel.", severity="warning")
            return
        self.kiss.contact_scherm.gebruik_artikel(
            self.artikel_id, self.artikel_titel, self.artikel_afdeling
        )

    def action_feedback(self) -> None:
        if self.artikel_id is None or self.kiss.medewerker is None:
            self.notify("Kies eerst een artikel.", severity="warning")
            return
        artikel_id, medewerker = self.artikel_id, self.kiss.medewerker

        def opslaan(invoer: tuple[str, str]) -> uuid.UUID:
            with session_scope(self.kiss.engine) as session:
                return artikelen.geef_feedback(session, medewerker, artikel_id, *invoer).id

        self.app.push_screen(FeedbackDialoog(opslaan, self.artikel_titel), self._feedback_klaar)

    def _feedback_klaar(self, resultaat: uuid.UUID | None) -> None:
        if resultaat is not None:
            self.notify("Dank u; de redactie ziet uw feedback in de feedbacklijst.")

    def action_bewerk(self) -> None:
        from kiss.rollen import mag_artikel_bewerken

        medewerker = self.kiss.medewerker
        if self.artikel_id is None or medewerker is None:
            self.notify("Kies eerst een artikel.", severity="warning")
            return
        if not mag_artikel_bewerken(medewerker):
            self.notify("Alleen redacteuren mogen artikelen bewerken.", severity="warning")
            return
        self.open_bewerken(self.artikel_id)

    @work(thread=True, group="kennisbank-lezen")
    def open_bewerken(self, artikel_id: uuid.UUID) -> None:
        with read_scope(self.kiss.engine) as session:
            data = artikelen.naar_data(session, artikelen.haal_artikel(session, artikel_id))
        medewerker = self.kiss.medewerker

        def opslaan(nieuw: Any) -> uuid.UUID:
            with session_scope(self.kiss.engine) as session:
                return artikelen.bewerk_artikel(session, medewerker, artikel_id, nieuw).id  # type: ignore[arg-type]

        def klaar(resultaat: uuid.UUID | None) -> None:
            if resultaat is not None:
                self.notify("Artikel opgeslagen; collega's vinden de nieuwe tekst meteen.")
                self._toon(artikel_id)
                self.zoek(self.query_one("#kb-zoek", Input).value, self.gemeente())

        self.app.call_from_thread(self.app.push_screen, ArtikelBewerken(opslaan, data), klaar)

    def action_feedbacklijst(self) -> None:
        from kiss.rollen import mag_artikel_bewerken

        medewerker = self.kiss.medewerker
        if medewerker is None or not mag_artikel_bewerken(medewerker):
            self.notify("De feedbacklijst is voor redacteuren.", severity="warning")
            return
        self.app.push_screen(FeedbackLijst())
