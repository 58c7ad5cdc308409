"""The norm dashboard and reports: every KPI computed here, once, for the screen and the CLI.

Zo telt KISS (dezelfde tekst staat in de README, onder 'Normen en rapportage'):

* **Periode**: de dagen *van* tot en met *tot*, als hele dagen in Nederlandse tijd
  (Europe/Amsterdam): van *van* 00:00 tot de dag na *tot* 00:00. De dag waarop de zomertijd
  eindigt telt dus 25 uur, de dag waarop hij begint 23. Snelkeuzes: vandaag, week (ISO-week van
  vandaag, maandag t/m zondag) en maand (de kalendermaand van vandaag).
* **Contactmomenten**: inkomende, afgeronde contactmomenten die in de periode begonnen. Het
  uitgaande telefoongesprek dat KISS vastlegt bij het afhandelen van een terugbelnotitie telt
  niet mee: dat is de opvolging, geen nieuwe vraag.
* **Eerste keer goed** (doel 80 %): het deel van die contactmomenten met een gespreksresultaat
  dat als beantwoord geldt (`afgehandeld = true` in de ingestelde lijst; standaard afgehandeld,
  doorverwezen naar andere organisatie en zaak aangemaakt) én waaruit geen terugbelnotitie is
  gemaakt. Doorverbonden en terugbelnotitie gemaakt tellen nooit als beantwoord.
* **Terugbelnorm** (doel 90 %): de terugbelnotities die in de periode zijn aangemaakt. Een
  notitie is *opgevolgd* bij de eerste geslaagde belpoging (klant gesproken) of bij het
  afhandelen, wat het eerst kwam.
    * *op tijd*: opgevolgd vóór of precies op de deadline;
    * *te laat opgevolgd*: opgevolgd na de deadline;
    * *open, al te laat*: nog niet opgevolgd en de deadline is voorbij;
    * *open, nog op tijd*: nog niet opgevolgd en de deadline komt nog; telt nog niet mee.

  Terugbelnorm = op tijd / (op tijd + te laat opgevolgd + open al te laat); zolang geen
  notitie beslist is, is er geen percentage. Herverdelen verschuift de deadline nooit.
* **Gemiddelde afhandeltijd**: het gemiddelde van einde − begin over de getelde
  contactmomenten die allebei hebben.
* **Volume**: getelde contactmomenten per kanaal per dag (Nederlandse datum).
* **Top onderwerpen**: de tien kennisbankartikelen die het vaakst als onderwerp zijn gekozen.
* **Afdelingen**: per afdeling de terugbelnotities van de periode die er nu liggen (direct, via
  het team of via de medewerker) en hoeveel daarvan te laat zijn (te laat opgevolgd of open
  al te laat).

Alles wordt per gemeente en in totaal geteld; contacten en notities zonder gemeente staan
onder "onbekend".
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from kiss.config import DOORVERBONDEN, TERUGBELNOTITIE, Settings
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
DEFINITIES = (__doc__ or "").split("\n\n", 1)[-1]  # the Dutch definitions, for help screens
NOOIT_BEANTWOORD = (TERUGBELNOTITIE, DOORVERBONDEN)  # whatever the configuration says


class PeriodeFout(ValueError):
    """A period (or gemeente) that cannot be: the message is Dutch."""


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


@dataclass(frozen=True)
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
    nog_open: int = 0  # open, deadline still ahead: not decided yet
    volume: dict[str, tuple[int, ...]] = field(default_factory=dict)  # kanaal -> per day
    onderwerpen: dict[str, int] = field(default_factory=dict)  # article titel -> count
    afdeling_notities: dict[str, int] = field(default_factory=dict)
    afdeling_te_laat: dict[str, int] = field(default_factory=dict)

    @property
    def eerste_keer_goed_pct(self) -> float | None:
        """A fraction (0.8 = 80 %), None without contactmomenten."""
        return self.eerste_keer_goed / self.contactmomenten if self.contactmomenten else None

    @property
    def te_laat(self) -> int:
        return self.te_laat_opgevolgd + self.open_te_laat

    @property
    def beslist(self) -> int:
        """The notes the terugbelnorm is computed over (op tijd + te laat)."""
        return self.op_tijd + self.te_laat

    @property
    def terugbelnorm_pct(self) -> float | None:
        """A fraction (0.9 = 90 %), None while no note is decided."""
        return self.op_tijd / self.beslist if self.beslist else None

    @property
    def gemiddelde_afhandeltijd_s(self) -> float | None:
        return self.afhandeltijd_s / self.met_afhandeltijd if self.met_afhandeltijd else None

    @property
    def top_onderwerpen(self) -> list[tuple[str, int]]:
        return sorted(self.onderwerpen.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]

    @property
    def afdelingen_meeste_notities(self) -> list[tuple[str, int, int]]:
        """(afdeling, notities, te laat), most notes first."""
        rijen = [(a, n, self.afdeling_te_laat.get(a, 0)) for a, n in self.afdeling_notities.items()]
        return sorted(rijen, key=lambda r: (-r[1], r[0]))[:TOP]

    @property
    def afdelingen_meeste_te_laat(self) -> list[tuple[str, int, int]]:
        """(afdeling, notities, te laat), most breaches first; afdelingen without none."""
        rijen = [
            (a, self.afdeling_notities.get(a, 0), n) for a, n in self.afdeling_te_laat.items() if n
        ]
        return sorted(rijen, key=lambda r: (-r[2], r[0]))[:TOP]


@dataclass(frozen=True)
class Dashboard:
    periode: Periode
    nu: datetime
    per_gemeente: dict[str, Kpi]  # by gemeente naam, sorted; "onbekend" for none
    totaal: Kpi
    doel_eerste_keer_goed: float = DOEL_EERSTE_KEER_GOED
    doel_terugbelnorm: float = DOEL_TERUGBELNORM

    @property
    def dagen(self) -> list[date]:
        return self.periode.dagen


@dataclass
class _Telling:
    """The mutable tally behind one :class:`Kpi` while the rows come in."""

    dagen: int
    getallen: Counter[str] = field(default_factory=Counter)
    afhandeltijd_s: float = 0.0
    volume: dict[str, list[int]] = field(default_factory=dict)
    onderwerpen: Counter[str] = field(default_factory=Counter)
    afdeling_notities: Counter[str] = field(default_factory=Counter)
    afdeling_te_laat: Counter[str] = field(default_factory=Counter)

    def dag(self, kanaal: str, index: int, aantal: int) -> None:
        self.volume.setdefault(kanaal, [0] * self.dagen)[min(index, self.dagen - 1)] += aantal

    def tel_op(self, ander: _Telling) -> None:
        self.getallen.update(ander.getallen)
        self.afhandeltijd_s += ander.afhandeltijd_s
        for kanaal, reeks in ander.volume.items():
            for i, aantal in enumerate(reeks):
                self.dag(kanaal, i, aantal)
        self.onderwerpen.update(ander.onderwerpen)
        self.afdeling_notities.update(ander.afdeling_notities)
        self.afdeling_te_laat.update(ander.afdeling_te_laat)

    def kpi(self, kanalen: tuple[str, ...]) -> Kpi:
        g = self.getallen
        volume = {k: tuple(self.volume.get(k, [0] * self.dagen)) for k in kanalen}
        volume |= {k: tuple(v) for k, v in self.volume.items() if k not in volume}
        return Kpi(
            contactmomenten=g["contactmomenten"],
            eerste_keer_goed=g["eerste_keer_goed"],
            afhandeltijd_s=self.afhandeltijd_s,
            met_afhandeltijd=g["met_afhandeltijd"],
            notities=g["notities"],
            op_tijd=g["op_tijd"],
            te_laat_opgevolgd=g["te_laat_opgevolgd"],
            open_te_laat=g["open_te_laat"],
            nog_open=g["nog_open"],
            volume=volume,
            onderwerpen=dict(self.onderwerpen),
            afdeling_notities=dict(self.afdeling_notities),
            afdeling_te_laat=dict(self.afdeling_te_laat),
        )


def _seconden(
    session: Session, begin: ColumnElement[datetime], einde: ColumnElement[datetime]
) -> ColumnElement[float]:
    """Seconds between two timestamps, in the backend's own arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(einde) - func.julianday(begin)) * 86400.0
    return func.extract("epoch", einde - begin)


