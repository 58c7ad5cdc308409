"""Append-only audit trail: who looked at or changed which klant's data, when."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from kiss.models.base import id_field, timestamp_field


class Auditregel(SQLModel, table=True):
    id: uuid.UUID = id_field()
    moment: datetime = timestamp_field(index=True)
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    actie: str = Field(max_length=60)  # e.g. klantbeeld_geopend, bsn_getoond, klant_gewijzigd
    object_type: str = Field(default="", max_length=60)
    object_id: str = Field(default="", max_length=64)
    klant_id: uuid.UUID | None = Field(default=None, index=True)
    details: str = Field(default="", max_length=1000)
