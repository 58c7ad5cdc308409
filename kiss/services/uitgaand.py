"""The outbox: write now in the caller's transaction, send later, in order, exactly once.

- :func:`plaats` adds a row in the caller's session (so the change and its message commit or
  roll back together). A second ``plaats`` with the same ``sleutel`` does nothing.
- :func:`verwerk` sends due rows of one ``soort``. It claims a row in a short transaction
  (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the write lock on SQLite) by pushing its
  ``volgende_poging_op`` a lease ahead, commits, calls the sender WITHOUT holding any database
  lock (an agent's save never waits for the outside world), then records the outcome.
  Several runners may work at once: a leased row is not due for anyone else.
- Rows of one ``groep`` go out in order: a row waits while an earlier row of its group (same
  soort) is not yet sent — also while that earlier row is parked.
- The sender returns the remote id (or None). :class:`Geweigerd` parks the row with its Dutch
  reason; any other exception is temporary: retried with exponential back-off, forever.

If a runner dies after sending but before recording, the lease runs out and the row is sent
again: senders must be idempotent (the Open Klant sender looks an object up before creating).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, exists, func, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models.base import utcnow
from kiss.models.uitgaand import Uitgaand, UitgaandStatus

MAX_FOUT = 2000
EERSTE_WACHTTIJD = timedelta(seconds=30)
MAX_WACHTTIJD = timedelta(hours=1)
STANDAARD_LEASE = timedelta(minutes=5)


class Geweigerd(Exception):
    """The other side refused the message for good (e.g. a 4xx): park it for a beheerder.

    ``reden`` is Dutch and shown to the beheerder as is; never put a secret in it.
    """

    def __init__(self, reden: str) -> None:
        super().__init__(reden)
        self.reden = reden


class TijdelijkeFout(Exception):
    """Not now (timeout, 5xx, connection refused): try again later. Any other exception from
    a sender counts as temporary too; this one just carries a clean Dutch message."""


_volgorde_lock = threading.Lock()
_laatste_volgorde = 0


def _volgende_volgorde() -> int:
    """Strictly increasing within this process, close to wall-clock order across processes."""
    global _laatste_volgorde
    with _volgorde_lock:
        _laatste_volgorde = max(time.time_ns(), _laatste_volgorde + 1)
        return _laatste_volgorde


def plaats(
    session: Session,
    *,
    soort: str,
    sleutel: str,
    groep: str,
    payload: dict[str, Any],
    nu: datetime | None = None,
) -> Uitgaand:
    """Put a message in the outbox within the caller's transaction (idempotent on ``sleutel``)."""
    moment = nu or utcnow()
    waarden = {
        "id": uuid.uuid4(),
        "soort": soort,
        "sleutel": sleutel,
        "groep": groep,
        "volgorde": _volgende_volgorde(),
        "payload": payload,
        "status": UitgaandStatus.WACHTEND.value,
        "pogingen": 0,
        "volgende_poging_op": moment,
        "laatste_fout": "",
        "aangemaakt_op": moment,
    }
    dialect = session.get_bind().dialect.name
    from sqlalchemy.dialects import postgresql, sqlite  # only when something is queued

    invoeg = postgresql.insert(Uitgaand) if dialect == "postgresql" else sqlite.insert(Uitgaand)
    # one round trip: the new row comes back; on a conflict nothing does and we read the old one
    nieuw = session.scalars(
        invoeg.values(**waarden)
        .on_conflict_do_nothing(index_elements=["sleutel"])
        .returning(Uitgaand)
    ).one_or_none()
    if nieuw is not None:
        return nieuw
    return session.execute(select(Uitgaand).where(Uitgaand.sleutel == sleutel)).scalar_one()


@dataclass
class Resultaat:
    """What one :func:`verwerk` run did."""

    verzonden: int = 0
    opnieuw: int = 0  # temporary failure, retry scheduled
    geparkeerd: int = 0
    fouten: list[str] = field(default_factory=list)  # the messages of this run, for a log

    @property
    def behandeld(self) -> int:
        return self.verzonden + self.opnieuw + self.geparkeerd