def _dag(kolom: ColumnElement[datetime], grenzen: list[datetime]) -> ColumnElement[int]:
    """Index of the local day a timestamp falls on (``grenzen`` as from Periode.grenzen).

    The day boundaries are computed in Python (DST included) and compared in SQL, so both
    backends bucket identically without their own time zone functions. The CASE is a binary
    search: about log2(days) comparisons per row instead of one per day."""

    def zoek(laag: int, hoog: int) -> ColumnElement[int]:  # the day lies in [laag, hoog)
        if hoog - laag == 1:
            return literal(laag)
        midden = (laag + hoog) // 2
        return case((kolom < grenzen[midden], zoek(laag, midden)), else_=zoek(midden, hoog))

    return zoek(0, len(grenzen) - 1)


def eerste_keer_goed(settings: Settings) -> ColumnElement[bool]:
    """A contactmoment answered in the first contact (see the module doc): one definition for
    the dashboard and the reports per onderwerp."""
    beantwoord = [
        r.code
        for r in settings.gespreksresultaten
        if r.afgehandeld and r.code not in NOOIT_BEANTWOORD
    ]
    return and_(
        Contactmoment.gespreksresultaat.in_(beantwoord),  # type: ignore[attr-defined]
        Contactmoment.terugbelnotitie_gemaakt.is_(False),  # type: ignore[attr-defined]
    )


