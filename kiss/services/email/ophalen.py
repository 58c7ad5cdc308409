"""Fetching the central mailbox over IMAP with TLS (port 993, certificate checked).

The folder is opened read-only: KISS never marks, moves or deletes a resident's mail, so the
mailbox stays usable in an ordinary mail program. Per folder KISS keeps the UIDVALIDITY and
the highest UID it took in (``email_postvak``, in the same transaction as the message), so a
round only fetches what is new. A message seen twice (a restart, a second dienst, a reset
folder) is still stored once: its Message-ID is unique.

Why IMAP: every municipal mail platform (Exchange Online, Google Workspace, Dovecot/Postfix)
offers it with TLS and a login; Microsoft Graph or Gmail's API would tie KISS to one vendor.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import DataError

from kiss.config import Settings
from kiss.db import session_scope
from kiss.models.email import EmailPostvak
from kiss.services.email.instellingen import EmailInstellingen
from kiss.services.email.lezen import Binnenkomend, lees, onleesbaar
from kiss.services.email.ontvangen import Opgenomen, neem_op
from kiss.validation import ValidatieFout

SCHEEFSTAND = timedelta(minutes=5)
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_GROOTTE = re.compile(rb"RFC822\.SIZE (\d+)")
_DATUM = re.compile(rb'INTERNALDATE "([^"]+)"')


class OphaalFout(Exception):
    """A Dutch message about the mailbox (never containing the password)."""


@dataclass
class Ophaalresultaat:
    gelezen: int = 0
    nieuw: int = 0
    dubbel: int = 0
    bevestigd: int = 0
    fouten: list[str] = field(default_factory=list)


def verbind(instellingen: EmailInstellingen) -> imaplib.IMAP4_SSL:
    """Log in over TLS; a Dutch :class:`OphaalFout` for every way this can fail."""
    waar = f"{instellingen.imap_host}:{instellingen.imap_poort}"
    try:
        context = ssl.create_default_context(cafile=instellingen.ca_bestand or None)
    except (OSError, ssl.SSLError) as exc:
        raise OphaalFout(f"ca_bestand {instellingen.ca_bestand} is niet te lezen.") from exc
    try:
        imap = imaplib.IMAP4_SSL(
            instellingen.imap_host,
            instellingen.imap_poort,
            ssl_context=context,
            timeout=instellingen.timeout_s,
        )
    except ssl.SSLCertVerificationError as exc:
        raise OphaalFout(
            f"Het certificaat van mailbox {waar} is niet te vertrouwen; stel ca_bestand in "
            "als de server een eigen certificaat heeft."
        ) from exc
    except (TimeoutError, OSError, ssl.SSLError) as exc:
        raise OphaalFout(f"Mailbox {waar} is niet bereikbaar ({type(exc).__name__}).") from exc
    try:
        imap.login(instellingen.gebruiker, instellingen.wachtwoord)
    except (imaplib.IMAP4.error, OSError) as exc:
        _sluit(imap)
        raise OphaalFout(
            f"Aanmelden bij mailbox {waar} als {instellingen.gebruiker!r} mislukt; controleer "
            "gebruiker en wachtwoord."
        ) from exc
    return imap


def _sluit(imap: imaplib.IMAP4) -> None:
    with contextlib.suppress(Exception):
        imap.logout()


def _internaldate(kop: bytes, nu: datetime) -> datetime:
    gevonden = _DATUM.search(kop)
    if gevonden:
        try:
            moment = datetime.strptime(gevonden.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
            if moment <= nu + SCHEEFSTAND:
                return moment.astimezone(UTC)
        except ValueError:
            pass
    return nu


def _kop(data: list) -> bytes:
    return b" ".join(d[0] if isinstance(d, tuple) else d for d in data if d)


def _inhoud(data: list) -> bytes:
    for deel in data:
        if isinstance(deel, tuple) and len(deel) > 1:
            return bytes(deel[1])
    return b""


def haal_op(
    engine: Engine,
    instellingen: EmailInstellingen,
    settings: Settings,
    *,
    klok: Callable[[], datetime] | None = None,
    max_aantal: int = 200,
) -> Ophaalresultaat:
    """Take in the new mail of the folder (at most ``max_aantal`` per round)."""
    lees_klok = klok or (lambda: datetime.now(UTC))
    resultaat = Ophaalresultaat()
    imap = verbind(instellingen)
    try:
        status, _ = imap.select(_map(instellingen.map), readonly=True)
        if status != "OK":
            raise OphaalFout(f"Map {instellingen.map!r} bestaat niet in de mailbox.")
        _, antwoord = imap.response("UIDVALIDITY")
        uidvaliditeit = int(antwoord[0]) if antwoord and antwoord[0] else 0
        with session_scope(engine) as session:
            postvak = session.get(EmailPostvak, instellingen.map)
            vanaf = 1
            if postvak is not None and postvak.uidvaliditeit == uidvaliditeit:
                vanaf = postvak.laatste_uid + 1
        _, data = imap.uid("SEARCH", None, f"UID {vanaf}:*")
        uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) >= vanaf)
        for uid in uids[:max_aantal]:
            _neem_een(engine, imap, uid, uidvaliditeit, instellingen, settings, lees_klok,
                      resultaat)  # fmt: skip
    except imaplib.IMAP4.error as exc:
        raise OphaalFout(f"De mailbox antwoordde onverwacht ({type(exc).__name__}).") from exc
    except (TimeoutError, OSError) as exc:
        raise OphaalFout(
            f"De verbinding met de mailbox viel weg ({type(exc).__name__}); de volgende ronde "
            "gaat verder waar deze stopte."
        ) from exc
    finally:
        _sluit(imap)
    return resultaat


def _map(naam: str) -> str:
    return '"' + naam.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _neem_een(
    engine: Engine,
    imap: imaplib.IMAP4_SSL,
    uid: int,
    uidvaliditeit: int,
    instellingen: EmailInstellingen,
    settings: Settings,
    klok: Callable[[], datetime],
    resultaat: Ophaalresultaat,
) -> None:
    _, data = imap.uid("FETCH", str(uid), "(RFC822.SIZE INTERNALDATE)")
    kop = _kop(data)
    nu = klok()
    ontvangen_op = _internaldate(kop, nu)
    grootte = int(m.group(1)) if (m := _GROOTTE.search(kop)) else 0
    te_groot = grootte > instellingen.max_bericht
    _, data = imap.uid("FETCH", str(uid), "(BODY.PEEK[HEADER])" if te_groot else "(BODY.PEEK[])")
    ruw = _inhoud(data)
    binnen = lees(ruw, max_bijlage=instellingen.max_bijlage)
    if te_groot:
        binnen.tekst = ""
        binnen.meldingen.append(
            f"Deze mail is {grootte / 1_000_000:.0f} MB, groter dan "
            f"{instellingen.max_bericht_mb:g} MB: KISS haalde alleen de kop op. Lees hem in "
            "de mailbox zelf."
        )
    resultaat.gelezen += 1
    try:
        opgenomen = _bewaar(engine, binnen, uid, uidvaliditeit, instellingen, settings, nu,
                            ontvangen_op)  # fmt: skip
    except (ValidatieFout, DataError) as exc:
        # a mail the database refuses must not block the folder: keep a case that says so
        resultaat.fouten.append(f"Mail {uid} was niet te bewaren ({type(exc).__name__}).")
        opgenomen = _bewaar(engine, onleesbaar(ruw), uid, uidvaliditeit, instellingen,
                            settings, nu, ontvangen_op)  # fmt: skip
    if opgenomen.nieuw:
        resultaat.nieuw += 1
        resultaat.bevestigd += int(opgenomen.bevestigd)
    else:
        resultaat.dubbel += 1


def _bewaar(
    engine: Engine,
    binnen: Binnenkomend,
    uid: int,
    uidvaliditeit: int,
    instellingen: EmailInstellingen,
    settings: Settings,
    nu: datetime,
    ontvangen_op: datetime,
) -> Opgenomen:
    """Store the mail and how far the folder was read, in one transaction."""
    with session_scope(engine) as session:
        opgenomen = neem_op(
            session, binnen, instellingen=instellingen, settings=settings, nu=nu,
            ontvangen_op=ontvangen_op,
        )  # fmt: skip
        postvak = session.get(EmailPostvak, instellingen.map)
        if postvak is None:
            postvak = EmailPostvak(naam=instellingen.map)
            session.add(postvak)
        if postvak.uidvaliditeit != uidvaliditeit:
            postvak.uidvaliditeit, postvak.laatste_uid = uidvaliditeit, 0
        postvak.laatste_uid = max(postvak.laatste_uid, uid)
        postvak.opgehaald_op = nu
    return opgenomen
