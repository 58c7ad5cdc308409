"""The terugbelnorm: deadlines in werkdag time, holidays, DST, status and parsing.

Every moment is fixed; the real clock is never read.
"""

from __future__ import annotations

import time as klok
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiss.services.terugbel.servicenorm import (
    STANDAARD_NORM,
    DeadlineStatus,
    Servicenorm,
    deadline_na,
    deadline_status,
    is_werkdag,
    parse_moment,
    resterende_werkuren,
)

AMS = ZoneInfo("Europe/Amsterdam")


def ams(jaar: int, maand: int, dag: int, uur: int = 0, minuut: int = 0) -> datetime:
    """A local Amsterdam wall-clock moment, handed over in UTC as the database does."""
    return datetime(jaar, maand, dag, uur, minuut, tzinfo=AMS).astimezone(UTC)


def lokaal(moment: datetime) -> datetime:
    return moment.astimezone(AMS).replace(tzinfo=None)


# --- the three examples from the norm -----------------------------------------------------


def test_vrijdagmiddag_wordt_dinsdagmiddag() -> None:
    deadline = deadline_na(ams(2026, 12, 4, 15))  # Friday
    assert lokaal(deadline) == datetime(2026, 12, 8, 15)  # Tuesday
    assert deadline.tzinfo is UTC


def test_zaterdag_klok_start_maandag_middernacht() -> None:
    deadline = deadline_na(ams(2026, 12, 5, 11))  # Saturday
    assert lokaal(deadline) == datetime(2026, 12, 9, 0, 0)  # Wednesday 00:00


def test_kerst_2026() -> None:
    # Thu 24 Dec 10:00: 14h on Thursday, Fri 25 holiday, weekend, Mon 28 (38h), Tue 29 10:00.
    deadline = deadline_na(ams(2026, 12, 24, 10))
    assert lokaal(deadline) == datetime(2026, 12, 29, 10)


def test_uitvoer_is_utc_ook_bij_andere_invoerzone() -> None:
    new_york = datetime(2026, 12, 4, 9, tzinfo=ZoneInfo("America/New_York"))  # 15:00 in A'dam
    deadline = deadline_na(new_york)
    assert deadline.tzinfo is UTC
    assert deadline == ams(2026, 12, 8, 15)


# --- boundaries ---------------------------------------------------------------------------


def test_deadline_op_daggrens_is_het_exacte_moment() -> None:
    norm = Servicenorm(uren=24)
    # Friday 00:00 + 24 werkuren ends at Friday 24:00, not Monday 00:00.
    assert lokaal(deadline_na(ams(2026, 12, 4), norm)) == datetime(2026, 12, 5)
    # Thursday 00:00 + 24 werkuren is Friday 00:00.
    assert lokaal(deadline_na(ams(2026, 12, 3), norm)) == datetime(2026, 12, 4)


def test_zondag_laatste_minuut() -> None:
    deadline = deadline_na(ams(2026, 12, 6, 23, 59))
    assert lokaal(deadline) == datetime(2026, 12, 9, 0, 0)


def test_aangemaakt_op_feestdag_start_volgende_werkdag() -> None:
    # Koningsdag, Monday 27 April 2026: clock starts Tuesday 00:00.
    deadline = deadline_na(ams(2026, 4, 27, 12))
    assert lokaal(deadline) == datetime(2026, 4, 30, 0, 0)


# --- daylight saving time -----------------------------------------------------------------


def test_zomertijd_weekend() -> None:
    # Clocks go forward on Sunday 29 March 2026: wall clock stays 15:00, one real hour fewer.
    aangemaakt = ams(2026, 3, 27, 15)
    deadline = deadline_na(aangemaakt)
    assert lokaal(deadline) == datetime(2026, 3, 31, 15)
    assert deadline - aangemaakt == timedelta(hours=4 * 24 - 1)
    assert resterende_werkuren(deadline, aangemaakt) == 48


def test_wintertijd_weekend() -> None:
    # Clocks go back on Sunday 25 October 2026: wall clock stays 15:00, one real hour more.
    aangemaakt = ams(2026, 10, 23, 15)
    deadline = deadline_na(aangemaakt)
    assert lokaal(deadline) == datetime(2026, 10, 27, 15)
    assert deadline - aangemaakt == timedelta(hours=4 * 24 + 1)
    assert resterende_werkuren(deadline, aangemaakt) == 48


def test_aangemaakt_in_het_dubbele_uur_van_wintertijd() -> None:
    # 02:30 happens twice on 25 Oct 2026 (a Sunday); both start the clock on Monday 00:00.
    eerste = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    tweede = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert lokaal(eerste).hour == lokaal(tweede).hour == 2
    verwacht = datetime(2026, 10, 28, 0, 0)
    assert lokaal(deadline_na(eerste)) == lokaal(deadline_na(tweede)) == verwacht


