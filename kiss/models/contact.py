"""Contactmomenten: one contact through one kanaal, with onderwerp, note and result."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from kiss.models.base import UTCDateTime, id_field, timestamp_field


class ContactmomentStatus(StrEnum):
    CONCEPT = "concept"
    AFGEROND = "afgerond"


class Richting(StrEnum):
    INKOMEND = "inkomend"
    UITGAAND = "uitgaand"


class Contactmoment(SQLModel, table=True):
    """One question in one contact (Klantcontact). Several questions in the same call share
    ``gesprek_id``, klant, kanaal and time."""

    __table_args__ = (
        # the klantbeeld's timeline as an index-only scan (migration 0014)
        Index(
            "ix_contactmoment_tijdlijn",
            "klant_id",
            "gestart_op",
            postgresql_include=[
                "status",
                "kanaal",
                "richting",
                "gemeente_id",
                "onderwerp",
                "vraag",
                "gespreksresultaat",
                "medewerker_id",
                "afdeling_id",
                "notitie",
                "klantsignaal",
                "signaal_categorie",
                "id",
            ],
        ),
        Index("ix_contactmoment_medewerker_status", "medewerker_id", "status"),
        # covers the norm dashboard: one index-only scan per period
        Index(
            "ix_contactmoment_rapport",
            "gestart_op",
            "status",
            "richting",
            "gemeente_id",
            "kanaal",
            "gespreksresultaat",
            "terugbelnotitie_gemaakt",
            "artikel_id",
            "beeindigd_op",
        ),
    )

    id: uuid.UUID = id_field()
    gesprek_id: uuid.UUID = Field(default_factory=uuid.uuid4, index=True)
    gemeente_id: uuid.UUID | None = Field(default=None, foreign_key="gemeente.id")
    kanaal: str = Field(max_length=40)
    richting: str = Field(default=Richting.INKOMEND, max_length=10)
    klant_id: uuid.UUID | None = Field(default=None, foreign_key="klant.id")
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    contact_nummer: str = Field(default="", max_length=254)  # caller-ID or address as given
    gestart_op: datetime = timestamp_field(index=True)
    beeindigd_op: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    vraag: str = Field(default="", max_length=180)  # specifieke vraag
    notitie: str = Field(default="", max_length=1000)
    artikel_id: uuid.UUID | None = Field(default=None, foreign_key="kennisartikel.id", index=True)
    onderwerp: str = Field(default="", max_length=200)  # article title or free text
    gespreksresultaat: str = Field(default="", max_length=80)
    afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id")
    zaak_id: uuid.UUID | None = Field(default=None, foreign_key="zaak.id")
    doorverbonden_naar: str = Field(default="", max_length=200)
    doorverbonden_medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    status: str = Field(default=ContactmomentStatus.CONCEPT, max_length=20)
    # Klantinteracties fields, so an export carries them (migration 0002)
    contact_gelukt: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    vertrouwelijk: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # set by maak_terugbelnotitie: a note was made from this contact (not answered first time)
    terugbelnotitie_gemaakt: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    taal: str = Field(default="nld", max_length=3, sa_column_kwargs={"server_default": "nld"})
    # a klacht, compliment, idee or melding voiced in this question (migration 0012)
    klantsignaal: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    signaal_categorie: str = Field(
        default="", max_length=80, sa_column_kwargs={"server_default": ""}
    )
    gewijzigd_op: datetime = timestamp_field()
