"""How an article reads in the TUI reader (Markdown), KCC-only note marked as such."""

from __future__ import annotations

from dataclasses import dataclass

from kiss.models import Kennisartikel
from kiss.services.beheer.nieuws import NieuwsRegel
from kiss.weergave import tijdstip


@dataclass(frozen=True)
class ArtikelWeergave:
    id: object
    titel: str
    afdeling_id: object
    markdown: str
    soort: str = "artikel"  # or "werkinstructie" / "nieuws": an item of the start screen


#: how a hit's soort is marked in the kennisbank (articles are not marked)
SOORT_LABEL = {"werkinstructie": "Werkinstructie", "nieuws": "Nieuws"}


def item_weergave(regel: NieuwsRegel) -> ArtikelWeergave:
    """A werkinstructie or nieuws item in the kennisbank reader, marked as such."""
    meta = [f"**{SOORT_LABEL.get(regel.soort, regel.soort)}**"]
    meta.append(regel.gemeente or "alle gemeenten")
    meta.append(f"gepubliceerd {tijdstip(regel.publiceren_van)}")
    if regel.publiceren_tot is not None:
        meta.append(f"tot {tijdstip(regel.publiceren_tot)}")
    if regel.belangrijk:
        meta.append("**belangrijk**")
    markdown = "\n\n".join([f"# {regel.titel}", "*" + " · ".join(meta) + "*", regel.tekst])
    return ArtikelWeergave(regel.id, regel.titel, None, markdown, regel.soort)


def artikel_markdown(artikel: Kennisartikel, afdeling: str = "") -> str:
    delen = [f"# {artikel.titel}"]
    meta = []
    if afdeling:
        meta.append(f"afdeling {afdeling}")
    meta.append(", ".join(artikel.gemeenten) if artikel.gemeenten else "Haarlem en Zandvoort")
    if artikel.laatst_gecontroleerd_op:
        meta.append(f"gecontroleerd {artikel.laatst_gecontroleerd_op:%d-%m-%Y}")
    if artikel.status != "gepubliceerd":
        meta.append(f"**{artikel.status}**")
    delen.append("*" + " · ".join(meta) + "*")
    if artikel.samenvatting:
        delen.append(f"**{artikel.samenvatting}**")
    if artikel.werkinstructie:
        delen.append(
            "> **Werkinstructie KCC (niet voor de inwoner)**  \n> "
            + artikel.werkinstructie.replace("\n", "  \n> ")
        )
    if artikel.inhoud:
        delen.append(artikel.inhoud)
    if artikel.vragen:
        delen.append("## Veelgestelde vragen")
        for vraag in artikel.vragen:
            delen.append(f"**{vraag['vraag']}**  \n{vraag['antwoord']}")
    return "\n\n".join(delen)
