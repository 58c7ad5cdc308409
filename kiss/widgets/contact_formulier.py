"""The afronden fields of the open contactmoment; every change triggers an autosave."""

from __future__ import annotations

import uuid

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select, TextArea

from kiss.config import Gespreksresultaat
from kiss.models import Klantsignaal
from kiss.services.contact.bronnen import Bron
from kiss.services.contact.contactmomenten import (
    MAX_CATEGORIE,
    MAX_NOTITIE,
    MAX_ONDERWERP,
    MAX_VRAAG,
    ContactInvoer,
    ContactSamenvatting,
    Keuze,
)
from kiss.widgets.velden import BegrensdeInvoer, BegrensdTekstvak, Veld


class ContactFormulier(Vertical):
    DEFAULT_CSS = """
    ContactFormulier { height: auto; border-top: solid $accent; padding-top: 0; }
    ContactFormulier #contact-kop { text-style: bold; }
    ContactFormulier TextArea { height: 5; }
    ContactFormulier #bronnen { height: auto; color: $text-muted; }
    ContactFormulier .naast { height: auto; }
    ContactFormulier .naast > Veld { width: 1fr; margin-right: 1; }
    """

    class Gewijzigd(Message):
        """Something was typed or chosen (the screen autosaves)."""

    def __init__(self, resultaten: tuple[Gespreksresultaat, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.resultaten = resultaten
        self.contact_id: uuid.UUID | None = None  # whose fields are shown
        self.artikel_id: uuid.UUID | None = None
        self._artikel_titel = ""
        self.bronnen: tuple[Bron, ...] = ()  # filled by the werkplek (article, card, link)
        self._vullen = False

    def zet_resultaten(self, resultaten: tuple[Gespreksresultaat, ...]) -> None:
        """New gespreksresultaten from Beheer; the choice stays when its code still exists."""
        self.resultaten = resultaten
        keuze = self.query_one("#resultaat", Select)
        waarde = keuze.value
        keuze.set_options([(r.label, r.code) for r in resultaten])
        if any(r.code == waarde for r in resultaten):
            keuze.value = waarde

    def compose(self) -> ComposeResult:
        yield Label("Geen open contactmoment — ctrl+n start er een", id="contact-kop")
        yield Veld(
            "Onderwerp (kennisbankartikel of eigen tekst)",
            BegrensdeInvoer(max_length=MAX_ONDERWERP, id="onderwerp"),
            naam="onderwerp",
        )
        yield Label("", id="bronnen")
        yield Veld(
            f"Specifieke vraag (hoogstens {MAX_VRAAG} tekens)",
            BegrensdeInvoer(max_length=MAX_VRAAG, id="vraag"),
            naam="vraag",
        )
        yield Veld(
            f"Notitie (hoogstens {MAX_NOTITIE} tekens)",
            BegrensdTekstvak(id="notitie", max_length=MAX_NOTITIE),
            naam="notitie",
        )
        yield Veld(
            "Gespreksresultaat",
            Select([(r.label, r.code) for r in self.resultaten], prompt="kies…", id="resultaat"),
            naam="gespreksresultaat",
        )
        yield Veld(
            "Behandeld voor afdeling", Select([], prompt="kies…", id="afdeling"), naam="afdeling"
        )
        yield Veld("Zaak (optioneel)", Select([], prompt="geen", id="zaak"), naam="zaak")
        with Horizontal(classes="naast"):
            yield Veld(
                "Klantsignaal",
                Select([(s.value, s.value) for s in Klantsignaal], prompt="geen", id="signaal"),
                naam="klantsignaal",
            )
            yield Veld(
                "Categorie (bijv. wachttijd)",
                BegrensdeInvoer(max_length=MAX_CATEGORIE, id="categorie"),
                naam="signaal_categorie",
            )

    @property
    def invoer(self) -> ContactInvoer:
        onderwerp = self.query_one("#onderwerp", Input).value
        resultaat = self.query_one("#resultaat", Select).value
        afdeling = self.query_one("#afdeling", Select).value
        zaak = self.query_one("#zaak", Select).value
        signaal = self.query_one("#signaal", Select).value
        return ContactInvoer(
            onderwerp=onderwerp,
            artikel_id=self.artikel_id if onderwerp == self._artikel_titel else None,
            vraag=self.query_one("#vraag", Input).value,
            notitie=self.query_one("#notitie", TextArea).text,
            gespreksresultaat="" if resultaat is Select.NULL else str(resultaat),
            afdeling_id=None if afdeling is Select.NULL else afdeling,  # type: ignore[arg-type]
            zaak_id=None if zaak is Select.NULL else zaak,  # type: ignore[arg-type]
            bronnen=self.bronnen,
            klantsignaal="" if signaal is Select.NULL else str(signaal),
            signaal_categorie=self.query_one("#categorie", Input).value,
        )

    def zet_keuzes(self, afdelingen: list[Keuze], zaken: list[Keuze]) -> None:
        self._vullen = True
        afdeling = self.query_one("#afdeling", Select)
        huidig = afdeling.value
        afdeling.set_options([(k.label, k.id) for k in afdelingen])
        if huidig is not Select.NULL and any(k.id == huidig for k in afdelingen):
            afdeling.value = huidig
        zaak = self.query_one("#zaak", Select)
        huidige_zaak = zaak.value
        zaak.set_options([(k.label, k.id) for k in zaken])
        if huidige_zaak is not Select.NULL and any(k.id == huidige_zaak for k in zaken):
            zaak.value = huidige_zaak
        self.call_after_refresh(self._klaar_met_vullen)

    def vul(self, contact: ContactSamenvatting | None, invoer: ContactInvoer | None) -> None:
        """Show one contactmoment's fields (or an empty, disabled form)."""
        self._vullen = True
        self.contact_id = contact.id if contact is not None else None
        self.werk_kop_bij(contact)
        invoer = invoer or ContactInvoer()
        self.artikel_id = invoer.artikel_id
        self._artikel_titel = invoer.onderwerp if invoer.artikel_id else ""
        self.query_one("#onderwerp", Input).value = invoer.onderwerp
        self.query_one("#vraag", Input).value = invoer.vraag
        self.query_one("#notitie", TextArea).text = invoer.notitie
        self._zet_keuze("#resultaat", invoer.gespreksresultaat or None)
        self._zet_keuze("#afdeling", invoer.afdeling_id)
        self._zet_keuze("#zaak", invoer.zaak_id)
        self._zet_keuze("#signaal", invoer.klantsignaal or None)
        self.query_one("#categorie", Input).value = invoer.signaal_categorie
        self.toon_bronnen(invoer.bronnen)
        for veld in self.query(Veld):
            veld.toon_fout(None)
        self.disabled = contact is None
        self.call_after_refresh(self._klaar_met_vullen)

    def toon_bronnen(self, bronnen: tuple[Bron, ...]) -> None:
        self.bronnen = bronnen
        if bronnen:
            tekst = "Bronnen: " + " · ".join(escape(b.label) for b in bronnen)
            tekst += "  [dim](ctrl+l: bron toevoegen)[/dim]"
        else:
            tekst = "[dim]Nog geen bron (ctrl+l: website of werkinstructie toevoegen)[/dim]"
        self.query_one("#bronnen", Label).update(tekst)

    def werk_kop_bij(self, contact: ContactSamenvatting | None) -> None:
        kop = self.query_one("#contact-kop", Label)
        if contact is None:
            kop.update("Geen open contactmoment — ctrl+n start er een")
        else:
            wie = contact.klant_naam or contact.contact_nummer or "anoniem"
            kop.update(f"Contactmoment: {contact.kanaal} · {contact.gemeente} · {wie}")

    def focus_eerste(self) -> None:
        """The cursor where the agent types first: the onderwerp, or the first empty field."""
        for selector in ("#onderwerp", "#notitie"):
            veld = self.query_one(selector)
            if not getattr(veld, "value", getattr(veld, "text", "")):
                veld.focus()
                return
        self.query_one("#notitie").focus()

    def _zet_keuze(self, selector: str, waarde: object) -> None:
        select = self.query_one(selector, Select)
        if waarde is None:
            select.clear()
            return
        try:
            select.value = waarde
        except Exception:  # an option that is not (yet) loaded: leave it blank
            select.clear()

    def _klaar_met_vullen(self) -> None:
        self._vullen = False

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _gewijzigd(self, event: Message) -> None:
        if not self._vullen:
            self.post_message(self.Gewijzigd())
