"""Logging in to a shared PostgreSQL database: does the URL (or libpq: a passfile, a service
file, Kerberos/GSSAPI, a trusted network) already log us in, or must KISS ask?

The password typed in the login screen lives only in memory, in the URL of this run's
engine; it is never written anywhere and never shown (see :func:`kiss.db.verberg_wachtwoord`).
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from kiss.db import make_engine, verberg_wachtwoord

_WACHTWOORD_NODIG = ("password authentication failed", "no password supplied",
                     "password is required", "fe_sendauth")  # fmt: skip


def heeft_eigen_login(url: str) -> bool:
    """True when a connection works without asking: a password in the URL, or libpq logs in
    by itself. A failure for another reason than a missing password also answers True, so the
    normal start shows that (Dutch) error instead of a login screen."""
    if make_url(url).password:
        return True
    fout = probeer(url)
    return fout is None or not wachtwoord_gevraagd(fout)


def wachtwoord_gevraagd(fout: str) -> bool:
    """The server's refusal means: a (correct) password is needed."""
    return any(t in fout.lower() for t in _WACHTWOORD_NODIG)


def met_login(url: str, gebruiker: str, wachtwoord: str) -> str:
    """``url`` with this user and password (the result holds a secret: never print it)."""
    return (
        make_url(url)
        .set(username=gebruiker, password=wachtwoord)
        .render_as_string(hide_password=False)
    )


def probeer(url: str) -> str | None:
    """None if we can connect, else the reason (without any password)."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect():
            return None
    except DBAPIError as exc:
        regels = str(getattr(exc, "orig", exc)).strip().splitlines()
        return verberg_wachtwoord(regels[0] if regels else type(exc).__name__)
    finally:
        engine.dispose()


def inlogfout(url: str, gebruiker: str, wachtwoord: str) -> str | None:
    """A Dutch message if these credentials do not log in (never echoing the password)."""
    if not gebruiker.strip() or not wachtwoord:
        return "Vul uw gebruikersnaam en wachtwoord in."
    fout = probeer(met_login(url, gebruiker.strip(), wachtwoord))
    if fout is None:
        return None
    if wachtwoord_gevraagd(fout) or "does not exist" in fout:
        return "Gebruikersnaam of wachtwoord onjuist. Probeer het opnieuw."
    return f"Inloggen lukt niet: {fout.replace(wachtwoord, '***')}"
