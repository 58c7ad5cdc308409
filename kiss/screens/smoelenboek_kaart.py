"""The smoelenboek's detail card and result rows: how a colleague or organisation is shown."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kiss.services.smoelenboek.aanwezigheid import Aanwezigheid, Status
from kiss.services.smoelenboek.kaart import Collega, EenheidKaart, MedewerkerKaart, Soort
from kiss.services.smoelenboek.zoeken import Treffer

KLEUR = {
    Status.AANWEZIG: "green",
    Status.AFWEZIG: "red",
    Status.NIET_OP_WERKDAG: "yellow",
    Status.UIT_DIENST: "dim",
}
SOORT_LABEL = {
    Soort.ORGANISATIE: "externe organisatie",
    Soort.AFDELING: "afdeling",
    Soort.TEAM: "team",
}

Kaart = MedewerkerKaart | EenheidKaart


def aanwezigheid_markup(stand: Aanwezigheid, kort: bool = False) -> str:
    return f"[{KLEUR[stand.status]}]{stand.marker} {escape(stand.kort if kort else stand.tekst)}[/]"


def _collega_regel(c: Collega) -> str:
    regel = f"[b]{escape(c.naam)}[/b]"
    if c.functie:
        regel += f" ({escape(c.functie)})"
    if c.telefoon:
        regel += f" · {escape(c.telefoon)}"
    regel += f" · {aanwezigheid_markup(c.aanwezigheid)}"
    if c.niet_doorverbinden:
        regel += " · [red]niet doorverbinden[/]"
    return regel


def treffer_rij(t: Treffer) -> tuple[str, str, str, str]:
    """(naam, aanwezigheid, telefoon, wat) of one result row, as rich markup: who is in and
    their number before the long description, which may run off a narrow list."""
    naam = escape(t.naam)
    if t.vervangt:
        naam = f"↳ {naam} [dim](vervangt {escape(t.vervangt)})[/dim]"
    if t.niet_doorverbinden:
        naam += " [red]⛔[/]"
    if t.aanwezigheid is not None:
        stand = aanwezigheid_markup(t.aanwezigheid, kort=True)
        if t.vervanger is not None:
            stand += f" → {escape(t.vervanger.naam)}"
    else:
        stand = f"[dim]{SOORT_LABEL.get(t.soort, t.soort)}[/dim]"
    return naam, stand, escape(t.telefoon), escape(t.omschrijving)


def _regels(kaart: Kaart) -> list[str]:
    if isinstance(kaart, EenheidKaart):
        regels = [f"[b]{escape(kaart.naam)}[/b]  [dim]{SOORT_LABEL[kaart.soort]}[/dim]"]
        velden = [
            ("Telefoon", kaart.telefoon),
            ("E-mail", kaart.email),
            ("Website", kaart.website),
            ("Open", kaart.openingstijden),
            ("Afdeling", kaart.afdeling),
            ("Over", kaart.omschrijving),
            ("Gaat over", ", ".join(kaart.onderwerpen)),
        ]
        return regels + [f"{k}: {escape(v)}" for k, v in velden if v]
    regels = [
        f"[b]{escape(kaart.naam)}[/b]" + (f"  {escape(kaart.functie)}" if kaart.functie else ""),
        aanwezigheid_markup(kaart.aanwezigheid),
    ]
    if kaart.vervanger is not None:
        regels.append(f"[b]Vervanger vandaag:[/b] {_collega_regel(kaart.vervanger)}")
    elif not kaart.aanwezigheid.aanwezig and kaart.actief:
        regels.append("[b]Vervanger vandaag:[/b] [red]geen aanwezige vervanger[/]")
    for overgeslagen in kaart.overgeslagen:
        regels.append(f"  [dim]overgeslagen:[/dim] {_collega_regel(overgeslagen)}")
    if kaart.vaste_vervanger is not None and (
        kaart.vervanger is None or kaart.vervanger.id != kaart.vaste_vervanger.id
    ):
        regels.append(f"Vaste vervanger: {_collega_regel(kaart.vaste_vervanger)}")
    eenheid = " / ".join(x for x in (kaart.afdeling, kaart.team) if x)
    velden = [
        ("Direct", kaart.telefoon),
        ("Mobiel", kaart.mobiel),
        ("E-mail", kaart.email),
        ("Afdeling / team", eenheid),
        ("Locatie", kaart.locatie),
        ("Werkdagen", kaart.werkdagen),
        ("Expertise", ", ".join(kaart.expertise)),
    ]
    return regels + [f"{k}: {escape(v)}" for k, v in velden if v]


class KaartView(VerticalScroll):
    """The detail card; ``niet doorverbinden`` is a red bar above everything else."""

    DEFAULT_CSS = """
    KaartView { padding: 0 1; }
    KaartView #sb-niet-doorverbinden {
        background: $error 30%; color: $text; text-style: bold; padding: 0 1;
    }
    KaartView #sb-niet-doorverbinden.verborgen { display: none; }
    KaartView #sb-acties { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.kaart: Kaart | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="sb-niet-doorverbinden", classes="verborgen")
        yield Static("Typ een naam, onderwerp, afdeling of telefoonnummer.", id="sb-kaart-tekst")
        yield Static("", id="sb-acties")

    def toon(self, kaart: Kaart | None, kop: str = "") -> None:
        self.kaart = kaart
        balk = self.query_one("#sb-niet-doorverbinden", Static)
        niet = isinstance(kaart, MedewerkerKaart) and kaart.niet_doorverbinden
        balk.update("⛔ NIET DOORVERBINDEN — maak een terugbelnotitie (ctrl+t)" if niet else "")
        balk.set_class(not niet, "verborgen")
        tekst = (
            "\n".join(([f"[dim]{escape(kop)}[/dim]"] if kop else []) + _regels(kaart))
            if kaart
            else ""
        )
        self.query_one("#sb-kaart-tekst", Static).update(tekst)
        acties = []
        if kaart is not None:
            acties.append("ctrl+d doorverbinden")
            if kaart.soort != Soort.ORGANISATIE:
                acties.append("ctrl+t terugbelnotitie")
            if isinstance(kaart, MedewerkerKaart) and (kaart.vervanger or kaart.vaste_vervanger):
                acties.append("ctrl+g kaart van de vervanger")
        self.query_one("#sb-acties", Static).update(" · ".join(acties))

    @property
    def tekst(self) -> str:
        """The card as plain text (for tests and screen readers)."""
        delen = [
            Text.from_markup(str(self.query_one(f"#{id_}", Static).content)).plain
            for id_ in ("sb-niet-doorverbinden", "sb-kaart-tekst")
        ]
        return "\n".join(d for d in delen if d)
