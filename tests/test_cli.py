"""The headless jobs of the ``kiss`` command, with --json for scripts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine

from kiss.cli import main
from kiss.services.klant.zoeken import NaamVocabulaire
from tests.factories import bouw_wereld


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_db_upgrade_reports_the_schema_version(
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from alembic.script import ScriptDirectory

    if database_url.startswith("postgresql"):  # group roles are cluster-wide: our own prefix
        monkeypatch.setenv("KISS_ROL_VOORVOEGSEL", request.getfixturevalue("rol_voorvoegsel"))

    from kiss.db import alembic_config, make_engine

    head = ScriptDirectory.from_config(alembic_config(make_engine(database_url))).get_current_head()
    code, out, _ = _run(capsys, "--database", database_url, "db", "upgrade")
    assert code == 0 and f"schemaversie {head}" in out and head and head >= "0003"


def test_klant_zoek_and_toon(
    engine: Engine, als_medewerker: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    NaamVocabulaire.voor(engine).vergeet()
    bouw_wereld(engine)
    agent = als_medewerker("kcc", "agent")
    code, out, _ = _run(capsys, *agent, "klant", "zoek", "0612345678", "--json")
    data = json.loads(out)
    assert code == 0 and data["gezocht_op"] == "telefoonnummer"
    assert [t["naam"] for t in data["treffers"]] == ["van den Berg, Johanna"]
    assert data["treffers"][0]["bsn_gemaskeerd"] == "*****0019"
    klant_id = data["treffers"][0]["id"]

    code, out, _ = _run(capsys, *agent, "klant", "toon", klant_id, "--json")
    beeld = json.loads(out)
    assert code == 0 and beeld["naam"] == "Johanna van den Berg" and beeld["bsn"] == "*****0019"
    assert beeld["zaken"][0]["identificatie"] == "ZAAK-2026-0000001"
    assert isinstance(beeld["tijdlijn"], list)

    code, out, _ = _run(capsys, *agent, "klant", "zoek", "van der Berg")
    assert code == 0 and "van den Berg, Johanna" in out and "Bergh, Pieter" in out


def test_klant_zoek_bad_input_is_a_dutch_message_not_a_traceback(
    als_medewerker: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    agent = als_medewerker("kcc")
    code, _, err = _run(capsys, *agent, "klant", "zoek", "123456789")
    assert code == 2 and "elfproef" in err and "Traceback" not in err
    code, _, err = _run(capsys, *agent, "klant", "toon", "geen-id")
    assert code == 2 and "geen geldig klant-id" in err


def test_contact_refuses_a_bad_number_before_starting(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "--database", database_url, "contact", "--nummer", "06-12")
    assert code == 2 and "te kort" in err
    code, _, err = _run(capsys, "--database", database_url, "contact", "--kanaal", "fax")
    assert code == 1 and "Onbekend kanaal" in err


def test_kennisbank_zoek_prints_ranked_results_with_scores(
    engine: Engine, als_medewerker: Any, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    agent = als_medewerker("kcc")
    from kiss.db import session_scope
    from kiss.services.kennisbank.artikelen import importeer_artikelen
    from kiss.services.kennisbank.formaat import ArtikelData

    with session_scope(engine) as session:
        importeer_artikelen(session, [
            ArtikelData("paspoort", "Paspoort aanvragen", trefwoorden=["reisdocument"]),
            ArtikelData("strand", "Parkeren aan het strand", gemeenten=["Zandvoort"]),
            ArtikelData("oud", "Paspoort (oude regeling)", status="gearchiveerd"),
        ])  # fmt: skip
    code, out, _ = _run(capsys, *agent, "kennisbank", "zoek", "pasport", "--json")
    resultaten = json.loads(out)["treffers"]
    assert code == 0 and [r["titel"] for r in resultaten] == ["Paspoort aanvragen"]
    assert resultaten[0]["score"] > 0 and resultaten[0]["sleutel"] == "paspoort"
    code, out, _ = _run(capsys, *agent, "kennisbank", "zoek", "parkeren",
                        "--gemeente", "Haarlem")  # fmt: skip
    assert "Geen passend artikel gevonden" in out and "strand" not in out
    code, out, _ = _run(capsys, *agent, "kennisbank", "zoek", 'NEAR( "x*')
    assert code == 0
