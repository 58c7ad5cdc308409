"""Klantbeeld: everything about one klant on one screen, and the changes an agent may make.

Opening a klantbeeld, showing a full BSN and every change write an audit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from kiss.models import (
    Afdeling,
    Contactmoment,
    ContactmomentStatus,
    DigitaalAdres,
    DigitaalAdresSoort,
    Gemeente,
    Klant,
    KlantSoort,
    Medewerker,
    Team,
    Terugbelnotitie,
    TerugbelStatus,
    Vraagbron,
    Zaak,
    utcnow,
)
from kiss.models.email import EmailZaak
from kiss.rollen import mag_volledig_bsn_zien, vereis
from kiss.services import audit
from kiss.services.contact.bronnen import Bron
from kiss.services.klant.bsn import klant_ids_met_bsn
from kiss.services.naam import naam_sleutel
from kiss.validation import (
    InvoerFouten,
    ValidatieFout,
    telefoon_weergave,
    valideer_bsn,
    valideer_datum,
    valideer_email,
    valideer_huisnummer,
    valideer_kvk,
    valideer_postcode,
    valideer_telefoon,
    valideer_verplicht,
)

T = TypeVar("T")

__all__ = ["InvoerFouten", "KlantInvoer", "KlantNietGevonden", "Klantbeeld"]


class KlantNietGevonden(LookupError):
    pass


@dataclass(frozen=True)
class AdresRegel:
    id: uuid.UUID
    soort: str
    weergave: str
    genormaliseerd: str
    omschrijving: str
    voorkeur: bool


@dataclass(frozen=True)
class TijdlijnRegel:
    id: uuid.UUID
    moment: datetime
    kanaal: str
    richting: str
    gemeente: str
    onderwerp: str
    vraag: str
    resultaat: str
    medewerker: str
    afdeling: str
    notitie: str
    bronnen: tuple[str, ...] = ()  # what the agent consulted for this question
    klantsignaal: str = ""  # klacht, compliment, idee, melding


@dataclass(frozen=True)
class OpenNotitie:
    id: uuid.UUID
    vraag: str
    deadline: datetime
    status: str
    toegewezen_aan: str


@dataclass(frozen=True)
class ZaakRegel:
    id: uuid.UUID
    identificatie: str
    zaaktype: str
    status: str
    uiterlijke_einddatum: date | None
    behandelaar: str
    behandelaar_id: uuid.UUID | None
    afgesloten: bool


@dataclass
class Klantbeeld:
    id: uuid.UUID
    soort: str
    naam: str
    bsn: str  # masked unless the role allows the full number
    bsn_volledig_toegestaan: bool
    geboortedatum: date | None
    kvk_nummer: str
    adres: str
    gemeente: str
    voorkeurskanaal: str
    taal: str
    extra_hulp: bool
    aandachtspunten: str
    adressen: list[AdresRegel] = field(default_factory=list)
    tijdlijn: list[TijdlijnRegel] = field(default_factory=list)
    open_notities: list[OpenNotitie] = field(default_factory=list)
    zaken: list[ZaakRegel] = field(default_factory=list)

    @property
    def heeft_aandachtspunten(self) -> bool:
        return bool(self.voorkeurskanaal or self.taal or self.extra_hulp or self.aandachtspunten)


def _adres(klant: Klant) -> str:
    nummer = ""
    if klant.huisnummer:
        nummer = f"{klant.huisnummer}{'-' + klant.toevoeging if klant.toevoeging else ''}"
    straat = " ".join(p for p in (klant.straat, nummer) if p)
    plaats = " ".join(p for p in (klant.postcode or "", klant.woonplaats) if p)
    return ", ".join(p for p in (straat, plaats) if p)


def _naam(*delen: str | None) -> str:
    """A medewerker's name from voornaam, voorvoegsel and achternaam (empty when unknown)."""
    return " ".join(p for p in delen if p)


def tijdlijn(
    session: Session,
    klant_id: uuid.UUID,
    *,
    kanaal: str | None = None,
    limit: int = 200,
    mails: bool = True,
) -> list[TijdlijnRegel]:
    """Every afgeronde contactmoment and every mail from the klant, newest first
    (``mails=False``: the klant is known to have no mail, the mailbox is not read)."""
    regels = _contacten(session, klant_id, kanaal=kanaal, limit=limit)
    if mails and kanaal in (None, "e-mail"):
        from kiss.services.email.tijdlijn import mails  # the central mailbox

        regels = sorted([*regels, *mails(session, klant_id, limit=limit)],
                        key=lambda r: r.moment, reverse=True)[:limit]  # fmt: skip
    return regels


