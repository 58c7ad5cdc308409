"""Kennisbank import/export (Markdown + TOML front matter, JSON Lines), edits and feedback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Afdeling, Kennisartikel, Medewerker
from kiss.rollen import GeenToegang
from kiss.services.kennisbank import artikelen
from kiss.services.kennisbank.formaat import lees_pad
from kiss.validation import InvoerFouten

GOED = """+++
sleutel = "paspoort-aanvragen"
titel = "Paspoort aanvragen"
samenvatting = "Een paspoort vraagt u aan bij de balie."
trefwoorden = ["paspoort", "reisdocument"]
synoniemen = ["reispas"]
afdeling = "Burgerzaken"
gemeenten = []
status = "gepubliceerd"
laatst_gecontroleerd_op = 2026-10-01
werkinstructie = \"\"\"Controleer of de klant een afspraak heeft.\"\"\"

[[vragen]]
vraag = "Hoe lang is een paspoort geldig?"
antwoord = "Tien jaar voor volwassenen."
+++
## Aanvraag
Maak een afspraak en neem een pasfoto mee.
"""


def _map(tmp_path: Path, bestanden: dict[str, str]) -> Path:
    map_ = tmp_path / "kb"
    map_.mkdir(exist_ok=True)
    for naam, tekst in bestanden.items():
        (map_ / naam).write_text(tekst, encoding="utf-8")
    return map_


def test_import_markdown_with_front_matter(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        session.add(Afdeling(naam="Burgerzaken"))
    with session_scope(engine) as session:
        verslag = artikelen.importeer_pad(session, _map(tmp_path, {"paspoort.md": GOED}))
    assert verslag.toegevoegd == ["paspoort-aanvragen"] and not verslag.fouten
    with Session(engine) as session:
        artikel = session.execute(select(Kennisartikel)).scalar_one()
        afdeling = session.execute(select(Afdeling)).scalar_one()
    assert artikel.titel == "Paspoort aanvragen" and artikel.afdeling_id == afdeling.id
    assert artikel.vragen == [{"vraag": "Hoe lang is een paspoort geldig?",
                               "antwoord": "Tien jaar voor volwassenen."}]  # fmt: skip
    assert artikel.inhoud.startswith("## Aanvraag") and "afspraak" in artikel.werkinstructie
    assert str(artikel.laatst_gecontroleerd_op) == "2026-10-01"


def test_reimport_updates_by_key_and_reports(engine: Engine, tmp_path: Path) -> None:
    map_ = _map(tmp_path, {"paspoort.md": GOED})
    with session_scope(engine) as session:
        artikelen.importeer_pad(session, map_)
    with session_scope(engine) as session:
        assert artikelen.importeer_pad(session, map_).ongewijzigd == ["paspoort-aanvragen"]
    _map(
        tmp_path,
        {"paspoort.md": GOED.replace("Paspoort aanvragen", "Paspoort aanvragen of verlengen")},
    )
    with session_scope(engine) as session:
        assert artikelen.importeer_pad(session, map_).bijgewerkt == ["paspoort-aanvragen"]
    with Session(engine) as session:
        titels = session.execute(select(Kennisartikel.titel)).scalars().all()
    assert titels == ["Paspoort aanvragen of verlengen"]


@pytest.mark.parametrize(
    ("tekst", "regel", "fragment"),
    [
        ("geen front matter", 1, "begint niet met"),
        ('+++\nsleutel = "x"\ntitel = "Y"\n', None, "afsluitende"),
        ('+++\nsleutel = "x"\ntitel = \nstatus = "concept"\n+++\nbody', 3, "TOML-fout"),
        ('+++\nsleutel = "x"\n+++\nbody', None, "'titel' ontbreekt"),
        ('+++\nsleutel = "x"\ntitel = "Y"\nstatus = "weg"\n+++\n', None, "status 'weg'"),
        ('+++\nsleutel = "x"\ntitel = "Y"\ntrefwoorden = "los"\n+++\n', None, "lijst"),
        ('+++\nsleutel = "x"\ntitel = "Y"\nkleur = "rood"\n+++\n', None, "onbekend veld"),
    ],
)
def test_broken_file_is_reported_by_name_and_line_and_not_imported(
    tmp_path: Path, tekst: str, regel: int | None, fragment: str
) -> None:
    gelezen = lees_pad(_map(tmp_path, {"kapot.md": tekst, "paspoort.md": GOED}))
    assert [a.sleutel for a in gelezen.artikelen] == ["paspoort-aanvragen"]
    (fout,) = gelezen.fouten
    assert fout.bestand == "kapot.md" and fout.regel == regel and fragment in fout.melding


def test_jsonl_error_names_the_line_and_skips_the_whole_file(tmp_path: Path) -> None:
    goed = json.dumps({"sleutel": "a", "titel": "A"})
    (tmp_path / "k.jsonl").write_text(goed + "\n{kapot\n", encoding="utf-8")
    gelezen = lees_pad(tmp_path / "k.jsonl")
    assert gelezen.artikelen == []
    assert gelezen.fouten[0].regel == 2 and "k.jsonl" in str(gelezen.fouten[0])


def test_export_and_reimport_round_trip_both_formats(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        session.add(Afdeling(naam="Burgerzaken"))
        artikelen.importeer_pad(session, _map(tmp_path, {"paspoort.md": GOED}))
    with Session(engine) as session:
        assert artikelen.exporteer(session, tmp_path / "uit") == 1
        assert artikelen.exporteer(session, tmp_path / "uit.jsonl") == 1
    md = lees_pad(tmp_path / "uit")
    jl = lees_pad(tmp_path / "uit.jsonl")
    origineel = lees_pad(tmp_path / "kb")
    assert not md.fouten and not jl.fouten
    assert md.artikelen[0] == origineel.artikelen[0] == jl.artikelen[0]


def test_only_redacteuren_edit_and_feedback_lands_in_their_list(
    engine: Engine, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        agent = Medewerker(achternaam="Agent", rollen="kcc")
        redacteur = Medewerker(achternaam="Redacteur", rollen="redacteur")
        session.add_all([agent, redacteur])
        artikelen.importeer_pad(session, _map(tmp_path, {"paspoort.md": GOED}))
    with Session(engine) as session:
        artikel = session.execute(select(Kennisartikel)).scalar_one()
        data = artikelen.naar_data(session, artikel)
    data.samenvatting = "Nieuwe samenvatting."
    with pytest.raises(GeenToegang), session_scope(engine) as session:
        artikelen.bewerk_artikel(session, agent, artikel.id, data)
    with session_scope(engine) as session:
        artikelen.bewerk_artikel(session, redacteur, artikel.id, data)
    with pytest.raises(InvoerFouten) as fout, session_scope(engine) as session:
        artikelen.geef_feedback(session, agent, artikel.id, "kapot", "")
    assert set(fout.value.fouten) == {"soort", "notitie"}
    with session_scope(engine) as session:
        artikelen.geef_feedback(session, agent, artikel.id, "verouderd", "Tarief is gewijzigd.")
    with Session(engine) as session:
        lijst = artikelen.open_feedback(session)
        assert session.get(Kennisartikel, artikel.id).samenvatting == "Nieuwe samenvatting."  # type: ignore[union-attr]
    assert [(f.soort, f.van, f.artikel_titel) for f in lijst] == [
        ("Verouderd", "Agent", "Paspoort aanvragen")
    ]
    with session_scope(engine) as session:
        artikelen.handel_feedback_af(session, redacteur, lijst[0].id)
    with Session(engine) as session:
        assert artikelen.open_feedback(session) == []


def test_a_bom_from_a_windows_editor_is_fine(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(GOED, encoding="utf-8-sig")
    gelezen = lees_pad(tmp_path)
    assert not gelezen.fouten and gelezen.artikelen[0].sleutel == "paspoort-aanvragen"


def test_the_same_sleutel_twice_is_refused_not_overwritten(tmp_path: Path) -> None:
    map_ = _map(tmp_path, {"a.md": GOED, "b.md": GOED.replace("Paspoort aanvragen", "Ander")})
    dubbel = json.dumps({"sleutel": "x", "titel": "X"})
    (map_ / "c.jsonl").write_text(dubbel + "\n" + dubbel + "\n", encoding="utf-8")
    gelezen = lees_pad(map_)
    assert [a.titel for a in gelezen.artikelen] == ["Paspoort aanvragen"]
    meldingen = sorted(str(f) for f in gelezen.fouten)
    assert meldingen == [
        "b.md: sleutel 'paspoort-aanvragen' staat ook in a.md",
        "c.jsonl: sleutel 'x' komt twee keer voor",
    ]
