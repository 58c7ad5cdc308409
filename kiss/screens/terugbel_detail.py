"""One terugbelnotitie: what the klant asked (apart from the internal note), the history of
attempts and reassignments, and the actions — each one key.

When a colleague was first, the Dutch message is shown and the view refreshes; nothing the
colleague did is overwritten (the services check the version this screen shows).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from kiss.models import TerugbelStatus
from kiss.rollen import mag_wachtrij_sturen
from kiss.screens.basis import KissScreen
from kiss.screens.terugbel_dialogen import (
    AfhandelDialoog,
    Afhandeling,
    HeropenDialoog,
    Heropening,
    HerverdeelDialoog,
    Herverdeling,
    Poging,
    PogingDialoog,
    ZaakDialoog,
    ZaakKeuze,
)
from kiss.services.contact.contactmomenten import Keuze
from kiss.services.terugbel.deadline import DeadlineStatus, deadline_staat
from kiss.services.terugbel.terugbelnotities import Doelen, OngeldigeActie, TerugbelDetail
from kiss.weergave import lang_tijdstip, tijdstip
from kiss.werkplek.gebeurtenissen import Gebeurtenis, TerugbelnotitieGewijzigd

STAAT_STIJL = {
    DeadlineStatus.TE_LAAT: ("te laat", "bold red"),
    DeadlineStatus.BIJNA: ("bijna", "bold dark_orange"),
    DeadlineStatus.OP_TIJD: ("op tijd", "green"),
}


class TerugbelDetailScreen(KissScreen):
    """Detail of one note, pushed on the terugbel mode's stack (escape goes back)."""

    DEFAULT_CSS = """
    TerugbelDetailScreen #td-inhoud { padding: 0 2; }
    TerugbelDetailScreen .kop { text-style: bold; color: $accent; margin-top: 1; }
    TerugbelDetailScreen #td-vraag { border-left: thick $success; padding-left: 1; }
    TerugbelDetailScreen #td-toelichting { border-left: thick $warning; padding-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "terug", "Terug", id="terugbel_terug"),
        Binding("c", "claim", "Oppakken", id="terugbel_claim",
                tooltip="Neem deze notitie in behandeling"),
        Binding("b", "poging", "Belpoging", id="terugbel_poging",
                tooltip="Leg een belpoging vast: bereikt of niet"),
        Binding("a", "afhandelen", "Afhandelen", id="terugbel_afhandelen"),
        Binding("v", "vrijgeven", "Vrijgeven", id="terugbel_vrijgeven",
                tooltip="Geef de notitie terug aan de wachtrij"),
        Binding("h", "herverdelen", "Herverdelen", id="terugbel_herverdelen",
                tooltip="Naar een ander team, afdeling of persoon, met reden"),
        Binding("z", "zaak", "Zaak", id="terugbel_zaak",
                tooltip="Koppel een zaak van de klant aan de notitie"),
        Binding("o", "heropen", "Heropenen", id="terugbel_heropen",
                tooltip="Een afgehandelde notitie weer openzetten, met reden (teamleider)"),
        Binding("r", "ververs", "Verversen", id="terugbel_detail_verversen"),
    ]  # fmt: skip

    def __init__(self, notitie_id: uuid.UUID) -> None:
        super().__init__()
        self.notitie_id = notitie_id
        self.detail: TerugbelDetail | None = None
        self._gelogd = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="td-inhoud"):
            yield Static("Laden…", id="td-kop")
            yield Static("", id="td-status")
            yield Static("Vraag van de klant", classes="kop")
            yield Static("", id="td-vraag")
            yield Static("Interne toelichting", classes="kop")
            yield Static("", id="td-toelichting")
            yield Static("", id="td-extra")
            yield Static("Belpogingen", classes="kop")
            yield Static("", id="td-pogingen")
            yield Static("Overdrachten", classes="kop")
            yield Static("", id="td-overdrachten")
        yield Footer()

    def on_mount(self) -> None:
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)
        self.laad()

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, TerugbelnotitieGewijzigd) and gebeurtenis.notitie_id in (
            None,
            self.notitie_id,
        ):
            self.laad()

    # ---- loading ------------------------------------------------------------------------------

    def laad(self) -> None:
        """Opening the note is audited once; a refresh is not."""
        self.voer_uit(
            partial(self.werkplek.terugbel.detail, self.notitie_id, log=not self._gelogd),
            self._geladen,
            groep="terugbel-detail",
            exclusief=True,
        )

    def _geladen(self, detail: TerugbelDetail) -> None:
        self._gelogd = True
        self._toon(detail)

    def _toon(self, d: TerugbelDetail) -> None:
        self.detail = d
        nu = self.kiss.klok()
        staat, stijl = STAAT_STIJL[
            deadline_staat(d.deadline, nu, self.kiss.settings, d.afgehandeld_op)
        ]
        nummers = d.terugbelnummer + (f" · extra {d.extra_nummer}" if d.extra_nummer else "")
        klant = d.klant_naam or "anonieme klant"
        self.query_one("#td-kop", Static).update(
            f"[b]{klant}[/b] · "
            + (f"bel [b]{nummers}[/b]" if nummers else "[b]geen terugbelnummer bekend[/b]")
            + (f" · {d.email}" if d.email else "")
            + (f" · gemeente {d.gemeente}" if d.gemeente else "")
        )
        regels = [
            f"Deadline [b]{lang_tijdstip(d.deadline)}[/b] [{stijl}]({staat})[/]",
            f"Status [b]{d.status_label}[/b]"
            + (f" door {d.behandelaar} sinds {tijdstip(d.geclaimd_op)}" if d.behandelaar else ""),
            f"Toegewezen aan {d.toegewezen_aan} · aangemaakt {tijdstip(d.aangemaakt_op)}"
            + (f" door {d.aangemaakt_door}" if d.aangemaakt_door else ""),
        ]
        if d.gewenst_moment:
            regels.append(f"Gewenst moment: [b]{d.gewenst_moment}[/b]")
        if d.zaak:
            regels.append(f"Zaak: [b]{escape(d.zaak)}[/b]")
        if d.afgehandeld_op:
            regels.append(
                f"Afgehandeld {tijdstip(d.afgehandeld_op)}: [b]{escape(d.uitkomst)}[/b]"
                + (f" — {escape(d.uitkomst_toelichting)}" if d.uitkomst_toelichting else "")
                + "  [dim](alleen lezen; een teamleider kan heropenen met o)[/dim]"
            )
        self.query_one("#td-status", Static).update("\n".join(regels))
        self.query_one("#td-vraag", Static).update(Content(d.vraag or "—"))
        self.query_one("#td-toelichting", Static).update(Content(d.toelichting or "—"))
        extra = []
        if d.antwoorden:
            extra.append("Antwoorden voor de afdeling:")
            extra += [f"  {vraag}: {antwoord}" for vraag, antwoord in d.antwoorden]
        if d.informatie_klant:
            extra.append(f"Informatie voor de klant: {d.informatie_klant}")
        self.query_one("#td-extra", Static).update(Content("\n".join(extra)))
        self.query_one("#td-pogingen", Static).update(
            Content(
                "\n".join(
                    f"{tijdstip(p.moment)}  {p.kanaal:<9} "
                    f"{'gelukt' if p.bereikt else 'niet gelukt':<12} "
                    f"{p.medewerker}{'  — ' + p.notitie if p.notitie else ''}"
                    for p in d.pogingen
                )
                or "Nog geen belpogingen."
            )
        )
        self.query_one("#td-overdrachten", Static).update(
            Content(
                "\n".join(
                    f"{tijdstip(o.moment)}  {o.van} → {o.naar} door {o.door}: {o.reden}"
                    for o in d.overdrachten
                )
                or "Niet herverdeeld."
            )
        )
        self.sub_title = f"Terugbelnotitie · {klant}"

    def action_ververs(self) -> None:
        self.laad()

    def action_terug(self) -> None:
        self.app.pop_screen()

    # ---- actions ------------------------------------------------------------------------------

    def _klaar_voor_actie(self) -> TerugbelDetail | None:
        if self.detail is None or self.kiss.medewerker is None:
            return None
        if self.detail.status == TerugbelStatus.AFGEHANDELD:
            self.notify("Deze terugbelnotitie is al afgehandeld.", severity="warning")
            return None
        return self.detail

    def _gewijzigd_door_mij(self) -> None:
        self.kiss.meld(TerugbelnotitieGewijzigd(self.notitie_id))

    def _na_dialoog(self, gelukt: bool | None) -> None:
        if gelukt:
            self._gewijzigd_door_mij()
        else:
            self.laad()

    def _actie(self, taak: Callable[[], Any], melding: str) -> None:
        """A one-key action on the note; a colleague who was first is told, then refresh."""

        def klaar(_: Any) -> None:
            self.notify(melding)
            self._gewijzigd_door_mij()

        def geweigerd(fout: Exception) -> None:
            ernst = "information" if isinstance(fout, OngeldigeActie) else "warning"
            self.notify(str(fout), severity=ernst, timeout=8)
            self.laad()

        self.voer_uit(taak, klaar, groep="terugbel-actie", exclusief=True, bij_weigering=geweigerd)

    def action_claim(self) -> None:
        if (d := self._klaar_voor_actie()) is not None:
            self._actie(
                partial(self.werkplek.terugbel.claim, d.id, d.versie),
                "Opgepakt: de notitie staat op jouw naam.",
            )

    def action_vrijgeven(self) -> None:
        if (d := self._klaar_voor_actie()) is not None:
            self._actie(
                partial(self.werkplek.terugbel.vrijgeven, d.id, d.versie),
                "Vrijgegeven: de notitie staat weer open.",
            )

    def action_poging(self) -> None:
        if (d := self._klaar_voor_actie()) is None:
            return

        def opslaan(poging: Poging) -> None:
            self.werkplek.terugbel.log_poging(
                d.id, poging.bereikt, poging.notitie, d.versie, kanaal=poging.kanaal
            )

        self.app.push_screen(PogingDialoog(opslaan, "Belpoging vastleggen"), self._na_dialoog)

    def action_afhandelen(self) -> None:
        if (d := self._klaar_voor_actie()) is None:
            return

        def opslaan(afhandeling: Afhandeling) -> None:
            self.werkplek.terugbel.afhandelen(
                d.id,
                afhandeling.uitkomst,
                afhandeling.toelichting,
                afhandeling.doorgezet_naar,
                d.versie,
                informatie_klant=afhandeling.informatie_klant,
            )

        self.app.push_screen(
            AfhandelDialoog(opslaan, "Terugbelnotitie afhandelen", d.mislukte_pogingen),
            self._na_dialoog,
        )

    def action_zaak(self) -> None:
        if (d := self._klaar_voor_actie()) is None:
            return
        if d.klant_id is None:
            self.notify(
                "Deze notitie hoort bij geen klant; er is geen zaak te koppelen.",
                severity="warning",
            )
            return
        self.voer_uit(
            partial(self.werkplek.terugbel.zaken_van, d.klant_id),
            partial(self._kies_zaak, d),
            groep="terugbel-zaken",
            exclusief=True,
        )

    def _kies_zaak(self, d: TerugbelDetail, zaken: list[Keuze]) -> None:
        if not zaken:
            self.notify(f"{d.klant_naam} heeft geen zaken.", severity="warning")
            return

        def opslaan(keuze: ZaakKeuze) -> None:
            self.werkplek.terugbel.koppel_zaak(d.id, keuze.zaak_id, d.versie)

        self.app.push_screen(
            ZaakDialoog(
                opslaan,
                f"Zaak van {d.klant_naam} koppelen",
                [(k.label, k.id) for k in zaken],
                d.zaak_id,
            ),
            self._na_dialoog,
        )

    def action_heropen(self) -> None:
        d = self.detail
        medewerker = self.kiss.medewerker
        if d is None or medewerker is None:
            return
        if not d.alleen_lezen:
            self.notify("Deze notitie staat nog open.", severity="information")
            return
        if not mag_wachtrij_sturen(medewerker):
            self.notify(
                "Alleen een teamleider of beheerder kan een notitie heropenen.", severity="warning"
            )
            return

        def opslaan(heropening: Heropening) -> None:
            self.werkplek.terugbel.heropen(d.id, heropening.reden, d.versie)

        self.app.push_screen(HeropenDialoog(opslaan, "Terugbelnotitie heropenen"), self._na_dialoog)

    def action_herverdelen(self) -> None:
        detail = self._klaar_voor_actie()
        medewerker = self.kiss.medewerker
        if detail is None or medewerker is None:
            return
        if detail.behandelaar_id not in (None, medewerker.id) and not mag_wachtrij_sturen(
            medewerker
        ):
            self.notify(
                f"{detail.behandelaar} behandelt deze notitie; vraag een teamleider.",
                severity="warning",
            )
            return
        self.voer_uit(
            self.werkplek.terugbel_doelen,
            partial(self._open_herverdeel, detail),
            groep="terugbel-doelen",
            exclusief=True,
        )

    def _open_herverdeel(self, d: TerugbelDetail, doelen: Doelen) -> None:
        def opslaan(herverdeling: Herverdeling) -> None:
            self.werkplek.terugbel.herverdeel(d.id, herverdeling.naar, herverdeling.reden, d.versie)

        self.app.push_screen(
            HerverdeelDialoog(opslaan, "Terugbelnotitie herverdelen", doelen.alle()),
            self._na_dialoog,
        )
