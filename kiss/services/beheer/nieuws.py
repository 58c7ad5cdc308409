"""Nieuws en werkinstructies: items redacteuren write for the agents.

An item is shown between ``publiceren_van`` and ``publiceren_tot`` to its doelgroep: every
medewerker when ``skills`` is empty, else those with one of the skills among their rollen or
expertise. Opening an item marks it read for that medewerker; "alles gelezen" marks the
non-belangrijk items only (a belangrijk item must be opened). The header counts the unread
belangrijk items; a teamlead sees per belangrijk item who in the doelgroep has not read it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from kiss.models import Medewerker, NieuwsGelezen, NieuwsItem, NieuwsSoort
from kiss.models.base import veldlengte
from kiss.rollen import mag_artikel_bewerken, mag_wachtrij_sturen, vereis
from kiss.validation import InvoerFouten

NIEUWS_SOORTEN = tuple(s.value for s in NieuwsSoort)


@dataclass(frozen=True)
class NieuwsInvoer:
    """What a redacteur typed."""

    titel: str
    tekst: str = ""
    soort: str = NieuwsSoort.NIEUWS
    belangrijk: bool = False
    publiceren_van: datetime | None = None  # None: now
    publiceren_tot: datetime | None = None
    skills: tuple[str, ...] = ()
    gemeente: str = ""


@dataclass(frozen=True)
class NieuwsRegel:
    id: uuid.UUID
    soort: str
    titel: str
    tekst: str
    belangrijk: bool
    publiceren_van: datetime
    publiceren_tot: datetime | None
    skills: tuple[str, ...]
    gemeente: str
    gelezen: bool = False


@dataclass(frozen=True)
class NieuwsStand:
    """What the header and the start screen need to know whether to redraw."""

    ongelezen_belangrijk: int
    sleutel: tuple[object, ...] = field(default=())  # changes when the visible list changes


def _skills(tekst: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in tekst.split(";") if s.strip())


def _regel(item: NieuwsItem, gelezen: bool = False) -> NieuwsRegel:
    return NieuwsRegel(
        item.id, item.soort, item.titel, item.tekst, item.belangrijk, item.publiceren_van,
        item.publiceren_tot, _skills(item.skills), item.gemeente, gelezen,
    )  # fmt: skip


def _kenmerken(medewerker: Medewerker) -> set[str]:
    return {r.casefold() for r in medewerker.rollenset} | {
        e.casefold() for e in _skills(medewerker.expertise)
    }


def voor_doelgroep(skills: tuple[str, ...], medewerker: Medewerker | None) -> bool:
    """An item is for everyone (no skills), or for a medewerker with one of its skills among
    their rollen or expertise (nobody known: only the items for everyone)."""
    if not skills:
        return True
    return medewerker is not None and bool({s.casefold() for s in skills} & _kenmerken(medewerker))


def _zichtbaar(nu: datetime) -> list[object]:
    return [
        col(NieuwsItem.verwijderd_op).is_(None),
        col(NieuwsItem.publiceren_van) <= nu,
        or_(col(NieuwsItem.publiceren_tot).is_(None), col(NieuwsItem.publiceren_tot) > nu),
    ]


# ---- writing (redacteur) ---------------------------------------------------------------------


def _controleer(invoer: NieuwsInvoer, gemeenten: tuple[str, ...] | None) -> None:
    fouten: dict[str, str] = {}
    titel_max = veldlengte(NieuwsItem, "titel")
    tekst_max = veldlengte(NieuwsItem, "tekst")
    if not invoer.titel.strip():
        fouten["titel"] = "Geef het bericht een titel."
    elif len(invoer.titel) > titel_max:
        fouten["titel"] = f"Hoogstens {titel_max} tekens (nu {len(invoer.titel)})."
    if len(invoer.tekst) > tekst_max:
        fouten["tekst"] = f"Hoogstens {tekst_max} tekens (nu {len(invoer.tekst)})."
    if invoer.soort not in NIEUWS_SOORTEN:
        fouten["soort"] = f"Kies {' of '.join(NIEUWS_SOORTEN)}."
    if (
        invoer.publiceren_van is not None
        and invoer.publiceren_tot is not None
        and invoer.publiceren_tot <= invoer.publiceren_van
    ):
        fouten["publiceren_tot"] = "Het einde van de publicatie ligt na het begin."
    if invoer.gemeente and gemeenten is not None and invoer.gemeente not in gemeenten:
        fouten["gemeente"] = f"Onbekende gemeente; kies uit {', '.join(gemeenten)} of leeg."
    if len(";".join(invoer.skills)) > veldlengte(NieuwsItem, "skills"):
        fouten["skills"] = "Te veel skills."
    if fouten:
        raise InvoerFouten(fouten)


def _wijzigmoment(session: Session, nu: datetime) -> datetime:
    """``nu``, but always after the last change of any item: the newest change moment then
    tells every reader (the kennisbank index of each agent) that something changed, even
    when a clock lags or stands still."""
    laatste = session.execute(select(func.max(NieuwsItem.gewijzigd_op))).scalar_one_or_none()
    if isinstance(laatste, str):  # SQLite aggregate returns the stored text
        laatste = datetime.fromisoformat(laatste)
    if laatste is not None and laatste.tzinfo is None:
        laatste = laatste.replace(tzinfo=UTC)
    return nu if laatste is None or nu > laatste else laatste + timedelta(microseconds=1)


def bewaar(
    session: Session,
    door: Medewerker,
    invoer: NieuwsInvoer,
    *,
    nu: datetime,
    item_id: uuid.UUID | None = None,
    gemeenten: tuple[str, ...] | None = None,
) -> NieuwsRegel:
    """Write a new item, or change one (redacteur or beheerder). A changed belangrijk item
    counts as unread again for everyone."""
    vereis(mag_artikel_bewerken(door), "nieuws en werkinstructies te schrijven")
    _controleer(invoer, gemeenten)
    item = session.get(NieuwsItem, item_id) if item_id else None
    if item_id is not None and (item is None or item.verwijderd_op is not None):
        raise LookupError("Dit bericht bestaat niet meer.")
    if item is None:
        item = NieuwsItem(titel=invoer.titel, auteur_id=door.id, aangemaakt_op=nu)
    item.titel = invoer.titel.strip()
    item.tekst = invoer.tekst
    item.soort = invoer.soort
    item.belangrijk = invoer.belangrijk
    item.publiceren_van = invoer.publiceren_van or item.publiceren_van or nu
    item.publiceren_tot = invoer.publiceren_tot
    item.skills = ";".join(s.strip() for s in invoer.skills if s.strip())
    item.gemeente = invoer.gemeente
    item.gewijzigd_op = _wijzigmoment(session, nu)
    session.add(item)
    session.flush()
    return _regel(item)


def verwijder(session: Session, door: Medewerker, item_id: uuid.UUID, *, nu: datetime) -> None:
    vereis(mag_artikel_bewerken(door), "nieuws en werkinstructies te verwijderen")
    item = session.get(NieuwsItem, item_id)
    if item is not None and item.verwijderd_op is None:
        item.verwijderd_op = nu
        item.gewijzigd_op = _wijzigmoment(session, nu)
        session.add(item)


def redactie(session: Session, door: Medewerker, limit: int = 200) -> list[NieuwsRegel]:
    """Every item that is not removed, also future and past ones (for the redactie)."""
    vereis(mag_artikel_bewerken(door), "nieuws en werkinstructies te beheren")
    items = session.execute(
        select(NieuwsItem)
        .where(col(NieuwsItem.verwijderd_op).is_(None))
        .order_by(col(NieuwsItem.publiceren_van).desc())
        .limit(limit)
    ).scalars()
    return [_regel(i) for i in items]


# ---- reading (every agent) -------------------------------------------------------------------


def _gelezen_ids(session: Session, medewerker: Medewerker, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    return set(
        session.execute(
            select(NieuwsGelezen.item_id).where(
                NieuwsGelezen.medewerker_id == medewerker.id, col(NieuwsGelezen.item_id).in_(ids)
            )
        ).scalars()
    )


def voor_mij(
    session: Session, medewerker: Medewerker, *, nu: datetime, limit: int = 100
) -> list[NieuwsRegel]:
    """The items published now for this medewerker: unread belangrijk first, then belangrijk,
    then the newest."""
    items = [
        i
        for i in session.execute(
            select(NieuwsItem)
            .where(*_zichtbaar(nu))
            .order_by(col(NieuwsItem.publiceren_van).desc())
            .limit(limit * 3)
        ).scalars()
        if voor_doelgroep(_skills(i.skills), medewerker)
    ][:limit]
    gelezen = _gelezen_ids(session, medewerker, [i.id for i in items])
    regels = [_regel(i, i.id in gelezen) for i in items]
    return sorted(
        regels,
        key=lambda r: (not (r.belangrijk and not r.gelezen), not r.belangrijk,
                       -r.publiceren_van.timestamp()),
    )  # fmt: skip


def stand(session: Session, medewerker: Medewerker, *, nu: datetime) -> NieuwsStand:
    """The unread belangrijk count and a key that changes with the visible list (cheap: ids
    and change times only)."""
    rijen = session.execute(
        select(NieuwsItem.id, NieuwsItem.belangrijk, NieuwsItem.skills, NieuwsItem.gewijzigd_op)
        .where(*_zichtbaar(nu))
    ).all()  # fmt: skip
    mijn = [r for r in rijen if voor_doelgroep(_skills(r.skills), medewerker)]
    gelezen = _gelezen_ids(session, medewerker, [r.id for r in mijn])
    ongelezen = sum(1 for r in mijn if r.belangrijk and r.id not in gelezen)
    sleutel = tuple(sorted((str(r.id), r.gewijzigd_op.isoformat(), r.id in gelezen) for r in mijn))
    return NieuwsStand(ongelezen, sleutel)


def markeer_gelezen(
    session: Session, medewerker: Medewerker, item_id: uuid.UUID, *, nu: datetime
) -> NieuwsRegel:
    """Opening an item marks it read (again opening changes nothing)."""
    item = session.get(NieuwsItem, item_id)
    if item is None or item.verwijderd_op is not None:
        raise LookupError("Dit bericht bestaat niet meer.")
    _lees(session, medewerker, [item_id], nu)
    return _regel(item, True)


def _lees(session: Session, medewerker: Medewerker, ids: list[uuid.UUID], nu: datetime) -> int:
    nieuw = [i for i in ids if i not in _gelezen_ids(session, medewerker, ids)]
    for item_id in nieuw:
        try:
            with session.begin_nested():
                session.add(NieuwsGelezen(item_id=item_id, medewerker_id=medewerker.id,
                                          gelezen_op=nu))  # fmt: skip
                session.flush()
        except IntegrityError:
            continue  # the same medewerker in a second window, at the same moment
    return len(nieuw)


def markeer_alles_gelezen(session: Session, medewerker: Medewerker, *, nu: datetime) -> int:
    """Every non-belangrijk item shown to this medewerker marked read; belangrijk items stay
    unread until opened. Returns how many were marked."""
    ids = [r.id for r in voor_mij(session, medewerker, nu=nu, limit=500) if not r.belangrijk]
    return _lees(session, medewerker, ids, nu)


# ---- the teamlead's view -------------------------------------------------------------------


@dataclass(frozen=True)
class NietGelezen:
    item: NieuwsRegel
    gelezen: int
    niet_gelezen: list[str]  # names, sorted


def niet_gelezen(
    session: Session, door: Medewerker, *, nu: datetime, limit: int = 50
) -> list[NietGelezen]:
    """Per belangrijk item published now: who in its doelgroep (active medewerkers) has not
    read it yet. For teamleads and beheerders."""
    vereis(mag_wachtrij_sturen(door), "te zien wie een bericht nog niet las")
    items = list(
        session.execute(
            select(NieuwsItem)
            .where(*_zichtbaar(nu), col(NieuwsItem.belangrijk).is_(True))
            .order_by(col(NieuwsItem.publiceren_van).desc())
            .limit(limit)
        ).scalars()
    )
    if not items:
        return []
    medewerkers = list(
        session.execute(select(Medewerker).where(col(Medewerker.actief).is_(True))).scalars()
    )
    gelezen: dict[uuid.UUID, set[uuid.UUID]] = {}
    for item_id, medewerker_id in session.execute(
        select(NieuwsGelezen.item_id, NieuwsGelezen.medewerker_id).where(
            col(NieuwsGelezen.item_id).in_([i.id for i in items])
        )
    ):
        gelezen.setdefault(item_id, set()).add(medewerker_id)
    uit = []
    for item in items:
        doelgroep = [m for m in medewerkers if voor_doelgroep(_skills(item.skills), m)]
        las = gelezen.get(item.id, set())
        uit.append(
            NietGelezen(
                _regel(item),
                sum(1 for m in doelgroep if m.id in las),
                sorted(m.naam for m in doelgroep if m.id not in las),
            )
        )
    return uit


def aantal_gelezen(session: Session, item_id: uuid.UUID) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(NieuwsGelezen)
            .where(and_(NieuwsGelezen.item_id == item_id))
        ).scalar_one()
    )


# ---- a source for the kennisbank search ----------------------------------------------------


SLEUTEL_VOORVOEGSEL = "nieuws:"  # search document keys of items: "nieuws:<id>"


def vingerafdruk(session: Session) -> str:
    """Changes with every write of any item (see :func:`_wijzigmoment`): one cheap query."""
    aantal, nieuwste = session.execute(
        select(func.count(), func.max(NieuwsItem.gewijzigd_op))
    ).one()
    return f"{int(aantal)}|{nieuwste}"


def wijzigingen(session: Session) -> dict[uuid.UUID, str]:
    """Every item that is not removed with its version (changes with every edit), for an index
    that re-indexes only what changed."""
    return {
        i: g.isoformat() if isinstance(g, datetime) else str(g)
        for i, g in session.execute(
            select(NieuwsItem.id, NieuwsItem.gewijzigd_op).where(
                col(NieuwsItem.verwijderd_op).is_(None)
            )
        )
    }


@dataclass(frozen=True)
class ZoekbaarItem:
    """An item as a search document: ``sleutel`` is stable per item, ``versie`` changes with
    every edit (so an index re-indexes only what changed). Indexed whatever its publish window;
    :func:`zichtbaar_voor` decides at query time who sees it."""

    id: uuid.UUID
    sleutel: str  # "nieuws:<id>"
    versie: str
    titel: str
    tekst: str
    soort: str
    gemeente: str


def zoekbare_items(session: Session, ids: list[uuid.UUID]) -> list[ZoekbaarItem]:
    """These items (removed ones left out), for the kennisbank search to index next to the
    articles (a werkinstructie can then be the bron of a question)."""
    if not ids:
        return []
    return [
        ZoekbaarItem(
            i.id,
            f"{SLEUTEL_VOORVOEGSEL}{i.id}",
            i.gewijzigd_op.isoformat(),
            i.titel,
            i.tekst,
            i.soort,
            i.gemeente,
        )
        for i in session.execute(
            select(NieuwsItem).where(
                col(NieuwsItem.id).in_(ids), col(NieuwsItem.verwijderd_op).is_(None)
            )
        ).scalars()
    ]


def zichtbaar_voor(
    session: Session, ids: list[uuid.UUID], medewerker: Medewerker | None, *, nu: datetime
) -> set[uuid.UUID]:
    """Those of ``ids`` the start screen shows this medewerker now: published at ``nu`` and
    for their doelgroep (the same rule as :func:`voor_mij`; nobody known: items for everyone)."""
    if not ids:
        return set()
    rijen = session.execute(
        select(NieuwsItem.id, NieuwsItem.skills).where(col(NieuwsItem.id).in_(ids), *_zichtbaar(nu))
    ).all()
    return {r.id for r in rijen if voor_doelgroep(_skills(r.skills), medewerker)}


def lees_item(
    session: Session, item_id: uuid.UUID, medewerker: Medewerker | None, *, nu: datetime
) -> NieuwsRegel:
    """One item as the kennisbank reader shows it, if this medewerker may see it now."""
    item = session.get(NieuwsItem, item_id)
    if item is None or item_id not in zichtbaar_voor(session, [item_id], medewerker, nu=nu):
        raise LookupError("Dit bericht is niet (meer) gepubliceerd.")
    return _regel(item)
