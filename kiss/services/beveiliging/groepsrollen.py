"""Names of the PostgreSQL group roles. Role names are cluster-wide: give every KISS database
on one server its own prefix (``KISS_ROL_VOORVOEGSEL``), so their rights never mix."""

from __future__ import annotations

import os
import re

from kiss.rollen import ALLE_ROLLEN

STANDAARD_VOORVOEGSEL = "kiss_"
BASIS = "gebruiker"  # every login: read the organisation and kennisbank, write the audit
_GELDIG = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def voorvoegsel(expliciet: str | None = None) -> str:
    waarde = expliciet if expliciet is not None else os.environ.get("KISS_ROL_VOORVOEGSEL")
    waarde = STANDAARD_VOORVOEGSEL if waarde is None else waarde
    if not _GELDIG.match(waarde):
        raise ValueError(
            f"KISS_ROL_VOORVOEGSEL '{waarde}' kan niet: alleen kleine letters, cijfers en _."
        )
    return waarde


def groepsrol(rol: str, prefix: str) -> str:
    return f"{prefix}{rol}"


def alle_groepsrollen(prefix: str) -> list[str]:
    return [groepsrol(BASIS, prefix)] + [groepsrol(r, prefix) for r in ALLE_ROLLEN]
