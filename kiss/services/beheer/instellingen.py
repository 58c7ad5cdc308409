"""The organisation's settings in the database: one versioned document for every agent.

A running KISS asks :func:`versie` every few seconds (one row, one column) and calls
:func:`laad` only when the number changed. Saving is for beheerders, checked against the rules
(:mod:`.regels`), refused when a colleague saved in between (:class:`Verouderd`), and audited
with every changed setting as ``old → new``. ``naar_toml``/``uit_toml`` carry the settings from
a test to a production install (``kiss beheer export/import``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from kiss.config import (
    ConfigFout,
    Organisatie,
    organisatie_naar_dict,
    organisatie_uit_dict,
)
from kiss.models import Gemeente, Medewerker, OrganisatieInstellingen
from kiss.rollen import BEHEERDER, heeft_rol, vereis
from kiss.services import audit
from kiss.services.beheer.regels import controleer
from kiss.validation import ValidatieFout

INSTELLINGEN_GEWIJZIGD = "instellingen_gewijzigd"
INSTELLINGEN_OVERGENOMEN = "instellingen_overgenomen"
RIJ = 1  # the one row


@dataclass(frozen=True)
class Stand:
    organisatie: Organisatie
    versie: int  # 0: not in the database yet (the defaults or an old kiss.toml)


class Verouderd(ValidatieFout):
    """A colleague saved the settings after this screen loaded them."""


def mag_beheren(medewerker: Medewerker) -> bool:
    return heeft_rol(medewerker, BEHEERDER)


# ---- JSON in the database ----------------------------------------------------------------


def _json_waarde(waarde: Any) -> Any:
    if isinstance(waarde, date):
        return waarde.isoformat()
    if isinstance(waarde, dict):
        return {k: _json_waarde(v) for k, v in waarde.items()}
    if isinstance(waarde, list | tuple):
        return [_json_waarde(v) for v in waarde]
    return waarde


def naar_json(org: Organisatie) -> dict[str, Any]:
    return _json_waarde(organisatie_naar_dict(org))  # type: ignore[no-any-return]


def uit_json(data: dict[str, Any]) -> Organisatie:
    return organisatie_uit_dict(data)


# ---- reading -------------------------------------------------------------------------------


def versie(session: Session) -> int:
    """The settings' version number (0 when none are stored): the cheap check."""
    waarde = session.execute(
        select(OrganisatieInstellingen.versie).where(OrganisatieInstellingen.id == RIJ)
    ).scalar_one_or_none()
    return int(waarde or 0)


def laad(session: Session) -> Stand | None:
    """The stored settings, or None when the database has none yet."""
    rij = session.get(OrganisatieInstellingen, RIJ)
    if rij is None:
        return None
    return Stand(uit_json(dict(rij.inhoud)), rij.versie)


# ---- what changed (for the audit and the screen) --------------------------------------------


def _sleutel(tabel: dict[str, Any]) -> str:
    return str(tabel.get("code") or tabel.get("naam") or tabel.get("titel") or "")


