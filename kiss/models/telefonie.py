"""Phone calls reported by the phone system (CTI webhook) and the service's own heartbeat."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from kiss.models.base import UTCDateTime, id_field, timestamp_field


class Oproep(SQLModel, table=True):
    """One call, as the phone system reported it (newCall, answer, hangup)."""

    __table_args__ = (
        Index("ix_oproep_gestart", "gestart_op"),
        Index("ix_oproep_beeindigd", "beeindigd_op"),
    )

    id: uuid.UUID = id_field()
    call_id: str = Field(max_length=250, unique=True)
    richting: str = Field(default="in", max_length=3)  # in | out
    van: str = Field(default="", max_length=250)  # the calling number as sent ("anonymous")
    naar: str = Field(default="", max_length=250)
    wachtrij: str = Field(default="", max_length=120)  # the phone system's queue, if any
    gebruikers: str = Field(default="", max_length=1000)  # user[] as sent, ';'-separated
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id", index=True)
    gestart_op: datetime = timestamp_field()
    beantwoord_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    beeindigd_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    oorzaak: str = Field(default="", max_length=40)  # hangup cause
    gesprek_id: uuid.UUID | None = Field(default=None, index=True)  # the contactmoment(en)


class OproepGebeurtenis(SQLModel, table=True):
    """One accepted webhook event. The unique (call_id, gebeurtenis) makes a repeated event a
    no-op; desktops read the rows after the ``volgnummer`` they saw last (the dienst writes
    them one at a time, so numbers become visible in order)."""

    __tablename__ = "oproep_gebeurtenis"
    __table_args__ = (UniqueConstraint("call_id", "gebeurtenis", name="uq_oproep_gebeurtenis"),)

    volgnummer: int | None = Field(default=None, primary_key=True)
    call_id: str = Field(max_length=250)
    gebeurtenis: str = Field(max_length=20)  # newCall | answer | hangup
    oproep_id: uuid.UUID = Field(foreign_key="oproep.id", index=True)
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    contactmoment_id: uuid.UUID | None = Field(default=None, foreign_key="contactmoment.id")
    ontvangen_op: datetime = timestamp_field()


class DienstStatus(SQLModel, table=True):
    """The heartbeat of ``kiss dienst``: desktops show a lost service when it is stale."""

    __tablename__ = "dienst_status"
    naam: str = Field(default="kiss dienst", max_length=40, primary_key=True)
    gestart_op: datetime = timestamp_field()
    hartslag_op: datetime = timestamp_field()
    gestopt_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
