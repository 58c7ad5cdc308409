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
from kiss.services.terugbel.deadline import DeadlineStatus, deadline_staat
from kiss.services.terugbel.terugbelnotities import (
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


def wachtrij_delen(
    session: Session, door: Medewerker, soort: WachtrijSoort, filter: WachtrijFilter | None = None
) -> list[list[Any]]:
    """Which notes belong to this queue (before status and search filters), as disjoint
    parts whose union is the queue; each part is a plain AND that one index serves.

    "Mijn notities" is two parts (assigned to me; handled by me but assigned elsewhere)
    rather than "a OR b", which SQLite without table statistics would answer by walking every
    active note."""
    smal = filter is not None and filter.toegewezen_aan is not None
    if soort == WachtrijSoort.MIJN:
        return [
            [col(T.toegewezen_medewerker_id) == door.id],
            [
                col(T.behandelaar_id) == door.id,
                or_(
                    col(T.toegewezen_medewerker_id).is_(None),
                    col(T.toegewezen_medewerker_id) != door.id,
                ),
            ],
        ]
    if soort == WachtrijSoort.TEAM:
        if door.team_id is None:
            raise GeenWachtrij(
                "Je hoort (nog) bij geen team; kies 'Mijn afdeling' of 'Mijn notities'."
            )
        return [[col(T.toegewezen_team_id) == door.team_id]]
    if soort == WachtrijSoort.AFDELING:
        afdeling_id = _afdeling_van(session, door)
        if afdeling_id is None:
            raise GeenWachtrij(
                "Je hoort (nog) bij geen afdeling; vraag de beheerder je te koppelen."
            )
        return [[col(T.toegewezen_afdeling_id) == afdeling_id]]
    # "alles" narrowed to one afdeling/team/person is that unit's shared queue: anyone may look
    if not smal:
        vereis(mag_wachtrij_sturen(door), "alle terugbelnotities te zien")
    return [[]]


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


def _zoek_voorwaarde(tekst: str) -> Any:
    """Phone number (any notation), e-mail, or the klant's name.

    The name is checked per note through a correlated subquery on the klant's primary key:
    a queue holds a few hundred notes, while scanning every klant for a name would grow
    with the whole municipality."""
    if lijkt_op_telefoon(tekst):
        return _telefoon_voorwaarde(tekst)
    if "@" in tekst:
        return func.lower(T.email).contains(tekst.strip().lower(), autoescape=True)
    delen = naam_delen(tekst)
    if not delen:
        return None
    sleutels = {"".join(delen), delen[-1]}
    naam = or_(
        *(col(Klant.naam_sleutel).startswith(sleutel, autoescape=True) for sleutel in sleutels),
        func.lower(Klant.handelsnaam).contains(vouw(tekst.strip()), autoescape=True),
    )
    return select(naam).where(col(Klant.id) == T.klant_id).correlate(T).scalar_subquery()


def _voorwaarden(
    session: Session,
    door: Medewerker,
    soort: WachtrijSoort,
    filter: WachtrijFilter,
    nu: datetime,
) -> list[list[Any]]:
    """Per part of the queue, every condition except the status (the page query makes one
    branch per part and status)."""
    delen = wachtrij_delen(session, door, soort, filter)
    voorwaarden: list[Any] = []
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
    if filter.zoektekst.strip():
        voorwaarde = _zoek_voorwaarde(filter.zoektekst)
        if voorwaarde is not None:
            voorwaarden.append(voorwaarde)
    return [[*deel, *voorwaarden] for deel in delen]


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
    delen = _voorwaarden(session, door, soort, filter, nu)
    aflopend = filter.status == TerugbelStatus.AFGEHANDELD
    statussen = [filter.status] if filter.status else list(ACTIEF)

    if soort == WachtrijSoort.MIJN:
        pagina = _persoonlijke_pagina(session, delen, statussen, aflopend, limit, offset)
    else:
        pagina = _pagina(delen, statussen, aflopend, limit, offset)
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


def _pagina(
    delen: list[list[Any]],
    statussen: list[str],
    aflopend: bool,
    limit: int,
    offset: int,
) -> Any:
    """The ids and deadlines of one page, as a subquery. One branch per part and status, each
    in index order (status is part of every queue index) and limited: the database reads
    about one page per branch instead of sorting the whole queue."""

    def tak(voorwaarden: list[Any], status: str) -> Any:
        ids = select(T.id, T.deadline).where(*voorwaarden, col(T.status) == status)
        volgorde = (col(T.deadline).desc(), col(T.id).desc()) if aflopend else (T.deadline, T.id)
        return ids.order_by(*volgorde).limit(offset + limit + 1).subquery()

    takken = [tak(deel, status) for deel in delen for status in statussen]
    bron = (
        takken[0]
        if len(takken) == 1
        else union_all(*(select(t.c.id, t.c.deadline) for t in takken)).subquery()
    )
    volgorde = (
        (bron.c.deadline.desc(), bron.c.id.desc()) if aflopend else (bron.c.deadline, bron.c.id)
    )
    return (
        select(bron.c.id, bron.c.deadline)
        .order_by(*volgorde)
        .limit(limit + 1)
        .offset(offset)
        .subquery("pagina")
    )


def _persoonlijke_pagina(
    session: Session,
    delen: list[list[Any]],
    statussen: list[str],
    aflopend: bool,
    limit: int,
    offset: int,
) -> Any:
    """A personal queue is small: fetch its ids through the person's own indexes (no ORDER
    BY, which would tempt SQLite to walk the status index in deadline order) and page here."""
    takken = [select(T.id, T.deadline).where(*deel, col(T.status).in_(statussen)) for deel in delen]
    alle = sorted(
        session.execute(union_all(*takken)).all(),
        key=lambda r: (r.deadline, r.id),
        reverse=aflopend,
    )
    gekozen = [r.id for r in alle[offset : offset + limit + 1]]
    return select(T.id, T.deadline).where(col(T.id).in_(gekozen)).subquery("pagina")


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
            delen = wachtrij_delen(session, door, soort)
        except (GeenWachtrij, PermissionError):
            uitkomst[soort] = None
            continue
        actief = te_laat = 0
        for deel in delen:  # disjoint parts: the counts add up
            n, laat = session.execute(
                select(
                    func.count(),
                    func.count().filter(col(T.deadline) < nu),
                ).where(*deel, col(T.status).in_(list(ACTIEF)))
            ).one()
            actief, te_laat = actief + int(n), te_laat + int(laat)
        uitkomst[soort] = Telling(actief, te_laat)
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
    voorwaarden: list[Any] = [
        col(T.status) == TerugbelStatus.OPEN,
        or_(col(T.toegewezen_medewerker_id).is_(None), col(T.toegewezen_medewerker_id) == door.id),
    ]
    if filter.toegewezen_aan is not None:
        voorwaarden.append(_doel_voorwaarde(filter.toegewezen_aan))
    delen = wachtrij_delen(session, door, soort, filter)
    for _ in range(20):  # only PostgreSQL can lose a race here, and then rarely twice
        kandidaten = []
        for deel in delen:  # open notes have no behandelaar: "mijn" has one non-empty part
            rij = session.execute(
                select(T.id, T.deadline)
                .where(*deel, *voorwaarden)
                .order_by(T.deadline)  # index order: no sort, SKIP LOCKED stops early
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if rij is not None:
                kandidaten.append(rij)
        if not kandidaten:
            return None
        kandidaat = min(kandidaten, key=lambda r: r.deadline).id
        if neem(session, door, kandidaat, nu):
            return kandidaat
    return None
