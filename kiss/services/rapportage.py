"""The norm dashboard and reports: every KPI computed here, once, for screen and CLI.

Definitions (also in the README and the teamlead screen's help):

* **Periode**: the days ``van`` to ``tot`` inclusive, whole days in Europe/Amsterdam time
  (from ``van`` 00:00 to the day after ``tot`` 00:00, local time, so DST days have 23 or 25
  hours).
* **Contactmomenten**: incoming contactmomenten with status afgerond whose ``gestart_op`` lies in
  the period. Outgoing contacts (the callbacks written when a terugbelnotitie is closed) are
  not counted: they are the follow-up, not a question.
* **Eerste keer goed (first-contact resolution)**: the share of those contactmomenten whose
  gespreksresultaat counts as answered (``afgehandeld`` in the configured list: afgehandeld,
  doorverwezen naar andere organisatie, zaak aangemaakt) and from which no terugbelnotitie was
  made. Doorverbonden and terugbelnotitie gemaakt are never first-contact answers. Target 80 %.
* **Terugbelnorm**: terugbelnotities created (``aangemaakt_op``) in the period. A note is
  *opgevolgd* at its first successful call attempt or when it was closed, whichever came first.
  *Op tijd*: opgevolgd at or before the deadline (exactly at the deadline counts as on time).
  *Te laat*: opgevolgd after the deadline, or still open with the deadline passed. *Nog open*:
  not opgevolgd, deadline still ahead: not counted yet. Norm = op tijd / (op tijd + te laat).
  A reassignment never moves the deadline. Target 90 %.
* **Gemiddelde afhandeltijd**: mean of ``beeindigd_op − gestart_op`` over the counted
  contactmomenten that have both.
* **Volume**: counted contactmomenten per kanaal per (local) day.
* **Top onderwerpen**: the kennisbank articles most often linked as onderwerp.
* **Afdelingen**: per afdeling the notes of the period assigned to it now (directly, through the
  team, or through the medewerker) and how many of them are te laat.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, case, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from kiss.config import Settings
from kiss.db import read_scope
from kiss.models import (
    Afdeling,
    Contactmoment,
    ContactmomentStatus,
    Gemeente,
    Kennisartikel,
    Medewerker,
    Team,
    Terugbelnotitie,
)
from kiss.models.contact import Richting

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DOEL_EERSTE_KEER_GOED = 0.80
DOEL_TERUGBELNORM = 0.90
ONBEKEND = "onbekend"
TOP = 10


class PeriodeFout(ValueError):
    """A period that cannot be: the message is Dutch."""


@dataclass(frozen=True)
class Periode:
    van: date
    tot: date

    def __post_init__(self) -> None:
        if self.tot < self.van:
            raise PeriodeFout("De einddatum ligt vóór de begindatum.")
        if (self.tot - self.van).days > 366 * 3:
            raise PeriodeFout("Kies een periode van hoogstens drie jaar.")

    @classmethod
    def vandaag(cls, nu: datetime) -> Periode:
        dag = nu.astimezone(AMSTERDAM).date()
        return cls(dag, dag)

    @classmethod
    def week(cls, nu: datetime) -> Periode:
        dag = nu.astimezone(AMSTERDAM).date()
        maandag = dag - timedelta(days=dag.weekday())
        return cls(maandag, maandag + timedelta(days=6))

    @classmethod
    def maand(cls, nu: datetime) -> Periode:
        dag = nu.astimezone(AMSTERDAM).date()
        eerste = dag.replace(day=1)
        volgende = (eerste + timedelta(days=32)).replace(day=1)
        return cls(eerste, volgende - timedelta(days=1))

    @classmethod
    def voorinstelling(cls, naam: str, nu: datetime) -> Periode:
        keuzes = {"vandaag": cls.vandaag, "week": cls.week, "maand": cls.maand}
        if naam not in keuzes:
            raise PeriodeFout(f"Onbekende periode '{naam}': kies vandaag, week of maand.")
        return keuzes[naam](nu)

    @property
    def dagen(self) -> list[date]:
        return [self.van + timedelta(days=i) for i in range((self.tot - self.van).days + 1)]

    def grenzen(self) -> list[datetime]:
        """Local midnights from ``van`` to the day after ``tot``, in UTC (len = dagen + 1)."""
        dagen = [*self.dagen, self.tot + timedelta(days=1)]
        return [datetime.combine(d, time(), AMSTERDAM).astimezone(UTC) for d in dagen]

    def __str__(self) -> str:
        if self.van == self.tot:
            return self.van.strftime("%d-%m-%Y")
        return f"{self.van:%d-%m-%Y} t/m {self.tot:%d-%m-%Y}"


@dataclass
class Kpi:
    """The numbers of one gemeente (or all together) over one period."""

    contactmomenten: int = 0
    eerste_keer_goed: int = 0
    afhandeltijd_s: float = 0.0  # sum over the contacts that have an end
    met_afhandeltijd: int = 0
    notities: int = 0
    op_tijd: int = 0
    te_laat_opgevolgd: int = 0
    open_te_laat: int = 0
    nog_open: int = 0
    volume: dict[str, list[int]] = field(default_factory=dict)  # kanaal -> count per day
    onderwerpen: Counter[str] = field(default_factory=Counter)
    afdeling_notities: Counter[str] = field(default_factory=Counter)
    afdeling_te_laat: Counter[str] = field(default_factory=Counter)

    @property
    def eerste_keer_goed_pct(self) -> float | None:
        return self.eerste_keer_goed / self.contactmomenten if self.contactmomenten else None

    @property
    def te_laat(self) -> int:
        return self.te_laat_opgevolgd + self.open_te_laat

    @property
    def terugbelnorm_pct(self) -> float | None:
        beslist = self.op_tijd + self.te_laat
        return self.op_tijd / beslist if beslist else None

    @property
    def gemiddelde_afhandeltijd_s(self) -> float | None:
        return self.afhandeltijd_s / self.met_afhandeltijd if self.met_afhandeltijd else None

    @property
    def top_onderwerpen(self) -> list[tuple[str, int]]:
        return sorted(self.onderwerpen.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]

    @property
    def afdelingen_meeste_notities(self) -> list[tuple[str, int, int]]:
        rijen = [(a, n, self.afdeling_te_laat[a]) for a, n in self.afdeling_notities.items()]
        return sorted(rijen, key=lambda r: (-r[1], r[0]))[:TOP]

    @property
    def afdelingen_meeste_te_laat(self) -> list[tuple[str, int, int]]:
        rijen = [(a, self.afdeling_notities[a], n) for a, n in self.afdeling_te_laat.items() if n]
        return sorted(rijen, key=lambda r: (-r[2], r[0]))[:TOP]

    def tel_op(self, ander: Kpi) -> None:
        for naam in (
            "contactmomenten", "eerste_keer_goed", "afhandeltijd_s", "met_afhandeltijd",
            "notities", "op_tijd", "te_laat_opgevolgd", "open_te_laat", "nog_open",
        ):  # fmt: skip
            setattr(self, naam, getattr(self, naam) + getattr(ander, naam))
        for kanaal, reeks in ander.volume.items():
            eigen = self.volume.setdefault(kanaal, [0] * len(reeks))
            for i, aantal in enumerate(reeks):
                eigen[i] += aantal
        self.onderwerpen.update(ander.onderwerpen)
        self.afdeling_notities.update(ander.afdeling_notities)
        self.afdeling_te_laat.update(ander.afdeling_te_laat)


@dataclass
class Dashboard:
    periode: Periode
    nu: datetime
    per_gemeente: dict[str, Kpi]
    totaal: Kpi
    doel_eerste_keer_goed: float = DOEL_EERSTE_KEER_GOED
    doel_terugbelnorm: float = DOEL_TERUGBELNORM

    @property
    def dagen(self) -> list[date]:
        return self.periode.dagen


def _seconden(
    session: Session, begin: ColumnElement[datetime], einde: ColumnElement[datetime]
) -> ColumnElement[float]:
    """Seconds between two timestamps, in the backend's own arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(einde) - func.julianday(begin)) * 86400.0
    return func.extract("epoch", einde - begin)


