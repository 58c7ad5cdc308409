"""The agent's e-mail use cases through the werkplek (no screen), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text, update
from sqlmodel import Session

from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Afdeling, Auditregel, Medewerker, Terugbelnotitie, Uitgaand
from kiss.models.email import EmailBericht, EmailBijlage, EmailStatus, EmailZaak
from kiss.rollen import GeenToegang
from kiss.services.email import behandelen, wachtrij
from kiss.services.email.instellingen import EmailInstellingen
from kiss.services.email.sjablonen import SjabloonFout
from kiss.services.email.wachtrij import AlGeclaimd, EmailFout
from kiss.services.klant import klantbeeld
from kiss.werkplek.werkplek import Werkplek
from tests.factories import Wereld, bouw_wereld

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
INSTELLINGEN = EmailInstellingen(adres="info@gemeente.example")


def _werkplek(engine: Engine, gebruikersnaam: str = "agent") -> Werkplek:
    werkplek = Werkplek(engine, Settings(), klok=lambda: NU)
    werkplek.email.instellingen = INSTELLINGEN
    if engine.dialect.name == "postgresql":  # who you are is the database login there
        with Session(engine) as session:
            login = session.execute(text("SELECT session_user")).scalar_one()
            session.execute(
                update(Medewerker)
                .where(Medewerker.gebruikersnaam == login)
                .values(gebruikersnaam=f"oud-{login}")
            )
            session.execute(
                update(Medewerker)
                .where(Medewerker.gebruikersnaam == gebruikersnaam)
                .values(gebruikersnaam=login)
            )
            session.commit()
    werkplek.aanmelden(gebruikersnaam)
    return werkplek


def _zaak(engine: Engine, wereld: Wereld, **velden: object) -> EmailZaak:
    with session_scope(engine) as session:
        zaak = EmailZaak(
            onderwerp="Vraag over afval", afzender="j.vandenberg@voorbeeld.nl",
            afzender_naam="Johanna", klant_id=wereld.berg.id, gemeente_id=wereld.haarlem.id,
            ontvangen_op=NU - timedelta(hours=1), deadline=NU + timedelta(days=3), **velden,
        )  # fmt: skip
        session.add(zaak)
        session.flush()
        session.add(
            EmailBericht(
                zaak_id=zaak.id,
                message_id=f"<{zaak.id}@voorbeeld.nl>",
                van=zaak.afzender,
                onderwerp=zaak.onderwerp,
                tekst="Wanneer komt de gft-container?",
                moment=zaak.ontvangen_op,
            )
        )
        session.expunge(zaak)
        return zaak


def test_pak_de_volgende_en_beantwoorden_met_een_sjabloon(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    with session_scope(engine) as session:
        session.add(Medewerker(gebruikersnaam="redacteur", voornaam="Rik", achternaam="Dijk",
                               rollen="redacteur"))  # fmt: skip
    zaak = _zaak(engine, wereld)
    redacteur = _werkplek(engine, "redacteur")
    sjabloon_id = redacteur.email.bewaar_sjabloon(
        "Afval",
        "Beste {naam},\n\nDe container komt vóór {deadline}. Kenmerk {kenmerk}.\n\n{onbekend}",
    )
    agent = _werkplek(engine)
    assert agent.email.pak_volgende() == zaak.id
    concept = agent.email.concept(zaak.id, sjabloon_id=sjabloon_id)
    assert concept.tekst.startswith("Beste Johanna van den Berg,")
    assert "vóór donderdag 26 november 2026" in concept.tekst and "{onbekend}" in concept.tekst
    assert concept.onderwerp == f"Re: Vraag over afval [{zaak.id.hex[:8].upper()}]"
    agent.email.beantwoord(zaak.id, concept.tekst)
    stand = agent.email.wachtrij()
    assert stand.regels == []  # answered: off the queue
    detail = agent.email.detail(zaak.id)
    assert detail.status == EmailStatus.BEANTWOORD
    assert [b.richting for b in detail.berichten] == ["in", "uit"]
    # the klantbeeld shows the mail and the answer (a contactmoment, kanaal e-mail)
    with Session(engine) as session:
        regels = klantbeeld.tijdlijn(session, wereld.berg.id)
    mail = next(r for r in regels if "gft-container" in r.notitie)
    assert (mail.kanaal, mail.richting, mail.resultaat) == ("e-mail", "inkomend", "beantwoord")
    assert "gft-container" in mail.notitie
    antwoord = next(r for r in regels if r.notitie.startswith("Per e-mail beantwoord"))
    assert antwoord.kanaal == "e-mail" and antwoord.medewerker == "Anna de Wit"


def test_alleen_een_redacteur_beheert_sjablonen_en_fouten_per_veld(engine: Engine) -> None:
    bouw_wereld(engine)
    agent = _werkplek(engine)
    with pytest.raises(GeenToegang):
        agent.email.bewaar_sjabloon("Afval", "tekst")
    with session_scope(engine) as session:
        session.add(Medewerker(gebruikersnaam="redacteur", voornaam="Rik", achternaam="Dijk",
                               rollen="redacteur"))  # fmt: skip
    redacteur = _werkplek(engine, "redacteur")
    with pytest.raises(SjabloonFout) as fout:
        redacteur.email.bewaar_sjabloon("", "")
    assert set(fout.value.fouten) == {"naam", "tekst"}


def test_een_geclaimde_mail_is_niet_voor_een_ander(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    zaak = _zaak(engine, wereld)
    agent = _werkplek(engine)
    agent.email.claim(zaak.id)
    with session_scope(engine) as session:
        collega = session.get(Medewerker, wereld.collega.id)
        assert collega is not None
        with pytest.raises(AlGeclaimd, match="Anna de Wit behandelt deze e-mail al"):
            behandelen.beantwoord(
                session, collega, zaak.id, "Mijn antwoord", instellingen=INSTELLINGEN,
                settings=Settings(), nu=NU,
            )  # fmt: skip


def test_doorsturen_naar_een_afdeling_houdt_de_vraag_zichtbaar(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    zaak = _zaak(engine, wereld)
    agent = _werkplek(engine)
    with pytest.raises(EmailFout, match="geen mailbox"):
        agent.email.doorsturen(zaak.id, wereld.burgerzaken.id, "Graag oppakken")
    with session_scope(engine) as session:
        session.execute(
            update(Afdeling)
            .where(Afdeling.id == wereld.burgerzaken.id)
            .values(mailbox="burgerzaken@gemeente.example")
        )
    assert agent.email.doorsturen(zaak.id, wereld.burgerzaken.id, "Graag oppakken") == (
        "burgerzaken@gemeente.example"
    )
    regels = agent.email.wachtrij().regels
    assert [(r.id, r.status) for r in regels] == [(zaak.id, EmailStatus.DOORGESTUURD)]
    with Session(engine) as session:
        rij = session.execute(
            select(Uitgaand).where(Uitgaand.sleutel.like("email:doorsturen:%"))
        ).scalar_one()
    assert rij.payload["aan"] == "burgerzaken@gemeente.example"
    assert "Graag oppakken" in rij.payload["tekst"] and "gft-container" in rij.payload["tekst"]
    agent.email.markeer_beantwoord(zaak.id)
    assert agent.email.wachtrij().regels == []


def test_van_een_mail_een_terugbelnotitie_maken(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    zaak = _zaak(engine, wereld)
    agent = _werkplek(engine)
    voorstel = agent.email.terugbel_voorstel(zaak.id)
    assert voorstel.klant_id == wereld.berg.id and "gft-container" in voorstel.vraag
    doelen = agent.terugbel_doelen()
    invoer = type(voorstel)(
        **{**voorstel.__dict__, "terugbelnummer": "06-12345678", "doel": doelen.afdelingen[0]}
    )
    notitie_id = agent.email.naar_terugbelnotitie(zaak.id, invoer)
    assert agent.email.wachtrij().regels[0].status == EmailStatus.TERUGBELLEN
    with session_scope(engine) as session:
        notitie = session.get(Terugbelnotitie, notitie_id)
        assert notitie is not None
        notitie.afgehandeld_op = NU + timedelta(hours=2)
    with session_scope(engine) as session:
        assert behandelen.werk_terugbel_bij(session, NU) == 1
    assert agent.email.detail(zaak.id).beantwoord_op == NU + timedelta(hours=2)


def test_een_mail_lezen_staat_in_de_audit_en_de_teamleider_geeft_terug(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    zaak = _zaak(engine, wereld)
    agent = _werkplek(engine)
    agent.email.claim(zaak.id)
    agent.email.detail(zaak.id)
    agent.email.detail(zaak.id, log=False)
    with Session(engine) as session:
        regels = list(
            session.execute(select(Auditregel).where(Auditregel.actie == "email_geopend")).scalars()
        )
        assert [(r.klant_id, r.object_id) for r in regels] == [(wereld.berg.id, str(zaak.id))]
        session.execute(
            update(Medewerker).where(Medewerker.id == wereld.collega.id).values(rollen="teamlead")
        )
        session.commit()
    with session_scope(engine) as session:
        collega = session.get(Medewerker, wereld.collega.id)
        assert collega is not None
        wachtrij.vrijgeven(session, collega, zaak.id, NU)
    assert agent.email.detail(zaak.id, log=False).status == EmailStatus.OPEN


def test_sluiten_vraagt_een_reden(engine: Engine) -> None:
    wereld = bouw_wereld(engine)
    zaak = _zaak(engine, wereld)
    agent = _werkplek(engine)
    with pytest.raises(EmailFout, match="reden"):
        agent.email.sluit(zaak.id, " ")
    agent.email.sluit(zaak.id, "Reclame")
    assert agent.email.detail(zaak.id).status == EmailStatus.GESLOTEN


def test_een_bijlage_opslaan_overschrijft_nooit(engine: Engine, tmp_path: Path) -> None:
    wereld = bouw_wereld(engine)
    zaak = _zaak(engine, wereld)
    with session_scope(engine) as session:
        bericht_id = session.execute(
            select(EmailBericht.id).where(EmailBericht.zaak_id == zaak.id)
        ).scalar_one()
        goed = EmailBijlage(bericht_id=bericht_id, bestandsnaam="../../etc/pas poort.pdf",
                            inhoud=b"%PDF")  # fmt: skip
        groot = EmailBijlage(bericht_id=bericht_id, bestandsnaam="groot.zip", weggelaten=True,
                             grootte=30_000_000)  # fmt: skip
        session.add_all([goed, groot])
        session.flush()
        goed_id, groot_id = goed.id, groot.id
    agent = _werkplek(engine)
    eerste = agent.email.bewaar_bijlage(goed_id, tmp_path)
    tweede = agent.email.bewaar_bijlage(goed_id, tmp_path)
    assert (eerste.name, tweede.name) == ("pas poort.pdf", "pas poort (2).pdf")
    assert eerste.parent == tmp_path and eerste.read_bytes() == b"%PDF"
    assert eerste.stat().st_mode & 0o077 == 0
    with pytest.raises(EmailFout, match="niet bewaard"):
        agent.email.bewaar_bijlage(groot_id, tmp_path)
