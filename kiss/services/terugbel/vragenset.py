"""Vragensets: the extra questions an afdeling or team wants answered in every terugbelnotitie
routed to it (as in ITA). A beheerder defines them; the KCC form shows them when that afdeling
or team is chosen; a required question left open blocks saving with a Dutch message.

A team without a set of its own uses its afdeling's; a medewerker uses their team's, else
their afdeling's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from kiss.models import Afdeling, Medewerker, Team, VraagSoort, Vragenset, utcnow
from kiss.rollen import BEHEERDER, heeft_rol, vereis
from kiss.services import audit

MAX_VRAGEN = 15
MAX_LABEL = 120
MAX_ANTWOORD = 1000
GEWIJZIGD = "vragenset_gewijzigd"


class VragensetFout(ValueError):
    """A vragenset that cannot be stored; the message is Dutch and names the question."""


@dataclass(frozen=True)
class Vraag:
    label: str
    soort: str = VraagSoort.KORT
    keuzes: tuple[str, ...] = ()
    verplicht: bool = False

    @property
    def veldnaam(self) -> str:
        return f"antwoord:{self.label}"


@dataclass(frozen=True)
class Set:
    """The questions of one afdeling or team (empty: no extra questions)."""

    vragen: tuple[Vraag, ...] = ()
    van: str = ""  # e.g. "afdeling Vergunningen", for the form's heading


def _vraag(data: dict[str, Any], nummer: int) -> Vraag:
    label = str(data.get("label", "")).strip()
    if not label:
        raise VragensetFout(f"Vraag {nummer} heeft geen tekst (label).")
    if len(label) > MAX_LABEL:
        raise VragensetFout(f"Vraag {nummer} is langer dan {MAX_LABEL} tekens.")
    try:
        soort = VraagSoort(str(data.get("soort", VraagSoort.KORT)))
    except ValueError:
        raise VragensetFout(
            f"Vraag {nummer} ('{label}'): soort moet kort, lang, keuze of vinkje zijn."
        ) from None
    keuzes = tuple(str(k).strip() for k in data.get("keuzes", ()) if str(k).strip())
    if soort == VraagSoort.KEUZE and len(keuzes) < 2:
        raise VragensetFout(
            f"Vraag {nummer} ('{label}'): een keuzevraag heeft ten minste twee keuzes."
        )
    verplicht = data.get("verplicht", False)
    if not isinstance(verplicht, bool):
        raise VragensetFout(f"Vraag {nummer} ('{label}'): verplicht is ja (true) of nee (false).")
    return Vraag(label, soort, keuzes, verplicht)


def lees_vragen(ruw: list[dict[str, Any]]) -> tuple[Vraag, ...]:
    """Validated questions from stored JSON or an imported file."""
    if len(ruw) > MAX_VRAGEN:
        raise VragensetFout(f"Een vragenset heeft hoogstens {MAX_VRAGEN} vragen.")
    vragen = tuple(_vraag(dict(v), i) for i, v in enumerate(ruw, start=1))
    labels = [v.label.casefold() for v in vragen]
    if len(set(labels)) != len(labels):
        raise VragensetFout("Twee vragen hebben dezelfde tekst; maak ze verschillend.")
    return vragen


def zet(
    session: Session,
    door: Medewerker,
    *,
    afdeling_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    vragen: list[dict[str, Any]],
) -> Vragenset:
    """Define (or with an empty list remove the questions of) one afdeling's or team's set."""
    vereis(heeft_rol(door, BEHEERDER), "vragensets te beheren")
    if (afdeling_id is None) == (team_id is None):
        raise VragensetFout("Kies precies één afdeling of één team.")
    gecontroleerd = lees_vragen(vragen)
    kolom = Vragenset.afdeling_id if afdeling_id else Vragenset.team_id
    bestaand = session.execute(
        select(Vragenset).where(kolom == (afdeling_id or team_id))
    ).scalar_one_or_none()
    oud = len(bestaand.vragen) if bestaand else 0
    vragenset = bestaand or Vragenset(afdeling_id=afdeling_id, team_id=team_id)
    vragenset.vragen = [
        {
            "label": v.label,
            "soort": str(v.soort),
            "keuzes": list(v.keuzes),
            "verplicht": v.verplicht,
        }
        for v in gecontroleerd
    ]
    vragenset.gewijzigd_op = utcnow()
    vragenset.gewijzigd_door_id = door.id
    session.add(vragenset)
    session.flush()
    audit.log(
        session,
        door,
        GEWIJZIGD,
        object_type="vragenset",
        object_id=vragenset.id,
        details=f"{oud} → {len(gecontroleerd)} vragen",
    )
    return vragenset


def _set_van(session: Session, kolom: Any, waarde: uuid.UUID | None, van: str) -> Set | None:
    if waarde is None:
        return None
    rij = session.execute(select(Vragenset).where(kolom == waarde)).scalar_one_or_none()
    if rij is None or not rij.vragen:
        return None
    return Set(lees_vragen(rij.vragen), van)


def voor(
    session: Session,
    *,
    afdeling_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    medewerker_id: uuid.UUID | None = None,
) -> Set:
    """The questions for a note assigned to this afdeling, team or medewerker."""
    if medewerker_id is not None:
        medewerker = session.get(Medewerker, medewerker_id)
        if medewerker is not None:
            team_id, afdeling_id = medewerker.team_id, medewerker.afdeling_id
    if team_id is not None:
        team = session.get(Team, team_id)
        gevonden = _set_van(
            session, Vragenset.team_id, team_id, f"team {team.naam if team else ''}"
        )
        if gevonden:
            return gevonden
        afdeling_id = afdeling_id or (team.afdeling_id if team else None)
    if afdeling_id is not None:
        afdeling = session.get(Afdeling, afdeling_id)
        gevonden = _set_van(
            session,
            Vragenset.afdeling_id,
            afdeling_id,
            f"afdeling {afdeling.naam if afdeling else ''}",
        )
        if gevonden:
            return gevonden
    return Set()


@dataclass
class Antwoorden:
    """Checked answers: stored as a list of {vraag, antwoord} on the note."""

    fouten: dict[str, str] = field(default_factory=dict)
    regels: list[dict[str, str]] = field(default_factory=list)


def controleer(vragenset: Set, antwoorden: dict[str, str | bool]) -> Antwoorden:
    """Every required question answered, every choice one of the choices; a Dutch message
    per question (keyed by :attr:`Vraag.veldnaam`)."""
    uitkomst = Antwoorden()
    for vraag in vragenset.vragen:
        waarde = antwoorden.get(vraag.label, False if vraag.soort == VraagSoort.VINKJE else "")
        if vraag.soort == VraagSoort.VINKJE:
            if vraag.verplicht and waarde is not True:
                uitkomst.fouten[vraag.veldnaam] = f"'{vraag.label}' moet aangevinkt zijn."
            tekst = "ja" if waarde is True else "nee"
        else:
            tekst = str(waarde or "").strip()
            if vraag.verplicht and not tekst:
                uitkomst.fouten[vraag.veldnaam] = (
                    f"Vul '{vraag.label}' in; {vragenset.van} vraagt dit."
                )
            elif vraag.soort == VraagSoort.KEUZE and tekst and tekst not in vraag.keuzes:
                uitkomst.fouten[vraag.veldnaam] = f"Kies bij '{vraag.label}' een van de keuzes."
            elif len(tekst) > MAX_ANTWOORD:
                uitkomst.fouten[vraag.veldnaam] = (
                    f"Het antwoord op '{vraag.label}' mag hoogstens {MAX_ANTWOORD} tekens zijn."
                )
        if tekst:
            uitkomst.regels.append({"vraag": vraag.label, "antwoord": tekst})
    return uitkomst
