"""When the kennisbank has no good answer: which colleagues know the subject.

The kennisbank screen shows "Geen passend artikel gevonden" and offers these colleagues (with
presence and stand-in, from the smoelenboek) and a terugbelnotitie. Textual-free.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from kiss.services.kennisbank.zoeken import inhoudswoorden
from kiss.services.smoelenboek.kaart import Soort
from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker, Treffer


def collegas_voor_vraag(engine: Engine, tekst: str, dag: date, *, limit: int = 5) -> list[Treffer]:
    """Colleagues whose expertise (or function, afdeling, team) fits the subject of a
    caller's question, present ones and stand-ins first; ``[]`` for a question without
    subject words."""
    kern = " ".join(inhoudswoorden(tekst))
    if not kern:
        return []
    return SmoelenboekZoeker.voor(engine).zoek(kern, dag, limit=limit, soort=Soort.MEDEWERKER)
