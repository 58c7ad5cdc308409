"""``kiss gebruiker toevoegen|intrekken``: database logins linked to medewerkers.

A login is linked by setting the medewerker's ``gebruikersnaam`` to the login name; on
PostgreSQL the login then gets the group roles of the medewerker's rollen (through the
owner-rights function ``kiss_rollen_bijwerken``), and loses them when the rollen change or the
link is withdrawn. A password, when asked for, is turned into a SCRAM-SHA-256 verifier here,
so the clear password never travels to the server or into its logs. Logins that the
municipality manages elsewhere (LDAP, Kerberos/Active Directory) are linked as they are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from kiss.models import Medewerker
from kiss.rollen import GeenToegang, mag_gebruikers_beheren
from kiss.services import audit
from kiss.services.beveiliging.groepsrollen import voorvoegsel
from kiss.services.medewerkers import is_gedeeld, zoek_medewerker

_LOGIN = re.compile(r"^[a-z][a-z0-9_.@-]{0,62}$")


class GebruikerFout(ValueError):
    """A login that cannot be linked; the message is Dutch."""


@dataclass(frozen=True)
class Koppeling:
    login: str
    medewerker: str
    groepsrollen: tuple[str, ...]
    nieuwe_login: bool


def is_eigenaar(session: Session) -> bool:
    """The database login owns the KISS tables (the role that runs ``kiss db upgrade``)."""
    if not is_gedeeld(session):
        return False
    return bool(
        session.execute(
            text(
                "SELECT coalesce(bool_or(pg_has_role(session_user, tableowner, 'MEMBER')), false)"
                " FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename = 'alembic_version'"
            )
        ).scalar_one()
    )


def scram_verifier(wachtwoord: str, iteraties: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``wachtwoord`` (RFC 5802/7677)."""
    salt = os.urandom(16)
    normaal = unicodedata.normalize("NFKC", wachtwoord).encode("utf-8")
    gezouten = hashlib.pbkdf2_hmac("sha256", normaal, salt, iteraties)
    client_key = hmac.new(gezouten, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(gezouten, b"Server Key", "sha256").digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iteraties}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _mag_beheren(session: Session, door: Medewerker | None) -> None:
    if door is not None and mag_gebruikers_beheren(door):
        return
    if door is None and is_eigenaar(session):
        return
    raise GeenToegang("U heeft geen rechten om gebruikers te beheren (alleen een beheerder).")


def _controleer_login(login: str) -> str:
    login = login.strip()
    if not _LOGIN.match(login):
        raise GebruikerFout(
            f"Gebruikersnaam '{login}' kan niet: begin met een kleine letter; daarna alleen "
            "kleine letters, cijfers en _ . @ - (hoogstens 63 tekens)."
        )
    if login.startswith(voorvoegsel()) or login in {"postgres", "public"}:
        raise GebruikerFout(f"'{login}' is een naam die KISS zelf gebruikt; kies een andere.")
    return login


def _db_fout(exc: DBAPIError) -> GebruikerFout:
    melding = str(getattr(exc, "orig", exc)).splitlines()[0]
    if "kiss:" in melding:
        melding = melding.split("kiss:", 1)[1].strip()
    return GebruikerFout(f"De database weigert: {melding}")


def werk_rollen_bij(session: Session, login: str) -> tuple[str, ...]:
    """Give ``login`` exactly the group roles of its medewerker's rollen (PostgreSQL)."""
    if not is_gedeeld(session):
        return ()
    try:
        with session.begin_nested():
            rollen = session.execute(
                text("SELECT kiss_rollen_bijwerken(:login)"), {"login": login}
            ).scalar_one()
    except DBAPIError as exc:
        raise _db_fout(exc) from exc
    return tuple(r for r in str(rollen or "").split(",") if r)


def werk_alle_rollen_bij(session: Session) -> int:
    """After a smoelenboek import: every linked login follows its medewerker's rollen."""
    if not is_gedeeld(session):
        return 0
    ingericht = session.execute(
        text("SELECT to_regprocedure('kiss_alle_rollen_bijwerken()')")
    ).scalar_one()
    if ingericht is None:  # 'kiss db upgrade' has not set up the roles here (yet)
        return 0
    return int(session.execute(text("SELECT kiss_alle_rollen_bijwerken()")).scalar_one())


def voeg_toe(
    session: Session,
    login: str,
    medewerker_sleutel: str,
    *,
    door: Medewerker | None,
    wachtwoord: str | None = None,
) -> Koppeling:
    """Create (or link an existing) login for the medewerker and give it its group roles."""
    _mag_beheren(session, door)
    login = _controleer_login(login)
    medewerker = zoek_medewerker(session, medewerker_sleutel)
    if medewerker is None:
        raise GebruikerFout(f"Medewerker '{medewerker_sleutel}' staat niet in het smoelenboek.")
    if not medewerker.actief:
        raise GebruikerFout(f"{medewerker.naam} staat als vertrokken in het smoelenboek.")
    ander = session.exec(
        select(Medewerker).where(Medewerker.gebruikersnaam == login, Medewerker.id != medewerker.id)
    ).first()
    if ander is not None:
        raise GebruikerFout(f"Gebruikersnaam '{login}' hoort al bij {ander.naam}.")
    medewerker.gebruikersnaam = login
    session.add(medewerker)
    session.flush()
    nieuw = False
    if is_gedeeld(session):
        verifier = scram_verifier(wachtwoord) if wachtwoord else ""
        try:
            with session.begin_nested():
                nieuw = bool(
                    session.execute(
                        text("SELECT kiss_login_maken(:login, :verifier)"),
                        {"login": login, "verifier": verifier},
                    ).scalar_one()
                )
        except DBAPIError as exc:
            raise _db_fout(exc) from exc
    groepen = werk_rollen_bij(session, login)
    audit.log(
        session,
        door,
        audit.GEBRUIKER_TOEGEVOEGD,
        object_type="medewerker",
        object_id=medewerker.id,
        details=f"login {login}; rollen {medewerker.rollen}"
        + ("; nieuwe login" if nieuw else "")
        + ("; wachtwoord gezet" if wachtwoord else ""),
    )
    return Koppeling(login, medewerker.naam, groepen, nieuw)


def trek_in(session: Session, login: str, *, door: Medewerker | None) -> str:
    """Unlink the login from its medewerker and take away every KISS group role."""
    _mag_beheren(session, door)
    login = login.strip()
    medewerker = session.exec(select(Medewerker).where(Medewerker.gebruikersnaam == login)).first()
    if medewerker is None:
        raise GebruikerFout(f"Gebruikersnaam '{login}' hoort bij geen medewerker.")
    if door is not None and medewerker.id == door.id:
        raise GebruikerFout("U kunt uw eigen toegang niet intrekken; vraag een andere beheerder.")
    medewerker.gebruikersnaam = None
    session.add(medewerker)
    session.flush()
    werk_rollen_bij(session, login)
    audit.log(
        session,
        door,
        audit.GEBRUIKER_INGETROKKEN,
        object_type="medewerker",
        object_id=medewerker.id,
        details=f"login {login}",
    )
    return medewerker.naam
