"""``kiss openklant export``: the objects of a period as request bodies the Klantinteracties
API accepts, for a first load of the register or an audit. The same mapping as the sender.

Each object is ``{"pad": "/partijen", "kissId": "…", "body": {…}}``, in an order a loader can
POST them (partijen, their addresses, actoren, klantcontacten, actor-klantcontacten,
internetaken). Links are ``{"uuid": …}``: the register's uuid when KISS already sent the object,
otherwise the local id (``kissId``) of the object earlier in the file, for the loader to replace.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import undefer
from sqlmodel import Session

from kiss.models import (
    Afdeling,
    Contactmoment,
    ContactmomentStatus,
    DigitaalAdres,
    Kennisartikel,
    Klant,
    Medewerker,
    OpenklantKoppeling,
    Richting,
    Team,
    Terugbelnotitie,
    Terugbelpoging,
    Zaak,
)
from kiss.services.openklant import mapping

FORMAAT = "kiss-openklant-export/1"


class _Verzamelaar:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.objecten: dict[str, list[dict[str, Any]]] = {
            k: []
            for k in (
                "partijen",
                "adressen",
                "actoren",
                "klantcontacten",
                "actorcontacten",
                "taken",
            )
        }
        self.gezien: set[tuple[str, uuid.UUID]] = set()
        self.koppelingen = {
            (k.soort, k.lokaal_id): str(k.extern_uuid)
            for k in session.execute(select(OpenklantKoppeling)).scalars()
        }

    def link(self, soort: str, lokaal_id: uuid.UUID) -> mapping.Link:
        return mapping.link(self.koppelingen.get((soort, lokaal_id), str(lokaal_id)))

    def voeg_toe(self, lijst: str, pad: str, kiss_id: uuid.UUID, body: dict[str, Any]) -> None:
        self.objecten[lijst].append({"pad": pad, "kissId": str(kiss_id), "body": body})

    def partij(self, klant_id: uuid.UUID | None) -> mapping.Link | None:
        if klant_id is None:
            return None
        klant = self.session.get(Klant, klant_id, options=[undefer("*")])
        if klant is None or mapping.partij_body(klant) is None:
            return None
        if ("klant", klant_id) not in self.gezien:
            self.gezien.add(("klant", klant_id))
            self.voeg_toe("partijen", "/partijen", klant_id, mapping.partij_body(klant) or {})
            for adres in self.session.execute(
                select(DigitaalAdres).where(DigitaalAdres.klant_id == klant_id)
            ).scalars():
                self.voeg_toe(
                    "adressen",
                    "/digitaleadressen",
                    adres.id,
                    mapping.digitaal_adres_body(adres, self.link("klant", klant_id)),
                )
        return self.link("klant", klant_id)

    def actor(self, soort: str, lokaal_id: uuid.UUID | None) -> mapping.Link | None:
        if lokaal_id is None:
            return None
        if soort == "medewerker":
            medewerker = self.session.get(Medewerker, lokaal_id)
            body = mapping.actor_medewerker_body(medewerker) if medewerker else None
        else:
            eenheid = self.session.get(Afdeling if soort == "afdeling" else Team, lokaal_id)
            body = mapping.actor_eenheid_body(soort, eenheid) if eenheid else None
        if body is None:
            return None
        if (soort, lokaal_id) not in self.gezien:
            self.gezien.add((soort, lokaal_id))
            self.voeg_toe("actoren", "/actoren", lokaal_id, body)
        return self.link(soort, lokaal_id)

    def klantcontact(self, contact: Contactmoment) -> None:
        if ("contactmoment", contact.id) in self.gezien:
            return
        self.gezien.add(("contactmoment", contact.id))
        klant = (
            self.session.get(Klant, contact.klant_id, options=[undefer("*")])
            if contact.klant_id
            else None
        )
        onderwerpen = mapping.onderwerpobjecten(
            self.session.get(Kennisartikel, contact.artikel_id) if contact.artikel_id else None,
            self.session.get(Zaak, contact.zaak_id) if contact.zaak_id else None,
        )
        body = mapping.maak_klantcontact_body(
            contact, klant, self.partij(contact.klant_id), onderwerpen[0] if onderwerpen else None
        )
        self.voeg_toe("klantcontacten", "/maak-klantcontact", contact.id, body)
        actor = self.actor("medewerker", contact.medewerker_id)
        if actor is not None:
            self.voeg_toe(
                "actorcontacten",
                "/actorklantcontacten",
                contact.id,
                {"actor": actor, "klantcontact": self.link("contactmoment", contact.id)},
            )

    def taak(self, notitie: Terugbelnotitie) -> None:
        actoren = [
            a
            for a in (
                self.actor("medewerker", notitie.toegewezen_medewerker_id),
                self.actor("team", notitie.toegewezen_team_id),
                self.actor("afdeling", notitie.toegewezen_afdeling_id),
            )
            if a is not None
        ][:1]
        if notitie.contactmoment_id and (
            bron := self.session.get(Contactmoment, notitie.contactmoment_id)
        ):
            self.klantcontact(bron)
            aanleiding = self.link("contactmoment", bron.id)
        else:
            klant = (
                self.session.get(Klant, notitie.klant_id, options=[undefer("*")])
                if notitie.klant_id
                else None
            )
            body: dict[str, Any] = {"klantcontact": mapping.notitie_klantcontact_body(notitie)}
            betrokkene = mapping.betrokkene_body(
                klant, self.partij(notitie.klant_id), initiator=True
            )
            if betrokkene:
                body["betrokkene"] = betrokkene
            self.voeg_toe("klantcontacten", "/maak-klantcontact", notitie.id, body)
            aanleiding = self.link("notitie_klantcontact", notitie.id)
        taak = mapping.internetaak_body(notitie, aanleiding, actoren)
        if notitie.afgehandeld_op is not None:
            taak["status"] = "verwerkt"  # afgehandeldOp is filled by the register itself
        self.voeg_toe("taken", "/internetaken", notitie.id, taak)

    def poging(self, poging: Terugbelpoging) -> None:
        notitie = self.session.get(Terugbelnotitie, poging.terugbelnotitie_id)
        if notitie is None:
            return
        klant = (
            self.session.get(Klant, notitie.klant_id, options=[undefer("*")])
            if notitie.klant_id
            else None
        )
        body: dict[str, Any] = {
            "klantcontact": mapping.poging_klantcontact_body(
                poging, notitie, mapping.notitie_onderwerp(notitie)
            ),
            "onderwerpobject": {
                "wasKlantcontact": None,
                "onderwerpobjectidentificator": mapping.internetaak_onderwerp(
                    self.link("terugbelnotitie", notitie.id)["uuid"]
                ),
            },
        }
        betrokkene = mapping.betrokkene_body(klant, self.partij(notitie.klant_id), initiator=False)
        if betrokkene:
            body["betrokkene"] = betrokkene
        self.voeg_toe("klantcontacten", "/maak-klantcontact", poging.id, body)


def exporteer(session: Session, van: datetime, tot: datetime) -> dict[str, Any]:
    """Everything of ``[van, tot)``: closed incoming contactmomenten, terugbelnotities made and
    call attempts logged in that period (with the partijen and actoren they refer to)."""
    verzamelaar = _Verzamelaar(session)
    for contact in session.execute(
        select(Contactmoment)
        .where(
            Contactmoment.status == ContactmomentStatus.AFGEROND,
            Contactmoment.richting == Richting.INKOMEND,
            Contactmoment.gestart_op >= van,
            Contactmoment.gestart_op < tot,
        )
        .order_by(Contactmoment.gestart_op)
    ).scalars():
        verzamelaar.klantcontact(contact)
    for notitie in session.execute(
        select(Terugbelnotitie)
        .where(Terugbelnotitie.aangemaakt_op >= van, Terugbelnotitie.aangemaakt_op < tot)
        .order_by(Terugbelnotitie.aangemaakt_op)
    ).scalars():
        verzamelaar.taak(notitie)
    for poging in session.execute(
        select(Terugbelpoging)
        .where(Terugbelpoging.moment >= van, Terugbelpoging.moment < tot)
        .order_by(Terugbelpoging.moment)
    ).scalars():
        verzamelaar.poging(poging)
    objecten = [o for lijst in verzamelaar.objecten.values() for o in lijst]
    return {
        "formaat": FORMAAT,
        "api": "Klantinteracties 0.9.0",
        "van": van.isoformat(),
        "tot": tot.isoformat(),
        "aantal": len(objecten),
        "objecten": objecten,
    }
