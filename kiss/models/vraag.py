"""What a question was answered with: the sources the agent consulted (Vraagbron), and a
klantsignaal (klacht, compliment, idee, melding) marked on the question itself."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from kiss.models.base import id_field


class BronSoort(StrEnum):
    ARTIKEL = "artikel"
    WERKINSTRUCTIE = "werkinstructie"
    NIEUWS = "nieuws"  # a nieuws item of the start screen, found in the kennisbank
    SMOELENBOEK = "smoelenboek"
    LINK = "link"


class Klantsignaal(StrEnum):
    KLACHT = "klacht"
    COMPLIMENT = "compliment"
    IDEE = "idee"
    MELDING = "melding"


class Vraagbron(SQLModel, table=True):
    """One source consulted for one question (contactmoment); a question may have several."""

    # the klantbeeld reads the sources per question as an index-only scan (migration 0014)
    __table_args__ = (
        Index(
            "ix_vraagbron_bronnen",
            "contactmoment_id",
            "volgnummer",
            postgresql_include=["soort", "titel"],
        ),
    )

    id: uuid.UUID = id_field()
    contactmoment_id: uuid.UUID = Field(foreign_key="contactmoment.id", ondelete="CASCADE")
    volgnummer: int = Field(default=0)
    soort: str = Field(max_length=20)
    verwijzing_id: uuid.UUID | None = Field(default=None)  # article, medewerker, team, …
    titel: str = Field(max_length=200)
    url: str = Field(default="", max_length=500)