# --- holidays -----------------------------------------------------------------------------


def test_koningsdag_op_maandag() -> None:
    assert not is_werkdag(date(2026, 4, 27))
    deadline = deadline_na(ams(2026, 4, 24, 15))  # Friday
    assert lokaal(deadline) == datetime(2026, 4, 29, 15)  # Wednesday


def test_koningsdag_op_26_april_als_27_een_zondag_is() -> None:
    # 27 April 2025 is a Sunday: Koningsdag moves to Saturday 26, not to Monday 28.
    assert date(2025, 4, 27).weekday() == 6
    assert not is_werkdag(date(2025, 4, 26))
    assert is_werkdag(date(2025, 4, 28))
    assert lokaal(deadline_na(ams(2025, 4, 25, 15))) == datetime(2025, 4, 29, 15)


def test_hemelvaart() -> None:
    # Hemelvaartsdag Thursday 14 May 2026: Wed 14h, Thu closed, Fri 24h (38h), Mon 10:00.
    assert not is_werkdag(date(2026, 5, 14))
    deadline = deadline_na(ams(2026, 5, 13, 10))
    assert lokaal(deadline) == datetime(2026, 5, 18, 10)


def test_extra_sluitingsdag_vrijdag_na_hemelvaart() -> None:
    norm = Servicenorm(extra_sluitingsdagen=frozenset({date(2026, 5, 15)}))
    assert is_werkdag(date(2026, 5, 15))
    assert not is_werkdag(date(2026, 5, 15), norm)
    deadline = deadline_na(ams(2026, 5, 13, 10), norm)
    assert lokaal(deadline) == datetime(2026, 5, 19, 10)


def test_tweede_pinksterdag() -> None:
    assert not is_werkdag(date(2026, 5, 25))
    deadline = deadline_na(ams(2026, 5, 22, 15))  # Friday before Pinksteren
    assert lokaal(deadline) == datetime(2026, 5, 27, 15)


def test_goede_vrijdag_standaard_werkdag() -> None:
    # Goede vrijdag 3 April 2026, Tweede paasdag Monday 6 April.
    assert is_werkdag(date(2026, 4, 3))
    assert not is_werkdag(date(2026, 4, 6))
    deadline = deadline_na(ams(2026, 4, 2, 15))  # Thu 9h, Fri 24h, Mon closed
    assert lokaal(deadline) == datetime(2026, 4, 7, 15)


@pytest.mark.parametrize(
    "norm",
    [
        Servicenorm(open_feestdagen=frozenset()),
        Servicenorm(extra_sluitingsdagen=frozenset({date(2026, 4, 3)})),
    ],
    ids=["geen-open-feestdagen", "als-sluitingsdag"],
)
def test_goede_vrijdag_instelbaar_als_sluitingsdag(norm: Servicenorm) -> None:
    assert not is_werkdag(date(2026, 4, 3), norm)
    deadline = deadline_na(ams(2026, 4, 2, 15), norm)  # Thu 9h, Fri+Mon closed, Tue 24h
    assert lokaal(deadline) == datetime(2026, 4, 8, 15)


def test_feestdagnamen_in_het_engels_en_elke_hoofdletter() -> None:
    for naam in ("Good Friday", "GOEDE VRIJDAG", "goede vrijdag"):
        assert is_werkdag(date(2026, 4, 3), Servicenorm(open_feestdagen=frozenset({naam})))
    open_pinksteren = Servicenorm(open_feestdagen=frozenset({"Tweede pinksterdag"}))
    assert is_werkdag(date(2026, 5, 25), open_pinksteren)
    assert not is_werkdag(date(2026, 4, 3), open_pinksteren)


def test_bevrijdingsdag_alleen_in_lustrumjaren() -> None:
    assert not is_werkdag(date(2025, 5, 5))  # Monday, lustrum year
    assert is_werkdag(date(2026, 5, 5))  # Tuesday, ordinary working day


def test_weekend_en_gewone_dagen() -> None:
    assert is_werkdag(date(2026, 12, 4))
    assert not is_werkdag(date(2026, 12, 5))
    assert not is_werkdag(date(2026, 12, 6))
    assert not is_werkdag(date(2027, 1, 1))


