"""Kennisbank articles and the feedback agents give on them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from kiss.models.base import UTCDateTime, id_field, timestamp_field


class ArtikelStatus(StrEnum):
    CONCEPT = "concept"
    GEPUBLICEERD = "gepubliceerd"
    GEARCHIVEERD = "gearchiveerd"


class FeedbackSoort(StrEnum):
    KLOPT_NIET = "klopt_niet"
    VEROUDERD = "verouderd"
    ONDUIDELIJK = "onduidelijk"


class Kennisartikel(SQLModel, table=True):
    id: uuid.UUID = id_field()
    sleutel: str = Field(max_length=200, unique=True)  # stable key for re-import
    titel: str = Field(max_length=200)
    samenvatting: str = Field(default="", max_length=1000)
    inhoud: str = Field(default="", sa_type=Text)  # Markdown
    trefwoorden: list[str] = Field(default_factory=list, sa_type=JSON)
    synoniemen: list[str] = Field(default_factory=list, sa_type=JSON)
    vragen: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)  # vraag/antwoord
    werkinstructie: str = Field(default="", sa_type=Text)  # KCC-only note
    afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id")
    gemeenten: list[str] = Field(default_factory=list, sa_type=JSON)  # [] = all gemeenten
    bron: str = Field(default="", max_length=300)
    laatst_gecontroleerd_op: date | None = None
    status: str = Field(default=ArtikelStatus.CONCEPT, max_length=20, index=True)
    gewijzigd_op: datetime = timestamp_field(index=True)
    gewijzigd_door_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")


class ArtikelFeedback(SQLModel, table=True):
    __tablename__ = "artikel_feedback"
    id: uuid.UUID = id_field()
    artikel_id: uuid.UUID = Field(foreign_key="kennisartikel.id", index=True)
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    soort: str = Field(max_length=20)
    notitie: str = Field(default="", max_length=1000)
    aangemaakt_op: datetime = timestamp_field()
    afgehandeld_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    afgehandeld_door_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
