"""What an agent does with a mail: read the thread, link the klant, answer (from a template
or a kennisbank article), forward to an afdeling's mailbox, turn it into a terugbelnotitie,
or close it when no answer is needed.

Every outgoing mail goes through the outbox in the same transaction as the change, so an
answer is stored and sent together or not at all, and never twice. An answer is also a
contactmoment (kanaal e-mail, afgerond), so it is part of the klant's history and of the
first-contact numbers.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import (
    Afdeling,
    Contactmoment,
    ContactmomentStatus,
    Kennisartikel,
    Klant,
    Medewerker,
)
from kiss.models.email import (
    WACHT_OP_ANTWOORD,
    EmailBericht,
    EmailBijlage,
    EmailRichting,
    EmailStatus,
    EmailZaak,
)
from kiss.models.terugbel import Terugbelnotitie
from kiss.services import audit
from kiss.services.email import sjablonen
from kiss.services.email.instellingen import EmailInstellingen
from kiss.services.email.ontvangen import kenmerk, plaats_uitgaand
from kiss.services.email.wachtrij import EmailFout, claim, vereis_toegang, zaak_van
from kiss.services.klant.zoeken import KlantTreffer, herken_contact
from kiss.services.openklant import haken as openklant
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.terugbelnotities import TerugbelInvoer
from kiss.validation import ValidatieFout, valideer_email

MAX_ANTWOORD = 100_000
AFGEHANDELD = "afgehandeld"


@dataclass(frozen=True)
class BijlageRegel:
    id: uuid.UUID
    bestandsnaam: str
    grootte: int
    weggelaten: bool


@dataclass(frozen=True)
class BerichtRegel:
    id: uuid.UUID
    richting: str
    van: str
    aan: str
    onderwerp: str
    moment: datetime
    tekst: str
    was_html: bool
    melding: str
    bijlagen: list[BijlageRegel] = field(default_factory=list)


@dataclass(frozen=True)
class EmailDetail:
    id: uuid.UUID
    kenmerk: str
    onderwerp: str
    afzender: str
    afzender_naam: str
    status: str
    ontvangen_op: datetime
    deadline: datetime
    beantwoord_op: datetime | None
    behandelaar_id: uuid.UUID | None
    klant_id: uuid.UUID | None
    klant_naam: str
    melding: str
    doorgestuurd_naar: str
    versie: int
    berichten: list[BerichtRegel]
    treffers: list[KlantTreffer]  # klanten with the sender's address, when none is linked

    @property
    def kan_antwoorden(self) -> bool:
        return bool(self.afzender) and self.status in WACHT_OP_ANTWOORD


EMAIL_GEOPEND = "email_geopend"  # audit: who read which klant's mail


def detail(
    session: Session, medewerker: Medewerker, zaak_id: uuid.UUID, *, log: bool = True
) -> EmailDetail:
    """The thread; reading it is audited like opening a klantbeeld (unless ``log=False``)."""
    vereis_toegang(medewerker)
    zaak = zaak_van(session, zaak_id)
    if log:
        audit.log(session, medewerker, EMAIL_GEOPEND, object_type="email_zaak",
                  object_id=zaak.id, klant_id=zaak.klant_id)  # fmt: skip
    berichten = list(
        session.execute(
            select(EmailBericht)
            .where(EmailBericht.zaak_id == zaak_id)
            .order_by(col(EmailBericht.moment), col(EmailBericht.richting))
        ).scalars()
    )
    bijlagen: dict[uuid.UUID, list[BijlageRegel]] = {}
    for b in session.execute(
        select(
            EmailBijlage.id,
            EmailBijlage.bericht_id,
            EmailBijlage.bestandsnaam,
            EmailBijlage.grootte,
            EmailBijlage.weggelaten,
        ).where(col(EmailBijlage.bericht_id).in_([b.id for b in berichten]))
    ).all():
        bijlagen.setdefault(b.bericht_id, []).append(
            BijlageRegel(b.id, b.bestandsnaam, b.grootte, b.weggelaten)
        )
    klant = session.get(Klant, zaak.klant_id) if zaak.klant_id else None
    treffers: list[KlantTreffer] = []
    if klant is None and zaak.afzender:
        try:
            treffers = herken_contact(session, zaak.afzender)
        except ValidatieFout:
            treffers = []
    return EmailDetail(
        zaak.id, kenmerk(zaak.id), zaak.onderwerp, zaak.afzender, zaak.afzender_naam,
        zaak.status, zaak.ontvangen_op, zaak.deadline, zaak.beantwoord_op, zaak.behandelaar_id,
        zaak.klant_id, klant.weergavenaam if klant else "", zaak.melding,
        zaak.doorgestuurd_naar, zaak.versie,
        [
            BerichtRegel(
                b.id, b.richting, b.van, b.aan, b.onderwerp, b.moment, b.tekst, b.was_html,
                b.melding, bijlagen.get(b.id, []),
            )
            for b in berichten
        ],
        treffers,
    )  # fmt: skip


def bijlage(session: Session, medewerker: Medewerker, bijlage_id: uuid.UUID) -> tuple[str, bytes]:
    """An attachment's name and content, to save it (audited, like reading the mail)."""
    vereis_toegang(medewerker)
    gevonden = session.execute(
        select(EmailBijlage, EmailZaak.klant_id, EmailZaak.id)
        .join(EmailBericht, col(EmailBericht.id) == EmailBijlage.bericht_id)
        .join(EmailZaak, col(EmailZaak.id) == EmailBericht.zaak_id)
        .where(EmailBijlage.id == bijlage_id)
    ).first()
    if gevonden is None:
        raise EmailFout("Deze bijlage bestaat niet (meer).")
    b, klant_id, zaak_id = gevonden
    if b.weggelaten or b.inhoud is None:
        raise EmailFout(
            f"Bijlage '{b.bestandsnaam}' is niet bewaard (te groot); open hem in de mailbox zelf."
        )
    audit.log(session, medewerker, "email_bijlage_geopend", object_type="email_bijlage",
              object_id=b.id, klant_id=klant_id, details=f"zaak {zaak_id}")  # fmt: skip
    return b.bestandsnaam, bytes(b.inhoud)


