"""The generic CTI webhook format (as Zammad documents it), parsed and checked.

A phone system posts ``event`` = ``newCall`` | ``answer`` | ``hangup`` with ``from``, ``to``,
``direction`` (``in`` | ``out``), ``callId``, ``user[]`` (the users rung, or the one who
answered), optionally ``queue``, ``answeringNumber`` (extension or login of who answered) and,
on hangup, ``cause``. Form-encoded or JSON; in JSON ``user`` may be a list or a string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kiss.validation import ValidatieFout, valideer_telefoon

GEBEURTENISSEN = ("newCall", "answer", "hangup")
RICHTINGEN = ("in", "out")
MAX_CALL_ID = 250
MAX_VELD = 250
_CALL_ID = re.compile(r"[\x21-\x7e]+")  # printable ASCII without spaces


class OngeldigeMelding(ValueError):
    """The webhook body is not a valid CTI event; ``fouten`` holds a Dutch message per field."""

    def __init__(self, fouten: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fouten.items()))
        self.fouten = fouten


@dataclass(frozen=True)
class CtiGebeurtenis:
    gebeurtenis: str
    call_id: str
    van: str = ""
    naar: str = ""
    richting: str = "in"
    gebruikers: tuple[str, ...] = ()
    wachtrij: str = ""
    toestel: str = ""  # answeringNumber
    oorzaak: str = ""  # cause (hangup)


def _tekst(waarde: Any, veld: str, fouten: dict[str, str], maximum: int = MAX_VELD) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, bool) or not isinstance(waarde, str | int):
        fouten[veld] = "moet tekst zijn"
        return ""
    tekst = str(waarde).strip()
    if len(tekst) > maximum:
        fouten[veld] = f"hoogstens {maximum} tekens"
        return ""
    return tekst


def _gebruikers(waarde: Any, fouten: dict[str, str]) -> tuple[str, ...]:
    if waarde is None:
        return ()
    lijst = [waarde] if isinstance(waarde, str) else waarde
    if not isinstance(lijst, list) or not all(isinstance(u, str) for u in lijst):
        fouten["user"] = "moet een lijst met namen zijn"
        return ()
    namen = tuple(u.strip()[:MAX_VELD] for u in lijst if u.strip())
    return namen[:20]


def lees(velden: Mapping[str, Any]) -> CtiGebeurtenis:
    """One event from already-decoded fields (``user``/``user[]`` as a list of names)."""
    fouten: dict[str, str] = {}
    gebeurtenis = _tekst(velden.get("event"), "event", fouten)
    if not gebeurtenis and "event" not in fouten:
        fouten["event"] = "ontbreekt (newCall, answer of hangup)"
    elif gebeurtenis and gebeurtenis not in GEBEURTENISSEN:
        fouten["event"] = f"onbekend '{gebeurtenis[:40]}' (verwacht newCall, answer of hangup)"
    call_id = _tekst(velden.get("callId"), "callId", fouten, MAX_CALL_ID)
    if not call_id and "callId" not in fouten:
        fouten["callId"] = "ontbreekt"
    elif call_id and not _CALL_ID.fullmatch(call_id):
        fouten["callId"] = "alleen zichtbare tekens zonder spaties"
    richting = _tekst(velden.get("direction"), "direction", fouten) or "in"
    if richting not in RICHTINGEN and "direction" not in fouten:
        fouten["direction"] = "moet 'in' of 'out' zijn"
    gebruikers = _gebruikers(velden.get("user[]", velden.get("user")), fouten)
    resultaat = CtiGebeurtenis(
        gebeurtenis=gebeurtenis,
        call_id=call_id,
        van=_tekst(velden.get("from"), "from", fouten),
        naar=_tekst(velden.get("to"), "to", fouten),
        richting=richting,
        gebruikers=gebruikers,
        wachtrij=_tekst(velden.get("queue"), "queue", fouten, 120),
        toestel=_tekst(velden.get("answeringNumber"), "answeringNumber", fouten, 40),
        oorzaak=_tekst(velden.get("cause"), "cause", fouten, 40),
    )
    if fouten:
        raise OngeldigeMelding(fouten)
    return resultaat


def lees_formulier(paren: Iterable[tuple[str, str]]) -> CtiGebeurtenis:
    """From form fields (``application/x-www-form-urlencoded``); ``user[]`` may repeat."""
    velden: dict[str, Any] = {}
    gebruikers: list[str] = []
    for sleutel, waarde in paren:
        if sleutel in ("user[]", "user"):
            gebruikers.append(waarde)
        elif sleutel in velden:
            raise OngeldigeMelding({sleutel: "komt meer dan eens voor"})
        else:
            velden[sleutel] = waarde
    if gebruikers:
        velden["user"] = gebruikers
    return lees(velden)


def lees_json(data: Any) -> CtiGebeurtenis:
    if not isinstance(data, dict):
        raise OngeldigeMelding({"body": "verwacht een JSON-object"})
    return lees(data)


def beller(van: str) -> str:
    """The caller's number as KISS stores it (E.164), or '' for anonymous or unreadable.

    Phone systems send ``0612345678``, ``+31612345678``, ``0031612345678`` or, like the CTI
    examples, the international digits without a plus (``31612345678``)."""
    tekst = van.strip()
    if not tekst or not any(c.isdigit() for c in tekst):
        return ""
    kandidaten = [tekst]
    if tekst.isdigit() and not tekst.startswith("0") and len(tekst) >= 10:
        kandidaten.insert(0, "+" + tekst)
    for kandidaat in kandidaten:
        try:
            return valideer_telefoon(kandidaat)
        except ValidatieFout:
            continue
    return ""