_MEDEWERKER = aliased(Medewerker)
_AFDELING = aliased(Afdeling)
_GEMEENTE = aliased(Gemeente)


@lru_cache(maxsize=8)
def _tijdlijn_statements(met_kanaal: bool, limit: int) -> tuple[Select[Any], Select[Any]]:
    """The two timeline queries, built once (bound per call): the columns shown with the
    names joined in, and the sources of the same contacts from the oldest shown on."""
    c = Contactmoment
    statement = (
        select(
            c.id,
            c.gestart_op,
            c.kanaal,
            c.richting,
            _GEMEENTE.naam,
            c.onderwerp,
            c.vraag,
            c.gespreksresultaat,
            _MEDEWERKER.voornaam,
            _MEDEWERKER.voorvoegsel,
            _MEDEWERKER.achternaam,
            _AFDELING.naam,
            c.notitie,
            c.klantsignaal,
            c.signaal_categorie,
        )
        .outerjoin(_MEDEWERKER, col(_MEDEWERKER.id) == c.medewerker_id)
        .outerjoin(_AFDELING, col(_AFDELING.id) == c.afdeling_id)
        .outerjoin(_GEMEENTE, col(_GEMEENTE.id) == c.gemeente_id)
        .where(c.klant_id == bindparam("klant_id"))
        .where(c.status == ContactmomentStatus.AFGEROND)
        .order_by(col(c.gestart_op).desc())
        .limit(limit)
    )
    van_bronnen = (
        select(Vraagbron.contactmoment_id, Vraagbron.soort, Vraagbron.titel)
        .join(c, col(c.id) == Vraagbron.contactmoment_id)
        .where(c.klant_id == bindparam("klant_id"))
        .where(c.status == ContactmomentStatus.AFGEROND)
        .where(col(c.gestart_op) >= bindparam("vanaf"))
        .order_by(Vraagbron.contactmoment_id, Vraagbron.volgnummer)
    )
    if met_kanaal:
        statement = statement.where(c.kanaal == bindparam("kanaal"))
        van_bronnen = van_bronnen.where(c.kanaal == bindparam("kanaal"))
    return statement, van_bronnen


def _contacten(
    session: Session, klant_id: uuid.UUID, *, kanaal: str | None = None, limit: int = 200
) -> list[TijdlijnRegel]:
    """Every afgeronde contactmoment of the klant, all kanalen and gemeenten, newest first.

    Two queries, whatever the number of contacts (plain rows, no ORM objects; both
    index-only scans on PostgreSQL, see migration 0014): the contacts, then the sources of
    those questions, without sending a list of 200 ids."""
    statement, van_bronnen = _tijdlijn_statements(bool(kanaal), limit)
    params: dict[str, object] = {"klant_id": klant_id, "kanaal": kanaal}
    verbinding = session.connection()
    rijen = verbinding.execute(statement, params).all()
    if not rijen:
        return []
    bronnen: dict[uuid.UUID, list[str]] = {}
    for contact_id, soort, titel in verbinding.execute(
        van_bronnen, params | {"vanaf": rijen[-1][1]}
    ).all():
        bronnen.setdefault(contact_id, []).append(Bron(soort, titel).label)
    return [
        TijdlijnRegel(
            id=cid,
            moment=moment,
            kanaal=kanaal_,
            richting=richting,
            gemeente=gemeente or "",
            onderwerp=onderwerp,
            vraag=vraag,
            resultaat=resultaat,
            medewerker=_naam(voornaam, voorvoegsel, achternaam),
            afdeling=afdeling or "",
            notitie=notitie,
            bronnen=tuple(bronnen.get(cid, ())),
            klantsignaal=" ".join(d for d in (signaal, categorie) if d),
        )
        for (
            cid,
            moment,
            kanaal_,
            richting,
            gemeente,
            onderwerp,
            vraag,
            resultaat,
            voornaam,
            voorvoegsel,
            achternaam,
            afdeling,
            notitie,
            signaal,
            categorie,
        ) in rijen
    ]


