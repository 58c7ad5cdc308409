"""What a running desktop hears of the phone: rows of ``oproep_gebeurtenis`` after the last one
it saw. On PostgreSQL it sleeps on LISTEN/NOTIFY (woken at the dienst's commit); on SQLite it
polls the table (a primary-key range read) every ``poll_s``.

Textual-free: a desktop runs :meth:`OproepLuisteraar.wacht` in a thread worker in a loop and
hands what comes back to the screen; :class:`OproepStand` keeps the indicator's state.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from kiss.db import read_scope
from kiss.models import DienstStatus, Oproep, OproepGebeurtenis, utcnow
from kiss.services.telefonie.oproepen import KANAAL, hoogste_volgnummer

HARTSLAG_MAX = timedelta(seconds=15)
"""A dienst whose heartbeat is older than this counts as gone (it beats every few seconds)."""


class Verbinding(StrEnum):
    GEEN_DIENST = "geen_dienst"  # no kiss dienst on this database: show nothing
    VERBONDEN = "verbonden"
    VERBROKEN = "verbroken"  # the dienst stopped or the database cannot be reached


@dataclass(frozen=True)
class OproepMelding:
    volgnummer: int
    gebeurtenis: str  # newCall | answer | hangup
    call_id: str
    nummer: str  # the caller, as the phone system sent it
    wachtrij: str
    voor_mij: bool  # this medewerker answered (or is the only one rung)
    contactmoment_id: uuid.UUID | None  # answer: the concept to open
    moment: datetime

    @property
    def is_pop(self) -> bool:
        """Open this contactmoment now: the medewerker answered an incoming call."""
        return self.gebeurtenis == "answer" and self.voor_mij and self.contactmoment_id is not None


class OproepLuisteraar:
    """``OproepLuisteraar(engine, medewerker_id).wacht(timeout_s) -> list[OproepMelding]``."""

    def __init__(
        self,
        engine: Engine,
        medewerker_id: uuid.UUID,
        *,
        poll_s: float = 0.25,
        hartslag_max: timedelta = HARTSLAG_MAX,
        notify: bool = True,
    ) -> None:
        self.engine = engine
        self.medewerker_id = medewerker_id
        self.poll_s = poll_s
        self.hartslag_max = hartslag_max
        self.notify = notify  # False: poll on PostgreSQL too (the benchmark's baseline)
        self.status = Verbinding.GEEN_DIENST
        self._cursor: int | None = None
        self._pg: Any = None  # the psycopg connection that LISTENs
        self._status_gelezen = 0.0

    # ---- public ------------------------------------------------------------------------

    def wacht(self, timeout_s: float) -> list[OproepMelding]:
        """Events since the last call (none older than this listener), waiting at most
        ``timeout_s`` for the first. Never raises for a lost database: ``status`` says it."""
        einde = time.monotonic() + max(0.0, timeout_s)
        try:
            if self.notify and self.engine.dialect.name == "postgresql":
                return self._wacht_pg(einde)
            return self._wacht_poll(einde)
        except (SQLAlchemyError, OSError, _psycopg_fout()):
            self.status = Verbinding.VERBROKEN
            self._sluit_pg()
            time.sleep(max(0.0, min(1.0, einde - time.monotonic())))
            return []

    def sluit(self) -> None:
        self._sluit_pg()

    # ---- internals ---------------------------------------------------------------------

    def _lees(self) -> list[OproepMelding]:
        with read_scope(self.engine) as session:
            if self._cursor is None:
                self._cursor = hoogste_volgnummer(session)
                self._lees_status(session, forceer=True)
                return []
            rijen = session.execute(
                select(OproepGebeurtenis, Oproep)
                .join(Oproep, Oproep.id == OproepGebeurtenis.oproep_id)
                .where(OproepGebeurtenis.volgnummer > self._cursor)  # type: ignore[operator]
                .order_by(OproepGebeurtenis.volgnummer)  # type: ignore[arg-type]
                .limit(500)
            ).all()
            self._lees_status(session)
        meldingen = [
            OproepMelding(
                volgnummer=int(g.volgnummer or 0),
                gebeurtenis=g.gebeurtenis,
                call_id=g.call_id,
                nummer=o.van,
                wachtrij=o.wachtrij,
                voor_mij=g.medewerker_id == self.medewerker_id,
                contactmoment_id=g.contactmoment_id
                if g.medewerker_id == self.medewerker_id
                else None,
                moment=g.ontvangen_op,
            )
            for g, o in rijen
        ]
        if meldingen:
            self._cursor = meldingen[-1].volgnummer
        return meldingen

    def _lees_status(self, session: Any, *, forceer: bool = False) -> None:
        if not forceer and time.monotonic() - self._status_gelezen < 1.0:
            return
        self._status_gelezen = time.monotonic()
        dienst = session.get(DienstStatus, "kiss dienst")
        if dienst is None:
            self.status = Verbinding.GEEN_DIENST
        elif dienst.gestopt_op is not None or utcnow() - dienst.hartslag_op > self.hartslag_max:
            self.status = Verbinding.VERBROKEN
        else:
            self.status = Verbinding.VERBONDEN

    def _wacht_poll(self, einde: float) -> list[OproepMelding]:
        while True:
            meldingen = self._lees()
            rest = einde - time.monotonic()
            if meldingen or rest <= 0:
                return meldingen
            time.sleep(min(self.poll_s, rest))

    def _wacht_pg(self, einde: float) -> list[OproepMelding]:
        if self._pg is None:
            self._pg = _luister(self.engine)
        while True:
            meldingen = self._lees()  # after LISTEN, so nothing committed since is missed
            rest = einde - time.monotonic()
            if meldingen or rest <= 0:
                return meldingen
            # wake on a NOTIFY, or every second to refresh the dienst status
            for _ in self._pg.notifies(timeout=min(rest, 1.0), stop_after=1):
                pass

    def _sluit_pg(self) -> None:
        if self._pg is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                self._pg.close()
            self._pg = None


def _psycopg_fout() -> type[Exception]:
    try:
        import psycopg

        return psycopg.Error
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return SQLAlchemyError


def _luister(engine: Engine) -> Any:
    """A dedicated autocommit psycopg connection with LISTEN on the oproep channel."""
    import psycopg

    url = engine.url.set(drivername="postgresql")
    verbinding = psycopg.connect(
        url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
    )
    verbinding.execute(f"LISTEN {KANAAL}")
    return verbinding


RINKELEN_MAX = timedelta(minutes=15)
"""A ringing call the phone system never ended is dropped from the indicator after this."""


@dataclass
class OproepStand:
    """What the indicator shows: calls ringing now, and the medewerker's own call."""

    rinkelend: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # call_id → nr, t
    in_gesprek: str | None = None  # call_id of my answered call
    nummer: str = ""

    def verwerk(self, meldingen: list[OproepMelding], nu: datetime | None = None) -> None:
        for m in meldingen:
            if m.gebeurtenis == "newCall":
                self.rinkelend[m.call_id] = (m.nummer, m.moment)
            elif m.gebeurtenis == "answer":
                self.rinkelend.pop(m.call_id, None)
                if m.voor_mij:
                    self.in_gesprek, self.nummer = m.call_id, m.nummer
            else:
                self.rinkelend.pop(m.call_id, None)
                if m.call_id == self.in_gesprek:
                    self.in_gesprek, self.nummer = None, ""
        grens = (nu or utcnow()) - RINKELEN_MAX
        for call_id in [c for c, (_, t) in self.rinkelend.items() if t < grens]:
            del self.rinkelend[call_id]

    def tekst(self, verbinding: Verbinding) -> str:
        """One short Dutch line, or '' when there is no dienst (single-user desk)."""
        if verbinding is Verbinding.GEEN_DIENST:
            return ""
        if verbinding is Verbinding.VERBROKEN:
            return "☎ geen verbinding met kiss dienst"
        delen = []
        if self.in_gesprek:
            delen.append(f"in gesprek met {self.nummer or 'anoniem'}")
        if self.rinkelend:
            delen.append(f"{len(self.rinkelend)} binnenkomend")
        return "☎ " + (" · ".join(delen) if delen else "verbonden")


