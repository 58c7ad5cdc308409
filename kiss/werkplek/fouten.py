"""What went wrong, in Dutch: database trouble (retry later) versus a refusal to show as is.

One place decides how a failure reaches the agent. Database trouble (outage, ``database is
locked``, a full disk, a timeout) is temporary: the werkplek keeps what was typed and the
call is retried. A refusal (validation, no permission, already closed) is an answer: its
message is shown where the agent is. Anything else is a bug: a short Dutch message, and the
details go to the log without secrets.
"""

from __future__ import annotations

import errno
import re

from sqlalchemy import exc as sa_exc

from kiss.rollen import GeenToegang
from kiss.services.contact.contactmomenten import AlAfgerond, DoorverbindenGeweigerd
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.terugbel.terugbelnotities import TerugbelFout
from kiss.validation import ValidatieFout

GEWEIGERD: tuple[type[Exception], ...] = (
    ValidatieFout,
    InvoerFouten,
    GeenToegang,
    AlAfgerond,
    DoorverbindenGeweigerd,
    TerugbelFout,
    LookupError,
)


class NietAangemeld(GeenToegang):
    """A use case that needs the logged-in medewerker, before the login finished."""

    def __init__(self) -> None:
        super().__init__("Even geduld: aanmelden is nog bezig.")


def is_databasefout(fout: BaseException) -> bool:
    """True for trouble that goes away by itself: retry, keep what was typed."""
    if isinstance(fout, sa_exc.DBAPIError):
        return isinstance(fout, sa_exc.OperationalError | sa_exc.InterfaceError) or bool(
            fout.connection_invalidated
        )
    if isinstance(fout, sa_exc.TimeoutError | sa_exc.DisconnectionError | TimeoutError):
        return True
    return isinstance(fout, OSError) and fout.errno in {errno.ENOSPC, errno.EIO, errno.EDQUOT}


def databasemelding(fout: BaseException) -> str:
    """The Dutch status line for database trouble."""
    tekst = str(fout).lower()
    if "locked" in tekst or "busy" in tekst:
        oorzaak = "De database is even bezet"
    elif ("disk" in tekst and "full" in tekst) or getattr(fout, "errno", None) == errno.ENOSPC:
        oorzaak = "De schijf van de database is vol"
    elif "timeout" in tekst or "timed out" in tekst or isinstance(fout, TimeoutError):
        oorzaak = "De database antwoordt niet op tijd"
    else:
        oorzaak = "De database is niet bereikbaar"
    return f"{oorzaak}. Je werk is lokaal bewaard; KISS probeert het zelf opnieuw."


def weigering(fout: BaseException) -> str | None:
    """The Dutch message of a refusal, or None when ``fout`` is not one."""
    if isinstance(fout, InvoerFouten):
        return " ".join(fout.fouten.values()) or "Nog niet alles is goed ingevuld."
    if isinstance(fout, GEWEIGERD):
        return str(fout) or "Dit kan nu niet."
    return None


_WACHTWOORD_IN_URL = re.compile(r"(?P<kop>[a-z][\w+.-]*://[^:/@\s]*:)[^@\s]*(?=@)", re.I)
_GEHEIM_PARAMETER = re.compile(
    r"(?P<kop>\b(?:password|passwd|wachtwoord|secret|token|authorization)\s*[=:]\s*"
    r"(?:(?:token|bearer|basic)\s+)?)\S+",
    re.I,
)


def zonder_geheimen(tekst: str) -> str:
    """Hide passwords and tokens in a text before it is shown or logged."""
    tekst = _WACHTWOORD_IN_URL.sub(r"\g<kop>***", tekst)
    return _GEHEIM_PARAMETER.sub(r"\g<kop>***", tekst)