def _plat(data: Any, pad: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _plat(v, f"{pad}.{k}" if pad else k)
    elif isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        for x in data:
            yield from _plat(x, f"{pad}[{_sleutel(x)}]")
    else:
        yield pad, data


def _tekst(waarde: Any) -> str:
    if waarde is None:
        return "—"
    return json.dumps(_json_waarde(waarde), ensure_ascii=False)


def verschillen(oud: Organisatie, nieuw: Organisatie) -> list[str]:
    """Every changed setting as ``naam: oud → nieuw`` (added/removed entries included)."""
    a = dict(_plat(organisatie_naar_dict(oud)))
    b = dict(_plat(organisatie_naar_dict(nieuw)))
    regels = []
    for naam in list(a) + [n for n in b if n not in a]:
        if a.get(naam) != b.get(naam) or (naam in a) != (naam in b):
            regels.append(
                f"{naam}: {_tekst(a.get(naam)) if naam in a else '—'} → "
                f"{_tekst(b.get(naam)) if naam in b else '—'}"
            )
    return regels


def _audit(
    session: Session, door: Medewerker | None, actie: str, versie: int, regels: list[str]
) -> None:
    """The changes in as few audit rows as fit (each holds at most 1000 characters)."""
    deel: list[str] = []
    for regel in regels or ["(geen verschil)"]:
        regel = regel[:990]
        if deel and len("\n".join([*deel, regel])) > 1000:
            audit.log(session, door, actie, object_type="organisatie_instellingen",
                      object_id=f"versie {versie}", details="\n".join(deel))  # fmt: skip
            deel = []
        deel.append(regel)
    audit.log(session, door, actie, object_type="organisatie_instellingen",
              object_id=f"versie {versie}", details="\n".join(deel))  # fmt: skip


def _gemeenten_bekend(session: Session, org: Organisatie) -> None:
    """Gemeenten new in the settings get their row (contactmomenten refer to it)."""
    bekend = set(session.execute(select(Gemeente.naam)).scalars())
    for naam, code in org.gemeenten:
        if naam not in bekend:
            session.add(Gemeente(naam=naam, code=code))


# ---- writing -------------------------------------------------------------------------------


def bewaar(
    session: Session,
    door: Medewerker,
    org: Organisatie,
    *,
    nu: datetime,
    verwacht_versie: int | None = None,
) -> Stand:
    """Save new settings (beheerder; checked; audited old → new). ``verwacht_versie``: the
    version the editor started from; a colleague's save in between is refused."""
    vereis(mag_beheren(door), "de instellingen van de organisatie te wijzigen")
    controleer(org, session)
    rij = session.execute(
        select(OrganisatieInstellingen).where(OrganisatieInstellingen.id == RIJ).with_for_update()
    ).scalar_one_or_none()
    huidige_versie = rij.versie if rij else 0
    if verwacht_versie is not None and verwacht_versie != huidige_versie:
        raise Verouderd(
            f"Een collega heeft de instellingen intussen gewijzigd (nu versie {huidige_versie}). "
            "Laad ze opnieuw (r) en breng uw wijziging daarna nog eens aan."
        )
    leesbaar = True
    try:
        oud = uit_json(dict(rij.inhoud)) if rij else Organisatie()
    except ConfigFout:  # unreadable (changed behind KISS's back): written anew
        oud, leesbaar = Organisatie(), False
    regels = verschillen(oud, org)
    if rij is not None and not regels and leesbaar:
        return Stand(org, rij.versie)
    regels = regels if leesbaar else ["onleesbare instellingen opnieuw opgeslagen", *regels]
    if rij is None:
        rij = OrganisatieInstellingen(id=RIJ, versie=0)
    rij.inhoud = naar_json(org)
    rij.versie = huidige_versie + 1
    rij.gewijzigd_op = nu
    rij.gewijzigd_door_id = door.id
    session.add(rij)
    _gemeenten_bekend(session, org)
    _audit(session, door, INSTELLINGEN_GEWIJZIGD, rij.versie, regels)
    session.flush()
    return Stand(org, rij.versie)


def neem_over(
    session: Session, door: Medewerker | None, org: Organisatie, *, nu: datetime, bron: str
) -> Stand | None:
    """The first settings of a database that has none (from an old kiss.toml): stored once,
    audited with ``bron``. None when settings exist already (nothing is overwritten)."""
    if session.get(OrganisatieInstellingen, RIJ) is not None:
        return None
    controleer(org, session)
    rij = OrganisatieInstellingen(
        id=RIJ, inhoud=naar_json(org), versie=1, gewijzigd_op=nu,
        gewijzigd_door_id=door.id if door else None,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(rij)
            session.flush()
    except IntegrityError:
        return None  # a colleague's KISS did it at the same moment
    _gemeenten_bekend(session, org)
    _audit(session, door, INSTELLINGEN_OVERGENOMEN, 1,
           [f"overgenomen uit {bron}", *verschillen(Organisatie(), org)])  # fmt: skip
    return Stand(org, 1)


# ---- TOML (kiss beheer export/import) --------------------------------------------------------


def _toml_waarde(waarde: Any) -> str:
    if isinstance(waarde, bool):
        return "true" if waarde else "false"
    if isinstance(waarde, int):
        return str(waarde)
    if isinstance(waarde, date):
        return waarde.isoformat()
    if isinstance(waarde, str):
        return json.dumps(waarde, ensure_ascii=False)
    if isinstance(waarde, list):
        return "[" + ", ".join(_toml_waarde(v) for v in waarde) + "]"
    raise TypeError(type(waarde))


def naar_toml(org: Organisatie, *, kop: str = "") -> str:
    """The settings as a TOML file ``uit_toml`` (and ``kiss beheer import``) reads back."""
    data = organisatie_naar_dict(org)
    regels = [f"# {r}" for r in kop.splitlines()] + ([""] if kop else [])
    for sleutel, waarde in data.items():
        if isinstance(waarde, dict):
            continue
        if isinstance(waarde, list) and waarde and isinstance(waarde[0], dict):
            continue
        regels.append(f"{sleutel} = {_toml_waarde(waarde)}")
    for sleutel, waarde in data.items():
        if isinstance(waarde, dict):
            regels += ["", f"[{sleutel}]"]
            regels += [f"{k} = {_toml_waarde(v)}" for k, v in waarde.items()]
    for sleutel, waarde in data.items():
        if isinstance(waarde, list) and waarde and isinstance(waarde[0], dict):
            for tabel in waarde:
                regels += ["", f"[[{sleutel}]]"]
                regels += [f"{k} = {_toml_waarde(v)}" for k, v in tabel.items()]
    return "\n".join(regels) + "\n"


def uit_toml(
    tekst: str, basis: Organisatie | None = None, session: Session | None = None
) -> Organisatie:
    """Settings from a TOML text (an export, or an old ``kiss.toml``: its workstation keys are
    ignored); checked against the rules (with a ``session`` also that the klachtencoördinator
    exists). Dutch :class:`ConfigFout` naming what is wrong."""
    try:
        data = tomllib.loads(tekst)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFout(f"Geen geldige TOML: {exc}") from None
    return controleer(organisatie_uit_dict(data, basis), session)
