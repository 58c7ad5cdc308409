"""The sources consulted per question (vraagbron): one place to store and read them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlmodel import Session, col

from kiss.models import Vraagbron
from kiss.models.base import veldlengte

MAX_BRON_TITEL = veldlengte(Vraagbron, "titel")
MAX_BRON_URL = veldlengte(Vraagbron, "url")
MAX_BRONNEN = 20


@dataclass(frozen=True)
class Bron:
    """A source the agent consulted for a question (see :class:`kiss.models.BronSoort`)."""

    soort: str
    titel: str
    verwijzing_id: uuid.UUID | None = None
    url: str = ""

    @property
    def label(self) -> str:
        return f"{self.titel} ({self.soort})"


def bewaar_bronnen(session: Session, contact_id: uuid.UUID, bronnen: tuple[Bron, ...]) -> None:
    """The question's sources as typed: the stored list is replaced (order kept)."""
    session.execute(delete(Vraagbron).where(col(Vraagbron.contactmoment_id) == contact_id))
    for volgnummer, bron in enumerate(bronnen[:MAX_BRONNEN]):
        session.add(
            Vraagbron(
                contactmoment_id=contact_id,
                volgnummer=volgnummer,
                soort=bron.soort,
                verwijzing_id=bron.verwijzing_id,
                titel=bron.titel[:MAX_BRON_TITEL],
                url=bron.url[:MAX_BRON_URL],
            )
        )


def bronnen_van(
    session: Session, contact_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[Bron, ...]]:
    """The sources of several questions at once, in the order they were consulted."""
    if not contact_ids:
        return {}
    rijen = session.execute(
        select(Vraagbron)
        .where(col(Vraagbron.contactmoment_id).in_(contact_ids))
        .order_by(Vraagbron.contactmoment_id, Vraagbron.volgnummer)
    ).scalars()
    resultaat: dict[uuid.UUID, list[Bron]] = {}
    for rij in rijen:
        resultaat.setdefault(rij.contactmoment_id, []).append(
            Bron(rij.soort, rij.titel, rij.verwijzing_id, rij.url)
        )
    return {k: tuple(v) for k, v in resultaat.items()}
