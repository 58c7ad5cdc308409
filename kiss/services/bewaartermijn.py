"""Retention: personal data is kept no longer than the bewaartermijn.

Contactmomenten (all kanalen) older than the period are removed, together with afgehandelde
terugbelnotities whose contact is gone (their pogingen and history with them). Open notes are
never removed, nor is the audit trail (it has its own, longer period). Run it daily, e.g.
from cron: ``kiss opschonen``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from kiss.models import (
    Auditregel,
    Contactmoment,
    Terugbelnotitie,
    TerugbelOverdracht,
    Terugbelpoging,
    TerugbelStatus,
)


@dataclass(frozen=True)
class Opschoonverslag:
    grens: datetime
    contactmomenten: int
    terugbelnotities: int
    auditregels: int


def schoon_op(
    session: Session,
    *,
    nu: datetime,
    contactmomenten_dagen: int,
    audit_dagen: int,
    droog: bool = False,
) -> Opschoonverslag:
    """Remove what is older than the retention periods (``droog``: only count)."""
    grens = nu - timedelta(days=contactmomenten_dagen)
    audit_grens = nu - timedelta(days=audit_dagen)
    oude_contacten = select(Contactmoment.id).where(col(Contactmoment.gestart_op) < grens)
    oude_notities = select(Terugbelnotitie.id).where(
        Terugbelnotitie.status == TerugbelStatus.AFGEHANDELD,
        col(Terugbelnotitie.afgehandeld_op) < grens,
    )
    oude_audit = select(Auditregel.id).where(col(Auditregel.moment) < audit_grens)
    aantallen = [
        session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        for q in (oude_contacten, oude_notities, oude_audit)
    ]
    if not droog:
        notitie_ids = list(session.execute(oude_notities).scalars())
        for tabel in (Terugbelpoging, TerugbelOverdracht):
            session.execute(delete(tabel).where(col(tabel.terugbelnotitie_id).in_(notitie_ids)))
        session.execute(delete(Terugbelnotitie).where(col(Terugbelnotitie.id).in_(notitie_ids)))
        # open notes keep their content; only the link to the removed contact goes
        session.execute(
            update(Terugbelnotitie)
            .where(col(Terugbelnotitie.contactmoment_id).in_(oude_contacten))
            .values(contactmoment_id=None)
        )
        session.execute(delete(Contactmoment).where(col(Contactmoment.gestart_op) < grens))
        session.execute(delete(Auditregel).where(col(Auditregel.moment) < audit_grens))
    return Opschoonverslag(grens, *aantallen)
