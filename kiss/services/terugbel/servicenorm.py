"""The terugbelnorm: when a terugbelnotitie must have been followed up.

All deadline arithmetic lives here, so screens, the CLI and reports agree on one answer.

Rules (``soort="werkdagen"``, the default):

* Working time runs only on *werkdagen*: Monday to Friday in local wall-clock time of
  ``tijdzone`` (Europe/Amsterdam), except Dutch national holidays from ``holidays.Netherlands``
  and the organisation's own ``extra_sluitingsdagen``. Holidays named in ``open_feestdagen``
  (default: Goede vrijdag, on which most municipalities are open) count as werkdagen.
* A werkdag counts as 24 hours of working time, from 00:00 to 24:00 local time. Counting is
  done on the wall clock, so Friday 15:00 plus 48 werkuren is Tuesday 15:00 local time, also
  across a daylight-saving weekend (47 or 49 real hours).
* A note created outside a werkdag starts its clock at 00:00 of the next werkdag.
* A deadline is the exact instant the working time is used up: Monday 00:00 plus 48 werkuren
  is Tuesday 24:00, i.e. Wednesday 00:00.

With ``soort="kalender"`` the deadline is simply ``aangemaakt_op`` plus ``uren`` real hours.

All moments going in must be timezone-aware; deadlines come out in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

GOEDE_VRIJDAG = "Goede vrijdag"
"""Name of Good Friday in ``holidays.Netherlands(language="nl")``."""

STANDAARD_WAARSCHUWING_UREN = 4.0
"""Werkuren before the deadline from which a deadline counts as ``BIJNA``."""

_DAG = timedelta(days=1)
_NUL = timedelta(0)
_UUR = timedelta(hours=1)
_TAAL_NAMEN = ("nl", "en_US")
"""Holiday names are matched in Dutch and English, case-insensitively."""
_REFERENTIE_JAREN = range(2020, 2031)
"""Years used to learn all holiday names (includes lustrum years for Bevrijdingsdag)."""


@lru_cache(maxsize=64)
def _zone(tijdzone: str) -> ZoneInfo:
    try:
        return ZoneInfo(tijdzone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Onbekende tijdzone: {tijdzone!r}") from exc


@lru_cache(maxsize=256)
def _feestdag_namen(jaar: int) -> dict[date, frozenset[str]]:
    """Per national holiday of ``jaar``: its names (casefolded, Dutch and English)."""
    import holidays  # the calendars of every country: loaded when a deadline is first computed

    namen: dict[date, set[str]] = {}
    for taal in _TAAL_NAMEN:
        kalender = holidays.Netherlands(years=jaar, language=taal)
        for dag in kalender:
            namen.setdefault(dag, set()).update(n.casefold() for n in kalender.get_list(dag))
    return {dag: frozenset(n) for dag, n in namen.items()}


@lru_cache(maxsize=1)
def _bekende_feestdag_namen() -> frozenset[str]:
    bekend: set[str] = set()
    for jaar in _REFERENTIE_JAREN:
        for namen in _feestdag_namen(jaar).values():
            bekend.update(namen)
    return frozenset(bekend)


@lru_cache(maxsize=1024)
def _gesloten_feestdagen(jaar: int, open_feestdagen: frozenset[str]) -> frozenset[date]:
    """National holidays of ``jaar`` that close the organisation; names are casefolded."""
    return frozenset(
        dag for dag, namen in _feestdag_namen(jaar).items() if not namen & open_feestdagen
    )


@dataclass(frozen=True)
class Servicenorm:
    """How long a terugbelnotitie may stay open, and which days the clock runs.

    ``open_feestdagen`` holds names of national holidays (Dutch or English, any case, as
    ``holidays.Netherlands`` spells them, e.g. ``"Goede vrijdag"``/``"Good Friday"``) on which
    the organisation is open; pass ``frozenset()`` to treat every national holiday as closed.
    """

    uren: int = 48
    soort: Literal["werkdagen", "kalender"] = "werkdagen"
    extra_sluitingsdagen: frozenset[date] = frozenset()
    open_feestdagen: frozenset[str] = frozenset({GOEDE_VRIJDAG})
    tijdzone: str = "Europe/Amsterdam"
    _open_casefold: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.uren, bool) or not isinstance(self.uren, int) or self.uren <= 0:
            raise ValueError(
                f"Servicenorm: uren moet een positief geheel getal zijn, niet {self.uren!r}"
            )
        if self.soort not in ("werkdagen", "kalender"):
            raise ValueError(
                f"Servicenorm: soort moet 'werkdagen' of 'kalender' zijn, niet {self.soort!r}"
            )
        _zone(self.tijdzone)
        sluitingsdagen = frozenset(self.extra_sluitingsdagen)
        for dag in sluitingsdagen:
            if isinstance(dag, datetime) or not isinstance(dag, date):
                raise ValueError(f"Servicenorm: sluitingsdag moet een datum zijn, niet {dag!r}")
        open_casefold = frozenset(naam.casefold() for naam in self.open_feestdagen)
        # Goede vrijdag (the default) is known without loading the holiday calendars
        te_controleren = open_casefold - {GOEDE_VRIJDAG.casefold()}
        onbekend = sorted(te_controleren - _bekende_feestdag_namen()) if te_controleren else []
        if onbekend:
            raise ValueError(f"Servicenorm: onbekende feestdag(en): {', '.join(onbekend)}")
        object.__setattr__(self, "extra_sluitingsdagen", sluitingsdagen)
        object.__setattr__(self, "open_feestdagen", frozenset(self.open_feestdagen))
        object.__setattr__(self, "_open_casefold", open_casefold)


STANDAARD_NORM = Servicenorm()
"""48 werkuren, Goede vrijdag open, Europe/Amsterdam."""


class DeadlineStatus(StrEnum):
    TE_LAAT = "te_laat"
    BIJNA = "bijna"
    OP_TIJD = "op_tijd"

    @property
    def omschrijving(self) -> str:
        return _OMSCHRIJVINGEN[self]


_OMSCHRIJVINGEN: dict[DeadlineStatus, str] = {
    DeadlineStatus.TE_LAAT: "Te laat",
    DeadlineStatus.BIJNA: "Bijna verlopen",
    DeadlineStatus.OP_TIJD: "Op tijd",
}


def is_werkdag(d: date, norm: Servicenorm = STANDAARD_NORM) -> bool:
    """Whether the working clock runs on local calendar day ``d`` (always for ``kalender``)."""
    if isinstance(d, datetime):
        raise TypeError("is_werkdag verwacht een datum, geen datetime")
    if norm.soort == "kalender":
        return True
    if d.weekday() >= 5 or d in norm.extra_sluitingsdagen:
        return False
    return d not in _gesloten_feestdagen(d.year, norm._open_casefold)


def deadline_na(aangemaakt_op: datetime, norm: Servicenorm = STANDAARD_NORM) -> datetime:
    """The moment (UTC) by which a note created at ``aangemaakt_op`` must be followed up."""
    _eis_tijdzone(aangemaakt_op, "aangemaakt_op")
    if norm.soort == "kalender":
        return aangemaakt_op.astimezone(UTC) + timedelta(hours=norm.uren)
    zone = _zone(norm.tijdzone)
    start = _wandklok(aangemaakt_op, zone)
    dag = start.date()
    verstreken = start - datetime.combine(dag, time())
    rest = timedelta(hours=norm.uren)
    while True:  # ends: at most 7 + len(extra_sluitingsdagen) + holidays days without werkdag
        if is_werkdag(dag, norm):
            beschikbaar = _DAG - verstreken
            if rest <= beschikbaar:
                return _naar_utc(datetime.combine(dag, time()) + verstreken + rest, zone)
            rest -= beschikbaar
        verstreken = _NUL
        dag += _DAG


def resterende_werkuren(
    deadline: datetime, nu: datetime, norm: Servicenorm = STANDAARD_NORM
) -> float:
    """Working hours from ``nu`` to ``deadline``; negative (working hours overdue) once past.

    Uses the same calendar as :func:`deadline_na` (real hours for ``kalender``), so
    ``resterende_werkuren(deadline_na(t, norm), t, norm) == norm.uren`` for ``t`` on a werkdag.
    """
    _eis_tijdzone(deadline, "deadline")
    _eis_tijdzone(nu, "nu")
    if norm.soort == "kalender":
        return (deadline - nu) / _UUR
    zone = _zone(norm.tijdzone)
    van, tot = _wandklok(nu, zone), _wandklok(deadline, zone)
    if nu <= deadline:
        return _werktijd(van, tot, norm) / _UUR
    return -_werktijd(tot, van, norm) / _UUR


def deadline_status(
    deadline: datetime,
    nu: datetime,
    norm: Servicenorm = STANDAARD_NORM,
    waarschuwing_uren: float = STANDAARD_WAARSCHUWING_UREN,
) -> DeadlineStatus:
    """``TE_LAAT`` after the deadline, ``BIJNA`` with at most ``waarschuwing_uren`` werkuren
    left (the deadline instant itself included), otherwise ``OP_TIJD``."""
    if waarschuwing_uren < 0:
        raise ValueError("waarschuwing_uren mag niet negatief zijn")
    _eis_tijdzone(deadline, "deadline")
    _eis_tijdzone(nu, "nu")
    if nu > deadline:
        return DeadlineStatus.TE_LAAT
    if resterende_werkuren(deadline, nu, norm) <= waarschuwing_uren:
        return DeadlineStatus.BIJNA
    return DeadlineStatus.OP_TIJD


def parse_moment(text: str, tijdzone: str = "Europe/Amsterdam") -> datetime:
    """Parse an ISO moment for the CLI, e.g. ``2026-12-24T10:00`` or ``2026-12-24T09:00Z``.

    Without an offset the text is local time in ``tijdzone``. Returns an aware datetime.
    """
    fout = "Ongeldig moment: verwacht bijvoorbeeld 2026-12-24T10:00"
    schoon = text.strip() if isinstance(text, str) else ""
    if not schoon:
        raise ValueError(fout)
    try:
        moment = datetime.fromisoformat(schoon)
    except ValueError as exc:
        raise ValueError(f"{fout} (gekregen: {text!r})") from exc
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        return moment
    zone = _zone(tijdzone)
    lokaal = moment.replace(tzinfo=zone, fold=0)
    if _wandklok(lokaal, zone) != moment.replace(fold=0):
        raise ValueError(
            f"Ongeldig moment: {schoon} bestaat niet in tijdzone {tijdzone} (zomertijd)"
        )
    return lokaal


def _eis_tijdzone(moment: datetime, naam: str) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{naam} moet een datetime zijn, niet {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{naam} mist een tijdzone: geef een moment met tijdzone (bijv. UTC)")


def _wandklok(moment: datetime, zone: ZoneInfo) -> datetime:
    """Naive local wall-clock time of an aware ``moment``.

    Goes through UTC: ``astimezone`` to a moment's own zone would keep a non-existent time.
    """
    return moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None, fold=0)


def _naar_utc(wandklok: datetime, zone: ZoneInfo) -> datetime:
    return wandklok.replace(tzinfo=zone).astimezone(UTC)


def _werktijd(van: datetime, tot: datetime, norm: Servicenorm) -> timedelta:
    """Working time between naive wall-clock moments ``van <= tot``, one step per day."""
    totaal = _NUL
    dag = van.date()
    while dag <= tot.date():
        if is_werkdag(dag, norm):
            begin = datetime.combine(dag, time())
            stuk = min(tot, begin + _DAG) - max(van, begin)
            if stuk > _NUL:
                totaal += stuk
        dag += _DAG
    return totaal
