"""The e-mail queue: cases waiting for an answer, the oldest deadline first, and "pak de
volgende" that never gives two agents the same mail.

Claiming is one conditional UPDATE (``… WHERE status = 'open'``, the version raised): of two
agents only one changes the row, the other takes the next one. PostgreSQL first skips rows
another transaction has locked (``FOR UPDATE SKIP LOCKED``); SQLite serialises writers with
``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from kiss.models import Gemeente, Klant, Medewerker
from kiss.models.email import WACHT_OP_ANTWOORD, EmailBericht, EmailStatus, EmailZaak
from kiss.rollen import mag_klanten_zien, mag_wachtrij_sturen, vereis
from kiss.validation import ValidatieFout

Z = EmailZaak
PAGINA = 100


class EmailFout(ValidatieFout):
    """A Dutch message for the agent about one case (a refusal: shown where it was asked)."""


class AlGeclaimd(EmailFout):
    pass


@dataclass(frozen=True)
class EmailRegel:
    id: uuid.UUID
    onderwerp: str
    afzender: str
    afzender_naam: str
    klant: str
    gemeente: str
    status: str
    ontvangen_op: datetime
    deadline: datetime
    behandelaar: str
    berichten: int
    versie: int

    @property
    def van(self) -> str:
        return self.afzender_naam or self.afzender or "(geen afzender)"


def vereis_toegang(medewerker: Medewerker) -> None:
    vereis(mag_klanten_zien(medewerker), "de e-mail van klanten te behandelen")


def _naam(kolom: Any) -> Any:
    return (
        select(Medewerker.voornaam + " " + Medewerker.voorvoegsel + " " + Medewerker.achternaam)
        .where(col(Medewerker.id) == kolom)
        .scalar_subquery()
    )


def wachtrij(
    session: Session,
    medewerker: Medewerker,
    *,
    alleen_mijn: bool = False,
    statussen: tuple[str, ...] = tuple(WACHT_OP_ANTWOORD),
    limit: int = PAGINA,
    offset: int = 0,
) -> list[EmailRegel]:
    """Cases in the given states, earliest deadline first (claimed and forwarded ones stay
    visible until they are answered)."""
    vereis_toegang(medewerker)
    klantnaam = (
        select(
            func.coalesce(
                func.nullif(Klant.handelsnaam, ""),
                Klant.voornamen + " " + Klant.voorvoegsel + " " + Klant.achternaam,
            )
        )
        .where(col(Klant.id) == Z.klant_id)
        .scalar_subquery()
    )
    aantal = select(func.count()).where(col(EmailBericht.zaak_id) == Z.id).scalar_subquery()
    gemeente = select(Gemeente.naam).where(col(Gemeente.id) == Z.gemeente_id).scalar_subquery()
    vraag = (
        select(Z, klantnaam, gemeente, _naam(Z.behandelaar_id), aantal)
        .where(col(Z.status).in_(statussen))
        .order_by(col(Z.deadline), col(Z.ontvangen_op))
        .limit(limit)
        .offset(offset)
    )
    if alleen_mijn:
        vraag = vraag.where(col(Z.behandelaar_id) == medewerker.id)
    return [
        EmailRegel(
            z.id,
            z.onderwerp,
            z.afzender,
            z.afzender_naam,
            " ".join((k or "").split()),
            g or "",
            z.status,
            z.ontvangen_op,
            z.deadline,
            " ".join((b or "").split()),
            int(n or 0),
            z.versie,
        )
        for z, k, g, b, n in session.execute(vraag).all()
    ]


def tellingen(session: Session, nu: datetime) -> dict[str, int]:
    """Per state the number of cases waiting for an answer, and how many are late."""
    rijen = session.execute(
        select(Z.status, func.count())
        .where(col(Z.status).in_(WACHT_OP_ANTWOORD))
        .group_by(Z.status)
    ).all()
    telling = {str(s): int(n) for s, n in rijen}
    telling["te_laat"] = int(
        session.execute(
            select(func.count()).where(col(Z.status).in_(WACHT_OP_ANTWOORD), Z.deadline < nu)
        ).scalar_one()
    )
    return telling


def _neem(session: Session, door: Medewerker, zaak_id: uuid.UUID, nu: datetime) -> bool:
    gedaan = session.execute(
        update(Z)
        .where(col(Z.id) == zaak_id, col(Z.status) == EmailStatus.OPEN)
        .values(
            status=EmailStatus.IN_BEHANDELING,
            behandelaar_id=door.id,
            geclaimd_op=nu,
            versie=Z.versie + 1,
            gewijzigd_op=nu,
        )
    )
    return bool(gedaan.rowcount)  # type: ignore[attr-defined]


def pak_volgende(session: Session, door: Medewerker, nu: datetime) -> uuid.UUID | None:
    """Claim the open case with the earliest deadline; None when none is left. One short
    transaction: the caller commits at once."""
    vereis_toegang(door)
    for _ in range(20):  # only PostgreSQL can lose a race here, and then rarely twice
        kandidaat = session.execute(
            select(Z.id)
            .where(col(Z.status) == EmailStatus.OPEN)
            .order_by(col(Z.deadline), col(Z.ontvangen_op))
            .limit(1)
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if kandidaat is None:
            return None
        if _neem(session, door, kandidaat, nu):
            return kandidaat
    return None


def zaak_van(session: Session, zaak_id: uuid.UUID) -> EmailZaak:
    zaak = session.get(EmailZaak, zaak_id)
    if zaak is None:
        raise EmailFout("Deze e-mail bestaat niet (meer).")
    return zaak


def _wie(session: Session, medewerker_id: uuid.UUID | None) -> str:
    m = session.get(Medewerker, medewerker_id) if medewerker_id else None
    return m.naam if m is not None else "een collega"


def claim(
    session: Session, door: Medewerker, zaak_id: uuid.UUID, nu: datetime, versie: int | None = None
) -> EmailZaak:
    """Take this case. Already mine: fine. Someone else's or changed since shown: a Dutch
    :class:`AlGeclaimd` that names who."""
    vereis_toegang(door)
    zaak = zaak_van(session, zaak_id)
    if zaak.status == EmailStatus.IN_BEHANDELING and zaak.behandelaar_id == door.id:
        return zaak
    if zaak.status == EmailStatus.IN_BEHANDELING:
        raise AlGeclaimd(f"{_wie(session, zaak.behandelaar_id)} behandelt deze e-mail al.")
    if zaak.status not in WACHT_OP_ANTWOORD:
        raise EmailFout(f"Deze e-mail is al {EmailStatus(zaak.status).label.lower()}.")
    if versie is not None and zaak.versie != versie:
        raise AlGeclaimd("Deze e-mail is intussen gewijzigd; de lijst is ververst.")
    gedaan = session.execute(
        update(Z)
        .where(col(Z.id) == zaak_id, col(Z.versie) == zaak.versie)
        .values(
            status=EmailStatus.IN_BEHANDELING,
            behandelaar_id=door.id,
            geclaimd_op=nu,
            versie=Z.versie + 1,
            gewijzigd_op=nu,
        )
    )
    if not gedaan.rowcount:  # type: ignore[attr-defined]
        session.expire(zaak)
        raise AlGeclaimd(f"{_wie(session, zaak.behandelaar_id)} was u net voor.")
    session.refresh(zaak)
    return zaak


def vrijgeven(session: Session, door: Medewerker, zaak_id: uuid.UUID, nu: datetime) -> None:
    """Put a claimed case back in the queue: my own, or (teamlead, beheerder) anyone's, e.g.
    of a colleague who went home."""
    vereis_toegang(door)
    zaak = zaak_van(session, zaak_id)
    if zaak.status != EmailStatus.IN_BEHANDELING:
        raise EmailFout("Deze e-mail wordt door niemand behandeld.")
    if zaak.behandelaar_id != door.id and not mag_wachtrij_sturen(door):
        raise EmailFout("Alleen een e-mail die u zelf behandelt, kunt u teruggeven.")
    zaak.status, zaak.behandelaar_id, zaak.geclaimd_op = EmailStatus.OPEN, None, None
    zaak.versie += 1
    zaak.gewijzigd_op = nu
