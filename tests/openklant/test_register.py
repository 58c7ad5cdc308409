"""The fake register itself enforces what a real Open Klant 2.18 does, so KISS passing against
it means something: every rule below is refused with a Dutch reason in invalidParams."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest

from kiss.services.openklant.client import OpenklantClient, RegisterStoring, RegisterWeigering
from kiss.services.openklant.config import OpenklantConfig
from tests.openklant.register import FakeOpenKlant


@pytest.fixture
def client(register: FakeOpenKlant) -> OpenklantClient:
    return OpenklantClient(OpenklantConfig(url=register.url, token=register.token, timeout=5))


def _persoon(bsn: str) -> dict[str, Any]:
    return {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatoren": [
            {"partijIdentificator": {"codeObjecttype": "natuurlijk_persoon",
             "codeSoortObjectId": "bsn", "objectId": bsn, "codeRegister": "brp"}}
        ],
    }  # fmt: skip


def _weigering(functie: Any) -> RegisterWeigering:
    with pytest.raises(RegisterWeigering) as info:
        functie()
    return info.value


def test_rules_of_a_real_open_klant(client: OpenklantClient, register: FakeOpenKlant) -> None:
    partij = client.post("partijen", _persoon("999990019"))
    assert "elfproef" in _weigering(lambda: client.post("partijen", _persoon("123456789"))).reden
    assert "bestaat al" in _weigering(lambda: client.post("partijen", _persoon("999990019"))).reden
    adres = {"adres": "+31612345678", "soortDigitaalAdres": "telefoonnummer"}
    fout = _weigering(lambda: client.post("digitaleadressen", adres))
    assert fout.velden == {"verstrektDoorPartij": "Dit veld is vereist."}
    for nummer in ("0800-1234567", "+31800123456", "0900123456", "14023", "06 12345678"):
        fout = _weigering(
            lambda n=nummer: client.post(
                "digitaleadressen", {**adres, "adres": n, "verstrektDoorPartij": None}
            )
        )
        assert "telefoonnummer is ongeldig" in fout.velden["adres"]
    link = _weigering(
        lambda: client.post(
            "digitaleadressen",
            {**adres, "verstrektDoorPartij": {"uuid": partij["uuid"], "url": partij["url"]}},
        )
    )
    assert link.status == 400  # a link is {"uuid": …} only (the spec marks url read-only)
    register.spec_fouten.clear()
    medewerker = {"naam": "Anna", "soortActor": "medewerker",
                  "actorIdentificatie": {"functie": "KCC"}}  # fmt: skip
    assert "telefoonnummer" in _weigering(lambda: client.post("actoren", medewerker)).reden
    kc = client.post(
        "klantcontacten",
        {"kanaal": "telefoon", "onderwerp": "x", "taal": "nld", "vertrouwelijk": False},
    )
    actor = client.post(
        "actoren", {"naam": "Burgerzaken", "soortActor": "organisatorische_eenheid"}
    )
    taak = {
        "aanleidinggevendKlantcontact": {"uuid": kc["uuid"]},
        "gevraagdeHandeling": "Bellen",
        "toegewezenAanActoren": [{"uuid": actor["uuid"]}],
        "status": "te_verwerken",
    }
    assert (
        "afgehandeldOp"
        in _weigering(
            lambda: client.post("internetaken", {**taak, "afgehandeldOp": "2026-10-09T10:00:00Z"})
        ).velden
    )
    assert (
        "toegewezenAanActoren"
        in _weigering(
            lambda: client.post("internetaken", {**taak, "toegewezenAanActoren": []})
        ).velden
    )
    gemaakt = client.post("internetaken", taak)
    assert gemaakt["afgehandeldOp"] is None
    assert client.patch(f"internetaken/{gemaakt['uuid']}", {"status": "verwerkt"})["afgehandeldOp"]


def test_trailing_slash_wrong_token_and_schema_errors(
    client: OpenklantClient, register: FakeOpenKlant
) -> None:
    verzoek = urllib.request.Request(
        register.url + "/partijen/", headers={"Authorization": f"Token {register.token}"}
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(verzoek, timeout=5)
    assert info.value.code == 404  # no trailing slash, like the real one
    assert client.get("partijen")["count"] == 0  # the client never adds one
    verkeerd = OpenklantClient(OpenklantConfig(url=register.url, token="fout", timeout=5))
    with pytest.raises(RegisterStoring, match="controleer het token") as storing:
        verkeerd.get("partijen")
    assert register.token not in str(storing.value)
    fout = _weigering(lambda: client.post("klantcontacten", {"kanaal": "telefoon", "taal": "nl"}))
    assert fout.status == 400
    assert register.spec_fouten  # the schema caught the missing onderwerp/vertrouwelijk
