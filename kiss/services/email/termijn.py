"""The e-mail norm: an answer within N werkdagen (3 by default), on the werkdag calendar of the
terugbelnorm (weekends, national holidays and the organisation's closing days do not count).

A werkdag counts as 24 werkuren (see :mod:`kiss.services.terugbel.servicenorm`), so 3
werkdagen is 72 werkuren: a mail received on Wednesday 24 December 2025 at 10:00 is due on
Wednesday 31 December at 10:00 (Christmas and the weekend skipped).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from kiss.config import Settings
from kiss.services.terugbel.deadline import norm_uit
from kiss.services.terugbel.servicenorm import Servicenorm, deadline_na
from kiss.weergave import MAANDEN, WEEKDAGEN, lokaal


def email_norm(settings: Settings, werkdagen: int) -> Servicenorm:
    """The organisation's calendar, counted in werkdagen (also when the terugbelnorm is set
    to calendar hours)."""
    return replace(norm_uit(settings), uren=24 * werkdagen, soort="werkdagen")


def deadline(ontvangen_op: datetime, settings: Settings, werkdagen: int) -> datetime:
    """The moment (UTC) by which a mail received at ``ontvangen_op`` must be answered."""
    return deadline_na(ontvangen_op, email_norm(settings, werkdagen))


def uiterlijk(deadline_moment: datetime) -> str:
    """``woensdag 31 december 2025``: the last day, as a resident reads it. A deadline at
    midnight is the end of the day before."""
    dag = lokaal(deadline_moment - timedelta(microseconds=1))
    return f"{WEEKDAGEN[dag.weekday()]} {dag.day} {MAANDEN[dag.month - 1]} {dag.year}"
