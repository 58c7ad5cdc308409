"""Kennisbank search: the shared search core fed with the articles from the database.

One index per database, kept in a file (see :func:`indexpad`) that every process on this
machine opens in milliseconds and shares: it is built once, then kept in step with the
database. Before a search a process checks, at most twice a second, a cheap fingerprint (number
of articles, newest ``gewijzigd_op``); an edited article is re-indexed on its own, a removed
one is removed on its own (never a full rebuild), so an edit by a redacteur — here or on
another agent's machine — is found within a second. Usage (how often an article was the
onderwerp of a contactmoment) breaks ties.

Nieuws en werkinstructies (:mod:`kiss.services.beheer.nieuws`) live in the same index under
keys ``nieuws:<id>`` with their ``soort`` in the hit, kept in step the same way (their own
fingerprint). Whether an agent may see one is decided when searching, by the rule the start
screen uses (publish window at the search's moment, doelgroep), so an item published for
later appears at that moment without re-indexing; the gemeente is the document's scope, as
for articles.

Lexical ranking (typos, compounds, synonyms) is fused with meaning (sentence vectors from a
multilingual model shipped in a wheel, see :mod:`kiss.search.vectoren`) when the question is a
sentence or the words alone find too little; English and newcomer Dutch are understood that
way. Below a calibrated confidence the result says :attr:`Zoekresultaat.geen_goed_antwoord`:
the screen then shows "Geen passend artikel gevonden" and offers the smoelenboek by expertise.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.db import read_scope
from kiss.models import ArtikelStatus, Contactmoment, Kennisartikel, Medewerker
from kiss.per_database import PerDatabase
from kiss.search import Document, Field, Hit, SearchIndex, Snippet
from kiss.search.stopwoorden import STOPWOORDEN
from kiss.search.text import words
from kiss.services.beheer import nieuws
from kiss.services.beheer.nieuws import SLEUTEL_VOORVOEGSEL, ZoekbaarItem

if TYPE_CHECKING:
    from kiss.search.vectoren import VectorIndex

log = logging.getLogger(__name__)


def _vectoren() -> ModuleType:
    """The meaning half (numpy, the model) is imported at the first search, not at start-up."""
    from kiss.search import vectoren

    return vectoren


VELDEN = (
    Field("titel", 10.0),
    Field("trefwoorden", 5.0),
    Field("synoniemen", 5.0),
    Field("samenvatting", 3.0, snippet=True),
    Field("vragen", 2.0, snippet=True),
    Field("inhoud", 1.0, snippet=True),
)

#: Words residents use for the same thing (each line one group, both directions).
SYNONIEMEN: dict[str, list[str]] = {
    "paspoort": ["reisdocument", "reispas"],
    "id-kaart": ["identiteitskaart", "idkaart", "id kaart"],
    "rijbewijs": ["rijbewijzen"],
    "bouwvergunning": ["omgevingsvergunning"],
    "verhuizing": ["verhuizen", "adreswijziging", "nieuw adres"],
    "grofvuil": ["grof afval", "grofafval"],
    "bijstand": ["uitkering", "bijstandsuitkering"],
    "kwijtschelding": ["kwijtschelden"],
    "uittreksel": ["bewijs van inschrijving"],
    "brp": ["basisregistratie personen", "gba"],
    "trouwen": ["huwelijk", "geregistreerd partnerschap"],
    "overlijden": ["overleden", "aangifte van overlijden"],
    "geboorteaangifte": ["geboorte", "baby aangeven"],
    "lantaarnpaal": ["straatverlichting", "lantaarn"],
    "melding": ["klacht openbare ruimte"],
    "wmo": ["maatschappelijke ondersteuning"],
    "vog": ["verklaring omtrent het gedrag"],
    "afvalpas": ["milieupas"],
    "milieustraat": ["afvalbrengstation", "stort"],
}

CONTROLE_INTERVAL = 0.5  # how often the database is asked whether articles changed
VEILIGHEIDSMARGE = timedelta(seconds=10)
GEBRUIK_INTERVAL = 300.0
SYNCHROON_INBEDDEN = 64  # more missing article vectors than this: computed in the background
RRF_K = 4  # reciprocal rank fusion: weight of a rank r is 1 / (RRF_K + r)
#: an article found by meaning alone is shown when at most this much less similar than the best
SEMANTISCH_BEREIK = 0.04
#: weight of the words when most of them are unknown to every article (another language)
VREEMD = 0.3
PARTIEEL = 0.3  # weight of a lexical hit that matched only some words of the question
#: Confidence calibration on ``data/evaluatie/kennisbank_vragen.jsonl`` (category ``geen``:
#: off-topic questions). Raw similarity does not separate them (e5 scores everything 0.78–0.87);
#: how far the best article stands out from the 5th–30th best does: below this margin, and
#: unless the words and the meaning agree on one article that matches every word, the search
#: says it has no good answer.
MIN_MARGE = 0.031


ARTIKEL = "artikel"  # the soort of an article hit; items have "nieuws" or "werkinstructie"


@dataclass(frozen=True)
class ArtikelTreffer:
    """One hit: an article, or a nieuws item / werkinstructie (``soort``; ``sleutel`` is then
    ``nieuws:<id>``)."""

    id: uuid.UUID
    titel: str
    samenvatting: str
    score: float
    snippet: Snippet
    sleutel: str = ""
    soort: str = ARTIKEL

    @property
    def is_artikel(self) -> bool:
        return self.soort == ARTIKEL


@dataclass(frozen=True)
class Zoekresultaat:
    """What the kennisbank screen shows for a question.

    ``geen_goed_antwoord``: no article is a confident answer (below the calibrated confidence);
    the screen says "Geen passend artikel gevonden", keeps the suggestions below it and offers
    the smoelenboek and a terugbelnotitie. ``zekerheid`` is the similarity in meaning of the
    best article: how far it stands out in meaning from the rest (``None`` when meaning was
    not consulted; below :data:`MIN_MARGE` it is not a confident answer). ``betekenis``: meaning was
    used for this ranking."""

    treffers: list[ArtikelTreffer] = field(default_factory=list)
    geen_goed_antwoord: bool = False
    zekerheid: float | None = None
    betekenis: bool = False


_MARKDOWN = (
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*$", re.MULTILINE), r"\1:"),  # headings
    (re.compile(r"^\s{0,3}([-*+]|\d+[.)]|>)\s+", re.MULTILINE), ""),  # lists, quotes
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"(\*\*|__|`)"), ""),  # bold, code
    (re.compile(r"\s+"), " "),
)


def platte_tekst(markdown: str) -> str:
    """Markdown as plain text for the index, so snippets read like sentences."""
    for patroon, vervanging in _MARKDOWN:
        markdown = patroon.sub(vervanging, markdown)
    return markdown.strip()


def betekenistekst(artikel: Kennisartikel) -> str:
    """What the sentence model reads of an article: what it is about and how people ask."""
    delen = [
        artikel.titel + ".",
        artikel.samenvatting,
        ", ".join([*artikel.trefwoorden, *artikel.synoniemen]) + ".",
        " ".join(v.get("vraag", "") for v in artikel.vragen),
    ]
    return " ".join(d for d in delen if d.strip())[:1500]


def _document(artikel: Kennisartikel, gebruik: int) -> Document:
    vragen = " ".join(f"{v['vraag']} {v['antwoord']}" for v in artikel.vragen)
    return Document(
        key=str(artikel.id),
        values={
            "titel": artikel.titel,
            "trefwoorden": " ".join(artikel.trefwoorden),
            "synoniemen": " ".join(artikel.synoniemen),
            "samenvatting": artikel.samenvatting,
            "vragen": vragen,
            "inhoud": platte_tekst(artikel.inhoud),
        },
        scopes=artikel.gemeenten,
        visible=artikel.status == ArtikelStatus.GEPUBLICEERD,
        usage=gebruik,
        extra={
            "titel": artikel.titel,
            "samenvatting": artikel.samenvatting,
            "sleutel": artikel.sleutel,
            "versie": _vectoren().versie_van(betekenistekst(artikel)),
            "gewijzigd": artikel.gewijzigd_op.isoformat(),
        },
    )


def item_betekenistekst(item: ZoekbaarItem) -> str:
    """What the sentence model reads of a nieuws item or werkinstructie."""
    return f"{item.titel}. {platte_tekst(item.tekst)}"[:1500]


def _item_document(item: ZoekbaarItem) -> Document:
    tekst = platte_tekst(item.tekst)
    samenvatting = tekst if len(tekst) <= 160 else tekst[:157].rsplit(" ", 1)[0] + " …"
    return Document(
        key=item.sleutel,
        values={"titel": item.titel, "inhoud": tekst},
        scopes=[item.gemeente] if item.gemeente else (),
        extra={
            "titel": item.titel,
            "samenvatting": samenvatting,
            "sleutel": item.sleutel,
            "soort": item.soort,
            "versie": _vectoren().versie_van(item_betekenistekst(item)),
            "gewijzigd": item.versie,
        },
    )


def _is_item(sleutel: str) -> bool:
    return sleutel.startswith(SLEUTEL_VOORVOEGSEL)


def _item_id(sleutel: str) -> uuid.UUID:
    return uuid.UUID(sleutel.removeprefix(SLEUTEL_VOORVOEGSEL))


def indexpad(engine: Engine) -> str | None:
    """Where the kennisbank index of this database lives (``None``: in memory).

    ``KISS_ZOEKINDEX_MAP`` chooses the folder (e.g. one folder on a terminal server that every
    agent session shares); otherwise next to an SQLite database file, or in the user cache
    folder for PostgreSQL. The name is derived from the database URL without its password."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    naam = url.render_as_string(hide_password=True)
    code = hashlib.sha256(naam.encode()).hexdigest()[:16]
    map_ = os.environ.get("KISS_ZOEKINDEX_MAP")
    if map_:
        return str(Path(map_) / f"kennisbank-{code}.zoekindex")
    if url.get_backend_name() == "sqlite":
        return str(Path(url.database or "").with_suffix(".zoekindex"))
    from platformdirs import user_cache_path

    return str(user_cache_path("kiss") / f"kennisbank-{code}.zoekindex")


