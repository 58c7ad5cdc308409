"""The outbox rows a local save adds, in the caller's transaction, when Open Klant is switched
on (``KISS_OPENKLANT_URL``). Nothing here talks to the register: an agent never waits for it.

The payload names the local row; the sender builds the body at send time.
"""

from __future__ import annotations

from sqlmodel import Session

from kiss.models import Contactmoment, Terugbelnotitie, Terugbelpoging
from kiss.services import uitgaand
from kiss.services.openklant import config

SOORT = "openklant"


def _groep_contact(contact: Contactmoment) -> str:
    return f"{SOORT}:contactmoment:{contact.id}"


def _groep_notitie(notitie: Terugbelnotitie) -> str:
    return f"{SOORT}:terugbelnotitie:{notitie.id}"


def contact_afgerond(session: Session, contact: Contactmoment) -> None:
    """Each closed question becomes its own klantcontact."""
    if not config.actief():
        return
    uitgaand.plaats(
        session,
        soort=SOORT,
        sleutel=f"{SOORT}:klantcontact:{contact.id}",
        groep=_groep_contact(contact),
        payload={"type": "klantcontact", "contactmoment_id": str(contact.id)},
    )


def terugbelnotitie_gemaakt(session: Session, notitie: Terugbelnotitie) -> None:
    if not config.actief():
        return
    uitgaand.plaats(
        session,
        soort=SOORT,
        sleutel=f"{SOORT}:internetaak:{notitie.id}",
        groep=_groep_notitie(notitie),
        payload={"type": "internetaak", "terugbelnotitie_id": str(notitie.id)},
    )


def poging_gelogd(session: Session, poging: Terugbelpoging) -> None:
    if not config.actief():
        return
    uitgaand.plaats(
        session,
        soort=SOORT,
        sleutel=f"{SOORT}:poging:{poging.id}",
        groep=f"{SOORT}:terugbelnotitie:{poging.terugbelnotitie_id}",
        payload={"type": "poging", "poging_id": str(poging.id)},
    )


def terugbelnotitie_afgehandeld(
    session: Session, notitie: Terugbelnotitie, contact: Contactmoment | None
) -> None:
    if not config.actief():
        return
    uitgaand.plaats(
        session,
        soort=SOORT,
        # per version of the note: a reopened note that is closed again is closed again there
        sleutel=f"{SOORT}:afgehandeld:{notitie.id}:{notitie.versie}",
        groep=_groep_notitie(notitie),
        payload={
            "type": "afgehandeld",
            "terugbelnotitie_id": str(notitie.id),
            "contactmoment_id": str(contact.id) if contact else None,
        },
    )


def terugbelnotitie_heropend(session: Session, notitie: Terugbelnotitie) -> None:
    """A teamlead reopened a closed note: its internetaak is open again in the register."""
    if not config.actief():
        return
    uitgaand.plaats(
        session,
        soort=SOORT,
        sleutel=f"{SOORT}:heropend:{notitie.id}:{notitie.versie}",
        groep=_groep_notitie(notitie),
        payload={"type": "heropend", "terugbelnotitie_id": str(notitie.id)},
    )
