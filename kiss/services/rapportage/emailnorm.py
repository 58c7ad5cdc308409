"""The e-mail norm per gemeente: mail to the central address answered within the term
(3 werkdagen by default), next to first-contact resolution and the terugbelnorm.

Counted are the cases (a first mail with its thread) *received* in the period, except those
closed without an answer (automatic mail, spam). A case is answered when our answer went out,
when the agent marked a forwarded mail answered, or when its terugbelnotitie was followed up.

- *binnen termijn*: answered before or exactly at the deadline;
- *te laat beantwoord*: answered after the deadline;
- *open, al te laat*: not answered and the deadline has passed;
- *open, nog op tijd*: not answered, deadline still ahead; not counted yet.

E-mailnorm = binnen termijn / (binnen termijn + te laat beantwoord + open al te laat). One
grouped query; the period is that of :class:`~kiss.services.rapportage.normen.Periode`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from kiss.models import Gemeente
from kiss.models.email import EmailStatus, EmailZaak
from kiss.services.rapportage.normen import ONBEKEND, Periode, PeriodeFout

DOEL_EMAILNORM = 0.90


@dataclass(frozen=True)
class EmailNorm:
    gemeente: str
    mails: int = 0
    binnen_termijn: int = 0
    te_laat_beantwoord: int = 0
    open_te_laat: int = 0
    open_op_tijd: int = 0

    @property
    def beslist(self) -> int:
        return self.binnen_termijn + self.te_laat_beantwoord + self.open_te_laat

    @property
    def pct(self) -> float | None:
        return None if not self.beslist else self.binnen_termijn / self.beslist

    def als_dict(self) -> dict[str, object]:
        return asdict(self) | {
            "emailnorm_pct": None if self.pct is None else round(100 * self.pct, 1)
        }


def email_norm(
    session: Session, periode: Periode, *, nu: datetime, gemeente: str | None = None
) -> list[EmailNorm]:
    """One row per gemeente (every gemeente, also without mail) and ``totaal`` last."""
    grenzen = periode.grenzen()
    namen = {g.id: g.naam for g in session.execute(select(Gemeente)).scalars()}
    z = EmailZaak
    voorwaarden = [
        z.ontvangen_op >= grenzen[0],
        z.ontvangen_op < grenzen[-1],
        col(z.status) != EmailStatus.GESLOTEN,
    ]
    if gemeente is not None:
        gekozen = [i for i, n in namen.items() if n.casefold() == gemeente.strip().casefold()]
        if not gekozen:
            raise PeriodeFout(f"Gemeente '{gemeente}' bestaat niet.")
        namen = {i: namen[i] for i in gekozen}
        voorwaarden.append(col(z.gemeente_id).in_(gekozen))
    stand = case(
        (col(z.beantwoord_op).is_(None) & (z.deadline < nu), "open_te_laat"),
        (col(z.beantwoord_op).is_(None), "open_op_tijd"),
        (z.beantwoord_op <= z.deadline, "binnen_termijn"),
        else_="te_laat_beantwoord",
    )
    tellingen: dict[str, dict[str, int]] = {}
    for gemeente_id, toestand, aantal in session.execute(
        select(z.gemeente_id, stand, func.count())
        .where(*voorwaarden)
        .group_by(z.gemeente_id, stand)
    ).all():
        naam = namen.get(gemeente_id, ONBEKEND)
        per = tellingen.setdefault(naam, {})
        per[toestand] = per.get(toestand, 0) + aantal
        per["mails"] = per.get("mails", 0) + aantal
    for naam in namen.values():
        tellingen.setdefault(naam, {})
    rijen = [EmailNorm(naam, **tellingen[naam]) for naam in sorted(tellingen)]
    velden = ("mails", "binnen_termijn", "te_laat_beantwoord", "open_te_laat", "open_op_tijd")
    totaal = EmailNorm("totaal", **{v: sum(getattr(r, v) for r in rijen) for v in velden})
    return [*rijen, totaal]
