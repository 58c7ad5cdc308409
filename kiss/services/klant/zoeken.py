"""Klant zoeken: one search field that understands what is typed.

Phone number (any notation), e-mail, BSN, KvK-nummer, postcode + huisnummer, geboortedatum +
achternaam, or a name with typos and particles. Invalid BSN/KvK/postcode/phone input raises
:class:`~kiss.validation.ValidatieFout` with a Dutch message for the field.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from rapidfuzz import distance, process
from sqlalchemy import Engine, case, func, select, union_all
from sqlmodel import Session, col

from kiss.models import DigitaalAdres, Klant, KlantSoort, utcnow
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

log = logging.getLogger(__name__)
_KLOKMARGE = timedelta(seconds=30)  # transactions that commit a little after their timestamp


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

    Loaded once per engine (the first name search waits for it, or :meth:`warm_op` loads it in
    the background at login). After that no search ever waits for a reload: when the list is
    older than ``max_leeftijd`` seconds a background thread adds the keys of klanten changed
    since (an incremental read), and once an hour it reloads everything (dropping keys of
    removed klanten). Names registered since the last refresh are still found exactly (the SQL
    also matches the typed key). Phone, e-mail, BSN, KvK and postcode searches never touch it.
    """

    VOLLEDIG_INTERVAL = 3600.0

    def __init__(self, max_leeftijd: float = 60.0, engine: Engine | None = None) -> None:
        self.sleutels: list[str] = []
        self.per_lengte: dict[int, list[str]] = {}
        self.geladen_op = 0.0
        self.volledig_geladen_op = 0.0
        self.max_leeftijd = max_leeftijd
        self.engine = engine
        self._sinds: datetime | None = None
        self._laadlock = threading.Lock()
        self._bijwerken_bezig = False
        self._moet_laden = True

    @classmethod
    def voor(cls, engine: Engine) -> NaamVocabulaire:
        return _PER_DATABASE.voor(engine)

    def _zet(self, sleutels: list[str]) -> None:
        per_lengte: dict[int, list[str]] = {}
        for sleutel in sleutels:
            per_lengte.setdefault(len(sleutel), []).append(sleutel)
        self.sleutels, self.per_lengte = sleutels, per_lengte  # swapped at once for readers

    def laad(self, session: Session) -> None:
        """Read every name key (the first time, after :meth:`vergeet`, and once an hour)."""
        begin = utcnow()
        rows = session.execute(select(Klant.naam_sleutel).distinct()).scalars()
        self._zet(sorted(s for s in rows if s))
        self._sinds = begin
        self.geladen_op = self.volledig_geladen_op = time.monotonic()
        self._moet_laden = False

    def _werk_bij(self, session: Session) -> None:
        """Add the keys of klanten changed since the last read."""
        begin = utcnow()
        rows = session.execute(
            select(Klant.naam_sleutel)
            .where(Klant.gewijzigd_op >= self._sinds - _KLOKMARGE)  # type: ignore[operator]
            .distinct()
        ).scalars()
        nieuw = {s for s in rows if s} - set(self.sleutels)
        if nieuw:
            self._zet(sorted(set(self.sleutels) | nieuw))
        self._sinds = begin
        self.geladen_op = time.monotonic()

    def _achtergrond(self) -> None:
        try:
            assert self.engine is not None
            with Session(self.engine) as session:
                if self._moet_laden:
                    with self._laadlock:  # a search meanwhile waits for this first read
                        if self._moet_laden:
                            self.laad(session)
                elif (
                    self._sinds is None
                    or time.monotonic() - self.volledig_geladen_op > self.VOLLEDIG_INTERVAL
                ):
                    self.laad(session)
                else:
                    self._werk_bij(session)
        except Exception:  # the next search tries again; searching goes on meanwhile
            log.exception("Naamvocabulaire bijwerken mislukt")
        finally:
            self._bijwerken_bezig = False

    def _start_achtergrond(self) -> None:
        if self.engine is None or self._bijwerken_bezig:
            return
        self._bijwerken_bezig = True
        threading.Thread(target=self._achtergrond, daemon=True, name="naamvocabulaire").start()

    def warm_op(self) -> None:
        """Load the vocabulary in the background (called at login, before the first search)."""
        if self._moet_laden:
            self._start_achtergrond()

    @property
    def bezig(self) -> bool:
        """Is a background load or refresh running?"""
        return self._bijwerken_bezig

    def actueel(self, session: Session) -> list[str]:
        """The keys to search with. Never reloads while a search waits: refreshes run in the
        background. Only the very first read of a process is waited for: a search during the
        login warm-up waits for the rest of it, a process that never warmed up reads the list
        in its first name search."""
        if self._moet_laden:
            with self._laadlock:
                if self._moet_laden:
                    self.laad(session)
        elif time.monotonic() - self.geladen_op > self.max_leeftijd:
            self._start_achtergrond()
        return self.sleutels

    def voeg_toe(self, sleutel: str) -> None:
        """A klant registered or renamed here: its name key joins the vocabulary at once,
        without reading anything (other processes get it with their next refresh)."""
        if not sleutel or self._moet_laden or sleutel in set(self.sleutels):
            return
        self._zet(sorted({*self.sleutels, sleutel}))

    def vergeet(self) -> None:
        """Read everything again at the next name search (after an import, in tests); that
        search waits for it. After registering one klant use :meth:`voeg_toe` instead."""
        self._moet_laden = True