def _dag(kolom: ColumnElement[datetime], grenzen: list[datetime]) -> ColumnElement[int]:
    """Index of the local day a timestamp falls on (``grenzen`` as from Periode.grenzen)."""
    return case(*[(kolom < g, i) for i, g in enumerate(grenzen[1:])], else_=len(grenzen) - 1)


def _gemeente_ids(session: Session, gemeente: str | None) -> dict[uuid.UUID | None, str]:
    namen: dict[uuid.UUID | None, str] = {
        g.id: g.naam for g in session.execute(select(Gemeente)).scalars()
    }
    if gemeente is not None:
        gekozen = {k: v for k, v in namen.items() if v.casefold() == gemeente.casefold()}
        if not gekozen:
            bekend = ", ".join(sorted(namen.values())) or "geen"
            raise PeriodeFout(f"Gemeente '{gemeente}' bestaat niet (bekend: {bekend}).")
        return gekozen
    namen[None] = ONBEKEND
    return namen


def bereken(
    session: Session,
    periode: Periode,
    *,
    nu: datetime,
    settings: Settings | None = None,
    gemeente: str | None = None,
) -> Dashboard:
    """The dashboard for ``periode`` as it stands at ``nu``; ``gemeente`` narrows to one."""
    settings = settings or Settings()
    grenzen = periode.grenzen()
    start, einde = grenzen[0], grenzen[-1]
    dagen = len(grenzen) - 1
    namen = _gemeente_ids(session, gemeente)
    per: dict[str, Kpi] = {}

    def kpi(gemeente_id: uuid.UUID | None) -> Kpi:
        return per.setdefault(namen.get(gemeente_id, ONBEKEND), Kpi())

    def binnen_gemeente(kolom: ColumnElement[uuid.UUID | None]) -> list[ColumnElement[bool]]:
        return [kolom.in_([k for k in namen if k is not None])] if gemeente else []

    # ---- contactmomenten
    cm = Contactmoment
    beantwoord = [r.code for r in settings.gespreksresultaten if r.afgehandeld]
    eerste_keer = and_(
        cm.gespreksresultaat.in_(beantwoord),
        cm.terugbelnotitie_gemaakt.is_(False),  # type: ignore[attr-defined]
    )
    gevonden = [
        cm.status == ContactmomentStatus.AFGEROND,
        cm.richting == Richting.INKOMEND,
        cm.gestart_op >= start,
        cm.gestart_op < einde,
        *binnen_gemeente(cm.gemeente_id),
    ]
    dag = _dag(cm.gestart_op, grenzen)
    duur = _seconden(session, cm.gestart_op, cm.beeindigd_op)
    # one pass over the period (an index-only scan of ix_contactmoment_rapport), per gemeente,
    # kanaal, day and article; article titles are looked up afterwards
    rijen = session.execute(
        select(
            cm.gemeente_id,
            cm.kanaal,
            dag,
            cm.artikel_id,
            func.count(),
            func.sum(case((eerste_keer, 1), else_=0)),
            func.sum(case((cm.beeindigd_op.is_not(None), duur), else_=0.0)),  # type: ignore[union-attr]
            func.count(cm.beeindigd_op),
        )
        .where(*gevonden)
        .group_by(cm.gemeente_id, cm.kanaal, dag, cm.artikel_id)
    ).all()
    artikelen: Counter[tuple[uuid.UUID | None, uuid.UUID]] = Counter()
    for gemeente_id, kanaal, index, artikel_id, aantal, goed, seconden, met_einde in rijen:
        k = kpi(gemeente_id)
        k.contactmomenten += aantal
        k.eerste_keer_goed += int(goed or 0)
        k.afhandeltijd_s += float(seconden or 0.0)
        k.met_afhandeltijd += met_einde
        k.volume.setdefault(kanaal, [0] * dagen)[min(int(index), dagen - 1)] += aantal
        if artikel_id is not None:
            artikelen[(gemeente_id, artikel_id)] += aantal
    titels = dict(
        session.execute(
            select(Kennisartikel.id, Kennisartikel.titel).where(
                Kennisartikel.id.in_({a for _, a in artikelen})  # type: ignore[attr-defined]
            )
        ).all()
    )
    for (gemeente_id, artikel_id), aantal in artikelen.items():
        kpi(gemeente_id).onderwerpen[titels.get(artikel_id, "(verwijderd artikel)")] += aantal

    # ---- terugbelnotities
    tb = Terugbelnotitie
    eerste, klaar = tb.eerste_contact_op, tb.afgehandeld_op
    opgevolgd = case(
        (and_(eerste.is_not(None), or_(klaar.is_(None), eerste <= klaar)), eerste),  # type: ignore[union-attr]
        else_=klaar,
    )
    stand = case(
        (and_(opgevolgd.is_(None), tb.deadline < nu), "open_te_laat"),
        (opgevolgd.is_(None), "nog_open"),
        (opgevolgd <= tb.deadline, "op_tijd"),
        else_="te_laat_opgevolgd",
    )
    team, medewerker = aliased(Team), aliased(Medewerker)
    afdeling_id = func.coalesce(tb.toegewezen_afdeling_id, team.afdeling_id, medewerker.afdeling_id)
    notities = session.execute(
        select(tb.gemeente_id, afdeling_id, stand, func.count())
        .outerjoin(team, team.id == tb.toegewezen_team_id)
        .outerjoin(medewerker, medewerker.id == tb.toegewezen_medewerker_id)
        .where(
            tb.aangemaakt_op >= start, tb.aangemaakt_op < einde, *binnen_gemeente(tb.gemeente_id)
        )
        .group_by(tb.gemeente_id, afdeling_id, stand)
    ).all()
    afdelingsnamen = {a.id: a.naam for a in session.execute(select(Afdeling)).scalars()}
    for gemeente_id, afd, toestand, aantal in notities:
        k = kpi(gemeente_id)
        k.notities += aantal
        setattr(k, toestand, getattr(k, toestand) + aantal)
        naam = afdelingsnamen.get(afd, "(geen afdeling)")
        k.afdeling_notities[naam] += aantal
        if toestand in ("open_te_laat", "te_laat_opgevolgd"):
            k.afdeling_te_laat[naam] += aantal

    totaal = Kpi()
    for naam in sorted(per):
        totaal.tel_op(per[naam])
    for naam in sorted(namen.values()):
        if naam != ONBEKEND:
            per.setdefault(naam, Kpi())
    for k in (*per.values(), totaal):
        for kanaal in settings.kanalen:
            k.volume.setdefault(kanaal, [0] * dagen)
    return Dashboard(periode, nu, dict(sorted(per.items())), totaal)


