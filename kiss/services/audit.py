"""Audit trail: every look at a klantbeeld, every full BSN shown, every change.

The trail is hash-chained: when a session flushes new :class:`Auditregel` rows they get the
next ``volgnummer`` and ``hash = sha256(content + previous hash)``, under a lock so that
simultaneous agents form one chain. :func:`controleer` walks the chain and names the first
row that was changed, inserted or removed behind KISS's back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from kiss.models import Auditregel, Medewerker, utcnow
from kiss.models.audit import bereken_hash, tijd_tekst

KLANTBEELD_GEOPEND = "klantbeeld_geopend"
BSN_GETOOND = "bsn_getoond"
KLANT_AANGEMAAKT = "klant_aangemaakt"
KLANT_GEWIJZIGD = "klant_gewijzigd"
KLANT_GEZOCHT = "klant_gezocht"
CONTACTMOMENT_OPGESLAGEN = "contactmoment_opgeslagen"
CONTACTMOMENT_AFGEROND = "contactmoment_afgerond"
OPGESCHOOND = "bewaartermijn_opgeschoond"
AUDIT_OPGESCHOOND = "audit_opgeschoond"
GEBRUIKER_TOEGEVOEGD = "gebruiker_toegevoegd"
GEBRUIKER_INGETROKKEN = "gebruiker_ingetrokken"
IMPORT = "import"


def log(
    session: Session,
    medewerker: Medewerker | None,
    actie: str,
    *,
    object_type: str = "",
    object_id: uuid.UUID | str = "",
    klant_id: uuid.UUID | None = None,
    details: str = "",
) -> Auditregel:
    """Append one audit row in the caller's transaction (so it commits with the change)."""
    regel = Auditregel(
        moment=utcnow(),
        medewerker_id=medewerker.id if medewerker else None,
        actie=actie,
        object_type=object_type,
        object_id=str(object_id)[:64],
        klant_id=klant_id,
        details=details[:1000],
    )
    session.add(regel)
    return regel


def regels_voor_klant(session: Session, klant_id: uuid.UUID, limit: int = 200) -> list[Auditregel]:
    statement = (
        select(Auditregel)
        .where(Auditregel.klant_id == klant_id)
        .order_by(col(Auditregel.moment).desc())
        .limit(limit)
    )
    return list(session.exec(statement))


# --- the hash chain ---------------------------------------------------------------------


@dataclass(frozen=True)
class Controle:
    """The outcome of :func:`controleer`; ``fout`` is empty when the chain is intact."""

    gecontroleerd: int
    eerste: int | None
    laatste: int | None
    fout: str = ""
    gebroken_id: uuid.UUID | None = None
    gebroken_volgnummer: int | None = None

    @property
    def in_orde(self) -> bool:
        return not self.fout


def _opgeschoonde_schakels(session: Session) -> dict[int, str]:
    """Retention records: first kept volgnummer → the hash it must chain onto."""
    schakels: dict[int, str] = {}
    for details in session.execute(
        select(Auditregel.details).where(Auditregel.actie == AUDIT_OPGESCHOOND)
    ).scalars():
        try:
            data = json.loads(details)
            schakels[int(data["tot_en_met"]) + 1] = str(data["laatste_hash"])
        except (ValueError, KeyError, TypeError):
            continue
    return schakels


def _in_volgorde(session: Session, per: int = 5000) -> Iterator[Auditregel]:
    vanaf = 0
    while True:
        regels = list(
            session.exec(
                select(Auditregel)
                .where(col(Auditregel.volgnummer) > vanaf)
                .order_by(col(Auditregel.volgnummer))
                .limit(per)
            )
        )
        yield from regels
        if len(regels) < per:
            return
        vanaf = int(regels[-1].volgnummer or 0)
        session.expunge_all()


def _breuk(aantal: int, eerste: int | None, regel: Auditregel, reden: str) -> Controle:
    nummer = int(regel.volgnummer or 0)
    return Controle(aantal, eerste, nummer, reden, regel.id, nummer)


