"""The form that makes a terugbelnotitie: from a contactmoment, a smoelenboek card or the queue.

Open it with a pre-filled :class:`TerugbelInvoer`, or with ``contactmoment_id=`` to let the
form fetch the proposal itself (the klant's preferred number, e-mail, the question). It
dismisses with the new note's id, or None when the agent cancels (after confirming, when
something is filled in). The deadline is shown live; problems appear at their fields and the
typed text stays.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from kiss.db import read_scope, session_scope
from kiss.screens.dialogen import Bevestig
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.deadline import bereken_deadline
from kiss.services.terugbel.terugbelnotities import (
    MAX_GEWENST_MOMENT,
    MAX_NUMMER,
    Doel,
    Doelen,
    TerugbelFout,
    TerugbelFouten,
    TerugbelInvoer,
)
from kiss.validation import ValidatieFout, valideer_email, valideer_telefoon
from kiss.weergave import lang_tijdstip
from kiss.widgets.velden import Veld, toon_fouten

if TYPE_CHECKING:
    from kiss.app import KissApp


class TerugbelFormulier(ModalScreen[uuid.UUID | None]):
    """Create a terugbelnotitie. ctrl+s saves, escape cancels (asks first when filled in)."""

    DEFAULT_CSS = """
    TerugbelFormulier { align: center middle; }
    TerugbelFormulier > Vertical {
        width: 96; max-width: 100%; height: 95%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    TerugbelFormulier #tb-kop { text-style: bold; }
    TerugbelFormulier #tb-deadline { color: $accent; margin-bottom: 1; }
    TerugbelFormulier TextArea { height: 5; }
    TerugbelFormulier .naast { height: auto; }
    TerugbelFormulier .naast > Veld { width: 1fr; margin-right: 1; }
    TerugbelFormulier #tb-knoppen { height: auto; margin-top: 1; }
    TerugbelFormulier Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "bewaar", "Opslaan", id="terugbel_opslaan", priority=True),
        Binding("escape", "annuleer", "Annuleren", id="terugbel_annuleren"),
    ]

    def __init__(
        self,
        voorinvulling: TerugbelInvoer | None = None,
        *,
        contactmoment_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__()
        self.voorinvulling = voorinvulling or TerugbelInvoer()
        self.contactmoment_id = contactmoment_id or self.voorinvulling.contactmoment_id
        self._doelen: list[Doel] = []
        self._bezig = False

    @property
    def kiss(self) -> KissApp:
        return cast("KissApp", self.app)

    def compose(self) -> ComposeResult:
        gemeenten = [(naam, naam) for naam, _code in self.kiss.settings.gemeenten]
        with Vertical():
            yield Label("Nieuwe terugbelnotitie", id="tb-kop")
            yield Static("", id="tb-deadline")
            with VerticalScroll():
                yield Veld(
                    "Toegewezen aan (team, afdeling of medewerker; typ om te zoeken)",
                    Select([], prompt="laden…", id="tb-doel"),
                    naam="doel",
                )
                with Horizontal(classes="naast"):
                    yield Veld(
                        "Terugbelnummer",
                        Input(max_length=MAX_NUMMER, id="tb-terugbelnummer"),
                        naam="terugbelnummer",
                    )
                    yield Veld(
                        "Extra nummer (optioneel)",
                        Input(max_length=MAX_NUMMER, id="tb-extra_nummer"),
                        naam="extra_nummer",
                    )
                with Horizontal(classes="naast"):
                    yield Veld(
                        "E-mail (optioneel)", Input(max_length=254, id="tb-email"), naam="email"
                    )
                    yield Veld(
                        "Gewenst moment (bijv. na 14:00)",
                        Input(max_length=MAX_GEWENST_MOMENT, id="tb-gewenst_moment"),
                        naam="gewenst_moment",
                    )
                yield Veld(
                    "Vraag van de klant — in de woorden van de klant (hoogstens 1000 tekens)",
                    TextArea(id="tb-vraag"),
                    naam="vraag",
                )
                yield Veld(
                    "Interne toelichting — alleen voor collega's (hoogstens 1000 tekens)",
                    TextArea(id="tb-toelichting"),
                    naam="toelichting",
                )
                yield Veld(
                    "Gemeente",
                    Select(gemeenten, prompt="geen", id="tb-gemeente"),
                    naam="gemeente",
                )
            with Horizontal(id="tb-knoppen"):
                yield Button("Opslaan (ctrl+s)", id="tb-opslaan", variant="primary")
                yield Button("Annuleren (esc)", id="tb-annuleren")

    def on_mount(self) -> None:
        self._vul(self.voorinvulling)
        self._toon_deadline()
        self.set_interval(30, self._toon_deadline)
        if self.contactmoment_id is not None and self.voorinvulling.is_leeg:
            self._laad_voorstel(self.contactmoment_id)
        self._laad_doelen()
        self.query_one("#tb-terugbelnummer", Input).focus()

    # ---- filling and reading the fields ---------------------------------------------------

    def _vul(self, invoer: TerugbelInvoer) -> None:
        self.voorinvulling = invoer
        for naam in ("terugbelnummer", "extra_nummer", "email", "gewenst_moment"):
            self.query_one(f"#tb-{naam}", Input).value = getattr(invoer, naam)
        self.query_one("#tb-vraag", TextArea).text = invoer.vraag
        self.query_one("#tb-toelichting", TextArea).text = invoer.toelichting
        gemeente = self.query_one("#tb-gemeente", Select)
        waarde = invoer.gemeente or self.kiss.gemeente
        if any(waarde == naam for naam, _code in self.kiss.settings.gemeenten):
            gemeente.value = waarde
        wie = invoer.klant_naam or "een klant zonder klantbeeld (anoniem)"
        self.query_one("#tb-kop", Label).update(f"Nieuwe terugbelnotitie voor [b]{wie}[/b]")
        self._zet_doel(invoer.doel)

    def _zet_doel(self, doel: Doel | None) -> None:
        if doel is not None and doel in self._doelen:
            self.query_one("#tb-doel", Select).value = doel

    @property
    def invoer(self) -> TerugbelInvoer:
        doel = self.query_one("#tb-doel", Select).value
        gemeente = self.query_one("#tb-gemeente", Select).value
        return TerugbelInvoer(
            doel=doel if isinstance(doel, Doel) else None,
            terugbelnummer=self.query_one("#tb-terugbelnummer", Input).value,
            extra_nummer=self.query_one("#tb-extra_nummer", Input).value,
            email=self.query_one("#tb-email", Input).value,
            vraag=self.query_one("#tb-vraag", TextArea).text,
            toelichting=self.query_one("#tb-toelichting", TextArea).text,
            gewenst_moment=self.query_one("#tb-gewenst_moment", Input).value,
            gemeente="" if gemeente is Select.NULL else str(gemeente),
            klant_id=self.voorinvulling.klant_id,
            klant_naam=self.voorinvulling.klant_naam,
            contactmoment_id=self.contactmoment_id,
        )

    def _toon_deadline(self) -> None:
        deadline = bereken_deadline(self.kiss.klok(), self.kiss.settings)
        norm = self.kiss.settings.servicenorm
        soort = "werkuren" if norm.soort == "werkdagen" else "uur"
        self.query_one("#tb-deadline", Static).update(
            f"Terugbellen uiterlijk [b]{lang_tijdstip(deadline)}[/b] "
            f"(servicenorm {norm.uren} {soort})"
        )

    # ---- workers ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="tb-voorstel")
    def _laad_voorstel(self, contactmoment_id: uuid.UUID) -> None:
        try:
            with read_scope(self.kiss.engine) as session:
                voorstel = terugbelnotities.voorstel_uit_contactmoment(session, contactmoment_id)
        except TerugbelFout as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning")
            return
        self.app.call_from_thread(self._vul, voorstel)

    @work(thread=True, exclusive=True, group="tb-doelen")
    def _laad_doelen(self) -> None:
        with read_scope(self.kiss.engine) as session:
            doelen = terugbelnotities.doelen(session)
        self.app.call_from_thread(self._toon_doelen, doelen)

    def _toon_doelen(self, doelen: Doelen) -> None:
        gekozen = self.query_one("#tb-doel", Select).value
        self._doelen = doelen.alle()
        select = self.query_one("#tb-doel", Select)
        select.set_options([(d.label, d) for d in self._doelen])
        select.prompt = "kies…"
        if isinstance(gekozen, Doel):
            self._zet_doel(gekozen)
        else:
            self._zet_doel(self.voorinvulling.doel)

    def action_bewaar(self) -> None:
        if self._bezig:
            return
        self._bezig = True
        self._bewaar(self.invoer)

    @on(Button.Pressed, "#tb-opslaan")
    def _opslaan_knop(self) -> None:
        self.action_bewaar()

    @work(thread=True, exclusive=True, group="tb-opslaan")
    def _bewaar(self, invoer: TerugbelInvoer) -> None:
        medewerker = self.kiss.medewerker
        try:
            if medewerker is None:
                raise TerugbelFout("Nog niet aangemeld.")
            with session_scope(self.kiss.engine) as session:
                notitie = terugbelnotities.maak_terugbelnotitie(
                    session, medewerker, invoer, self.kiss.klok(), self.kiss.settings
                )
                label = terugbelnotities.doel_label(
                    session,
                    notitie.toegewezen_afdeling_id,
                    notitie.toegewezen_team_id,
                    notitie.toegewezen_medewerker_id,
                )
        except TerugbelFouten as exc:
            self.app.call_from_thread(self._fouten, exc.fouten)
            return
        except TerugbelFout as exc:
            self.app.call_from_thread(self._fouten, {}, str(exc))
            return
        self.app.call_from_thread(
            self._opgeslagen, notitie.id, label, lang_tijdstip(notitie.deadline)
        )

    def _fouten(self, fouten: dict[str, str], melding: str = "") -> None:
        self._bezig = False
        toon_fouten(self, fouten)
        overig = [v for k, v in fouten.items() if k in ("klant", "contactmoment")]
        tekst = melding or " ".join(overig) or "Nog niet alles klopt; zie de meldingen."
        self.notify(tekst, severity="warning")

    def _opgeslagen(self, notitie_id: uuid.UUID, label: str, deadline: str) -> None:
        self.kiss.gegevens_gewijzigd.publish("terugbelnotitie")
        self.notify(f"Terugbelnotitie voor {label}; terugbellen uiterlijk {deadline}.")
        self.dismiss(notitie_id)

    # ---- leaving ------------------------------------------------------------------------------

    @on(Input.Blurred, "#tb-terugbelnummer, #tb-extra_nummer, #tb-email")
    def _controleer_veld(self, event: Input.Blurred) -> None:
        """Pure checks (no database) as soon as the agent leaves a field."""
        naam = (event.input.id or "").removeprefix("tb-")
        waarde = event.value.strip()
        if not waarde:
            return
        veld = self.query_one(f"#veld-{naam}", Veld)
        controle: Any = valideer_email if naam == "email" else valideer_telefoon
        try:
            controle(waarde)
        except ValidatieFout as exc:
            veld.toon_fout(str(exc))
        else:
            veld.toon_fout(None)

    def action_annuleer(self) -> None:
        if self.invoer.is_leeg:
            self.dismiss(None)
            return

        def besloten(weggooien: bool | None) -> None:
            if weggooien:
                self.dismiss(None)

        self.app.push_screen(
            Bevestig(
                "Deze terugbelnotitie niet opslaan? Wat er staat gaat verloren.",
                ja="Niet opslaan",
                nee="Verder invullen",
            ),
            besloten,
        )

    @on(Button.Pressed, "#tb-annuleren")
    def _annuleer_knop(self) -> None:
        self.action_annuleer()