def koppel_klant(
    session: Session,
    medewerker: Medewerker,
    zaak_id: uuid.UUID,
    klant_id: uuid.UUID | None,
    nu: datetime,
) -> None:
    """Link the klant (or with None: anonymous)."""
    vereis_toegang(medewerker)
    zaak = zaak_van(session, zaak_id)
    if klant_id is not None and session.get(Klant, klant_id) is None:
        raise EmailFout("Deze klant bestaat niet (meer).")
    zaak.klant_id = klant_id
    zaak.versie += 1
    zaak.gewijzigd_op = nu


# ---------------------------------------------------------------------------- answering


def _artikel_tekst(artikel: Kennisartikel) -> str:
    """The article for a resident: summary and content, Markdown marks dropped; never the
    KCC-only werkinstructie."""
    inhoud = re.sub(r"^#{1,6}\s*", "", artikel.inhoud or "", flags=re.M)
    inhoud = re.sub(r"\*\*([^*]+)\*\*", r"\1", inhoud)
    return "\n\n".join(t.strip() for t in (artikel.samenvatting, inhoud) if t.strip())


def _onderwerp_antwoord(zaak: EmailZaak) -> str:
    onderwerp = zaak.onderwerp
    if not re.match(r"^(re|antw|aw)\s*:", onderwerp, re.I):
        onderwerp = f"Re: {onderwerp}"
    tag = f"[{kenmerk(zaak.id)}]"
    return (onderwerp if tag in onderwerp else f"{onderwerp} {tag}")[:200]


@dataclass(frozen=True)
class Concept:
    onderwerp: str
    tekst: str
    artikel_id: uuid.UUID | None = None


