"""Reading the register: partijen KISS does not know yet, and klantcontacten made elsewhere
(other channels, the backoffice app). Textual-free; every call goes over the network, so a
screen runs these in a worker with a short timeout and shows the local data meanwhile.

- :func:`zoek_partijen`: by phone number, e-mail, BSN or KvK-nummer (never by name).
- :func:`neem_over`: a partij found only in the register becomes a local klant (with its
  addresses and a link), so the contact can be attached and the sender reuses the partij.
- :func:`klantcontacten_van`: the register's klantcontacten of a klant's partij, minus the ones
  KISS itself sent, marked with their source.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from kiss.db import read_scope
from kiss.models import DigitaalAdres, Klant, KlantSoort, OpenklantKoppeling
from kiss.services.klant.zoeken import ZoekSoort, Zoekvraag
from kiss.services.naam import naam_sleutel
from kiss.services.openklant import mapping
from kiss.services.openklant.client import OpenklantClient, RegisterStoring
from kiss.services.openklant.config import OpenklantConfig
from kiss.services.openklant.verzender import koppeling_insert

BRON = "Open Klant"


@dataclass(frozen=True)
class RegisterAdres:
    soort: str  # telefoonnummer | email | overig
    adres: str
    omschrijving: str


@dataclass(frozen=True)
class RegisterPartij:
    uuid: str
    soort: str  # persoon | organisatie | contactpersoon
    naam: str
    bsn: str | None
    kvk_nummer: str | None
    adressen: tuple[RegisterAdres, ...]
    klant_id: uuid.UUID | None  # the local klant, when KISS knows this partij already
    bron: str = BRON

    @property
    def alleen_in_register(self) -> bool:
        return self.klant_id is None


@dataclass(frozen=True)
class RegisterContact:
    uuid: str
    moment: datetime | None
    kanaal: str
    onderwerp: str
    inhoud: str
    gelukt: bool | None
    bron: str = BRON


@dataclass(frozen=True)
class Leesresultaat:
    """What came back, or why nothing did (a Dutch message for the screen; never an error)."""

    partijen: list[RegisterPartij]
    contacten: list[RegisterContact]
    melding: str = ""


# ------------------------------------------------------------------------------ parsing


def _identificatoren(partij: dict[str, Any]) -> dict[str, str]:
    uit: dict[str, str] = {}
    for ident in partij.get("partijIdentificatoren") or []:
        pi = ident.get("partijIdentificator") or {}
        if pi.get("codeSoortObjectId") and pi.get("objectId"):
            uit[str(pi["codeSoortObjectId"])] = str(pi["objectId"])
    return uit


def _naam(partij: dict[str, Any]) -> str:
    ident = partij.get("partijIdentificatie") or {}
    if partij.get("soortPartij") == "organisatie":
        return str(ident.get("naam") or "")
    if ident.get("volledigeNaam"):
        return str(ident["volledigeNaam"])
    naam = ident.get("contactnaam") or {}
    delen = (naam.get(k) for k in ("voornaam", "voorvoegselAchternaam", "achternaam"))
    return " ".join(str(d) for d in delen if d)


def _moment(tekst: Any) -> datetime | None:
    if not tekst:
        return None
    try:
        moment = datetime.fromisoformat(str(tekst).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _lokale_klant(session: Session, partij_uuid: str, ids: dict[str, str]) -> uuid.UUID | None:
    gekoppeld = session.execute(
        select(OpenklantKoppeling.lokaal_id).where(
            OpenklantKoppeling.soort == "klant",
            OpenklantKoppeling.extern_uuid == uuid.UUID(partij_uuid),
        )
    ).scalar_one_or_none()
    if gekoppeld is not None:
        return gekoppeld
    if ids.get("kvk_nummer"):
        return session.execute(
            select(Klant.id).where(Klant.kvk_nummer == ids["kvk_nummer"]).limit(1)
        ).scalar_one_or_none()
    if ids.get("bsn"):
        try:  # only a role that may read the BSN column can match on it
            with session.begin_nested():
                return session.execute(
                    select(Klant.id).where(Klant.bsn == ids["bsn"])
                ).scalar_one_or_none()
        except DBAPIError:
            return None
    return None


# ------------------------------------------------------------------------------ partijen


def _partij(client: OpenklantClient, session: Session, data: dict[str, Any]) -> RegisterPartij:
    ids = _identificatoren(data)
    adressen = tuple(
        RegisterAdres(
            str(a.get("soortDigitaalAdres", "")),
            str(a.get("adres", "")),
            str(a.get("omschrijving", "")),
        )
        for a in client.zoek("digitaleadressen", {"verstrektDoorPartij__uuid": data["uuid"]})
    )
    return RegisterPartij(
        uuid=str(data["uuid"]),
        soort=str(data.get("soortPartij", "")),
        naam=_naam(data),
        bsn=ids.get("bsn"),
        kvk_nummer=ids.get("kvk_nummer"),
        adressen=adressen,
        klant_id=_lokale_klant(session, str(data["uuid"]), ids),
    )


def zoek_partijen(
    client: OpenklantClient, session: Session, vraag: Zoekvraag, *, limiet: int = 10
) -> list[RegisterPartij]:
    """Partijen in the register for what the agent typed (phone, e-mail, BSN, KvK)."""
    gevonden: list[dict[str, Any]] = []
    if vraag.soort in (ZoekSoort.BSN, ZoekSoort.KVK):
        soort = "bsn" if vraag.soort == ZoekSoort.BSN else "kvk_nummer"
        gevonden = client.zoek(
            "partijen",
            {"partijIdentificator__codeSoortObjectId": soort,
             "partijIdentificator__objectId": vraag.waarde},
            max_paginas=1,
        )  # fmt: skip
    elif vraag.soort in (ZoekSoort.TELEFOON, ZoekSoort.EMAIL):
        if vraag.soort == ZoekSoort.TELEFOON:
            # the register may hold +31 6…, 06… or 0031 6…: search on the last nine digits
            kern = vraag.waarde[-9:]
            past = lambda adres: mapping.register_telefoon(adres) == vraag.waarde  # noqa: E731
        else:
            kern = vraag.waarde
            past = lambda adres: adres.strip().lower() == vraag.waarde  # noqa: E731
        partij_ids: list[str] = []
        for adres in client.zoek("digitaleadressen", {"adres__icontains": kern}, max_paginas=2):
            partij = (adres.get("verstrektDoorPartij") or {}).get("uuid")
            if partij and past(str(adres.get("adres", ""))) and partij not in partij_ids:
                partij_ids.append(str(partij))
        gevonden = [client.get(f"partijen/{p}") for p in partij_ids[:limiet]]
    return [_partij(client, session, data) for data in gevonden[:limiet]]


def neem_over(session: Session, partij: RegisterPartij) -> Klant:
    """Cache a partij found only in the register as a local klant (idempotent), so the agent
    can attach it to the contact; the link makes the sender reuse the partij."""
    bekend = partij.klant_id or _lokale_klant(
        session, partij.uuid, {"bsn": partij.bsn or "", "kvk_nummer": partij.kvk_nummer or ""}
    )
    if bekend is not None and (bestaand := session.get(Klant, bekend)) is not None:
        session.execute(
            koppeling_insert(session.get_bind().dialect.name, "klant", bestaand.id, partij.uuid)
        )
        return bestaand
    persoon = partij.soort != "organisatie"
    delen = partij.naam.split()
    klant = Klant(
        soort=KlantSoort.PERSOON if persoon else KlantSoort.ORGANISATIE,
        bsn=partij.bsn if persoon else None,
        voornamen=" ".join(delen[:-1])[:200] if persoon else "",
        achternaam=(delen[-1] if delen else "")[:200] if persoon else "",
        handelsnaam="" if persoon else partij.naam[:200],
        kvk_nummer=None if persoon else partij.kvk_nummer,
        aandachtspunten="",
    )
    klant.naam_sleutel = naam_sleutel(klant.handelsnaam or klant.achternaam)
    session.add(klant)
    session.flush()
    gezien: set[tuple[str, str]] = set()
    for adres in partij.adressen:
        soort = adres.soort if adres.soort in ("telefoonnummer", "email") else "overig"
        if soort == "telefoonnummer":
            genormaliseerd = mapping.register_telefoon(adres.adres) or adres.adres
        else:
            genormaliseerd = adres.adres.strip().lower()
        if (soort, genormaliseerd) in gezien:
            continue
        gezien.add((soort, genormaliseerd))
        session.add(
            DigitaalAdres(
                klant_id=klant.id,
                soort=soort,
                waarde=adres.adres[:254],
                genormaliseerd=genormaliseerd[:254],
                omschrijving=f"uit {BRON}"[:80],
            )
        )
    session.flush()
    session.execute(
        koppeling_insert(session.get_bind().dialect.name, "klant", klant.id, partij.uuid)
    )
    return klant


# ------------------------------------------------------------------------ klantcontacten


def klantcontacten_van(
    client: OpenklantClient, session: Session, klant_id: uuid.UUID, *, limiet: int = 50
) -> list[RegisterContact]:
    """The register's klantcontacten of this klant's partij that KISS did not send itself,
    newest first. Empty when the klant has no partij in the register (yet)."""
    koppelingen = {
        (k.soort, k.lokaal_id): str(k.extern_uuid)
        for k in session.execute(select(OpenklantKoppeling)).scalars()
    }
    partij = koppelingen.get(("klant", klant_id))
    if partij is None:
        return []
    eigen = set(koppelingen.values())
    contacten = [
        RegisterContact(
            uuid=str(kc["uuid"]),
            moment=_moment(kc.get("plaatsgevondenOp")),
            kanaal=str(kc.get("kanaal", "")),
            onderwerp=str(kc.get("onderwerp", "")),
            inhoud=str(kc.get("inhoud", "")),
            gelukt=kc.get("indicatieContactGelukt"),
        )
        for kc in client.zoek(
            "klantcontacten", {"hadBetrokkene__wasPartij__uuid": partij}, max_paginas=2
        )
        if str(kc["uuid"]) not in eigen and not (kc.get("metadata") or {}).get("kissId")
    ]
    contacten.sort(key=lambda c: c.moment or datetime.min.replace(tzinfo=UTC), reverse=True)
    return contacten[:limiet]


def lees_voor_klantbeeld(
    engine: Engine, config: OpenklantConfig, klant_id: uuid.UUID, *, timeout: float = 3.0
) -> Leesresultaat:
    """For the klantbeeld: the register's contacts of this klant; a down register gives an
    empty list and a Dutch message, never an exception."""
    client = OpenklantClient(_kort(config, timeout))
    try:
        with read_scope(engine) as session:
            return Leesresultaat([], klantcontacten_van(client, session, klant_id))
    except RegisterStoring as fout:
        return Leesresultaat([], [], f"Open Klant nu niet te raadplegen: {fout}")
    except Exception as fout:  # a refusal or an odd answer: show it, do not break the screen
        return Leesresultaat([], [], f"Open Klant gaf een onverwacht antwoord: {fout}")


def zoek_voor_identificatie(
    engine: Engine, config: OpenklantConfig, vraag: Zoekvraag, *, timeout: float = 3.0
) -> Leesresultaat:
    """For identifying a caller: partijen in the register for a phone number, e-mail, BSN or
    KvK-nummer; those with ``alleen_in_register`` are not known locally."""
    if vraag.soort not in (ZoekSoort.TELEFOON, ZoekSoort.EMAIL, ZoekSoort.BSN, ZoekSoort.KVK):
        return Leesresultaat([], [])
    client = OpenklantClient(_kort(config, timeout))
    try:
        with read_scope(engine) as session:
            return Leesresultaat(zoek_partijen(client, session, vraag), [])
    except RegisterStoring as fout:
        return Leesresultaat([], [], f"Open Klant nu niet te raadplegen: {fout}")
    except Exception as fout:
        return Leesresultaat([], [], f"Open Klant gaf een onverwacht antwoord: {fout}")


def _kort(config: OpenklantConfig, timeout: float) -> OpenklantConfig:
    return OpenklantConfig(url=config.url, token=config.token, timeout=min(config.timeout, timeout))
