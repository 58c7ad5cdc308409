"""Klant zoeken: one search field that understands what is typed.

Phone number (any notation), e-mail, BSN, KvK-nummer, postcode + huisnummer, geboortedatum +
achternaam, or a name with typos and particles. Invalid BSN/KvK/postcode/phone input raises
:class:`~kiss.validation.ValidatieFout` with a Dutch message for the field.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rapidfuzz import distance, process
from sqlalchemy import Engine, and_, case, func, select
from sqlmodel import Session

from kiss.models import DigitaalAdres, Klant, KlantSoort
from kiss.per_database import PerDatabase
from kiss.services.klant.bsn import klant_ids_met_bsn
from kiss.services.naam import naam_delen
from kiss.validation import (
    ValidatieFout,
    parse_postcode_huisnummer,
    valideer_bsn,
    valideer_datum,
    valideer_email,
    valideer_kvk,
    valideer_postcode,
    valideer_telefoon,
)


class ZoekSoort(StrEnum):
    TELEFOON = "telefoonnummer"
    EMAIL = "e-mailadres"
    BSN = "BSN"
    KVK = "KvK-nummer"
    POSTCODE = "postcode en huisnummer"
    GEBOORTEDATUM = "geboortedatum en achternaam"
    NAAM = "naam"


@dataclass(frozen=True)
class Zoekvraag:
    soort: ZoekSoort
    waarde: str = ""  # normalised: E.164, lower-case e-mail, BSN, KvK, postcode
    huisnummer: int | None = None
    toevoeging: str = ""
    geboortedatum: date | None = None
    naamdelen: tuple[str, ...] = ()


_DIGITS_ONLY = re.compile(r"^[\d\s.\-]+$")
_DATUM_EN_NAAM = re.compile(r"^\s*(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{2}-\d{2})\s+(.+)$")
_NAAM_EN_DATUM = re.compile(r"^\s*(.+?)\s+(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{2}-\d{2})\s*$")
_LIJKT_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})((?:[\s,]*\d.*)?)$")


def _is_telefoonvorm(compact: str) -> bool:
    """Digits only, shaped like a phone number rather than a BSN (9) or KvK-nummer (8):
    starting with 0 and not 9 long, an 0800/0900 number, or a 14-number (14 023)."""
    if not compact.isdigit():
        return False
    if compact.startswith(("0800", "0900", "0909", "0906")):
        return True
    if len(compact) == 5 and compact.startswith("14"):
        return True
    return compact.startswith("0") and len(compact) not in (8, 9)


def herken(tekst: str) -> Zoekvraag:
    """Decide what the agent typed. Raises ValidatieFout for a recognisable but invalid value."""
    text = tekst.strip()
    if not text:
        raise ValidatieFout(
            "Typ een naam, telefoonnummer, e-mailadres, BSN, KvK-nummer of postcode."
        )
    if "@" in text:
        return Zoekvraag(ZoekSoort.EMAIL, valideer_email(text))
    if (postcode := parse_postcode_huisnummer(text)) is not None:
        return Zoekvraag(
            ZoekSoort.POSTCODE, postcode[0], postcode[1].nummer, postcode[1].toevoeging
        )
    if match := _LIJKT_POSTCODE.match(text):
        postcode = valideer_postcode(match.group(1) + match.group(2))
        if not match.group(3).strip():
            return Zoekvraag(ZoekSoort.POSTCODE, postcode)
        raise ValidatieFout("Typ postcode en huisnummer als 2011 AB 12 of 2011AB12-A.")
    for pattern, datum_groep, naam_groep in ((_DATUM_EN_NAAM, 1, 2), (_NAAM_EN_DATUM, 2, 1)):
        if match := pattern.match(text):
            geboren = valideer_datum(match.group(datum_groep), "Geboortedatum")
            return Zoekvraag(
                ZoekSoort.GEBOORTEDATUM,
                geboortedatum=geboren,
                naamdelen=tuple(naam_delen(match.group(naam_groep))),
            )
    compact = re.sub(r"[\s.\-]", "", text)
    if text.startswith(("+", "(")) or _is_telefoonvorm(compact):
        return Zoekvraag(ZoekSoort.TELEFOON, valideer_telefoon(text))
    if _DIGITS_ONLY.match(text):
        if len(compact) == 9:
            return Zoekvraag(ZoekSoort.BSN, valideer_bsn(compact))
        if len(compact) == 8:
            return Zoekvraag(ZoekSoort.KVK, valideer_kvk(compact))
        raise ValidatieFout(
            f"{len(compact)} cijfers: een BSN heeft er 9, een KvK-nummer 8, "
            "een telefoonnummer begint met 0 of +."
        )
    if re.search(r"\d", text) and not re.search(r"[A-Za-z]{2}", text):
        raise ValidatieFout("Deze zoektekst is geen naam, nummer, postcode of datum.")
    delen = tuple(naam_delen(text))
    if not delen:
        raise ValidatieFout(
            "Typ minstens een deel van de naam (alleen tussenvoegsels is te weinig)."
        )
    return Zoekvraag(ZoekSoort.NAAM, naamdelen=delen)


@dataclass(frozen=True)
class KlantTreffer:
    """Enough to tell people apart, BSN masked."""

    id: uuid.UUID
    soort: str
    naam: str
    geboortejaar: int | None
    adres: str
    bsn_gemaskeerd: str
    kvk_nummer: str
    exact: bool = True

    @property
    def regel(self) -> str:
        delen = [self.naam]
        if self.geboortejaar:
            delen.append(f"({self.geboortejaar})")
        if self.adres:
            delen.append(f"· {self.adres}")
        if self.bsn_gemaskeerd:
            delen.append(f"· BSN {self.bsn_gemaskeerd}")
        if self.kvk_nummer:
            delen.append(f"· KvK {self.kvk_nummer}")
        return " ".join(delen)


def treffer(klant: Klant, exact: bool = True) -> KlantTreffer:
    if klant.soort == KlantSoort.ORGANISATIE:
        naam = klant.handelsnaam
    else:
        achter = " ".join(p for p in (klant.voorvoegsel, klant.achternaam) if p)
        naam = f"{achter}, {klant.voornamen}" if klant.voornamen else achter
    adres = " ".join(
        p
        for p in (
            klant.straat,
            f"{klant.huisnummer}{'-' + klant.toevoeging if klant.toevoeging else ''}"
            if klant.huisnummer
            else "",
            klant.woonplaats,
        )
        if p
    )
    return KlantTreffer(
        id=klant.id,
        soort=klant.soort,
        naam=naam,
        geboortejaar=klant.geboortedatum.year if klant.geboortedatum else None,
        adres=adres,
        bsn_gemaskeerd=klant.bsn_gemaskeerd or "",
        kvk_nummer=klant.kvk_nummer or "",
        exact=exact,
    )


class NaamVocabulaire:
    """The distinct name keys in the database, for typo-tolerant name search.

    Loaded once per engine and refreshed in the background after ``max_leeftijd`` seconds;
    names registered since are still found exactly (the SQL also matches the typed key).
    """

    def __init__(self, max_leeftijd: float = 60.0) -> None:
        self.sleutels: list[str] = []
        self.geladen_op = 0.0
        self.max_leeftijd = max_leeftijd
        self._laadlock = threading.Lock()

    @classmethod
    def voor(cls, engine: Engine) -> NaamVocabulaire:
        return _PER_DATABASE.voor(engine)

    def laad(self, session: Session) -> None:
        rows = session.execute(select(Klant.naam_sleutel).distinct()).scalars()
        self.sleutels = sorted(s for s in rows if s)
        self.geladen_op = time.monotonic()

    def actueel(self, session: Session) -> list[str]:
        if not self.sleutels or time.monotonic() - self.geladen_op > self.max_leeftijd:
            with self._laadlock:
                if not self.sleutels or time.monotonic() - self.geladen_op > self.max_leeftijd:
                    self.laad(session)
        return self.sleutels

    def vergeet(self) -> None:
        self.geladen_op = 0.0


def max_bewerkingen(woord: str) -> int:
    """How many typos a word may carry: none for ≤3 letters, 1 up to 8, then 2."""
    if len(woord) <= 3:
        return 0
    return 1 if len(woord) <= 8 else 2


def naam_varianten(woord: str, vocabulaire: list[str]) -> list[str]:
    """The vocabulary keys within the allowed edit distance of a typed word (itself included)."""
    grens = max_bewerkingen(woord)
    gevonden = {woord}
    if grens:
        for kandidaat, _score, _index in process.extract(
            woord, vocabulaire, scorer=distance.Levenshtein.distance, score_cutoff=grens, limit=50
        ):
            gevonden.add(kandidaat)
    return sorted(gevonden)


def _adres_ids(session: Session, genormaliseerd: str, limit: int) -> list[uuid.UUID]:
    statement = (
        select(DigitaalAdres.klant_id)
        .where(DigitaalAdres.genormaliseerd == genormaliseerd)
        .distinct()
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def _klanten(session: Session, ids: list[uuid.UUID]) -> list[Klant]:
    if not ids:
        return []
    klanten = session.execute(select(Klant).where(Klant.id.in_(ids))).scalars().all()  # type: ignore[attr-defined]
    return sorted(klanten, key=lambda k: (k.naam_sleutel, k.voornamen))


def _naam_conditie(delen: tuple[str, ...], vocabulaire: list[str]) -> tuple[object, object]:
    """WHERE on the name key (any typed word may be the surname) and a rank: exact first."""
    sleutels: set[str] = set()
    exact: set[str] = set()
    for deel in delen:
        sleutels.update(naam_varianten(deel, vocabulaire))
        exact.add(deel)
    if len(delen) > 1:  # a surname of several words ("Ven-Van Roedelrode") has one key
        samen = "".join(delen)
        sleutels.update(naam_varianten(samen, vocabulaire))
        exact.add(samen)
        for i in range(1, len(delen)):
            staart = "".join(delen[i:])
            sleutels.add(staart)
            exact.add(staart)
    voorwaarde = Klant.naam_sleutel.in_(sorted(sleutels))  # type: ignore[attr-defined]
    rang = case((Klant.naam_sleutel.in_(sorted(exact)), 0), else_=1)  # type: ignore[attr-defined]
    return voorwaarde, rang


def _voornaam_filter(klanten: list[Klant], delen: tuple[str, ...]) -> list[Klant]:
    """With more than one word typed, prefer people whose other words match a first name."""
    if len(delen) < 2:
        return klanten

    def past(klant: Klant) -> bool:
        namen = naam_delen(klant.voornamen or klant.handelsnaam)
        sleutel = klant.naam_sleutel
        overig = [
            d
            for d in delen
            if d not in sleutel and distance.Levenshtein.distance(d, sleutel) > max_bewerkingen(d)
        ]
        return all(
            any(
                n.startswith(d) or distance.Levenshtein.distance(n, d) <= max_bewerkingen(d)
                for n in namen
            )
            for d in overig
        )

    passend = [k for k in klanten if past(k)]
    return passend or klanten


def zoek(
    session: Session, tekst: str, *, limit: int = 50, vocabulaire: list[str] | None = None
) -> tuple[Zoekvraag, list[KlantTreffer]]:
    """Search klanten; returns what was understood and the hits (best first)."""
    vraag = herken(tekst)
    if vraag.soort in (ZoekSoort.TELEFOON, ZoekSoort.EMAIL):
        return vraag, [
            treffer(k) for k in _klanten(session, _adres_ids(session, vraag.waarde, limit))
        ]
    statement = select(Klant)
    if vraag.soort == ZoekSoort.BSN:
        statement = statement.where(Klant.id.in_(klant_ids_met_bsn(session, vraag.waarde)))
    elif vraag.soort == ZoekSoort.KVK:
        statement = statement.where(Klant.kvk_nummer == vraag.waarde)
    elif vraag.soort == ZoekSoort.POSTCODE:
        statement = statement.where(Klant.postcode == vraag.waarde)
        if vraag.huisnummer is not None:
            statement = statement.where(Klant.huisnummer == vraag.huisnummer)
        if vraag.toevoeging:
            statement = statement.where(func.upper(Klant.toevoeging) == vraag.toevoeging)
        statement = statement.order_by(Klant.huisnummer, Klant.toevoeging, Klant.naam_sleutel)
    else:
        woorden = vocabulaire if vocabulaire is not None else []
        voorwaarde, rang = _naam_conditie(vraag.naamdelen, woorden)
        if vraag.soort == ZoekSoort.GEBOORTEDATUM:
            statement = statement.where(
                and_(Klant.geboortedatum == vraag.geboortedatum, voorwaarde)
            )
        else:
            statement = statement.where(voorwaarde)
        statement = statement.order_by(rang, Klant.naam_sleutel, Klant.voornamen).limit(limit * 4)
        klanten = list(session.execute(statement).scalars())
        exacte = {k.id for k in klanten if k.naam_sleutel in vraag.naamdelen}
        klanten = _voornaam_filter(klanten, vraag.naamdelen)[:limit]
        return vraag, [treffer(k, exact=k.id in exacte) for k in klanten]
    return vraag, [treffer(k) for k in session.execute(statement.limit(limit)).scalars()]


def zoek_via_engine(
    engine: Engine, session: Session, tekst: str, limit: int = 50
) -> tuple[Zoekvraag, list[KlantTreffer]]:
    """Like :func:`zoek`, with the engine's cached name vocabulary for typo tolerance."""
    vocabulaire = NaamVocabulaire.voor(engine).actueel(session)
    return zoek(session, tekst, limit=limit, vocabulaire=vocabulaire)


def herken_contact(session: Session, nummer_of_email: str) -> list[KlantTreffer]:
    """Caller-ID: the klanten with this phone number or e-mail address (any notation)."""
    waarde = nummer_of_email.strip()
    if not waarde:
        return []
    genormaliseerd = valideer_email(waarde) if "@" in waarde else valideer_telefoon(waarde)
    return [treffer(k) for k in _klanten(session, _adres_ids(session, genormaliseerd, 20))]


_PER_DATABASE: PerDatabase[NaamVocabulaire] = PerDatabase(lambda _engine: NaamVocabulaire())
