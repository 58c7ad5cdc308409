"""``kiss smoelenboek import`` and ``kiss smoelenboek zoek`` (with --json), both backends."""

# ruff: noqa: E501  (CSV fixture rows are long by nature)

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiss.cli import main

MEDEWERKERS = """personeelsnummer,voornaam,voorvoegsel,achternaam,functie,afdeling,team,telefoon,mobiel,email,expertise,locatie,werkdagen,afwezig_van,afwezig_tot,afwezig_reden,vervanger,niet_doorverbinden,rollen
V1,Jan,van der,Berg,Vergunningverlener,Vergunningen,,023-5114001,,jan@haarlem.nl,omgevingsvergunning,Stadhuis,ma;di;wo;do,2026-06-08,2026-06-12,vakantie,V3,nee,backoffice
V2,Fatima,,El Amrani,Jurist,Onbekend,,023-5114002,,fatima@haarlem.nl,bezwaar,Zijlpoort,ma;di;wo;do;vr,,,,,ja,backoffice
V3,Piet,,Jansen,Vergunningverlener,Vergunningen,,023-5114003,,piet@haarlem.nl,omgevingsvergunning,Stadhuis,ma;di;wo;do;vr,,,,,nee,backoffice
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _map(tmp_path: Path) -> Path:
    map_ = tmp_path / "sb"
    map_.mkdir()
    (map_ / "afdelingen.csv").write_text("naam,telefoon\nVergunningen,023-5115000\n")
    (map_ / "medewerkers.csv").write_text(MEDEWERKERS)
    (map_ / "externe_organisaties.csv").write_text(
        "naam,telefoon,onderwerpen\nSVB,030 264 9000,AOW;kinderbijslag\n"
    )
    return map_


def test_import_reports_rows_and_zoek_shows_presence(
    als_medewerker: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    beheerder = als_medewerker("beheerder")
    map_ = _map(tmp_path)
    code, out, _ = _run(capsys, *beheerder, "smoelenboek", "import", str(map_), "--json")
    verslag = json.loads(out)
    assert code == 0 and verslag["toegevoegd"] == 1 + 2 + 1
    assert verslag["fouten"] == [
        {"bestand": "medewerkers.csv", "regel": 3, "melding": "onbekende afdeling 'Onbekend'"}
    ]
    code, out, _ = _run(capsys, *beheerder, "smoelenboek", "import", str(map_))
    assert code == 0 and "0 toegevoegd" in out and "4 ongewijzigd" in out
    assert "medewerkers.csv, regel 3: onbekende afdeling 'Onbekend'" in out

    code, out, _ = _run(
        capsys, *beheerder, "smoelenboek", "zoek", "van der Berg",
        "--datum", "2026-06-10", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["datum"] == "2026-06-10"
    namen = [t["naam"] for t in data["treffers"]]
    jan = data["treffers"][namen.index("Jan van der Berg")]
    assert jan["aanwezigheid"]["status"] == "afwezig" and jan["telefoon"] == "023 511 4001"
    assert jan["vervanger"]["naam"] == "Piet Jansen"
    assert data["treffers"][namen.index("Jan van der Berg") - 1]["vervangt"] == "Jan van der Berg"

    code, out, _ = _run(
        capsys, *beheerder, "smoelenboek", "zoek", "030-2649000", "--datum",
        "2026-06-10",
    )  # fmt: skip
    assert code == 0 and out.startswith("SVB") and "kinderbijslag" in out

    code, _, err = _run(capsys, *beheerder, "smoelenboek", "zoek", "qqqxyz")
    assert code == 1 and "Niets gevonden" in err


def test_broken_file_gives_exit_code_2(
    als_medewerker: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    beheerder = als_medewerker("beheerder")
    map_ = _map(tmp_path)
    (map_ / "medewerkers.csv").write_bytes(
        b"personeelsnummer,voornaam,achternaam,afdeling\nV1,J\xe9,X,Y\n"
    )
    code, out, _ = _run(capsys, *beheerder, "smoelenboek", "import", str(map_))
    assert code == 2
    assert "medewerkers.csv, regel 2: geen UTF-8-tekst" in out and "niets uit dit bestand" in out
    code, _, err = _run(capsys, *beheerder, "smoelenboek", "import", str(tmp_path / "nee"))
    assert code == 1 and "bestaat niet" in err
