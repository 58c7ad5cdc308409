"""The organisation: gemeenten, afdelingen, teams, medewerkers and outside organisations."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from kiss.models.base import id_field, timestamp_field


class Gemeente(SQLModel, table=True):
    id: uuid.UUID = id_field()
    naam: str = Field(max_length=80, unique=True)
    code: str = Field(default="", max_length=10)


class Afdeling(SQLModel, table=True):
    id: uuid.UUID = id_field()
    naam: str = Field(max_length=120, unique=True)
    ouder_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id")
    telefoon: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    mailbox: str = Field(default="", max_length=254)  # where kiss dienst sends notices
    openingstijden: str = Field(default="", max_length=200)
    omschrijving: str = Field(default="", max_length=1000)


class Team(SQLModel, table=True):
    id: uuid.UUID = id_field()
    naam: str = Field(max_length=120, unique=True)
    afdeling_id: uuid.UUID = Field(foreign_key="afdeling.id", index=True)
    telefoon: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    mailbox: str = Field(default="", max_length=254)  # where kiss dienst sends notices


class Medewerker(SQLModel, table=True):
    """A colleague: agent, backoffice, teamlead, redacteur or beheerder."""

    id: uuid.UUID = id_field()
    personeelsnummer: str | None = Field(default=None, max_length=40, unique=True)
    gebruikersnaam: str | None = Field(default=None, max_length=80, unique=True)
    voornaam: str = Field(default="", max_length=120)
    voorvoegsel: str = Field(default="", max_length=20)
    achternaam: str = Field(max_length=200)
    functie: str = Field(default="", max_length=120)
    afdeling_id: uuid.UUID | None = Field(default=None, foreign_key="afdeling.id", index=True)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    rollen: str = Field(default="kcc", max_length=200)  # ';'-separated, see kiss.rollen
    telefoon: str = Field(default="", max_length=40)
    telefoon_e164: str | None = Field(default=None, max_length=20, index=True)
    mobiel: str = Field(default="", max_length=40)
    mobiel_e164: str | None = Field(default=None, max_length=20, index=True)
    email: str | None = Field(default=None, max_length=254, unique=True)
    # the phone system's extension (answeringNumber) and the mailbox for notices
    toestel: str | None = Field(default=None, max_length=40, unique=True)
    mailbox: str = Field(default="", max_length=254)
    expertise: str = Field(default="", max_length=2000)  # ';'-separated onderwerpen
    locatie: str = Field(default="", max_length=200)
    werkdagen: str = Field(default="ma;di;wo;do;vr", max_length=20)
    afwezig_van: date | None = None
    afwezig_tot: date | None = None
    afwezig_reden: str = Field(default="", max_length=200)
    vervanger_id: uuid.UUID | None = Field(default=None, foreign_key="medewerker.id")
    niet_doorverbinden: bool = False
    actief: bool = True
    gewijzigd_op: datetime = timestamp_field()

    @property
    def naam(self) -> str:
        return " ".join(p for p in (self.voornaam, self.voorvoegsel, self.achternaam) if p)

    @property
    def rollenset(self) -> frozenset[str]:
        return frozenset(r.strip() for r in self.rollen.split(";") if r.strip())


class ExterneOrganisatie(SQLModel, table=True):
    """An outside organisation for a warm referral (UWV, SVB, a woningcorporatie, ...)."""

    __tablename__ = "externe_organisatie"
    id: uuid.UUID = id_field()
    naam: str = Field(max_length=200, unique=True)
    telefoon: str = Field(default="", max_length=40)
    telefoon_e164: str | None = Field(default=None, max_length=20, index=True)
    website: str = Field(default="", max_length=300)
    openingstijden: str = Field(default="", max_length=200)
    onderwerpen: str = Field(default="", max_length=2000)
