"""Terugbel queues: mijn notities, mijn team, mijn afdeling, alles — sorted by deadline.

Queues are paged in SQL (the first page is at most a few dozen rows) and come back as light
:class:`WachtrijRegel` rows with the deadline state (te laat / bijna / op tijd), never as ORM
objects. "Pak de volgende" claims the open note with the earliest deadline atomically:
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the ``BEGIN IMMEDIATE`` write lock on SQLite.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import false, func, or_, select, union_all
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import Afdeling, Gemeente, Klant, Medewerker, Team, Terugbelnotitie, TerugbelStatus
from kiss.rollen import mag_wachtrij_sturen, vereis
from kiss.services.naam import naam_delen, vouw
from kiss.services.terugbel_deadline import DeadlineStatus, deadline_staat
from kiss.services.terugbelnotities import (
    ACTIEF,
    Doel,
    DoelSoort,
    TerugbelFout,
    neem,
)
from kiss.validation import ValidatieFout, lijkt_op_telefoon, telefoon_weergave, valideer_telefoon

T = Terugbelnotitie


def _medewerker_naam(kolom: Any) -> Any:
    return (
        select(Medewerker.voornaam + " " + Medewerker.voorvoegsel + " " + Medewerker.achternaam)
        .where(col(Medewerker.id) == kolom)
        .scalar_subquery()
    )


# Names on a page come from small correlated subqueries rather than joins: one lookup per
# shown row, and PostgreSQL does not spend milliseconds planning an eight-way join. Built once.
_NAMEN = (
    select(Gemeente.naam)
    .where(col(Gemeente.id) == T.gemeente_id)
    .scalar_subquery()
    .label("gemeente"),
    select(Afdeling.naam)
    .where(col(Afdeling.id) == T.toegewezen_afdeling_id)
    .scalar_subquery()
    .label("afdeling"),
    select(Team.naam).where(col(Team.id) == T.toegewezen_team_id).scalar_subquery().label("team"),
    _medewerker_naam(T.toegewezen_medewerker_id).label("toegewezen"),
    _medewerker_naam(T.behandelaar_id).label("behandelaar"),
)
EERSTE_PAGINA = 50


class WachtrijSoort(StrEnum):
    MIJN = "mijn"
    TEAM = "team"
    AFDELING = "afdeling"
    ALLES = "alles"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    WachtrijSoort.MIJN: "Mijn notities",
    WachtrijSoort.TEAM: "Mijn team",
    WachtrijSoort.AFDELING: "Mijn afdeling",
    WachtrijSoort.ALLES: "Alles",
}


class GeenWachtrij(TerugbelFout, LookupError):
    """The medewerker has no team/afdeling for this queue; the message says what to do."""


@dataclass(frozen=True)
class WachtrijFilter:
    gemeente: str = ""  # gemeente naam; empty = all
    status: str = ""  # "" = open + in behandeling; or one TerugbelStatus
    toegewezen_aan: Doel | None = None
    zoektekst: str = ""  # phone number in any notation, e-mail, or klant name
    te_laat: bool = False


@dataclass(frozen=True)
class WachtrijRegel:
    id: uuid.UUID
    versie: int
    status: str
    deadline: datetime
    staat: DeadlineStatus
    aangemaakt_op: datetime
    klant_naam: str
    terugbelnummer: str  # as an agent reads it
    gemeente: str
    toegewezen_aan: str
    behandelaar: str
    vraag: str  # first line, shortened
    gewenst_moment: str


@dataclass(frozen=True)
class WachtrijPagina:
    regels: list[WachtrijRegel]
    meer: bool  # another page follows
    offset: int


# ---------------------------------------------------------------------------- conditions


def _afdeling_van(session: Session, door: Medewerker) -> uuid.UUID | None:
    if door.afdeling_id is not None:
        return door.afdeling_id
    if door.team_id is not None:
        team = session.get(Team, door.team_id)
        return team.afdeling_id if team else None
    return None


def _gelijk(kolom: Any, waarde: uuid.UUID | None) -> Any:
    return col(kolom).is_(None) if waarde is None else col(kolom) == waarde


def wachtrij_voorwaarden(
    session: Session, door: Medewerker, soort: WachtrijSoort, filter: WachtrijFilter | None = None
) -> list[Any]:
    """Which notes belong to this queue (before status and search filters)."""
    smal = filter is not None and filter.toegewezen_aan is not None
    if soort == WachtrijSoort.MIJN:
        return [or_(col(T.toegewezen_medewerker_id) == door.id, col(T.behandelaar_id) == door.id)]
    if soort == WachtrijSoort.TEAM:
        if door.team_id is None:
            raise GeenWachtrij(
                "Je hoort (nog) bij geen team; kies 'Mijn afdeling' of 'Mijn notities'."
            )
        return [col(T.toegewezen_team_id) == door.team_id]
    if soort == WachtrijSoort.AFDELING:
        afdeling_id = _afdeling_van(session, door)
        if afdeling_id is None:
            raise GeenWachtrij(
                "Je hoort (nog) bij geen afdeling; vraag de beheerder je te koppelen."
            )
        return [col(T.toegewezen_afdeling_id) == afdeling_id]
    # "alles" narrowed to one afdeling/team/person is that unit's shared queue: anyone may look
    if not smal:
        vereis(mag_wachtrij_sturen(door), "alle terugbelnotities te zien")
    return []


def _doel_voorwaarde(doel: Doel) -> Any:
    if doel.soort == DoelSoort.AFDELING:
        return col(T.toegewezen_afdeling_id) == doel.id
    if doel.soort == DoelSoort.TEAM:
        return col(T.toegewezen_team_id) == doel.id
    return col(T.toegewezen_medewerker_id) == doel.id


_CIJFERS = re.compile(r"\D")


def _telefoon_voorwaarde(tekst: str) -> Any:
    """A full number (any notation) matches its E.164 form exactly; a partial number matches
    as a prefix of the E.164 form (``06 1234`` → ``+316 1234…``)."""
    try:
        e164 = valideer_telefoon(tekst)
    except ValidatieFout:
        cijfers = _CIJFERS.sub("", tekst)
        stripped = tekst.strip()
        if stripped.startswith("+"):
            prefix = "+" + cijfers
        elif cijfers.startswith("00"):
            prefix = "+" + cijfers[2:]
        elif cijfers.startswith("0"):
            prefix = "+31" + cijfers[1:]
        else:
            prefix = "+31" + cijfers
        return or_(
            col(T.terugbelnummer_e164).startswith(prefix, autoescape=True),
            col(T.extra_nummer_e164).startswith(prefix, autoescape=True),
        )
    return or_(col(T.terugbelnummer_e164) == e164, col(T.extra_nummer_e164) == e164)


def _zoek_voorwaarde(tekst: str) -> tuple[Any, bool]:
    """(condition, needs the klant joined)."""
    if lijkt_op_telefoon(tekst):
        return _telefoon_voorwaarde(tekst), False
    if "@" in tekst:
        return func.lower(T.email).contains(tekst.strip().lower(), autoescape=True), False
    delen = naam_delen(tekst)
    if not delen:
        return None, False
    sleutels = {"".join(delen), delen[-1]}
    voorwaarden: list[Any] = [
        col(Klant.naam_sleutel).startswith(sleutel, autoescape=True) for sleutel in sleutels
    ]
    voorwaarden.append(func.lower(Klant.handelsnaam).contains(vouw(tekst.strip()), autoescape=True))
    return or_(*voorwaarden), True


def _voorwaarden(
    session: Session,
    door: Medewerker,
    soort: WachtrijSoort,
    filter: WachtrijFilter,
    nu: datetime,
) -> tuple[list[Any], bool]:
    """Every condition except the status (the page query makes one branch per status)."""
    voorwaarden = wachtrij_voorwaarden(session, door, soort, filter)
    if filter.toegewezen_aan is not None:
        voorwaarden.append(_doel_voorwaarde(filter.toegewezen_aan))
    if filter.gemeente:
        gemeente_id = session.execute(
            select(Gemeente.id).where(Gemeente.naam == filter.gemeente)
        ).scalar_one_or_none()
        voorwaarden.append(_gelijk(T.gemeente_id, gemeente_id) if gemeente_id else false())
    if filter.te_laat:
        if filter.status == TerugbelStatus.AFGEHANDELD:
            voorwaarden.append(col(T.afgehandeld_op) > col(T.deadline))
        else:
            voorwaarden.append(col(T.deadline) < nu)
    klant_nodig = False
    if filter.zoektekst.strip():
        voorwaarde, klant_nodig = _zoek_voorwaarde(filter.zoektekst)
        if voorwaarde is not None:
            voorwaarden.append(voorwaarde)
    return voorwaarden, klant_nodig


# ---------------------------------------------------------------------------- queue


def wachtrij(
    session: Session,
    door: Medewerker,
    soort: WachtrijSoort | str,
    filter: WachtrijFilter | None = None,
    *,
    nu: datetime,
    settings: Settings,
    limit: int = EERSTE_PAGINA,
    offset: int = 0,
) -> WachtrijPagina:
    """One page of a queue, earliest deadline first (closed notes: latest first)."""
    soort = WachtrijSoort(soort)
    filter = filter or WachtrijFilter()
    limit = max(1, min(limit, 500))
    voorwaarden, klant_nodig = _voorwaarden(session, door, soort, filter, nu)
    aflopend = filter.status == TerugbelStatus.AFGEHANDELD
    statussen = [filter.status] if filter.status else list(ACTIEF)

    def tak(status: str) -> Any:
        """One status, in index order (status is part of every queue index), limited: the
        database reads about one page per status instead of sorting the whole queue."""
        ids = select(T.id, T.deadline).where(*voorwaarden, col(T.status) == status)
        if klant_nodig:
            ids = ids.join(Klant, col(Klant.id) == T.klant_id)
        volgorde = (col(T.deadline).desc(), col(T.id).desc()) if aflopend else (T.deadline, T.id)
        return ids.order_by(*volgorde).limit(offset + limit + 1).subquery()

    takken = [tak(status) for status in statussen]
    bron = (
        takken[0]
        if len(takken) == 1
        else union_all(*(select(t.c.id, t.c.deadline) for t in takken)).subquery()
    )
    volgorde = (
        (bron.c.deadline.desc(), bron.c.id.desc()) if aflopend else (bron.c.deadline, bron.c.id)
    )
    pagina = (
        select(bron.c.id, bron.c.deadline)
        .order_by(*volgorde)
        .limit(limit + 1)
        .offset(offset)
        .subquery("pagina")
    )
    rows = session.execute(
        select(
            T.id,
            T.versie,
            T.status,
            T.deadline,
            T.aangemaakt_op,
            T.afgehandeld_op,
            T.terugbelnummer,
            T.terugbelnummer_e164,
            T.vraag,
            T.gewenst_moment,
            Klant.soort,
            Klant.voornamen,
            Klant.voorvoegsel,
            Klant.achternaam,
            Klant.handelsnaam,
            *_NAMEN,
        )
        .join(pagina, pagina.c.id == T.id)
        .outerjoin(Klant, col(Klant.id) == T.klant_id)
        .order_by(*((pagina.c.deadline.desc(), T.id) if aflopend else (pagina.c.deadline, T.id)))
    ).all()
    meer = len(rows) > limit
    regels = [
        WachtrijRegel(
            id=r.id,
            versie=r.versie,
            status=r.status,
            deadline=r.deadline,
            staat=deadline_staat(r.deadline, nu, settings, r.afgehandeld_op),
            aangemaakt_op=r.aangemaakt_op,
            klant_naam=_klant_naam(r),
            terugbelnummer=_nummer_weergave(r.terugbelnummer_e164)
            if r.terugbelnummer_e164
            else r.terugbelnummer,
            gemeente=r.gemeente or "",
            toegewezen_aan=_doel(r),
            behandelaar=_naam(r.behandelaar),
            vraag=_eerste_regel(r.vraag),
            gewenst_moment=r.gewenst_moment,
        )
        for r in rows[:limit]
    ]
    return WachtrijPagina(regels, meer, offset)


_nummer_weergave = lru_cache(maxsize=8192)(telefoon_weergave)
"""Formatting a number costs ~0.1 ms; a queue shows the same numbers over and over."""


def _naam(samengevoegd: str | None) -> str:
    return " ".join(samengevoegd.split()) if samengevoegd else ""


def _doel(row: Any) -> str:
    if row.toegewezen:
        return _naam(row.toegewezen)
    if row.team is not None:
        return f"team {row.team}"
    if row.afdeling is not None:
        return f"afdeling {row.afdeling}"
    return ""


def _klant_naam(row: Any) -> str:
    if row.soort is None:
        return ""
    if row.soort == "organisatie":
        return str(row.handelsnaam)
    return " ".join(p for p in (row.voornamen, row.voorvoegsel, row.achternaam) if p)


def _eerste_regel(tekst: str, lengte: int = 80) -> str:
    regel = tekst.strip().splitlines()[0] if tekst.strip() else ""
    return regel if len(regel) <= lengte else regel[: lengte - 1] + "…"


@dataclass(frozen=True)
class Telling:
    actief: int
    te_laat: int


def tellingen(
    session: Session, door: Medewerker, nu: datetime
) -> dict[WachtrijSoort, Telling | None]:
    """Active and overdue counts per queue this medewerker can see (None: not available)."""
    uitkomst: dict[WachtrijSoort, Telling | None] = {}
    for soort in WachtrijSoort:
        try:
            voorwaarden = wachtrij_voorwaarden(session, door, soort)
        except (GeenWachtrij, PermissionError):
            uitkomst[soort] = None
            continue
        actief, te_laat = session.execute(
            select(
                func.count(),
                func.count().filter(col(T.deadline) < nu),
            ).where(*voorwaarden, col(T.status).in_(list(ACTIEF)))
        ).one()
        uitkomst[soort] = Telling(int(actief), int(te_laat))
    return uitkomst


# ---------------------------------------------------------------------------- pak de volgende


def pak_volgende(
    session: Session,
    door: Medewerker,
    soort: WachtrijSoort | str,
    nu: datetime,
    filter: WachtrijFilter | None = None,
) -> uuid.UUID | None:
    """Claim the open note with the earliest deadline in this queue and return its id, or
    None when the queue has nothing open for me. Notes personally assigned to a colleague are
    left alone. One short transaction: the caller commits at once."""
    soort = WachtrijSoort(soort)
    filter = filter or WachtrijFilter()
    voorwaarden = wachtrij_voorwaarden(session, door, soort, filter)
    voorwaarden.append(col(T.status) == TerugbelStatus.OPEN)
    if soort != WachtrijSoort.MIJN:
        voorwaarden.append(
            or_(
                col(T.toegewezen_medewerker_id).is_(None),
                col(T.toegewezen_medewerker_id) == door.id,
            )
        )
    if filter.toegewezen_aan is not None:
        voorwaarden.append(_doel_voorwaarde(filter.toegewezen_aan))
    for _ in range(20):  # only PostgreSQL can lose a race here, and then rarely twice
        kandidaat = session.execute(
            select(T.id)
            .where(*voorwaarden)
            .order_by(T.deadline)  # index order: no sort, SKIP LOCKED stops early
            .limit(1)
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if kandidaat is None:
            return None
        if neem(session, door, kandidaat, nu):
            return kandidaat
    return None
