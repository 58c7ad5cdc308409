"""The form that makes a terugbelnotitie: from a contactmoment, a smoelenboek card or the queue.

Open it with a pre-filled :class:`TerugbelInvoer`. Saving runs ``opslaan`` as a werkplek
call (by default :meth:`Werkplek.maak_terugbelnotitie`; when closing a contact, the werkplek
makes the note and closes the contact in one transaction). It dismisses with what
``opslaan`` returned, or None when the agent cancels (after confirming, when something is
filled in). The deadline is shown live; problems appear at their fields and the typed text
stays.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from kiss.models import VraagSoort
from kiss.screens.basis import KissDialoog
from kiss.screens.dialogen import Bevestig
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.terugbel.deadline import bereken_deadline
from kiss.services.terugbel.terugbelnotities import (
    MAX_GEWENST_MOMENT,
    MAX_NUMMER,
    Doel,
    Doelen,
    TerugbelFouten,
    TerugbelInvoer,
)
from kiss.services.terugbel.vragenset import Set
from kiss.validation import ValidatieFout, valideer_email, valideer_telefoon
from kiss.weergave import lang_tijdstip
from kiss.werkplek import NotitieGemaakt
from kiss.werkplek.gebeurtenissen import TerugbelnotitieGewijzigd
from kiss.widgets.velden import Veld, toon_fouten


class TerugbelFormulier(KissDialoog[Any]):
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
    TerugbelFormulier TextArea.kort-tekstvak { height: 3; }
    TerugbelFormulier #tb-vragenset { height: auto; }
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
        opslaan: Callable[[TerugbelInvoer], Any] | None = None,
    ) -> None:
        super().__init__()
        self.voorinvulling = voorinvulling or TerugbelInvoer()
        self.contactmoment_id = self.voorinvulling.contactmoment_id
        self._opslaan = opslaan
        self._vragenset = Set()
        self._doelen: list[Doel] = []
        self._bezig = False

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
                yield Vertical(id="tb-vragenset")
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
        self.voer_uit(self.werkplek.terugbel_doelen, self._toon_doelen, groep="tb-doelen")
        self._focus_eerste()

    def _focus_eerste(self) -> None:
        """The cursor where the agent types first: who it is for, else the first empty field."""
        if self.voorinvulling.doel is None:
            self.query_one("#tb-doel", Select).focus()
        elif not self.voorinvulling.terugbelnummer:
            self.query_one("#tb-terugbelnummer", Input).focus()
        else:
            self.query_one("#tb-vraag", TextArea).focus()

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
            antwoorden=self._antwoorden(),
        )

    # ---- the afdeling's vragenset -------------------------------------------------------------

    @on(Select.Changed, "#tb-doel")
    def _doel_gekozen(self, event: Select.Changed) -> None:
        doel = event.value if isinstance(event.value, Doel) else None
        self.voer_uit(
            partial(self.werkplek.terugbel.vragen_voor, doel),
            self._toon_vragenset,
            groep="tb-vragenset",
            exclusief=True,
        )

    def _toon_vragenset(self, vragenset: Set) -> None:
        """The extra questions of the chosen afdeling or team (typed answers stay when the
        same question comes back)."""
        oud = self._antwoorden()
        self._vragenset = vragenset
        houder = self.query_one("#tb-vragenset", Vertical)
        houder.remove_children()
        velden: list[Widget] = []
        if vragenset.vragen:
            velden.append(Label(f"[b]Vragen van {vragenset.van}[/b]", classes="vragenset-kop"))
        for nummer, vraag in enumerate(vragenset.vragen):
            label = vraag.label + (" *" if vraag.verplicht else "")
            waarde = oud.get(vraag.label)
            invoer: Widget
            if vraag.soort == VraagSoort.VINKJE:
                invoer = Checkbox(label, value=waarde is True, id=f"tb-antwoord-{nummer}")
            elif vraag.soort == VraagSoort.KEUZE:
                invoer = Select(
                    [(k, k) for k in vraag.keuzes], prompt="kies…", id=f"tb-antwoord-{nummer}"
                )
                if isinstance(waarde, str) and waarde in vraag.keuzes:
                    invoer.value = waarde
            elif vraag.soort == VraagSoort.LANG:
                invoer = TextArea(
                    str(waarde or ""), id=f"tb-antwoord-{nummer}", classes="kort-tekstvak"
                )
            else:
                invoer = Input(str(waarde or ""), id=f"tb-antwoord-{nummer}")
            velden.append(
                Veld(
                    "" if vraag.soort == VraagSoort.VINKJE else label,
                    invoer,
                    naam=f"antwoord-{nummer}",
                )
            )
        houder.mount_all(velden)

    def _antwoorden(self) -> dict[str, str | bool]:
        antwoorden: dict[str, str | bool] = {}
        for nummer, vraag in enumerate(self._vragenset.vragen):
            gevonden = self.query(f"#tb-antwoord-{nummer}")
            if not gevonden:
                continue
            widget = gevonden.first()
            if isinstance(widget, Checkbox):
                antwoorden[vraag.label] = widget.value
            elif isinstance(widget, Select):
                antwoorden[vraag.label] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, TextArea):
                antwoorden[vraag.label] = widget.text
            elif isinstance(widget, Input):
                antwoorden[vraag.label] = widget.value
        return antwoorden

    def _toon_deadline(self) -> None:
        deadline = bereken_deadline(self.kiss.klok(), self.kiss.settings)
        norm = self.kiss.settings.servicenorm
        soort = "werkuren" if norm.soort == "werkdagen" else "uur"
        self.query_one("#tb-deadline", Static).update(
            f"Terugbellen uiterlijk [b]{lang_tijdstip(deadline)}[/b] "
            f"(servicenorm {norm.uren} {soort})"
        )

    # ---- workers ----------------------------------------------------------------------------

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

    def _bewaar(self, invoer: TerugbelInvoer) -> None:
        opslaan = self._opslaan or self.werkplek.maak_terugbelnotitie
        self.voer_uit(
            partial(opslaan, invoer),
            self._opgeslagen,
            groep="tb-opslaan",
            exclusief=True,
            bij_weigering=self._geweigerd,
            herhaal=False,
            altijd=self._klaar_met_bewaren,
        )

    def _klaar_met_bewaren(self) -> None:
        self._bezig = False

    def _geweigerd(self, fout: Exception) -> None:
        if isinstance(fout, TerugbelFouten):
            self._fouten(fout.fouten)
        elif isinstance(fout, InvoerFouten):  # the contact's own afronden fields
            self._fouten(
                {}, "Het contactmoment is nog niet compleet: " + " ".join(fout.fouten.values())
            )
        else:
            self._fouten({}, str(fout))

    def _fouten(self, fouten: dict[str, str], melding: str = "") -> None:
        for nummer, vraag in enumerate(self._vragenset.vragen):  # the vragenset's own fields
            if vraag.veldnaam in fouten:
                fouten[f"antwoord-{nummer}"] = fouten.pop(vraag.veldnaam)
        toon_fouten(self, fouten)
        overig = [v for k, v in fouten.items() if k in ("klant", "contactmoment")]
        tekst = melding or " ".join(overig) or "Nog niet alles klopt; zie de meldingen."
        self.notify(tekst, severity="warning")

    def _opgeslagen(self, resultaat: Any) -> None:
        if isinstance(resultaat, NotitieGemaakt):
            self.kiss.meld(TerugbelnotitieGewijzigd(resultaat.notitie_id))
            if resultaat.waarschuwing:
                self.notify(resultaat.waarschuwing, severity="warning", timeout=10)
            self.notify(
                f"Terugbelnotitie voor {resultaat.label}; terugbellen uiterlijk "
                f"{lang_tijdstip(resultaat.deadline)}."
            )
        self.dismiss(resultaat)

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
                veilig=True,
            ),
            besloten,
        )

    @on(Button.Pressed, "#tb-annuleren")
    def _annuleer_knop(self) -> None:
        self.action_annuleer()