def dashboard(
    engine: Engine,
    periode: Periode,
    *,
    nu: datetime | None = None,
    settings: Settings | None = None,
    gemeente: str | None = None,
) -> Dashboard:
    """:func:`bereken` in its own read-only session (for a worker or the CLI)."""
    with read_scope(engine) as session:
        return bereken(
            session, periode, nu=nu or datetime.now(UTC), settings=settings, gemeente=gemeente
        )


def _pct(waarde: float | None) -> float | None:
    return None if waarde is None else round(100 * waarde, 1)


def kerncijfers(naam: str, k: Kpi) -> dict[str, object]:
    """One row of headline numbers (the same in the screen, the table, CSV and JSON)."""
    gemiddeld = k.gemiddelde_afhandeltijd_s
    return {
        "gemeente": naam,
        "contactmomenten": k.contactmomenten,
        "eerste_keer_goed": k.eerste_keer_goed,
        "eerste_keer_goed_pct": _pct(k.eerste_keer_goed_pct),
        "terugbelnotities": k.notities,
        "op_tijd": k.op_tijd,
        "te_laat": k.te_laat,
        "waarvan_nog_open_te_laat": k.open_te_laat,
        "nog_open": k.nog_open,
        "terugbelnorm_pct": _pct(k.terugbelnorm_pct),
        "gem_afhandeltijd_min": None if gemiddeld is None else round(gemiddeld / 60, 1),
    }


def als_dict(dashboard: Dashboard) -> dict[str, object]:
    """Everything of the dashboard as plain data (for ``kiss rapport --formaat json``)."""

    def blok(naam: str, k: Kpi) -> dict[str, object]:
        return kerncijfers(naam, k) | {
            "volume_per_dag": {
                kanaal: dict(zip((d.isoformat() for d in dashboard.dagen), reeks, strict=True))
                for kanaal, reeks in sorted(k.volume.items())
            },
            "top_onderwerpen": [{"onderwerp": t, "aantal": n} for t, n in k.top_onderwerpen],
            "afdelingen": [
                {"afdeling": a, "terugbelnotities": n, "te_laat": laat}
                for a, n, laat in k.afdelingen_meeste_notities
            ],
        }

    return {
        "periode": {"van": dashboard.periode.van, "tot": dashboard.periode.tot},
        "berekend_op": dashboard.nu,
        "doelen": {
            "eerste_keer_goed_pct": _pct(dashboard.doel_eerste_keer_goed),
            "terugbelnorm_pct": _pct(dashboard.doel_terugbelnorm),
        },
        "gemeenten": [blok(naam, k) for naam, k in dashboard.per_gemeente.items()],
        "totaal": blok("totaal", dashboard.totaal),
    }
