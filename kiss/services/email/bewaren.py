"""Retention of the central mailbox (called by ``kiss opschonen`` with its boundary).

A case that is finished (beantwoord or gesloten) and unchanged since before the boundary goes
with its messages and attachments, and so do the sent mails' outbox rows (they hold the text).
A case still waiting for an answer stays, however old. Audited with the count.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from kiss.models import Medewerker
from kiss.models.email import EmailBericht, EmailBijlage, EmailStatus, EmailZaak
from kiss.models.uitgaand import Uitgaand, UitgaandStatus
from kiss.services import audit
from kiss.services.email.ontvangen import SOORT

EMAIL_OPGESCHOOND = "email_opgeschoond"
BATCH = 500


def _oud(grens: datetime):  # type: ignore[no-untyped-def]
    return select(EmailZaak.id).where(
        col(EmailZaak.status).in_((EmailStatus.BEANTWOORD, EmailStatus.GESLOTEN)),
        col(EmailZaak.gewijzigd_op) < grens,
    )


def schoon_op(session: Session, grens: datetime, *, door: Medewerker, droog: bool = False) -> int:
    """Remove finished cases older than ``grens``; returns how many (``droog``: only count)."""
    if droog:
        return int(
            session.execute(select(func.count()).select_from(_oud(grens).subquery())).scalar_one()
        )
    weg = 0
    while ids := list(session.execute(_oud(grens).limit(BATCH)).scalars()):
        berichten = select(EmailBericht.id).where(col(EmailBericht.zaak_id).in_(ids))
        session.execute(delete(EmailBijlage).where(col(EmailBijlage.bericht_id).in_(berichten)))
        session.execute(delete(EmailBericht).where(col(EmailBericht.zaak_id).in_(ids)))
        session.execute(delete(EmailZaak).where(col(EmailZaak.id).in_(ids)))
        weg += len(ids)
    verzonden = session.execute(
        delete(Uitgaand).where(
            Uitgaand.soort == SOORT,
            col(Uitgaand.status) == UitgaandStatus.VERZONDEN,
            col(Uitgaand.aangemaakt_op) < grens,
        )
    ).rowcount  # type: ignore[attr-defined]
    if weg or verzonden:
        audit.log(session, door, EMAIL_OPGESCHOOND, object_type="email_zaak",
                  details=json.dumps({"zaken": weg, "verzonden_mails": verzonden,
                                      "grens": grens.isoformat()}))  # fmt: skip
    return weg
