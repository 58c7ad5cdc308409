"""Deadlines and deadline states through the Settings adapter, at fixed moments."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kiss.config import ServicenormInstelling, Settings
from kiss.services.terugbel.deadline import (
    DeadlineStatus,
    bereken_deadline,
    deadline_staat,
    resterende_werkuren,
)
from kiss.weergave import lang_tijdstip

AMS = ZoneInfo("Europe/Amsterdam")
STANDAARD = Settings()


def ams(jaar: int, maand: int, dag: int, uur: int = 0, minuut: int = 0) -> datetime:
    return datetime(jaar, maand, dag, uur, minuut, tzinfo=AMS).astimezone(UTC)


def met_norm(**velden: object) -> Settings:
    return replace(STANDAARD, servicenorm=replace(ServicenormInstelling(), **velden))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("aangemaakt", "verwacht", "tekst"),
    [
        # the three examples of issue 7
        (ams(2026, 10, 9, 15), ams(2026, 10, 13, 15), "dinsdag 13 oktober 2026 15:00"),
        (ams(2026, 10, 10, 11), ams(2026, 10, 14, 0), "woensdag 14 oktober 2026 00:00"),
        (ams(2026, 12, 24, 10), ams(2026, 12, 29, 10), "dinsdag 29 december 2026 10:00"),
        # across the end of daylight saving time (25 October 2026): wall clock counts
        (ams(2026, 10, 23, 15), ams(2026, 10, 27, 15), "dinsdag 27 oktober 2026 15:00"),
        # and its start (29 March 2026)
        (ams(2026, 3, 27, 9, 30), ams(2026, 3, 31, 9, 30), "dinsdag 31 maart 2026 09:30"),
        # Goede vrijdag is open by default; Tweede paasdag (6 April 2026) is not
        (ams(2026, 4, 2, 12), ams(2026, 4, 7, 12), "dinsdag 7 april 2026 12:00"),
    ],
)
def test_deadline_with_default_settings(
    aangemaakt: datetime, verwacht: datetime, tekst: str
) -> None:
    deadline = bereken_deadline(aangemaakt, STANDAARD)
    assert deadline == verwacht
    assert deadline.tzinfo is not None and deadline.utcoffset() == UTC.utcoffset(None)
    assert lang_tijdstip(deadline) == tekst


def test_organisation_closing_days_and_good_friday_are_configurable() -> None:
    gesloten = met_norm(extra_sluitingsdagen=(date(2026, 10, 12),))
    assert bereken_deadline(ams(2026, 10, 9, 15), gesloten) == ams(2026, 10, 14, 15)
    goede_vrijdag_dicht = met_norm(goede_vrijdag_gesloten=True)
    # Thursday before Easter: Good Friday and Easter Monday both closed
    assert bereken_deadline(ams(2026, 4, 2, 12), goede_vrijdag_dicht) == ams(2026, 4, 8, 12)


def test_calendar_hours_and_norm_length_are_configurable() -> None:
    kalender = met_norm(soort="kalender")
    assert bereken_deadline(ams(2026, 10, 9, 15), kalender) == ams(2026, 10, 11, 15)
    kort = met_norm(uren=24)
    assert bereken_deadline(ams(2026, 10, 9, 15), kort) == ams(2026, 10, 12, 15)


def test_deadline_states() -> None:
    deadline = ams(2026, 10, 13, 15)  # Tuesday 15:00
    assert deadline_staat(deadline, ams(2026, 10, 9, 15), STANDAARD) == DeadlineStatus.OP_TIJD
    # Friday 23:00 with a Monday 02:00 deadline: 3 werkuren left over the weekend → bijna
    maandag = ams(2026, 10, 12, 2)
    assert resterende_werkuren(maandag, ams(2026, 10, 9, 23), STANDAARD) == 3
    assert deadline_staat(maandag, ams(2026, 10, 9, 23), STANDAARD) == DeadlineStatus.BIJNA
    # due later today counts as "bijna" even with more than 4 werkuren left
    assert deadline_staat(deadline, ams(2026, 10, 13, 8), STANDAARD) == DeadlineStatus.BIJNA
    assert deadline_staat(deadline, ams(2026, 10, 12, 20), STANDAARD) == DeadlineStatus.OP_TIJD
    assert deadline_staat(deadline, ams(2026, 10, 13, 15, 1), STANDAARD) == DeadlineStatus.TE_LAAT
    # a closed note is judged by when it was closed
    assert (
        deadline_staat(deadline, ams(2026, 11, 1), STANDAARD, afgehandeld_op=ams(2026, 10, 13, 14))
        == DeadlineStatus.OP_TIJD
    )
    assert (
        deadline_staat(deadline, ams(2026, 11, 1), STANDAARD, afgehandeld_op=ams(2026, 10, 14))
        == DeadlineStatus.TE_LAAT
    )
    ruim = met_norm(waarschuwing_uren=30)
    assert deadline_staat(deadline, ams(2026, 10, 12, 12), ruim) == DeadlineStatus.BIJNA