def laad(
    session: Session,
    klant_id: uuid.UUID,
    medewerker: Medewerker,
    *,
    kanaal: str | None = None,
    limit: int = 200,
    log: bool = True,
) -> Klantbeeld:
    """Load the klantbeeld; writes the audit row ``klantbeeld_geopend`` (unless ``log=False``,
    used when the same agent merely refreshes or filters the view)."""
    # names are joined in, and whether there are open notes, zaken or mails at all comes
    # with the klant: no round trip for a list that is empty (most klanten have none)
    rij = session.execute(
        select(
            Klant,
            _GEMEENTE.naam,
            exists().where(
                Terugbelnotitie.klant_id == Klant.id,
                Terugbelnotitie.status != TerugbelStatus.AFGEHANDELD,
            ),
            exists().where(Zaak.klant_id == Klant.id),
            exists().where(EmailZaak.klant_id == Klant.id),
        )
        .outerjoin(_GEMEENTE, col(_GEMEENTE.id) == Klant.gemeente_id)
        .where(Klant.id == klant_id)
    ).first()
    if rij is None:
        raise KlantNietGevonden("Deze klant bestaat niet (meer).")
    klant, gemeente, heeft_notities, heeft_zaken, heeft_mails = rij
    adressen = session.execute(
        select(DigitaalAdres)
        .where(DigitaalAdres.klant_id == klant_id)
        .order_by(
            col(DigitaalAdres.voorkeur).desc(), DigitaalAdres.soort, DigitaalAdres.aangemaakt_op
        )
    ).scalars()
    notities: list[Any] = []
    if heeft_notities:
        notities = session.execute(
            select(
                Terugbelnotitie,
                _MEDEWERKER.voornaam,
                _MEDEWERKER.voorvoegsel,
                _MEDEWERKER.achternaam,
                Team.naam,
                _AFDELING.naam,
            )
            .outerjoin(_MEDEWERKER, col(_MEDEWERKER.id) == Terugbelnotitie.toegewezen_medewerker_id)
            .outerjoin(Team, col(Team.id) == Terugbelnotitie.toegewezen_team_id)
            .outerjoin(_AFDELING, col(_AFDELING.id) == Terugbelnotitie.toegewezen_afdeling_id)
            .where(Terugbelnotitie.klant_id == klant_id)
            .where(Terugbelnotitie.status != TerugbelStatus.AFGEHANDELD)
            .order_by(Terugbelnotitie.deadline)
        ).all()
    zaken: list[Any] = []
    if heeft_zaken:
        zaken = session.execute(
            select(Zaak, _MEDEWERKER.voornaam, _MEDEWERKER.voorvoegsel, _MEDEWERKER.achternaam)
            .outerjoin(_MEDEWERKER, col(_MEDEWERKER.id) == Zaak.behandelaar_id)
            .where(Zaak.klant_id == klant_id)
            .order_by(col(Zaak.startdatum).desc())
        ).all()
    beeld = Klantbeeld(
        id=klant.id,
        soort=klant.soort,
        naam=klant.weergavenaam,
        bsn=klant.bsn_gemaskeerd or "",
        bsn_volledig_toegestaan=mag_volledig_bsn_zien(medewerker) and bool(klant.bsn_gemaskeerd),
        geboortedatum=klant.geboortedatum,
        kvk_nummer=klant.kvk_nummer or "",
        adres=_adres(klant),
        gemeente=gemeente or "",
        voorkeurskanaal=klant.voorkeurskanaal,
        taal=klant.taal,
        extra_hulp=klant.extra_hulp,
        aandachtspunten=klant.aandachtspunten,
        adressen=[
            AdresRegel(
                id=a.id,
                soort=a.soort,
                weergave=telefoon_weergave(a.genormaliseerd)
                if a.soort == DigitaalAdresSoort.TELEFOONNUMMER
                else a.genormaliseerd,
                genormaliseerd=a.genormaliseerd,
                omschrijving=a.omschrijving,
                voorkeur=a.voorkeur,
            )
            for a in adressen
        ],
        tijdlijn=tijdlijn(session, klant_id, kanaal=kanaal, limit=limit, mails=heeft_mails),
        open_notities=[
            OpenNotitie(
                id=n.id,
                vraag=n.vraag,
                deadline=n.deadline,
                status=n.status,
                toegewezen_aan=(_naam(voornaam, voorvoegsel, achternaam) or team or afdeling or ""),
            )
            for n, voornaam, voorvoegsel, achternaam, team, afdeling in notities
        ],
        zaken=[
            ZaakRegel(
                id=z.id,
                identificatie=z.identificatie,
                zaaktype=z.zaaktype,
                status=z.status,
                uiterlijke_einddatum=z.uiterlijke_einddatum,
                behandelaar=_naam(voornaam, voorvoegsel, achternaam),
                behandelaar_id=z.behandelaar_id,
                afgesloten=z.afgesloten,
            )
            for z, voornaam, voorvoegsel, achternaam in zaken
        ],
    )
    if log:
        audit.log(
            session,
            medewerker,
            audit.KLANTBEELD_GEOPEND,
            object_type="klant",
            object_id=klant.id,
            klant_id=klant.id,
        )
    return beeld


