"""The agent's open contactmomenten as plain data: which are open, which one is active, and
what was typed in each (with the bookkeeping autosave needs)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from kiss.services.contact.contactmomenten import ContactInvoer, ContactSamenvatting


def invoer_uit(samenvatting: ContactSamenvatting) -> ContactInvoer:
    """The afronden fields as they were last stored."""
    return ContactInvoer(
        onderwerp=samenvatting.onderwerp,
        artikel_id=samenvatting.artikel_id,
        vraag=samenvatting.vraag,
        notitie=samenvatting.notitie,
        gespreksresultaat=samenvatting.gespreksresultaat,
        afdeling_id=samenvatting.afdeling_id,
        zaak_id=samenvatting.zaak_id,
        bronnen=samenvatting.bronnen,
        klantsignaal=samenvatting.klantsignaal,
        signaal_categorie=samenvatting.signaal_categorie,
    )


@dataclass
class OpenContact:
    """One open contactmoment: what the database knows plus what is being typed."""

    samenvatting: ContactSamenvatting
    invoer: ContactInvoer = field(default_factory=ContactInvoer)
    versie: int = 0  # goes up with every change of ``invoer``
    bewaarde_versie: int = 0  # the version the database has
    eerste_onbewaard: float | None = None  # monotonic time of the oldest unsaved change
    laatste_wijziging: float = 0.0

    @property
    def id(self) -> uuid.UUID:
        return self.samenvatting.id

    @property
    def klant_id(self) -> uuid.UUID | None:
        return self.samenvatting.klant_id

    @property
    def label(self) -> str:
        return self.samenvatting.label

    @property
    def onbewaard(self) -> bool:
        return self.versie != self.bewaarde_versie

    def kopie(self) -> OpenContact:
        """A snapshot for a screen (the werkplek's copy may change in a worker thread)."""
        return replace(self, invoer=replace(self.invoer))


@dataclass
class OpenContacten:
    """The open contactmomenten in the order they were opened, and the active one."""

    contacten: dict[uuid.UUID, OpenContact] = field(default_factory=dict)
    actief_id: uuid.UUID | None = None

    @property
    def actief(self) -> OpenContact | None:
        return self.contacten.get(self.actief_id) if self.actief_id else None

    def voeg_toe(self, contact: OpenContact) -> None:
        self.contacten[contact.id] = contact
        self.actief_id = contact.id

    def haal(self, contact_id: uuid.UUID) -> OpenContact:
        try:
            return self.contacten[contact_id]
        except KeyError:
            raise LookupError("Dit contactmoment is niet (meer) open.") from None

    def sluit(self, contact_id: uuid.UUID) -> None:
        self.contacten.pop(contact_id, None)
        if self.actief_id == contact_id:
            self.actief_id = next(iter(self.contacten), None)

    def volgende(self) -> OpenContact | None:
        """The contact after the active one (round robin)."""
        ids = list(self.contacten)
        if not ids:
            return None
        if self.actief_id not in ids:
            self.actief_id = ids[0]
        else:
            self.actief_id = ids[(ids.index(self.actief_id) + 1) % len(ids)]
        return self.actief
