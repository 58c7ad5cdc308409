"""The demo generator: deterministic, valid data in the shipped import formats."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.config import Settings
from kiss.db import make_engine, upgrade
from kiss.demo import DemoOmvang, genereer
from kiss.models import Contactmoment, DigitaalAdres, Klant, Terugbelnotitie
from kiss.validation import elfproef, valideer_telefoon
from tests.pilot import settle

NU = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
KLEIN = DemoOmvang(klanten=60, contactmomenten=300, zaken=20, terugbelnotities=25)

EIGEN_IDS = {"gemeente_id", "medewerker_id", "artikel_id", "afdeling_id", "behandelaar_id",
             "aangemaakt_door_id", "toegewezen_afdeling_id", "toegewezen_team_id"}  # fmt: skip


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Generated rows; columns that point at imported rows (random ids) are left out."""
    dump: dict[str, list[tuple[object, ...]]] = {}
    with Session(engine) as session:
        for model in (Klant, DigitaalAdres, Contactmoment, Terugbelnotitie):
            kolommen = [c for c in model.__table__.columns if c.name not in EIGEN_IDS]  # type: ignore[attr-defined]
            rows = session.execute(select(*kolommen).order_by(model.id)).all()  # type: ignore[attr-defined]
            dump[model.__tablename__] = [tuple(r) for r in rows]  # type: ignore[attr-defined]
    return dump


def _genereer(path: Path, seed: int) -> Engine:
    engine = make_engine(str(path))
    upgrade(engine)
    genereer(engine, Settings(), omvang=KLEIN, seed=seed, nu=NU)
    return engine


def test_same_seed_and_moment_give_the_same_data(tmp_path: Path) -> None:
    first = _genereer(tmp_path / "a.db", seed=7)
    second = _genereer(tmp_path / "b.db", seed=7)
    other = _genereer(tmp_path / "c.db", seed=8)
    assert _dump(first) == _dump(second)
    assert _dump(first)["klant"] != _dump(other)["klant"]
    for engine in (first, second, other):
        engine.dispose()


def test_generated_data_is_valid_and_covers_the_flows(engine: Engine) -> None:
    verslag = genereer(engine, Settings(), omvang=KLEIN, seed=3, nu=NU)
    assert verslag.tellingen["klanten"] == 60
    with Session(engine) as session:
        bsns = session.execute(select(Klant.bsn).where(Klant.bsn.is_not(None))).scalars().all()  # type: ignore[union-attr]
        assert bsns and all(elfproef(b) for b in bsns)
        for waarde, genormaliseerd in session.execute(
            select(DigitaalAdres.waarde, DigitaalAdres.genormaliseerd).where(
                DigitaalAdres.soort == "telefoonnummer"
            )
        ):
            assert valideer_telefoon(waarde) == genormaliseerd
        kanalen = set(session.execute(select(Contactmoment.kanaal).distinct()).scalars())
        assert {"telefoon", "balie", "e-mail"} <= kanalen
        gemeenten = session.execute(
            select(func.count(func.distinct(Contactmoment.gemeente_id)))
        ).scalar_one()
        assert gemeenten == 2
        assert session.execute(select(func.count()).select_from(Terugbelnotitie)).scalar_one()


def test_second_run_does_not_duplicate(engine: Engine) -> None:
    genereer(engine, Settings(), omvang=KLEIN, seed=3, nu=NU)
    verslag = genereer(engine, Settings(), omvang=KLEIN, seed=3, nu=NU)
    assert "al klanten" in " ".join(verslag.meldingen)
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Klant)).scalar_one() == 60


async def test_first_start_on_an_empty_database_offers_the_demo(sqlite_engine: Engine) -> None:
    from kiss.app import KissApp
    from kiss.screens.dialogen import Bevestig

    app = KissApp(settings=Settings(), engine=sqlite_engine, klok=lambda: NU)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        await pilot.press("enter")  # "Demo laden"
        await settle(app, pilot, rounds=5)
        assert any("Demogegevens geladen" in str(n.message) for n in app._notifications)
    with Session(sqlite_engine) as session:
        assert session.execute(select(func.count()).select_from(Klant)).scalar_one() == 320


