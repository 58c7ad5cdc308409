"""The local recovery file: what was typed but is not yet in the database.

Written by the werkplek a few times a second while something is unsaved (a small JSON file,
replaced atomically), emptied once the database has it. After a crash, ``kill -9`` or a
database outage, the next start finds the text here. Only unsaved entries are kept, so the
file holds personal data for as short a time as possible; it is readable by its owner only.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import platformdirs

from kiss.services.contact.bronnen import Bron
from kiss.services.contact.contactmomenten import ContactInvoer

_UUID_VELDEN = {"artikel_id", "afdeling_id", "zaak_id"}


def standaard_pad(database_url: str, medewerker_id: uuid.UUID) -> Path:
    """One file per database and medewerker, in the user's state folder."""
    sleutel = hashlib.sha256(f"{database_url}|{medewerker_id}".encode()).hexdigest()[:16]
    return platformdirs.user_state_path("kiss", ensure_exists=True) / f"herstel-{sleutel}.json"


def _json_waarde(waarde: Any) -> Any:
    if isinstance(waarde, uuid.UUID):
        return str(waarde)
    if isinstance(waarde, dict):
        return {k: _json_waarde(v) for k, v in waarde.items()}
    if isinstance(waarde, list | tuple):
        return [_json_waarde(v) for v in waarde]
    return waarde


def _naar_json(invoer: ContactInvoer) -> dict[str, Any]:
    return {k: _json_waarde(v) for k, v in asdict(invoer).items()}


def _bron(data: dict[str, Any]) -> Bron:
    verwijzing = data.get("verwijzing_id")
    return Bron(
        soort=str(data.get("soort", "")),
        titel=str(data.get("titel", "")),
        verwijzing_id=uuid.UUID(verwijzing) if verwijzing else None,
        url=str(data.get("url", "")),
    )


def _uit_json(data: dict[str, Any]) -> ContactInvoer:
    waarden: dict[str, Any] = {}
    for veld in fields(ContactInvoer):
        waarde = data.get(veld.name)
        if veld.name in _UUID_VELDEN:
            waarde = uuid.UUID(waarde) if waarde else None
        elif veld.name == "bronnen":
            waarde = tuple(_bron(b) for b in waarde or () if isinstance(b, dict))
        elif not isinstance(waarde, str):
            waarde = ""
        waarden[veld.name] = waarde
    return ContactInvoer(**waarden)


class Herstelbestand:
    """Unsaved ContactInvoer per contactmoment id, on disk."""

    def __init__(self, pad: Path) -> None:
        self.pad = pad
        self._laatst_geschreven: dict[str, dict[str, Any]] | None = None

    def lees(self) -> dict[uuid.UUID, ContactInvoer]:
        try:
            data = json.loads(self.pad.read_text(encoding="utf-8"))
            return {uuid.UUID(k): _uit_json(v) for k, v in data.get("contacten", {}).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            return {}  # missing or half-written by an older crash: nothing to restore

    def schrijf(self, onbewaard: dict[uuid.UUID, ContactInvoer]) -> None:
        inhoud = {str(k): _naar_json(v) for k, v in onbewaard.items()}
        if inhoud == self._laatst_geschreven:
            return
        if not inhoud:
            self.pad.unlink(missing_ok=True)
        else:
            tijdelijk = self.pad.with_suffix(".tmp")
            descriptor = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as bestand:
                json.dump({"versie": 1, "contacten": inhoud}, bestand, ensure_ascii=False)
            os.replace(tijdelijk, self.pad)
        self._laatst_geschreven = inhoud
