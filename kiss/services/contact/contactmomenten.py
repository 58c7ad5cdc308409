"""Contactmomenten: start, autosave as concept, attach a klant, afronden, nog een vraag.

A contactmoment being typed is saved as ``concept`` continuously, so nothing is lost on a
crash; the next start offers the medewerker's open concepten again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session, col

from kiss.config import DOORVERBONDEN, Settings
from kiss.models import (
    Afdeling,
    Contactmoment,
    ContactmomentStatus,
    ExterneOrganisatie,
    Gemeente,
    Kennisartikel,
    Klant,
    Klantsignaal,
    Medewerker,
    Team,
    Zaak,
    utcnow,
)
from kiss.models.base import veldlengte
from kiss.services import audit
from kiss.services.contact.bronnen import Bron, bewaar_bronnen, bronnen_van
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.openklant import haken as openklant


class ContactmomentNietGevonden(LookupError):
    pass


class AlAfgerond(ValueError):
    """The contactmoment was already closed (perhaps in another window)."""


@dataclass(frozen=True)
class ContactSamenvatting:
    """One open contactmoment, as the switcher shows it."""

    id: uuid.UUID
    gesprek_id: uuid.UUID
    kanaal: str
    gemeente: str
    klant_id: uuid.UUID | None
    klant_naam: str
    contact_nummer: str
    gestart_op: datetime
    onderwerp: str
    vraag: str
    notitie: str
    gespreksresultaat: str
    afdeling_id: uuid.UUID | None
    zaak_id: uuid.UUID | None
    artikel_id: uuid.UUID | None
    bronnen: tuple[Bron, ...] = ()
    klantsignaal: str = ""
    signaal_categorie: str = ""
    doorverbonden_naar: str = ""

    @property
    def label(self) -> str:
        wie = self.klant_naam or self.contact_nummer or "anoniem"
        return f"{self.kanaal} · {wie}"


@dataclass
class ContactInvoer:
    """The afronden fields, as typed."""

    onderwerp: str = ""
    artikel_id: uuid.UUID | None = None
    vraag: str = ""
    notitie: str = ""
    gespreksresultaat: str = ""
    afdeling_id: uuid.UUID | None = None
    zaak_id: uuid.UUID | None = None
    bronnen: tuple[Bron, ...] = ()
    klantsignaal: str = ""  # klacht, compliment, idee, melding or empty
    signaal_categorie: str = ""


MAX_VRAAG = veldlengte(Contactmoment, "vraag")
MAX_NOTITIE = veldlengte(Contactmoment, "notitie")
MAX_ONDERWERP = veldlengte(Contactmoment, "onderwerp")
MAX_RESULTAAT = veldlengte(Contactmoment, "gespreksresultaat")
MAX_DOORVERBONDEN = veldlengte(Contactmoment, "doorverbonden_naar")
MAX_NUMMER = veldlengte(Contactmoment, "contact_nummer")
MAX_CATEGORIE = veldlengte(Contactmoment, "signaal_categorie")


def _gemeente_id(session: Session, naam: str) -> uuid.UUID | None:
    gemeente = session.execute(select(Gemeente).where(Gemeente.naam == naam)).scalar_one_or_none()
    return gemeente.id if gemeente else None


def start(
    session: Session,
    medewerker: Medewerker,
    *,
    kanaal: str,
    gemeente: str,
    settings: Settings,
    contact_nummer: str = "",
    klant_id: uuid.UUID | None = None,
    nu: datetime | None = None,
) -> Contactmoment:
    if kanaal not in settings.kanalen:
        raise InvoerFouten({"kanaal": f"Onbekend kanaal '{kanaal}'."})
    gemeente_id = _gemeente_id(session, gemeente)
    if gemeente_id is None:
        raise InvoerFouten({"gemeente": f"Onbekende gemeente '{gemeente}'."})
    moment = nu or utcnow()
    contact = Contactmoment(
        kanaal=kanaal,
        gemeente_id=gemeente_id,
        medewerker_id=medewerker.id,
        contact_nummer=contact_nummer.strip()[:MAX_NUMMER],
        klant_id=klant_id,
        gestart_op=moment,
        gewijzigd_op=moment,
        status=ContactmomentStatus.CONCEPT,
    )
    session.add(contact)
    session.flush()
    return contact


def _concept(session: Session, contact_id: uuid.UUID) -> Contactmoment:
    contact = session.get(Contactmoment, contact_id)
    if contact is None:
        raise ContactmomentNietGevonden("Dit contactmoment bestaat niet meer.")
    if contact.status == ContactmomentStatus.AFGEROND:
        raise AlAfgerond("Dit contactmoment is al afgerond.")
    return contact


def koppel_klant(
    session: Session, contact_id: uuid.UUID, klant_id: uuid.UUID | None, nu: datetime | None = None
) -> None:
    """Attach (or, with None, detach: 'anoniem verder') the klant; every question of the same
    gesprek gets the same klant."""
    contact = _concept(session, contact_id)
    for deel in session.execute(
        select(Contactmoment).where(
            Contactmoment.gesprek_id == contact.gesprek_id,
            Contactmoment.status == ContactmomentStatus.CONCEPT,
        )
    ).scalars():
        deel.klant_id = klant_id
        deel.gewijzigd_op = nu or utcnow()
    session.flush()


def bewaar_concept(
    session: Session, contact_id: uuid.UUID, invoer: ContactInvoer, nu: datetime | None = None
) -> None:
    """Autosave: store what is typed so far, without validation (truncated to field lengths)."""
    contact = _concept(session, contact_id)
    contact.onderwerp = invoer.onderwerp[:MAX_ONDERWERP]
    contact.artikel_id = invoer.artikel_id
    contact.vraag = invoer.vraag[:MAX_VRAAG]
    contact.notitie = invoer.notitie[:MAX_NOTITIE]
    contact.gespreksresultaat = invoer.gespreksresultaat[:MAX_RESULTAAT]
    contact.afdeling_id = invoer.afdeling_id
    contact.zaak_id = invoer.zaak_id
    contact.klantsignaal = invoer.klantsignaal if invoer.klantsignaal in SIGNALEN else ""
    contact.signaal_categorie = invoer.signaal_categorie[:MAX_CATEGORIE]
    contact.gewijzigd_op = nu or utcnow()
    bewaar_bronnen(session, contact.id, invoer.bronnen)
    session.flush()


SIGNALEN = {s.value for s in Klantsignaal}


def valideer(invoer: ContactInvoer, settings: Settings) -> dict[str, str]:
    """Per-field Dutch messages for afronden; empty when all is well."""
    fouten: dict[str, str] = {}
    if not invoer.onderwerp.strip():
        fouten["onderwerp"] = "Kies een kennisbankartikel of typ een onderwerp."
    elif len(invoer.onderwerp) > MAX_ONDERWERP:
        fouten["onderwerp"] = f"Het onderwerp mag hoogstens {MAX_ONDERWERP} tekens zijn."
    if len(invoer.vraag) > MAX_VRAAG:
        fouten["vraag"] = (
            f"De vraag mag hoogstens {MAX_VRAAG} tekens zijn (nu {len(invoer.vraag)})."
        )
    if len(invoer.notitie) > MAX_NOTITIE:
        fouten["notitie"] = (
            f"De notitie mag hoogstens {MAX_NOTITIE} tekens zijn (nu {len(invoer.notitie)})."
        )
    if invoer.klantsignaal and invoer.klantsignaal not in SIGNALEN:
        fouten["klantsignaal"] = "Kies klacht, compliment, idee, melding of niets."
    if len(invoer.signaal_categorie) > MAX_CATEGORIE:
        fouten["signaal_categorie"] = f"De categorie mag hoogstens {MAX_CATEGORIE} tekens zijn."
    if invoer.signaal_categorie.strip() and not invoer.klantsignaal:
        fouten["klantsignaal"] = "Kies eerst of het een klacht, compliment, idee of melding is."
    resultaat = settings.resultaat(invoer.gespreksresultaat)
    if resultaat is None:
        fouten["gespreksresultaat"] = "Kies een gespreksresultaat."
    elif resultaat.afdeling_verplicht and invoer.afdeling_id is None:
        fouten["afdeling"] = "Kies de afdeling waarvoor de vraag is behandeld."
    return fouten


def rond_af(
    session: Session,
    medewerker: Medewerker,
    contact_id: uuid.UUID,
    invoer: ContactInvoer,
    settings: Settings,
    nu: datetime | None = None,
) -> Contactmoment:
    """Close the contactmoment; it appears on the klant's timeline for every agent."""
    fouten = valideer(invoer, settings)
    if fouten:
        raise InvoerFouten(fouten)
    bewaar_concept(session, contact_id, invoer, nu)
    contact = _concept(session, contact_id)
    moment = nu or utcnow()
    contact.status = ContactmomentStatus.AFGEROND
    contact.beeindigd_op = moment
    contact.gewijzigd_op = moment
    session.flush()
    audit.log(
        session,
        medewerker,
        audit.CONTACTMOMENT_AFGEROND,
        object_type="contactmoment",
        object_id=contact.id,
        klant_id=contact.klant_id,
        details=f"{contact.kanaal}: {contact.gespreksresultaat}",
    )
    openklant.contact_afgerond(session, contact)  # outbox row, same transaction
    return contact


