"""Taking in one mail: stored once (by Message-ID), threaded onto its case, the klant
recognised by the sender's address, and a new case confirmed through the outbox.

Threading: the mail's In-Reply-To and References are looked up among the stored messages
(ours included: a resident who replies to the ontvangstbevestiging or to our answer lands on
the same case). A reply on an answered case reopens it with a fresh deadline. Automatic
mails (auto-replies, bounces, list mail, no sender) are never confirmed and never reopen a
case: confirming them could start a mail loop.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import Gemeente, Klant
from kiss.models.email import EmailBericht, EmailBijlage, EmailRichting, EmailStatus, EmailZaak
from kiss.services import uitgaand
from kiss.services.email import termijn
from kiss.services.email.instellingen import EmailInstellingen
from kiss.services.email.lezen import Binnenkomend
from kiss.services.klant.zoeken import herken_contact
from kiss.validation import ValidatieFout
from kiss.weergave import tijdstip

SOORT = "email"  # outbox soort of confirmations, answers and forwards
GEEN_ONDERWERP = "(geen onderwerp)"


@dataclass(frozen=True)
class Opgenomen:
    zaak_id: uuid.UUID
    bericht_id: uuid.UUID
    nieuw: bool  # False: this Message-ID was stored before, nothing changed
    nieuwe_zaak: bool = False
    bevestigd: bool = False
    heropend: bool = False


def kenmerk(zaak_id: uuid.UUID) -> str:
    """The short case number a resident and an agent read: the first 8 hex digits."""
    return zaak_id.hex[:8].upper()


def nieuw_message_id(instellingen: EmailInstellingen) -> str:
    domein = instellingen.adres.rpartition("@")[2] or "kiss.invalid"
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=domein)


def _gevonden_zaak(session: Session, binnen: Binnenkomend) -> EmailZaak | None:
    ids = [i for i in [binnen.in_reply_to, *reversed(binnen.referenties)] if i]
    if not ids:
        return None
    rijen = dict(
        session.execute(
            select(EmailBericht.message_id, EmailBericht.zaak_id).where(
                col(EmailBericht.message_id).in_(ids[:50])
            )
        ).all()
    )
    for message_id in ids:  # the direct parent first, then the newest reference
        if message_id in rijen:
            return session.get(EmailZaak, rijen[message_id])
    return None


def _gemeente_id(
    session: Session,
    klant_id: uuid.UUID | None,
    instellingen: EmailInstellingen,
    settings: Settings,
) -> uuid.UUID | None:
    if klant_id is not None:
        klant = session.get(Klant, klant_id)
        if klant is not None and klant.gemeente_id is not None:
            return klant.gemeente_id
    naam = (instellingen.gemeente or settings.gemeente).strip()
    return session.execute(
        select(Gemeente.id).where(func.lower(Gemeente.naam) == naam.lower())
    ).scalar_one_or_none()


def _klant_id(session: Session, adres: str) -> uuid.UUID | None:
    """The klant with this e-mail address when exactly one has it."""
    if not adres:
        return None
    try:
        treffers = herken_contact(session, adres)
    except ValidatieFout:
        return None
    return treffers[0].id if len(treffers) == 1 else None


def _voeg_bericht_toe(
    session: Session, zaak_id: uuid.UUID, binnen: Binnenkomend, moment: datetime
) -> uuid.UUID | None:
    """INSERT … ON CONFLICT DO NOTHING on message_id: None when another fetcher was first."""
    waarden = {
        "id": uuid.uuid4(),
        "zaak_id": zaak_id,
        "message_id": binnen.message_id,
        "richting": EmailRichting.IN.value,
        "in_reply_to": binnen.in_reply_to,
        "referenties": " ".join(binnen.referenties)[:20_000],
        "van": binnen.van,
        "aan": binnen.aan[:1000],
        "onderwerp": binnen.onderwerp[:998],
        "tekst": binnen.tekst,
        "was_html": binnen.was_html,
        "moment": moment,
        "medewerker_id": None,
        "melding": binnen.melding,
    }
    dialect = session.get_bind().dialect.name
    invoeg = (
        postgresql.insert(EmailBericht) if dialect == "postgresql" else sqlite.insert(EmailBericht)
    )
    return session.execute(
        invoeg.values(**waarden)
        .on_conflict_do_nothing(index_elements=["message_id"])
        .returning(EmailBericht.id)
    ).scalar_one_or_none()


def neem_op(
    session: Session,
    binnen: Binnenkomend,
    *,
    instellingen: EmailInstellingen,
    settings: Settings,
    nu: datetime,
    ontvangen_op: datetime | None = None,
) -> Opgenomen:
    """Store one mail in the caller's transaction (see the module text)."""
    bestaand = session.execute(
        select(EmailBericht.id, EmailBericht.zaak_id).where(
            EmailBericht.message_id == binnen.message_id
        )
    ).first()
    if bestaand is not None:
        return Opgenomen(bestaand.zaak_id, bestaand.id, nieuw=False)
    moment = ontvangen_op or nu
    zaak = _gevonden_zaak(session, binnen)
    nieuwe_zaak = zaak is None
    heropend = False
    if zaak is None:
        klant_id = _klant_id(session, binnen.van)
        automatisch = binnen.automatisch
        zaak = EmailZaak(
            gemeente_id=_gemeente_id(session, klant_id, instellingen, settings),
            onderwerp=(binnen.onderwerp or GEEN_ONDERWERP)[:200],
            afzender=binnen.van,
            afzender_naam=binnen.van_naam,
            klant_id=klant_id,
            status=EmailStatus.GESLOTEN if automatisch else EmailStatus.OPEN,
            ontvangen_op=moment,
            deadline=termijn.deadline(moment, settings, instellingen.termijn_werkdagen),
            melding=(
                "Automatisch bericht (afwezigheid, onbestelbaar of nieuwsbrief): gesloten "
                "zonder antwoord. "
                if automatisch
                else ""
            )
            + binnen.melding,
            gewijzigd_op=nu,
        )
        zaak.melding = zaak.melding[:1000]
        session.add(zaak)
        session.flush()
    elif not binnen.automatisch and zaak.status in (EmailStatus.BEANTWOORD, EmailStatus.GESLOTEN):
        # the resident writes again after the answer: a new question on the same case
        zaak.status = EmailStatus.OPEN
        zaak.behandelaar_id = None
        zaak.geclaimd_op = None
        zaak.beantwoord_op = None
        zaak.ontvangen_op = moment
        zaak.deadline = termijn.deadline(moment, settings, instellingen.termijn_werkdagen)
        zaak.versie += 1
        zaak.gewijzigd_op = nu
        heropend = True
    bericht_id = _voeg_bericht_toe(session, zaak.id, binnen, moment)
    if bericht_id is None:  # a second fetcher stored it a moment ago
        if nieuwe_zaak:
            session.delete(zaak)
        session.flush()
        bestaand = session.execute(
            select(EmailBericht.id, EmailBericht.zaak_id).where(
                EmailBericht.message_id == binnen.message_id
            )
        ).one()
        return Opgenomen(bestaand.zaak_id, bestaand.id, nieuw=False)
    for bijlage in binnen.bijlagen:
        session.add(
            EmailBijlage(
                bericht_id=bericht_id,
                bestandsnaam=bijlage.bestandsnaam,
                mime=bijlage.mime,
                grootte=bijlage.grootte,
                inhoud=bijlage.inhoud,
                weggelaten=bijlage.inhoud is None,
            )
        )
    bevestigd = False
    if nieuwe_zaak and zaak.status == EmailStatus.OPEN and _mag_bevestigen(binnen, instellingen):
        plan_bevestiging(session, zaak, binnen, instellingen, nu)
        bevestigd = True
    session.flush()
    return Opgenomen(zaak.id, bericht_id, True, nieuwe_zaak, bevestigd, heropend)