def concept(
    session: Session,
    medewerker: Medewerker,
    zaak_id: uuid.UUID,
    nu: datetime,
    *,
    sjabloon_id: uuid.UUID | None = None,
    artikel_id: uuid.UUID | None = None,
) -> Concept:
    """A start for the answer: a template with its placeholders filled, or an article's text."""
    vereis_toegang(medewerker)
    zaak = zaak_van(session, zaak_id)
    naam = zaak.afzender_naam
    if zaak.klant_id and (klant := session.get(Klant, zaak.klant_id)) is not None:
        naam = klant.weergavenaam
    tekst = ""
    if sjabloon_id is not None:
        tekst = sjablonen.vul_in(
            sjablonen.haal(session, sjabloon_id).tekst,
            naam=naam, nu=nu, deadline=zaak.deadline, kenmerk=kenmerk(zaak.id),
            medewerker=medewerker.naam,
        )  # fmt: skip
    elif artikel_id is not None:
        artikel = session.get(Kennisartikel, artikel_id)
        if artikel is None:
            raise EmailFout("Dit kennisbankartikel bestaat niet (meer).")
        aanhef = f"Beste {naam}," if naam else "Beste heer, mevrouw,"
        tekst = (
            f"{aanhef}\n\nDank voor uw vraag. {_artikel_tekst(artikel)}\n\n"
            f"Met vriendelijke groet,\n\n{medewerker.naam}\nKlantcontactcentrum\n"
        )
    return Concept(_onderwerp_antwoord(zaak), tekst, artikel_id)


def _draad(session: Session, zaak: EmailZaak) -> tuple[str, list[str]]:
    """In-Reply-To and References for an answer: the resident's newest mail in the thread."""
    laatste = session.execute(
        select(EmailBericht)
        .where(EmailBericht.zaak_id == zaak.id, EmailBericht.richting == EmailRichting.IN)
        .order_by(col(EmailBericht.moment).desc())
        .limit(1)
    ).scalar_one_or_none()
    if laatste is None:
        return "", []
    referenties = [r for r in laatste.referenties.split() if r][-19:]
    return laatste.message_id, [*referenties, laatste.message_id]


