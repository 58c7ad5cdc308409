"""The workstation's kiss.toml and KISS_* variables: bad values give a Dutch message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiss.cli import main
from kiss.config import ConfigFout, load_settings


def test_invalid_servicenorm_uren_in_environment_is_a_dutch_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KISS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KISS_SERVICENORM_UREN", "abc")
    with pytest.raises(ConfigFout, match="KISS_SERVICENORM_UREN") as fout:
        load_settings()
    assert "abc" in str(fout.value) and "Traceback" not in str(fout.value)


def test_cli_with_invalid_environment_value_exits_with_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KISS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KISS_SERVICENORM_UREN", "abc")
    code = main(["terugbel", "deadline", "--vanaf", "2026-12-24T10:00"])
    fout = capsys.readouterr().err
    assert code != 0
    assert "KISS_SERVICENORM_UREN" in fout and "uren" in fout
    assert "Traceback" not in fout


@pytest.mark.parametrize(
    ("toml", "melding"),
    [
        ("[servicenorm]\nuren = 'veel'\n", "servicenorm.uren"),
        ("kanalen = 'telefoon'\n", "kanalen"),
        ("[[gespreksresultaten]]\nlabel = 'Zonder code'\n", "code"),
        ("[bewaartermijn]\naudit_dagen = 'lang'\n", "bewaartermijn.audit_dagen"),
        ("thema = 5\n", "thema"),
        ("[bindings]\nafsluiten = 3\n", "bindings"),
        ("database_url = \n", "niet te lezen"),
    ],
)
def test_invalid_toml_values_are_named_in_dutch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toml: str, melding: str
) -> None:
    monkeypatch.delenv("KISS_SERVICENORM_UREN", raising=False)
    pad = tmp_path / "kiss.toml"
    pad.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigFout, match=melding):
        load_settings(pad)