def nog_een_vraag(
    session: Session, contact_id: uuid.UUID, nu: datetime | None = None
) -> Contactmoment:
    """A further question in the same contact: its own record, same klant, kanaal and time."""
    bron = session.get(Contactmoment, contact_id)
    if bron is None:
        raise ContactmomentNietGevonden("Dit contactmoment bestaat niet meer.")
    nieuw = Contactmoment(
        gesprek_id=bron.gesprek_id,
        gemeente_id=bron.gemeente_id,
        kanaal=bron.kanaal,
        richting=bron.richting,
        klant_id=bron.klant_id,
        medewerker_id=bron.medewerker_id,
        contact_nummer=bron.contact_nummer,
        gestart_op=bron.gestart_op,
        gewijzigd_op=nu or utcnow(),
        status=ContactmomentStatus.CONCEPT,
    )
    session.add(nieuw)
    session.flush()
    return nieuw


class DoorverbindenGeweigerd(ValueError):
    """This colleague does not take transferred calls (or has left); make a terugbelnotitie."""


CONTACTMOMENT_DOORVERBONDEN = "contactmoment_doorverbonden"


def doorverbind(
    session: Session,
    medewerker: Medewerker,
    contact_id: uuid.UUID,
    *,
    naar_medewerker_id: uuid.UUID | None = None,
    naar_organisatie_id: uuid.UUID | None = None,
    naar_team_id: uuid.UUID | None = None,
    naar_afdeling_id: uuid.UUID | None = None,
    nu: datetime | None = None,
) -> ContactSamenvatting:
    """Record on the open concept that the call was transferred, to exactly one colleague,
    team, afdeling or outside organisation: ``doorverbonden_naar`` (+ the medewerker id) and
    gespreksresultaat ``doorverbonden``; the afdeling is filled in where still empty."""
    doelen = [naar_medewerker_id, naar_organisatie_id, naar_team_id, naar_afdeling_id]
    if sum(d is not None for d in doelen) != 1:
        raise ValueError("Kies precies één collega, team, afdeling of organisatie.")
    contact = _concept(session, contact_id)
    afdeling_id: uuid.UUID | None = None
    if naar_medewerker_id is not None:
        collega = session.get(Medewerker, naar_medewerker_id)
        if collega is None:
            raise ContactmomentNietGevonden("Deze collega staat niet (meer) in het smoelenboek.")
        if not collega.actief:
            raise DoorverbindenGeweigerd(f"{collega.naam} is niet meer in dienst.")
        if collega.niet_doorverbinden:
            raise DoorverbindenGeweigerd(
                f"{collega.naam} wil niet doorverbonden worden: maak een terugbelnotitie."
            )
        naar, afdeling_id = collega.naam, collega.afdeling_id
        contact.doorverbonden_medewerker_id = collega.id
    else:
        eenheid = (
            session.get(ExterneOrganisatie, naar_organisatie_id)
            if naar_organisatie_id
            else session.get(Team, naar_team_id)
            if naar_team_id
            else session.get(Afdeling, naar_afdeling_id)
        )
        if eenheid is None:
            raise ContactmomentNietGevonden("Dit doel staat niet (meer) in het smoelenboek.")
        naar = eenheid.naam
        afdeling_id = (
            eenheid.afdeling_id
            if isinstance(eenheid, Team)
            else eenheid.id
            if isinstance(eenheid, Afdeling)
            else None
        )
        contact.doorverbonden_medewerker_id = None
    contact.doorverbonden_naar = naar[:MAX_DOORVERBONDEN]
    contact.gespreksresultaat = DOORVERBONDEN
    if contact.afdeling_id is None:
        contact.afdeling_id = afdeling_id
    contact.gewijzigd_op = nu or utcnow()
    session.flush()
    audit.log(
        session,
        medewerker,
        CONTACTMOMENT_DOORVERBONDEN,
        object_type="contactmoment",
        object_id=contact.id,
        klant_id=contact.klant_id,
        details=f"doorverbonden naar {naar}",
    )
    return samenvatting(session, contact)