@dataclass(frozen=True)
class Lijnstand:
    """One change for the desktop: the indicator's text and the contacts to open now."""

    tekst: str
    verbinding: Verbinding
    pops: tuple[uuid.UUID, ...] = ()


def telefoonlijn(
    engine: Engine,
    medewerker_id: uuid.UUID,
    gestopt: Callable[[], bool],
    *,
    wacht_s: float = 0.5,
    poll_s: float = 0.25,
    altijd: bool = False,
) -> Iterator[Lijnstand]:
    """Listen until ``gestopt()``; yield whenever the indicator or a pop changes. Without a
    kiss dienst on this database it ends at once (unless ``altijd``): the single-user desk
    spends nothing on it."""
    luisteraar = OproepLuisteraar(engine, medewerker_id, poll_s=poll_s)
    stand = OproepStand()
    try:
        luisteraar.wacht(0)
        if luisteraar.status is Verbinding.GEEN_DIENST and not altijd:
            return
        vorige: Verbinding | None = None
        while not gestopt():
            meldingen = luisteraar.wacht(wacht_s)
            if meldingen or luisteraar.status is not vorige:
                vorige = luisteraar.status
                stand.verwerk(meldingen)
                pops = tuple(m.contactmoment_id for m in meldingen if m.is_pop)
                yield Lijnstand(stand.tekst(luisteraar.status), luisteraar.status, pops)  # type: ignore[arg-type]
    finally:
        luisteraar.sluit()
