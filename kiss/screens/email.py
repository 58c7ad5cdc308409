"""Mode ``email`` (F9): the central mailbox's queue and the reply editor.

Left the mails waiting for an answer, the earliest deadline first (te laat red); right the
thread of the highlighted mail as plain text: a mail's HTML was turned into text when it
came in, and nothing a resident wrote is ever read as markup. ctrl+o takes the next mail
("pak de volgende"), a answers, d forwards to an afdeling's mailbox, t makes a terugbelnotitie,
k links the klant, o saves an attachment in the downloads folder, b marks a forwarded mail
answered, x closes a mail that needs no answer, v gives it back to the queue, ctrl+r
refreshes. Every database call is a werkplek call in a
worker.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static, TextArea

from kiss import weergave
from kiss.models.email import EmailStatus
from kiss.screens.basis import KissDialoog, KissScreen
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.email.behandelen import Concept, EmailDetail
from kiss.services.email.lezen import veilig
from kiss.services.rapportage.emailnorm import DOEL_EMAILNORM, EmailNorm
from kiss.werkplek.email import AfdelingKeuze, EmailStand
from kiss.werkplek.gebeurtenissen import (
    ContactmomentAfgerond,
    DemoGeladen,
    Gebeurtenis,
    TerugbelnotitieGewijzigd,
)

KOLOMMEN = (("deadline", "Uiterlijk", 14), ("onderwerp", "Onderwerp", 22), ("van", "Van", 18),
            ("status", "Status", 14), ("behandelaar", "Behandelaar", 14))  # fmt: skip


def draad_tekst(detail: EmailDetail, nu: Any) -> Text:
    """The thread as rich Text built from plain strings: a resident's text can never become
    markup, a link or an escape sequence."""
    tekst = Text()
    tekst.append(f"{detail.onderwerp}\n", style="bold")
    tekst.append(f"Kenmerk {detail.kenmerk} · {EmailStatus(detail.status).label} · uiterlijk ")
    te_laat = detail.beantwoord_op is None and detail.deadline < nu
    tekst.append(weergave.lang_tijdstip(detail.deadline), style="bold red" if te_laat else "")
    tekst.append("\n")
    if detail.klant_naam:
        tekst.append(f"Klant: {detail.klant_naam}\n")
    elif detail.treffers:
        tekst.append(f"{len(detail.treffers)} klanten met dit adres: kies met k.\n", style="yellow")
    else:
        tekst.append("Geen klant bij dit adres (anoniem); k om er een te koppelen.\n", style="dim")
    if detail.doorgestuurd_naar:
        tekst.append(f"Doorgestuurd naar {detail.doorgestuurd_naar}\n")
    if detail.melding:
        tekst.append(f"{detail.melding}\n", style="yellow")
    for bericht in detail.berichten:
        richting = "Van" if bericht.richting == "in" else "Aan"
        wie = bericht.van if bericht.richting == "in" else bericht.aan
        tekst.append(f"\n── {richting} {wie or '(geen afzender)'} · ", style="bold")
        tekst.append(f"{weergave.tijdstip(bericht.moment)}\n", style="bold")
        if bericht.melding:
            tekst.append(f"{bericht.melding}\n", style="yellow")
        tekst.append(veilig(bericht.tekst) or "(geen tekst)")  # no terminal escapes
        tekst.append("\n")
        for bijlage in bericht.bijlagen:
            grootte = f"{bijlage.grootte / 1_000_000:.1f}".replace(".", ",")
            weg = " — niet bewaard, te groot" if bijlage.weggelaten else ""
            tekst.append(f"📎 {bijlage.bestandsnaam} ({grootte} MB){weg}\n", style="dim")
    return tekst


def emailnorm_tabel(rijen: list[EmailNorm]) -> Table:
    """The e-mail norm for the teamlead's dashboard, per gemeente and in total."""
    tabel = Table(title="E-mailnorm (antwoord binnen de termijn)", title_justify="left",
                  expand=True, caption=f"Doel: e-mailnorm ≥ {DOEL_EMAILNORM:.0%}",
                  caption_justify="left")  # fmt: skip
    tabel.add_column("")
    for kop in ("mails", "binnen termijn", "te laat beantwoord", "open, te laat", "open, op tijd",
                "e-mailnorm"):  # fmt: skip
        tabel.add_column(kop, justify="right")
    for r in rijen:
        pct = Text("–")
        if r.pct is not None:
            pct = Text(f"{100 * r.pct:.1f}%", style="green" if r.pct >= DOEL_EMAILNORM else "red")
        tabel.add_row(
            Text("Totaal" if r.gemeente == "totaal" else r.gemeente,
                 style="bold" if r.gemeente == "totaal" else ""),
            str(r.mails), str(r.binnen_termijn), str(r.te_laat_beantwoord),
            Text(str(r.open_te_laat), style="red" if r.open_te_laat else ""),
            str(r.open_op_tijd), pct,
        )  # fmt: skip
    return tabel


