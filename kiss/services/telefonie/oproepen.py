"""Storing what the phone system reports, once, and what follows from it.

- ``newCall``: the oproep is registered (the desktops show it ringing).
- ``answer``: the medewerker who answered is found by extension or user name; for an
  incoming call a telefoon contactmoment is started as concept for that medewerker, with the
  caller's number and, when exactly one klant has that number, the klant attached. Their
  running KISS opens it (see :mod:`kiss.services.telefonie.luisteraar`); when KISS is not
  running it is offered at the next start like any unfinished contact.
- ``hangup``: the call's end is stored, and the contactmomenten of the call get the call's
  start and end as their times, so the handling time in the dashboard is the real one.

A repeated event (same callId and event) changes nothing. On PostgreSQL every accepted event
sends a NOTIFY on :data:`KANAAL` in the same transaction, so listeners wake at commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import (
    Contactmoment,
    Medewerker,
    Oproep,
    OproepGebeurtenis,
)
from kiss.services.contact import contactmomenten
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.klant.zoeken import herken_contact
from kiss.services.telefonie.cti import CtiGebeurtenis, beller
from kiss.validation import ValidatieFout

KANAAL = "kiss_oproep"
"""PostgreSQL NOTIFY channel; the payload is the event's volgnummer."""


@dataclass(frozen=True)
class Verwerkt:
    dubbel: bool  # the same event for this call was already accepted: nothing changed
    oproep_id: uuid.UUID | None
    volgnummer: int | None = None
    medewerker_id: uuid.UUID | None = None
    contactmoment_id: uuid.UUID | None = None


def _actief() -> object:
    return col(Medewerker.actief).is_(True)


def zoek_medewerker(
    session: Session, toestel: str = "", gebruikers: tuple[str, ...] = ()
) -> Medewerker | None:
    """Who is on the phone: ``answeringNumber`` as toestel, gebruikersnaam, e-mail or
    personeelsnummer; else the first ``user[]`` that is a gebruikersnaam, toestel or the full
    name of exactly one active medewerker."""
    if toestel:
        for kolom, waarde in (
            (Medewerker.toestel, toestel),
            (Medewerker.gebruikersnaam, toestel),
            (Medewerker.email, toestel.lower()),
            (Medewerker.personeelsnummer, toestel),
        ):
            gevonden = (
                session.execute(select(Medewerker).where(kolom == waarde, _actief()))
                .scalars()
                .first()
            )
            if gevonden is not None:
                return gevonden
    for naam in gebruikers:
        gevonden = (
            session.execute(
                select(Medewerker).where(
                    or_(Medewerker.gebruikersnaam == naam, Medewerker.toestel == naam), _actief()
                )
            )
            .scalars()
            .first()
        )
        if gevonden is not None:
            return gevonden
        achternaam = naam.split()[-1].casefold() if naam.split() else ""
        kandidaten = [
            m
            for m in session.execute(
                select(Medewerker).where(func.lower(Medewerker.achternaam) == achternaam, _actief())
            ).scalars()
            if m.naam.casefold() == " ".join(naam.split()).casefold()
        ]
        if len(kandidaten) == 1:
            return kandidaten[0]
    return None


def _oproep(session: Session, melding: CtiGebeurtenis, nu: datetime) -> Oproep:
    oproep = session.execute(
        select(Oproep).where(Oproep.call_id == melding.call_id)
    ).scalar_one_or_none()
    if oproep is None:
        oproep = Oproep(call_id=melding.call_id, richting=melding.richting, gestart_op=nu)
        session.add(oproep)
    for veld, waarde in (
        ("van", melding.van),
        ("naar", melding.naar),
        ("wachtrij", melding.wachtrij),
    ):
        if waarde and not getattr(oproep, veld):
            setattr(oproep, veld, waarde)
    if melding.gebruikers and not oproep.gebruikers:
        oproep.gebruikers = ";".join(melding.gebruikers)[:1000]
    return oproep