# --- other norms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uren", "verwacht"),
    [
        (24, datetime(2026, 12, 7, 15)),
        (48, datetime(2026, 12, 8, 15)),
        (72, datetime(2026, 12, 9, 15)),
    ],
)
def test_andere_aantallen_uren(uren: int, verwacht: datetime) -> None:
    deadline = deadline_na(ams(2026, 12, 4, 15), Servicenorm(uren=uren))
    assert lokaal(deadline) == verwacht


def test_kalender_telt_echte_uren() -> None:
    norm = Servicenorm(soort="kalender")
    aangemaakt = datetime(2026, 12, 4, 14, tzinfo=UTC)  # Friday
    assert deadline_na(aangemaakt, norm) == datetime(2026, 12, 6, 14, tzinfo=UTC)
    # Across the spring-forward weekend: 48 real hours, so 16:00 local becomes 17:00.
    over_zomertijd = ams(2026, 3, 28, 16)
    deadline = deadline_na(over_zomertijd, norm)
    assert deadline - over_zomertijd == timedelta(hours=48)
    assert lokaal(deadline) == datetime(2026, 3, 30, 17)
    assert resterende_werkuren(deadline, over_zomertijd, norm) == 48
    assert resterende_werkuren(deadline, deadline + timedelta(hours=5), norm) == -5


def test_grote_norm_is_snel() -> None:
    norm = Servicenorm(uren=2000)
    aangemaakt = ams(2026, 12, 4, 15)
    begin = klok.perf_counter()
    deadline = deadline_na(aangemaakt, norm)
    rest = resterende_werkuren(deadline, aangemaakt, norm)
    assert klok.perf_counter() - begin < 0.5
    assert rest == 2000
    assert deadline - aangemaakt > timedelta(days=110)


# --- remaining working hours and status ---------------------------------------------------


def test_resterende_werkuren_over_weekend() -> None:
    deadline = ams(2026, 12, 8, 15)  # Tuesday
    assert resterende_werkuren(deadline, ams(2026, 12, 4, 15)) == 48  # Friday
    assert resterende_werkuren(deadline, ams(2026, 12, 5, 10)) == 39  # Saturday: Mon + 15h
    assert resterende_werkuren(deadline, ams(2026, 12, 8, 14, 30)) == 0.5
    assert resterende_werkuren(deadline, deadline) == 0


def test_resterende_werkuren_negatief_over_weekend() -> None:
    deadline = ams(2026, 12, 4, 15)  # Friday
    assert resterende_werkuren(deadline, ams(2026, 12, 5, 12)) == -9  # Saturday: only Fri
    assert resterende_werkuren(deadline, ams(2026, 12, 7, 10)) == -19  # Monday 10:00
    assert resterende_werkuren(ams(2026, 12, 8, 15), ams(2026, 12, 9, 10)) == -19


def test_deadline_status_drie_toestanden() -> None:
    deadline = ams(2026, 12, 8, 15)  # Tuesday
    assert deadline_status(deadline, ams(2026, 12, 4, 15)) is DeadlineStatus.OP_TIJD
    assert deadline_status(deadline, ams(2026, 12, 8, 10, 59)) is DeadlineStatus.OP_TIJD
    assert deadline_status(deadline, ams(2026, 12, 8, 11)) is DeadlineStatus.BIJNA
    assert deadline_status(deadline, deadline) is DeadlineStatus.BIJNA
    assert deadline_status(deadline, ams(2026, 12, 8, 15, 1)) is DeadlineStatus.TE_LAAT


def test_deadline_status_telt_werkuren_niet_kloktijd() -> None:
    # Deadline Monday 02:00: on Friday 23:00 only 3 werkuren are left, 75 real hours.
    deadline = ams(2026, 12, 7, 2)
    nu = ams(2026, 12, 4, 23)
    assert deadline_status(deadline, nu) is DeadlineStatus.BIJNA
    assert deadline_status(deadline, nu, waarschuwing_uren=2) is DeadlineStatus.OP_TIJD
    # Saturday after a Friday-midnight deadline: overdue although no werkuren passed.
    assert deadline_status(ams(2026, 12, 5), ams(2026, 12, 5, 9)) is DeadlineStatus.TE_LAAT


def test_deadline_status_eigen_waarschuwing() -> None:
    deadline = ams(2026, 12, 8, 15)
    nu = ams(2026, 12, 8, 8)
    assert deadline_status(deadline, nu) is DeadlineStatus.OP_TIJD
    assert deadline_status(deadline, nu, waarschuwing_uren=8) is DeadlineStatus.BIJNA
    assert DeadlineStatus.BIJNA.omschrijving == "Bijna verlopen"
    with pytest.raises(ValueError, match="negatief"):
        deadline_status(deadline, nu, waarschuwing_uren=-1)


# --- bad input ----------------------------------------------------------------------------


