"""Saved answers a redacteur manages. Placeholders: ``{naam}`` (the klant or sender),
``{datum}`` (today), ``{deadline}`` (the answer's last day), ``{kenmerk}`` and
``{medewerker}``. An unknown placeholder stays as typed: filling in never fails."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from kiss.models import Medewerker
from kiss.models.base import veldlengte
from kiss.models.email import EmailSjabloon
from kiss.rollen import mag_artikel_bewerken, vereis
from kiss.services.email import termijn
from kiss.validation import InvoerFouten
from kiss.weergave import lokaal

PLAATSHOUDERS = ("naam", "datum", "deadline", "kenmerk", "medewerker")
MAX_TEKST = 20_000


class SjabloonFout(InvoerFouten):
    """Dutch messages per field (a form shows each at its field)."""


@dataclass(frozen=True)
class SjabloonRegel:
    id: uuid.UUID
    naam: str
    onderwerp: str
    tekst: str


def lijst(session: Session) -> list[SjabloonRegel]:
    return [
        SjabloonRegel(s.id, s.naam, s.onderwerp, s.tekst)
        for s in session.execute(select(EmailSjabloon).order_by(col(EmailSjabloon.naam))).scalars()
    ]


def haal(session: Session, sjabloon_id: uuid.UUID) -> EmailSjabloon:
    sjabloon = session.get(EmailSjabloon, sjabloon_id)
    if sjabloon is None:
        raise SjabloonFout({"sjabloon": "Dit sjabloon bestaat niet (meer)."})
    return sjabloon


def bewaar(
    session: Session,
    door: Medewerker,
    *,
    naam: str,
    tekst: str,
    onderwerp: str = "",
    sjabloon_id: uuid.UUID | None = None,
    nu: datetime,
) -> uuid.UUID:
    """Create or change a template (redacteur or beheerder)."""
    vereis(mag_artikel_bewerken(door), "antwoordsjablonen te beheren")
    fouten: dict[str, str] = {}
    naam, tekst, onderwerp = naam.strip(), tekst.strip(), onderwerp.strip()
    if not naam:
        fouten["naam"] = "Geef het sjabloon een naam."
    elif len(naam) > veldlengte(EmailSjabloon, "naam"):
        fouten["naam"] = f"Een naam heeft hoogstens {veldlengte(EmailSjabloon, 'naam')} tekens."
    if not tekst:
        fouten["tekst"] = "Een sjabloon zonder tekst helpt niemand."
    elif len(tekst) > MAX_TEKST:
        fouten["tekst"] = f"De tekst heeft hoogstens {MAX_TEKST} tekens."
    if len(onderwerp) > veldlengte(EmailSjabloon, "onderwerp"):
        fouten["onderwerp"] = "Het onderwerp is te lang."
    dubbel = session.execute(
        select(EmailSjabloon.id).where(func.lower(EmailSjabloon.naam) == naam.lower())
    ).scalar_one_or_none()
    if naam and dubbel is not None and dubbel != sjabloon_id:
        fouten["naam"] = f"Er is al een sjabloon '{naam}'."
    if fouten:
        raise SjabloonFout(fouten)
    sjabloon = haal(session, sjabloon_id) if sjabloon_id else EmailSjabloon(naam=naam)
    sjabloon.naam, sjabloon.tekst, sjabloon.onderwerp = naam, tekst, onderwerp
    sjabloon.gewijzigd_op, sjabloon.gewijzigd_door_id = nu, door.id
    session.add(sjabloon)
    session.flush()
    return sjabloon.id


def verwijder(session: Session, door: Medewerker, sjabloon_id: uuid.UUID) -> None:
    vereis(mag_artikel_bewerken(door), "antwoordsjablonen te beheren")
    session.delete(haal(session, sjabloon_id))


def vul_in(
    tekst: str, *, naam: str, nu: datetime, deadline: datetime, kenmerk: str, medewerker: str
) -> str:
    waarden = {
        "naam": naam or "heer, mevrouw",
        "datum": f"{lokaal(nu):%d-%m-%Y}",
        "deadline": termijn.uiterlijk(deadline),
        "kenmerk": kenmerk,
        "medewerker": medewerker,
    }
    return re.sub(r"\{(\w+)\}", lambda m: waarden.get(m.group(1).lower(), m.group(0)), tekst)