def test_demo_bsns_never_leave_the_test_range(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "groot.db"))
    upgrade(engine)
    omvang = DemoOmvang(klanten=1500, contactmomenten=10, zaken=0, terugbelnotities=0)
    genereer(engine, Settings(), omvang=omvang, seed=1, nu=NU)
    with Session(engine) as session:
        bsns = session.execute(select(Klant.bsn).where(Klant.bsn.is_not(None))).scalars().all()  # type: ignore[union-attr]
    assert 800 < len(bsns) < 1500  # more klanten than test numbers: the rest have none
    assert all(b.startswith("99999") and elfproef(b) for b in bsns)
    assert len(set(bsns)) == len(bsns)


OPENINGSTIJDEN = {"telefoon": (8, 17), "balie": (9, 17)}  # Amsterdam time, werkdagen


def test_demo_looks_like_a_working_kcc(engine: Engine) -> None:
    """A teamlead opening the demo sees a KCC that mostly meets its norm: phone and balie
    contacts on werkdagen in opening hours, most notes followed up in time, a few overdue."""
    from zoneinfo import ZoneInfo

    from kiss.services.terugbel.servicenorm import is_werkdag

    genereer(engine, Settings(), seed=5, nu=NU)
    zone = ZoneInfo("Europe/Amsterdam")
    with Session(engine) as session:
        contacten = session.execute(
            select(Contactmoment.kanaal, Contactmoment.gestart_op).where(
                Contactmoment.kanaal.in_(list(OPENINGSTIJDEN))  # type: ignore[attr-defined]
            )
        ).all()
        notities = session.execute(
            select(Terugbelnotitie.status, Terugbelnotitie.deadline, Terugbelnotitie.afgehandeld_op)
        ).all()
    assert contacten
    for kanaal, gestart in contacten:
        lokaal = gestart.replace(tzinfo=gestart.tzinfo or UTC).astimezone(zone)
        van, tot = OPENINGSTIJDEN[kanaal]
        assert is_werkdag(lokaal.date()), (kanaal, lokaal)
        assert van <= lokaal.hour < tot, (kanaal, lokaal)

    def utc(moment: datetime) -> datetime:
        return moment.replace(tzinfo=moment.tzinfo or UTC)

    te_laat_open = [n for n in notities if n.status != "afgehandeld" and utc(n.deadline) < NU]
    afgehandeld = [n for n in notities if n.status == "afgehandeld"]
    op_tijd = [n for n in afgehandeld if utc(n.afgehandeld_op) <= utc(n.deadline)]
    open_ = [n for n in notities if n.status != "afgehandeld"]
    assert {n.status for n in notities} == {"open", "in_behandeling", "afgehandeld"}
    assert 0 < len(te_laat_open) <= 0.1 * len(notities)
    assert len(te_laat_open) < len(open_) / 2  # the queue is not mostly overdue
    assert len(op_tijd) >= 0.85 * len(afgehandeld)


def test_demo_start_screen_has_news_and_an_unread_belangrijk_werkinstructie(
    engine: Engine,
) -> None:
    """A new agent in the demo sees the redactie's items on the start screen: belangrijk
    werkinstructies unread on top, nieuws for each gemeente, nothing expired or future."""
    from kiss.models import Medewerker
    from kiss.services.beheer import nieuws

    genereer(engine, Settings(), omvang=KLEIN, seed=5, nu=NU)
    with Session(engine) as session:
        agent = session.execute(
            select(Medewerker).where(Medewerker.rollen == "kcc").limit(1)
        ).scalar_one()
        regels = nieuws.voor_mij(session, agent, nu=NU)
        stand = nieuws.stand(session, agent, nu=NU)
    assert stand.ongelezen_belangrijk >= 1
    assert regels[0].belangrijk and regels[0].soort == "werkinstructie" and not regels[0].gelezen
    assert {r.soort for r in regels} == {"nieuws", "werkinstructie"}
    assert {"Haarlem", "Zandvoort"} <= {r.gemeente for r in regels}
    assert all(r.publiceren_van <= NU for r in regels)