def _start_contact(
    session: Session, oproep: Oproep, medewerker: Medewerker, settings: Settings, nu: datetime
) -> Contactmoment | None:
    """The concept contactmoment the agent's desktop opens; None if KISS cannot make one
    (kanaal telefoon or the default gemeente not configured): the call is still stored."""
    nummer = beller(oproep.van)
    try:
        contact = contactmomenten.start(
            session,
            medewerker,
            kanaal="telefoon",
            gemeente=settings.gemeente,
            settings=settings,
            contact_nummer=nummer,
            nu=nu,
        )
        treffers = herken_contact(session, nummer) if nummer else []
    except (InvoerFouten, ValidatieFout):
        return None
    if len(treffers) == 1:
        contactmomenten.koppel_klant(session, contact.id, treffers[0].id, nu)
    return contact


def pas_gesprekstijden_toe(session: Session, oproep: Oproep) -> int:
    """Give the contactmomenten of an ended call the call's answer and end as start and end.

    Returns how many changed. Also run after afronden (which stamps its own moment), so the
    ended call wins; :func:`herstel_gesprekstijden` does that for recent calls."""
    if oproep.gesprek_id is None or oproep.beeindigd_op is None:
        return 0
    begin = oproep.beantwoord_op or oproep.gestart_op
    gedaan = session.execute(
        update(Contactmoment)
        .where(
            col(Contactmoment.gesprek_id) == oproep.gesprek_id,
            or_(
                col(Contactmoment.gestart_op) != begin,
                col(Contactmoment.beeindigd_op).is_(None),
                col(Contactmoment.beeindigd_op) != oproep.beeindigd_op,
            ),
        )
        .values(gestart_op=begin, beeindigd_op=oproep.beeindigd_op)
        .execution_options(synchronize_session=False)
    )
    return int(gedaan.rowcount or 0)  # type: ignore[attr-defined]


def herstel_gesprekstijden(session: Session, nu: datetime, venster: timedelta) -> int:
    """For calls that ended within ``venster``: contactmomenten afgerond after the hangup
    got the afronden moment as end; put the call's times back. One query finds the few
    calls that need it (the dienst runs this every few seconds)."""
    begin = func.coalesce(Oproep.beantwoord_op, Oproep.gestart_op)
    nodig = session.execute(
        select(Oproep)
        .join(Contactmoment, col(Contactmoment.gesprek_id) == col(Oproep.gesprek_id))
        .where(
            col(Oproep.beeindigd_op) >= nu - venster,
            or_(
                col(Contactmoment.gestart_op) != begin,
                col(Contactmoment.beeindigd_op).is_(None),
                col(Contactmoment.beeindigd_op) != col(Oproep.beeindigd_op),
            ),
        )
        .distinct()
    ).scalars()
    return sum(pas_gesprekstijden_toe(session, oproep) for oproep in list(nodig))


def verwerk(
    session: Session, melding: CtiGebeurtenis, *, settings: Settings, nu: datetime
) -> Verwerkt:
    """Store one webhook event (idempotent on callId + event) and act on it."""
    al = session.execute(
        select(OproepGebeurtenis.volgnummer).where(
            OproepGebeurtenis.call_id == melding.call_id,
            OproepGebeurtenis.gebeurtenis == melding.gebeurtenis,
        )
    ).first()
    if al is not None:
        return Verwerkt(dubbel=True, oproep_id=None)
    oproep = _oproep(session, melding, nu)
    contact: Contactmoment | None = None
    medewerker: Medewerker | None = None
    if melding.gebeurtenis == "newCall":
        medewerker = zoek_medewerker(session, melding.toestel, melding.gebruikers)
        if len(melding.gebruikers) > 1:
            medewerker = None  # a group rings: nobody in particular
    elif melding.gebeurtenis == "answer":
        medewerker = zoek_medewerker(session, melding.toestel, melding.gebruikers)
        oproep.beantwoord_op = oproep.beantwoord_op or nu
        if medewerker is not None:
            oproep.medewerker_id = medewerker.id
            if oproep.richting == "in" and oproep.gesprek_id is None:
                session.flush()
                contact = _start_contact(session, oproep, medewerker, settings, nu)
                if contact is not None:
                    oproep.gesprek_id = contact.gesprek_id
    else:
        oproep.beeindigd_op = oproep.beeindigd_op or nu
        oproep.oorzaak = melding.oorzaak or oproep.oorzaak
        if oproep.medewerker_id is not None:
            medewerker = session.get(Medewerker, oproep.medewerker_id)
        session.flush()
        pas_gesprekstijden_toe(session, oproep)
    session.flush()
    gebeurtenis = OproepGebeurtenis(
        call_id=melding.call_id,
        gebeurtenis=melding.gebeurtenis,
        oproep_id=oproep.id,
        medewerker_id=medewerker.id if medewerker else None,
        contactmoment_id=contact.id if contact else None,
        ontvangen_op=nu,
    )
    session.add(gebeurtenis)
    try:
        session.flush()
    except IntegrityError:  # a concurrent copy of the same event won the race
        session.rollback()
        return Verwerkt(dubbel=True, oproep_id=None)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:kanaal, :inhoud)"),
            {"kanaal": KANAAL, "inhoud": str(gebeurtenis.volgnummer)},
        )
    return Verwerkt(
        dubbel=False,
        oproep_id=oproep.id,
        volgnummer=gebeurtenis.volgnummer,
        medewerker_id=gebeurtenis.medewerker_id,
        contactmoment_id=gebeurtenis.contactmoment_id,
    )


