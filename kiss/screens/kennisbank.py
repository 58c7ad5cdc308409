"""Mode ``kennisbank``: search while the caller talks, read, use as onderwerp, give feedback,
and (redacteuren) edit. Search runs in an exclusive worker per keystroke, debounced."""

from __future__ import annotations

import uuid
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Input, Label, Markdown, OptionList
from textual.widgets.option_list import Option

from kiss.screens.basis import KissScreen
from kiss.screens.kennisbank_dialogen import ArtikelBewerken, FeedbackDialoog, FeedbackLijst
from kiss.services.kennisbank.formaat import ArtikelData
from kiss.services.kennisbank.weergave import SOORT_LABEL, ArtikelWeergave
from kiss.services.kennisbank.zoeken import ArtikelTreffer
from kiss.werkplek.gebeurtenissen import (
    ContactGeopend,
    ContactGewijzigd,
    DemoGeladen,
    Gebeurtenis,
    KennisbankGewijzigd,
)
from kiss.werkplek.kennisbank import KennisbankAntwoord

DEBOUNCE = 0.12
WELKOM = "Typ een vraag; de beste artikelen verschijnen terwijl u typt."


def status(antwoord: KennisbankAntwoord) -> str:
    """The line above the results: how many, or that none is a good answer and who knows."""
    if not antwoord.tekst.strip():
        return ""
    if not antwoord.geen_goed_antwoord:
        items = sum(1 for t in antwoord.treffers if not t.is_artikel)
        tekst = f"{len(antwoord.treffers) - items} artikel(en)"
        return f"{tekst}, {items} werkinstructie(s) of nieuws" if items else tekst
    tekst = "Geen passend artikel gevonden"
    tekst += "; misschien een van deze." if antwoord.treffers else "."
    if antwoord.collegas:
        namen = ", ".join(
            f"{c.naam} ({c.telefoon})" if c.telefoon else c.naam for c in antwoord.collegas[:3]
        )
        return f"{tekst} Collega's die ervan weten (F4): {namen}."
    if antwoord.bezig:
        return f"{tekst} Enter zoekt ook op betekenis; of vraag een collega (F4)."
    return f"{tekst} Vraag een collega (F4) of maak een terugbelnotitie."