def beantwoord(
    session: Session,
    medewerker: Medewerker,
    zaak_id: uuid.UUID,
    tekst: str,
    *,
    instellingen: EmailInstellingen,
    settings: Settings,
    nu: datetime,
    onderwerp: str = "",
    artikel_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Send the answer and close the case; returns the contactmoment's id. Problems come
    back as a Dutch :class:`EmailFout` and nothing is stored or sent."""
    zaak = claim(session, medewerker, zaak_id, nu)
    schoon = tekst.strip()
    if not schoon:
        raise EmailFout("Het antwoord is leeg; typ een tekst of kies een sjabloon.")
    if len(schoon) > MAX_ANTWOORD:
        raise EmailFout(f"Het antwoord is te lang (meer dan {MAX_ANTWOORD} tekens).")
    if not zaak.afzender:
        raise EmailFout(
            "Deze mail heeft geen afzender: beantwoorden kan niet. Maak een terugbelnotitie "
            "of sluit de mail."
        )
    in_reply_to, referenties = _draad(session, zaak)
    onderwerp = (onderwerp.strip() or _onderwerp_antwoord(zaak))[:200]
    plaats_uitgaand(
        session, zaak=zaak, sleutel=f"email:antwoord:{uuid.uuid4()}", aan=zaak.afzender,
        onderwerp=onderwerp, tekst=schoon + "\n", in_reply_to=in_reply_to,
        referenties=referenties, instellingen=instellingen, nu=nu, medewerker_id=medewerker.id,
    )  # fmt: skip
    artikel = session.get(Kennisartikel, artikel_id) if artikel_id else None
    contact = Contactmoment(
        gemeente_id=zaak.gemeente_id,
        kanaal="e-mail",
        klant_id=zaak.klant_id,
        medewerker_id=medewerker.id,
        contact_nummer=zaak.afzender,
        gestart_op=zaak.ontvangen_op,
        beeindigd_op=nu,
        vraag=zaak.onderwerp[:180],
        notitie=f"Per e-mail beantwoord ({kenmerk(zaak.id)}): {schoon}"[:1000],
        artikel_id=artikel.id if artikel else None,
        onderwerp=(artikel.titel if artikel else zaak.onderwerp)[:200],
        gespreksresultaat=AFGEHANDELD,
        afdeling_id=medewerker.afdeling_id,
        status=ContactmomentStatus.AFGEROND,
        gewijzigd_op=nu,
    )
    session.add(contact)
    session.flush()
    openklant.contact_afgerond(session, contact)  # to the register too, when switched on
    zaak.status = EmailStatus.BEANTWOORD
    zaak.beantwoord_op = nu
    zaak.contactmoment_id = contact.id
    zaak.versie += 1
    zaak.gewijzigd_op = nu
    return contact.id


# ---------------------------------------------------------------------------- other ways out


def doorsturen(
    session: Session,
    medewerker: Medewerker,
    zaak_id: uuid.UUID,
    afdeling_id: uuid.UUID,
    notitie: str,
    *,
    instellingen: EmailInstellingen,
    nu: datetime,
) -> str:
    """Forward the thread (with the attachments KISS kept) to the afdeling's mailbox; the
    case stays in the queue as *doorgestuurd* until it is marked answered. Returns the
    mailbox."""
    zaak = claim(session, medewerker, zaak_id, nu)
    afdeling = session.get(Afdeling, afdeling_id)
    if afdeling is None:
        raise EmailFout("Kies een afdeling.")
    if not afdeling.mailbox:
        raise EmailFout(
            f"Afdeling {afdeling.naam} heeft geen mailbox in het smoelenboek; kies een andere "
            "afdeling of maak een terugbelnotitie."
        )
    try:
        mailbox = valideer_email(afdeling.mailbox)
    except ValidatieFout as exc:
        raise EmailFout(f"De mailbox van afdeling {afdeling.naam} is ongeldig: {exc}") from exc
    berichten = list(
        session.execute(
            select(EmailBericht)
            .where(EmailBericht.zaak_id == zaak.id, EmailBericht.richting == EmailRichting.IN)
            .order_by(col(EmailBericht.moment))
        ).scalars()
    )
    bijlagen = [
        str(i)
        for i in session.execute(
            select(EmailBijlage.id).where(
                col(EmailBijlage.bericht_id).in_([b.id for b in berichten]),
                col(EmailBijlage.weggelaten).is_(False),
            )
        ).scalars()
    ]
    draad = "\n\n".join(
        f"--- Van: {b.van or '(geen afzender)'} op {b.moment:%d-%m-%Y %H:%M} UTC ---\n{b.tekst}"
        for b in berichten
    )
    tekst = (
        f"Doorgestuurd vanuit KISS door {medewerker.naam} ({kenmerk(zaak.id)}).\n\n"
        f"Notitie: {notitie.strip() or '-'}\n\n"
        f"Beantwoord de klant ({zaak.afzender or 'geen afzender'}) uiterlijk "
        f"{zaak.deadline:%d-%m-%Y}; het KCC ziet de vraag tot die beantwoord is.\n\n{draad}\n"
    )
    plaats_uitgaand(
        session, zaak=zaak, sleutel=f"email:doorsturen:{uuid.uuid4()}", aan=mailbox,
        onderwerp=f"Doorgestuurd: {zaak.onderwerp} [{kenmerk(zaak.id)}]"[:200], tekst=tekst,
        in_reply_to="", referenties=[], instellingen=instellingen, nu=nu,
        medewerker_id=medewerker.id, bijlagen=bijlagen, in_draad=False,
    )  # fmt: skip
    zaak.status = EmailStatus.DOORGESTUURD
    zaak.doorgestuurd_naar = f"{afdeling.naam} <{mailbox}>"[:254]
    zaak.behandelaar_id = None
    zaak.versie += 1
    zaak.gewijzigd_op = nu
    return mailbox


def terugbel_voorstel(
    session: Session, medewerker: Medewerker, zaak_id: uuid.UUID
) -> TerugbelInvoer:
    """The terugbelnotitie form pre-filled from the mail (klant, address, question)."""
    vereis_toegang(medewerker)
    zaak = zaak_van(session, zaak_id)
    eerste = session.execute(
        select(EmailBericht.tekst)
        .where(EmailBericht.zaak_id == zaak.id, EmailBericht.richting == EmailRichting.IN)
        .order_by(col(EmailBericht.moment))
        .limit(1)
    ).scalar_one_or_none()
    klant = session.get(Klant, zaak.klant_id) if zaak.klant_id else None
    return TerugbelInvoer(
        email=zaak.afzender,
        vraag=f"{zaak.onderwerp}: {(eerste or '').strip()}"[:1000],
        toelichting=f"Uit de centrale mailbox ({kenmerk(zaak.id)}).",
        klant_id=zaak.klant_id,
        klant_naam=klant.weergavenaam if klant else "",
    )


def naar_terugbelnotitie(
    session: Session,
    medewerker: Medewerker,
    zaak_id: uuid.UUID,
    invoer: TerugbelInvoer,
    *,
    settings: Settings,
    nu: datetime,
) -> Terugbelnotitie:
    """Make a terugbelnotitie of the mail (validated by the terugbel rules); the case waits
    as *terugbellen* until the note is followed up (see :func:`werk_terugbel_bij`)."""
    zaak = claim(session, medewerker, zaak_id, nu)
    notitie = terugbelnotities.maak_terugbelnotitie(session, medewerker, invoer, nu, settings)
    zaak.status = EmailStatus.TERUGBELLEN
    zaak.terugbelnotitie_id = notitie.id
    zaak.behandelaar_id = None
    zaak.versie += 1
    zaak.gewijzigd_op = nu
    return notitie


def markeer_beantwoord(
    session: Session, medewerker: Medewerker, zaak_id: uuid.UUID, nu: datetime
) -> None:
    """The afdeling answered a forwarded mail (or the klant was helped otherwise)."""
    vereis_toegang(medewerker)
    zaak = zaak_van(session, zaak_id)
    if zaak.status not in WACHT_OP_ANTWOORD:
        raise EmailFout(f"Deze e-mail is al {EmailStatus(zaak.status).label.lower()}.")
    zaak.status = EmailStatus.BEANTWOORD
    zaak.beantwoord_op = nu
    zaak.versie += 1
    zaak.gewijzigd_op = nu


def sluit(
    session: Session, medewerker: Medewerker, zaak_id: uuid.UUID, reden: str, nu: datetime
) -> None:
    """Close without an answer (spam, a mail with no question): not counted in the norm."""
    vereis_toegang(medewerker)
    zaak = zaak_van(session, zaak_id)
    if not reden.strip():
        raise EmailFout("Geef een reden waarom deze mail geen antwoord nodig heeft.")
    if zaak.status not in WACHT_OP_ANTWOORD:
        raise EmailFout(f"Deze e-mail is al {EmailStatus(zaak.status).label.lower()}.")
    zaak.status = EmailStatus.GESLOTEN
    zaak.melding = f"Gesloten door {medewerker.naam}: {reden.strip()} {zaak.melding}"[:1000]
    zaak.behandelaar_id = None
    zaak.versie += 1
    zaak.gewijzigd_op = nu


def werk_terugbel_bij(session: Session, nu: datetime) -> int:
    """Cases turned into a terugbelnotitie count as answered once the note is followed up
    (first successful call or closed, whichever came first). Run by ``kiss dienst``."""
    rijen = session.execute(
        select(EmailZaak, Terugbelnotitie.eerste_contact_op, Terugbelnotitie.afgehandeld_op)
        .join(Terugbelnotitie, col(Terugbelnotitie.id) == EmailZaak.terugbelnotitie_id)
        .where(
            col(EmailZaak.status) == EmailStatus.TERUGBELLEN,
            (col(Terugbelnotitie.eerste_contact_op).is_not(None))
            | (col(Terugbelnotitie.afgehandeld_op).is_not(None)),
        )
    ).all()
    for zaak, eerste, klaar in rijen:
        zaak.status = EmailStatus.BEANTWOORD
        zaak.beantwoord_op = min(m for m in (eerste, klaar) if m is not None)
        zaak.versie += 1
        zaak.gewijzigd_op = nu
    return len(rijen)