def max_bewerkingen(woord: str) -> int:
    """How many typos a word may carry: none for ≤3 letters, 1 up to 8, then 2."""
    if len(woord) <= 3:
        return 0
    return 1 if len(woord) <= 8 else 2


def naam_varianten(
    woord: str, vocabulaire: list[str], per_lengte: dict[int, list[str]] | None = None
) -> list[str]:
    """The vocabulary keys within the allowed edit distance of a typed word (itself included).
    With ``per_lengte`` (the keys by length) only keys of a reachable length are compared."""
    grens = max_bewerkingen(woord)
    gevonden = {woord}
    if grens:
        if per_lengte is None:
            groepen = [vocabulaire]
        else:
            lengtes = range(len(woord) - grens, len(woord) + grens + 1)
            groepen = [per_lengte.get(n, []) for n in lengtes]
        for groep in groepen:
            for kandidaat, _score, _index in process.extract(
                woord, groep, scorer=distance.Levenshtein.distance, score_cutoff=grens, limit=50
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


def _naam_conditie(
    delen: tuple[str, ...], vocabulaire: list[str], per_lengte: dict[int, list[str]] | None = None
) -> tuple[list[str], object]:
    """The name keys to look up (any typed word may be the surname) and a rank: exact first."""
    sleutels: set[str] = set()
    exact: set[str] = set()
    for deel in delen:
        sleutels.update(naam_varianten(deel, vocabulaire, per_lengte))
        exact.add(deel)
    if len(delen) > 1:  # a surname of several words ("Ven-Van Roedelrode") has one key
        samen = "".join(delen)
        sleutels.update(naam_varianten(samen, vocabulaire, per_lengte))
        exact.add(samen)
        for i in range(1, len(delen)):
            staart = "".join(delen[i:])
            sleutels.add(staart)
            exact.add(staart)
    rang = case((Klant.naam_sleutel.in_(sorted(exact)), 0), else_=1)  # type: ignore[attr-defined]
    return sorted(sleutels), rang


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
    session: Session,
    tekst: str,
    *,
    limit: int = 50,
    vocabulaire: list[str] | NaamVocabulaire | None = None,
) -> tuple[Zoekvraag, list[KlantTreffer]]:
    """Search klanten; returns what was understood and the hits (best first).
    ``vocabulaire``: the name keys for typo tolerance (a list, or a :class:`NaamVocabulaire`
    that is only consulted, and loaded if it never was, for a name search)."""
    vraag = herken(tekst)
    return vraag, _zoek(session, vraag, limit, vocabulaire)


def _zoek(
    session: Session,
    vraag: Zoekvraag,
    limit: int,
    vocabulaire: list[str] | NaamVocabulaire | None,
) -> list[KlantTreffer]:
    if vraag.soort in (ZoekSoort.TELEFOON, ZoekSoort.EMAIL):
        return [treffer(k) for k in _klanten(session, _adres_ids(session, vraag.waarde, limit))]
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
        per_lengte = None
        if isinstance(vocabulaire, NaamVocabulaire):
            woorden = vocabulaire.actueel(session)
            per_lengte = vocabulaire.per_lengte
        else:
            woorden = vocabulaire if vocabulaire is not None else []
        sleutels, rang = _naam_conditie(vraag.naamdelen, woorden, per_lengte)
        # more candidates only when a first name has to be matched against them
        aantal = limit * 4 if len(vraag.naamdelen) > 1 else limit
        # per key only its first rows by first name (an ordered index scan that stops early),
        # so a common surname (thousands of klanten) costs as little as a rare one
        per_sleutel = []
        for sleutel in sleutels:
            deel = select(Klant.id).where(Klant.naam_sleutel == sleutel)
            if vraag.soort == ZoekSoort.GEBOORTEDATUM:
                deel = deel.where(Klant.geboortedatum == vraag.geboortedatum)
            deel = deel.order_by(Klant.voornamen).limit(aantal).subquery()
            per_sleutel.append(select(deel.c.id))
        statement = (
            statement.where(col(Klant.id).in_(union_all(*per_sleutel)))
            .order_by(rang, Klant.naam_sleutel, Klant.voornamen)
            .limit(aantal)
        )
        klanten = list(session.execute(statement).scalars())
        exacte = {k.id for k in klanten if k.naam_sleutel in vraag.naamdelen}
        klanten = _voornaam_filter(klanten, vraag.naamdelen)[:limit]
        return [treffer(k, exact=k.id in exacte) for k in klanten]
    return [treffer(k) for k in session.execute(statement.limit(limit)).scalars()]


def zoek_via_engine(
    engine: Engine, session: Session, tekst: str, limit: int = 50
) -> tuple[Zoekvraag, list[KlantTreffer]]:
    """Like :func:`zoek`, with the engine's cached name vocabulary for typo tolerance (only
    consulted for a name search; never reloaded while a search waits)."""
    return zoek(session, tekst, limit=limit, vocabulaire=NaamVocabulaire.voor(engine))


def herken_contact(session: Session, nummer_of_email: str) -> list[KlantTreffer]:
    """Caller-ID: the klanten with this phone number or e-mail address (any notation)."""
    waarde = nummer_of_email.strip()
    if not waarde:
        return []
    genormaliseerd = valideer_email(waarde) if "@" in waarde else valideer_telefoon(waarde)
    return [treffer(k) for k in _klanten(session, _adres_ids(session, genormaliseerd, 20))]


_PER_DATABASE: PerDatabase[NaamVocabulaire] = PerDatabase(
    lambda engine: NaamVocabulaire(engine=engine)
)
