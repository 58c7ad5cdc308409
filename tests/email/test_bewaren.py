"""Retention with mail: kiss opschonen is never blocked by a case, finished old cases go with
their messages, attachments and sent mails, a case still waiting stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Contactmoment, Klant, Medewerker, Uitgaand
from kiss.models.email import EmailBericht, EmailBijlage, EmailStatus, EmailZaak
from kiss.services import uitgaand
from kiss.services.bewaartermijn import schoon_op

NU = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
OUD = NU - timedelta(days=800)


def test_opschonen_met_mail(engine: Engine) -> None:
    with session_scope(engine) as session:
        beheerder = Medewerker(achternaam="Beheer", rollen="beheerder")
        klant = Klant(achternaam="Oud", aangemaakt_op=OUD, gewijzigd_op=OUD)
        session.add_all([beheerder, klant])
        session.flush()
        contact = Contactmoment(kanaal="e-mail", klant_id=klant.id, gestart_op=OUD)
        session.add(contact)
        session.flush()
        klaar = EmailZaak(onderwerp="oud", klant_id=klant.id, contactmoment_id=contact.id,
                          status=EmailStatus.BEANTWOORD, ontvangen_op=OUD, deadline=OUD,
                          gewijzigd_op=OUD)  # fmt: skip
        wacht = EmailZaak(onderwerp="wacht nog", klant_id=klant.id, ontvangen_op=OUD,
                          deadline=OUD, gewijzigd_op=OUD)  # fmt: skip
        session.add_all([klaar, wacht])
        session.flush()
        bericht = EmailBericht(zaak_id=klaar.id, message_id="<oud@x>", tekst="privé")
        session.add(bericht)
        session.flush()
        session.add(EmailBijlage(bericht_id=bericht.id, bestandsnaam="id.pdf", inhoud=b"x"))
        rij = uitgaand.plaats(session, soort="email", sleutel="email:antwoord:oud", groep="g",
                              payload={"tekst": "privé"}, nu=OUD)  # fmt: skip
        rij.status = "verzonden"
        wacht_id = wacht.id
    with session_scope(engine) as session:
        door = session.execute(select(Medewerker)).scalar_one()
        schoon_op(session, door=door, nu=NU, contactmomenten_dagen=730, audit_dagen=1825)
    with Session(engine) as session:
        zaken = list(session.execute(select(EmailZaak)).scalars())
        assert [(z.id, z.klant_id, z.contactmoment_id) for z in zaken] == [(wacht_id, None, None)]
        for model in (EmailBericht, EmailBijlage, Contactmoment, Klant, Uitgaand):
            assert session.execute(select(func.count()).select_from(model)).scalar_one() == 0
