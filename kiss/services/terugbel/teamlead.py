"""Queue review for teamleads: every active terugbelnotitie of their afdeling(en), the load per
team and per person, and the notes that will breach the norm within N werkuren.

A note belongs to an afdeling when it is assigned to that afdeling (or one below it), to one of
its teams, or to one of its medewerkers. Teamleads see their own afdeling and everything under
it; beheerders see all afdelingen. Reassigning uses
:func:`kiss.services.terugbel.terugbelnotities.herverdeel_meerdere`
(history and deadline rules there).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import Afdeling, Gemeente, Medewerker, Team, Terugbelnotitie
from kiss.rollen import BEHEERDER, heeft_rol, mag_wachtrij_sturen, vereis
from kiss.services.terugbel import servicenorm
from kiss.services.terugbel.deadline import deadline_staat, norm_uit
from kiss.services.terugbel.servicenorm import DeadlineStatus
from kiss.services.terugbel.terugbelnotities import ACTIEF

T = Terugbelnotitie
MAX_REGELS = 500
NIEMAND = "(nog niemand)"
GEEN_TEAM = "(geen team)"


@dataclass(frozen=True)
class ReviewRegel:
    id: uuid.UUID
    versie: int  # as read: bulk reassign refuses a note someone changed since
    deadline: datetime
    staat: DeadlineStatus
    dreigt: bool  # not late yet, but late within the chosen werkuren
    status: str
    team: str
    medewerker: str  # behandelaar, else the person it is assigned to
    toegewezen_aan: str
    gemeente: str
    vraag: str


@dataclass(frozen=True)
class Belasting:
    """Load of one team or one person."""

    naam: str
    actief: int
    te_laat: int
    dreigt: int


@dataclass(frozen=True)
class Review:
    afdelingen: list[str]
    regels: list[ReviewRegel]  # overdue first (earliest deadline first), at most MAX_REGELS
    totaal: int
    per_team: list[Belasting]
    per_medewerker: list[Belasting]
    dreig_grens: datetime  # notes due before this moment "dreigen"


def afdelingen_onder(session: Session, door: Medewerker) -> list[uuid.UUID]:
    """The afdelingen this teamlead steers: their own and all below it (beheerder: all)."""
    vereis(mag_wachtrij_sturen(door), "de wachtrijen van de afdeling te sturen")
    rijen = session.execute(select(Afdeling.id, Afdeling.ouder_id)).all()
    if heeft_rol(door, BEHEERDER):
        return [r[0] for r in rijen]
    start = door.afdeling_id
    if start is None and door.team_id is not None:
        start = session.execute(select(Team.afdeling_id).where(Team.id == door.team_id)).scalar()
    if start is None:
        return []
    kinderen: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for afdeling_id, ouder_id in rijen:
        kinderen.setdefault(ouder_id, []).append(afdeling_id)
    gevonden, te_doen = [start], [start]
    while te_doen:
        for kind in kinderen.get(te_doen.pop(), []):
            if kind not in gevonden:
                gevonden.append(kind)
                te_doen.append(kind)
    return gevonden


def dreig_grens(nu: datetime, werkuren: int, settings: Settings) -> datetime:
    """The moment ``werkuren`` working hours after ``nu`` (same calendar as the deadline)."""
    return servicenorm.deadline_na(nu, replace(norm_uit(settings), uren=max(0, werkuren)))


def review(
    session: Session,
    door: Medewerker,
    *,
    nu: datetime,
    settings: Settings,
    dreig_uren: int = 4,
    alleen_dreigend: bool = False,
    limit: int = MAX_REGELS,
) -> Review:
    afdelingen = afdelingen_onder(session, door)
    grens = dreig_grens(nu, dreig_uren, settings)
    team = aliased(Team)
    toegewezen = aliased(Medewerker)
    behandelaar = aliased(Medewerker)
    van_afdeling = or_(
        col(T.toegewezen_afdeling_id).in_(afdelingen),
        col(team.afdeling_id).in_(afdelingen),
        col(toegewezen.afdeling_id).in_(afdelingen),
    )
    voorwaarden = [col(T.status).in_(list(ACTIEF)), van_afdeling]
    if alleen_dreigend:
        voorwaarden.append(col(T.deadline) <= grens)

    def naam(m: type[Medewerker]) -> object:
        tussen = case((m.voorvoegsel == "", " "), else_=" " + m.voorvoegsel + " ")
        return func.trim(m.voornaam + tussen + m.achternaam)

    persoon = func.coalesce(naam(behandelaar), naam(toegewezen))  # type: ignore[arg-type]

    def basis(*kolommen: object):  # type: ignore[no-untyped-def]
        return (
            select(*kolommen)  # type: ignore[call-overload]
            .select_from(T)
            .outerjoin(team, team.id == T.toegewezen_team_id)
            .outerjoin(toegewezen, toegewezen.id == T.toegewezen_medewerker_id)
            .outerjoin(behandelaar, behandelaar.id == T.behandelaar_id)
            .where(*voorwaarden)
        )

    te_laat = func.count().filter(col(T.deadline) < nu)
    dreigt = func.count().filter(col(T.deadline) >= nu, col(T.deadline) <= grens)
    per_team = [
        Belasting(n or GEEN_TEAM, int(a), int(laat), int(d))
        for n, a, laat, d in session.execute(
            basis(team.naam, func.count(), te_laat, dreigt).group_by(team.naam)
        ).all()
    ]
    per_medewerker = [
        Belasting(n or NIEMAND, int(a), int(laat), int(d))
        for n, a, laat, d in session.execute(
            basis(persoon, func.count(), te_laat, dreigt).group_by(persoon)
        ).all()
    ]
    afdeling_naam = select(Afdeling.naam).where(Afdeling.id == T.toegewezen_afdeling_id)
    gemeente_naam = select(Gemeente.naam).where(Gemeente.id == T.gemeente_id)
    kolommen = (
        T.id, T.versie, T.deadline, T.status, team.naam, persoon, T.vraag,
        afdeling_naam.scalar_subquery(), naam(toegewezen), gemeente_naam.scalar_subquery(),
    )  # fmt: skip
    rijen = session.execute(basis(*kolommen).order_by(T.deadline, T.id).limit(limit)).all()
    regels = []
    for id_, versie, deadline, status, teamnaam, wie, vraag, afdeling, aan, gemeente in rijen:
        staat = deadline_staat(deadline, nu, settings)
        regels.append(
            ReviewRegel(
                id=id_, versie=versie, deadline=deadline, staat=staat,
                dreigt=staat != DeadlineStatus.TE_LAAT and deadline <= grens,
                status=status, team=teamnaam or "", medewerker=wie or "",
                toegewezen_aan=(aan or "").strip() or teamnaam or afdeling or "",
                gemeente=gemeente or "", vraag=(vraag or "").split("\n", 1)[0][:80],
            )
        )  # fmt: skip

    def volgorde(b: Belasting) -> tuple[int, int, str]:
        return (-b.te_laat, -b.actief, b.naam)

    namen = {r[0]: r[1] for r in session.execute(select(Afdeling.id, Afdeling.naam))}
    return Review(
        afdelingen=sorted(namen[a] for a in afdelingen if a in namen),
        regels=regels,
        totaal=sum(b.actief for b in per_team),
        per_team=sorted(per_team, key=volgorde),
        per_medewerker=sorted(per_medewerker, key=volgorde),
        dreig_grens=grens,
    )
