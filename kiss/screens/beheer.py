"""Beheer (F7): the organisation's settings (beheerders) and nieuws en werkinstructies
(redacteuren and beheerders).

The settings are edited as the same TOML ``kiss beheer export`` writes: every setting in one
keyboard-friendly text. ctrl+s checks it (a Dutch message per wrong setting, the text stays),
shows what changes (old → new) and saves after a yes; every running KISS uses the new settings
within seconds.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from kiss.config import Organisatie
from kiss.rollen import mag_artikel_bewerken
from kiss.screens.basis import KissDialoog, KissScreen
from kiss.screens.dialogen import Bevestig
from kiss.services.beheer.instellingen import Stand, mag_beheren
from kiss.services.beheer.nieuws import NIEUWS_SOORTEN, NieuwsRegel
from kiss.validation import InvoerFouten
from kiss.weergave import tijdstip
from kiss.werkplek.beheer import BerichtVelden
from kiss.werkplek.fouten import weigering
from kiss.werkplek.gebeurtenissen import Gebeurtenis, InstellingenGewijzigd, NieuwsGewijzigd

MAX_GETOOND = 14  # changes listed in the confirmation; the audit keeps them all


def _foutlijst(fout: Exception) -> str:
    if isinstance(fout, InvoerFouten):
        return "\n".join(f"• {veld}: {melding}" for veld, melding in fout.fouten.items())
    return weigering(fout) or str(fout)


class BeheerScreen(KissScreen):
    """Settings as one checked text, and the news items."""

    DEFAULT_CSS = """
    BeheerScreen #beheer-tabs { height: 1fr; }
    BeheerScreen #beheer-tabs TabPane { height: 1fr; padding: 0 1; }
    BeheerScreen #beheer-tabs ContentSwitcher { height: 1fr; }
    BeheerScreen #beheer-versie { color: $text-muted; height: auto; }
    BeheerScreen #toml { height: 1fr; }
    BeheerScreen #beheer-fouten { height: auto; max-height: 10; }
    BeheerScreen #berichten { height: 1fr; }
    BeheerScreen .uitleg { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "opslaan", "Opslaan", id="beheer_opslaan",
                tooltip="Instellingen controleren, wijzigingen tonen en opslaan"),
        Binding("ctrl+r", "herlaad", "Opnieuw laden", id="beheer_herladen",
                tooltip="De instellingen uit de database opnieuw laden"),
        Binding("ctrl+t", "nieuw_bericht", "Nieuw bericht", id="beheer_nieuw_bericht",
                tooltip="Nieuws of werkinstructie schrijven"),
        Binding("delete", "verwijder_bericht", "Verwijderen", id="beheer_verwijder_bericht",
                show=False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.versie: int | None = None
        self.geladen_tekst = ""
        self.berichten: dict[str, NieuwsRegel] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="beheer-tabs"):
            with TabPane("Instellingen", id="tab-instellingen"):
                yield Static("Instellingen laden…", id="beheer-versie")
                yield TextArea(
                    "", id="toml", show_line_numbers=True, soft_wrap=False, tab_behavior="indent"
                )
                yield Static("", id="beheer-fouten", classes="fout")
            with TabPane("Nieuws en werkinstructies", id="tab-nieuws"):
                yield Static(
                    "ctrl+t nieuw bericht · enter bewerken · delete verwijderen", classes="uitleg"
                )
                yield DataTable(id="berichten", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("opslaan", "herlaad"):
            medewerker = self.kiss.medewerker
            return medewerker is not None and mag_beheren(medewerker)
        return True

    @property
    def toml(self) -> TextArea:
        return self.query_one("#toml", TextArea)

    def on_mount(self) -> None:
        tabel = self.query_one("#berichten", DataTable)
        tabel.add_columns("Van", "Tot", "Soort", "!", "Titel", "Doelgroep", "Gemeente")
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        medewerker = self.kiss.medewerker
        if medewerker is None:
            return
        if mag_beheren(medewerker):
            if self.versie is None:
                self.action_herlaad()
        else:
            self.query_one("#beheer-versie", Static).update(
                "De instellingen van de organisatie zijn er voor beheerders."
            )
            self.toml.disabled = True
            self.query_one(TabbedContent).active = "tab-nieuws"
        if mag_artikel_bewerken(medewerker):
            self.laad_berichten()

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, InstellingenGewijzigd) and self.versie is not None:
            if gebeurtenis.versie == self.versie:
                return
            if self.toml.text == self.geladen_tekst:
                self.action_herlaad()
            else:
                self.notify(
                    "Een collega heeft de instellingen gewijzigd. Uw tekst blijft staan; "
                    "ctrl+r laadt de nieuwe (uw wijzigingen gaan dan verloren).",
                    severity="warning",
                    timeout=10,
                )
        elif (
            isinstance(gebeurtenis, NieuwsGewijzigd)
            and self.kiss.medewerker
            and mag_artikel_bewerken(self.kiss.medewerker)
        ):
            self.laad_berichten()

    # ---- settings ---------------------------------------------------------------------------

    def action_herlaad(self) -> None:
        self.voer_uit(self.werkplek.beheer.instellingen, self._toon_instellingen,
                      groep="beheer-laden", exclusief=True)  # fmt: skip

    def _toon_instellingen(self, stand: Stand) -> None:
        self.versie = stand.versie
        self.geladen_tekst = self.werkplek.beheer.naar_toml(stand.organisatie)
        self.toml.load_text(self.geladen_tekst)
        versie = (
            f"versie {stand.versie}"
            if stand.versie
            else "nog niet opgeslagen: dit zijn de standaardinstellingen"
        )
        self.query_one("#beheer-versie", Static).update(
            f"Instellingen van de organisatie ({versie}). Wijzig de tekst en druk ctrl+s; "
            "elke wijziging wordt vastgelegd in de audit en geldt binnen enkele seconden "
            "voor iedereen."
        )
        self.query_one("#beheer-fouten", Static).update("")

    def action_opslaan(self) -> None:
        if self.query_one(TabbedContent).active != "tab-instellingen" or self.toml.disabled:
            return
        tekst = self.toml.text

        def controleer() -> tuple[Organisatie, list[str]]:
            org = self.werkplek.beheer.lees_toml(tekst)
            return org, self.werkplek.beheer.verschillen(org)

        self.voer_uit(controleer, self._bevestig, groep="beheer-opslaan", exclusief=True,
                      bij_weigering=self._toon_fouten)  # fmt: skip

    def _toon_fouten(self, fout: Exception) -> None:
        self.query_one("#beheer-fouten", Static).update(
            "Niet opgeslagen, verbeter eerst:\n" + _foutlijst(fout)
        )

    def _bevestig(self, gecontroleerd: tuple[Organisatie, list[str]]) -> None:
        org, verschillen = gecontroleerd
        self.query_one("#beheer-fouten", Static).update("")
        if not verschillen:
            self.notify("Er is niets gewijzigd.")
            return
        lijst = "\n".join(f"  • {r}" for r in verschillen[:MAX_GETOOND])
        if len(verschillen) > MAX_GETOOND:
            lijst += f"\n  … en nog {len(verschillen) - MAX_GETOOND}"

        def besloten(ja: bool | None) -> None:
            if ja:
                self.voer_uit(partial(self.werkplek.beheer.bewaar, org, self.versie),
                              self._opgeslagen, groep="beheer-opslaan",
                              bij_weigering=self._toon_fouten)  # fmt: skip

        self.app.push_screen(
            Bevestig(f"Deze wijzigingen opslaan?\n{lijst}", ja="Opslaan", nee="Verder bewerken"),
            besloten,
        )

    def _opgeslagen(self, stand: Stand) -> None:
        self._toon_instellingen(stand)
        self.notify(f"Instellingen opgeslagen (versie {stand.versie}); ze gelden nu voor iedereen.")
        self.kiss.meld(InstellingenGewijzigd(stand.versie))

    # ---- nieuws -------------------------------------------------------------------------------

    def laad_berichten(self) -> None:
        self.voer_uit(self.werkplek.beheer.redactie, self._toon_berichten,
                      groep="beheer-berichten", exclusief=True)  # fmt: skip

    def _toon_berichten(self, regels: list[NieuwsRegel]) -> None:
        tabel = self.query_one("#berichten", DataTable)
        tabel.clear()
        self.berichten = {}
        for r in regels:
            sleutel = str(r.id)
            self.berichten[sleutel] = r
            tabel.add_row(
                tijdstip(r.publiceren_van), tijdstip(r.publiceren_tot) or "—", r.soort,
                "!" if r.belangrijk else "", r.titel, ", ".join(r.skills) or "iedereen",
                r.gemeente or "alle", key=sleutel,
            )  # fmt: skip

    def _geselecteerd(self) -> NieuwsRegel | None:
        tabel = self.query_one("#berichten", DataTable)
        if not tabel.row_count:
            return None
        sleutel = tabel.coordinate_to_cell_key(tabel.cursor_coordinate).row_key.value
        return self.berichten.get(str(sleutel))

    def _mag_schrijven(self) -> bool:
        medewerker = self.kiss.medewerker
        if medewerker is None or not mag_artikel_bewerken(medewerker):
            self.notify("Nieuws schrijven is er voor redacteuren.", severity="warning")
            return False
        return True

    def action_nieuw_bericht(self) -> None:
        if self._mag_schrijven():
            self.query_one(TabbedContent).active = "tab-nieuws"
            self.app.push_screen(BerichtDialoog(None), self._bericht_klaar)

    @on(DataTable.RowSelected, "#berichten")
    def _bewerk(self, _event: DataTable.RowSelected) -> None:
        if (regel := self._geselecteerd()) is not None and self._mag_schrijven():
            self.app.push_screen(BerichtDialoog(regel), self._bericht_klaar)

    def _bericht_klaar(self, regel: NieuwsRegel | None) -> None:
        if regel is not None:
            self.notify(f"Bericht '{regel.titel}' opgeslagen.")
            self.kiss.meld(NieuwsGewijzigd())
            self.laad_berichten()

    def action_verwijder_bericht(self) -> None:
        regel = self._geselecteerd()
        if regel is None or self.query_one(TabbedContent).active != "tab-nieuws":
            return
        if not self._mag_schrijven():
            return

        def besloten(ja: bool | None) -> None:
            if ja:
                self.voer_uit(partial(self.werkplek.beheer.verwijder_bericht, regel.id),
                              lambda _: self._bericht_weg(), groep="beheer-berichten")  # fmt: skip

        self.app.push_screen(
            Bevestig(f"Bericht '{regel.titel}' verwijderen?", ja="Verwijderen", nee="Houden",
                     veilig=True),
            besloten,
        )  # fmt: skip

    def _bericht_weg(self) -> None:
        self.notify("Bericht verwijderd.")
        self.kiss.meld(NieuwsGewijzigd())
        self.laad_berichten()