def _open(pad: str | None) -> tuple[SearchIndex, VectorIndex]:
    if pad is not None:
        try:
            Path(pad).parent.mkdir(parents=True, exist_ok=True)
            return SearchIndex(VELDEN, synonyms=SYNONIEMEN, path=pad), _vectoren().VectorIndex(pad)
        except (OSError, sqlite3.Error) as fout:  # read-only folder, broken file: in memory
            log.warning(
                "Zoekindex %s niet te openen (%s); de index staat in het geheugen.", pad, fout
            )
    return SearchIndex(VELDEN, synonyms=SYNONIEMEN), _vectoren().VectorIndex(None)


def inhoudswoorden(tekst: str) -> list[str]:
    """The words of a question that carry its subject (stopwords dropped)."""
    alle = words(tekst)
    inhoud = [w for w in alle if w not in STOPWOORDEN]
    return inhoud if len(alle) >= 3 else alle


class KennisbankZoeker:
    def __init__(self, engine: Engine, pad: str | bool | None = True) -> None:
        self.engine = engine
        self.pad = indexpad(engine) if pad is True else (pad or None)
        self.index: SearchIndex | None = None
        self.vectoren: VectorIndex | None = None
        self._gecontroleerd = 0.0
        self._gebruik_geteld = 0.0
        self._lock = threading.Lock()
        self._inbedden_bezig = False
        self._vectoren_bij: str | None = None  # index state whose vectors were last checked

    @classmethod
    def voor(cls, engine: Engine) -> KennisbankZoeker:
        return _PER_DATABASE.voor(engine)

    # ---- keeping the index in step with the database -----------------------------------------

    @staticmethod
    def _lees_vingerafdruk(session: Session) -> tuple[int, datetime | None]:
        aantal, nieuwste = session.execute(
            select(func.count(), func.max(Kennisartikel.gewijzigd_op))
        ).one()
        if isinstance(nieuwste, str):  # SQLite aggregate returns the stored text
            nieuwste = datetime.fromisoformat(nieuwste)
        return int(aantal), nieuwste

    def _gebruik(
        self, session: Session, artikelen: list[Kennisartikel] | None = None
    ) -> dict[uuid.UUID, int]:
        """How often articles were the onderwerp of a contactmoment (all, or these)."""
        statement = select(Contactmoment.artikel_id, func.count()).where(
            Contactmoment.artikel_id.is_not(None)  # type: ignore[union-attr]
        )
        if artikelen is not None:
            statement = statement.where(
                Contactmoment.artikel_id.in_([a.id for a in artikelen])  # type: ignore[union-attr]
            )
        else:
            self._gebruik_geteld = time.monotonic()
        rows = session.execute(statement.group_by(Contactmoment.artikel_id)).all()
        return {r[0]: int(r[1]) for r in rows}

    def _synchroniseer_items(self, session: Session, index: SearchIndex) -> None:
        """Nieuws items and werkinstructies: changed ones re-indexed, removed ones removed."""
        stand = nieuws.vingerafdruk(session)
        if index.get_meta("nieuws_vingerafdruk") == stand:
            return
        levend = {f"{SLEUTEL_VOORVOEGSEL}{i}": v for i, v in nieuws.wijzigingen(session).items()}
        bekend = set(filter(_is_item, index.keys()))
        extras = index.extras(levend)
        gewijzigd = [
            _item_id(k) for k, v in levend.items() if extras.get(k, {}).get("gewijzigd") != v
        ]
        for i in range(0, len(gewijzigd), 500):
            items = nieuws.zoekbare_items(session, gewijzigd[i : i + 500])
            index.upsert_many(_item_document(item) for item in items)
        weg = bekend - levend.keys()
        if weg:
            index.delete_many(weg)
            if self.vectoren is not None:
                self.vectoren.verwijder(weg)
        index.set_meta("nieuws_aantal", str(len(levend)))
        index.set_meta("nieuws_vingerafdruk", stand)

    def _synchroniseer(self, session: Session, index: SearchIndex) -> None:
        """Bring the index file in step with the database: changed articles and items
        re-indexed, removed ones removed, nothing else touched."""
        self._synchroniseer_items(session, index)
        aantal, nieuwste = self._lees_vingerafdruk(session)
        opgeslagen = index.get_meta("vingerafdruk")
        nu = f"{aantal}|{nieuwste.isoformat() if nieuwste else ''}"
        if opgeslagen == nu:
            if time.monotonic() - self._gebruik_geteld > GEBRUIK_INTERVAL:
                gebruik = self._gebruik(session)
                index.set_usages({str(k): v for k, v in gebruik.items()})
            return
        sinds_tekst = index.get_meta("nieuwste")
        sinds = datetime.fromisoformat(sinds_tekst) if sinds_tekst else None
        statement = select(Kennisartikel).execution_options(yield_per=1000)
        bijwerken = sinds is not None and len(index) > 0
        if bijwerken:
            # a margin for transactions that committed out of order; unchanged ones skipped
            statement = statement.where(Kennisartikel.gewijzigd_op >= sinds - VEILIGHEIDSMARGE)
        gebruik = None if bijwerken else self._gebruik(session)
        for artikelen in session.execute(statement).scalars().partitions(1000):
            if bijwerken:
                bekend = index.extras(str(a.id) for a in artikelen)
                artikelen = [
                    a
                    for a in artikelen
                    if bekend.get(str(a.id), {}).get("gewijzigd") != a.gewijzigd_op.isoformat()
                ]
            if not artikelen:
                continue
            aantallen = gebruik if gebruik is not None else self._gebruik(session, artikelen)
            index.upsert_many(_document(a, aantallen.get(a.id, 0)) for a in artikelen)
        items = int(index.get_meta("nieuws_aantal") or 0)
        if len(index) - items != aantal:  # something was removed: remove exactly that
            bestaand = {str(i) for i in session.execute(select(Kennisartikel.id)).scalars()}
            weg = {k for k in index.keys() - bestaand if not _is_item(k)}
            index.delete_many(weg)
            if self.vectoren is not None:
                self.vectoren.verwijder(weg)
        index.set_meta("nieuwste", nieuwste.isoformat() if nieuwste else "")
        index.set_meta("vingerafdruk", nu)

    def actueel(self) -> SearchIndex:
        """The index, brought up to date with the database if needed (at most twice a
        second; a new process opens the existing file and only checks)."""
        with self._lock:
            nu = time.monotonic()
            if self.index is not None and nu - self._gecontroleerd < CONTROLE_INTERVAL:
                return self.index
            if self.index is None:
                self.index, self.vectoren = _open(self.pad)
            with read_scope(self.engine) as session:
                self._synchroniseer(session, self.index)
            self._gecontroleerd = time.monotonic()
            return self.index

    def vergeet(self) -> None:
        """Check the database before the next search (after an import or edit here)."""
        self._gecontroleerd = 0.0

    # ---- meaning ---------------------------------------------------------------------------

    def _vul_vectoren(self, index: SearchIndex, wachten: bool) -> None:
        """Compute the vectors of articles whose text changed since (or never had one)."""
        assert self.vectoren is not None
        stand = f"{index.get_meta('vingerafdruk')}|{index.get_meta('nieuws_vingerafdruk')}"
        if stand == self._vectoren_bij and not wachten:
            return  # nothing changed since the last check (this is asked on every question)
        self._vectoren_bij = stand
        versies = self.vectoren.versies()
        sleutels = index.keys()
        ontbrekend = [
            k for k, e in index.extras(sleutels).items() if versies.get(k) != e.get("versie")
        ]
        if not ontbrekend:
            return
        if len(ontbrekend) <= SYNCHROON_INBEDDEN or wachten:
            self._bed_in(ontbrekend)
        elif not self._inbedden_bezig:
            self._inbedden_bezig = True
            threading.Thread(
                target=self._bed_in_achtergrond, args=(ontbrekend,), daemon=True
            ).start()

    def _bed_in_achtergrond(self, sleutels: list[str]) -> None:
        try:
            for i in range(0, len(sleutels), 256):
                self._bed_in(sleutels[i : i + 256])
        except Exception:  # never break searching; the next search tries again
            log.exception("Artikelvectoren berekenen mislukt")
            self._vectoren_bij = None
        finally:
            self._inbedden_bezig = False

    def _bed_in(self, sleutels: list[str]) -> None:
        assert self.vectoren is not None
        ids = [uuid.UUID(k) for k in sleutels if not _is_item(k)]
        item_ids = [_item_id(k) for k in sleutels if _is_item(k)]
        with read_scope(self.engine) as session:
            artikelen = list(
                session.execute(select(Kennisartikel).where(Kennisartikel.id.in_(ids))).scalars()  # type: ignore[attr-defined]
            ) if ids else []  # fmt: skip
            paren = [(str(a.id), betekenistekst(a)) for a in artikelen] + [
                (i.sleutel, item_betekenistekst(i))
                for i in nieuws.zoekbare_items(session, item_ids)
            ]
        if not paren:
            return
        vectoren = _vectoren().Embedder.passages([t for _, t in paren])
        self.vectoren.zet(
            (k, _vectoren().versie_van(t), v) for (k, t), v in zip(paren, vectoren, strict=True)
        )

    def warm_op(self) -> None:
        """Open the index and compute missing article vectors in a background thread (call at
        login), so the first question by meaning does not wait for them."""

        def werk() -> None:
            try:
                self.bereken_vectoren()
            except Exception:  # a search later tries again
                log.exception("Kennisbank opwarmen mislukt")

        threading.Thread(target=werk, daemon=True, name="kennisbank-opwarmen").start()

    def bereken_vectoren(self) -> None:
        """Compute every missing article vector now (after a large import; benchmarks)."""
        index = self.actueel()
        self._vul_vectoren(index, wachten=True)

    # ---- searching -------------------------------------------------------------------------

    def _treffer(self, hit: Hit, score: float) -> ArtikelTreffer:
        return ArtikelTreffer(
            _item_id(hit.key) if _is_item(hit.key) else uuid.UUID(hit.key),
            str(hit.extra.get("titel", "")),
            str(hit.extra.get("samenvatting", "")),
            score,
            hit.snippet,
            str(hit.extra.get("sleutel", "")),
            str(hit.extra.get("soort", ARTIKEL)),
        )

    def _verborgen_items(
        self, sleutels: list[str], voor: Medewerker | None, nu: datetime | None, berichten: bool
    ) -> set[str]:
        """Those of ``sleutels`` that are items this medewerker may not see at ``nu`` (not
        published then, or not for their doelgroep; all of them without ``berichten``): asked
        of the database, only when items were found."""
        items = [k for k in sleutels if _is_item(k)]
        if not items or not berichten:
            return set(items)
        with read_scope(self.engine) as session:
            zichtbaar = nieuws.zichtbaar_voor(
                session, [_item_id(k) for k in items], voor, nu=nu or datetime.now(UTC)
            )
        return {k for k in items if _item_id(k) not in zichtbaar}

    def zoek_resultaat(
        self,
        tekst: str,
        *,
        gemeente: str | None = None,
        limit: int = 10,
        bezig: bool | None = None,
        betekenis: bool | None = None,
        voor: Medewerker | None = None,
        nu: datetime | None = None,
        berichten: bool = True,
    ) -> Zoekresultaat:
        """Ranked published articles for ``gemeente`` (or all), any text is safe.

        ``bezig=True`` while the agent is still typing the last word (it is then completed as
        a prefix, and meaning is not consulted on every keystroke); the CLI and a finished
        question use ``False``; ``None`` guesses from a trailing space or punctuation (the
        last word is then finished) and may consult meaning. ``betekenis`` forces meaning on
        or off (default: used for a sentence of three or more words, for words no article
        has, or when the words alone find no full match).

        Nieuws items and werkinstructies are among the hits when ``voor`` (the agent
        searching; ``None``: only items for everyone) may see them at ``nu`` (default now);
        ``berichten=False`` leaves them out (an answer to a resident: articles only)."""
        index = self.actueel()
        if betekenis or (
            betekenis is None and bezig is not True and len(inhoudswoorden(tekst)) >= 3
        ):
            _vectoren().Embedder.begin(tekst)  # a sentence: its vector while the words are searched
        basis = max(limit, 20)
        lexicaal = index.search(tekst, scope=gemeente, limit=basis, typing=bezig)
        if verborgen := self._verborgen_items([h.key for h in lexicaal], voor, nu, berichten):
            # items this agent may not see were among them: ask for as many more
            meer = index.search(tekst, scope=gemeente, limit=basis + len(verborgen), typing=bezig)
            verborgen = self._verborgen_items([h.key for h in meer], voor, nu, berichten)
            lexicaal = [h for h in meer if h.key not in verborgen][:basis]
        inhoud = inhoudswoorden(tekst)
        if betekenis is None:  # a sentence, words no article has, or only a partial match
            betekenis = (
                bezig is not True
                and bool(inhoud)
                and (
                    len(inhoud) >= 3
                    or not lexicaal
                    or not lexicaal[0].complete
                    or bool(index.unknown_words(tekst))
                )
            )
        if not betekenis:
            treffers = [self._treffer(h, h.score) for h in lexicaal[:limit]]
            geen = not treffers
            return Zoekresultaat(treffers, geen_goed_antwoord=geen)
        return self._met_betekenis(index, tekst, gemeente, limit, lexicaal, voor, nu, berichten)

    def _met_betekenis(
        self,
        index: SearchIndex,
        tekst: str,
        gemeente: str | None,
        limit: int,
        lexicaal: list[Hit],
        voor: Medewerker | None = None,
        nu: datetime | None = None,
        berichten: bool = True,
    ) -> Zoekresultaat:
        assert self.vectoren is not None
        try:
            self._vul_vectoren(index, wachten=False)
            vraag = _vectoren().Embedder.vraag(tekst)
            dichtbij = self.vectoren.zoek(vraag, k=60)
        except Exception:  # the model failing must never stop the words from working
            log.exception("Zoeken op betekenis mislukt")
            treffers = [self._treffer(h, h.score) for h in lexicaal[:limit]]
            return Zoekresultaat(treffers, geen_goed_antwoord=not treffers)
        toegestaan = index.visible([k for k, _ in dichtbij], gemeente)
        toegestaan -= self._verborgen_items(sorted(toegestaan), voor, nu, berichten)
        semantisch = [(k, s) for k, s in dichtbij if k in toegestaan][:20]
        if semantisch:  # only articles about as close in meaning as the closest one
            drempel = semantisch[0][1] - SEMANTISCH_BEREIK
            semantisch = [(k, s) for k, s in semantisch if s >= drempel]
        scores: dict[str, float] = {}
        inhoud = inhoudswoorden(tekst)
        onbekend = len(index.unknown_words(tekst))
        # mostly words no article has (another language): the corrections are guesses
        vreemd = VREEMD if inhoud and onbekend * 2 >= len(inhoud) else 1.0
        for rang, hit in enumerate(lexicaal[:20], start=1):
            gewicht = (1.0 if hit.complete else PARTIEEL) * vreemd
            scores[hit.key] = scores.get(hit.key, 0.0) + gewicht / (RRF_K + rang)
        for rang, (key, _) in enumerate(semantisch, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rang)
        volgorde = sorted(scores, key=lambda k: (-scores[k], k))[:limit]
        bekend = {h.key: h for h in lexicaal}
        ontbreekt = [k for k in volgorde if k not in bekend]
        if ontbreekt:
            bekend.update(index.hits_for(ontbreekt, tekst))
        treffers = [self._treffer(bekend[k], scores[k]) for k in volgorde if k in bekend]
        alle = [score for _, score in dichtbij]
        # too few articles to tell a standing-out one: only the words can vouch for it
        marge = alle[0] - sum(alle[5:30]) / len(alle[5:30]) if len(alle) >= 10 else 0.0
        eens = (
            bool(lexicaal and semantisch)
            and lexicaal[0].complete
            and lexicaal[0].key == semantisch[0][0]
        )
        geen = not treffers or (marge < MIN_MARGE and not eens)
        beste = round(marge, 4)
        return Zoekresultaat(treffers, geen_goed_antwoord=geen, zekerheid=beste, betekenis=True)

    def zoek(
        self,
        tekst: str,
        *,
        gemeente: str | None = None,
        limit: int = 10,
        bezig: bool | None = None,
        voor: Medewerker | None = None,
        nu: datetime | None = None,
    ) -> list[ArtikelTreffer]:
        """The confident hits only: empty when there is no good answer."""
        resultaat = self.zoek_resultaat(
            tekst, gemeente=gemeente, limit=limit, bezig=bezig, voor=voor, nu=nu
        )
        return [] if resultaat.geen_goed_antwoord else resultaat.treffers


