"""The e-mail norm per gemeente in the service and in ``kiss rapport``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from kiss.cli import main
from kiss.db import session_scope
from kiss.models.email import EmailStatus, EmailZaak
from kiss.services.rapportage.emailnorm import email_norm
from kiss.services.rapportage.normen import Periode
from tests.factories import bouw_wereld

NU = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NOVEMBER = Periode(date(2026, 11, 1), date(2026, 11, 30))


def _vul(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    dag = timedelta(days=1)
    ontvangen = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    deadline = ontvangen + 3 * dag
    h, z = wereld.haarlem.id, wereld.zandvoort.id
    with session_scope(engine) as session:
        for gemeente, status, beantwoord, ontv, dl in [
            (h, EmailStatus.BEANTWOORD, ontvangen + dag, ontvangen, deadline),  # binnen termijn
            (h, EmailStatus.BEANTWOORD, deadline, ontvangen, deadline),  # exactly on time
            (h, EmailStatus.BEANTWOORD, deadline + dag, ontvangen, deadline),  # te laat
            (h, EmailStatus.OPEN, None, ontvangen, deadline),  # open, te laat
            (h, EmailStatus.GESLOTEN, None, ontvangen, deadline),  # no answer needed
            (z, EmailStatus.DOORGESTUURD, None, NU - dag, NU + dag),  # open, op tijd
            (z, EmailStatus.OPEN, None, datetime(2026, 10, 30, tzinfo=UTC), deadline),  # October
        ]:
            session.add(
                EmailZaak(
                    gemeente_id=gemeente,
                    status=status,
                    beantwoord_op=beantwoord,
                    ontvangen_op=ontv,
                    deadline=dl,
                )
            )


def test_emailnorm_per_gemeente(engine: Engine) -> None:
    _vul(engine)
    with Session(engine) as session:
        rijen = {r.gemeente: r for r in email_norm(session, NOVEMBER, nu=NU)}
    haarlem, zandvoort, totaal = rijen["Haarlem"], rijen["Zandvoort"], rijen["totaal"]
    assert (haarlem.mails, haarlem.binnen_termijn, haarlem.te_laat_beantwoord,
            haarlem.open_te_laat) == (4, 2, 1, 1)  # fmt: skip
    assert haarlem.pct == 0.5
    assert (zandvoort.mails, zandvoort.open_op_tijd, zandvoort.pct) == (1, 1, None)
    assert (totaal.mails, totaal.beslist) == (5, 4)


def test_kiss_rapport_toont_de_emailnorm(
    als_medewerker: Any, engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    _vul(engine)
    monkeypatch.setattr("kiss.models.utcnow", lambda: NU)
    args = [*als_medewerker("teamlead"), "rapport", "--van", "2026-11-01", "--tot", "30-11-2026"]
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    uit = json.loads(capsys.readouterr().out)
    haarlem = next(r for r in uit["emailnorm"] if r["gemeente"] == "Haarlem")
    assert (haarlem["binnen_termijn"], haarlem["emailnorm_pct"]) == (2, 50.0)
    assert main(args) == 0
    tabel = capsys.readouterr().out
    assert "E-mailnorm (antwoord binnen de termijn)" in tabel and "50.0%" in tabel
    assert main([*args, "--gemeente", "Zandvoort", "--json"]) == 0
    alleen = json.loads(capsys.readouterr().out)["emailnorm"]
    assert [r["gemeente"] for r in alleen] == ["Zandvoort", "totaal"]
