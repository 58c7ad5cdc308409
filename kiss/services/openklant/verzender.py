"""Sends the outbox rows of soort ``openklant``: builds the bodies from the local rows at send
time (so a later correction goes along), creates what the object links to first (partij,
actoren, the klantcontact that led to a taak), and stores every remote uuid it learns in
``openklant_koppeling``.

Idempotent: a linked object is never sent again; a partij or actor is looked up before it is
created; and when a row is tried again (after a timeout, say) the klantcontact or internetaak
is first looked up by its ``referentienummer``, so nothing is created twice.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import undefer

from kiss.db import read_scope, session_scope
from kiss.models import (
    Afdeling,
    Contactmoment,
    ContactmomentStatus,
    DigitaalAdres,
    Kennisartikel,
    Klant,
    Medewerker,
    OpenklantKoppeling,
    Team,
    Terugbelnotitie,
    Terugbelpoging,
    Uitgaand,
    Zaak,
)
from kiss.services import uitgaand
from kiss.services.openklant import mapping
from kiss.services.openklant.client import OpenklantClient, RegisterWeigering
from kiss.services.openklant.config import OpenklantConfig
from kiss.services.uitgaand import Geweigerd, Resultaat, TijdelijkeFout

SOORT = "openklant"
T = TypeVar("T")
_slotlock = threading.Lock()
_slots: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()  # freed when unused


class Verzender:
    """Callable for :func:`kiss.services.uitgaand.verwerk`."""

    def __init__(self, engine: Engine, client: OpenklantClient) -> None:
        self.engine = engine
        self.client = client
        self.waarschuwingen: list[str] = []  # side objects the register refused (addresses)

    # ------------------------------------------------------------------ bookkeeping

    def _lees(self, model: type[T], lokaal_id: uuid.UUID | None) -> T | None:
        if lokaal_id is None:
            return None
        with read_scope(self.engine) as session:
            # every column now, deferred ones (the BSN) included: the row leaves the session
            return session.get(model, lokaal_id, options=[undefer("*")])

    def gekoppeld(self, soort: str, lokaal_id: uuid.UUID) -> str | None:
        with read_scope(self.engine) as session:
            waarde = session.execute(
                select(OpenklantKoppeling.extern_uuid).where(
                    OpenklantKoppeling.soort == soort, OpenklantKoppeling.lokaal_id == lokaal_id
                )
            ).scalar_one_or_none()
        return str(waarde) if waarde else None

    def koppel(self, soort: str, lokaal_id: uuid.UUID, extern: str) -> None:
        koppel(self.engine, soort, lokaal_id, extern)

    def _eerste(self, pad: str, params: dict[str, Any]) -> dict[str, Any] | None:
        data = self.client.get(pad, {**params, "pageSize": 1})
        resultaten = data.get("results") or []
        return resultaten[0] if resultaten else None

    def _zoek_of_maak(
        self, pad: str, zoek: dict[str, Any], body: dict[str, Any], *, eerst_zoeken: bool = True
    ) -> str:
        """Find by ``zoek``; otherwise create. A refused create is looked up once more (another
        runner may just have created the same object, e.g. the same BSN)."""
        if eerst_zoeken:
            gevonden = self._eerste(pad, zoek)
            if gevonden:
                return str(gevonden["uuid"])
        try:
            return str(self.client.post(pad, body)["uuid"])
        except RegisterWeigering:
            gevonden = self._eerste(pad, zoek)
            if gevonden:
                return str(gevonden["uuid"])
            raise

    @contextmanager
    def _slot(self, soort: str, lokaal_id: uuid.UUID) -> Iterator[None]:
        """One sender at a time makes sure a given object exists: two runners working on
        different rows that need the same partij, actor or klantcontact never both create it.
        Threads of one process share a lock; on PostgreSQL an advisory lock (on its own
        autocommit connection, no transaction held open) covers other processes too."""
        sleutel = f"openklant:{soort}:{lokaal_id}"
        with _slotlock:
            lokaal = _slots.get(sleutel)
            if lokaal is None:
                lokaal = _slots[sleutel] = threading.RLock()
        with lokaal:
            if self.engine.dialect.name != "postgresql":
                yield
                return
            with self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as verbinding:
                verbinding.execute(text("SELECT pg_advisory_lock(hashtext(:k))"), {"k": sleutel})
                try:
                    yield
                finally:
                    verbinding.execute(
                        text("SELECT pg_advisory_unlock(hashtext(:k))"), {"k": sleutel}
                    )

    # ------------------------------------------------------------------ dispatch

    def __call__(self, rij: Uitgaand) -> str | None:
        payload = rij.payload
        herhaling = rij.pogingen > 1
        soort = payload.get("type")
        if soort == "klantcontact":
            return self.klantcontact(uuid.UUID(payload["contactmoment_id"]), herhaling)
        if soort == "internetaak":
            return self.internetaak(uuid.UUID(payload["terugbelnotitie_id"]), herhaling)
        if soort == "poging":
            return self.poging(uuid.UUID(payload["poging_id"]), herhaling)
        if soort == "afgehandeld":
            contact_id = payload.get("contactmoment_id")
            return self.afgehandeld(
                uuid.UUID(payload["terugbelnotitie_id"]),
                uuid.UUID(contact_id) if contact_id else None,
                herhaling,
            )
        if soort == "heropend":
            return self.heropend(uuid.UUID(payload["terugbelnotitie_id"]))
        raise Geweigerd(f"Onbekend soort bericht voor Open Klant: {soort!r}.")

    # ------------------------------------------------------------------ partijen

    def partij(self, klant_id: uuid.UUID | None) -> mapping.Link | None:
        if klant_id is None:
            return None
        with self._slot("klant", klant_id):
            return self._partij(klant_id)

    def _partij(self, klant_id: uuid.UUID | None) -> mapping.Link | None:
        """The klant's partij: linked, found (by BSN or KvK-nummer) or created; with its
        digital addresses. None for a klant without BSN/KvK (no shared key, see docs)."""
        if klant_id is None:
            return None
        bekend = self.gekoppeld("klant", klant_id)
        if bekend:
            return mapping.link(bekend)
        klant = self._lees(Klant, klant_id)
        if klant is None:
            return None
        body = mapping.partij_body(klant)
        zoek = mapping.partij_zoekvraag(klant)
        if body is None or zoek is None:
            return None
        partij_uuid = self._zoek_of_maak("partijen", zoek, body)
        self._partij_adressen(klant_id, mapping.link(partij_uuid))
        self.koppel("klant", klant_id, partij_uuid)
        return mapping.link(partij_uuid)

    def _partij_adressen(self, klant_id: uuid.UUID, partij: mapping.Link) -> None:
        with read_scope(self.engine) as session:
            adressen = list(
                session.execute(select(DigitaalAdres).where(DigitaalAdres.klant_id == klant_id))
                .scalars()
                .all()
            )
        for adres in adressen:
            body = mapping.digitaal_adres_body(adres, partij)
            self._adres(body)

    def _adres(self, body: dict[str, Any]) -> None:
        try:
            self._zoek_of_maak("digitaleadressen", {"referentie": body["referentie"]}, body)
        except RegisterWeigering as weigering:  # an odd address must not hold up the contact
            self.waarschuwingen.append(weigering.reden)

    # ------------------------------------------------------------------ actoren

    def _actor(self, soort: str, lokaal_id: uuid.UUID, body: dict[str, Any]) -> mapping.Link:
        with self._slot(soort, lokaal_id):
            return self._actor_in_slot(soort, lokaal_id, body)

    def _actor_in_slot(
        self, soort: str, lokaal_id: uuid.UUID, body: dict[str, Any]
    ) -> mapping.Link:
        bekend = self.gekoppeld(soort, lokaal_id)
        if bekend:
            return mapping.link(bekend)
        actor_uuid = self._zoek_of_maak("actoren", mapping.actor_zoekvraag(soort, lokaal_id), body)
        self.koppel(soort, lokaal_id, actor_uuid)
        return mapping.link(actor_uuid)

    def actor_medewerker(self, medewerker_id: uuid.UUID | None) -> mapping.Link | None:
        medewerker = self._lees(Medewerker, medewerker_id)
        if medewerker is None:
            return None
        body = mapping.actor_medewerker_body(medewerker)
        if body is None:
            return None
        return self._actor("medewerker", medewerker.id, body)

    def actor_eenheid(self, soort: str, eenheid_id: uuid.UUID | None) -> mapping.Link | None:
        model = Afdeling if soort == "afdeling" else Team
        eenheid = self._lees(model, eenheid_id)
        if eenheid is None:
            return None
        return self._actor(soort, eenheid.id, mapping.actor_eenheid_body(soort, eenheid))

    def toegewezen_actoren(self, notitie: Terugbelnotitie) -> list[mapping.Link]:
        """The medewerker; without a phone number the register accepts, their team or
        afdeling; otherwise the team or afdeling the note is for."""
        medewerker = self._lees(Medewerker, notitie.toegewezen_medewerker_id)
        kandidaten: list[tuple[str, uuid.UUID | None]] = []
        if medewerker is not None:
            actor = self.actor_medewerker(medewerker.id)
            if actor:
                return [actor]
            kandidaten += [("team", medewerker.team_id), ("afdeling", medewerker.afdeling_id)]
        kandidaten += [
            ("team", notitie.toegewezen_team_id),
            ("afdeling", notitie.toegewezen_afdeling_id),
        ]
        for soort, eenheid_id in kandidaten:
            actor = self.actor_eenheid(soort, eenheid_id)
            if actor:
                return [actor]
        raise Geweigerd(
            "De terugbelnotitie is aan niemand toegewezen die Open Klant kent "
            "(geen afdeling, team of medewerker met telefoonnummer)."
        )

    # ------------------------------------------------------------------ klantcontacten

    def _maak_klantcontact(
        self, body: dict[str, Any], referentie: str, herhaling: bool
    ) -> tuple[str, str | None, bool]:
        """POST /maak-klantcontact, or after an earlier attempt first look it up.
        Returns klantcontact, betrokkene and whether it was created just now."""
        if herhaling:
            gevonden = self._eerste("klantcontacten", {"referentienummer": referentie})
            if gevonden:
                betrokkene = self._eerste(
                    "betrokkenen", {"hadKlantcontact__uuid": gevonden["uuid"]}
                )
                betrokkene_uuid = str(betrokkene["uuid"]) if betrokkene else None
                return str(gevonden["uuid"]), betrokkene_uuid, False
        antwoord = self.client.post("maak-klantcontact", body)
        betrokkene = antwoord.get("betrokkene") or {}
        betrokkene_uuid = str(betrokkene["uuid"]) if betrokkene.get("uuid") else None
        return str(antwoord["klantcontact"]["uuid"]), betrokkene_uuid, True

    def _extra_onderwerp(
        self, klantcontact: str, identificator: dict[str, str], nieuw: bool
    ) -> None:
        zoek = {
            "klantcontact__uuid": klantcontact,
            "onderwerpobjectidentificatorObjectId": identificator["objectId"],
        }
        body = {
            "klantcontact": mapping.link(klantcontact),
            "wasKlantcontact": None,
            "onderwerpobjectidentificator": identificator,
        }
        # a klantcontact created just now cannot have it yet: no need to look first
        self._zoek_of_maak("onderwerpobjecten", zoek, body, eerst_zoeken=not nieuw)

    def _actor_bij_contact(
        self, klantcontact: str, medewerker_id: uuid.UUID | None, nieuw: bool
    ) -> None:
        actor = self.actor_medewerker(medewerker_id)
        if actor is None:
            return
        zoek = {"actor__uuid": actor["uuid"], "klantcontact__uuid": klantcontact}
        body = {"actor": actor, "klantcontact": mapping.link(klantcontact)}
        self._zoek_of_maak("actorklantcontacten", zoek, body, eerst_zoeken=not nieuw)

    def klantcontact(
        self,
        contact_id: uuid.UUID,
        herhaling: bool,
        extra_onderwerp: dict[str, str] | None = None,
    ) -> str:
        with self._slot("contactmoment", contact_id):
            return self._klantcontact(contact_id, herhaling, extra_onderwerp)

    def _klantcontact(
        self,
        contact_id: uuid.UUID,
        herhaling: bool,
        extra_onderwerp: dict[str, str] | None = None,
    ) -> str:
        bekend = self.gekoppeld("contactmoment", contact_id)
        if bekend:
            return bekend
        contact = self._lees(Contactmoment, contact_id)
        if contact is None:
            raise Geweigerd("Het contactmoment bestaat niet meer in KISS (opgeschoond?).")
        if contact.status != ContactmomentStatus.AFGEROND:
            raise TijdelijkeFout("Het contactmoment is nog niet afgerond; het wacht daarop.")
        klant = self._lees(Klant, contact.klant_id)
        partij = self.partij(contact.klant_id)
        onderwerpen = mapping.onderwerpobjecten(
            self._lees(Kennisartikel, contact.artikel_id), self._lees(Zaak, contact.zaak_id)
        )
        if extra_onderwerp is not None:
            onderwerpen.append(extra_onderwerp)
        body = mapping.maak_klantcontact_body(
            contact, klant, partij, onderwerpen[0] if onderwerpen else None
        )
        kc, betrokkene, nieuw = self._maak_klantcontact(
            body, body["klantcontact"]["referentienummer"], herhaling
        )
        for identificator in onderwerpen[1:]:
            self._extra_onderwerp(kc, identificator, nieuw)
        self._actor_bij_contact(kc, contact.medewerker_id, nieuw)
        if betrokkene:
            self.koppel("betrokkene", contact_id, betrokkene)
        self.koppel("contactmoment", contact_id, kc)
        return kc

    def _betrokkene(self, klantcontact: str, sleutel: uuid.UUID) -> mapping.Link:
        with self._slot("betrokkene", sleutel):
            return self._betrokkene_in_slot(klantcontact, sleutel)

    def _betrokkene_in_slot(self, klantcontact: str, sleutel: uuid.UUID) -> mapping.Link:
        """The betrokkene of a klantcontact, for the callback addresses; an anonymous
        contact gets one now (rol klant, no partij)."""
        bekend = self.gekoppeld("betrokkene", sleutel)
        if bekend:
            return mapping.link(bekend)
        gevonden = self._eerste("betrokkenen", {"hadKlantcontact__uuid": klantcontact})
        if gevonden:
            betrokkene = str(gevonden["uuid"])
        else:
            betrokkene = str(
                self.client.post(
                    "betrokkenen",
                    {
                        "hadKlantcontact": mapping.link(klantcontact),
                        "wasPartij": None,
                        "rol": "klant",
                        "initiator": True,
                    },
                )["uuid"]
            )
        self.koppel("betrokkene", sleutel, betrokkene)
        return mapping.link(betrokkene)

    # ------------------------------------------------------------------ internetaken

    def _aanleiding(self, notitie: Terugbelnotitie) -> tuple[str, uuid.UUID]:
        """The klantcontact that led to the note: its contactmoment's, or one of its own."""
        if notitie.contactmoment_id and self._lees(Contactmoment, notitie.contactmoment_id):
            return self.klantcontact(notitie.contactmoment_id, True), notitie.contactmoment_id
        bekend = self.gekoppeld("notitie_klantcontact", notitie.id)
        if bekend:
            return bekend, notitie.id
        klant = self._lees(Klant, notitie.klant_id)
        body: dict[str, Any] = {"klantcontact": mapping.notitie_klantcontact_body(notitie)}
        betrokkene = mapping.betrokkene_body(klant, self.partij(notitie.klant_id), initiator=True)
        if betrokkene:
            body["betrokkene"] = betrokkene
        kc, betrokkene_uuid, _ = self._maak_klantcontact(
            body, body["klantcontact"]["referentienummer"], True
        )
        if betrokkene_uuid:
            self.koppel("betrokkene", notitie.id, betrokkene_uuid)
        self.koppel("notitie_klantcontact", notitie.id, kc)
        return kc, notitie.id

    def internetaak(self, notitie_id: uuid.UUID, herhaling: bool) -> str:
        with self._slot("terugbelnotitie", notitie_id):  # covers its own klantcontact too
            return self._internetaak(notitie_id, herhaling)

    def _internetaak(self, notitie_id: uuid.UUID, herhaling: bool) -> str:
        bekend = self.gekoppeld("terugbelnotitie", notitie_id)
        if bekend:
            return bekend
        notitie = self._lees(Terugbelnotitie, notitie_id)
        if notitie is None:
            raise Geweigerd("De terugbelnotitie bestaat niet meer in KISS.")
        kc, bron = self._aanleiding(notitie)
        actoren = self.toegewezen_actoren(notitie)
        body = mapping.internetaak_body(notitie, mapping.link(kc), actoren)
        taak = None
        if herhaling:
            gevonden = self._eerste("internetaken", {"referentienummer": body["referentienummer"]})
            taak = str(gevonden["uuid"]) if gevonden else None
        if taak is None:
            taak = str(self.client.post("internetaken", body)["uuid"])
        betrokkene = self._betrokkene(kc, bron)
        adressen = [
            (notitie.terugbelnummer, "telefoonnummer", "terugbelnummer", "tb"),
            (notitie.extra_nummer, "telefoonnummer", "extra terugbelnummer", "tx"),
            (notitie.email, "email", "e-mail voor terugkoppeling", "te"),
        ]
        for waarde, soort, omschrijving, code in adressen:
            if waarde.strip():
                referentie = mapping.adres_referentie(code, notitie.id)
                self._adres(
                    mapping.betrokkene_adres_body(
                        waarde, soort, omschrijving, betrokkene, referentie
                    )
                )
        self.koppel("terugbelnotitie", notitie_id, taak)
        return taak

    def poging(self, poging_id: uuid.UUID, herhaling: bool) -> str:
        bekend = self.gekoppeld("terugbelpoging", poging_id)
        if bekend:
            return bekend
        poging = self._lees(Terugbelpoging, poging_id)
        if poging is None:
            raise Geweigerd("De belpoging bestaat niet meer in KISS.")
        notitie = self._lees(Terugbelnotitie, poging.terugbelnotitie_id)
        assert notitie is not None  # a poging cannot outlive its note (foreign key)
        taak = self.internetaak(notitie.id, True)
        klant = self._lees(Klant, notitie.klant_id)
        body: dict[str, Any] = {
            "klantcontact": mapping.poging_klantcontact_body(
                poging, notitie, mapping.notitie_onderwerp(notitie)
            ),
            "onderwerpobject": {
                "wasKlantcontact": None,
                "onderwerpobjectidentificator": mapping.internetaak_onderwerp(taak),
            },
        }
        betrokkene = mapping.betrokkene_body(klant, self.partij(notitie.klant_id), initiator=False)
        if betrokkene:
            body["betrokkene"] = betrokkene
        kc, _, nieuw = self._maak_klantcontact(
            body, body["klantcontact"]["referentienummer"], herhaling
        )
        self._actor_bij_contact(kc, poging.medewerker_id, nieuw)
        self.koppel("terugbelpoging", poging_id, kc)
        return kc

    def afgehandeld(
        self, notitie_id: uuid.UUID, contact_id: uuid.UUID | None, herhaling: bool
    ) -> str:
        taak = self.internetaak(notitie_id, True)
        with read_scope(self.engine) as session:
            pogingen = session.execute(
                select(func.count())
                .select_from(Terugbelpoging)
                .where(Terugbelpoging.terugbelnotitie_id == notitie_id)
            ).scalar_one()
        if contact_id is not None and pogingen == 0:
            # called back without logging attempts: the closing call is the only record
            self.klantcontact(contact_id, herhaling, mapping.internetaak_onderwerp(taak))
        self.client.patch(f"internetaken/{taak}", {"status": "verwerkt"})
        return taak

    def heropend(self, notitie_id: uuid.UUID) -> str:
        taak = self.internetaak(notitie_id, True)
        self.client.patch(f"internetaken/{taak}", {"status": "te_verwerken", "afgehandeldOp": None})
        return taak


