"""Retention: personal data is kept no longer than the bewaartermijn, and no shorter than
the minimums below.

What goes when it is older than ``contactmomenten_dagen``:

* contactmomenten (all kanalen);
* afgehandelde terugbelnotities, with their belpogingen and overdracht history (open notes are
  never removed; they only lose the link to a removed contactmoment);
* klanten with no contactmoment or terugbelnotitie left and no open zaak, unchanged since the
  limit, with their digitale adressen and closed zaken.

The audit trail has its own, longer period (``audit_dagen``): whole old segments at the front
of the hash chain go, and the run records where the chain now starts, so ``kiss audit
controleer`` still verifies it. Every run (also ``droog``) is itself audited with its counts.
Deletes go in batches of ids, so PostgreSQL's limit of 65,535 parameters never matters.
Only a beheerder may run it: ``kiss opschonen`` (daily from cron, as the beheerder's login).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, not_, or_, select, update
from sqlmodel import Session, col

from kiss.models import (
    Auditregel,
    Contactmoment,
    DigitaalAdres,
    Klant,
    Medewerker,
    Terugbelnotitie,
    TerugbelOverdracht,
    Terugbelpoging,
    TerugbelStatus,
    Zaak,
)
from kiss.rollen import mag_opschonen, vereis
from kiss.services import audit
from kiss.validation import ValidatieFout

MIN_CONTACTMOMENTEN_DAGEN = 30
MAX_CONTACTMOMENTEN_DAGEN = 3650
MIN_AUDIT_DAGEN = 365
MAX_AUDIT_DAGEN = 7300
BATCH = 5000


@dataclass(frozen=True)
class Opschoonverslag:
    grens: datetime
    contactmomenten: int
    terugbelnotities: int
    auditregels: int
    terugbelpogingen: int = 0
    overdrachten: int = 0
    klanten: int = 0
    digitale_adressen: int = 0
    zaken: int = 0
    droog: bool = False


def valideer_termijnen(contactmomenten_dagen: Any, audit_dagen: Any) -> tuple[int, int]:
    """Both periods as whole days within the documented bounds; Dutch message otherwise."""
    waarden = []
    for naam, waarde, laag, hoog in (
        ("contactmomenten_dagen", contactmomenten_dagen, MIN_CONTACTMOMENTEN_DAGEN,
         MAX_CONTACTMOMENTEN_DAGEN),
        ("audit_dagen", audit_dagen, MIN_AUDIT_DAGEN, MAX_AUDIT_DAGEN),
    ):  # fmt: skip
        if isinstance(waarde, bool) or not isinstance(waarde, int):
            raise ValidatieFout(f"Bewaartermijn {naam} moet een geheel aantal dagen zijn.")
        if not laag <= waarde <= hoog:
            raise ValidatieFout(
                f"Bewaartermijn {naam} = {waarde} dagen kan niet: kies tussen {laag} en "
                f"{hoog} dagen."
            )
        waarden.append(waarde)
    if waarden[1] < waarden[0]:
        raise ValidatieFout(
            "De bewaartermijn van de audit (audit_dagen) moet minstens zo lang zijn als die "
            "van de contactmomenten: wie iets inzag, moet na te gaan blijven."
        )
    return waarden[0], waarden[1]


def _in_batches(session: Session, ids_query: Any, doe: Any) -> int:
    """Select up to BATCH ids, act on them, repeat until none are left."""
    totaal = 0
    while True:
        ids = list(session.execute(ids_query.limit(BATCH)).scalars())
        if not ids:
            return totaal
        doe(ids)
        totaal += len(ids)
        if len(ids) < BATCH:
            return totaal


def _tel(session: Session, query: Any) -> int:
    return int(session.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def _delete_ids(session: Session, model: Any, ids: Sequence[Any]) -> None:
    session.execute(delete(model).where(col(model.id).in_(ids)))


def _klanten_zonder_gegevens(grens: datetime) -> Any:
    return select(Klant.id).where(
        col(Klant.gewijzigd_op) < grens,
        not_(exists().where(Contactmoment.klant_id == Klant.id)),
        not_(exists().where(Terugbelnotitie.klant_id == Klant.id)),
        not_(exists().where(and_(Zaak.klant_id == Klant.id, not_(col(Zaak.afgesloten))))),
    )


def _audit_segment(session: Session, audit_grens: datetime) -> tuple[int, str]:
    """The whole front of the chain older than the limit: (last volgnummer, its hash)."""
    eerste_jonge = session.execute(
        select(func.min(Auditregel.volgnummer)).where(col(Auditregel.moment) >= audit_grens)
    ).scalar_one()
    if eerste_jonge is None:
        tot = session.execute(select(func.max(Auditregel.volgnummer))).scalar_one() or 0
    else:
        tot = int(eerste_jonge) - 1
    if tot <= 0:
        return 0, ""
    laatste = session.execute(
        select(Auditregel.hash).where(Auditregel.volgnummer == tot)
    ).scalar_one_or_none()
    return (tot, laatste) if laatste is not None else (0, "")


def schoon_op(
    session: Session,
    *,
    door: Medewerker,
    nu: datetime,
    contactmomenten_dagen: int,
    audit_dagen: int,
    droog: bool = False,
) -> Opschoonverslag:
    """Remove what is older than the retention periods (``droog``: only count)."""
    vereis(mag_opschonen(door), "gegevens op te schonen (bewaartermijn)")
    contactmomenten_dagen, audit_dagen = valideer_termijnen(contactmomenten_dagen, audit_dagen)
    grens = nu - timedelta(days=contactmomenten_dagen)
    audit_grens = nu - timedelta(days=audit_dagen)

    oude_contacten = select(Contactmoment.id).where(col(Contactmoment.gestart_op) < grens)
    oude_notities = select(Terugbelnotitie.id).where(
        Terugbelnotitie.status == TerugbelStatus.AFGEHANDELD,
        col(Terugbelnotitie.afgehandeld_op) < grens,
    )
    notitie_ids = oude_notities.scalar_subquery()
    pogingen = select(Terugbelpoging.id).where(
        col(Terugbelpoging.terugbelnotitie_id).in_(notitie_ids)
    )
    overdrachten = select(TerugbelOverdracht.id).where(
        col(TerugbelOverdracht.terugbelnotitie_id).in_(notitie_ids)
    )
    audit_tot, audit_hash = _audit_segment(session, audit_grens)
    oude_audit = select(Auditregel.id).where(col(Auditregel.volgnummer) <= audit_tot)

    if droog:
        # klanten that would go once their old contacts are gone: counted approximately,
        # as those without any recent contact, note or open zaak
        klanten_q = select(Klant.id).where(
            col(Klant.gewijzigd_op) < grens,
            not_(exists().where(and_(
                Contactmoment.klant_id == Klant.id, col(Contactmoment.gestart_op) >= grens))),
            not_(exists().where(and_(
                Terugbelnotitie.klant_id == Klant.id,
                or_(Terugbelnotitie.status != TerugbelStatus.AFGEHANDELD,
                    col(Terugbelnotitie.afgehandeld_op) >= grens)))),
            not_(exists().where(and_(Zaak.klant_id == Klant.id, not_(col(Zaak.afgesloten))))),
        )  # fmt: skip
        klant_ids = klanten_q.scalar_subquery()
        verslag = Opschoonverslag(
            grens=grens,
            contactmomenten=_tel(session, oude_contacten),
            terugbelnotities=_tel(session, oude_notities),
            auditregels=_tel(session, oude_audit),
            terugbelpogingen=_tel(session, pogingen),
            overdrachten=_tel(session, overdrachten),
            klanten=_tel(session, klanten_q),
            digitale_adressen=_tel(
                session, select(DigitaalAdres.id).where(col(DigitaalAdres.klant_id).in_(klant_ids))
            ),
            zaken=_tel(session, select(Zaak.id).where(col(Zaak.klant_id).in_(klant_ids))),
            droog=True,
        )
    else:
        n_pogingen = _in_batches(
            session, pogingen, lambda ids: _delete_ids(session, Terugbelpoging, ids)
        )
        n_overdrachten = _in_batches(
            session, overdrachten, lambda ids: _delete_ids(session, TerugbelOverdracht, ids)
        )
        n_notities = _in_batches(
            session, oude_notities, lambda ids: _delete_ids(session, Terugbelnotitie, ids)
        )

        def contacten_weg(ids: Sequence[Any]) -> None:
            # open notes keep their content; only the link to the removed contact goes
            session.execute(
                update(Terugbelnotitie)
                .where(col(Terugbelnotitie.contactmoment_id).in_(ids))
                .values(contactmoment_id=None)
            )
            _delete_ids(session, Contactmoment, ids)

        n_contacten = _in_batches(session, oude_contacten, contacten_weg)
        tellers = {"adressen": 0, "zaken": 0}

        def klanten_weg(ids: Sequence[Any]) -> None:
            tellers["adressen"] += session.execute(
                delete(DigitaalAdres).where(col(DigitaalAdres.klant_id).in_(ids))
            ).rowcount
            tellers["zaken"] += session.execute(
                delete(Zaak).where(col(Zaak.klant_id).in_(ids))
            ).rowcount
            _delete_ids(session, Klant, ids)

        n_klanten = _in_batches(session, _klanten_zonder_gegevens(grens), klanten_weg)
        from kiss.services.email import bewaren as email_bewaren  # the central mailbox

        email_bewaren.schoon_op(session, grens, door=door)
        n_audit = _in_batches(
            session,
            oude_audit.order_by(col(Auditregel.volgnummer)),
            lambda ids: _delete_ids(session, Auditregel, ids),
        )
        verslag = Opschoonverslag(
            grens=grens,
            contactmomenten=n_contacten,
            terugbelnotities=n_notities,
            auditregels=n_audit,
            terugbelpogingen=n_pogingen,
            overdrachten=n_overdrachten,
            klanten=n_klanten,
            digitale_adressen=tellers["adressen"],
            zaken=tellers["zaken"],
        )
        if n_audit:
            audit.log(
                session,
                door,
                audit.AUDIT_OPGESCHOOND,
                object_type="auditregel",
                details=json.dumps({"tot_en_met": audit_tot, "laatste_hash": audit_hash}),
            )
    tellingen = {k: v for k, v in asdict(verslag).items() if isinstance(v, int | bool)}
    tellingen["grens"] = grens.isoformat()  # type: ignore[assignment]
    audit.log(
        session,
        door,
        audit.OPGESCHOOND,
        object_type="bewaartermijn",
        details=json.dumps(tellingen),
    )
    session.flush()
    return verslag
