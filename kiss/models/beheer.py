"""Beheer: the organisation's settings (one versioned row) and nieuws en werkinstructies with
who has read them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from kiss.models.base import UTCDateTime, id_field, timestamp_field


class OrganisatieInstellingen(SQLModel, table=True):
    """The organisation's settings as one document (see :mod:`kiss.config` for its shape).

    ``versie`` goes up by one at every save: a running KISS compares it every few seconds
    (one tiny query) and reloads the document only when it changed.
    """

    __tablename__ = "organisatie_instellingen"

    id: int = Field(default=1, primary_key=True)
    inhoud: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    versie: int = 1
    gewijzigd_op: datetime = timestamp_field()
    gewijzigd_door_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")


class NieuwsSoort(StrEnum):
    NIEUWS = "nieuws"
    WERKINSTRUCTIE = "werkinstructie"


class NieuwsItem(SQLModel, table=True):
    """A news item or werkinstructie for the agents (Markdown), shown between its publish
    moments to its doelgroep (skills; empty = everyone)."""

    __tablename__ = "nieuws_item"
    __table_args__ = (Index("ix_nieuws_item_publicatie", "publiceren_van", "publiceren_tot"),)

    id: uuid.UUID = id_field()
    soort: str = Field(default=NieuwsSoort.NIEUWS, max_length=20)
    titel: str = Field(max_length=200)
    tekst: str = Field(default="", max_length=10000)
    belangrijk: bool = False
    publiceren_van: datetime = timestamp_field()
    publiceren_tot: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    skills: str = Field(default="", max_length=1000)  # ';'-separated doelgroep
    gemeente: str = Field(default="", max_length=80)  # empty: every gemeente
    auteur_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    aangemaakt_op: datetime = timestamp_field()
    gewijzigd_op: datetime = timestamp_field()
    verwijderd_op: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class NieuwsGelezen(SQLModel, table=True):
    """A medewerker opened (or marked read) an item."""

    __tablename__ = "nieuws_gelezen"

    item_id: uuid.UUID = Field(foreign_key="nieuws_item.id", primary_key=True)
    medewerker_id: uuid.UUID = Field(foreign_key="medewerker.id", primary_key=True, index=True)
    gelezen_op: datetime = timestamp_field()
