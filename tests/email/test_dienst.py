"""kiss dienst runs the mailbox jobs: fetch, send, and follow terugbelnotities."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import Engine

from kiss.config import Settings
from kiss.services.email import dienst, instellingen
from kiss.services.meldingen.instellingen import MailInstellingen
from tests.email.conftest import Imap, Smtp
from tests.email.test_mailbox import _mail
from tests.factories import bouw_wereld

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_zonder_mailbox_geen_taken(sqlite_engine: Engine) -> None:
    leeg = instellingen.EmailInstellingen()
    assert dienst.taken(sqlite_engine, Settings(), MailInstellingen(), lambda: NU, 5, leeg) == []


def test_de_taken_halen_op_en_versturen(sqlite_engine: Engine, postvak: Imap, smtp: Smtp) -> None:
    bouw_wereld(sqlite_engine)
    postvak.bezorg(_mail())
    taken = dienst.taken(
        sqlite_engine, Settings(), smtp.mail(), lambda: NU, 5, postvak.instellingen()
    )
    assert [naam for naam, _, _ in taken] == ["email-ophalen", "email-terugbel", "email-verzenden"]
    for _, _, taak in taken:
        taak()
    (ruw,) = smtp.ontvangen
    assert message_from_bytes(ruw, policy=policy.default)["Subject"].startswith("Ontvangen: ")


def test_instellingen_uit_toml_en_omgeving_zonder_wachtwoord_in_repr(tmp_path: Path) -> None:
    (tmp_path / "ww").write_text("geheim-uit-bestand\n")
    toml = tmp_path / "kiss.toml"
    toml.write_text(
        '[email]\nimap_host = "imap.gemeente.nl"\nadres = "Info@Gemeente.nl"\n'
        f'wachtwoordbestand = "{tmp_path / "ww"}"\ntermijn_werkdagen = 5\n'
    )
    gelezen = instellingen.laad(toml, {"KISS_EMAIL_TERMIJN": "2"})
    assert (gelezen.imap_host, gelezen.adres, gelezen.termijn_werkdagen) == (
        "imap.gemeente.nl", "info@gemeente.nl", 2,
    )  # fmt: skip
    assert gelezen.wachtwoord == "geheim-uit-bestand"
    assert "geheim" not in repr(gelezen)
    fout = tmp_path / "fout.toml"
    fout.write_text('[email]\ntermijn_werkdagen = "nul"\n')
    try:
        instellingen.laad(fout, {})
    except instellingen.EmailInstellingFout as exc:
        assert "termijn_werkdagen moet een getal zijn" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("geen fout")