def toon_bsn(session: Session, klant_id: uuid.UUID, medewerker: Medewerker) -> str:
    """The full BSN, for roles that may see it; always audited."""
    vereis(mag_volledig_bsn_zien(medewerker), "het volledige BSN te zien")
    klant = session.get(Klant, klant_id)
    if klant is None or not klant.bsn:
        raise KlantNietGevonden("Van deze klant is geen BSN bekend.")
    audit.log(
        session,
        medewerker,
        audit.BSN_GETOOND,
        object_type="klant",
        object_id=klant.id,
        klant_id=klant.id,
    )
    return klant.bsn


def _normaliseer_adres(soort: str, waarde: str) -> str:
    if soort == DigitaalAdresSoort.TELEFOONNUMMER:
        return valideer_telefoon(waarde)
    if soort == DigitaalAdresSoort.EMAIL:
        return valideer_email(waarde)
    return valideer_verplicht(waarde, "Het adres")


def voeg_adres_toe(
    session: Session,
    klant_id: uuid.UUID,
    medewerker: Medewerker,
    *,
    soort: str,
    waarde: str,
    omschrijving: str = "",
    voorkeur: bool = False,
) -> DigitaalAdres:
    """Add a phone number or e-mail: validated, normalised, never twice for one klant."""
    genormaliseerd = _normaliseer_adres(soort, waarde)
    bestaand = session.execute(
        select(DigitaalAdres)
        .where(DigitaalAdres.klant_id == klant_id)
        .where(DigitaalAdres.soort == soort)
        .where(DigitaalAdres.genormaliseerd == genormaliseerd)
    ).scalar_one_or_none()
    if bestaand is not None:
        wat = "telefoonnummer" if soort == DigitaalAdresSoort.TELEFOONNUMMER else "adres"
        raise ValidatieFout(f"Dit {wat} staat al bij deze klant ({bestaand.waarde}).")
    if voorkeur:
        _wis_voorkeur(session, klant_id, soort)
    adres = DigitaalAdres(
        klant_id=klant_id,
        soort=soort,
        waarde=waarde.strip(),
        genormaliseerd=genormaliseerd,
        omschrijving=omschrijving.strip()[:80],
        voorkeur=voorkeur,
    )
    session.add(adres)
    try:
        session.flush()
    except IntegrityError as exc:  # another agent added the same address a moment ago
        raise ValidatieFout("Dit adres is zojuist al door een collega toegevoegd.") from exc
    audit.log(
        session,
        medewerker,
        audit.KLANT_GEWIJZIGD,
        object_type="digitaal_adres",
        object_id=adres.id,
        klant_id=klant_id,
        details=f"toegevoegd: {soort}",
    )
    return adres


def wijzig_adres(
    session: Session,
    adres_id: uuid.UUID,
    medewerker: Medewerker,
    *,
    waarde: str,
    omschrijving: str | None = None,
) -> DigitaalAdres:
    """Correct a phone number or e-mail."""
    adres = session.get(DigitaalAdres, adres_id)
    if adres is None:
        raise KlantNietGevonden("Dit adres bestaat niet meer.")
    genormaliseerd = _normaliseer_adres(adres.soort, waarde)
    dubbel = session.execute(
        select(DigitaalAdres.id)
        .where(DigitaalAdres.klant_id == adres.klant_id)
        .where(DigitaalAdres.soort == adres.soort)
        .where(DigitaalAdres.genormaliseerd == genormaliseerd)
        .where(DigitaalAdres.id != adres.id)
    ).first()
    if dubbel:
        raise ValidatieFout("Dit adres staat al bij deze klant.")
    oud = adres.waarde
    adres.waarde = waarde.strip()
    adres.genormaliseerd = genormaliseerd
    if omschrijving is not None:
        adres.omschrijving = omschrijving.strip()[:80]
    session.flush()
    audit.log(
        session,
        medewerker,
        audit.KLANT_GEWIJZIGD,
        object_type="digitaal_adres",
        object_id=adres.id,
        klant_id=adres.klant_id,
        details=f"gecorrigeerd (was {oud})",
    )
    return adres


def verwijder_adres(session: Session, adres_id: uuid.UUID, medewerker: Medewerker) -> None:
    adres = session.get(DigitaalAdres, adres_id)
    if adres is None:
        return
    session.delete(adres)
    audit.log(
        session,
        medewerker,
        audit.KLANT_GEWIJZIGD,
        object_type="digitaal_adres",
        object_id=adres_id,
        klant_id=adres.klant_id,
        details=f"verwijderd: {adres.soort}",
    )


