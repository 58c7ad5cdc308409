"""Klanten (persons and organisations), their digital addresses and their zaken."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Computed, Index, String, UniqueConstraint
from sqlalchemy.orm import declared_attr, deferred
from sqlmodel import Field, SQLModel

from kiss.models.base import id_field, timestamp_field


class KlantSoort(StrEnum):
    PERSOON = "persoon"
    ORGANISATIE = "organisatie"


class DigitaalAdresSoort(StrEnum):
    TELEFOONNUMMER = "telefoonnummer"
    EMAIL = "email"
    OVERIG = "overig"


class Klant(SQLModel, table=True):
    __table_args__ = (
        Index("ix_klant_postcode_huisnummer", "postcode", "huisnummer"),
        # name search: per key the first rows by first name, without sorting them all (0014)
        Index("ix_klant_naam", "naam_sleutel", "voornamen", postgresql_include=["id"]),
    )

    id: uuid.UUID = id_field()
    soort: str = Field(default=KlantSoort.PERSOON, max_length=20)
    # persoon
    bsn: str | None = Field(default=None, max_length=9, unique=True)
    # what every role may read: on a shared install only the privacy role reads ``bsn``
    bsn_gemaskeerd: str | None = Field(
        default=None,
        sa_column=Column(
            String(9),
            Computed(
                "CASE WHEN bsn IS NULL THEN NULL ELSE '*****' || substr(bsn, 6, 4) END",
                persisted=True,
            ),
        ),
    )
    voornamen: str = Field(default="", max_length=200)
    voorvoegsel: str = Field(default="", max_length=20)
    achternaam: str = Field(default="", max_length=200)
    geboortedatum: date | None = Field(default=None, index=True)
    # organisatie
    kvk_nummer: str | None = Field(default=None, max_length=8, index=True)
    vestigingsnummer: str | None = Field(default=None, max_length=12)
    handelsnaam: str = Field(default="", max_length=200)
    # adres
    straat: str = Field(default="", max_length=200)
    huisnummer: int | None = None
    toevoeging: str = Field(default="", max_length=10)
    postcode: str | None = Field(default=None, max_length=7)  # "1234 AB"
    woonplaats: str = Field(default="", max_length=80)
    gemeente_id: uuid.UUID | None = Field(default=None, foreign_key="gemeente.id")
    # aandachtspunten: the human measure
    voorkeurskanaal: str = Field(default="", max_length=40)
    taal: str = Field(default="", max_length=40)
    extra_hulp: bool = False
    aandachtspunten: str = Field(default="", max_length=1000)
    # search key: folded surname or handelsnaam without particles (see kiss.services.naam)
    naam_sleutel: str = Field(default="", max_length=200)
    aangemaakt_op: datetime = timestamp_field()
    # the name vocabulary's background refresh reads the klanten changed since (0015)
    gewijzigd_op: datetime = timestamp_field(index=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # The full BSN is loaded only when asked for (``klant.bsn``), so loading a klant never
        # needs the column privilege that only the privacy role has on PostgreSQL.
        return {"properties": {"bsn": deferred(cls.__table__.c.bsn)}}  # type: ignore[attr-defined]

    @property
    def weergavenaam(self) -> str:
        if self.soort == KlantSoort.ORGANISATIE:
            return self.handelsnaam
        return " ".join(p for p in (self.voornamen, self.voorvoegsel, self.achternaam) if p)


class DigitaalAdres(SQLModel, table=True):
    __tablename__ = "digitaal_adres"
    __table_args__ = (UniqueConstraint("klant_id", "soort", "genormaliseerd"),)

    id: uuid.UUID = id_field()
    klant_id: uuid.UUID = Field(foreign_key="klant.id", index=True)
    soort: str = Field(default=DigitaalAdresSoort.TELEFOONNUMMER, max_length=20)
    waarde: str = Field(max_length=254)  # as typed
    genormaliseerd: str = Field(max_length=254, index=True)  # E.164 or lower-case e-mail
    omschrijving: str = Field(default="", max_length=80)
    voorkeur: bool = False
    aangemaakt_op: datetime = timestamp_field()


class Zaak(SQLModel, table=True):
    """A running request or case (aanvraag, melding) of a klant."""

    id: uuid.UUID = id_field()
    identificatie: str = Field(max_length=40, unique=True)
    klant_id: uuid.UUID | None = Field(default=None, foreign_key="klant.id", index=True)
    gemeente_id: uuid.UUID | None = Field(default=None, foreign_key="gemeente.id")
    zaaktype: str = Field(max_length=200)
    omschrijving: str = Field(default="", max_length=1000)
    status: str = Field(default="ontvangen", max_length=80)
    behandelaar_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id")
    startdatum: date
    uiterlijke_einddatum: date | None = None
    afgesloten: bool = False