def wachttijd(pogingen: int) -> timedelta:
    """Back-off after the n-th failed attempt: 30 s, 1 min, 2 min, … at most an hour."""
    stap = EERSTE_WACHTTIJD * (2 ** max(0, min(pogingen - 1, 20)))
    return min(stap, MAX_WACHTTIJD)


def _claim(engine: Engine, soort: str, nu: datetime, lease: timedelta) -> tuple[Any, int] | None:
    """Lease the oldest due row of ``soort`` whose group has nothing earlier pending."""
    eerder = aliased(Uitgaand)
    with session_scope(engine) as session:
        vraag = (
            select(Uitgaand)
            .where(
                Uitgaand.soort == soort,
                Uitgaand.status == UitgaandStatus.WACHTEND,
                Uitgaand.volgende_poging_op <= nu,
                ~exists().where(
                    and_(
                        eerder.soort == Uitgaand.soort,
                        eerder.groep == Uitgaand.groep,
                        eerder.volgorde < Uitgaand.volgorde,
                        eerder.status != UitgaandStatus.VERZONDEN,
                    )
                ),
            )
            .order_by(Uitgaand.volgorde)
            .limit(1)
        )
        if engine.dialect.name == "postgresql":
            vraag = vraag.with_for_update(skip_locked=True, of=Uitgaand)  # type: ignore[arg-type]
        rij = session.execute(vraag).scalar_one_or_none()
        if rij is None:
            return None
        rij.pogingen += 1
        rij.volgende_poging_op = nu + lease
        session.flush()
        session.expunge(rij)
        return rij, rij.pogingen


def _leg_vast(engine: Engine, rij_id: uuid.UUID, poging: int, waarden: dict[str, Any]) -> bool:
    """Record the outcome, unless another runner took the row over after our lease ran out."""
    with session_scope(engine) as session:
        gedaan = session.execute(
            update(Uitgaand)
            .where(Uitgaand.id == rij_id, Uitgaand.pogingen == poging)  # type: ignore[arg-type]
            .values(**waarden)
        )
        return bool(gedaan.rowcount)  # type: ignore[attr-defined]


def verwerk(
    engine: Engine,
    soort: str,
    verzend: Callable[[Uitgaand], str | None],
    *,
    nu: datetime | None = None,
    max_aantal: int = 100,
    lease: timedelta = STANDAARD_LEASE,
    klok: Callable[[], datetime] | None = None,
) -> Resultaat:
    """Send up to ``max_aantal`` due rows of ``soort``; see the module text for the rules.

    ``nu`` fixes the moment for the whole run (tests); otherwise ``klok`` (default: utcnow)
    is read per row.
    """
    resultaat = Resultaat()
    lees_klok = klok or utcnow
    for _ in range(max_aantal):
        moment = nu or lees_klok()
        geclaimd = _claim(engine, soort, moment, lease)
        if geclaimd is None:
            break
        rij, poging = geclaimd
        try:
            extern_id = verzend(rij)
        except Geweigerd as weigering:
            reden = weigering.reden[:MAX_FOUT]
            _leg_vast(
                engine,
                rij.id,
                poging,
                {"status": UitgaandStatus.GEPARKEERD, "laatste_fout": reden},
            )
            resultaat.geparkeerd += 1
            resultaat.fouten.append(reden)
        except Exception as fout:  # every other failure is temporary: try again later
            reden = (str(fout) or type(fout).__name__)[:MAX_FOUT]
            _leg_vast(
                engine,
                rij.id,
                poging,
                {
                    "laatste_fout": reden,
                    "volgende_poging_op": (nu or lees_klok()) + wachttijd(poging),
                },
            )
            resultaat.opnieuw += 1
            resultaat.fouten.append(reden)
        else:
            _leg_vast(
                engine,
                rij.id,
                poging,
                {
                    "status": UitgaandStatus.VERZONDEN,
                    "verzonden_op": nu or lees_klok(),
                    "extern_id": extern_id,
                    "laatste_fout": "",
                },
            )
            resultaat.verzonden += 1
    return resultaat


@dataclass(frozen=True)
class GeparkeerdItem:
    id: uuid.UUID
    sleutel: str
    groep: str
    reden: str
    pogingen: int
    aangemaakt_op: datetime