def _wis_voorkeur(session: Session, klant_id: uuid.UUID, soort: str) -> None:
    for ander in session.execute(
        select(DigitaalAdres).where(
            DigitaalAdres.klant_id == klant_id, DigitaalAdres.soort == soort
        )
    ).scalars():
        ander.voorkeur = False


@dataclass
class KlantInvoer:
    """What the agent typed in the 'nieuwe klant' form (text as typed)."""

    soort: str = KlantSoort.PERSOON
    bsn: str = ""
    voornamen: str = ""
    voorvoegsel: str = ""
    achternaam: str = ""
    geboortedatum: str = ""
    kvk_nummer: str = ""
    handelsnaam: str = ""
    straat: str = ""
    huisnummer: str = ""
    postcode: str = ""
    woonplaats: str = ""
    gemeente: str = ""
    telefoon: str = ""
    email: str = ""


def _geboortedatum(tekst: str) -> date:
    return valideer_datum(tekst, "Geboortedatum")


class _Verzamelaar:
    """Runs validators per field and collects every message, so the form shows all at once."""

    def __init__(self) -> None:
        self.fouten: dict[str, str] = {}

    def __call__(self, veld: str, validator: Callable[[str], T], tekst: str) -> T | None:
        if not tekst.strip():
            return None
        try:
            return validator(tekst)
        except ValidatieFout as exc:
            self.fouten[veld] = str(exc)
            return None


def registreer_klant(session: Session, medewerker: Medewerker, invoer: KlantInvoer) -> Klant:
    """Register a new klant; validates every field and reports all problems at once."""
    check = _Verzamelaar()
    nu = utcnow()
    klant = Klant(soort=invoer.soort, aangemaakt_op=nu, gewijzigd_op=nu)
    if invoer.soort == KlantSoort.PERSOON:
        if not invoer.achternaam.strip():
            check.fouten["achternaam"] = "Achternaam is verplicht."
        klant.achternaam = invoer.achternaam.strip()
        klant.voornamen = invoer.voornamen.strip()
        klant.voorvoegsel = invoer.voorvoegsel.strip().lower()
        klant.bsn = check("bsn", valideer_bsn, invoer.bsn)
        klant.geboortedatum = check("geboortedatum", _geboortedatum, invoer.geboortedatum)
        klant.naam_sleutel = naam_sleutel(klant.achternaam)
    else:
        if not invoer.handelsnaam.strip():
            check.fouten["handelsnaam"] = "Handelsnaam is verplicht."
        klant.handelsnaam = invoer.handelsnaam.strip()
        klant.kvk_nummer = check("kvk_nummer", valideer_kvk, invoer.kvk_nummer)
        klant.naam_sleutel = naam_sleutel(klant.handelsnaam)
    klant.postcode = check("postcode", valideer_postcode, invoer.postcode)
    if nummer := check("huisnummer", valideer_huisnummer, invoer.huisnummer):
        klant.huisnummer, klant.toevoeging = nummer.nummer, nummer.toevoeging
    klant.straat = invoer.straat.strip()
    klant.woonplaats = invoer.woonplaats.strip()
    telefoon = check("telefoon", valideer_telefoon, invoer.telefoon)
    email = check("email", valideer_email, invoer.email)
    if klant.bsn and session.execute(klant_ids_met_bsn(session, klant.bsn)).first():
        check.fouten["bsn"] = "Er is al een klant met dit BSN; zoek die klant op."
    if invoer.gemeente:
        gemeente = session.execute(
            select(Gemeente).where(Gemeente.naam == invoer.gemeente)
        ).scalar_one_or_none()
        klant.gemeente_id = gemeente.id if gemeente else None
    if check.fouten:
        raise InvoerFouten(check.fouten)
    session.add(klant)
    session.flush()
    if telefoon:
        session.add(
            DigitaalAdres(
                klant_id=klant.id,
                soort=DigitaalAdresSoort.TELEFOONNUMMER,
                waarde=invoer.telefoon.strip(),
                genormaliseerd=telefoon,
                voorkeur=True,
            )
        )
    if email:
        session.add(
            DigitaalAdres(
                klant_id=klant.id,
                soort=DigitaalAdresSoort.EMAIL,
                waarde=invoer.email.strip(),
                genormaliseerd=email,
            )
        )
    session.flush()
    audit.log(
        session,
        medewerker,
        audit.KLANT_AANGEMAAKT,
        object_type="klant",
        object_id=klant.id,
        klant_id=klant.id,
    )
    return klant
