"""Audit trail: every look at a klantbeeld, every full BSN shown, every change."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from kiss.models import Auditregel, Medewerker, utcnow

KLANTBEELD_GEOPEND = "klantbeeld_geopend"
BSN_GETOOND = "bsn_getoond"
KLANT_AANGEMAAKT = "klant_aangemaakt"
KLANT_GEWIJZIGD = "klant_gewijzigd"
CONTACTMOMENT_OPGESLAGEN = "contactmoment_opgeslagen"
CONTACTMOMENT_AFGEROND = "contactmoment_afgerond"


def log(
    session: Session,
    medewerker: Medewerker | None,
    actie: str,
    *,
    object_type: str = "",
    object_id: uuid.UUID | str = "",
    klant_id: uuid.UUID | None = None,
    details: str = "",
) -> Auditregel:
    """Append one audit row in the caller's transaction (so it commits with the change)."""
    regel = Auditregel(
        moment=utcnow(),
        medewerker_id=medewerker.id if medewerker else None,
        actie=actie,
        object_type=object_type,
        object_id=str(object_id),
        klant_id=klant_id,
        details=details[:1000],
    )
    session.add(regel)
    return regel


def regels_voor_klant(session: Session, klant_id: uuid.UUID, limit: int = 200) -> list[Auditregel]:
    statement = (
        select(Auditregel)
        .where(Auditregel.klant_id == klant_id)
        .order_by(col(Auditregel.moment).desc())
        .limit(limit)
    )
    return list(session.exec(statement))