def gemeente_ids(session: Session, gemeente: str | None) -> dict[uuid.UUID | None, str]:
    namen: dict[uuid.UUID | None, str] = {
        g.id: g.naam for g in session.execute(select(Gemeente)).scalars()
    }
    if gemeente is not None:
        gekozen = {k: v for k, v in namen.items() if v.casefold() == gemeente.strip().casefold()}
        if not gekozen:
            bekend = ", ".join(sorted(v for v in namen.values() if v)) or "geen"
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
    """The dashboard for ``periode`` as it stands at ``nu``; ``gemeente`` narrows to one.

    Two grouped queries (contactmomenten, terugbelnotities) plus small look-ups of article
    titles, gemeenten and afdelingen: the row count read into Python does not grow with the
    number of contacts, only with gemeenten × kanalen × dagen × articles."""
    settings = settings or Settings()
    grenzen = periode.grenzen()
    start, einde = grenzen[0], grenzen[-1]
    dagen = len(grenzen) - 1
    namen = gemeente_ids(session, gemeente)
    per: dict[str, _Telling] = {}

    def telling(gemeente_id: uuid.UUID | None) -> _Telling:
        naam = namen.get(gemeente_id, ONBEKEND)
        if naam not in per:
            per[naam] = _Telling(dagen)
        return per[naam]

    def binnen_gemeente(kolom: ColumnElement[uuid.UUID | None]) -> list[ColumnElement[bool]]:
        return [kolom.in_([k for k in namen if k is not None])] if gemeente else []

    # ---- contactmomenten
    cm = Contactmoment
    eerste_keer = eerste_keer_goed(settings)
    dag = _dag(cm.gestart_op, grenzen)
    duur = _seconden(session, cm.gestart_op, cm.beeindigd_op)
    gevonden = (
        cm.status == ContactmomentStatus.AFGEROND,
        cm.richting == Richting.INKOMEND,
        cm.gestart_op >= start,
        cm.gestart_op < einde,
        *binnen_gemeente(cm.gemeente_id),
    )
    # two index-only scans of ix_contactmoment_rapport over the period: per gemeente, kanaal
    # and day (a few hundred rows), and per gemeente and article (titles looked up afterwards)
    rijen = session.execute(
        select(
            cm.gemeente_id,
            cm.kanaal,
            dag,
            func.count(),
            func.sum(case((eerste_keer, 1), else_=0)),
            func.sum(case((cm.beeindigd_op.is_not(None), duur), else_=0.0)),  # type: ignore[union-attr]
            func.count(cm.beeindigd_op),
        )
        .where(*gevonden)
        .group_by(cm.gemeente_id, cm.kanaal, dag)
    ).all()
    for gemeente_id, kanaal, index, aantal, goed, seconden, met_einde in rijen:
        t = telling(gemeente_id)
        t.getallen.update(
            contactmomenten=aantal, eerste_keer_goed=int(goed or 0), met_afhandeltijd=met_einde
        )
        t.afhandeltijd_s += float(seconden or 0.0)
        t.dag(kanaal, int(index), aantal)
    artikelen = session.execute(
        select(cm.gemeente_id, cm.artikel_id, func.count())
        .where(*gevonden, cm.artikel_id.is_not(None))  # type: ignore[union-attr]
        .group_by(cm.gemeente_id, cm.artikel_id)
    ).all()
    titels = dict(
        session.execute(
            select(Kennisartikel.id, Kennisartikel.titel).where(
                Kennisartikel.id.in_({a for _, a, _ in artikelen})  # type: ignore[attr-defined]
            )
        ).all()
    )
    for gemeente_id, artikel_id, aantal in artikelen:
        telling(gemeente_id).onderwerpen[titels.get(artikel_id, "(verwijderd artikel)")] += aantal

    # ---- terugbelnotities
    tb = Terugbelnotitie
    eerste, klaar = tb.eerste_contact_op, tb.afgehandeld_op
    opgevolgd = case(  # the earliest of the first successful attempt and closing
        (and_(eerste.is_not(None), or_(klaar.is_(None), eerste <= klaar)), eerste),  # type: ignore[union-attr]
        else_=klaar,
    )
    stand = case(
        (and_(opgevolgd.is_(None), tb.deadline < nu), "open_te_laat"),
        (opgevolgd.is_(None), "nog_open"),
        (opgevolgd <= tb.deadline, "op_tijd"),  # exactly at the deadline is on time
        else_="te_laat_opgevolgd",
    )
    team, medewerker = aliased(Team), aliased(Medewerker)
    afdeling_id = func.coalesce(tb.toegewezen_afdeling_id, team.afdeling_id, medewerker.afdeling_id)
    notities = session.execute(
        select(tb.gemeente_id, afdeling_id, stand, func.count())
        .outerjoin(team, team.id == tb.toegewezen_team_id)
        .outerjoin(medewerker, medewerker.id == tb.toegewezen_medewerker_id)
        .where(
            tb.aangemaakt_op >= start,
            tb.aangemaakt_op < einde,
            *binnen_gemeente(tb.gemeente_id),
        )
        .group_by(tb.gemeente_id, afdeling_id, stand)
    ).all()
    afdelingsnamen = {a.id: a.naam for a in session.execute(select(Afdeling)).scalars()}
    for gemeente_id, afd, toestand, aantal in notities:
        t = telling(gemeente_id)
        t.getallen.update({"notities": aantal, toestand: aantal})
        naam = afdelingsnamen.get(afd, "(geen afdeling)")
        t.afdeling_notities[naam] += aantal
        if toestand in ("open_te_laat", "te_laat_opgevolgd"):
            t.afdeling_te_laat[naam] += aantal

    for naam in namen.values():  # every gemeente shows, also without contacts
        if naam != ONBEKEND:
            per.setdefault(naam, _Telling(dagen))
    totaal = _Telling(dagen)
    for t in per.values():
        totaal.tel_op(t)
    kanalen = tuple(settings.kanalen)
    return Dashboard(
        periode,
        nu,
        {naam: per[naam].kpi(kanalen) for naam in sorted(per)},
        totaal.kpi(kanalen),
    )


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
    """One row of headline numbers (the same in the table, CSV and JSON)."""
    gemiddeld = k.gemiddelde_afhandeltijd_s
    return {
        "gemeente": naam,
        "contactmomenten": k.contactmomenten,
        "eerste_keer_goed": k.eerste_keer_goed,
        "eerste_keer_goed_pct": _pct(k.eerste_keer_goed_pct),
        "terugbelnotities": k.notities,
        "op_tijd": k.op_tijd,
        "te_laat_opgevolgd": k.te_laat_opgevolgd,
        "open_te_laat": k.open_te_laat,
        "open_op_tijd": k.nog_open,
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
            "afdelingen_meeste_notities": [
                {"afdeling": a, "terugbelnotities": n, "te_laat": laat}
                for a, n, laat in k.afdelingen_meeste_notities
            ],
            "afdelingen_meeste_te_laat": [
                {"afdeling": a, "terugbelnotities": n, "te_laat": laat}
                for a, n, laat in k.afdelingen_meeste_te_laat
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
