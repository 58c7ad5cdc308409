"""The klant's mails in the klantbeeld timeline (kanaal e-mail, inkomend). Our answers are
contactmomenten and appear there already."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import Session, col

from kiss.models import Gemeente
from kiss.models.email import EmailBericht, EmailRichting, EmailStatus, EmailZaak

if TYPE_CHECKING:
    from kiss.services.klant.klantbeeld import TijdlijnRegel

KORT = 300  # characters of the mail shown in the timeline


def mails(session: Session, klant_id: uuid.UUID, *, limit: int = 200) -> list[TijdlijnRegel]:
    from kiss.services.klant.klantbeeld import TijdlijnRegel

    gemeente = select(Gemeente.naam).where(col(Gemeente.id) == EmailZaak.gemeente_id)
    rijen = session.execute(
        select(EmailBericht, EmailZaak.status, gemeente.scalar_subquery())
        .join(EmailZaak, col(EmailZaak.id) == EmailBericht.zaak_id)
        .where(EmailZaak.klant_id == klant_id, EmailBericht.richting == EmailRichting.IN)
        .order_by(col(EmailBericht.moment).desc())
        .limit(limit)
    ).all()
    return [
        TijdlijnRegel(
            id=b.id,
            moment=b.moment,
            kanaal="e-mail",
            richting="inkomend",
            gemeente=g or "",
            onderwerp=b.onderwerp[:200],
            vraag="",
            resultaat=EmailStatus(status).label.lower(),
            medewerker="",
            afdeling="",
            notitie=" ".join(b.tekst.split())[:KORT],
        )
        for b, status, g in rijen
    ]
