"""The start screen's use cases: what is in the database, what matters now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiss.services.rapportage.overzicht import Overzicht, overzicht

if TYPE_CHECKING:
    from kiss.werkplek.werkplek import Werkplek


class OverzichtWerk:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek

    def telling(self) -> Overzicht:
        """How many klanten, contacts, open notes, articles and colleagues there are."""
        with self.werkplek.lees() as session:
            return overzicht(session)
