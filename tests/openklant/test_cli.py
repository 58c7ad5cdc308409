"""``kiss openklant sync / status / opnieuw / export``: for cron and for the beheerder."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from openapi_core.testing import MockRequest
from sqlalchemy import Engine, update

from kiss.cli import main
from kiss.db import session_scope
from kiss.models import Klant
from kiss.services.openklant.config import OpenklantConfig
from kiss.services.terugbel import terugbelnotities
from tests.openklant.register import BASIS, FakeOpenKlant, api
from tests.openklant.test_verzenden import SETTINGS, _contact
from tests.services.test_terugbelnotities import VRIJDAG, invoer_voor, terugbel_wereld


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_not_configured_is_a_dutch_message(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KISS_OPENKLANT_URL", raising=False)
    code, _, err = _run(capsys, "--database", database_url, "openklant", "sync")
    assert code == 2 and "Open Klant is niet ingesteld" in err
    code, out, _ = _run(capsys, "--database", database_url, "openklant", "status")
    assert code == 0 and "Open Klant: uit" in out


def test_sync_and_status_for_cron_and_beheerder_never_show_the_token(
    engine: Engine,
    database_url: str,
    register: FakeOpenKlant,
    ok_config: OpenklantConfig,
    capsys: pytest.CaptureFixture[str],
    als_medewerker: Any,
) -> None:
    tw = terugbel_wereld(engine)
    _contact(engine, tw)
    with session_scope(engine) as session:  # an old record with a BSN that fails the 11-proef
        session.execute(update(Klant).where(Klant.id == tw.w.bergh.id).values(bsn="123456789"))
    with session_scope(engine) as session:
        terugbelnotities.maak_terugbelnotitie(
            session, tw.w.agent, invoer_voor(tw, klant_id=tw.w.bergh.id), VRIJDAG, SETTINGS
        )
    db = ["--database", database_url]
    code, out, _ = _run(capsys, *db, "openklant", "status", "--json")
    stand = json.loads(out)
    assert code == 0 and stand["wachtend"] == 2 and stand["instelling"]["token"] is True

    code, out, err = _run(capsys, *db, "openklant", "sync")
    assert code == 1  # something was parked: cron mails the beheerder
    assert "Verzonden: 1, later opnieuw: 0, geparkeerd: 1." in out
    assert "Ongeldig Burgerservicenummer" in out

    code, out, _ = _run(capsys, *db, "openklant", "status")
    assert "Wachtend: 0" in out and "Geparkeerd: 1" in out
    assert "Ongeldig Burgerservicenummer" in out and "laatste succes: nog nooit" not in out
    assert register.token not in out + err

    code, out, _ = _run(capsys, *db, "openklant", "status", "--json")
    [geparkeerd] = json.loads(out)["geparkeerd"]
    assert register.token not in out

    # the beheerder fixes the BSN and offers the item again
    with session_scope(engine) as session:
        session.execute(update(Klant).where(Klant.id == tw.w.bergh.id).values(bsn="999990032"))
    code, _, err = _run(capsys, *db, "openklant", "opnieuw", geparkeerd["id"])
    assert code == 2  # not logged in as beheerder
    beheerder = als_medewerker("beheerder")
    code, out, err = _run(capsys, *beheerder, "openklant", "opnieuw", geparkeerd["id"])
    print(err)
    assert code == 0 and "weer in de wachtrij" in out
    code, out, _ = _run(capsys, *db, "openklant", "sync", "--json")
    assert code == 0 and json.loads(out)["verzonden"] == 1, out
    code, _, err = _run(capsys, *beheerder, "openklant", "opnieuw", str(uuid.uuid4()))
    assert code == 1 and "geen geparkeerd bericht" in err


def test_export_writes_objects_the_api_accepts(
    engine: Engine,
    register: FakeOpenKlant,
    ok_config: OpenklantConfig,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    als_medewerker: Any,
) -> None:
    tw = terugbel_wereld(engine)
    vragen = _contact(engine, tw, vragen=2)
    _contact(engine, tw, klant=False)
    with session_scope(engine) as session:
        notitie = terugbelnotities.maak_terugbelnotitie(
            session, tw.w.agent, invoer_voor(tw, contactmoment_id=vragen[0]), VRIJDAG, SETTINGS
        )
    with session_scope(engine) as session:
        terugbelnotities.log_poging(session, tw.backoffice, notitie.id, False, "", VRIJDAG)
    doel = tmp_path / "export.json"
    beheerder = als_medewerker("beheerder")
    code, out, err = _run(
        capsys, *beheerder, "openklant", "export", "--van", "2026-10-09", "--tot", "09-10-2026",
        str(doel),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(doel.read_text(encoding="utf-8"))
    paden = [o["pad"] for o in data["objecten"]]
    assert paden.count("/partijen") == 1
    assert paden.count("/maak-klantcontact") == 4  # 2 questions, anonymous, 1 attempt
    assert paden.count("/internetaken") == 1
    for obj in data["objecten"]:
        verzoek = MockRequest(
            "http://127.0.0.1",
            "post",
            BASIS + obj["pad"],
            data=json.dumps(obj["body"]).encode(),
            headers={"Authorization": "Token x"},
        )
        assert not api().unmarshal_request(verzoek).errors, obj
    assert f"{data['aantal']} objecten geschreven" in out

    code, _, err = _run(capsys, *beheerder, "openklant", "export", "--van", "2026-10-09",
                        "--tot", "2026-10-01", str(doel))  # fmt: skip
    assert code == 2 and "vóór" in err
    agent = als_medewerker("kcc")
    code, _, err = _run(capsys, *agent, "openklant", "export", "--van", "2026-10-09",
                        "--tot", "2026-10-09", str(doel))  # fmt: skip
    assert code == 2
