"""The central mailbox: a case (one thread with a klant), its messages, their attachments,
the answer templates and where fetching stopped per IMAP folder."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from kiss.models.base import UTCDateTime, id_field, timestamp_field


class EmailStatus(StrEnum):
    OPEN = "open"  # in the queue, nobody works on it
    IN_BEHANDELING = "in_behandeling"  # claimed by ``behandelaar_id``
    DOORGESTUURD = "doorgestuurd"  # forwarded to an afdeling's mailbox, not yet answered
    TERUGBELLEN = "terugbellen"  # turned into a terugbelnotitie, not yet answered
    BEANTWOORD = "beantwoord"
    GESLOTEN = "gesloten"  # needs no answer (automatic reply, no sender): not in the norm

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    EmailStatus.OPEN: "Open",
    EmailStatus.IN_BEHANDELING: "In behandeling",
    EmailStatus.DOORGESTUURD: "Doorgestuurd",
    EmailStatus.TERUGBELLEN: "Terugbelnotitie",
    EmailStatus.BEANTWOORD: "Beantwoord",
    EmailStatus.GESLOTEN: "Gesloten",
}
WACHT_OP_ANTWOORD = (
    EmailStatus.OPEN,
    EmailStatus.IN_BEHANDELING,
    EmailStatus.DOORGESTUURD,
    EmailStatus.TERUGBELLEN,
)


class EmailRichting(StrEnum):
    IN = "in"
    UIT = "uit"


class EmailZaak(SQLModel, table=True):
    """One written question: the first mail, the replies threaded onto it and our answers.

    The links to klant, contactmoment and terugbelnotitie are cleared (``ON DELETE SET
    NULL``) when retention removes those: a case never blocks ``kiss opschonen``; its own
    retention is :func:`kiss.services.email.bewaren.schoon_op`."""

    __tablename__ = "email_zaak"
    __table_args__ = (
        Index("ix_email_zaak_status_deadline", "status", "deadline"),
        Index("ix_email_zaak_ontvangen", "ontvangen_op"),
        Index("ix_email_zaak_klant", "klant_id"),
    )

    id: uuid.UUID = id_field()
    gemeente_id: uuid.UUID | None = Field(default=None, foreign_key="gemeente.id")
    onderwerp: str = Field(default="", max_length=200)
    afzender: str = Field(default="", max_length=254)  # lower-case address; "" when missing
    afzender_naam: str = Field(default="", max_length=200)
    klant_id: uuid.UUID | None = Field(default=None, foreign_key="klant.id", ondelete="SET NULL")
    status: str = Field(default=EmailStatus.OPEN, max_length=20)
    ontvangen_op: datetime = timestamp_field()
    deadline: datetime = timestamp_field()
    behandelaar_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    geclaimd_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    beantwoord_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
    doorgestuurd_naar: str = Field(default="", max_length=254)
    terugbelnotitie_id: uuid.UUID | None = Field(
        default=None, foreign_key="terugbelnotitie.id", ondelete="SET NULL"
    )
    contactmoment_id: uuid.UUID | None = Field(
        default=None, foreign_key="contactmoment.id", ondelete="SET NULL"
    )
    melding: str = Field(default="", max_length=1000)  # what intake noticed (for the agent)
    versie: int = 1
    gewijzigd_op: datetime = timestamp_field()


class EmailBericht(SQLModel, table=True):
    """One mail, in or out. ``message_id`` is unique: a mail is stored once."""

    __tablename__ = "email_bericht"

    id: uuid.UUID = id_field()
    zaak_id: uuid.UUID = Field(foreign_key="email_zaak.id", index=True)
    message_id: str = Field(max_length=500, unique=True)
    richting: str = Field(default=EmailRichting.IN, max_length=3)
    in_reply_to: str = Field(default="", max_length=500)
    referenties: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    van: str = Field(default="", max_length=254)
    aan: str = Field(default="", max_length=1000)
    onderwerp: str = Field(default="", max_length=998)
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    was_html: bool = False
    moment: datetime = timestamp_field()
    medewerker_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    melding: str = Field(default="", max_length=1000)  # e.g. "bijlage te groot, weggelaten"


class EmailBijlage(SQLModel, table=True):
    __tablename__ = "email_bijlage"

    id: uuid.UUID = id_field()
    bericht_id: uuid.UUID = Field(foreign_key="email_bericht.id", index=True)
    bestandsnaam: str = Field(default="", max_length=255)
    mime: str = Field(default="application/octet-stream", max_length=120)
    grootte: int = 0
    inhoud: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    weggelaten: bool = False  # larger than the limit: only name and size are kept


class EmailSjabloon(SQLModel, table=True):
    """A saved answer a redacteur manages; ``{naam}``, ``{datum}`` and ``{deadline}`` are
    filled in when an agent starts from it."""

    __tablename__ = "email_sjabloon"

    id: uuid.UUID = id_field()
    naam: str = Field(max_length=120, unique=True)
    onderwerp: str = Field(default="", max_length=200)
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    gewijzigd_op: datetime = timestamp_field()
    gewijzigd_door_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")


class EmailPostvak(SQLModel, table=True):
    """How far fetching got in one IMAP folder (UIDs only grow while UIDVALIDITY holds)."""

    __tablename__ = "email_postvak"

    naam: str = Field(primary_key=True, max_length=200)
    uidvaliditeit: int = Field(default=0, sa_type=BigInteger)  # 32-bit unsigned in IMAP
    laatste_uid: int = Field(default=0, sa_type=BigInteger)
    opgehaald_op: datetime | None = Field(default=None, sa_type=UTCDateTime)
