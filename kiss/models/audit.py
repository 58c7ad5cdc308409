"""Append-only audit trail: who looked at or changed which klant's data, when.

Each row carries a SHA-256 ``hash`` over its own content and the previous row's hash
(``vorige_hash``), numbered without gaps by ``volgnummer``: a changed, inserted or deleted row
breaks the chain (see ``kiss audit controleer``).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, Session, SQLModel, col, select

from kiss.models.base import id_field, timestamp_field


class Auditregel(SQLModel, table=True):
    id: uuid.UUID = id_field()
    # 1, 2, 3 … without gaps (retention cuts only the front); set at flush by kiss.services.audit
    volgnummer: int | None = Field(default=None, unique=True, nullable=False)
    moment: datetime = timestamp_field(index=True)
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    actie: str = Field(max_length=60)  # e.g. klantbeeld_geopend, bsn_getoond, klant_gewijzigd
    object_type: str = Field(default="", max_length=60)
    object_id: str = Field(default="", max_length=64)
    klant_id: uuid.UUID | None = Field(default=None, index=True)
    details: str = Field(default="", max_length=1000)
    vorige_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


AUDIT_LOCK_ID = 0x4B495341  # pg_advisory_xact_lock key: one chain, one writer at a time


def tijd_tekst(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def bereken_hash(regel: Auditregel) -> str:
    """SHA-256 over every column that matters and the previous row's hash."""
    inhoud = "\x1f".join(
        [
            str(regel.volgnummer),
            tijd_tekst(regel.moment),
            str(regel.medewerker_id or ""),
            regel.actie,
            regel.object_type,
            regel.object_id,
            str(regel.klant_id or ""),
            regel.details,
            regel.vorige_hash,
        ]
    )
    return hashlib.sha256(inhoud.encode("utf-8")).hexdigest()


def laatste_schakel(session: Session) -> tuple[int, str]:
    """(volgnummer, hash) of the newest row, (0, "") for an empty trail."""
    rij = session.execute(
        select(Auditregel.volgnummer, Auditregel.hash)
        .order_by(col(Auditregel.volgnummer).desc())
        .limit(1)
    ).first()
    return (int(rij[0]), str(rij[1])) if rij else (0, "")


@event.listens_for(OrmSession, "before_flush")
def _keten_nieuwe_regels(session: Any, _context: Any, _instances: Any) -> None:
    nieuw = [obj for obj in session.new if isinstance(obj, Auditregel) and obj.hash == ""]
    if not nieuw:
        return
    with session.no_autoflush:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK_ID})
        nummer, vorige = laatste_schakel(session)
    for regel in sorted(nieuw, key=lambda r: r.moment):
        nummer += 1
        regel.volgnummer = nummer
        regel.vorige_hash = vorige
        regel.hash = bereken_hash(regel)
        vorige = regel.hash