ONBEANTWOORD_NA = timedelta(minutes=10)  # a call in a queue this long unanswered is missed
#: The CTI hangup causes (as Zammad documents them), in Dutch for the teamlead.
OORZAKEN = {
    "cancel": "beller hing op",
    "noAnswer": "niet opgenomen",
    "busy": "bezet",
    "congestion": "overbelast",
    "notFound": "nummer onbekend",
    "forwarded": "doorgeschakeld",
    "normalClearing": "opgehangen",
}


@dataclass(frozen=True)
class GemisteOproep:
    call_id: str
    nummer: str  # as the phone system sent it
    wachtrij: str
    gestart_op: datetime
    beeindigd_op: datetime | None
    oorzaak: str

    @property
    def terugbelnummer(self) -> str:
        """The number to call back; empty when the caller withheld it."""
        return "" if self.nummer.strip().lower() in ("", "anonymous", "anoniem") else self.nummer

    @property
    def reden(self) -> str:
        """Why it was missed, in Dutch."""
        if not self.oorzaak:
            return "niet aangenomen" if self.beeindigd_op else "nog niet aangenomen"
        return OORZAKEN.get(self.oorzaak, self.oorzaak)


def gemiste_oproepen(
    session: Session,
    van: datetime,
    tot: datetime,
    *,
    nu: datetime,
    wachttijd: timedelta = ONBEANTWOORD_NA,
) -> list[GemisteOproep]:
    """Incoming calls in a queue between ``van`` and ``tot`` that nobody answered: hung up
    unanswered, or still unanswered after ``wachttijd`` (the phone system never said)."""
    rijen = session.execute(
        select(Oproep)
        .where(
            col(Oproep.gestart_op) >= van,
            col(Oproep.gestart_op) < tot,
            Oproep.richting == "in",
            Oproep.wachtrij != "",
            col(Oproep.beantwoord_op).is_(None),
            or_(col(Oproep.beeindigd_op).is_not(None), col(Oproep.gestart_op) < nu - wachttijd),
        )
        .order_by(col(Oproep.gestart_op).desc())
    ).scalars()
    return [
        GemisteOproep(o.call_id, o.van, o.wachtrij, o.gestart_op, o.beeindigd_op, o.oorzaak)
        for o in rijen
    ]


def hoogste_volgnummer(session: Session) -> int:
    return int(session.execute(select(func.max(OproepGebeurtenis.volgnummer))).scalar() or 0)


def neem_gesprekstijden_over(session: Session, gesprek_id: uuid.UUID) -> bool:
    """After afronden a contact of a call that already ended: the call's times win again.
    (The dienst also repairs this within seconds; calling it in the afronden transaction
    makes it exact at once.)"""
    oproep = session.execute(
        select(Oproep).where(Oproep.gesprek_id == gesprek_id)
    ).scalar_one_or_none()
    return oproep is not None and pas_gesprekstijden_toe(session, oproep) > 0


def opschonen(session: Session, voor: datetime) -> int:
    """Delete calls that started before ``voor`` (they hold the caller's number): the same
    retention as contactmomenten. Returns how many calls were deleted."""
    oud = select(Oproep.id).where(col(Oproep.gestart_op) < voor).scalar_subquery()
    session.execute(delete(OproepGebeurtenis).where(col(OproepGebeurtenis.oproep_id).in_(oud)))
    gedaan = session.execute(delete(Oproep).where(col(Oproep.gestart_op) < voor))
    return int(gedaan.rowcount or 0)  # type: ignore[attr-defined]