_PER_DATABASE: PerDatabase[KennisbankZoeker] = PerDatabase(KennisbankZoeker)


def zoek_artikelen(
    engine: Engine,
    tekst: str,
    *,
    gemeente: str | None = None,
    limit: int = 10,
    bezig: bool | None = None,
    voor: Medewerker | None = None,
    nu: datetime | None = None,
) -> list[ArtikelTreffer]:
    """Ranked published articles (and the items ``voor`` may see at ``nu``) for ``gemeente``
    (or all), empty when none is a good answer; any text is safe."""
    return KennisbankZoeker.voor(engine).zoek(
        tekst, gemeente=gemeente, limit=limit, bezig=bezig, voor=voor, nu=nu
    )


def zoek_kennisbank(
    engine: Engine,
    tekst: str,
    *,
    gemeente: str | None = None,
    limit: int = 10,
    bezig: bool | None = None,
    voor: Medewerker | None = None,
    nu: datetime | None = None,
    berichten: bool = True,
) -> Zoekresultaat:
    """Like :func:`zoek_artikelen`, with the "no good answer" verdict for the screen."""
    return KennisbankZoeker.voor(engine).zoek_resultaat(
        tekst, gemeente=gemeente, limit=limit, bezig=bezig, voor=voor, nu=nu, berichten=berichten
    )