def _mag_bevestigen(binnen: Binnenkomend, instellingen: EmailInstellingen) -> bool:
    return bool(binnen.van) and not binnen.automatisch and binnen.van != instellingen.adres


def bevestiging_tekst(
    zaak: EmailZaak, instellingen: EmailInstellingen, gemeente: str
) -> dict[str, str]:
    aanhef = f"Beste {zaak.afzender_naam}," if zaak.afzender_naam else "Beste heer, mevrouw,"
    n = instellingen.termijn_werkdagen
    return {
        "onderwerp": f"Ontvangen: {zaak.onderwerp} [{kenmerk(zaak.id)}]"[:200],
        "tekst": (
            f"{aanhef}\n\n"
            f"Bedankt voor uw e-mail. Wij hebben uw bericht ontvangen op "
            f"{tijdstip(zaak.ontvangen_op)} en nemen het in behandeling.\n\n"
            f"U krijgt uiterlijk {termijn.uiterlijk(zaak.deadline)} antwoord "
            f"(binnen {n} werkdag{'en' if n != 1 else ''}).\n\n"
            f"Uw kenmerk is {kenmerk(zaak.id)}. Reageert u op deze e-mail, dan komt uw "
            "reactie bij dezelfde vraag terecht.\n\n"
            "Met vriendelijke groet,\n\n"
            f"Klantcontactcentrum{' gemeente ' + gemeente if gemeente else ''}\n\n"
            "Dit is een automatisch bericht.\n"
        ),
    }


