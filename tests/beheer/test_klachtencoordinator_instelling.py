"""The klachtencoördinator setting: checked against the smoelenboek with a Dutch message that
names the wrong value, audited like every setting, carried by kiss beheer export/import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.cli import main
from kiss.config import Doelverwijzing, Organisatie
from kiss.db import make_engine, session_scope
from kiss.models import Afdeling, Auditregel, Team
from kiss.services.beheer import instellingen
from kiss.validation import InvoerFouten
from tests.beheer.conftest import bouw_beheerwereld, meld_aan, werkplek


def _klachtenteam(engine: Engine) -> None:
    with session_scope(engine) as session:
        bestuur = Afdeling(naam="Bestuurszaken")
        session.add(bestuur)
        session.flush()
        session.add(Team(naam="Klachten", afdeling_id=bestuur.id))


def test_unknown_target_is_named_in_dutch_and_nothing_is_saved(
    engine: Engine, tmp_path: Path
) -> None:
    bouw_beheerwereld(engine)
    _klachtenteam(engine)
    beheer = werkplek(engine, tmp_path)
    meld_aan(beheer, "beheer")

    with pytest.raises(InvoerFouten) as fout:  # the F7 text, checked before the confirmation
        beheer.beheer.lees_toml('[klachtencoordinator]\nteam = "Klachtn"\n')
    assert fout.value.fouten == {
        "klachtencoordinator.team": "Team 'Klachtn' bestaat niet in het smoelenboek. "
        "Bedoelt u 'Klachten'?"
    }
    with pytest.raises(InvoerFouten) as fout:
        beheer.beheer.bewaar(
            replace(Organisatie(), klachtencoordinator=Doelverwijzing("medewerker", "nobody")),
            0,
        )
    assert "Medewerker 'nobody' bestaat niet" in fout.value.fouten["klachtencoordinator.medewerker"]
    with pytest.raises(InvoerFouten) as fout:
        beheer.beheer.lees_toml(
            '[klachtencoordinator]\nteam = "Klachten"\nafdeling = "Bestuurszaken"\n'
        )
    assert "vul één van afdeling, team of medewerker in" in fout.value.fouten["klachtencoordinator"]
    with pytest.raises(InvoerFouten) as fout:
        beheer.beheer.lees_toml('[klachtencoordinator]\nploeg = "Klachten"\n')
    assert "onbekende sleutel" in fout.value.fouten["klachtencoordinator.ploeg"]
    assert beheer.beheer.instellingen().versie == 0

    # the existing path: saved, audited old → new, used by this desk at once
    org = beheer.beheer.lees_toml('[klachtencoordinator]\nteam = "klachten"\n')  # any case
    assert org.klachtencoordinator == Doelverwijzing("team", "klachten")
    assert beheer.beheer.bewaar(org, 0).versie == 1
    assert beheer.settings.klachtencoordinator.ingesteld
    with Session(engine) as session:
        details = session.execute(
            select(Auditregel.details).where(
                Auditregel.actie == instellingen.INSTELLINGEN_GEWIJZIGD
            )
        ).scalar_one()
    assert 'klachtencoordinator.team: "" → "klachten"' in details


def test_the_settings_text_in_f7_offers_the_klachtencoordinator_empty_by_default() -> None:
    tekst = instellingen.naar_toml(Organisatie())
    assert '[klachtencoordinator]\nafdeling = ""\nteam = ""\nmedewerker = ""\n' in tekst
    assert instellingen.uit_toml(tekst).klachtencoordinator == Doelverwijzing()
    # settings stored before this setting existed read as "not set"
    assert instellingen.uit_json({"kanalen": ["telefoon"]}).klachtencoordinator == Doelverwijzing()


def test_export_import_round_trip_keeps_the_klachtencoordinator(
    database_url: str, als_medewerker: Callable[..., list[str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    engine = make_engine(database_url)
    bouw_beheerwereld(engine)
    _klachtenteam(engine)
    beheerder = als_medewerker("beheerder")
    pad = tmp_path / "instellingen.toml"
    pad.write_text('[klachtencoordinator]\nafdeling = "Bestuurszakn"\n', encoding="utf-8")
    assert main([*beheerder, "beheer", "import", str(pad), "--droog"]) == 2
    fout = capsys.readouterr().err
    assert "klachtencoordinator.afdeling: Afdeling 'Bestuurszakn' bestaat niet" in fout
    assert "Bedoelt u 'Bestuurszaken'?" in fout and "Traceback" not in fout

    pad.write_text('[klachtencoordinator]\nteam = "Klachten"\n', encoding="utf-8")
    assert main([*beheerder, "beheer", "import", str(pad)]) == 0
    assert 'klachtencoordinator.team: "" → "Klachten"' in capsys.readouterr().out
    export = tmp_path / "export.toml"
    assert main([*beheerder, "beheer", "export", str(export)]) == 0
    tekst = export.read_text(encoding="utf-8")
    assert '[klachtencoordinator]\nafdeling = ""\nteam = "Klachten"\nmedewerker = ""' in tekst
    with Session(engine) as session:
        stand = instellingen.laad(session)
        assert stand is not None
        assert stand.organisatie.klachtencoordinator == Doelverwijzing("team", "Klachten")
        assert instellingen.uit_toml(tekst) == stand.organisatie
    capsys.readouterr()
    assert main([*beheerder, "beheer", "import", str(export)]) == 0
    assert "Niets gewijzigd" in capsys.readouterr().out
    engine.dispose()