class EmailScreen(KissScreen):
    DEFAULT_CSS = """
    EmailScreen #email-lijst { width: 3fr; }
    EmailScreen #email-rechts { width: 2fr; border-left: solid $accent; padding: 0 1; }
    EmailScreen #email-telling { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+o", "pak_volgende", "Pak de volgende", id="email_volgende"),
        Binding("a", "antwoord", "Antwoorden", id="email_antwoorden"),
        Binding("d", "doorsturen", "Doorsturen", id="email_doorsturen"),
        Binding("t", "terugbel", "Terugbelnotitie", id="email_terugbel"),
        Binding("k", "klant", "Klant", id="email_klant"),
        Binding("b", "beantwoord", "Beantwoord", id="email_beantwoord", show=False),
        Binding("x", "sluit", "Sluiten", id="email_sluiten", show=False),
        Binding("v", "vrijgeven", "Teruggeven", id="email_vrijgeven", show=False),
        Binding("o", "bijlage", "Bijlage opslaan", id="email_bijlage", show=False),
        Binding("ctrl+r", "vernieuw", "Vernieuwen", id="email_vernieuwen"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.detail: EmailDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="email-lijst"):
                yield Static("", id="email-telling")
                tabel: DataTable[Any] = DataTable(id="email-tabel", cursor_type="row")
                for sleutel, kop, breedte in KOLOMMEN:
                    tabel.add_column(kop, key=sleutel, width=breedte)
                yield tabel
            with VerticalScroll(id="email-rechts"):
                yield Static("Kies een mail.", id="email-draad", markup=False)
        yield Footer()

    @property
    def tabel(self) -> DataTable[Any]:
        return self.query_one("#email-tabel", DataTable)

    def on_mount(self) -> None:
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)
        self.action_vernieuw()

    def on_screen_resume(self) -> None:
        self.action_vernieuw()

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, (TerugbelnotitieGewijzigd, DemoGeladen, ContactmomentAfgerond)):
            self.action_vernieuw()

    # ---- the queue ---------------------------------------------------------------------

    def action_vernieuw(self) -> None:
        if self.werkplek.medewerker is None:
            return
        self.voer_uit(self.werkplek.email.wachtrij, self._toon, groep="email-lijst",
                      exclusief=True)  # fmt: skip

    def _toon(self, stand: EmailStand) -> None:
        nu = self.kiss.klok()
        gekozen = self._gekozen_id()
        tabel = self.tabel
        tabel.clear()
        for r in stand.regels:
            te_laat = r.deadline < nu
            tabel.add_row(
                Text(weergave.kort_tijdstip(r.deadline), style="bold red" if te_laat else ""),
                Text(r.onderwerp, overflow="ellipsis", no_wrap=True),
                Text(r.klant or r.van, overflow="ellipsis", no_wrap=True),
                EmailStatus(r.status).label,
                Text(r.behandelaar, overflow="ellipsis", no_wrap=True),
                key=str(r.id),
            )
        t = stand.tellingen
        self.query_one("#email-telling", Static).update(
            f"{len(stand.regels)} wachten op antwoord · {t.get('open', 0)} open · "
            f"{t.get('te_laat', 0)} te laat"
        )
        if gekozen is not None and str(gekozen) in tabel.rows:
            tabel.move_cursor(row=tabel.get_row_index(str(gekozen)))
        elif not stand.regels:
            self._toon_detail(None)

    def _gekozen_id(self) -> uuid.UUID | None:
        tabel = self.tabel
        if not tabel.row_count:
            return None
        try:
            sleutel = tabel.coordinate_to_cell_key(tabel.cursor_coordinate).row_key.value
        except Exception:
            return None
        return uuid.UUID(sleutel) if sleutel else None

    @on(DataTable.RowHighlighted, "#email-tabel")
    def _gemarkeerd(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self._laad_detail(uuid.UUID(event.row_key.value))

    def _laad_detail(self, zaak_id: uuid.UUID, *, log: bool = True) -> None:
        """Show a thread; ``log=False`` when merely refreshing what is on screen (opening a
        mail is audited once)."""
        self.voer_uit(partial(self.werkplek.email.detail, zaak_id, log=log), self._toon_detail,
                      groep="email-detail", exclusief=True, wacht=0.1)  # fmt: skip

    def _toon_detail(self, detail: EmailDetail | None) -> None:
        self.detail = detail
        draad = self.query_one("#email-draad", Static)
        draad.update(draad_tekst(detail, self.kiss.klok()) if detail else "Kies een mail.")

    def action_pak_volgende(self) -> None:
        def gepakt(zaak_id: uuid.UUID | None) -> None:
            if zaak_id is None:
                self.notify("Er wacht geen open mail meer.")
                return
            self._laad_detail(zaak_id)
            self.action_vernieuw()
            self.notify("De mail met de vroegste deadline is voor u.")

        self.voer_uit(self.werkplek.email.pak_volgende, gepakt, herhaal=False)

    # ---- actions on the shown mail ---------------------------------------------------------

    def _huidig(self) -> EmailDetail | None:
        if self.detail is None:
            self.notify("Kies eerst een mail.", severity="warning")
        return self.detail

    def _klaar(self, melding: str) -> Any:
        def klaar(_: Any = None) -> None:
            self.notify(melding)
            self.action_vernieuw()
            if self.detail is not None:
                self._laad_detail(self.detail.id, log=False)

        return klaar

    def _weiger(self, fout: Exception) -> None:
        self.notify(str(fout), severity="warning")
        if self.detail is not None:
            self._laad_detail(self.detail.id, log=False)

    def action_antwoord(self) -> None:
        detail = self._huidig()
        if detail is None:
            return
        if not detail.afzender:
            self.notify("Deze mail heeft geen afzender: beantwoorden kan niet.", severity="warning")
            return

        def verzonden(gedaan: bool | None) -> None:
            if gedaan:
                self.kiss.meld(ContactmomentAfgerond(uuid.uuid4(), detail.klant_id))
                self._klaar("Antwoord verstuurd; het staat in de klanthistorie.")()

        self.app.push_screen(AntwoordEditor(detail), verzonden)

    def action_doorsturen(self) -> None:
        detail = self._huidig()
        if detail is None:
            return

        def gekozen(keuze: tuple[uuid.UUID, str] | None) -> None:
            if keuze is not None:
                self.voer_uit(
                    partial(self.werkplek.email.doorsturen, detail.id, *keuze),
                    lambda mailbox: self._klaar(f"Doorgestuurd naar {mailbox}.")(),
                    bij_weigering=self._weiger, herhaal=False,
                )  # fmt: skip

        self.voer_uit(
            self.werkplek.email.afdelingen,
            lambda afdelingen: self.app.push_screen(DoorstuurDialoog(afdelingen), gekozen),
        )

    def action_terugbel(self) -> None:
        detail = self._huidig()
        if detail is None:
            return

        def formulier(voorstel: Any) -> None:
            def opgeslagen(resultaat: Any) -> None:
                if resultaat is not None:
                    self.kiss.meld(TerugbelnotitieGewijzigd())
                    self._klaar("Terugbelnotitie gemaakt; de mail blijft zichtbaar tot die "
                                "is opgevolgd.")()  # fmt: skip

            self.app.push_screen(
                TerugbelFormulier(
                    voorstel, opslaan=partial(self.werkplek.email.naar_terugbelnotitie, detail.id)
                ),
                opgeslagen,
            )

        self.voer_uit(partial(self.werkplek.email.terugbel_voorstel, detail.id), formulier)

    def action_klant(self) -> None:
        detail = self._huidig()
        if detail is None:
            return
        if not detail.treffers and not detail.klant_id:
            self.notify("Geen klant met dit adres; zoek de klant op in F2 en voeg het adres toe.")
            return
        keuzes = [(t.regel, str(t.id)) for t in detail.treffers] + [("Anoniem", "")]

        def gekozen(waarde: str | None) -> None:
            if waarde is None:
                return
            klant_id = uuid.UUID(waarde) if waarde else None
            self.voer_uit(partial(self.werkplek.email.koppel_klant, detail.id, klant_id),
                          lambda _: self._klaar("Klant gekoppeld.")())  # fmt: skip

        self.app.push_screen(KeuzeDialoog("Welke klant schreef deze mail?", keuzes), gekozen)

    def action_bijlage(self) -> None:
        """Save an attachment in the downloads folder (choose when there are several)."""
        detail = self._huidig()
        if detail is None:
            return
        bijlagen = [b for bericht in detail.berichten for b in bericht.bijlagen if not b.weggelaten]
        if not bijlagen:
            self.notify("Deze mail heeft geen bewaarde bijlagen.", severity="warning")
            return

        def bewaar(waarde: str | None) -> None:
            if waarde:
                self.voer_uit(
                    partial(self.werkplek.email.bewaar_bijlage, uuid.UUID(waarde)),
                    lambda pad: self.notify(f"Opgeslagen: {pad}"),
                    bij_weigering=self._weiger, herhaal=False,
                )  # fmt: skip

        if len(bijlagen) == 1:
            bewaar(str(bijlagen[0].id))
            return
        keuzes = [(b.bestandsnaam, str(b.id)) for b in bijlagen]
        self.app.push_screen(KeuzeDialoog("Welke bijlage wilt u opslaan?", keuzes), bewaar)

    def action_beantwoord(self) -> None:
        detail = self._huidig()
        if detail is not None:
            self.voer_uit(partial(self.werkplek.email.markeer_beantwoord, detail.id),
                          self._klaar("Gemarkeerd als beantwoord."), bij_weigering=self._weiger,
                          herhaal=False)  # fmt: skip

    def action_vrijgeven(self) -> None:
        detail = self._huidig()
        if detail is not None:
            self.voer_uit(partial(self.werkplek.email.vrijgeven, detail.id),
                          self._klaar("De mail staat weer in de wachtrij."),
                          bij_weigering=self._weiger, herhaal=False)  # fmt: skip

    def action_sluit(self) -> None:
        detail = self._huidig()
        if detail is None:
            return

        def reden(tekst: str | None) -> None:
            if tekst:
                self.voer_uit(partial(self.werkplek.email.sluit, detail.id, tekst),
                              self._klaar("Gesloten zonder antwoord."),
                              bij_weigering=self._weiger, herhaal=False)  # fmt: skip

        self.app.push_screen(TekstDialoog("Waarom heeft deze mail geen antwoord nodig?"), reden)


# ---------------------------------------------------------------------------- dialogs


class AntwoordEditor(KissDialoog[bool]):
    """The reply: start from a template or a kennisbank article, edit, ctrl+s sends."""

    DEFAULT_CSS = """
    AntwoordEditor { align: center middle; }
    AntwoordEditor > Vertical {
        width: 100; max-width: 100%; height: 95%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    AntwoordEditor .naast { height: auto; }
    AntwoordEditor .naast > * { width: 1fr; margin-right: 1; }
    AntwoordEditor TextArea { height: 1fr; }
    AntwoordEditor #antwoord-fout { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "verstuur", "Versturen", id="email_versturen", priority=True),
        Binding("escape", "annuleer", "Annuleren", id="email_annuleren"),
    ]

    def __init__(self, detail: EmailDetail) -> None:
        super().__init__()
        self.detail = detail
        self.artikel_id: uuid.UUID | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Antwoord aan {self.detail.afzender} ({self.detail.kenmerk})")
            yield Input(id="antwoord-onderwerp", placeholder="Onderwerp")
            with Horizontal(classes="naast"):
                yield Select([], prompt="Sjabloon…", id="antwoord-sjabloon")
                yield Input(id="antwoord-zoek", placeholder="Kennisbank: zoek een artikel")
                yield Select([], prompt="Artikel…", id="antwoord-artikel")
            yield TextArea(id="antwoord-tekst")
            yield Static("", id="antwoord-fout", markup=False)
            yield Label("ctrl+s verstuurt · escape annuleert · het antwoord gaat uit vanaf het "
                        "centrale adres")  # fmt: skip

    def on_mount(self) -> None:
        self.voer_uit(partial(self.werkplek.email.concept, self.detail.id), self._vul)
        self.voer_uit(
            self.werkplek.email.sjablonen,
            lambda lijst: self.query_one("#antwoord-sjabloon", Select).set_options(
                [(s.naam, str(s.id)) for s in lijst]
            ),
        )
        self.query_one("#antwoord-tekst", TextArea).focus()

    def _vul(self, concept: Concept) -> None:
        onderwerp = self.query_one("#antwoord-onderwerp", Input)
        if not onderwerp.value:
            onderwerp.value = concept.onderwerp
        if concept.tekst:
            self.query_one("#antwoord-tekst", TextArea).text = concept.tekst
        if concept.artikel_id:
            self.artikel_id = concept.artikel_id

    @on(Select.Changed, "#antwoord-sjabloon")
    def _sjabloon(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self.voer_uit(partial(self.werkplek.email.concept, self.detail.id,
                                  sjabloon_id=uuid.UUID(str(event.value))), self._vul)  # fmt: skip

    @on(Input.Changed, "#antwoord-zoek")
    def _zoek(self, event: Input.Changed) -> None:
        tekst = event.value

        def treffers(antwoord: Any) -> None:
            self.query_one("#antwoord-artikel", Select).set_options(
                [(t.titel, str(t.id)) for t in list(antwoord.treffers)[:8]]
            )

        # articles only: a KCC-only werkinstructie never becomes a text for a resident
        zoek = partial(self.werkplek.kennisbank.zoek, tekst, bezig=True, berichten=False)
        self.voer_uit(zoek, treffers, groep="email-artikel", exclusief=True, wacht=0.2)

    @on(Select.Changed, "#antwoord-artikel")
    def _artikel(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            artikel_id = uuid.UUID(str(event.value))
            self.voer_uit(partial(self.werkplek.email.concept, self.detail.id,
                                  artikel_id=artikel_id), self._vul)  # fmt: skip

    def action_verstuur(self) -> None:
        tekst = self.query_one("#antwoord-tekst", TextArea).text
        onderwerp = self.query_one("#antwoord-onderwerp", Input).value
        self.voer_uit(
            partial(self.werkplek.email.beantwoord, self.detail.id, tekst, onderwerp=onderwerp,
                    artikel_id=self.artikel_id),
            lambda _: self.dismiss(True),
            bij_weigering=self._fout, herhaal=False,
        )  # fmt: skip

    def _fout(self, fout: Exception) -> None:
        self.query_one("#antwoord-fout", Static).update(str(fout))

    def action_annuleer(self) -> None:
        self.dismiss(False)


class DoorstuurDialoog(KissDialoog[tuple[uuid.UUID, str] | None]):
    DEFAULT_CSS = """
    DoorstuurDialoog { align: center middle; }
    DoorstuurDialoog > Vertical {
        width: 80; height: auto; padding: 1; border: thick $accent; background: $surface;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "kies", "Doorsturen", id="email_doorsturen_ok", priority=True),
        Binding("escape", "annuleer", "Annuleren"),
    ]

    def __init__(self, afdelingen: list[AfdelingKeuze]) -> None:
        super().__init__()
        self.afdelingen = afdelingen

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Doorsturen naar de mailbox van een afdeling")
            yield Select(
                [(f"{a.naam} — {a.mailbox or 'geen mailbox'}", str(a.id)) for a in self.afdelingen],
                prompt="Afdeling…",
                id="door-afdeling",
            )
            yield Input(id="door-notitie", placeholder="Notitie voor de collega's")
            yield Label("ctrl+s stuurt door, escape annuleert")

    def action_kies(self) -> None:
        waarde = self.query_one("#door-afdeling", Select).value
        if waarde is Select.NULL:
            self.notify("Kies een afdeling.", severity="warning")
            return
        self.dismiss((uuid.UUID(str(waarde)), self.query_one("#door-notitie", Input).value))

    def action_annuleer(self) -> None:
        self.dismiss(None)


class KeuzeDialoog(KissDialoog[str | None]):
    DEFAULT_CSS = """
    KeuzeDialoog { align: center middle; }
    KeuzeDialoog > Vertical {
        width: 80; height: auto; padding: 1; border: thick $accent; background: $surface;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "kies", "Kiezen", priority=True),
        Binding("escape", "annuleer", "Annuleren"),
    ]

    def __init__(self, vraag: str, keuzes: list[tuple[str, str]]) -> None:
        super().__init__()
        self.vraag, self.keuzes = vraag, keuzes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.vraag)
            yield Select(self.keuzes, prompt="Kies…", id="keuze")

    @on(Select.Changed, "#keuze")
    def action_kies(self) -> None:
        waarde = self.query_one("#keuze", Select).value
        if waarde is not Select.NULL:
            self.dismiss(str(waarde))

    def action_annuleer(self) -> None:
        self.dismiss(None)


class TekstDialoog(KissDialoog[str | None]):
    DEFAULT_CSS = """
    TekstDialoog { align: center middle; }
    TekstDialoog > Vertical {
        width: 80; height: auto; padding: 1; border: thick $accent; background: $surface;
    }
    """
    BINDINGS = [Binding("escape", "annuleer", "Annuleren")]

    def __init__(self, vraag: str) -> None:
        super().__init__()
        self.vraag = vraag

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.vraag)
            yield Input(id="tekst", max_length=300)

    @on(Input.Submitted, "#tekst")
    def _klaar(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_annuleer(self) -> None:
        self.dismiss(None)
