"""Dialogs on a klant: register a new klant, add or correct a phone number or e-mail.

Each dialog gets an ``opslaan`` function from its screen (which calls the services). The
dialog runs it in a worker; validation problems come back as messages at the fields, the
typed text stays, and only a successful save closes the dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from functools import partial
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from kiss.models import KlantSoort
from kiss.screens.basis import KissDialoog
from kiss.services.klant.klantbeeld import InvoerFouten, KlantInvoer
from kiss.widgets.velden import Veld, toon_fouten

InvoerT = TypeVar("InvoerT")
ResultaatT = TypeVar("ResultaatT")


class OpslaanDialoog(KissDialoog[ResultaatT | None], Generic[InvoerT, ResultaatT]):
    """A form whose save runs as a werkplek call and reports problems per field; the
    typed text stays until the save succeeds."""

    HOOFDVELD = "waarde"  # where a single refusal is shown

    def __init__(self, opslaan: Callable[[InvoerT], ResultaatT]) -> None:
        super().__init__()
        self._opslaan = opslaan

    @property
    def invoer(self) -> InvoerT:
        raise NotImplementedError

    def action_bewaar(self) -> None:
        self.voer_uit(
            partial(self._opslaan, self.invoer),
            self.dismiss,
            groep="dialoog-opslaan",
            exclusief=True,
            bij_weigering=self._geweigerd,
        )

    def _geweigerd(self, fout: Exception) -> None:
        if isinstance(fout, InvoerFouten):
            toon_fouten(self, fout.fouten)
        else:
            toon_fouten(self, {self.HOOFDVELD: str(fout)})

    def action_annuleer(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#bewaar")
    def _knop_bewaar(self) -> None:
        self.action_bewaar()

    @on(Button.Pressed, "#annuleer")
    def _knop_annuleer(self) -> None:
        self.action_annuleer()


PERSOON_VELDEN = (
    ("bsn", "BSN (optioneel)"),
    ("voornamen", "Voornamen"),
    ("voorvoegsel", "Voorvoegsel"),
    ("achternaam", "Achternaam"),
    ("geboortedatum", "Geboortedatum (dd-mm-jjjj)"),
)
ORGANISATIE_VELDEN = (("handelsnaam", "Handelsnaam"), ("kvk_nummer", "KvK-nummer"))
ADRES_VELDEN = (
    ("straat", "Straat"),
    ("huisnummer", "Huisnummer (met toevoeging)"),
    ("postcode", "Postcode"),
    ("woonplaats", "Woonplaats"),
    ("telefoon", "Telefoonnummer"),
    ("email", "E-mailadres"),
)


class NieuweKlantDialoog(OpslaanDialoog[KlantInvoer, Any]):
    """Register a klant; dismisses with whatever ``opslaan`` returned (the new klant's id)."""

    HOOFDVELD = "achternaam"

    DEFAULT_CSS = """
    NieuweKlantDialoog { align: center middle; }
    NieuweKlantDialoog > Vertical {
        width: 80; height: 90%; padding: 0 2; border: thick $accent; background: $surface;
    }
    NieuweKlantDialoog Horizontal { height: auto; }
    NieuweKlantDialoog Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "annuleer", "Annuleren"),
        Binding("ctrl+s", "bewaar", "Opslaan", priority=True),
    ]

    def __init__(
        self,
        opslaan: Callable[[KlantInvoer], Any],
        gemeenten: list[str],
        gemeente: str,
        voorinvulling: KlantInvoer,
    ) -> None:
        super().__init__(opslaan)
        self.gemeenten = gemeenten
        self.gemeente = gemeente
        self.voorinvulling = voorinvulling

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Nieuwe klant registreren[/b]  (ctrl+s opslaan, esc annuleren)")
            with VerticalScroll():
                yield Veld(
                    "Soort",
                    Select(
                        [("persoon", KlantSoort.PERSOON), ("organisatie", KlantSoort.ORGANISATIE)],
                        value=self.voorinvulling.soort,
                        allow_blank=False,
                        id="soort",
                    ),
                    naam="soort",
                )
                for naam, label in PERSOON_VELDEN + ORGANISATIE_VELDEN + ADRES_VELDEN:
                    yield Veld(
                        label,
                        Input(value=getattr(self.voorinvulling, naam), id=f"k-{naam}"),
                        naam=naam,
                    )
                yield Veld(
                    "Gemeente",
                    Select(
                        [(g, g) for g in self.gemeenten],
                        value=self.gemeente,
                        allow_blank=False,
                        id="k-gemeente",
                    ),
                    naam="gemeente",
                )
            with Horizontal():
                yield Button("Opslaan", id="bewaar", variant="primary")
                yield Button("Annuleren", id="annuleer")

    def on_mount(self) -> None:
        self._toon_soort()
        leeg = [
            self.query_one(f"#k-{naam}", Input)
            for naam, _ in PERSOON_VELDEN[1:] + ORGANISATIE_VELDEN
            if self.query_one(f"#veld-{naam}").display
            and not self.query_one(f"#k-{naam}", Input).value
        ]
        (leeg[0] if leeg else self.query_one("#k-achternaam", Input)).focus()

    @on(Select.Changed, "#soort")
    def _toon_soort(self) -> None:
        persoon = self.query_one("#soort", Select).value == KlantSoort.PERSOON
        for naam, _ in PERSOON_VELDEN:
            self.query_one(f"#veld-{naam}").display = persoon
        for naam, _ in ORGANISATIE_VELDEN:
            self.query_one(f"#veld-{naam}").display = not persoon

    @property
    def invoer(self) -> KlantInvoer:
        waarden: dict[str, str] = {}
        for veld in fields(KlantInvoer):
            if veld.name in ("soort", "gemeente"):
                continue
            waarden[veld.name] = self.query_one(f"#k-{veld.name}", Input).value
        return KlantInvoer(
            soort=str(self.query_one("#soort", Select).value),
            gemeente=str(self.query_one("#k-gemeente", Select).value),
            **waarden,
        )


class AdresDialoog(OpslaanDialoog[tuple[str, str, str], Any]):
    """Add or correct a phone number or e-mail; ``opslaan`` gets (soort, waarde, omschrijving)."""

    DEFAULT_CSS = """
    AdresDialoog { align: center middle; }
    AdresDialoog > Vertical {
        width: 70; height: auto; padding: 1 2; border: thick $accent; background: $surface;
    }
    AdresDialoog Horizontal { height: auto; margin-top: 1; }
    AdresDialoog Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "annuleer", "Annuleren")]

    def __init__(
        self,
        opslaan: Callable[[tuple[str, str, str]], Any],
        titel: str,
        soort: str = "telefoonnummer",
        waarde: str = "",
    ) -> None:
        super().__init__(opslaan)
        self.titel = titel
        self.soort = soort
        self.waarde = waarde

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.titel}[/b]")
            yield Veld(
                "Soort",
                Select(
                    [("telefoonnummer", "telefoonnummer"), ("e-mail", "email")],
                    value=self.soort,
                    allow_blank=False,
                    id="a-soort",
                ),
                naam="soort",
            )
            yield Veld("Nummer of adres", Input(value=self.waarde, id="a-waarde"), naam="waarde")
            yield Veld("Omschrijving (bijv. werk)", Input(id="a-omschrijving"), naam="omschrijving")
            with Horizontal():
                yield Button("Opslaan", id="bewaar", variant="primary")
                yield Button("Annuleren", id="annuleer")

    def on_mount(self) -> None:
        self.query_one("#a-waarde", Input).focus()

    @on(Input.Submitted)
    def _invoer_klaar(self) -> None:
        self.action_bewaar()

    @property
    def invoer(self) -> tuple[str, str, str]:
        return (
            str(self.query_one("#a-soort", Select).value),
            self.query_one("#a-waarde", Input).value,
            self.query_one("#a-omschrijving", Input).value,
        )
