"""kiss beheer export/import: beheerders only, Dutch messages, audited, a round trip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from kiss.cli import main
from kiss.db import make_engine
from kiss.models import Auditregel
from kiss.services.beheer import instellingen
from tests.factories import bouw_wereld


def test_agent_is_refused_with_exit_2(
    database_url: str, als_medewerker: Callable[..., list[str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    agent = als_medewerker("kcc")
    assert main([*agent, "beheer", "export", str(tmp_path / "x.toml")]) == 2
    assert "geen rechten" in capsys.readouterr().err
    (tmp_path / "y.toml").write_text("kanalen = ['telefoon']\n", encoding="utf-8")
    assert main([*agent, "beheer", "import", str(tmp_path / "y.toml")]) == 2


def test_import_an_old_kiss_toml_then_export_round_trip(
    database_url: str, als_medewerker: Callable[..., list[str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    engine = make_engine(database_url)
    bouw_wereld(engine)
    beheerder = als_medewerker("beheerder")
    oud = tmp_path / "kiss.toml"
    oud.write_text(
        'database_url = "sqlite:///ergens.db"\n'
        'kanalen = ["telefoon", "balie", "e-mail"]\n'
        "[servicenorm]\nuren = 36\nextra_sluitingsdagen = [2026-05-15]\n"
        "[[gespreksresultaten]]\ncode = 'afgehandeld'\nlabel = 'Klaar'\nafgehandeld = true\n"
        "[[gespreksresultaten]]\ncode = 'doorverbonden'\nlabel = 'Doorverbonden'\n"
        "[[gespreksresultaten]]\ncode = 'terugbelnotitie gemaakt'\nlabel = 'Terugbellen'\n"
        "afdeling_verplicht = false\n",
        encoding="utf-8",
    )
    assert main([*beheerder, "beheer", "import", str(oud), "--droog"]) == 0
    assert "niets opgeslagen" in capsys.readouterr().out
    assert main([*beheerder, "beheer", "import", str(oud)]) == 0
    uit = capsys.readouterr().out
    assert "servicenorm.uren: 48 → 36" in uit and "versie 1" in uit

    export = tmp_path / "export.toml"
    assert main([*beheerder, "beheer", "export", str(export)]) == 0
    with Session(engine) as session:
        stand = instellingen.laad(session)
        assert stand is not None
        assert instellingen.uit_toml(export.read_text(encoding="utf-8")) == stand.organisatie
        actie = instellingen.INSTELLINGEN_GEWIJZIGD
        regels = session.execute(
            select(Auditregel.details).where(Auditregel.actie == actie)
        ).scalars().all()  # fmt: skip
    assert any("servicenorm.uren: 48 → 36" in r for r in regels)
    assert main([*beheerder, "beheer", "import", str(export)]) == 0
    assert "Niets gewijzigd" in capsys.readouterr().out
    engine.dispose()


def test_bad_file_is_named_per_setting(
    database_url: str, als_medewerker: Callable[..., list[str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    beheerder = als_medewerker("beheerder")
    pad = tmp_path / "fout.toml"
    pad.write_text("[servicenorm]\nuren = 0\nsoort = 'maanden'\n", encoding="utf-8")
    assert main([*beheerder, "beheer", "import", str(pad)]) == 2
    fout = capsys.readouterr().err
    assert "servicenorm.uren" in fout and "servicenorm.soort" in fout
    assert "Traceback" not in fout
    pad.write_text("uren = = 3", encoding="utf-8")
    assert main([*beheerder, "beheer", "import", str(pad)]) == 2
    assert "Geen geldige TOML" in capsys.readouterr().err


def test_cli_commands_use_the_organisations_settings(
    database_url: str, als_medewerker: Callable[..., list[str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    beheerder = als_medewerker("beheerder")
    pad = tmp_path / "norm.toml"
    pad.write_text("[servicenorm]\nuren = 24\nsoort = 'kalender'\n", encoding="utf-8")
    assert main([*beheerder, "beheer", "import", str(pad)]) == 0
    capsys.readouterr()
    vanaf = ["terugbel", "deadline", "--vanaf", "2026-12-24T10:00", "--json"]
    assert main([*beheerder, *vanaf]) == 0
    uit = capsys.readouterr().out
    assert '"uren": 24' in uit and '"deadline": "2026-12-25T10:00:00+01:00"' in uit
