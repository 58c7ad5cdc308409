"""The one adapter between :class:`~kiss.config.Settings` and the servicenorm arithmetic.

Everything that needs a terugbel deadline or its state (te laat / bijna / op tijd) goes
through here; the arithmetic itself lives in :mod:`kiss.services.terugbel.servicenorm`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Literal, cast

from kiss.config import ServicenormInstelling, Settings
from kiss.services.terugbel import servicenorm
from kiss.services.terugbel.servicenorm import GOEDE_VRIJDAG, DeadlineStatus, Servicenorm
from kiss.weergave import lokaal

__all__ = [
    "DeadlineStatus",
    "bereken_deadline",
    "deadline_staat",
    "lokale_datum",
    "norm_uit",
    "resterende_werkuren",
]


@lru_cache(maxsize=32)
def _norm(instelling: ServicenormInstelling) -> Servicenorm:
    return Servicenorm(
        uren=instelling.uren,
        soort=cast(Literal["werkdagen", "kalender"], instelling.soort),
        extra_sluitingsdagen=frozenset(instelling.extra_sluitingsdagen),
        open_feestdagen=frozenset() if instelling.goede_vrijdag_gesloten else {GOEDE_VRIJDAG},
    )


def norm_uit(settings: Settings) -> Servicenorm:
    """The servicenorm the organisation configured (cached per setting)."""
    return _norm(settings.servicenorm)


def bereken_deadline(aangemaakt_op: datetime, settings: Settings) -> datetime:
    """The moment (UTC) by which a terugbelnotitie created at ``aangemaakt_op`` must be done."""
    return servicenorm.deadline_na(aangemaakt_op, norm_uit(settings))


def resterende_werkuren(deadline: datetime, nu: datetime, settings: Settings) -> float:
    """Working hours left until ``deadline`` (negative once overdue)."""
    return servicenorm.resterende_werkuren(deadline, nu, norm_uit(settings))


def deadline_staat(
    deadline: datetime,
    nu: datetime,
    settings: Settings,
    afgehandeld_op: datetime | None = None,
) -> DeadlineStatus:
    """Te laat / bijna (≤ ``waarschuwing_uren`` werkuren left, or due today) / op tijd.

    A closed note is judged by when it was closed: ``TE_LAAT`` if after the deadline, else
    ``OP_TIJD``.
    """
    if afgehandeld_op is not None:
        return DeadlineStatus.TE_LAAT if afgehandeld_op > deadline else DeadlineStatus.OP_TIJD
    staat = servicenorm.deadline_status(
        deadline, nu, norm_uit(settings), float(settings.servicenorm.waarschuwing_uren)
    )
    if staat is DeadlineStatus.OP_TIJD and lokale_datum(deadline) == lokale_datum(nu):
        return DeadlineStatus.BIJNA  # due today: amber, whatever the werkuren say
    return staat


def lokale_datum(moment: datetime) -> date:
    return lokaal(moment).date()
