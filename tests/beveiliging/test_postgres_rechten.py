"""Least privilege, proved with raw SQL as real PostgreSQL login roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlmodel import select

from kiss.cli import main
from kiss.db import make_engine, session_scope
from kiss.models import Afdeling, Auditregel, Klant, Terugbelnotitie

BSN = "999990019"


@pytest.fixture
def pg(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("rechten in de database bestaan alleen op PostgreSQL")
    return database_url


def _sql(argv: list[str], sql: str, **params: Any) -> list[Any]:
    engine = make_engine(argv[1])
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def _vul(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    nu = datetime.now(UTC)
    with session_scope(engine) as session:
        eigen = Afdeling(naam="Vergunningen")
        onder = Afdeling(naam="Bouwvergunningen")
        ander = Afdeling(naam="Belastingen")
        session.add_all([eigen, ander])
        session.flush()
        onder.ouder_id = eigen.id
        session.add(onder)
        klant = Klant(bsn=BSN, achternaam="Berg")
        session.add(klant)
        session.flush()
        notities = {
            naam: Terugbelnotitie(toegewezen_afdeling_id=afd.id, deadline=nu, vraag=naam)
            for naam, afd in (("eigen", eigen), ("onder", onder), ("ander", ander))
        }
        session.add_all(notities.values())
        session.add(Auditregel(actie="test", moment=nu - timedelta(days=800)))
        ids = {"klant": klant.id, "eigen": eigen.id, "ander": ander.id}
    engine.dispose()
    return ids


def test_agent_cannot_read_bsn_but_can_search_by_it(
    pg: str, als_medewerker: Callable[..., list[str]]
) -> None:
    ids = _vul(pg)
    agent = als_medewerker("kcc")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(agent, "SELECT bsn FROM klant")
    assert _sql(agent, "SELECT achternaam, bsn_gemaskeerd FROM klant") == [("Berg", "*****0019")]
    assert _sql(agent, "SELECT kiss_zoek_bsn(:b)", b=BSN) == [(ids["klant"],)]
    privacy = als_medewerker("privacy")
    assert _sql(privacy, "SELECT bsn FROM klant") == [(BSN,)]
    assert _sql(als_medewerker("beheerder"), "SELECT bsn FROM klant") == [(BSN,)]


def test_nobody_but_the_owner_changes_audit_rows(
    pg: str, als_medewerker: Callable[..., list[str]]
) -> None:
    _vul(pg)
    agent = als_medewerker("kcc")
    for sql in ("UPDATE auditregel SET details = 'weg'", "DELETE FROM auditregel"):
        with pytest.raises(ProgrammingError, match="permission denied"):
            _sql(agent, sql)
    beheerder = als_medewerker("beheerder")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(beheerder, "UPDATE auditregel SET details = 'weg'")
    # a beheerder deletes only rows past the minimum audit retention (row-level security)
    _sql(beheerder, "DELETE FROM auditregel")
    over = _sql(als_medewerker("teamlead"), "SELECT actie FROM auditregel")
    assert ("test",) not in over
    # and an agent may not write audit rows in someone else's name
    als_medewerker("privacy")
    with pytest.raises(ProgrammingError, match="row-level security"):
        _sql(
            agent,
            "INSERT INTO auditregel (id, volgnummer, moment, actie, object_type, object_id, "
            "details, vorige_hash, hash, medewerker_id) SELECT gen_random_uuid(), 999, now(), "
            "'x', '', '', '', '', '', id FROM medewerker WHERE rollen = 'privacy'",
        )


def test_agent_cannot_change_roles_or_settings(
    pg: str, als_medewerker: Callable[..., list[str]]
) -> None:
    agent = als_medewerker("kcc")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(agent, "UPDATE medewerker SET rollen = 'beheerder;privacy'")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(agent, "SELECT kiss_rollen_bijwerken(current_user)")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(agent, "CREATE TABLE stiekem (x int)")


def test_backoffice_sees_only_its_own_afdeling_tree(
    pg: str, als_medewerker: Callable[..., list[str]]
) -> None:
    ids = _vul(pg)
    backoffice = als_medewerker("backoffice", afdeling_id=ids["eigen"])
    zichtbaar = {r[0] for r in _sql(backoffice, "SELECT vraag FROM terugbelnotitie")}
    assert zichtbaar == {"eigen", "onder"}
    for rol in ("kcc", "teamlead", "beheerder"):
        alles = {r[0] for r in _sql(als_medewerker(rol), "SELECT vraag FROM terugbelnotitie")}
        assert alles == {"eigen", "onder", "ander"}
    # the backoffice may still hand its own note over to another afdeling (and keeps seeing it
    # through the history), through the same service the desk uses
    from kiss.models import Medewerker
    from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, herverdeel

    _sql(
        ["--database", pg],
        "UPDATE terugbelnotitie SET status = 'in_behandeling', behandelaar_id = ("
        "SELECT id FROM medewerker WHERE rollen = 'backoffice') WHERE vraag = 'eigen'",
    )
    als_backoffice = make_engine(backoffice[1])
    try:
        with session_scope(als_backoffice) as session:
            ik = session.exec(select(Medewerker).where(Medewerker.rollen == "backoffice")).one()
            notitie = session.exec(
                select(Terugbelnotitie).where(Terugbelnotitie.vraag == "eigen")
            ).one()
            herverdeel(
                session, ik, notitie.id, Doel(DoelSoort.AFDELING, ids["ander"]),
                "Hoort bij belastingen", datetime.now(UTC),
            )  # fmt: skip
    finally:
        als_backoffice.dispose()
    zichtbaar = {r[0] for r in _sql(backoffice, "SELECT vraag FROM terugbelnotitie")}
    assert zichtbaar == {"eigen", "onder"}


def test_medewerker_flag_is_refused_on_postgresql(
    pg: str, als_medewerker: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    beheerder = als_medewerker("beheerder")
    code = main([*beheerder, "--medewerker", "t_beheerder", "klant", "zoek", "Berg"])
    err = capsys.readouterr().err
    assert code == 2 and "--medewerker werkt alleen met de lokale SQLite-database" in err


def test_unlinked_login_is_refused(pg: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--database", pg, "klant", "zoek", "Berg"])  # the owner: no medewerker
    err = capsys.readouterr().err
    assert code == 2 and "hoort bij geen medewerker" in err


def test_gebruiker_toevoegen_gives_the_group_roles_and_intrekken_takes_them(
    pg: str, als_medewerker: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlmodel import Session

    from kiss.models import Medewerker
    from kiss.services.beveiliging.groepsrollen import voorvoegsel

    prefix = voorvoegsel()
    engine = make_engine(pg)
    with Session(engine) as session:
        session.add(Medewerker(personeelsnummer="P77", achternaam="Nieuw", rollen="backoffice"))
        session.commit()
    login = f"{prefix}l_nieuw".replace(prefix, "n" + prefix, 1)
    try:
        # an agent may not; the owner role may (it creates the first beheerder)
        agent = als_medewerker("kcc")
        assert main([*agent, "gebruiker", "toevoegen", login, "--medewerker", "P77"]) == 2
        assert "geen rechten" in capsys.readouterr().err
        assert main(["--database", pg, "gebruiker", "toevoegen", login, "--medewerker", "P77"]) == 0
        assert f"{prefix}backoffice" in capsys.readouterr().out
        nieuw = ["--database", make_url(pg).set(username=login).render_as_string(False)]
        assert _sql(nieuw, "SELECT count(*) FROM terugbelnotitie") == [(0,)]
        beheerder = als_medewerker("beheerder")
        assert main([*beheerder, "gebruiker", "intrekken", login]) == 0
        # without its group roles the login cannot even see the schema
        with pytest.raises(ProgrammingError, match=r"permission denied|does not exist"):
            _sql(nieuw, "SELECT count(*) FROM terugbelnotitie")
    finally:
        from kiss.services.beveiliging.inrichten import verwijder_rollen

        with engine.begin() as conn:
            verwijder_rollen(conn, [login])
        engine.dispose()


def test_a_change_of_rollen_in_the_smoelenboek_updates_the_group_roles(
    pg: str,
    als_medewerker: Callable[..., list[str]],
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kiss.services.beveiliging.groepsrollen import voorvoegsel

    prefix = voorvoegsel()
    agent = als_medewerker("kcc", "wisselaar", personeelsnummer="V9")
    login = make_url(agent[1]).username

    def groepen() -> set[str]:
        rijen = _sql(
            ["--database", pg],
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "JOIN pg_roles l ON l.oid = m.member WHERE l.rolname = :l",
            l=login,
        )
        return {r[0].removeprefix(prefix) for r in rijen}

    assert groepen() == {"gebruiker", "kcc"}
    csv = tmp_path / "medewerkers.csv"
    csv.write_text(
        "personeelsnummer,voornaam,achternaam,afdeling,rollen\nV9,Wim,Wisselaar,Vergunningen,backoffice\n"
    )
    (tmp_path / "afdelingen.csv").write_text("naam\nVergunningen\n")
    beheerder = als_medewerker("beheerder")
    assert main([*beheerder, "smoelenboek", "import", str(tmp_path), "--aanvulling"]) == 0
    assert groepen() == {"gebruiker", "backoffice"}


def test_the_owner_sets_up_a_fresh_install_then_a_beheerder_takes_over(
    pg: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afdelingen.csv").write_text("naam\nBeheer\n")
    (tmp_path / "medewerkers.csv").write_text(
        "personeelsnummer,voornaam,achternaam,afdeling,rollen\nB1,Bea,Heer,Beheer,beheerder\n"
    )
    eigenaar = ["--database", pg]
    assert main([*eigenaar, "smoelenboek", "import", str(tmp_path)]) == 0
    assert main([*eigenaar, "opschonen"]) == 2  # the owner is no medewerker: no clean-up
    assert "hoort bij geen medewerker" in capsys.readouterr().err
