"""Local rows → Klantinteracties 0.9.0 request bodies. The one place for the mapping
(``docs/openklant.md`` has it as a table). Pure functions: links to other objects come in as
``{"uuid": …}`` dicts from the caller, so the sender (remote uuids) and the export (remote
uuid where known, otherwise the local id) share this code.

Facts of a real Open Klant 2.18 the bodies respect: links as ``{"uuid": …}``; phone numbers
digits only (optionally a leading + or 00), 0800/0900/14 0xx refused, so those go as soort
``overig``; the key ``verstrektDoorPartij`` always present; a medewerker actor needs functie and
a valid telefoonnummer; ``afgehandeldOp`` is never sent (the server fills it on ``verwerkt``).
"""

from __future__ import annotations

import base64
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import phonenumbers

from kiss.models import (
    Afdeling,
    Contactmoment,
    DigitaalAdres,
    DigitaalAdresSoort,
    Kennisartikel,
    Klant,
    KlantSoort,
    Medewerker,
    Richting,
    Team,
    Terugbelnotitie,
    Terugbelpoging,
    Zaak,
)

Link = dict[str, str]
KISS_REGISTER = "kiss"  # codeRegister of identificatoren KISS hands out itself
MAX_ONDERWERP = 200
MAX_INHOUD = 1000
MAX_TOELICHTING = 1000
MAX_HANDELING = 200
MAX_FUNCTIE = 40
_TELEFOON_OK = re.compile(r"^(\+|00)?[0-9]+$")
_MEDEWERKER_TELEFOON = re.compile(r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$")


def link(waarde: uuid.UUID | str) -> Link:
    return {"uuid": str(waarde)}


def tijd(moment: datetime) -> str:
    """ISO 8601 with an explicit UTC offset (Open Klant reads a bare time as UTC anyway)."""
    return moment.astimezone(UTC).isoformat()


def referentienummer(voorvoegsel: str, lokaal_id: uuid.UUID) -> str:
    """A 10-character reference for people (e.g. ``K3F7QX2ABM``), derived from the local id:
    the same row always gets the same number, so after a timeout KISS can ask the register
    whether the object was created after all (``?referentienummer=…``)."""
    code = base64.b32encode(lokaal_id.bytes).decode("ascii")[:9]
    return (voorvoegsel[:1] + code).upper()


def adres_referentie(soort: str, lokaal_id: uuid.UUID) -> str:
    """``referentie`` of a digitaal adres KISS created (``[-a-zA-Z0-9_]``, ≤ 50)."""
    return f"kiss-{soort}-{lokaal_id.hex}"[:50]


# ------------------------------------------------------------------------- phone numbers


def register_telefoon(nummer: str) -> str | None:
    """E.164 as the register accepts it, or None for numbers it refuses (0800, 0900, 14 0xx,
    anything unparseable)."""
    tekst = nummer.strip()
    if not tekst:
        return None
    if tekst.startswith("00"):
        tekst = "+" + tekst[2:]
    try:
        getal = phonenumbers.parse(tekst, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(getal):
        return None
    nationaal = str(getal.national_number)
    if getal.country_code == 31 and nationaal.startswith(("800", "900", "14")):
        return None
    e164 = phonenumbers.format_number(getal, phonenumbers.PhoneNumberFormat.E164)
    return e164 if _TELEFOON_OK.match(e164) else None


def telefoon_digitaal_adres(nummer: str, omschrijving: str) -> tuple[str, str, str]:
    """(soortDigitaalAdres, adres, omschrijving) for a phone number: ``telefoonnummer`` when
    the register takes it, otherwise ``overig`` with the number as typed and a description."""
    e164 = register_telefoon(nummer)
    if e164:
        return "telefoonnummer", e164, omschrijving[:40]
    return "overig", nummer.strip()[:80], f"{omschrijving} (telefoonnummer)"[:40]


# ---------------------------------------------------------------------------- partijen


def partij_identificator(klant: Klant) -> dict[str, str] | None:
    if klant.soort == KlantSoort.PERSOON and klant.bsn:
        return {
            "codeObjecttype": "natuurlijk_persoon",
            "codeSoortObjectId": "bsn",
            "objectId": klant.bsn,
            "codeRegister": "brp",
        }
    if klant.soort == KlantSoort.ORGANISATIE and klant.kvk_nummer:
        return {
            "codeObjecttype": "niet_natuurlijk_persoon",
            "codeSoortObjectId": "kvk_nummer",
            "objectId": klant.kvk_nummer,
            "codeRegister": "hr",
        }
    return None


def partij_zoekvraag(klant: Klant) -> dict[str, str] | None:
    """Query parameters that find this klant's partij, or None: a klant without BSN or
    KvK-nummer has no key the register shares, so it gets no partij (see docs)."""
    identificator = partij_identificator(klant)
    if identificator is None:
        return None
    return {
        "partijIdentificator__codeSoortObjectId": identificator["codeSoortObjectId"],
        "partijIdentificator__objectId": identificator["objectId"],
    }


def contactnaam(klant: Klant) -> dict[str, str]:
    naam = {
        "voorletters": "".join(f"{deel[0]}." for deel in klant.voornamen.split() if deel)[:10],
        "voornaam": klant.voornamen[:200],
        "voorvoegselAchternaam": klant.voorvoegsel[:10],
        "achternaam": klant.achternaam[:200],
    }
    return {k: v for k, v in naam.items() if v}


def partij_body(klant: Klant) -> dict[str, Any] | None:
    identificator = partij_identificator(klant)
    if identificator is None:
        return None
    body: dict[str, Any] = {
        "soortPartij": "persoon" if klant.soort == KlantSoort.PERSOON else "organisatie",
        "indicatieActief": True,
        "indicatieGeheimhouding": False,
        "voorkeurstaal": "nld",
        "partijIdentificatoren": [{"partijIdentificator": identificator}],
    }
    if klant.soort == KlantSoort.PERSOON:
        body["partijIdentificatie"] = {"contactnaam": contactnaam(klant) or None}
    else:
        body["partijIdentificatie"] = {"naam": klant.handelsnaam[:200]}
    if klant.postcode and klant.huisnummer:
        body["correspondentieadres"] = {
            "straatnaam": klant.straat[:255],
            "huisnummer": klant.huisnummer,
            "huisnummertoevoeging": klant.toevoeging[:20],
            "postcode": klant.postcode.upper(),
            "stad": klant.woonplaats[:255],
        }
    return body


def digitaal_adres_body(adres: DigitaalAdres, partij: Link | None) -> dict[str, Any]:
    if adres.soort == DigitaalAdresSoort.TELEFOONNUMMER:
        soort, waarde, omschrijving = telefoon_digitaal_adres(
            adres.genormaliseerd or adres.waarde, adres.omschrijving or "telefoon"
        )
    else:
        soort = "email" if adres.soort == DigitaalAdresSoort.EMAIL else "overig"
        waarde = (adres.genormaliseerd or adres.waarde)[:80]
        omschrijving = (adres.omschrijving or soort)[:40]
    return {
        "verstrektDoorPartij": partij,
        "verstrektDoorBetrokkene": None,
        "adres": waarde,
        "soortDigitaalAdres": soort,
        "isStandaardAdres": bool(adres.voorkeur),
        "omschrijving": omschrijving,
        "referentie": adres_referentie("da", adres.id),
    }


def betrokkene_adres_body(
    nummer_of_email: str, soort: str, omschrijving: str, betrokkene: Link, referentie: str
) -> dict[str, Any]:
    """A callback number or e-mail given during a contact: an address of the betrokkene."""
    if soort == "email":
        waarde, beschrijving = nummer_of_email.strip()[:80], omschrijving[:40]
    else:
        soort, waarde, beschrijving = telefoon_digitaal_adres(nummer_of_email, omschrijving)
    return {
        "verstrektDoorPartij": None,
        "verstrektDoorBetrokkene": betrokkene,
        "adres": waarde,
        "soortDigitaalAdres": soort,
        "isStandaardAdres": False,
        "omschrijving": beschrijving,
        "referentie": referentie,
    }


# ------------------------------------------------------------------------------ actoren


def actor_identificator(soort: str, lokaal_id: uuid.UUID) -> dict[str, str]:
    return {
        "objectId": str(lokaal_id),
        "codeObjecttype": soort,
        "codeRegister": KISS_REGISTER,
        "codeSoortObjectId": "uuid",
    }


def actor_zoekvraag(soort: str, lokaal_id: uuid.UUID) -> dict[str, str]:
    return {
        "actoridentificatorObjectId": str(lokaal_id),
        "actoridentificatorCodeRegister": KISS_REGISTER,
    }


def medewerker_telefoon(medewerker: Medewerker) -> str | None:
    for nummer in (medewerker.telefoon_e164, medewerker.mobiel_e164):
        e164 = register_telefoon(nummer or "")
        if e164 and _MEDEWERKER_TELEFOON.match(e164):
            return e164
    return None


def actor_medewerker_body(medewerker: Medewerker) -> dict[str, Any] | None:
    """None when the medewerker has no phone number the register accepts (it requires one);
    the caller then assigns to the medewerker's team or afdeling instead."""
    telefoon = medewerker_telefoon(medewerker)
    if telefoon is None:
        return None
    identificatie: dict[str, Any] = {
        "functie": (medewerker.functie or "medewerker")[:MAX_FUNCTIE],
        "telefoonnummer": telefoon,
    }
    if medewerker.email and "@" in medewerker.email:
        identificatie["emailadres"] = medewerker.email[:254]
    return {
        "naam": medewerker.naam[:200] or "medewerker",
        "soortActor": "medewerker",
        "indicatieActief": bool(medewerker.actief),
        "actoridentificator": actor_identificator("medewerker", medewerker.id),
        "actorIdentificatie": identificatie,
    }


def actor_eenheid_body(soort: str, eenheid: Afdeling | Team) -> dict[str, Any]:
    identificatie: dict[str, Any] = {"omschrijving": eenheid.naam[:200]}
    telefoon = register_telefoon(eenheid.telefoon or "")
    if telefoon and _MEDEWERKER_TELEFOON.match(telefoon):
        identificatie["telefoonnummer"] = telefoon
    if eenheid.email and "@" in eenheid.email:
        identificatie["emailadres"] = eenheid.email[:254]
    return {
        "naam": eenheid.naam[:200],
        "soortActor": "organisatorische_eenheid",
        "indicatieActief": True,
        "actoridentificator": actor_identificator(soort, eenheid.id),
        "actorIdentificatie": identificatie,
    }


# ------------------------------------------------------------------------ klantcontacten


def onderwerpobjecten(artikel: Kennisartikel | None, zaak: Zaak | None) -> list[dict[str, str]]:
    """What the contact was about, as identificatoren in the registers that hold them."""
    objecten: list[dict[str, str]] = []
    if artikel is not None:
        objecten.append(
            {
                "objectId": str(artikel.id),
                "codeObjecttype": "kennisartikel",
                "codeRegister": "kiss-kennisbank",
                "codeSoortObjectId": "uuid",
            }
        )
    if zaak is not None:
        objecten.append(
            {
                "objectId": zaak.identificatie[:200],
                "codeObjecttype": "zaak",
                "codeRegister": "zaken",
                "codeSoortObjectId": "identificatie",
            }
        )
    return objecten


def klantcontact_body(contact: Contactmoment) -> dict[str, Any]:
    metadata = {"kissId": str(contact.id)}
    if contact.vraag:
        metadata["specifiekeVraag"] = contact.vraag[:255]
    if contact.gespreksresultaat:
        metadata["gespreksresultaat"] = contact.gespreksresultaat[:255]
    if contact.doorverbonden_naar:
        metadata["doorverbondenNaar"] = contact.doorverbonden_naar[:255]
    return {
        "referentienummer": referentienummer("K", contact.id),
        "kanaal": contact.kanaal[:50],
        "onderwerp": (contact.onderwerp or contact.vraag or "Contact")[:MAX_ONDERWERP],
        "inhoud": contact.notitie[:MAX_INHOUD],
        "indicatieContactGelukt": bool(contact.contact_gelukt),
        "taal": (contact.taal or "nld")[:3],
        "vertrouwelijk": bool(contact.vertrouwelijk),
        "plaatsgevondenOp": tijd(contact.gestart_op),
        "metadata": metadata,
    }


def betrokkene_body(
    klant: Klant | None, partij: Link | None, *, initiator: bool
) -> dict[str, Any] | None:
    """The klant in the contact; None for an anonymous contact (no betrokkene is sent)."""
    if klant is None:
        return None
    body: dict[str, Any] = {"wasPartij": partij, "rol": "klant", "initiator": initiator}
    if klant.soort == KlantSoort.PERSOON:
        naam = contactnaam(klant)
        if naam:
            body["contactnaam"] = naam
    elif klant.handelsnaam:
        body["organisatienaam"] = klant.handelsnaam[:200]
    return body


def maak_klantcontact_body(
    contact: Contactmoment,
    klant: Klant | None,
    partij: Link | None,
    onderwerp: dict[str, str] | None,
) -> dict[str, Any]:
    """Body of ``POST /maak-klantcontact``: klantcontact + betrokkene + onderwerpobject."""
    body: dict[str, Any] = {"klantcontact": klantcontact_body(contact)}
    betrokkene = betrokkene_body(klant, partij, initiator=contact.richting == Richting.INKOMEND)
    if betrokkene is not None:
        body["betrokkene"] = betrokkene
    if onderwerp is not None:
        body["onderwerpobject"] = {
            "wasKlantcontact": None,
            "onderwerpobjectidentificator": onderwerp,
        }
    return body


def poging_klantcontact_body(
    poging: Terugbelpoging, notitie: Terugbelnotitie, onderwerp: str
) -> dict[str, Any]:
    """One callback attempt: an outgoing klantcontact (by its kanaal, usually telefoon),
    contact gelukt or not."""
    return {
        "referentienummer": referentienummer("P", poging.id),
        "kanaal": (getattr(poging, "kanaal", "") or "telefoon")[:50],
        "onderwerp": (f"Terugbelpoging: {onderwerp}" if onderwerp else "Terugbelpoging")[
            :MAX_ONDERWERP
        ],
        "inhoud": poging.notitie[:MAX_INHOUD],
        "indicatieContactGelukt": bool(poging.bereikt),
        "taal": "nld",
        "vertrouwelijk": False,
        "plaatsgevondenOp": tijd(poging.moment),
        "metadata": {"kissId": str(poging.id), "terugbelnotitie": str(notitie.id)},
    }


def internetaak_onderwerp(internetaak_uuid: str) -> dict[str, str]:
    """Identifies the internetaak a callback klantcontact was about."""
    return {
        "objectId": internetaak_uuid,
        "codeObjecttype": "internetaak",
        "codeRegister": "openklant",
        "codeSoortObjectId": "uuid",
    }


# --------------------------------------------------------------------------- internetaken


def notitie_onderwerp(notitie: Terugbelnotitie) -> str:
    eerste = notitie.vraag.strip().splitlines()[0] if notitie.vraag.strip() else ""
    return eerste


def notitie_klantcontact_body(notitie: Terugbelnotitie) -> dict[str, Any]:
    """A note made without a contactmoment still needs the klantcontact that led to it."""
    onderwerp = notitie_onderwerp(notitie)
    return {
        "referentienummer": referentienummer("N", notitie.id),
        "kanaal": "telefoon",
        "onderwerp": (f"Terugbelverzoek: {onderwerp}" if onderwerp else "Terugbelverzoek")[
            :MAX_ONDERWERP
        ],
        "inhoud": notitie.vraag[:MAX_INHOUD],
        "indicatieContactGelukt": True,
        "taal": "nld",
        "vertrouwelijk": False,
        "plaatsgevondenOp": tijd(notitie.aangemaakt_op),
        "metadata": {"kissId": str(notitie.id)},
    }


def internetaak_toelichting(notitie: Terugbelnotitie) -> str:
    """The klant's question, the internal note and the wished moment in one text of at most
    1000 characters; only when all three together are longer is the question shortened."""
    staart = ""
    if notitie.toelichting:
        staart += f"\n\nToelichting: {notitie.toelichting}"
    if notitie.gewenst_moment:
        staart += f"\nGewenst moment: {notitie.gewenst_moment}"
    staart = staart[: MAX_TOELICHTING // 2] if len(staart) > MAX_TOELICHTING // 2 else staart
    ruimte = MAX_TOELICHTING - len(staart)
    vraag = notitie.vraag if len(notitie.vraag) <= ruimte else notitie.vraag[: ruimte - 1] + "…"
    return (vraag + staart).strip()[:MAX_TOELICHTING]


def internetaak_body(
    notitie: Terugbelnotitie, klantcontact: Link, actoren: list[Link]
) -> dict[str, Any]:
    return {
        "referentienummer": referentienummer("T", notitie.id),
        "aanleidinggevendKlantcontact": klantcontact,
        "gevraagdeHandeling": "Klant terugbellen",
        "toegewezenAanActoren": actoren,
        "toelichting": internetaak_toelichting(notitie),
        "status": "te_verwerken",
    }