def plan_bevestiging(
    session: Session,
    zaak: EmailZaak,
    binnen: Binnenkomend,
    instellingen: EmailInstellingen,
    nu: datetime,
) -> None:
    gemeente = session.get(Gemeente, zaak.gemeente_id) if zaak.gemeente_id else None
    inhoud = bevestiging_tekst(zaak, instellingen, gemeente.naam if gemeente else "")
    plaats_uitgaand(
        session,
        zaak=zaak,
        sleutel=f"email:bevestiging:{zaak.id}",
        aan=zaak.afzender,
        onderwerp=inhoud["onderwerp"],
        tekst=inhoud["tekst"],
        in_reply_to=binnen.message_id,
        referenties=[*binnen.referenties, binnen.message_id],
        instellingen=instellingen,
        nu=nu,
        automatisch=True,
    )


def plaats_uitgaand(
    session: Session,
    *,
    zaak: EmailZaak,
    sleutel: str,
    aan: str,
    onderwerp: str,
    tekst: str,
    in_reply_to: str,
    referenties: list[str],
    instellingen: EmailInstellingen,
    nu: datetime,
    medewerker_id: uuid.UUID | None = None,
    automatisch: bool = False,
    bijlagen: list[str] | None = None,
    in_draad: bool = True,
) -> EmailBericht:
    """One outgoing mail: stored with the case (so a reply threads back) and put in the
    outbox in the same transaction. ``in_draad=False`` (a forward to a colleague) keeps it
    out of the resident's thread."""
    message_id = nieuw_message_id(instellingen)
    bericht = EmailBericht(
        zaak_id=zaak.id,
        message_id=message_id if in_draad else f"<intern.{uuid.uuid4().hex}@kiss.invalid>",
        richting=EmailRichting.UIT,
        in_reply_to=in_reply_to,
        referenties=" ".join(referenties[-20:]),
        van=instellingen.adres,
        aan=aan,
        onderwerp=onderwerp[:998],
        tekst=tekst,
        moment=nu,
        medewerker_id=medewerker_id,
    )
    session.add(bericht)
    uitgaand.plaats(
        session,
        soort=SOORT,
        sleutel=sleutel,
        groep=sleutel,
        payload={
            "aan": aan,
            "onderwerp": onderwerp,
            "tekst": tekst,
            "message_id": message_id,
            "in_reply_to": in_reply_to,
            "referenties": referenties[-20:],
            "automatisch": automatisch,
            "bijlagen": bijlagen or [],
        },
        nu=nu,
    )
    return bericht
