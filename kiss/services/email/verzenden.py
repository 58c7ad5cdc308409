"""Sending the central mailbox's mail (confirmations, answers, forwards) from the outbox.

Each mail was given its Message-ID when it was planned, so every attempt sends the same id:
the outbox retries a failed send with back-off and records a success once, and a mail
server that did receive a first attempt whose answer got lost can drop the repeat. The
threading headers (In-Reply-To, References) make the resident's mail program show our
answer under their question.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import Engine, select
from sqlmodel import col

from kiss.db import read_scope
from kiss.models.email import EmailBijlage
from kiss.models.uitgaand import Uitgaand
from kiss.services import uitgaand
from kiss.services.email.instellingen import EmailInstellingen
from kiss.services.email.ontvangen import SOORT
from kiss.services.meldingen.instellingen import MailInstellingen


def bouw(rij: Uitgaand, afzender: str, bijlagen: list[EmailBijlage] | None = None) -> EmailMessage:
    p = rij.payload
    bericht = EmailMessage()
    bericht["From"] = afzender
    bericht["To"] = p["aan"]
    bericht["Subject"] = p["onderwerp"]
    bericht["Date"] = format_datetime(rij.aangemaakt_op)
    bericht["Message-ID"] = p["message_id"]
    if p.get("in_reply_to"):
        bericht["In-Reply-To"] = p["in_reply_to"]
    if p.get("referenties"):
        bericht["References"] = " ".join(p["referenties"])
    if p.get("automatisch"):
        bericht["Auto-Submitted"] = "auto-replied"  # RFC 3834: no auto-reply to this, please
    bericht.set_content(p["tekst"])
    for bijlage in bijlagen or []:
        if bijlage.inhoud is None:
            continue
        hoofd, _, sub = bijlage.mime.partition("/")
        bericht.add_attachment(
            bijlage.inhoud,
            maintype=hoofd or "application",
            subtype=sub or "octet-stream",
            filename=bijlage.bestandsnaam,
        )
    return bericht


def _smtp(bericht: EmailMessage, mail: MailInstellingen, aan: str) -> None:
    try:
        with smtplib.SMTP(mail.host, mail.poort, timeout=mail.timeout_s) as smtp:
            if mail.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if mail.gebruiker:
                smtp.login(mail.gebruiker, mail.wachtwoord)
            smtp.send_message(bericht)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = {code for code, _ in exc.recipients.values()}
        if all(500 <= c < 600 for c in codes):
            raise uitgaand.Geweigerd(
                f"De mailserver weigert het adres {aan} ({min(codes)})."
            ) from exc
        raise uitgaand.TijdelijkeFout(
            f"De mailserver neemt de mail nu niet aan ({min(codes)})."
        ) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise uitgaand.TijdelijkeFout(
            f"Aanmelden bij de mailserver mislukt ({exc.smtp_code}); controleer gebruiker en "
            "wachtwoord."
        ) from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600 and exc.smtp_code not in (530, 535):
            raise uitgaand.Geweigerd(f"De mailserver weigert de mail ({exc.smtp_code}).") from exc
        raise uitgaand.TijdelijkeFout(f"De mailserver antwoordde {exc.smtp_code}.") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise uitgaand.TijdelijkeFout(
            f"Mailserver {mail.host}:{mail.poort} niet bereikbaar ({type(exc).__name__})."
        ) from exc


def verzender(
    engine: Engine, mail: MailInstellingen, instellingen: EmailInstellingen
) -> Callable[[Uitgaand], str | None]:
    """The outbox sender for soort ``email``: one SMTP conversation per mail."""
    afzender = instellingen.adres or mail.afzender

    def verzend(rij: Uitgaand) -> str | None:
        bijlagen: list[EmailBijlage] = []
        if ids := rij.payload.get("bijlagen"):
            with read_scope(engine) as session:
                bijlagen = list(
                    session.execute(
                        select(EmailBijlage).where(
                            col(EmailBijlage.id).in_([uuid.UUID(i) for i in ids])
                        )
                    ).scalars()
                )
                for b in bijlagen:
                    session.expunge(b)
        bericht = bouw(rij, afzender, bijlagen)
        _smtp(bericht, mail, rij.payload["aan"])
        return str(rij.payload["message_id"])

    return verzend


def verstuur(
    engine: Engine,
    mail: MailInstellingen,
    instellingen: EmailInstellingen,
    *,
    nu: datetime | None = None,
    klok: Callable[[], datetime] | None = None,
    max_aantal: int = 50,
) -> uitgaand.Resultaat:
    """Send what is due (each mail at most once; failures wait and are retried)."""
    return uitgaand.verwerk(
        engine, SOORT, verzender(engine, mail, instellingen), nu=nu, klok=klok,
        max_aantal=max_aantal,
    )  # fmt: skip
