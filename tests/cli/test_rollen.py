"""Every command refuses a user without the right role: a Dutch message, exit code 2 and
nothing changed — on SQLite (``--medewerker``) and on PostgreSQL (a login of their own)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from kiss.cli import main
from kiss.db import make_engine
from kiss.models import Auditregel, Contactmoment, Kennisartikel, Klant, Medewerker

ARTIKEL = "---\nsleutel: paspoort\ntitel: Paspoort aanvragen\n---\nNeem een pasfoto mee.\n"
KLANT_ID = str(uuid.uuid4())

GEVALLEN = [
    ("redacteur", ["klant", "zoek", "Berg"]),
    ("redacteur", ["klant", "toon", KLANT_ID]),
    ("redacteur", ["contact", "--nummer", "0612345678"]),
    ("kcc", ["kennisbank", "import", "{map}"]),
    ("kcc", ["kennisbank", "export", "{uit}"]),
    ("kcc", ["smoelenboek", "import", "{map}/medewerkers.csv"]),
    ("redacteur", ["terugbel", "lijst"]),
    ("kcc", ["rapport", "--periode", "maand"]),
    ("kcc", ["opschonen"]),
    ("kcc", ["demo", "--klanten", "1"]),
    ("kcc", ["gebruiker", "toevoegen", "iemand", "--medewerker", "P1"]),
    ("kcc", ["gebruiker", "intrekken", "iemand"]),
    ("kcc", ["audit", "controleer"]),
    ("kcc", ["audit", "export", "--van", "2026-01-01", "--tot", "2026-01-31"]),
    ("kcc", ["db", "kopieer", "--naar", "postgresql+psycopg://niemand@127.0.0.1:1/x"]),
    ("vertrokken", ["kennisbank", "zoek", "paspoort"]),
    ("vertrokken", ["smoelenboek", "zoek", "Berg"]),
]


def _tellingen(url: str) -> tuple[int, ...]:
    engine = make_engine(url)
    with Session(engine) as session:
        uit = tuple(
            session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Kennisartikel, Medewerker, Klant, Contactmoment)
        )
    engine.dispose()
    return uit


@pytest.mark.parametrize(
    ("rollen", "opdracht"), GEVALLEN, ids=[" ".join(g[1][:2]) for g in GEVALLEN]
)
def test_refused_without_the_right_role(
    rollen: str,
    opdracht: list[str],
    database_url: str,
    als_medewerker: Callable[..., list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "paspoort.md").write_text(ARTIKEL, encoding="utf-8")
    (tmp_path / "medewerkers.csv").write_text(
        "personeelsnummer,voornaam,achternaam,rollen\nX1,Ik,Zelf,beheerder;privacy\n"
    )
    engine = make_engine(database_url)
    with Session(engine) as session:  # a database that is not empty (demo refuses then)
        session.add(Klant(achternaam="Berg"))
        session.commit()
    engine.dispose()
    if rollen == "vertrokken":
        wie = als_medewerker("kcc", "weg", actief=False)
    else:
        wie = als_medewerker(rollen)
    voor = _tellingen(database_url)
    argv = [a.format(map=tmp_path, uit=tmp_path / "uit.jsonl") for a in opdracht]
    code = main([*wie, *argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert any(t in err for t in ("geen rechten", "vertrokken", "geen KISS-rechten"))
    assert "Traceback" not in err
    assert _tellingen(database_url) == voor
    assert not (tmp_path / "uit.jsonl").exists()


def test_db_upgrade_is_refused_for_an_agent_login(
    database_url: str, als_medewerker: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("op SQLite is de gebruiker van het bestand de eigenaar")
    code = main([*als_medewerker("beheerder"), "db", "upgrade"])
    err = capsys.readouterr().err
    assert code == 2 and "Alleen de eigenaarsrol" in err


def test_klant_zoek_is_audited_without_the_searched_value(
    database_url: str, als_medewerker: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    agent = als_medewerker("kcc")
    assert main([*agent, "klant", "zoek", "999990019"]) == 0
    engine = make_engine(database_url)
    with Session(engine) as session:
        regel = session.execute(
            select(Auditregel).where(Auditregel.actie == "klant_gezocht")
        ).scalar_one()
        assert "gezocht op bsn" in regel.details.lower() and "999990019" not in regel.details
        assert regel.medewerker_id is not None
    engine.dispose()


def test_opschonen_with_a_negative_period_in_kiss_toml_removes_nothing(
    database_url: str,
    als_medewerker: Callable[..., list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import UTC, datetime, timedelta

    config = tmp_path / "kiss.toml"
    config.write_text("[bewaartermijn]\ncontactmomenten_dagen = -1\naudit_dagen = -1\n")
    monkeypatch.setenv("KISS_CONFIG", str(config))
    engine = make_engine(database_url)
    with Session(engine) as session:
        oud = datetime.now(UTC) - timedelta(days=4000)
        session.add(Contactmoment(kanaal="telefoon", gestart_op=oud))
        session.add(Auditregel(actie="oud", moment=oud))
        session.commit()
    engine.dispose()
    beheerder = als_medewerker("beheerder")
    voor = _tellingen(database_url)
    assert main([*beheerder, "opschonen"]) == 2
    err = capsys.readouterr().err
    assert "Niets verwijderd" in err and "kies tussen 30 en 3650 dagen" in err
    assert _tellingen(database_url) == voor
