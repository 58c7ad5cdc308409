"""The transactional outbox: work for the outside world (Open Klant, e-mail), written in the
same transaction as the change that caused it and sent later by a runner.

Generic on purpose: ``soort`` says which sender handles a row ("openklant", "mail"), ``payload``
is that sender's JSON. See :mod:`kiss.services.uitgaand` for the rules.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from kiss.models.base import UTCDateTime, id_field, timestamp_field


class UitgaandStatus(StrEnum):
    WACHTEND = "wachtend"  # still to send (first time or after a temporary failure)
    VERZONDEN = "verzonden"
    GEPARKEERD = "geparkeerd"  # refused for good: a beheerder must look at it


class Uitgaand(SQLModel, table=True):
    """One message for the outside world."""

    __table_args__ = (
        # the runner: due rows of one soort, oldest first
        Index("ix_uitgaand_soort_status_volgende", "soort", "status", "volgende_poging_op"),
        # in-order delivery within a group
        Index("ix_uitgaand_groep_volgorde", "groep", "volgorde"),
    )

    id: uuid.UUID = id_field()
    soort: str = Field(max_length=40)
    sleutel: str = Field(max_length=200, unique=True)  # idempotency key
    groep: str = Field(max_length=200)  # rows of one group go out in order
    volgorde: int = Field(sa_type=BigInteger)  # increasing per process, ns since the epoch
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=UitgaandStatus.WACHTEND, max_length=20)
    pogingen: int = 0
    volgende_poging_op: datetime = timestamp_field()
    laatste_fout: str = Field(default="", max_length=2000)
    aangemaakt_op: datetime = timestamp_field()
    verzonden_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    extern_id: str | None = Field(default=None, max_length=200)  # remote id or uuid
