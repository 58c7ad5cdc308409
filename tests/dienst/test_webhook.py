"""The phone system's webhook, against ``kiss dienst`` running as a real process."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from kiss.db import read_scope
from kiss.models import Contactmoment, DienstStatus, Oproep, OproepGebeurtenis
from tests.dienst.conftest import TOKEN, Dienst, start_dienst
from tests.factories import Wereld


def test_gezondheid_and_unknown_token(dienst: Dienst) -> None:
    status, body = dienst.get("/gezondheid")
    assert status == 200 and body["status"] == "ok" and body["database"] == "ok"
    status, body = dienst.post(
        "/cti/verkeerd-token-0000000000", {"event": "newCall", "callId": "x"}, json_body=True
    )
    assert status == 401
    assert body["fout"] == "Onbekend token."


def test_malformed_input_gets_400_with_dutch_reasons(dienst: Dienst, engine: Engine) -> None:
    status, body = dienst.post(f"/cti/{TOKEN}", b"{niet: json", json_body=True)
    assert status == 400 and body["velden"]["body"] == "geen geldige JSON"
    status, body = dienst.cti(event="ophangen", callId="abc", direction="sideways")
    assert status == 400
    assert "onbekend" in body["velden"]["event"]
    assert body["velden"]["direction"] == "moet 'in' of 'out' zijn"
    status, body = dienst.post(f"/cti/{TOKEN}", [("event", "newCall")], json_body=False)
    assert status == 400 and body["velden"]["callId"] == "ontbreekt"
    with read_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Oproep)).scalar_one() == 0


def test_repeated_event_is_accepted_once(dienst: Dienst, engine: Engine, tmp_path: Path) -> None:
    formulier = [
        ("event", "newCall"), ("from", "0612345678"), ("to", "14023"), ("direction", "in"),
        ("callId", "call-1"), ("user[]", "Anna de Wit"), ("user[]", "Bram Bos"),
        ("queue", "KCC"),
    ]  # fmt: skip
    assert dienst.post(f"/cti/{TOKEN}", formulier, json_body=False) == (
        200,
        {"ok": True, "dubbel": False},
    )
    assert dienst.post(f"/cti/{TOKEN}", formulier, json_body=False) == (
        200,
        {"ok": True, "dubbel": True},
    )
    with read_scope(engine) as session:
        oproep = session.execute(select(Oproep)).scalar_one()
        assert (oproep.van, oproep.wachtrij, oproep.gebruikers) == (
            "0612345678",
            "KCC",
            "Anna de Wit;Bram Bos",
        )
        assert (
            session.execute(select(func.count()).select_from(OproepGebeurtenis)).scalar_one() == 1
        )
    log = (tmp_path / "dienst.log").read_text()
    assert "POST /cti/*** 200" in log and TOKEN not in log  # the token never reaches the log


def test_answer_starts_a_telefoon_contact_and_hangup_sets_its_times(
    dienst: Dienst, engine: Engine, wereld: Wereld
) -> None:
    basis = {"from": "31612345678", "to": "3114023", "direction": "in", "callId": "call-2"}
    assert dienst.cti(event="newCall", **basis, user=["Anna de Wit"])[0] == 200
    assert dienst.cti(event="answer", **basis, answeringNumber="2301")[0] == 200
    with read_scope(engine) as session:
        contact = session.execute(select(Contactmoment)).scalar_one()
        oproep = session.execute(select(Oproep)).scalar_one()
    assert contact.kanaal == "telefoon"
    assert contact.medewerker_id == wereld.agent.id
    assert contact.contact_nummer == "+31612345678"
    assert contact.klant_id == wereld.berg.id  # the only klant with this number
    assert contact.status == "concept"
    assert oproep.medewerker_id == wereld.agent.id and oproep.gesprek_id == contact.gesprek_id
    assert dienst.cti(event="hangup", **basis, cause="normalClearing")[0] == 200
    with read_scope(engine) as session:
        contact = session.execute(select(Contactmoment)).scalar_one()
        oproep = session.execute(select(Oproep)).scalar_one()
    assert oproep.beeindigd_op is not None and oproep.beantwoord_op is not None
    assert contact.gestart_op == oproep.beantwoord_op
    assert contact.beeindigd_op == oproep.beeindigd_op
    assert oproep.oorzaak == "normalClearing"


def test_answer_by_user_name_when_the_phone_system_sends_no_extension(
    dienst: Dienst, engine: Engine, wereld: Wereld
) -> None:
    assert dienst.cti(event="answer", callId="c3", direction="in", **{"from": "0235114258"},
                      user=["collega"])[0] == 200  # fmt: skip
    with read_scope(engine) as session:
        contact = session.execute(select(Contactmoment)).scalar_one()
    assert contact.medewerker_id == wereld.collega.id
    assert contact.klant_id == wereld.bergh.id


def test_sigterm_stops_cleanly_and_desktops_see_it(
    database_url: str, engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    lopend = start_dienst(database_url, tmp_path)
    with read_scope(engine) as session:
        status = session.get(DienstStatus, "kiss dienst")
        assert status is not None and status.gestopt_op is None
    assert lopend.stop() == 0
    with read_scope(engine) as session:
        status = session.get(DienstStatus, "kiss dienst")
        assert status is not None and status.gestopt_op is not None
        assert status.gestopt_op - status.hartslag_op < timedelta(seconds=30)
    log = (tmp_path / "dienst.log").read_text()
    assert "kiss dienst gestopt" in log
    assert TOKEN not in log
