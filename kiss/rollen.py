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


# What each entry point needs; the services call these, the CLI and the TUI both go through
# the services, so a refusal reads the same everywhere.

KLANT_ROLLEN = (KCC, BACKOFFICE, TEAMLEAD, PRIVACY, BEHEERDER)


def mag_klanten_zien(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, *KLANT_ROLLEN)


def mag_kennisbank_importeren(medewerker: Medewerker) -> bool:
    return mag_artikel_bewerken(medewerker)


def mag_smoelenboek_beheren(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, BEHEERDER)


def mag_opschonen(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, BEHEERDER)


def mag_gebruikers_beheren(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, BEHEERDER)


def mag_audit_inzien(medewerker: Medewerker) -> bool:
    """The privacy officer (privacy role) and beheerders check and export the audit trail."""
    return heeft_rol(medewerker, PRIVACY, BEHEERDER)


def mag_rapport_zien(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, TEAMLEAD, BEHEERDER)


def mag_terugbelnotities_zien(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, KCC, BACKOFFICE, TEAMLEAD, BEHEERDER)


def onbekende_rollen(rollen: str) -> list[str]:
    """The names in a ';'-separated rollen field that KISS does not know."""
    return [r for r in (d.strip() for d in rollen.split(";")) if r and r not in ALLE_ROLLEN]
