"""Notification mails through the outbox, against a real SMTP server on loopback."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.models import Afdeling, Medewerker, Team
from kiss.models.uitgaand import Uitgaand
from kiss.services import uitgaand
from kiss.services.meldingen import mails
from kiss.services.meldingen.instellingen import MailInstellingen
from kiss.services.terugbel.terugbelnotities import (
    Doel,
    DoelSoort,
    TerugbelInvoer,
    herverdeel,
    maak_terugbelnotitie,
)
from kiss.weergave import AMSTERDAM
from tests.dienst.conftest import start_dienst
from tests.dienst.smtp import Postbus, smtp_server, vrije_poort, zelf_ondertekend
from tests.factories import Wereld

SETTINGS = Settings()
VRAAG = "Mijn paspoort is gestolen op het strand"


def _lokaal(tekst: str) -> datetime:
    return datetime.fromisoformat(tekst).replace(tzinfo=AMSTERDAM)


def _mailboxen(engine: Engine, wereld: Wereld) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(Team).where(Team.id == wereld.team.id).values(mailbox="reisdoc@gemeente.test")
        )
        session.execute(
            update(Medewerker)
            .where(Medewerker.id == wereld.collega.id)
            .values(mailbox="bram@gemeente.test")
        )


def _notitie(engine: Engine, wereld: Wereld, nu: datetime, doel: Doel | None = None) -> str:
    with session_scope(engine) as session:
        notitie = maak_terugbelnotitie(
            session,
            session.get(Medewerker, wereld.agent.id),  # type: ignore[arg-type]
            TerugbelInvoer(
                doel=doel or Doel(DoelSoort.TEAM, wereld.team.id),
                terugbelnummer="06-12345678",
                email="j.vandenberg@voorbeeld.nl",
                vraag=VRAAG,
                gemeente="Haarlem",
                klant_id=wereld.berg.id,
            ),
            nu,
            SETTINGS,
        )
        return str(notitie.id)


def _plan(engine: Engine, nu: datetime, om: str = "07:00") -> int:
    from datetime import time as tijd

    with session_scope(engine) as session:
        return mails.plan(
            session, settings=SETTINGS, mail=MailInstellingen(herinnering=tijd.fromisoformat(om)),
            nu=nu,
        )  # fmt: skip


def _sleutels(engine: Engine, begin: str) -> list[str]:
    with read_scope(engine) as session:
        return sorted(
            session.execute(
                select(Uitgaand.sleutel).where(Uitgaand.sleutel.startswith(begin))  # type: ignore[attr-defined]
            ).scalars()
        )


def test_new_note_mail_to_the_team_holds_no_personal_data(engine: Engine, wereld: Wereld) -> None:
    _mailboxen(engine, wereld)
    nu = _lokaal("2026-11-24T10:00")  # a Tuesday
    notitie_id = _notitie(engine, wereld, nu)
    assert _plan(engine, nu) == 1
    assert _plan(engine, nu + timedelta(seconds=5)) == 0  # planned once, however often it runs
    postbus = Postbus()
    with smtp_server(postbus) as poort:
        mail = MailInstellingen(host="127.0.0.1", poort=poort, afzender="kiss@gemeente.test")
        assert mails.verstuur(engine, mail, nu=nu).verzonden == 1
        assert mails.verstuur(engine, mail, nu=nu + timedelta(hours=1)).verzonden == 0
    assert len(postbus.berichten) == 1
    bericht = postbus.berichten[0]
    assert bericht["To"] == "reisdoc@gemeente.test"
    tekst = postbus.teksten()[0]
    nummer = notitie_id.replace("-", "")[:8].upper()
    assert nummer in bericht["Subject"] and "do 26-11 10:00" in bericht["Subject"]
    assert "donderdag 26 november 2026 10:00" in tekst and "F5" in tekst
    for persoonlijk in ("Berg", "Johanna", "12345678", "0612", "voorbeeld.nl", "paspoort",
                        "strand", "999990019"):  # fmt: skip
        assert persoonlijk.lower() not in tekst.lower(), persoonlijk


def test_reassigned_note_mails_the_new_person(engine: Engine, wereld: Wereld) -> None:
    _mailboxen(engine, wereld)
    nu = _lokaal("2026-11-24T10:00")
    notitie_id = _notitie(engine, wereld, nu)
    teamlead = Medewerker(gebruikersnaam="lead", achternaam="Leider", rollen="teamlead",
                          afdeling_id=wereld.burgerzaken.id)  # fmt: skip
    with session_scope(engine) as session:
        session.add(teamlead)
        session.flush()
        herverdeel(session, teamlead, __import__("uuid").UUID(notitie_id),
                   Doel(DoelSoort.MEDEWERKER, wereld.collega.id), "Bram kent dit",
                   nu + timedelta(minutes=5))  # fmt: skip
    assert _plan(engine, nu + timedelta(minutes=6)) == 2
    with read_scope(engine) as session:
        rijen = {
            r.sleutel.split(":")[1]: r.payload for r in session.execute(select(Uitgaand)).scalars()
        }
    assert rijen["herverdeeld"]["aan"] == "bram@gemeente.test"
    assert rijen["herverdeeld"]["onderwerp"].startswith("Verplaatste terugbelnotitie")
    assert rijen["nieuw"]["aan"] == "bram@gemeente.test"  # the note is Bram's now


def test_no_mailbox_means_no_mail_and_the_screen_says_so(engine: Engine, wereld: Wereld) -> None:
    nu = _lokaal("2026-11-24T10:00")
    notitie_id = _notitie(engine, wereld, nu, Doel(DoelSoort.AFDELING, wereld.burgerzaken.id))
    assert _plan(engine, nu) == 0
    with read_scope(engine) as session:
        melding = mails.geen_mailbox_melding(session, __import__("uuid").UUID(notitie_id))
    assert melding is not None and melding.startswith("Niemand krijgt hiervan een mail")
    with session_scope(engine) as session:
        session.execute(
            update(Afdeling)
            .where(Afdeling.id == wereld.burgerzaken.id)
            .values(mailbox="burgerzaken@gemeente.test")
        )
    with read_scope(engine) as session:
        assert mails.geen_mailbox_melding(session, __import__("uuid").UUID(notitie_id)) is None
    assert _plan(engine, nu + timedelta(minutes=1)) == 1


def test_daily_reminder_on_werkdagen_only(engine: Engine, wereld: Wereld) -> None:
    _mailboxen(engine, wereld)
    _notitie(engine, wereld, _lokaal("2026-11-19T09:00"))  # deadline Mon 23-11 09:00
    _notitie(engine, wereld, _lokaal("2026-12-21T09:00"))  # deadline Wed 23-12 09:00
    _notitie(engine, wereld, _lokaal("2026-12-22T11:00"))  # deadline Thu 24-12 11:00
    assert _plan(engine, _lokaal("2026-11-28T07:30")) == 0  # Saturday
    assert _plan(engine, _lokaal("2026-11-30T06:59")) == 0  # Monday, before 07:00
    assert _plan(engine, _lokaal("2026-11-30T07:00")) == 1  # Monday 07:00
    assert _plan(engine, _lokaal("2026-11-30T12:00")) == 0  # once a day
    assert _sleutels(engine, "mail:herinnering") == [
        "mail:herinnering:2026-11-30:reisdoc@gemeente.test"
    ]
    assert _plan(engine, _lokaal("2026-12-25T07:30"), om="07:15") == 0  # Eerste Kerstdag
    assert _plan(engine, _lokaal("2026-12-24T07:20"), om="07:15") == 1  # Thursday
    with read_scope(engine) as session:
        payload = session.execute(
            select(Uitgaand.payload).where(
                Uitgaand.sleutel == "mail:herinnering:2026-12-24:reisdoc@gemeente.test"
            )
        ).scalar_one()
    assert payload["onderwerp"] == "Herinnering terugbelnotities: 2 te laat, 1 vandaag"
    assert "Deadline vandaag (1):" in payload["tekst"] and "do 24-12 11:00" in payload["tekst"]


def test_failed_smtp_server_is_retried_without_sending_twice(
    engine: Engine, wereld: Wereld
) -> None:
    _mailboxen(engine, wereld)
    nu = _lokaal("2026-11-24T10:00")
    _notitie(engine, wereld, nu)
    _plan(engine, nu)
    poort = vrije_poort()
    mail = MailInstellingen(host="127.0.0.1", poort=poort, timeout_s=3)
    eerste = mails.verstuur(engine, mail, nu=nu)  # nobody listening
    assert (eerste.verzonden, eerste.opnieuw) == (0, 1)
    assert "niet bereikbaar" in eerste.fouten[0]
    with read_scope(engine) as session:
        stand = uitgaand.overzicht(session, "mail")
    assert stand.in_storing == 1 and "niet bereikbaar" in stand.laatste_fout  # for the beheerder
    postbus = Postbus(weiger=1)
    with smtp_server(postbus, poort):
        assert mails.verstuur(engine, mail, nu=nu + timedelta(seconds=10)).behandeld == 0
        tweede = mails.verstuur(engine, mail, nu=nu + timedelta(minutes=1))
        assert tweede.opnieuw == 1 and "451" in tweede.fouten[0]
        derde = mails.verstuur(engine, mail, nu=nu + timedelta(minutes=5))
        assert derde.verzonden == 1
        assert mails.verstuur(engine, mail, nu=nu + timedelta(hours=2)).behandeld == 0
    assert postbus.pogingen == 2 and len(postbus.berichten) == 1


def test_the_running_dienst_mails_a_new_note(
    database_url: str, engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    _mailboxen(engine, wereld)
    postbus = Postbus()
    with smtp_server(postbus) as poort:
        lopend = start_dienst(
            database_url, tmp_path, KISS_SMTP_HOST="127.0.0.1", KISS_SMTP_POORT=str(poort)
        )
        try:
            _notitie(engine, wereld, datetime.now(AMSTERDAM))
            einde = time.monotonic() + 15
            while not postbus.berichten and time.monotonic() < einde:
                time.sleep(0.1)
        finally:
            assert lopend.stop() == 0
    assert len(postbus.berichten) == 1
    assert postbus.berichten[0]["To"] == "reisdoc@gemeente.test"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.filterwarnings("ignore:auth_required == True but auth_require_tls == False")
@pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")
def test_smtp_login_from_settings_and_a_wrong_password_never_shown(
    engine: Engine, wereld: Wereld
) -> None:
    _mailboxen(engine, wereld)
    nu = _lokaal("2026-11-24T10:00")
    _notitie(engine, wereld, nu)
    _plan(engine, nu)
    postbus = Postbus()
    with smtp_server(postbus, login=("kiss", "juist-wachtwoord")) as poort:
        fout = MailInstellingen(host="127.0.0.1", poort=poort, gebruiker="kiss",
                                wachtwoord="fout-wachtwoord", timeout_s=2)  # fmt: skip
        eerste = mails.verstuur(engine, fout, nu=nu)
        assert eerste.opnieuw == 1 and not postbus.berichten  # refused: retried later
        with read_scope(engine) as session:
            laatste_fout = uitgaand.overzicht(session, "mail").laatste_fout
        assert laatste_fout and "fout-wachtwoord" not in laatste_fout
        goed = MailInstellingen(host="127.0.0.1", poort=poort, gebruiker="kiss",
                                wachtwoord="juist-wachtwoord")  # fmt: skip
        assert mails.verstuur(engine, goed, nu=nu + timedelta(minutes=1)).verzonden == 1
    assert len(postbus.berichten) == 1


def test_starttls_with_the_municipalitys_own_ca_and_never_to_an_unverified_server(
    engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    _mailboxen(engine, wereld)
    nu = _lokaal("2026-11-24T10:00")
    _notitie(engine, wereld, nu)
    _plan(engine, nu)
    context, certificaat = zelf_ondertekend(tmp_path)
    postbus = Postbus()
    with smtp_server(postbus, tls=context) as poort:
        zonder_ca = MailInstellingen(host="127.0.0.1", poort=poort, starttls=True, timeout_s=3)
        eerste = mails.verstuur(engine, zonder_ca, nu=nu)
        assert eerste.opnieuw == 1 and "SSLCertVerificationError" in eerste.fouten[0]
        met_ca = MailInstellingen(host="127.0.0.1", poort=poort, starttls=True,
                                  cafile=str(certificaat))  # fmt: skip
        assert mails.verstuur(engine, met_ca, nu=nu + timedelta(minutes=1)).verzonden == 1
    assert len(postbus.berichten) == 1


def test_the_dienst_keeps_a_planstand_and_still_misses_nothing(
    engine: Engine, wereld: Wereld
) -> None:
    _mailboxen(engine, wereld)
    stand = mails.Planstand()

    def plan(moment: str) -> int:
        with session_scope(engine) as session:
            return mails.plan(session, settings=SETTINGS, mail=MailInstellingen(),
                              nu=_lokaal(moment), stand=stand)  # fmt: skip

    _notitie(engine, wereld, _lokaal("2026-11-27T16:00"))  # Friday
    assert plan("2026-11-27T16:00:05") == 1
    assert plan("2026-11-28T07:30") == 0  # Saturday: no reminder
    _notitie(engine, wereld, _lokaal("2026-11-30T06:58"))  # saved with a clock 2 min behind
    assert plan("2026-11-30T07:00") == 1  # the new note; nothing is due on Monday
    assert plan("2026-11-30T07:00:05") == 0
    assert len(_sleutels(engine, "mail:nieuw")) == 2
    assert plan("2026-12-01T07:00") == 1  # Tuesday: Friday's note is due today
    assert plan("2026-12-01T07:05") == 0
