"""The werkplek: one Textual-free object per running session (see :mod:`.werkplek`)."""

from kiss.werkplek.open_contacten import OpenContact
from kiss.werkplek.werkplek import (
    Aanmelding,
    Afgerond,
    ContactGestart,
    Keuzes,
    NieuwContact,
    NotitieGemaakt,
    Werkplek,
    controleer_nummer,
)

__all__ = [
    "Aanmelding",
    "Afgerond",
    "ContactGestart",
    "Keuzes",
    "NieuwContact",
    "NotitieGemaakt",
    "OpenContact",
    "Werkplek",
    "controleer_nummer",
]
