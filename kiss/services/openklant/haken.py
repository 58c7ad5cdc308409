"""The outbox rows a local save adds, in the caller's transaction, when Open Klant is switched
on (``KISS_OPENKLANT_URL``). Nothing here talks to the register: an agent never waits for it.

The payload names the local row; the sender builds the body at send time.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from kiss.models import Contactmoment, Terugbelnotitie, Terugbelpoging
from kiss.services import uitgaand
from kiss.services.openklant import config

SOORT = "openklant"


def _plaats(session: Session, sleutel: str, groep: str, payload: dict[str, Any]) -> None:
    """Queue one message (once per ``sleutel``); rows of one ``groep`` are sent in order."""
    if config.actief():
        uitgaand.plaats(
            session, soort=SOORT, sleutel=f"{SOORT}:{sleutel}", groep=f"{SOORT}:{groep}",
            payload=payload,
        )  # fmt: skip


def contact_afgerond(session: Session, contact: Contactmoment) -> None:
    """Each closed question becomes its own klantcontact."""
    _plaats(
        session, f"klantcontact:{contact.id}", f"contactmoment:{contact.id}",
        {"type": "klantcontact", "contactmoment_id": str(contact.id)},
    )  # fmt: skip


def terugbelnotitie_gemaakt(session: Session, notitie: Terugbelnotitie) -> None:
    _plaats(
        session, f"internetaak:{notitie.id}", f"terugbelnotitie:{notitie.id}",
        {"type": "internetaak", "terugbelnotitie_id": str(notitie.id)},
    )  # fmt: skip


def poging_gelogd(session: Session, poging: Terugbelpoging) -> None:
    _plaats(
        session, f"poging:{poging.id}", f"terugbelnotitie:{poging.terugbelnotitie_id}",
        {"type": "poging", "poging_id": str(poging.id)},
    )  # fmt: skip


def terugbelnotitie_afgehandeld(
    session: Session, notitie: Terugbelnotitie, contact: Contactmoment | None
) -> None:
    # per version of the note: a reopened note that is closed again is closed again there
    _plaats(
        session, f"afgehandeld:{notitie.id}:{notitie.versie}", f"terugbelnotitie:{notitie.id}",
        {
            "type": "afgehandeld",
            "terugbelnotitie_id": str(notitie.id),
            "contactmoment_id": str(contact.id) if contact else None,
        },
    )  # fmt: skip


def terugbelnotitie_heropend(session: Session, notitie: Terugbelnotitie) -> None:
    """A teamlead reopened a closed note: its internetaak is open again in the register."""
    _plaats(
        session, f"heropend:{notitie.id}:{notitie.versie}", f"terugbelnotitie:{notitie.id}",
        {"type": "heropend", "terugbelnotitie_id": str(notitie.id)},
    )  # fmt: skip
