"""The klantbeeld: identity, aandachtspunten up front, addresses, open notes, zaken, timeline.

With Open Klant switched on, the register's klantcontacten of the klant made elsewhere arrive
later (:meth:`KlantbeeldView.toon_register`) and join the timeline, marked with their source;
why the register could not be read shows in the line under the timeline."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Label, Select, Static

from kiss.services.klant.klantbeeld import Klantbeeld
from kiss.weergave import datum, tijdstip
from kiss.werkplek.klanten import RegisterContacten
from kiss.widgets.tabel import vul

ALLE_KANALEN = "__alle__"
GEEN_KLANT = "Geen klant gekoppeld. Zoek links, of ga anoniem verder."
ZAAK_KOPPEN = ("zaak", "zaaktype", "status", "uiterlijk", "behandelaar")
TIJDLIJN_KOPPEN = (
    "moment", "kanaal", "gemeente", "onderwerp", "resultaat", "medewerker", "notitie", "bronnen",
    "signaal",
)  # fmt: skip


class KlantbeeldView(VerticalScroll):
    """Renders a :class:`Klantbeeld`; asks its screen (via messages) for filters and actions."""

    DEFAULT_CSS = """
    KlantbeeldView { padding: 0 1; }
    KlantbeeldView #kb-naam { text-style: bold; color: $accent; }
    KlantbeeldView #kb-aandacht { background: $warning 20%; color: $text; padding: 0 1; }
    KlantbeeldView #kb-aandacht.leeg { display: none; }
    KlantbeeldView .kop { text-style: bold; margin-top: 1; }
    KlantbeeldView DataTable { height: auto; max-height: 12; }
    KlantbeeldView #kb-tijdlijn { max-height: 30; }
    KlantbeeldView Horizontal { height: auto; }
    KlantbeeldView #kb-kanaal { width: 30; }
    KlantbeeldView #kb-register { color: $text-muted; height: auto; }
    KlantbeeldView #kb-register.leeg { display: none; }
    """

    class KanaalFilterGewijzigd(Message):
        def __init__(self, kanaal: str | None) -> None:
            super().__init__()
            self.kanaal = kanaal

    def __init__(self, kanalen: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.kanalen = kanalen
        self.beeld: Klantbeeld | None = None
        self.register: RegisterContacten | None = None  # of the shown klant, from Open Klant

    def compose(self) -> ComposeResult:
        yield Label(GEEN_KLANT, id="kb-naam")
        yield Static("", id="kb-identiteit")
        yield Static("", id="kb-aandacht", classes="leeg")
        yield Static("", id="kb-adressen")
        yield Label("Open terugbelnotities", classes="kop")
        yield Static("", id="kb-notities")
        yield Label("Zaken", classes="kop")
        zaken: DataTable[str] = DataTable(id="kb-zaken", cursor_type="row", zebra_stripes=True)
        yield zaken
        with Horizontal():
            yield Label("Contacthistorie (alle kanalen, beide gemeenten)", classes="kop")
            yield Select(
                [("alle kanalen", ALLE_KANALEN), *((k, k) for k in self.kanalen)],
                value=ALLE_KANALEN,
                allow_blank=False,
                id="kb-kanaal",
            )
        tijdlijn: DataTable[str] = DataTable(
            id="kb-tijdlijn", cursor_type="row", zebra_stripes=True
        )
        yield tijdlijn
        yield Static("", id="kb-register", classes="leeg")

    def on_mount(self) -> None:
        vul(self.zaken_tabel, ZAAK_KOPPEN, [])
        vul(self.tijdlijn_tabel, TIJDLIJN_KOPPEN, [])

    @property
    def tijdlijn_tabel(self) -> DataTable[str]:
        return self.query_one("#kb-tijdlijn", DataTable)

    @property
    def zaken_tabel(self) -> DataTable[str]:
        return self.query_one("#kb-zaken", DataTable)

    def geselecteerde_zaak(self) -> uuid.UUID | None:
        tabel = self.zaken_tabel
        if self.beeld is None or not self.beeld.zaken or tabel.row_count == 0:
            return None
        key = tabel.coordinate_to_cell_key(tabel.cursor_coordinate).row_key.value
        return uuid.UUID(key) if key else None

    def toon_leeg(self, tekst: str = GEEN_KLANT) -> None:
        """No klant (anonymous contact, unknown number, no contact): nothing of anyone else."""
        self.beeld = None
        self._zet_register(None)
        self.query_one("#kb-naam", Label).update(escape(tekst))
        for selector in ("#kb-identiteit", "#kb-adressen", "#kb-notities"):
            self.query_one(selector, Static).update("")
        aandacht = self.query_one("#kb-aandacht", Static)
        aandacht.update("")
        aandacht.add_class("leeg")
        vul(self.zaken_tabel, ZAAK_KOPPEN, [])
        vul(self.tijdlijn_tabel, TIJDLIJN_KOPPEN, [])

    @property
    def klant_id(self) -> uuid.UUID | None:
        return self.beeld.id if self.beeld is not None else None

    def toon(self, beeld: Klantbeeld, bsn: str | None = None) -> None:
        if self.register is not None and self.register.klant_id != beeld.id:
            self._zet_register(None)  # never another klant's contacts
        self.beeld = beeld
        self.query_one("#kb-naam", Label).update(
            f"{escape(beeld.naam)}  [dim]({beeld.soort})[/dim]"
        )
        identiteit = []
        if beeld.soort == "persoon":
            bsn_tekst = bsn or beeld.bsn or "onbekend"
            hint = (
                " [dim](ctrl+b: toon volledig)[/dim]"
                if beeld.bsn_volledig_toegestaan and not bsn
                else ""
            )
            identiteit.append(f"BSN {bsn_tekst}{hint}")
            if beeld.geboortedatum:
                identiteit.append(f"geboren {datum(beeld.geboortedatum)}")
        elif beeld.kvk_nummer:
            identiteit.append(f"KvK {beeld.kvk_nummer}")
        if beeld.adres:
            identiteit.append(escape(beeld.adres))
        if beeld.gemeente:
            identiteit.append(f"gemeente {beeld.gemeente}")
        self.query_one("#kb-identiteit", Static).update(" · ".join(identiteit))
        aandacht = []
        if beeld.extra_hulp:
            aandacht.append("[b]Heeft extra hulp nodig[/b]")
        if beeld.taal:
            aandacht.append(f"Taal: {escape(beeld.taal)}")
        if beeld.voorkeurskanaal:
            aandacht.append(f"Voorkeurskanaal: {escape(beeld.voorkeurskanaal)}")
        if beeld.aandachtspunten:
            aandacht.append(escape(beeld.aandachtspunten))
        widget = self.query_one("#kb-aandacht", Static)
        widget.update("⚠ " + " · ".join(aandacht) if aandacht else "")
        widget.set_class(not aandacht, "leeg")
        adressen = [
            f"{'★ ' if a.voorkeur else ''}{escape(a.weergave)}"
            + (f" ({escape(a.omschrijving)})" if a.omschrijving else "")
            for a in beeld.adressen
        ]
        self.query_one("#kb-adressen", Static).update(
            (
                "Contact: " + " · ".join(adressen)
                if adressen
                else "Geen telefoonnummer of e-mail bekend"
            )
            + "  [dim](ctrl+t: toevoegen, ctrl+r: corrigeren)[/dim]"
        )
        notities = [
            f"deadline {tijdstip(n.deadline)} · {escape(n.toegewezen_aan)} · {escape(n.vraag[:80])}"
            for n in beeld.open_notities
        ]
        self.query_one("#kb-notities", Static).update("\n".join(notities) or "geen")
        vul(
            self.zaken_tabel,
            ZAAK_KOPPEN,
            (
                (
                    (
                        zaak.identificatie,
                        zaak.zaaktype,
                        zaak.status,
                        datum(zaak.uiterlijke_einddatum),
                        zaak.behandelaar,
                    ),
                    str(zaak.id),
                )
                for zaak in beeld.zaken
            ),
        )
        self.toon_tijdlijn(beeld)

    def toon_register(self, contacten: RegisterContacten) -> None:
        """The register's klantcontacten of the shown klant (dropped for any other klant)."""
        if self.beeld is None or self.beeld.id != contacten.klant_id:
            return
        self._zet_register(contacten)
        self.toon_tijdlijn(self.beeld)

    def _zet_register(self, contacten: RegisterContacten | None) -> None:
        self.register = contacten
        regel = self.query_one("#kb-register", Static)
        tekst = contacten.melding if contacten is not None else ""
        regel.update(escape(tekst))
        regel.set_class(not tekst, "leeg")

    def toon_tijdlijn(self, beeld: Klantbeeld) -> None:
        regels: list[tuple[datetime, tuple[str, ...], str]] = []
        for regel in beeld.tijdlijn:
            kanaal = regel.kanaal + (" ↗" if regel.richting == "uitgaand" else "")
            cellen = (
                tijdstip(regel.moment),
                kanaal,
                regel.gemeente,
                regel.onderwerp,
                regel.resultaat,
                regel.medewerker,
                regel.notitie[:60],
                ", ".join(regel.bronnen)[:60],
                regel.klantsignaal,
            )
            regels.append((_utc(regel.moment), cellen, str(regel.id)))
        filter_ = self.query_one("#kb-kanaal", Select).value
        if self.register is not None and self.register.klant_id == beeld.id:
            for contact in self.register.contacten:
                if filter_ not in (ALLE_KANALEN, Select.NULL) and contact.kanaal != filter_:
                    continue
                resultaat = (
                    "" if contact.gelukt is None else "gelukt" if contact.gelukt else "niet gelukt"
                )
                cellen = (
                    tijdstip(contact.moment) if contact.moment else "",
                    contact.kanaal,
                    "",
                    contact.onderwerp,
                    resultaat,
                    contact.bron,  # made elsewhere: the source instead of a medewerker
                    contact.inhoud[:60],
                    contact.bron,
                    "",
                )
                regels.append((_utc(contact.moment), cellen, f"ok-{contact.uuid}"))
        regels.sort(key=lambda r: r[0], reverse=True)  # stable: local order kept
        vul(self.tijdlijn_tabel, TIJDLIJN_KOPPEN, ((cellen, s) for _m, cellen, s in regels))

    @on(Select.Changed, "#kb-kanaal")
    def _kanaal(self, event: Select.Changed) -> None:
        event.stop()
        kanaal = None if event.value in (ALLE_KANALEN, Select.NULL) else str(event.value)
        self.post_message(self.KanaalFilterGewijzigd(kanaal))


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
