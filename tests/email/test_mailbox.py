"""The central mailbox against real servers on loopback: Dovecot (IMAP over TLS) and aiosmtpd.

Both backends: SQLite and PostgreSQL (the ``engine`` fixture)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session

from kiss.config import Settings
from kiss.db import make_engine, session_scope
from kiss.models import Contactmoment, Medewerker, Uitgaand
from kiss.models.email import EmailBericht, EmailBijlage, EmailPostvak, EmailStatus, EmailZaak
from kiss.services.email import behandelen, ophalen, verzenden, wachtrij
from kiss.services.email.ontvangen import SOORT
from tests.email.conftest import CENTRAAL, Imap, Smtp
from tests.factories import bouw_wereld

AMS = ZoneInfo("Europe/Amsterdam")
NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _mail(
    onderwerp: str = "Vraag over mijn paspoort",
    tekst: str = "Wanneer kan ik mijn paspoort ophalen?",
    van: str = "Johanna van den Berg <j.vandenberg@voorbeeld.nl>",
    **koppen: str,
) -> EmailMessage:
    bericht = EmailMessage()
    if van:
        bericht["From"] = van
    bericht["To"] = CENTRAAL
    bericht["Subject"] = onderwerp
    bericht["Message-ID"] = f"<{uuid.uuid4().hex}@voorbeeld.nl>"
    for naam, waarde in koppen.items():
        bericht[naam.replace("_", "-")] = waarde
    bericht.set_content(tekst)
    return bericht


def _haal(engine: Engine, postvak: Imap, **extra: object) -> ophalen.Ophaalresultaat:
    return ophalen.haal_op(engine, postvak.instellingen(**extra), Settings(), klok=lambda: NU)


def _tel(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def _bevestigingen(engine: Engine) -> list[Uitgaand]:
    with Session(engine) as session:
        return list(
            session.execute(
                select(Uitgaand).where(
                    Uitgaand.soort == SOORT, Uitgaand.sleutel.like("email:bevestiging:%")
                )
            ).scalars()
        )


def test_een_mail_wordt_een_keer_opgeslagen_ook_als_hij_twee_keer_wordt_opgehaald(
    engine: Engine, postvak: Imap
) -> None:
    bouw_wereld(engine)
    postvak.bezorg(_mail())
    eerste = _haal(engine, postvak)
    tweede = _haal(engine, postvak)
    assert (eerste.nieuw, eerste.bevestigd, tweede.gelezen) == (1, 1, 0)
    # a lost fetch state (a restored backup, a renamed folder) still stores nothing twice
    with session_scope(engine) as session:
        session.execute(delete(EmailPostvak))
    derde = _haal(engine, postvak)
    assert (derde.gelezen, derde.nieuw, derde.dubbel) == (1, 0, 1)
    assert _tel(engine, EmailBericht) == 2  # the mail and our confirmation
    assert _tel(engine, EmailZaak) == 1
    assert len(_bevestigingen(engine)) == 1


def test_de_klant_wordt_herkend_aan_het_adres(engine: Engine, postvak: Imap) -> None:
    wereld = bouw_wereld(engine)
    postvak.bezorg(_mail())
    _haal(engine, postvak)
    with Session(engine) as session:
        zaak = session.execute(select(EmailZaak)).scalar_one()
    assert zaak.klant_id == wereld.berg.id
    assert zaak.gemeente_id == wereld.haarlem.id
    assert zaak.status == EmailStatus.OPEN


def test_een_reactie_komt_bij_dezelfde_vraag(engine: Engine, postvak: Imap) -> None:
    bouw_wereld(engine)
    vraag = _mail()
    postvak.bezorg(vraag)
    _haal(engine, postvak)
    (bevestiging,) = _bevestigingen(engine)
    # the resident answers our confirmation (In-Reply-To), then again citing only References
    reactie = _mail(
        "Re: Ontvangen", "Ik vergat mijn BSN.", In_Reply_To=bevestiging.payload["message_id"]
    )
    postvak.bezorg(reactie)
    nog_een = _mail(
        "Re: Re: Ontvangen", "En mijn adres.",
        References=f"{vraag['Message-ID']} {reactie['Message-ID']}",
    )  # fmt: skip
    postvak.bezorg(nog_een)
    resultaat = _haal(engine, postvak)
    assert resultaat.nieuw == 2
    assert resultaat.bevestigd == 0  # a reply on a running question is not confirmed again
    with Session(engine) as session:
        zaken = list(session.execute(select(EmailZaak)).scalars())
        assert len(zaken) == 1
        berichten = session.execute(
            select(func.count()).where(EmailBericht.zaak_id == zaken[0].id)
        ).scalar_one()
    assert berichten == 4  # three from the resident, our confirmation


def test_ontvangstbevestiging_noemt_de_juiste_datum_over_de_feestdagen(
    engine: Engine, postvak: Imap, smtp: Smtp
) -> None:
    bouw_wereld(engine)
    vraag = _mail()
    # arrived on Wednesday 24 December 2025 10:00: Christmas, Tweede Kerstdag and the weekend
    # do not count, so 3 werkdagen end on Wednesday 31 December 10:00 (not Monday the 29th)
    postvak.bezorg(vraag, datetime(2025, 12, 24, 10, 0, tzinfo=AMS))
    _haal(engine, postvak)
    with Session(engine) as session:
        zaak = session.execute(select(EmailZaak)).scalar_one()
    assert zaak.deadline == datetime(2025, 12, 31, 10, 0, tzinfo=AMS)
    resultaat = verzenden.verstuur(engine, smtp.mail(), postvak.instellingen(), nu=NU)
    assert resultaat.verzonden == 1
    (ruw,) = smtp.ontvangen
    mail = message_from_bytes(ruw, policy=policy.default)
    tekst = mail.get_content()
    assert "uiterlijk woensdag 31 december 2025 antwoord" in tekst
    assert "24-12-2025 10:00" in tekst
    assert mail["In-Reply-To"].strip() == vraag["Message-ID"]
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["From"] == CENTRAAL
    assert mail["To"] == "j.vandenberg@voorbeeld.nl"


def test_ander_termijn_uit_de_instellingen(engine: Engine, postvak: Imap) -> None:
    bouw_wereld(engine)
    postvak.bezorg(_mail(), datetime(2026, 4, 24, 9, 0, tzinfo=AMS))  # Friday before Koningsdag
    _haal(engine, postvak, termijn_werkdagen=1)
    with Session(engine) as session:
        zaak = session.execute(select(EmailZaak)).scalar_one()
    assert zaak.deadline == datetime(2026, 4, 28, 9, 0, tzinfo=AMS)  # Monday 27th is Koningsdag


def _agent_login(engine: Engine, gebruikersnaam: str) -> Medewerker:
    with Session(engine) as session:
        m = session.execute(
            select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam)
        ).scalar_one()
        session.expunge(m)
        return m


def test_twee_agenten_krijgen_nooit_dezelfde_mail(database_url: str, engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    aantal = 30
    with session_scope(engine) as session:
        for i in range(aantal):
            session.add(
                EmailZaak(
                    onderwerp=f"vraag {i}",
                    afzender=f"k{i}@voorbeeld.nl",
                    ontvangen_op=NU,
                    deadline=NU + timedelta(hours=i),
                )
            )
    agenten = [_agent_login(engine, "agent"), _agent_login(engine, "collega")]
    gekregen: dict[str, list[uuid.UUID]] = {a.gebruikersnaam: [] for a in agenten}
    start = threading.Barrier(2)
    fouten: list[BaseException] = []

    def werk(agent: Medewerker) -> None:
        eigen = make_engine(database_url)  # its own connections, like a second desktop
        try:
            start.wait()
            while True:
                with session_scope(eigen) as session:
                    zaak_id = wachtrij.pak_volgende(session, agent, NU)
                if zaak_id is None:
                    return
                gekregen[agent.gebruikersnaam].append(zaak_id)
                time.sleep(0.01)  # reading the mail takes a moment: the other desk gets a turn
        except BaseException as exc:  # pragma: no cover - reported below
            fouten.append(exc)
        finally:
            eigen.dispose()

    draden = [threading.Thread(target=werk, args=(a,)) for a in agenten]
    for d in draden:
        d.start()
    for d in draden:
        d.join(60)
    assert not fouten
    a, b = gekregen["agent"], gekregen["collega"]
    assert not set(a) & set(b)
    assert len(a) + len(b) == aantal
    assert a and b  # both really worked at the same time
    with Session(engine) as session:
        behandelaars = dict(session.execute(select(EmailZaak.id, EmailZaak.behandelaar_id)).all())
    assert {behandelaars[z] for z in a} == {wereld.agent.id}
    assert {behandelaars[z] for z in b} == {wereld.collega.id}


def test_pak_de_volgende_geeft_de_oudste_deadline_eerst(engine: Engine) -> None:
    bouw_wereld(engine)
    with session_scope(engine) as session:
        laat = EmailZaak(onderwerp="later", ontvangen_op=NU, deadline=NU + timedelta(days=2))
        vroeg = EmailZaak(onderwerp="eerst", ontvangen_op=NU, deadline=NU + timedelta(days=1))
        session.add_all([laat, vroeg])
    agent = _agent_login(engine, "agent")
    with session_scope(engine) as session:
        assert wachtrij.pak_volgende(session, agent, NU) == vroeg.id
    with Session(engine) as session:
        regels = wachtrij.wachtrij(session, agent)
    assert [r.onderwerp for r in regels] == ["eerst", "later"]
    assert regels[0].status == EmailStatus.IN_BEHANDELING


def test_mislukte_verzending_wordt_opnieuw_geprobeerd_en_nooit_dubbel_verstuurd(
    engine: Engine, postvak: Imap, smtp: Smtp
) -> None:
    wereld = bouw_wereld(engine)
    instellingen = postvak.instellingen()
    vraag = _mail()
    postvak.bezorg(vraag)
    _haal(engine, postvak)
    with session_scope(engine) as session:
        zaak_id = session.execute(select(EmailZaak.id)).scalar_one()
        agent = session.get(Medewerker, wereld.agent.id)
        assert agent is not None
        behandelen.beantwoord(
            session, agent, zaak_id, "U kunt uw paspoort vanaf maandag ophalen.",
            instellingen=instellingen, settings=Settings(), nu=NU,
        )  # fmt: skip
    smtp.weiger_eerst = 2  # the server answers 451 to the first two mails
    eerste = verzenden.verstuur(engine, smtp.mail(), instellingen, nu=NU)
    assert (eerste.verzonden, eerste.opnieuw) == (0, 2)
    assert smtp.ontvangen == []
    later = NU + timedelta(hours=2)
    tweede = verzenden.verstuur(engine, smtp.mail(), instellingen, nu=later)
    assert tweede.verzonden == 2
    derde = verzenden.verstuur(engine, smtp.mail(), instellingen, nu=later + timedelta(days=1))
    assert derde.behandeld == 0
    assert smtp.pogingen == 4
    assert len(smtp.ontvangen) == 2  # the confirmation and the answer, each once
    antwoord = next(
        m
        for m in (message_from_bytes(r, policy=policy.default) for r in smtp.ontvangen)
        if "paspoort vanaf maandag" in m.get_content()
    )
    with Session(engine) as session:
        opgeslagen = session.execute(
            select(EmailBericht).where(
                EmailBericht.richting == "uit", EmailBericht.medewerker_id.is_not(None)
            )
        ).scalar_one()
        zaak = session.get(EmailZaak, zaak_id)
        contact = session.get(Contactmoment, zaak.contactmoment_id) if zaak else None
    # the answer threads under the resident's question, with the id it was stored with
    assert antwoord["Message-ID"].strip() == opgeslagen.message_id
    assert antwoord["In-Reply-To"].strip() == vraag["Message-ID"]
    assert vraag["Message-ID"] in antwoord["References"]
    assert antwoord["Subject"].startswith("Re: Vraag over mijn paspoort")
    assert zaak is not None and zaak.status == EmailStatus.BEANTWOORD
    assert contact is not None and contact.kanaal == "e-mail" and contact.klant_id == wereld.berg.id


def test_een_antwoord_van_de_klant_na_ons_antwoord_opent_de_vraag_opnieuw(
    engine: Engine, postvak: Imap
) -> None:
    wereld = bouw_wereld(engine)
    postvak.bezorg(_mail())
    _haal(engine, postvak)
    with session_scope(engine) as session:
        zaak_id = session.execute(select(EmailZaak.id)).scalar_one()
        agent = session.get(Medewerker, wereld.agent.id)
        assert agent is not None
        behandelen.beantwoord(
            session, agent, zaak_id, "Vanaf maandag.", instellingen=postvak.instellingen(),
            settings=Settings(), nu=NU,
        )  # fmt: skip
        antwoord_id = session.execute(
            select(EmailBericht.message_id).where(EmailBericht.medewerker_id.is_not(None))
        ).scalar_one()
    postvak.bezorg(_mail("Re: Vraag", "Dank, en mijn rijbewijs?", In_Reply_To=antwoord_id))
    _haal(engine, postvak)
    with Session(engine) as session:
        zaak = session.get(EmailZaak, zaak_id)
    assert zaak is not None and zaak.status == EmailStatus.OPEN and zaak.beantwoord_op is None


# ---------------------------------------------------------------------------- bad input


def test_kapotte_tekenset_geeft_leesbare_tekst_en_een_melding(
    engine: Engine, postvak: Imap
) -> None:
    bouw_wereld(engine)
    ruw = (
        b"From: =?x-onbekend?q?Jan=E9?= <jan@voorbeeld.nl>\r\n"
        b"To: info@gemeente.example\r\n"
        b"Subject: =?utf-8?b?kapot=?= vraag\r\n"
        b"Message-ID: <kapot-1@voorbeeld.nl>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Mijn vraag over de \xff\xfe afvalpas: \x1b[31mrood\x1b[0m\r\n"
    )
    postvak.bezorg(ruw)
    assert _haal(engine, postvak).nieuw == 1
    with Session(engine) as session:
        bericht = session.execute(
            select(EmailBericht).where(EmailBericht.richting == "in")
        ).scalar_one()
        zaak = session.get(EmailZaak, bericht.zaak_id)
    assert "afvalpas" in bericht.tekst and "\ufffd" in bericht.tekst
    assert "\x1b" not in bericht.tekst  # no terminal escapes reach the screen
    assert "onleesbare tekenset" in bericht.melding
    assert zaak is not None and zaak.afzender == "jan@voorbeeld.nl"


def test_bijlage_van_30_mb_wordt_niet_bewaard_maar_wel_genoemd(
    engine: Engine, postvak: Imap
) -> None:
    bouw_wereld(engine)
    bericht = _mail("Mijn bouwtekening", "Zie bijlage.")
    bericht.add_attachment(b"\0" * 30_000_000, maintype="application", subtype="pdf",
                           filename="tekening.pdf")  # fmt: skip
    bericht.add_attachment(b"klein", maintype="text", subtype="plain", filename="notitie.txt")
    postvak.bezorg(bericht)
    assert _haal(engine, postvak).nieuw == 1
    with Session(engine) as session:
        bijlagen = {b.bestandsnaam: b for b in session.execute(select(EmailBijlage)).scalars()}
        opgeslagen = session.execute(
            select(EmailBericht).where(EmailBericht.richting == "in")
        ).scalar_one()
    assert bijlagen["tekening.pdf"].weggelaten and bijlagen["tekening.pdf"].inhoud is None
    assert bijlagen["tekening.pdf"].grootte == 30_000_000
    assert bijlagen["notitie.txt"].inhoud == b"klein"
    assert "'tekening.pdf' (30,0 MB) is groter dan 10,0 MB" in opgeslagen.melding
    assert opgeslagen.tekst == "Zie bijlage."


def test_te_groot_bericht_haalt_alleen_de_kop_op(engine: Engine, postvak: Imap) -> None:
    bouw_wereld(engine)
    bericht = _mail("Groot", "Tekst")
    bericht.add_attachment(b"\1" * 2_000_000, maintype="application", subtype="zip",
                           filename="archief.zip")  # fmt: skip
    postvak.bezorg(bericht)
    assert _haal(engine, postvak, max_bericht_mb=1).nieuw == 1
    with Session(engine) as session:
        opgeslagen = session.execute(
            select(EmailBericht).where(EmailBericht.richting == "in")
        ).scalar_one()
    assert opgeslagen.onderwerp == "Groot"
    assert "alleen de kop" in opgeslagen.melding


def test_mail_zonder_afzender_wordt_niet_bevestigd_en_kan_niet_beantwoord(
    engine: Engine, postvak: Imap
) -> None:
    wereld = bouw_wereld(engine)
    postvak.bezorg(_mail(van=""))
    assert _haal(engine, postvak).nieuw == 1
    assert _bevestigingen(engine) == []
    with session_scope(engine) as session:
        zaak = session.execute(select(EmailZaak)).scalar_one()
        assert zaak.afzender == "" and zaak.status == EmailStatus.OPEN
        assert "geen (leesbare) afzender" in zaak.melding
        agent = session.get(Medewerker, wereld.agent.id)
        assert agent is not None
        with pytest.raises(behandelen.EmailFout, match="geen afzender"):
            behandelen.beantwoord(
                session, agent, zaak.id, "Antwoord", instellingen=postvak.instellingen(),
                settings=Settings(), nu=NU,
            )  # fmt: skip


def test_alleen_html_wordt_leesbare_tekst_zonder_script(engine: Engine, postvak: Imap) -> None:
    bouw_wereld(engine)
    bericht = EmailMessage()
    bericht["From"] = "sanne@voorbeeld.nl"
    bericht["Subject"] = "Parkeervergunning"
    bericht["Message-ID"] = "<html-1@voorbeeld.nl>"
    bericht.set_content(
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
        "<p>Beste gemeente,</p><p>Hoe vraag ik een <b>parkeervergunning</b> aan?</p>"
        "<a href='https://voorbeeld.nl/x'>mijn link</a><img src=x onerror=alert(1) alt='foto'>"
        "<p>Groet&nbsp;&amp; dank</p></body></html>",
        subtype="html",
    )
    postvak.bezorg(bericht)
    _haal(engine, postvak)
    with Session(engine) as session:
        opgeslagen = session.execute(
            select(EmailBericht).where(EmailBericht.richting == "in")
        ).scalar_one()
    tekst = opgeslagen.tekst
    assert "Hoe vraag ik een parkeervergunning aan?" in tekst
    assert "Groet & dank" in tekst
    assert "mijn link (https://voorbeeld.nl/x)" in tekst
    assert "alert" not in tekst and "<" not in tekst and "color" not in tekst
    assert opgeslagen.was_html and "alleen HTML" in opgeslagen.melding


def test_automatisch_antwoord_wordt_niet_bevestigd(engine: Engine, postvak: Imap) -> None:
    bouw_wereld(engine)
    postvak.bezorg(_mail("Afwezig", "Ik ben afwezig.", Auto_Submitted="auto-replied"))
    _haal(engine, postvak)
    assert _bevestigingen(engine) == []
    with Session(engine) as session:
        assert session.execute(select(EmailZaak.status)).scalar_one() == EmailStatus.GESLOTEN


def test_verkeerd_wachtwoord_geeft_een_nederlandse_melding_zonder_wachtwoord(
    engine: Engine, postvak: Imap
) -> None:
    instellingen = postvak.instellingen()
    fout = type(instellingen)(**{**instellingen.__dict__, "wachtwoord": "fout-geheim-999"})
    with pytest.raises(ophalen.OphaalFout) as info:
        ophalen.haal_op(engine, fout, Settings(), klok=lambda: NU)
    assert "Aanmelden bij mailbox" in str(info.value)
    assert "fout-geheim-999" not in str(info.value) and "fout-geheim-999" not in repr(fout)


def test_onbetrouwbaar_certificaat_wordt_geweigerd(engine: Engine, postvak: Imap) -> None:
    instellingen = postvak.instellingen()
    zonder_ca = type(instellingen)(**{**instellingen.__dict__, "ca_bestand": ""})
    with pytest.raises(ophalen.OphaalFout, match="certificaat"):
        ophalen.haal_op(engine, zonder_ca, Settings(), klok=lambda: NU)


def test_nul_tekens_en_een_onbewaarbare_mail_blokkeren_de_map_niet(
    engine: Engine, postvak: Imap, monkeypatch: pytest.MonkeyPatch
) -> None:
    bouw_wereld(engine)
    postvak.bezorg(
        b"From: a@voorbeeld.nl\r\nSubject: nul\x00teken\r\nMessage-ID: <ab\x00c@x>\r\n\r\n"
        b"tekst met \x00 erin\r\n"
    )
    postvak.bezorg(_mail("Tweede", "Deze mail weigert de database (nagebootst)."))
    postvak.bezorg(_mail("Derde", "Gewoon."))
    echt = ophalen.neem_op

    def weigert_tweede(session: Session, binnen: object, **opties: object) -> object:
        if getattr(binnen, "onderwerp", "") == "Tweede":
            raise ophalen.ValidatieFout("Veld bevat een ongeldig teken.")
        return echt(session, binnen, **opties)  # type: ignore[arg-type]

    monkeypatch.setattr(ophalen, "neem_op", weigert_tweede)
    resultaat = _haal(engine, postvak)
    assert (resultaat.gelezen, resultaat.nieuw) == (3, 3)
    assert resultaat.fouten == ["Mail 2 was niet te bewaren (ValidatieFout)."]
    with Session(engine) as session:
        onderwerpen = set(session.execute(select(EmailZaak.onderwerp)).scalars())
        nul = session.execute(
            select(EmailBericht).where(EmailBericht.van == "a@voorbeeld.nl")
        ).scalar_one()
    assert onderwerpen == {"nul\ufffdteken", "(onleesbare mail)", "Derde"}
    assert "\x00" not in nul.tekst + nul.onderwerp + nul.message_id
