"""Finding klanten by BSN without reading the BSN column.

On a shared PostgreSQL install only the privacy role may read ``klant.bsn``; everybody else
searches through ``kiss_zoek_bsn(text)`` (SECURITY DEFINER, returns ids). On SQLite the file's
user may read everything, so a plain WHERE does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from kiss.models import Klant


def klant_ids_met_bsn(session: Session, bsn: str) -> Any:
    """A subquery of the ids of klanten with this (validated) BSN, for ``Klant.id.in_()``."""
    if session.get_bind().dialect.name == "postgresql":
        return select(func.kiss_zoek_bsn(bsn))
    return select(Klant.id).where(Klant.bsn == bsn)
