"""The mapping rules a real Open Klant 2.18 enforces, and the configuration (token kept out of
every print)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kiss.models import DigitaalAdres
from kiss.services.openklant import config, mapping
from tests.openklant.register import telefoon_fout


@pytest.mark.parametrize(
    ("getypt", "soort", "adres"),
    [
        ("06-12345678", "telefoonnummer", "+31612345678"),
        ("0031 23 511 42 58", "telefoonnummer", "+31235114258"),
        ("+32 470 12 34 56", "telefoonnummer", "+32470123456"),
        ("0800-1234567", "overig", "0800-1234567"),
        ("0900 8844", "overig", "0900 8844"),
        ("14 023", "overig", "14 023"),
    ],
)
def test_phone_numbers_the_register_refuses_go_as_overig(
    getypt: str, soort: str, adres: str
) -> None:
    gekozen, waarde, omschrijving = mapping.telefoon_digitaal_adres(getypt, "telefoon")
    assert (gekozen, waarde) == (soort, adres)
    if soort == "telefoonnummer":
        assert telefoon_fout(waarde) is None  # the fake register's rule agrees
    else:
        assert omschrijving == "telefoon (telefoonnummer)"


def test_address_body_always_carries_verstrekt_door_partij() -> None:
    adres = DigitaalAdres(klant_id=uuid.uuid4(), soort="email", waarde="A@B.nl",
                          genormaliseerd="a@b.nl")  # fmt: skip
    body = mapping.digitaal_adres_body(adres, None)
    assert "verstrektDoorPartij" in body and body["verstrektDoorPartij"] is None
    assert body["adres"] == "a@b.nl" and body["referentie"].startswith("kiss-da-")


def test_referentienummer_is_ten_characters_and_stable() -> None:
    lokaal = uuid.uuid4()
    nummer = mapping.referentienummer("K", lokaal)
    assert len(nummer) == 10 and nummer.startswith("K") and nummer.isalnum()
    assert mapping.referentienummer("K", lokaal) == nummer


def test_config_from_environment_and_token_file_never_shows_the_token(tmp_path: Path) -> None:
    assert config.laad({}) is None
    bestand = tmp_path / "token"
    bestand.write_text("zeer-geheim\n", encoding="utf-8")
    instelling = config.laad(
        {"KISS_OPENKLANT_URL": "https://ok.example.nl/", "KISS_OPENKLANT_TOKEN_FILE": str(bestand)}
    )
    assert instelling is not None
    assert instelling.url == "https://ok.example.nl/klantinteracties/api/v1"
    assert instelling.token == "zeer-geheim"
    assert "zeer-geheim" not in repr(instelling) and "zeer-geheim" not in str(instelling)
    with pytest.raises(config.ConfigFout, match="niet te lezen"):
        config.laad({"KISS_OPENKLANT_URL": "https://x", "KISS_OPENKLANT_TOKEN_FILE": "/nee"})
    with pytest.raises(config.ConfigFout, match="http"):
        config.laad({"KISS_OPENKLANT_URL": "ok.example.nl"})
