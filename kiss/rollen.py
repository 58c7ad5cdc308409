"""Roles and what they allow: one place for permission rules."""

from __future__ import annotations

from kiss.models import Medewerker

KCC = "kcc"
BACKOFFICE = "backoffice"
TEAMLEAD = "teamlead"
REDACTEUR = "redacteur"
BEHEERDER = "beheerder"
PRIVACY = "privacy"  # may see a full BSN (e.g. balie staff who check identity)

ALLE_ROLLEN = (KCC, BACKOFFICE, TEAMLEAD, REDACTEUR, BEHEERDER, PRIVACY)


class GeenToegang(PermissionError):
    """The acting medewerker lacks the role for this; the message is Dutch."""


def heeft_rol(medewerker: Medewerker, *rollen: str) -> bool:
    return bool(medewerker.rollenset & set(rollen))


def mag_volledig_bsn_zien(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, PRIVACY, BEHEERDER)


def mag_artikel_bewerken(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, REDACTEUR, BEHEERDER)


def mag_wachtrij_sturen(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, TEAMLEAD, BEHEERDER)


def vereis(toegestaan: bool, wat: str) -> None:
    if not toegestaan:
        raise GeenToegang(f"U heeft geen rechten om {wat}.")