def verwerp(session: Session, contact_id: uuid.UUID) -> None:
    """Discard a concept (the screen asks for confirmation first)."""
    session.execute(
        delete(Contactmoment).where(
            col(Contactmoment.id) == contact_id,
            col(Contactmoment.status) == ContactmomentStatus.CONCEPT,
        )
    )


def samenvatting(session: Session, contact: Contactmoment) -> ContactSamenvatting:
    klant = session.get(Klant, contact.klant_id) if contact.klant_id else None
    gemeente = session.get(Gemeente, contact.gemeente_id) if contact.gemeente_id else None
    return ContactSamenvatting(
        id=contact.id,
        gesprek_id=contact.gesprek_id,
        kanaal=contact.kanaal,
        gemeente=gemeente.naam if gemeente else "",
        klant_id=contact.klant_id,
        klant_naam=klant.weergavenaam if klant else "",
        contact_nummer=contact.contact_nummer,
        gestart_op=contact.gestart_op,
        onderwerp=contact.onderwerp,
        vraag=contact.vraag,
        notitie=contact.notitie,
        gespreksresultaat=contact.gespreksresultaat,
        afdeling_id=contact.afdeling_id,
        zaak_id=contact.zaak_id,
        artikel_id=contact.artikel_id,
        bronnen=bronnen_van(session, [contact.id]).get(contact.id, ()),
        klantsignaal=contact.klantsignaal,
        signaal_categorie=contact.signaal_categorie,
        doorverbonden_naar=contact.doorverbonden_naar,
    )


