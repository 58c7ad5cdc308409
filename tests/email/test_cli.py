"""``kiss email``: one fetch round, the queue, templates (redacteur only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from kiss.cli import main
from tests.email.conftest import Imap
from tests.email.test_mailbox import _mail
from tests.factories import bouw_wereld


def test_ophalen_en_de_wachtrij(
    als_medewerker: Any,
    engine: Engine,
    postvak: Imap,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bouw_wereld(engine)
    instellingen = postvak.instellingen()
    for sleutel, waarde in {
        "IMAP_HOST": instellingen.imap_host, "IMAP_POORT": str(instellingen.imap_poort),
        "GEBRUIKER": instellingen.gebruiker, "WACHTWOORD": instellingen.wachtwoord,
        "CA_BESTAND": instellingen.ca_bestand, "MAP": instellingen.map,
        "ADRES": instellingen.adres,
    }.items():  # fmt: skip
        monkeypatch.setenv(f"KISS_EMAIL_{sleutel}", waarde)
    postvak.bezorg(_mail())
    beheerder = als_medewerker("beheerder", naam="bh")
    capsys.readouterr()
    assert main([*beheerder, "email", "ophalen"]) == 0
    assert "1 nieuw" in capsys.readouterr().out
    assert main([*als_medewerker("kcc", naam="kc"), "email", "wachtrij", "--json"]) == 0
    (regel,) = json.loads(capsys.readouterr().out)
    assert regel["onderwerp"] == "Vraag over mijn paspoort"
    assert main([*beheerder, "email", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["uitgaand"]["wachtend"] == 1  # the confirmation, waiting for kiss dienst
    assert list(status["opgehaald"]) == [instellingen.map]
    monkeypatch.setenv("KISS_EMAIL_WACHTWOORD", "fout-geheim")
    assert main([*beheerder, "email", "ophalen"]) == 1
    fout = capsys.readouterr().err
    assert "Aanmelden bij mailbox" in fout and "fout-geheim" not in fout


def test_sjablonen_alleen_voor_de_redacteur(
    als_medewerker: Any, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bouw_wereld(engine)
    tekst = tmp_path / "afval.txt"
    tekst.write_text("Beste {naam},\n\nDe container komt vóór {deadline}.\n", encoding="utf-8")
    assert main([*als_medewerker("kcc", naam="kc"), "email", "sjabloon", "zet", "Afval",
                 "--bestand", str(tekst)]) == 2  # fmt: skip
    assert "geen rechten" in capsys.readouterr().err.lower()
    redacteur = als_medewerker("redacteur", naam="rd")
    assert main([*redacteur, "email", "sjabloon", "zet", "Afval", "--bestand", str(tekst)]) == 0
    assert main([*redacteur, "email", "sjabloon", "lijst", "--json"]) == 0
    capsys.readouterr()
    assert main([*redacteur, "email", "sjabloon", "lijst", "--json"]) == 0
    (sjabloon,) = json.loads(capsys.readouterr().out)
    assert sjabloon["naam"] == "Afval" and "{deadline}" in sjabloon["tekst"]
