"""Presence in the smoelenboek: is a colleague in today, and who stands in for them.

One function decides (:func:`aanwezigheid`) for a given local date:

* ``uit dienst`` — no longer active (left the organisation; kept for history);
* ``afwezig`` — the date lies within ``afwezig_van`` … ``afwezig_tot`` (either end may be open);
* ``niet op werkdag`` — the weekday is not one of the ``werkdagen`` (``ma;di;wo;do;vr``);
* otherwise ``aanwezig``.

:func:`kies_vervanger` follows the vervanger chain to the first colleague who is in, skipping
absent vervangers and stopping at a cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

WERKDAG_CODES = ("ma", "di", "wo", "do", "vr", "za", "zo")
WERKDAG_NAMEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MAX_ZOEKDAGEN = 366


class Status(StrEnum):
    AANWEZIG = "aanwezig"
    AFWEZIG = "afwezig"
    NIET_OP_WERKDAG = "niet op werkdag"
    UIT_DIENST = "uit dienst"


MARKERS = {
    Status.AANWEZIG: "●",
    Status.AFWEZIG: "✕",
    Status.NIET_OP_WERKDAG: "○",
    Status.UIT_DIENST: "–",
}


class Aanwezigheidsgegevens(Protocol):
    """What presence needs; both the table row and the search snapshot provide it."""

    @property
    def werkdagen(self) -> str: ...
    @property
    def afwezig_van(self) -> date | None: ...
    @property
    def afwezig_tot(self) -> date | None: ...
    @property
    def afwezig_reden(self) -> str: ...
    @property
    def actief(self) -> bool: ...


class MetVervanger(Aanwezigheidsgegevens, Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def vervanger_id(self) -> uuid.UUID | None: ...


@dataclass(frozen=True)
class Aanwezigheid:
    status: Status
    tekst: str  # Dutch, ready to show: "afwezig tot 12-06-2026 (vakantie)"
    terug_op: date | None = None  # first day in again, where known
    binnenkort_afwezig: date | None = None  # an announced absence starting after the date

    @property
    def aanwezig(self) -> bool:
        return self.status == Status.AANWEZIG

    @property
    def marker(self) -> str:
        return MARKERS[self.status]

    @property
    def kort(self) -> str:
        """For a list row, where the card has room for :attr:`tekst`: "afwezig, terug 15-06"."""
        if self.status == Status.AANWEZIG and self.binnenkort_afwezig is not None:
            return f"aanwezig, weg vanaf {self.binnenkort_afwezig:%d-%m}"
        if self.status in (Status.AFWEZIG, Status.NIET_OP_WERKDAG):
            woord = "afwezig" if self.status == Status.AFWEZIG else "vrij vandaag"
            return f"{woord}, terug {self.terug_op:%d-%m}" if self.terug_op else woord
        return self.status.value


def werkdag_indexen(werkdagen: str) -> frozenset[int]:
    """``ma;di;do`` → {0, 1, 3}; unknown codes are ignored (the import validates them)."""
    codes = {d.strip().lower() for d in werkdagen.replace(",", ";").split(";") if d.strip()}
    return frozenset(i for i, code in enumerate(WERKDAG_CODES) if code in codes)


def werkdagen_tekst(werkdagen: str) -> str:
    """``ma;di;do`` → ``ma, di, do``; empty → ``geen vaste werkdagen``."""
    indexen = sorted(werkdag_indexen(werkdagen))
    return ", ".join(WERKDAG_CODES[i] for i in indexen) or "geen vaste werkdagen"


def _afwezig_op(m: Aanwezigheidsgegevens, dag: date) -> bool:
    if m.afwezig_van is None and m.afwezig_tot is None:
        return False
    if m.afwezig_van is not None and dag < m.afwezig_van:
        return False
    return not (m.afwezig_tot is not None and dag > m.afwezig_tot)


def _eerste_dag_in(m: Aanwezigheidsgegevens, vanaf: date) -> date | None:
    """The first date on or after ``vanaf`` that is a werkdag and not within the absence."""
    dagen = werkdag_indexen(m.werkdagen)
    if not dagen:
        return None
    dag = vanaf
    for _ in range(_MAX_ZOEKDAGEN):
        if dag.weekday() in dagen and not _afwezig_op(m, dag):
            return dag
        dag += timedelta(days=1)
    return None


def _kort(dag: date) -> str:
    return f"{WERKDAG_NAMEN[dag.weekday()][:2]} {dag:%d-%m-%Y}"


def aanwezigheid(m: Aanwezigheidsgegevens, dag: date) -> Aanwezigheid:
    """Presence of one colleague on a local date (Europe/Amsterdam calendar day)."""
    if not m.actief:
        return Aanwezigheid(Status.UIT_DIENST, "niet meer in dienst")
    reden = f" ({m.afwezig_reden})" if m.afwezig_reden else ""
    if _afwezig_op(m, dag):
        if m.afwezig_tot is None:
            return Aanwezigheid(Status.AFWEZIG, f"afwezig, einddatum onbekend{reden}")
        terug = _eerste_dag_in(m, m.afwezig_tot + timedelta(days=1))
        terug_tekst = f", terug {_kort(terug)}" if terug else ""
        return Aanwezigheid(
            Status.AFWEZIG,
            f"afwezig tot en met {m.afwezig_tot:%d-%m-%Y}{reden}{terug_tekst}",
            terug,
        )
    dagen = werkdag_indexen(m.werkdagen)
    if dag.weekday() not in dagen:
        terug = _eerste_dag_in(m, dag + timedelta(days=1))
        terug_tekst = f", weer op {_kort(terug)}" if terug else ""
        return Aanwezigheid(
            Status.NIET_OP_WERKDAG,
            f"werkt niet op {WERKDAG_NAMEN[dag.weekday()]} "
            f"(werkdagen {werkdagen_tekst(m.werkdagen)}){terug_tekst}",
            terug,
        )
    binnenkort = m.afwezig_van if m.afwezig_van and m.afwezig_van > dag else None
    if binnenkort is not None and (binnenkort - dag).days <= 14:
        return Aanwezigheid(
            Status.AANWEZIG, f"aanwezig (afwezig vanaf {binnenkort:%d-%m-%Y}{reden})", None,
            binnenkort,
        )  # fmt: skip
    return Aanwezigheid(Status.AANWEZIG, "aanwezig")


@dataclass(frozen=True)
class VervangerKeuze:
    """The first stand-in who is in, and the chain members skipped on the way."""

    vervanger: MetVervanger | None
    overgeslagen: list[tuple[MetVervanger, Aanwezigheid]] = field(default_factory=list)


def kies_vervanger(
    medewerker: MetVervanger, haal: Callable[[uuid.UUID], MetVervanger | None], dag: date
) -> VervangerKeuze:
    """Follow ``vervanger_id`` to the first colleague present on ``dag``.

    Absent (or off-duty, or departed) vervangers are skipped and their own vervanger is tried;
    a cycle (A → B → A) or a missing link ends the search without a stand-in."""
    gezien = {medewerker.id}
    overgeslagen: list[tuple[MetVervanger, Aanwezigheid]] = []
    volgende = medewerker.vervanger_id
    while volgende is not None and volgende not in gezien:
        gezien.add(volgende)
        kandidaat = haal(volgende)
        if kandidaat is None:
            break
        stand = aanwezigheid(kandidaat, dag)
        if stand.aanwezig:
            return VervangerKeuze(kandidaat, overgeslagen)
        overgeslagen.append((kandidaat, stand))
        volgende = kandidaat.vervanger_id
    return VervangerKeuze(None, overgeslagen)
