"""``kiss kennisbank zoek --json`` (sleutel, soort, the no-answer verdict) and ``kiss kennisbank
evalueer`` on a small question file with a known outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from kiss.cli import main
from kiss.db import session_scope
from kiss.services.kennisbank.artikelen import importeer_artikelen
from kiss.services.kennisbank.formaat import ArtikelData


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def agent(engine: Engine, als_medewerker: Any) -> list[str]:
    with session_scope(engine) as session:
        importeer_artikelen(session, [
            ArtikelData("paspoort", "Paspoort aanvragen", trefwoorden=["reisdocument"]),
            ArtikelData("strand", "Parkeren aan het strand", gemeenten=["Zandvoort"]),
            ArtikelData("grofvuil", "Grofvuil laten ophalen", trefwoorden=["bank", "matras"]),
        ])  # fmt: skip
    return als_medewerker("kcc")


def test_zoek_json_names_the_sleutel_and_says_when_nothing_fits(
    agent: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, *agent, "kennisbank", "zoek", "pasport", "--json")
    resultaat = json.loads(out)
    assert code == 0 and not resultaat["geen_goed_antwoord"]
    assert resultaat["treffers"][0]["sleutel"] == "paspoort"
    code, out, _ = _run(capsys, *agent, "kennisbank", "zoek", "xqzzyv", "--json")
    assert json.loads(out)["geen_goed_antwoord"] is True


def _werkinstructie(engine: Engine) -> str:
    """A published werkinstructie about grofvuil; its id."""
    from datetime import timedelta

    from kiss.models import Medewerker, utcnow
    from kiss.services.beheer import nieuws

    with session_scope(engine) as session:
        redacteur = Medewerker(gebruikersnaam="redactie", achternaam="Dactie", rollen="redacteur")
        session.add(redacteur)
        session.flush()
        return str(nieuws.bewaar(session, redacteur, nieuws.NieuwsInvoer(
            "Grofvuil tijdelijk niet bij de milieustraat", "Verwijs naar de ophaaldienst.",
            soort="werkinstructie", publiceren_van=utcnow() - timedelta(minutes=1),
        ), nu=utcnow()).id)  # fmt: skip


def test_zoek_shows_a_werkinstructie_with_its_soort(
    engine: Engine, agent: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    item = _werkinstructie(engine)
    code, out, _ = _run(capsys, *agent, "kennisbank", "zoek", "grofvuil", "--json")
    treffers = json.loads(out)["treffers"]
    assert code == 0
    assert {(t["soort"], t["sleutel"]) for t in treffers} == {
        ("artikel", "grofvuil"), ("werkinstructie", f"nieuws:{item}"),
    }  # fmt: skip
    code, out, _ = _run(capsys, *agent, "kennisbank", "zoek", "milieustraat")
    assert code == 0 and "[werkinstructie] Grofvuil tijdelijk niet bij de milieustraat" in out


def test_evalueer_reports_ranks_and_mrr_per_category(
    agent: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vragen = tmp_path / "vragen.jsonl"
    vragen.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"vraag": "pasport", "verwacht": ["paspoort"], "categorie": "typfout"},
                {"vraag": "parkeren", "verwacht": ["strand"], "gemeente": "Haarlem",
                 "categorie": "kort"},
                {"vraag": "xqzzyv", "verwacht": [], "categorie": "geen"},
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    code, out, _ = _run(capsys, *agent, "kennisbank", "evalueer", str(vragen), "--json")
    assert code == 0
    data = json.loads(out)
    assert [v["rang"] for v in data["vragen"]] == [1, None, None]
    assert data["vragen"][0]["sleutels"][0] == "paspoort"
    assert "strand" not in data["vragen"][1]["sleutels"]  # Zandvoort only
    cat = data["categorieen"]
    assert cat["typfout"]["mrr_10"] == 1.0 and cat["kort"]["mrr_10"] == 0.0
    assert cat["geen"]["geen_antwoord_herkend"] == 1.0
    assert cat["totaal"]["mrr_10"] == 0.5 and cat["totaal"]["recall_1"] == 0.5
    code, out, _ = _run(capsys, *agent, "kennisbank", "evalueer", str(vragen))
    assert code == 0 and "MRR@10" in out and "totaal" in out and "0.500" in out


def test_evalueer_names_the_broken_line(
    agent: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vragen = tmp_path / "kapot.jsonl"
    vragen.write_text('{"vraag": "paspoort", "verwacht": ["paspoort"]}\n{kapot\n', "utf-8")
    code, _, err = _run(capsys, *agent, "kennisbank", "evalueer", str(vragen))
    assert code == 2 and "regel 2" in err
    code, _, err = _run(capsys, *agent, "kennisbank", "evalueer", str(tmp_path / "nee.jsonl"))
    assert code == 1 and "bestaat niet" in err


def test_indexeer_computes_every_article_vector(
    agent: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, *agent, "kennisbank", "indexeer")
    assert code == 0 and "3 artikelen en 0 nieuwsberichten of werkinstructies, 3 vectoren" in out


def test_indexeer_counts_news_items_apart_from_articles(
    engine: Engine, agent: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _werkinstructie(engine)
    code, out, _ = _run(capsys, *agent, "kennisbank", "indexeer")
    assert code == 0
    assert "3 artikelen en 1 nieuwsbericht of werkinstructie, 4 vectoren" in out
