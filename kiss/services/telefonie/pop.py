"""What the desktop needs to open an answered call: the concept contactmoment the dienst
started, and the klanten with the caller's number (one → its klantbeeld, several → the
choice, none → the search field with the number)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from kiss.models import Contactmoment, ContactmomentStatus
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import ContactSamenvatting
from kiss.services.klant.zoeken import KlantTreffer, herken_contact
from kiss.validation import ValidatieFout


@dataclass(frozen=True)
class Pop:
    contact: ContactSamenvatting
    treffers: list[KlantTreffer]
    nummer: str  # E.164, '' when the caller was anonymous


def pop(session: Session, contactmoment_id: uuid.UUID) -> Pop | None:
    """None when the contactmoment is gone or already closed (e.g. in another window)."""
    contact = session.get(Contactmoment, contactmoment_id)
    if contact is None or contact.status != ContactmomentStatus.CONCEPT:
        return None
    nummer = contact.contact_nummer
    try:
        treffers = herken_contact(session, nummer) if nummer else []
    except ValidatieFout:
        treffers = []
    return Pop(contactmomenten.samenvatting(session, contact), treffers, nummer)
