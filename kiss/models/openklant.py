"""Which object in the Open Klant register belongs to which local row.

Filled by the Open Klant sender (after it created or found a remote object) and by the reading
side (a partij found only in the register, taken over as a local klant). ``soort`` names the
local table and the remote kind together, e.g. "klant" → partij, "contactmoment" → klantcontact.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from kiss.models.base import id_field, timestamp_field


class OpenklantKoppeling(SQLModel, table=True):
    __tablename__ = "openklant_koppeling"
    __table_args__ = (UniqueConstraint("soort", "lokaal_id"),)

    id: uuid.UUID = id_field()
    soort: str = Field(max_length=40)
    lokaal_id: uuid.UUID
    extern_uuid: uuid.UUID = Field(index=True)
    aangemaakt_op: datetime = timestamp_field()
