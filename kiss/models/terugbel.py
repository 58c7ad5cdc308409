"""Terugbelnotities (contactverzoeken), their call attempts and their reassignment history."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from kiss.models.base import UTCDateTime, id_field, timestamp_field


class TerugbelStatus(StrEnum):
    OPEN = "open"
    IN_BEHANDELING = "in_behandeling"
    AFGEHANDELD = "afgehandeld"


class Terugbelnotitie(SQLModel, table=True):
    __table_args__ = (
        Index("ix_terugbel_status_deadline", "status", "deadline"),
        Index("ix_terugbel_team_status_deadline", "toegewezen_team_id", "status", "deadline"),
        Index(
            "ix_terugbel_afdeling_status_deadline", "toegewezen_afdeling_id", "status", "deadline"
        ),
        Index("ix_terugbel_mdw_status_deadline", "toegewezen_medewerker_id", "status", "deadline"),
        Index("ix_terugbel_behandelaar_status", "behandelaar_id", "status"),
        Index("ix_terugbel_aangemaakt", "aangemaakt_op"),  # reports per period
        Index("ix_terugbel_contactmoment", "contactmoment_id"),  # was a note made from it?
    )

    id: uuid.UUID = id_field()
    contactmoment_id: uuid.UUID | None = Field(default=None, foreign_key="contactmoment.id")
    klant_id: uuid.UUID | None = Field(default=None, foreign_key="klant.id", index=True)
    gemeente_id: uuid.UUID | None = Field(default=None, foreign_key="gemeente.id")
    toegewezen_afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id")
    toegewezen_team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id")
    toegewezen_medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    terugbelnummer: str = Field(default="", max_length=40)
    terugbelnummer_e164: str | None = Field(default=None, max_length=20, index=True)
    extra_nummer: str = Field(default="", max_length=40)
    extra_nummer_e164: str | None = Field(default=None, max_length=20, index=True)
    email: str = Field(default="", max_length=254)
    vraag: str = Field(default="", max_length=1000)  # the klant's own words
    toelichting: str = Field(default="", max_length=1000)  # internal note
    gewenst_moment: str = Field(default="", max_length=120)
    aangemaakt_op: datetime = timestamp_field()
    aangemaakt_door_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    deadline: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=TerugbelStatus.OPEN, max_length=20)
    behandelaar_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    geclaimd_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    eerste_contact_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    afgehandeld_op: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    uitkomst: str = Field(default="", max_length=80)
    uitkomst_toelichting: str = Field(default="", max_length=1000)  # internal
    # what the resident was told, apart from the internal note (migration 0013)
    informatie_klant: str = Field(
        default="", max_length=1000, sa_column_kwargs={"server_default": ""}
    )
    zaak_id: uuid.UUID | None = Field(default=None, foreign_key="zaak.id")
    antwoorden: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)  # vragenset
    versie: int = 1  # optimistic locking: every update checks and bumps it


class Terugbelpoging(SQLModel, table=True):
    id: uuid.UUID = id_field()
    terugbelnotitie_id: uuid.UUID = Field(foreign_key="terugbelnotitie.id", index=True)
    moment: datetime = timestamp_field()
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    bereikt: bool = False
    kanaal: str = Field(
        default="telefoon", max_length=40, sa_column_kwargs={"server_default": "telefoon"}
    )
    notitie: str = Field(default="", max_length=1000)


class TerugbelOverdracht(SQLModel, table=True):
    """History of a reassignment: who moved the note, from where to where, and why."""

    __tablename__ = "terugbel_overdracht"
    id: uuid.UUID = id_field()
    terugbelnotitie_id: uuid.UUID = Field(foreign_key="terugbelnotitie.id", index=True)
    moment: datetime = timestamp_field()
    door_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    van_afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id")
    van_team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id")
    van_medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    naar_afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id")
    naar_team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id")
    naar_medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    reden: str = Field(default="", max_length=1000)


class VraagSoort(StrEnum):
    KORT = "kort"  # one line
    LANG = "lang"  # several lines
    KEUZE = "keuze"  # one of a list
    VINKJE = "vinkje"  # yes / no


class Vragenset(SQLModel, table=True):
    """The extra questions an afdeling or team wants answered in every terugbelnotitie that
    is routed to it (defined by a beheerder; the KCC form shows them)."""

    id: uuid.UUID = id_field()
    afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id", unique=True)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", unique=True)
    vragen: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    gewijzigd_op: datetime = timestamp_field()
    gewijzigd_door_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
