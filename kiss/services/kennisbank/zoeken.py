"""Kennisbank search: the shared search core fed with the articles from the database.

One index per database (engine), built on first use. Before a search it checks, at most once
a second, a cheap fingerprint (number of articles, newest ``gewijzigd_op``): an article a
redacteur just edited — in this process or on another agent's machine — is re-indexed and
found at once. Usage (how often an article was the onderwerp of a contactmoment) breaks ties.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.db import read_scope
from kiss.models import ArtikelStatus, Contactmoment, Kennisartikel
from kiss.per_database import PerDatabase
from kiss.search import Document, Field, SearchIndex, Snippet

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

CONTROLE_INTERVAL = 1.0
GEBRUIK_INTERVAL = 300.0


@dataclass(frozen=True)
class ArtikelTreffer:
    id: uuid.UUID
    titel: str
    samenvatting: str
    score: float
    snippet: Snippet
    sleutel: str = ""


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
    )


class KennisbankZoeker:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.index: SearchIndex | None = None
        self._titels: dict[str, tuple[str, str, str]] = {}
        self._vingerafdruk: tuple[int, datetime | None] = (0, None)
        self._gecontroleerd = 0.0
        self._gebruik_geteld = 0.0
        self._lock = threading.Lock()

    @classmethod
    def voor(cls, engine: Engine) -> KennisbankZoeker:
        return _PER_DATABASE.voor(engine)

    def _lees_vingerafdruk(self, session: Session) -> tuple[int, datetime | None]:
        aantal, nieuwste = session.execute(
            select(func.count(), func.max(Kennisartikel.gewijzigd_op))
        ).one()
        if isinstance(nieuwste, str):  # SQLite aggregate returns the stored text
            nieuwste = datetime.fromisoformat(nieuwste)
        return int(aantal), nieuwste

    def _gebruik(self, session: Session) -> dict[uuid.UUID, int]:
        rows = session.execute(
            select(Contactmoment.artikel_id, func.count())
            .where(Contactmoment.artikel_id.is_not(None))  # type: ignore[union-attr]
            .group_by(Contactmoment.artikel_id)
        ).all()
        self._gebruik_geteld = time.monotonic()
        return {r[0]: int(r[1]) for r in rows}

    def _bouw(self, session: Session) -> None:
        gebruik = self._gebruik(session)
        artikelen = list(session.execute(select(Kennisartikel)).scalars())
        index = SearchIndex(VELDEN, synonyms=SYNONIEMEN)
        index.upsert_many(_document(a, gebruik.get(a.id, 0)) for a in artikelen)
        self._titels = {str(a.id): (a.titel, a.samenvatting, a.sleutel) for a in artikelen}
        self.index = index

    def _werk_bij(self, session: Session, sinds: datetime | None) -> None:
        assert self.index is not None
        statement = select(Kennisartikel)
        if sinds is not None:
            statement = statement.where(Kennisartikel.gewijzigd_op >= sinds)
        gebruik = self._gebruik(session)
        for artikel in session.execute(statement).scalars():
            self.index.upsert_many([_document(artikel, gebruik.get(artikel.id, 0))])
            self._titels[str(artikel.id)] = (artikel.titel, artikel.samenvatting, artikel.sleutel)

    def actueel(self) -> SearchIndex:
        """The index, brought up to date with the database if needed."""
        with self._lock:
            nu = time.monotonic()
            if self.index is not None and nu - self._gecontroleerd < CONTROLE_INTERVAL:
                return self.index
            with read_scope(self.engine) as session:
                vingerafdruk = self._lees_vingerafdruk(session)
                if self.index is None or vingerafdruk[0] < self._vingerafdruk[0]:
                    self._bouw(session)
                elif vingerafdruk != self._vingerafdruk:
                    self._werk_bij(session, self._vingerafdruk[1])
                elif nu - self._gebruik_geteld > GEBRUIK_INTERVAL:
                    for artikel_id, aantal in self._gebruik(session).items():
                        self.index.set_usage(str(artikel_id), aantal)
            self._vingerafdruk = vingerafdruk
            self._gecontroleerd = time.monotonic()
            assert self.index is not None
            return self.index

    def vergeet(self) -> None:
        """Check the database before the next search (after an import or edit here)."""
        self._gecontroleerd = 0.0

    def zoek(
        self, tekst: str, *, gemeente: str | None = None, limit: int = 10
    ) -> list[ArtikelTreffer]:
        index = self.actueel()
        treffers = []
        for hit in index.search(tekst, scope=gemeente, limit=limit):
            titel, samenvatting, sleutel = self._titels.get(hit.key, ("", "", ""))
            treffers.append(
                ArtikelTreffer(
                    uuid.UUID(hit.key), titel, samenvatting, hit.score, hit.snippet, sleutel
                )
            )
        return treffers


_PER_DATABASE: PerDatabase[KennisbankZoeker] = PerDatabase(KennisbankZoeker)


def zoek_artikelen(
    engine: Engine, tekst: str, *, gemeente: str | None = None, limit: int = 10
) -> list[ArtikelTreffer]:
    """Ranked published articles for ``gemeente`` (or all); any text is safe."""
    return KennisbankZoeker.voor(engine).zoek(tekst, gemeente=gemeente, limit=limit)