class KennisbankScreen(KissScreen):
    DEFAULT_CSS = """
    KennisbankScreen #kb-zoekbalk { height: auto; padding: 0 1; }
    KennisbankScreen #kb-status { color: $text-muted; height: auto; min-height: 1; }
    KennisbankScreen #kb-werk { height: 1fr; }
    KennisbankScreen #kb-resultaten { width: 42%; min-width: 40; }
    KennisbankScreen #kb-lezer { width: 1fr; padding: 0 1; border-left: solid $panel; }
    """
    BINDINGS = [
        Binding("ctrl+u", "gebruik", "Gebruik als onderwerp", id="gebruik_als_onderwerp",
                priority=True, tooltip="Koppel het artikel aan het open contactmoment; een "
                "werkinstructie of nieuwsbericht wordt een bron van de vraag"),
        Binding("ctrl+f", "feedback", "Feedback", id="artikel_feedback", priority=True,
                tooltip="Meld dat het artikel niet klopt, verouderd of onduidelijk is"),
        Binding("ctrl+e", "bewerk", "Bewerken", id="artikel_bewerken", priority=True,
                tooltip="Artikel bewerken (redacteur)"),
        Binding("ctrl+l", "feedbacklijst", "Feedbacklijst", id="feedbacklijst", priority=True,
                tooltip="Feedback van collega's (redacteur)"),
        Binding("ctrl+k", "zoek", "Zoeken", id="kennisbank_zoeken", priority=True),
    ]  # fmt: skip

    class ResultatenBinnen(Message):
        def __init__(self, antwoord: KennisbankAntwoord, naar_lijst: bool = False) -> None:
            super().__init__()
            self.antwoord = antwoord
            self.naar_lijst = naar_lijst  # the question was finished with enter

    def __init__(self) -> None:
        super().__init__()
        self.treffers: dict[str, ArtikelTreffer] = {}
        self.artikel_id: uuid.UUID | None = None
        self.artikel_titel = ""
        self.artikel_afdeling: uuid.UUID | None = None
        self.weergave: ArtikelWeergave | None = None  # what the reader shows

    @property
    def zoekveld(self) -> Input:
        return self.query_one("#kb-zoek", Input)

    @property
    def lijst(self) -> OptionList:
        return self.query_one("#kb-resultaten", OptionList)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="kb-zoekbalk"):
            yield Input(placeholder="Zoek in de kennisbank, bijv. paspoort verlengen", id="kb-zoek")
            yield Label("", id="kb-status")
        with Horizontal(id="kb-werk"):
            yield OptionList(id="kb-resultaten")
            with VerticalScroll(id="kb-lezer"):
                yield Markdown(WELKOM, id="kb-artikel")
        yield Footer()

    def on_mount(self) -> None:
        self.zoekveld.focus()
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, ContactGeopend):
            self.begin_opnieuw()
        elif isinstance(gebeurtenis, KennisbankGewijzigd | DemoGeladen):
            self.zoek(self.zoekveld.value, bezig=False)

    def begin_opnieuw(self) -> None:
        """A new caller: an empty search, no results, no article, the cursor in the search."""
        self.workers.cancel_group(self, "kennisbank-zoeken")
        with self.zoekveld.prevent(Input.Changed):
            self.zoekveld.value = ""
        self.lijst.clear_options()
        self.treffers = {}
        self.artikel_id = None
        self.artikel_titel = ""
        self.artikel_afdeling = None
        self.weergave = None
        self.query_one("#kb-status", Label).update("")
        self.query_one("#kb-artikel", Markdown).update(WELKOM)
        self.zoekveld.focus()

    def action_zoek(self) -> None:
        self.zoekveld.focus()

    @on(Input.Changed, "#kb-zoek")
    def _getypt(self, event: Input.Changed) -> None:
        self.zoek(event.value)

    @on(Input.Submitted, "#kb-zoek")
    def _enter(self) -> None:
        """The question is finished: search once more, now also by meaning, then go to
        the results."""
        self.zoek(self.zoekveld.value, bezig=False, naar_lijst=True)

    def zoek(self, tekst: str, *, bezig: bool = True, naar_lijst: bool = False) -> None:
        """Each keystroke cancels the previous search before it reaches the index."""
        self.voer_uit(
            partial(self.werkplek.kennisbank.zoek, tekst, bezig=bezig),
            lambda antwoord: self.ResultatenBinnen(antwoord, naar_lijst),
            groep="kennisbank-zoeken", exclusief=True, wacht=0.0 if naar_lijst else DEBOUNCE,
        )  # fmt: skip

    @on(ResultatenBinnen)
    def _binnen(self, event: ResultatenBinnen) -> None:
        antwoord = event.antwoord
        if antwoord.tekst != self.zoekveld.value:
            return
        lijst = self.lijst
        lijst.clear_options()
        self.treffers = {str(t.id): t for t in antwoord.treffers}
        for treffer in antwoord.treffers:
            regel = Text()
            if not treffer.is_artikel:
                label = SOORT_LABEL.get(treffer.soort, treffer.soort)
                regel.append(f" {label} ", style="bold reverse")
                regel.append(" ")
            regel.append(treffer.titel, style="bold")
            regel.append("\n")
            snippet = Text(treffer.snippet.text, style="dim")
            for start, einde in treffer.snippet.spans:
                snippet.stylize("bold reverse", start, einde)
            regel.append_text(snippet)
            lijst.add_option(Option(regel, id=str(treffer.id)))
        self.query_one("#kb-status", Label).update(status(antwoord))
        if antwoord.treffers:
            lijst.highlighted = 0
            self._toon(antwoord.treffers[0].id)
            if event.naar_lijst:
                lijst.focus()

    @on(OptionList.OptionHighlighted, "#kb-resultaten")
    def _toon_gemarkeerd(self) -> None:
        lijst = self.lijst
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
        treffer = self.treffers.get(str(artikel_id))
        soort = treffer.soort if treffer else "artikel"
        self.voer_uit(
            partial(self.werkplek.kennisbank.lees, artikel_id, soort), self._toon_weergave,
            groep="kennisbank-lezen", exclusief=True,
        )  # fmt: skip

    def _toon_weergave(self, weergave: ArtikelWeergave) -> None:
        if weergave.id != self.artikel_id:
            return
        self.weergave = weergave
        self.artikel_titel = weergave.titel
        self.artikel_afdeling = weergave.afdeling_id  # type: ignore[assignment]
        self.query_one("#kb-artikel", Markdown).update(weergave.markdown)

    def action_gebruik(self) -> None:
        weergave = self.weergave
        if self.artikel_id is None or weergave is None or weergave.id != self.artikel_id:
            self.notify("Kies eerst een artikel.", severity="warning")
            return
        try:
            contact = self.werkplek.kennisbank.gebruik(weergave)
        except LookupError:
            self.notify(
                "Er is geen open contactmoment om het artikel aan te koppelen. "
                "Start er een met ctrl+n.",
                severity="warning",
            )
            return
        self.kiss.meld(ContactGewijzigd(contact.id))
        if weergave.soort == "artikel":
            self.notify(f"Onderwerp van {contact.label}: {weergave.titel}")
        else:
            soort = SOORT_LABEL.get(weergave.soort, weergave.soort).lower()
            self.notify(f"Bron bij {contact.label}: {weergave.titel} ({soort})")

    def _is_bericht(self) -> bool:
        """A werkinstructie or nieuws item is shown: feedback and editing are for articles
        (the redactie changes items in Beheer, F7)."""
        if self.weergave is None or self.weergave.soort == "artikel":
            return False
        self.notify(
            "Dit is een werkinstructie of nieuwsbericht; de redactie wijzigt die in Beheer (F7).",
            severity="warning",
        )
        return True

    def action_feedback(self) -> None:
        if self.artikel_id is None:
            self.notify("Kies eerst een artikel.", severity="warning")
            return
        if self._is_bericht():
            return
        opslaan = partial(self._geef_feedback, self.artikel_id)
        self.app.push_screen(FeedbackDialoog(opslaan, self.artikel_titel), self._feedback_klaar)

    def _geef_feedback(self, artikel_id: uuid.UUID, invoer: tuple[str, str]) -> uuid.UUID:
        return self.werkplek.kennisbank.geef_feedback(artikel_id, *invoer)

    def _feedback_klaar(self, resultaat: uuid.UUID | None) -> None:
        if resultaat is not None:
            self.notify("Dank u; de redactie ziet uw feedback in de feedbacklijst.")

    def action_bewerk(self) -> None:
        if self.artikel_id is None:
            self.notify("Kies eerst een artikel.", severity="warning")
            return
        if self._is_bericht():
            return
        if not self.werkplek.kennisbank.mag_bewerken():
            self.notify("Alleen redacteuren mogen artikelen bewerken.", severity="warning")
            return
        artikel_id = self.artikel_id
        self.voer_uit(
            partial(self.werkplek.kennisbank.voor_bewerken, artikel_id),
            partial(self._open_bewerken, artikel_id),
            groep="kennisbank-lezen",
        )

    def _open_bewerken(self, artikel_id: uuid.UUID, data: ArtikelData) -> None:
        def klaar(resultaat: uuid.UUID | None) -> None:
            if resultaat is not None:
                self.notify("Artikel opgeslagen; collega's vinden de nieuwe tekst meteen.")
                self.kiss.meld(KennisbankGewijzigd(artikel_id))
                self._toon(artikel_id)

        opslaan = partial(self.werkplek.kennisbank.bewerk, artikel_id)
        self.app.push_screen(ArtikelBewerken(opslaan, data), klaar)

    def action_feedbacklijst(self) -> None:
        if not self.werkplek.kennisbank.mag_bewerken():
            self.notify("De feedbacklijst is voor redacteuren.", severity="warning")
            return
        self.app.push_screen(FeedbackLijst())
