"""How values are shown to Dutch users: times in Europe/Amsterdam, dates as dd-mm-jjjj."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEKDAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip


def lokaal(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)


def tijdstip(moment: datetime | None) -> str:
    """``24-12-2026 10:00`` in Amsterdam time."""
    if moment is None:
        return ""
    return lokaal(moment).strftime("%d-%m-%Y %H:%M")


def kort_tijdstip(moment: datetime) -> str:
    """``do 24-12 10:00`` in Amsterdam time: for deadlines in lists."""
    local = lokaal(moment)
    return f"{WEEKDAGEN[local.weekday()][:2]} {local:%d-%m %H:%M}"


def datum(dag: date | None) -> str:
    return dag.strftime("%d-%m-%Y") if dag else ""


def lang_tijdstip(moment: datetime) -> str:
    """``dinsdag 29 december 2026 10:00`` in Amsterdam time."""
    local = lokaal(moment)
    return (
        f"{WEEKDAGEN[local.weekday()]} {local.day} {MAANDEN[local.month - 1]} {local.year} "
        f"{local:%H:%M}"
    )