class BerichtDialoog(KissDialoog[NieuwsRegel | None]):
    """Write or change a news item or werkinstructie (Markdown)."""

    DEFAULT_CSS = """
    BerichtDialoog { align: center middle; }
    BerichtDialoog > VerticalScroll {
        width: 96; max-width: 100%; height: auto; max-height: 95%; padding: 0 2;
        border: thick $accent; background: $surface;
    }
    BerichtDialoog Horizontal { height: auto; }
    BerichtDialoog Horizontal > Vertical { width: 1fr; height: auto; }
    BerichtDialoog TextArea { height: 8; }
    BerichtDialoog #bericht-fouten { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "annuleer", "Annuleren"),
        Binding("ctrl+s", "bewaar", "Opslaan", priority=True),
    ]

    def __init__(self, regel: NieuwsRegel | None) -> None:
        super().__init__()
        self.regel = regel

    def compose(self) -> ComposeResult:
        r = self.regel
        with VerticalScroll():
            yield Label("Bericht wijzigen" if r else "Nieuw bericht", classes="titel")
            yield Label("Titel")
            yield Input(r.titel if r else "", id="titel", max_length=200)
            with Horizontal():
                with Vertical():
                    yield Label("Soort")
                    yield Select(
                        [(s, s) for s in NIEUWS_SOORTEN],
                        value=r.soort if r else NIEUWS_SOORTEN[0],
                        allow_blank=False,
                        id="soort",
                    )
                with Vertical():
                    yield Label(" ")
                    yield Checkbox("Belangrijk", r.belangrijk if r else False, id="belangrijk")
            with Horizontal():
                with Vertical():
                    yield Label("Publiceren van (leeg: nu)")
                    yield Input(tijdstip(r.publiceren_van) if r else "", id="van",
                                placeholder="24-12-2026 10:00")  # fmt: skip
                with Vertical():
                    yield Label("Publiceren tot (leeg: geen einde)")
                    yield Input(tijdstip(r.publiceren_tot) if r else "", id="tot")
            with Horizontal():
                with Vertical():
                    yield Label("Doelgroep: skills of rollen (leeg: iedereen)")
                    yield Input(", ".join(r.skills) if r else "", id="skills",
                                placeholder="kcc, reisdocumenten")  # fmt: skip
                with Vertical():
                    yield Label("Gemeente (leeg: alle)")
                    yield Input(r.gemeente if r else "", id="gemeente")
            yield Label("Tekst (Markdown)")
            yield TextArea(r.tekst if r else "", id="tekst")
            yield Static("", id="bericht-fouten", classes="fout")
            with Horizontal():
                yield Button("Opslaan (ctrl+s)", id="opslaan", variant="primary")
                yield Button("Annuleren", id="annuleren")

    def on_mount(self) -> None:
        self.query_one("#titel", Input).focus()

    def _velden(self) -> BerichtVelden:
        def waarde(naam: str) -> str:
            return self.query_one(f"#{naam}", Input).value

        return BerichtVelden(
            titel=waarde("titel"),
            tekst=self.query_one("#tekst", TextArea).text,
            soort=str(self.query_one("#soort", Select).value),
            belangrijk=self.query_one("#belangrijk", Checkbox).value,
            van=waarde("van"),
            tot=waarde("tot"),
            skills=waarde("skills"),
            gemeente=waarde("gemeente"),
        )

    def action_bewaar(self) -> None:
        item_id: uuid.UUID | None = self.regel.id if self.regel else None
        self.voer_uit(
            partial(self.werkplek.beheer.schrijf_bericht_velden, self._velden(), item_id),
            self.dismiss,
            groep="bericht-opslaan",
            exclusief=True,
            bij_weigering=self._fouten,
        )

    def _fouten(self, fout: Exception) -> None:
        self.query_one("#bericht-fouten", Static).update(_foutlijst(fout))

    @on(Button.Pressed, "#opslaan")
    def _opslaan(self, _event: Any) -> None:
        self.action_bewaar()

    @on(Button.Pressed, "#annuleren")
    def _annuleren(self, _event: Any) -> None:
        self.action_annuleer()

    def action_annuleer(self) -> None:
        self.dismiss(None)