def test_naieve_datetime_geweigerd() -> None:
    naief = datetime(2026, 12, 4, 15)
    with pytest.raises(ValueError, match="tijdzone"):
        deadline_na(naief)
    with pytest.raises(ValueError, match="tijdzone"):
        deadline_na(naief, Servicenorm(soort="kalender"))
    with pytest.raises(ValueError, match="tijdzone"):
        resterende_werkuren(ams(2026, 12, 8, 15), naief)
    with pytest.raises(ValueError, match="tijdzone"):
        deadline_status(naief, ams(2026, 12, 8, 15))


@pytest.mark.parametrize(
    ("kwargs", "melding"),
    [
        ({"uren": 0}, "positief"),
        ({"uren": -48}, "positief"),
        ({"soort": "maanden"}, "soort"),
        ({"tijdzone": "Europe/Atlantis"}, "Onbekende tijdzone"),
        ({"open_feestdagen": frozenset({"Sinterklaas"})}, "onbekende feestdag"),
        ({"extra_sluitingsdagen": frozenset({datetime(2026, 5, 15)})}, "datum"),
    ],
)
def test_ongeldige_servicenorm(kwargs: dict[str, object], melding: str) -> None:
    with pytest.raises(ValueError, match=melding):
        Servicenorm(**kwargs)  # type: ignore[arg-type]


def test_servicenorm_is_hashbaar_en_vergelijkbaar() -> None:
    assert Servicenorm() == STANDAARD_NORM
    assert hash(Servicenorm()) == hash(STANDAARD_NORM)
    assert Servicenorm(open_feestdagen=frozenset()) != STANDAARD_NORM


# --- parse_moment -------------------------------------------------------------------------


def test_parse_moment_zonder_offset_is_amsterdam() -> None:
    moment = parse_moment("2026-12-24T10:00")
    assert moment == datetime(2026, 12, 24, 9, tzinfo=UTC)
    assert parse_moment("  2026-07-01 10:00 ") == datetime(2026, 7, 1, 8, tzinfo=UTC)


def test_parse_moment_met_offset() -> None:
    assert parse_moment("2026-12-24T10:00+00:00") == datetime(2026, 12, 24, 10, tzinfo=UTC)
    assert parse_moment("2026-12-24T10:00Z") == datetime(2026, 12, 24, 10, tzinfo=UTC)
    plus_twee = parse_moment("2026-12-24T10:00+02:00")
    assert plus_twee.utcoffset() == timedelta(hours=2)


def test_parse_moment_andere_tijdzone() -> None:
    moment = parse_moment("2026-12-24T10:00", tijdzone="Europe/London")
    assert moment == datetime(2026, 12, 24, 10, tzinfo=UTC)


@pytest.mark.parametrize("tekst", ["", "   ", "morgen", "24-12-2026 10:00", "2026-13-01T10:00"])
def test_parse_moment_ongeldig(tekst: str) -> None:
    with pytest.raises(ValueError, match=r"Ongeldig moment: verwacht bijvoorbeeld"):
        parse_moment(tekst)


def test_parse_moment_bestaat_niet_bij_zomertijd() -> None:
    with pytest.raises(ValueError, match="bestaat niet"):
        parse_moment("2026-03-29T02:30")


# --- properties ---------------------------------------------------------------------------

ZONES = st.sampled_from(
    [UTC, AMS, ZoneInfo("America/New_York"), timezone(timedelta(hours=5, minutes=30))]
)
MOMENTEN = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59, 59),
    timezones=ZONES,
    allow_imaginary=False,
)


@settings(max_examples=300, deadline=None)
@given(aangemaakt=MOMENTEN, uren=st.sampled_from([24, 48, 72, 100]))
def test_eigenschap_deadline_na_aanmaak_en_precies_uren(aangemaakt: datetime, uren: int) -> None:
    norm = Servicenorm(uren=uren)
    deadline = deadline_na(aangemaakt, norm)
    assert deadline > aangemaakt
    assert deadline.tzinfo is UTC
    # Holds on a werkdag, and also outside one: there no working time passes before the start.
    assert resterende_werkuren(deadline, aangemaakt, norm) == uren
    assert deadline_status(deadline, aangemaakt, norm) is DeadlineStatus.OP_TIJD


@settings(max_examples=200, deadline=None)
@given(eerste=MOMENTEN, tweede=MOMENTEN)
def test_eigenschap_later_aangemaakt_nooit_eerder_deadline(
    eerste: datetime, tweede: datetime
) -> None:
    vroeg, laat = sorted((eerste, tweede))
    assert deadline_na(vroeg) <= deadline_na(laat)
