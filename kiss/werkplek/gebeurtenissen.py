"""App-wide changes as typed events (past tense): screens subscribe to what they show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Gebeurtenis:
    """Something changed that other areas may be showing."""


@dataclass(frozen=True)
class ContactmomentAfgerond(Gebeurtenis):
    contact_id: uuid.UUID
    klant_id: uuid.UUID | None


@dataclass(frozen=True)
class TerugbelnotitieGewijzigd(Gebeurtenis):
    notitie_id: uuid.UUID | None = None


@dataclass(frozen=True)
class KlantGewijzigd(Gebeurtenis):
    klant_id: uuid.UUID


@dataclass(frozen=True)
class KennisbankGewijzigd(Gebeurtenis):
    artikel_id: uuid.UUID | None = None


@dataclass(frozen=True)
class DemoGeladen(Gebeurtenis):
    pass


@dataclass(frozen=True)
class ContactGeopend(Gebeurtenis):
    """A new contactmoment was started (the kennisbank starts its search empty)."""

    contact_id: uuid.UUID


@dataclass(frozen=True)
class ContactGewijzigd(Gebeurtenis):
    """The werkplek changed an open contact outside the klant screen (an article used as
    onderwerp, a transfer): the klant screen shows it again."""

    contact_id: uuid.UUID


@dataclass(frozen=True)
class InstellingenGewijzigd(Gebeurtenis):
    """The organisation's settings changed (here or by a beheerder elsewhere): lists of
    kanalen, gespreksresultaten, gemeenten and links are read again from ``settings``."""

    versie: int = 0


@dataclass(frozen=True)
class NieuwsGewijzigd(Gebeurtenis):
    """Nieuws en werkinstructies changed, or an item was read: the start screen redraws."""