def koppeling_insert(
    dialect: str, soort: str, lokaal_id: uuid.UUID, extern: str | uuid.UUID
) -> Any:
    """INSERT of a link that does nothing when the local row is linked already."""
    waarden = {
        "id": uuid.uuid4(),
        "soort": soort,
        "lokaal_id": lokaal_id,
        "extern_uuid": uuid.UUID(str(extern)),
        "aangemaakt_op": datetime.now(UTC),
    }
    tabel = OpenklantKoppeling.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(tabel)
        .values(**waarden)
        .on_conflict_do_nothing(index_elements=["soort", "lokaal_id"])
    )


def koppel(engine: Engine, soort: str, lokaal_id: uuid.UUID, extern: str | uuid.UUID) -> None:
    """Remember which remote object belongs to a local row (a second time changes nothing)."""
    with session_scope(engine) as session:
        session.execute(koppeling_insert(engine.dialect.name, soort, lokaal_id, extern))


def sync(
    engine: Engine,
    config: OpenklantConfig,
    *,
    nu: datetime | None = None,
    max_aantal: int = 500,
    klok: Callable[[], datetime] | None = None,
) -> Resultaat:
    """One run over the due ``openklant`` rows (``kiss openklant sync``; ``kiss dienst`` calls
    it in a loop)."""
    if not config.kan_verzenden:
        raise TijdelijkeFout(
            "Geen token voor Open Klant: zet KISS_OPENKLANT_TOKEN of KISS_OPENKLANT_TOKEN_FILE."
        )
    verzender = Verzender(engine, OpenklantClient(config))
    resultaat = uitgaand.verwerk(engine, SOORT, verzender, nu=nu, max_aantal=max_aantal, klok=klok)
    resultaat.fouten.extend(verzender.waarschuwingen)
    return resultaat
