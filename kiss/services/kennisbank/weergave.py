"""How an article reads in the TUI reader (Markdown), KCC-only note marked as such."""

from __future__ import annotations

from dataclasses import dataclass

from kiss.models import Kennisartikel


@dataclass(frozen=True)
class ArtikelWeergave:
    id: object
    titel: str
    afdeling_id: object
    markdown: str


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