def haal(session: Session, contact_id: uuid.UUID) -> ContactSamenvatting:
    contact = session.get(Contactmoment, contact_id)
    if contact is None:
        raise ContactmomentNietGevonden("Dit contactmoment bestaat niet meer.")
    return samenvatting(session, contact)


def open_concepten(session: Session, medewerker: Medewerker) -> list[ContactSamenvatting]:
    """The medewerker's unfinished contactmomenten (after a crash: offered again)."""
    contacten = session.execute(
        select(Contactmoment)
        .where(
            Contactmoment.medewerker_id == medewerker.id,
            Contactmoment.status == ContactmomentStatus.CONCEPT,
        )
        .order_by(Contactmoment.gestart_op)
    ).scalars()
    return [samenvatting(session, c) for c in contacten]


@dataclass(frozen=True)
class Keuze:
    id: uuid.UUID
    label: str


def afdelingen(session: Session) -> list[Keuze]:
    rows = session.execute(select(Afdeling).order_by(Afdeling.naam)).scalars()
    return [Keuze(a.id, a.naam) for a in rows]


def zaken_van(session: Session, klant_id: uuid.UUID | None) -> list[Keuze]:
    if klant_id is None:
        return []
    rows = session.execute(
        select(Zaak).where(Zaak.klant_id == klant_id).order_by(col(Zaak.startdatum).desc())
    ).scalars()
    return [Keuze(z.id, f"{z.identificatie} · {z.zaaktype} ({z.status})") for z in rows]


def artikel_titel(session: Session, artikel_id: uuid.UUID) -> tuple[str, uuid.UUID | None]:
    """Title and owning afdeling of a kennisbank article (used as onderwerp)."""
    artikel = session.get(Kennisartikel, artikel_id)
    if artikel is None:
        raise ContactmomentNietGevonden("Dit artikel bestaat niet meer.")
    return artikel.titel, artikel.afdeling_id