@dataclass(frozen=True)
class Overzicht:
    """The state of one soort, for ``status`` commands and a beheer screen."""

    wachtend: int
    in_storing: int  # waiting after at least one failed attempt
    geparkeerd: list[GeparkeerdItem]
    verzonden: int
    laatste_succes: datetime | None
    oudste_wachtend: datetime | None
    laatste_fout: str


def overzicht(session: Session, soort: str) -> Overzicht:
    def tel(*voorwaarden: Any) -> int:
        return session.execute(
            select(func.count()).select_from(Uitgaand).where(Uitgaand.soort == soort, *voorwaarden)
        ).scalar_one()

    wachtend = tel(Uitgaand.status == UitgaandStatus.WACHTEND)
    in_storing = tel(Uitgaand.status == UitgaandStatus.WACHTEND, Uitgaand.laatste_fout != "")
    verzonden = tel(Uitgaand.status == UitgaandStatus.VERZONDEN)
    laatste_succes = session.execute(
        select(func.max(Uitgaand.verzonden_op)).where(Uitgaand.soort == soort)
    ).scalar_one()
    oudste = session.execute(
        select(func.min(Uitgaand.aangemaakt_op)).where(
            Uitgaand.soort == soort, Uitgaand.status == UitgaandStatus.WACHTEND
        )
    ).scalar_one()
    laatste_fout = (
        session.execute(
            select(Uitgaand.laatste_fout)
            .where(
                Uitgaand.soort == soort,
                Uitgaand.status == UitgaandStatus.WACHTEND,
                Uitgaand.laatste_fout != "",
            )
            .order_by(Uitgaand.volgorde.desc())  # type: ignore[attr-defined]
            .limit(1)
        ).scalar_one_or_none()
        or ""
    )
    geparkeerd = [
        GeparkeerdItem(r.id, r.sleutel, r.groep, r.laatste_fout, r.pogingen, r.aangemaakt_op)
        for r in session.execute(
            select(Uitgaand)
            .where(Uitgaand.soort == soort, Uitgaand.status == UitgaandStatus.GEPARKEERD)
            .order_by(Uitgaand.volgorde)
        ).scalars()
    ]
    return Overzicht(
        wachtend=wachtend,
        in_storing=in_storing,
        geparkeerd=geparkeerd,
        verzonden=verzonden,
        laatste_succes=_aware(laatste_succes),
        oudste_wachtend=_aware(oudste),
        laatste_fout=laatste_fout,
    )


def _aware(waarde: Any) -> datetime | None:
    """``max()``/``min()`` bypass the column type on SQLite: make the result UTC-aware."""
    if waarde is None:
        return None
    if isinstance(waarde, str):
        waarde = datetime.fromisoformat(waarde)
    return waarde.replace(tzinfo=UTC) if waarde.tzinfo is None else waarde.astimezone(UTC)


def opnieuw_aanbieden(session: Session, rij_id: uuid.UUID, *, nu: datetime | None = None) -> bool:
    """A beheerder fixed the cause: put a parked row back in the queue (True if it was parked)."""
    gedaan = session.execute(
        update(Uitgaand)
        .where(Uitgaand.id == rij_id, Uitgaand.status == UitgaandStatus.GEPARKEERD)  # type: ignore[arg-type]
        .values(status=UitgaandStatus.WACHTEND, volgende_poging_op=nu or utcnow())
    )
    return bool(gedaan.rowcount)  # type: ignore[attr-defined]


def opruimen(session: Session, *, ouder_dan: datetime, soort: str | None = None) -> int:
    """Delete rows sent before ``ouder_dan`` (the outbox is not an archive); waiting and
    parked rows always stay. Returns how many went."""
    voorwaarden = [
        Uitgaand.status == UitgaandStatus.VERZONDEN,
        Uitgaand.verzonden_op < ouder_dan,  # type: ignore[operator]
    ]
    if soort is not None:
        voorwaarden.append(Uitgaand.soort == soort)
    gedaan = session.execute(delete(Uitgaand).where(*voorwaarden))
    return int(gedaan.rowcount or 0)  # type: ignore[attr-defined]