def controleer(session: Session) -> Controle:
    """Walk the whole chain; stop at the first row that does not fit."""
    opgeschoond = _opgeschoonde_schakels(session)
    verwacht_nummer: int | None = None
    vorige = ""
    eerste: int | None = None
    aantal = 0
    for regel in _in_volgorde(session):
        nummer = int(regel.volgnummer or 0)
        aantal += 1
        if verwacht_nummer is None:
            eerste = nummer
            if nummer in opgeschoond:
                vorige = opgeschoond[nummer]
            elif nummer != 1:
                return _breuk(
                    aantal,
                    eerste,
                    regel,
                    f"Auditregel {nummer} ({regel.id}) is de eerste, maar de regels ervoor "
                    "zijn verwijderd zonder vastgelegde opschoning.",
                )
        elif nummer != verwacht_nummer:
            return _breuk(
                aantal,
                eerste,
                regel,
                f"Auditregel {verwacht_nummer} tot {nummer} ontbreekt; de keten breekt "
                f"bij regel {nummer} ({regel.id}).",
            )
        if regel.vorige_hash != vorige:
            return _breuk(
                aantal,
                eerste,
                regel,
                f"Auditregel {nummer} ({regel.id}) sluit niet aan op de regel ervoor "
                "(er is een regel gewijzigd, verwijderd of tussengevoegd).",
            )
        if bereken_hash(regel) != regel.hash:
            return _breuk(
                aantal,
                eerste,
                regel,
                f"Auditregel {nummer} ({regel.id}) is gewijzigd na het vastleggen "
                f"(actie '{regel.actie}', moment {tijd_tekst(regel.moment)}).",
            )
        vorige = regel.hash
        verwacht_nummer = nummer + 1
    return Controle(aantal, eerste, (verwacht_nummer - 1) if verwacht_nummer else None)


# --- export for the privacy officer ---------------------------------------------------------

EXPORT_KOLOMMEN = (
    "volgnummer",
    "moment",
    "medewerker",
    "actie",
    "object_type",
    "object_id",
    "klant_id",
    "details",
    "hash",
)


def exporteer(session: Session, van: datetime, tot: datetime) -> Iterator[dict[str, str]]:
    """The rows with ``van <= moment < tot``, oldest first, with the medewerker's name."""
    namen: dict[uuid.UUID, str] = {}
    statement = (
        select(Auditregel)
        .where(col(Auditregel.moment) >= van, col(Auditregel.moment) < tot)
        .order_by(col(Auditregel.volgnummer))
    )
    for regel in session.exec(statement):
        naam = ""
        if regel.medewerker_id is not None:
            if regel.medewerker_id not in namen:
                mdw = session.get(Medewerker, regel.medewerker_id)
                namen[regel.medewerker_id] = (
                    f"{mdw.naam} ({mdw.gebruikersnaam or mdw.personeelsnummer or ''})"
                    if mdw
                    else str(regel.medewerker_id)
                )
            naam = namen[regel.medewerker_id]
        yield {
            "volgnummer": str(regel.volgnummer),
            "moment": tijd_tekst(regel.moment),
            "medewerker": naam,
            "actie": regel.actie,
            "object_type": regel.object_type,
            "object_id": regel.object_id,
            "klant_id": str(regel.klant_id or ""),
            "details": regel.details,
            "hash": regel.hash,
        }


def klant_gezocht(
    session: Session, medewerker: Medewerker, soort: str, gevonden: list[uuid.UUID]
) -> Auditregel:
    """A klant search: who, when and on what kind of key — never the searched value (a BSN,
    a phone number) itself; the klanten found are listed by id."""
    ids = ",".join(str(i) for i in gevonden[:20])
    return log(
        session,
        medewerker,
        KLANT_GEZOCHT,
        object_type="klant",
        klant_id=gevonden[0] if len(gevonden) == 1 else None,
        details=f"gezocht op {soort}; {len(gevonden)} treffer(s)" + (f": {ids}" if ids else ""),
    )
