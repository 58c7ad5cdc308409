"""Ranking evaluation of the kennisbank, like a search engine's rank-evaluation API.

A question file is JSON Lines: ``{"vraag": "...", "verwacht": ["sleutel", ...], "gemeente":
"Haarlem", "categorie": "zin"}`` (``gemeente`` and ``categorie`` optional). ``verwacht`` lists
the articles a senior agent would accept; an empty list means *no article fits* (an off-topic
question): it counts as right when the search says it has no good answer. Per category:
MRR@10 and recall@1/3/5, and for the off-topic questions how often "no good answer" was said.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiss.services.kennisbank.zoeken import Zoekresultaat

__all__ = ["Categorie", "EvaluatieFout", "Uitkomst", "Vraag", "evalueer", "lees_vragen"]


class EvaluatieFout(ValueError):
    """A question file that cannot be read (Dutch message with the line number)."""


@dataclass(frozen=True)
class Vraag:
    vraag: str
    verwacht: tuple[str, ...]
    gemeente: str | None = None
    categorie: str = "algemeen"


@dataclass(frozen=True)
class Uitkomst:
    vraag: Vraag
    sleutels: tuple[str, ...]  # the ranked sleutels (top 10)
    rang: int | None  # rank of the first expected article (1-based), None if not in the top 10
    geen_goed_antwoord: bool

    @property
    def goed(self) -> bool:
        if not self.vraag.verwacht:
            return self.geen_goed_antwoord
        return self.rang == 1


@dataclass
class Categorie:
    naam: str
    uitkomsten: list[Uitkomst] = field(default_factory=list)

    @property
    def _met_antwoord(self) -> list[Uitkomst]:
        return [u for u in self.uitkomsten if u.vraag.verwacht]

    def _aandeel(self, tot: int) -> float | None:
        lijst = self._met_antwoord
        if not lijst:
            return None
        return sum(1 for u in lijst if u.rang is not None and u.rang <= tot) / len(lijst)

    @property
    def aantal(self) -> int:
        return len(self.uitkomsten)

    @property
    def mrr(self) -> float | None:
        lijst = self._met_antwoord
        if not lijst:
            return None
        return sum(1 / u.rang for u in lijst if u.rang) / len(lijst)

    @property
    def recall1(self) -> float | None:
        return self._aandeel(1)

    @property
    def recall3(self) -> float | None:
        return self._aandeel(3)

    @property
    def recall5(self) -> float | None:
        return self._aandeel(5)

    @property
    def geen_herkend(self) -> float | None:
        """Off-topic questions for which "no good answer" was said."""
        lijst = [u for u in self.uitkomsten if not u.vraag.verwacht]
        if not lijst:
            return None
        return sum(1 for u in lijst if u.geen_goed_antwoord) / len(lijst)

    @property
    def onterecht_geen(self) -> float | None:
        """Answerable questions for which "no good answer" was said anyway."""
        lijst = self._met_antwoord
        if not lijst:
            return None
        return sum(1 for u in lijst if u.geen_goed_antwoord) / len(lijst)


def lees_vragen(pad: Path) -> list[Vraag]:
    vragen: list[Vraag] = []
    try:
        regels = pad.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as fout:
        raise EvaluatieFout(f"{pad} is niet te lezen: {fout.__class__.__name__}.") from None
    for nummer, regel in enumerate(regels, start=1):
        if not regel.strip() or regel.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(regel)
        except json.JSONDecodeError:
            raise EvaluatieFout(f"{pad.name} regel {nummer}: geen geldige JSON.") from None
        if not isinstance(data, dict) or not isinstance(data.get("vraag"), str):
            raise EvaluatieFout(f'{pad.name} regel {nummer}: "vraag" (tekst) ontbreekt.')
        verwacht = data.get("verwacht", [])
        if isinstance(verwacht, str):
            verwacht = [verwacht]
        if not isinstance(verwacht, list) or not all(isinstance(v, str) for v in verwacht):
            raise EvaluatieFout(f'{pad.name} regel {nummer}: "verwacht" is een lijst met sleutels.')
        gemeente = data.get("gemeente") or None
        vragen.append(
            Vraag(
                data["vraag"],
                tuple(verwacht),
                str(gemeente) if gemeente else None,
                str(data.get("categorie") or "algemeen"),
            )
        )
    return vragen


def evalueer(
    vragen: list[Vraag], zoek: Callable[[str, str | None], Zoekresultaat]
) -> tuple[list[Uitkomst], dict[str, Categorie]]:
    """Run every question through ``zoek(vraag, gemeente)``; outcomes and per-category
    numbers (plus ``"totaal"``)."""
    uitkomsten: list[Uitkomst] = []
    categorieen: dict[str, Categorie] = {}
    totaal = Categorie("totaal")
    for vraag in vragen:
        resultaat = zoek(vraag.vraag, vraag.gemeente)
        sleutels = tuple(t.sleutel for t in resultaat.treffers[:10])
        rang = next((i for i, s in enumerate(sleutels, start=1) if s in vraag.verwacht), None)
        uitkomst = Uitkomst(vraag, sleutels, rang, resultaat.geen_goed_antwoord)
        uitkomsten.append(uitkomst)
        categorieen.setdefault(vraag.categorie, Categorie(vraag.categorie)).uitkomsten.append(
            uitkomst
        )
        totaal.uitkomsten.append(uitkomst)
    categorieen["totaal"] = totaal
    return uitkomsten, categorieen
