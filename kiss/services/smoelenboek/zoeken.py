"""Smoelenboek search: colleagues, teams, afdelingen and outside organisations in one box.

Text goes through the shared search core (:mod:`kiss.search`: FTS5 with BM25 weights, typos,
prefixes, diacritics, Dutch stemming, synonyms); this module only decides *what* is indexed
and how hits are shown. Phone numbers are looked up exactly (E.164, any notation typed), or by
prefix/extension while the number is still being typed.

The index is an in-memory snapshot built from the database by :meth:`SmoelenboekZoeker.laad`
(call it in a worker). Before a search it checks, at most every ``controle_interval`` seconds,
a cheap fingerprint of the tables (counts, newest ``gewijzigd_op``); changed medewerkers are
re-indexed, other changes rebuild the snapshot. An import in this process calls
:meth:`SmoelenboekZoeker.vergeet`, so its result is searchable at once.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, literal, select
from sqlmodel import Session, col

from kiss.models import Afdeling, ExterneOrganisatie, Medewerker, Team
from kiss.per_database import PerDatabase
from kiss.search import Field, SearchIndex
from kiss.services.naam import naam_delen
from kiss.services.smoelenboek.aanwezigheid import Aanwezigheid, aanwezigheid, kies_vervanger
from kiss.services.smoelenboek.kaart import Collega, Soort, nummer_weergave
from kiss.validation import ValidatieFout, valideer_telefoon

#: Words that mean the same thing to a caller and to the smoelenboek (both directions).
SYNONIEMEN: dict[str, list[str]] = {
    "bouwvergunning": ["omgevingsvergunning"],
    "kapvergunning": ["omgevingsvergunning"],
    "sloopvergunning": ["sloopmelding"],
    "paspoort": ["reisdocument"],
    "id-kaart": ["identiteitskaart"],
    "verhuizing": ["adreswijziging", "verhuismelding"],
    "huisvuil": ["afval"],
    "grofvuil": ["grof afval"],
    "bijstand": ["participatiewet", "bijstandsuitkering"],
    "schulden": ["schuldhulpverlening", "schuldhulp"],
    "wmo": ["maatschappelijke ondersteuning"],
    "wob": ["woo", "woo-verzoek"],
    "ozb": ["onroerendezaakbelasting"],
    "kinderbijslag": ["svb"],
    "aow": ["svb"],
    "ww": ["werkloosheidswet"],
    "studiefinanciering": ["duo"],
    "huurtoeslag": ["toeslagen"],
    "zorgtoeslag": ["toeslagen"],
    "eigen bijdrage": ["cak"],
    "digid": ["informatiepunt digitale overheid"],
}

MAX_BIJWERKEN = 500  # more changed medewerkers than this: rebuild the snapshot instead
KLOKMARGE = timedelta(minutes=5)

VELDEN = [
    Field("naam", 10.0),
    Field("onderwerpen", 6.0, snippet=True),  # expertise; what an organisation handles
    Field("plek", 3.0),  # functie, afdeling and team names (few fields keep BM25 fast)
]

_VRAAG = re.compile(
    r"^\s*(?:wie|welke collega|iemand die|een collega die)\s+"
    r"(?:weet|kent|gaat|doet|kan|heeft|helpt|behandelt|zit)\b"
    r"(?:\s+(?:er|iets|alles|veel|meer|helpen|verstand))*"
    r"(?:\s+(?:van|over|met|bij|op|voor))?\s+",
    re.IGNORECASE,
)


def kern_van_vraag(tekst: str) -> str:
    """``wie weet iets van standplaatsvergunning`` → ``standplaatsvergunning``."""
    kern = _VRAAG.sub("", tekst).strip().rstrip("?").strip()
    return kern or tekst.strip()


@dataclass(frozen=True)
class _Persoon:
    """What search and presence need of a medewerker (a snapshot row)."""

    id: uuid.UUID
    naam: str
    zoeknaam: str  # what is indexed: first name and surname without particles
    functie: str
    afdeling: str
    team: str
    telefoon: str
    telefoon_e164: str | None
    mobiel_e164: str | None
    email: str
    expertise: str
    locatie: str
    werkdagen: str
    afwezig_van: date | None
    afwezig_tot: date | None
    afwezig_reden: str
    vervanger_id: uuid.UUID | None
    niet_doorverbinden: bool
    actief: bool
    gewijzigd_op: datetime


@dataclass(frozen=True)
class _Eenheid:
    soort: str
    id: uuid.UUID
    naam: str
    telefoon: str
    telefoon_e164: str | None
    omschrijving: str  # shown in the result list
    onderwerpen: str = ""
    eenheid: str = ""


@dataclass(frozen=True)
class Treffer:
    """One result row: who, what they do, their number, presence and (if away) a stand-in."""

    soort: str
    id: uuid.UUID
    naam: str
    omschrijving: str
    telefoon: str
    aanwezigheid: Aanwezigheid | None = None  # None for organisations, teams, afdelingen
    niet_doorverbinden: bool = False
    vervanger: Collega | None = None  # for someone who is not in: the first one who is
    vervangt: str = ""  # set when this row is offered as the stand-in of that colleague
    fragment: str = ""
    score: float = 0.0
    gevonden_op: str = ""  # "telefoon", "naam", … (why this row matched)

    @property
    def sleutel(self) -> str:
        return _sleutel(self.soort, self.id)


def _sleutel(soort: str, id_: uuid.UUID) -> str:
    return f"{soort}:{id_}"


def _e164(ruw: str) -> str | None:
    try:
        return valideer_telefoon(ruw) if ruw else None
    except ValidatieFout:
        return None


def _nationale_cijfers(e164: str) -> str:
    return "0" + e164[3:] if e164.startswith("+31") else re.sub(r"\D", "", e164)


@dataclass
class _Vingerafdruk:
    medewerkers: int = -1
    laatst_gewijzigd: datetime | None = None
    eenheden: tuple[int, ...] = ()


@dataclass
class _Telefoonboek:
    """E.164 → owners, plus sorted digit strings for prefix and extension (suffix) lookup."""

    exact: dict[str, list[str]] = field(default_factory=dict)
    voorvoegsels: list[tuple[str, str]] = field(default_factory=list)  # (national digits, key)
    achtervoegsels: list[tuple[str, str]] = field(default_factory=list)  # (reversed digits, key)

    def voeg_toe(self, e164: str | None, sleutel: str) -> None:
        if not e164:
            return
        self.exact.setdefault(e164, []).append(sleutel)
        cijfers = _nationale_cijfers(e164)
        self.voorvoegsels.append((cijfers, sleutel))
        self.achtervoegsels.append((cijfers[::-1], sleutel))

    def sorteer(self) -> None:
        self.voorvoegsels.sort()
        self.achtervoegsels.sort()

    @staticmethod
    def _begint_met(lijst: list[tuple[str, str]], begin: str, limit: int) -> list[str]:
        start = bisect.bisect_left(lijst, (begin, ""))
        gevonden: list[str] = []
        for cijfers, sleutel in lijst[start:]:
            if not cijfers.startswith(begin) or len(gevonden) >= limit:
                break
            gevonden.append(sleutel)
        return gevonden

    def zoek(self, tekst: str, limit: int) -> list[str]:
        e164 = _e164(tekst)
        if e164 and e164 in self.exact:
            return list(dict.fromkeys(self.exact[e164]))[:limit]
        cijfers = re.sub(r"\D", "", tekst)
        if tekst.strip().startswith("+31"):
            cijfers = "0" + cijfers[2:]
        elif cijfers.startswith("0031"):
            cijfers = "0" + cijfers[4:]
        if len(cijfers) < 3:
            return []
        gevonden = self._begint_met(self.voorvoegsels, cijfers, limit) if cijfers[0] == "0" else []
        if len(gevonden) < limit:  # an extension: the last digits of a number
            gevonden += self._begint_met(self.achtervoegsels, cijfers[::-1], limit)
        return list(dict.fromkeys(gevonden))[:limit]


def lijkt_op_nummer(tekst: str) -> bool:
    """Digits and phone punctuation only, with at least three digits (``4001``, ``023-51``)."""
    stripped = tekst.strip()
    return bool(re.fullmatch(r"[\d\s()+\-./]+", stripped)) and len(re.sub(r"\D", "", stripped)) >= 3


class SmoelenboekZoeker:
    """The searchable snapshot of one database (one per engine URL, shared by threads)."""

    def __init__(self, engine: Engine, controle_interval: float = 2.0) -> None:
        self.engine = engine
        self.controle_interval = controle_interval
        self._lock = threading.RLock()  # guards the snapshot (held briefly)
        self._laadlock = threading.RLock()  # one check or rebuild at a time
        self._geladen = False
        self._verouderd = False
        self._gecontroleerd_op = 0.0
        self._vingerafdruk = _Vingerafdruk()
        self._personen: dict[uuid.UUID, _Persoon] = {}
        self._eenheden: dict[str, _Eenheid] = {}
        self._telefoons = _Telefoonboek()
        self._emails: list[tuple[str, str]] = []
        self._index = self._nieuwe_index()

    @classmethod
    def voor(cls, engine: Engine) -> SmoelenboekZoeker:
        return _PER_DATABASE.voor(engine)

    @staticmethod
    def _nieuwe_index() -> SearchIndex:
        return SearchIndex(fields=VELDEN, synonyms=SYNONIEMEN)

    # ---- loading and refreshing -----------------------------------------------------------

    def vergeet(self) -> None:
        """Rebuild at the next check (after an import in this process)."""
        self._verouderd = True
        self._gecontroleerd_op = 0.0

    @staticmethod
    def _meet(session: Session) -> _Vingerafdruk:
        """Counts, the newest medewerker change, and a checksum of the small tables."""
        aantal = session.execute(select(func.count()).select_from(Medewerker)).scalar_one()
        laatst = session.execute(select(func.max(Medewerker.gewijzigd_op))).scalar_one()
        eenheden: list[int] = []
        for tabel, kolommen in (
            (Afdeling, (Afdeling.naam, Afdeling.telefoon, Afdeling.omschrijving)),
            (Team, (Team.naam, Team.telefoon, Team.email)),
            (ExterneOrganisatie, (ExterneOrganisatie.naam, ExterneOrganisatie.telefoon,
                                  ExterneOrganisatie.onderwerpen)),
        ):  # fmt: skip
            lengte = sum((func.coalesce(func.length(k), 0) for k in kolommen), start=literal(0))
            rij = session.execute(
                select(func.count(), func.coalesce(func.sum(lengte), 0)).select_from(tabel)
            ).one()
            eenheden += [int(rij[0]), int(rij[1])]
        return _Vingerafdruk(int(aantal), laatst, tuple(eenheden))

    def laad(self, session: Session | None = None) -> None:
        """Build the snapshot and index from the database (seconds for 10,000 people).

        Searches keep using the previous snapshot until the new one is swapped in."""
        if session is None:
            with Session(self.engine) as eigen:
                self.laad(eigen)
            return
        with self._laadlock:
            vingerafdruk = self._meet(session)
            afdelingen = {a.id: a for a in session.execute(select(Afdeling)).scalars()}
            teams = {t.id: t for t in session.execute(select(Team)).scalars()}
            personen = {
                m.id: self._persoon(m, afdelingen, teams)
                for m in session.execute(select(Medewerker)).scalars()
            }
            eenheden = [self._eenheid_afdeling(a) for a in afdelingen.values()]
            eenheden += [self._eenheid_team(t, afdelingen) for t in teams.values()]
            eenheden += [
                self._eenheid_organisatie(o)
                for o in session.execute(select(ExterneOrganisatie)).scalars()
            ]
            index = self._nieuwe_index()
            index.upsert_many(
                [self._document(p) for p in personen.values()]
                + [self._eenheid_document(e) for e in eenheden]
            )
            telefoons = self._telefoonboek(personen.values(), eenheden)
            emails = self._email_lijst(personen.values())
            with self._lock:
                self._index, self._telefoons, self._emails = index, telefoons, emails
                self._personen = personen
                self._eenheden = {_sleutel(e.soort, e.id): e for e in eenheden}
                self._vingerafdruk = vingerafdruk
                self._geladen = True
                self._verouderd = False
                self._gecontroleerd_op = time.monotonic()

    def actueel(self, session: Session, *, nu_controleren: bool = False) -> None:
        """Load on first use; afterwards pick up changes. The check costs a few milliseconds,
        so a search does it at most every ``controle_interval`` seconds, and skips it while
        another thread is checking; the screen runs it in the background
        (``nu_controleren=True``) so keystrokes rarely pay for it."""
        if not self._geladen:
            with self._laadlock:
                if not self._geladen:
                    self.laad(session)
            return
        verstreken = time.monotonic() - self._gecontroleerd_op
        if not nu_controleren and verstreken < self.controle_interval:
            return
        if not self._laadlock.acquire(blocking=nu_controleren):
            return  # another thread is checking or rebuilding: use the snapshot we have
        try:
            self._gecontroleerd_op = time.monotonic()
            if self._verouderd:
                self.laad(session)
                return
            nu = self._meet(session)
            oud = self._vingerafdruk
            if nu == oud:
                return
            if nu.eenheden != oud.eenheden or nu.medewerkers < oud.medewerkers:
                self.laad(session)
                return
            self._werk_medewerkers_bij(session, oud.laatst_gewijzigd, nu)
        finally:
            self._laadlock.release()

    def _werk_medewerkers_bij(
        self, session: Session, sinds: datetime | None, nu: _Vingerafdruk
    ) -> None:
        query = select(Medewerker.id, Medewerker.gewijzigd_op)
        if sinds is not None:  # a margin: timestamps come from the clocks of many machines
            query = query.where(col(Medewerker.gewijzigd_op) >= sinds - KLOKMARGE)
        te_laden = [
            id_
            for id_, gewijzigd_op in session.execute(query).all()
            if id_ not in self._personen or self._personen[id_].gewijzigd_op != gewijzigd_op
        ]
        nieuw = sum(1 for id_ in te_laden if id_ not in self._personen)
        if len(self._personen) + nieuw != nu.medewerkers or len(te_laden) > MAX_BIJWERKEN:
            self.laad(session)  # unaccounted for (a deletion?) or many changes: start afresh
            return
        afdelingen = {a.id: a for a in session.execute(select(Afdeling)).scalars()}
        teams = {t.id: t for t in session.execute(select(Team)).scalars()}
        gewijzigd = session.execute(
            select(Medewerker).where(col(Medewerker.id).in_(te_laden))
        ).scalars()
        personen = [self._persoon(m, afdelingen, teams) for m in gewijzigd]
        if personen:
            self._index.upsert_many([self._document(p) for p in personen])
            with self._lock:
                self._personen.update((p.id, p) for p in personen)
                self._telefoons = self._telefoonboek(
                    self._personen.values(), self._eenheden.values()
                )
                self._emails = self._email_lijst(self._personen.values())
        self._vingerafdruk = nu

    @staticmethod
    def _telefoonboek(personen: Iterable[_Persoon], eenheden: Iterable[_Eenheid]) -> _Telefoonboek:
        boek = _Telefoonboek()
        for p in personen:
            if p.actief:
                boek.voeg_toe(p.telefoon_e164, _sleutel(Soort.MEDEWERKER, p.id))
                boek.voeg_toe(p.mobiel_e164, _sleutel(Soort.MEDEWERKER, p.id))
        for e in eenheden:
            boek.voeg_toe(e.telefoon_e164, _sleutel(e.soort, e.id))
        boek.sorteer()
        return boek

    @staticmethod
    def _email_lijst(personen: Iterable[_Persoon]) -> list[tuple[str, str]]:
        return sorted(
            (p.email, _sleutel(Soort.MEDEWERKER, p.id)) for p in personen if p.email and p.actief
        )

    # ---- documents ------------------------------------------------------------------------

    @staticmethod
    def _persoon(
        m: Medewerker, afdelingen: dict[uuid.UUID, Afdeling], teams: dict[uuid.UUID, Team]
    ) -> _Persoon:
        afdeling = afdelingen.get(m.afdeling_id) if m.afdeling_id else None
        team = teams.get(m.team_id) if m.team_id else None
        return _Persoon(
            id=m.id,
            naam=m.naam,
            zoeknaam=" ".join([m.voornaam, *naam_delen(f"{m.voorvoegsel} {m.achternaam}")]),
            functie=m.functie,
            afdeling=afdeling.naam if afdeling else "",
            team=team.naam if team else "",
            telefoon=nummer_weergave(m.telefoon, m.telefoon_e164),
            telefoon_e164=m.telefoon_e164,
            mobiel_e164=m.mobiel_e164,
            email=m.email or "",
            expertise=m.expertise,
            locatie=m.locatie,
            werkdagen=m.werkdagen,
            afwezig_van=m.afwezig_van,
            afwezig_tot=m.afwezig_tot,
            afwezig_reden=m.afwezig_reden,
            vervanger_id=m.vervanger_id,
            niet_doorverbinden=m.niet_doorverbinden,
            actief=m.actief,
            gewijzigd_op=m.gewijzigd_op,
        )

    @staticmethod
    def _document(p: _Persoon) -> tuple[str, dict[str, str], dict[str, object]]:
        waarden = {
            "naam": p.zoeknaam,
            "onderwerpen": p.expertise.replace(";", " ; "),
            "plek": f"{p.functie} ; {p.afdeling} ; {p.team}",
        }
        return (
            _sleutel(Soort.MEDEWERKER, p.id),
            waarden,
            {
                "scopes": [Soort.MEDEWERKER],
                "visible": p.actief,
            },
        )

    @staticmethod
    def _eenheid_afdeling(a: Afdeling) -> _Eenheid:
        return _Eenheid(
            Soort.AFDELING,
            a.id,
            a.naam,
            nummer_weergave(a.telefoon),
            _e164(a.telefoon),
            f"afdeling · {a.omschrijving}" if a.omschrijving else "afdeling",
            onderwerpen=a.omschrijving,
            eenheid=a.naam,
        )

    @staticmethod
    def _eenheid_team(t: Team, afdelingen: dict[uuid.UUID, Afdeling]) -> _Eenheid:
        afdeling = afdelingen.get(t.afdeling_id)
        naam = afdeling.naam if afdeling else ""
        return _Eenheid(
            Soort.TEAM,
            t.id,
            t.naam,
            nummer_weergave(t.telefoon),
            _e164(t.telefoon),
            f"team van {naam}" if naam else "team",
            eenheid=f"{t.naam} {naam}",
        )

    @staticmethod
    def _eenheid_organisatie(o: ExterneOrganisatie) -> _Eenheid:
        onderwerpen = ", ".join(d for d in o.onderwerpen.split(";") if d)
        return _Eenheid(
            Soort.ORGANISATIE,
            o.id,
            o.naam,
            nummer_weergave(o.telefoon, o.telefoon_e164),
            o.telefoon_e164,
            f"externe organisatie · {onderwerpen}" if onderwerpen else "externe organisatie",
            onderwerpen=o.onderwerpen.replace(";", " ; "),
        )

    @staticmethod
    def _eenheid_document(e: _Eenheid) -> tuple[str, dict[str, str], dict[str, object]]:
        waarden = {
            "naam": e.naam,
            "onderwerpen": e.onderwerpen,
            "plek": e.eenheid,
        }
        return _sleutel(e.soort, e.id), waarden, {"scopes": [e.soort], "visible": True}

    # ---- searching ------------------------------------------------------------------------

    def zoek(
        self,
        tekst: str,
        dag: date,
        *,
        limit: int = 20,
        soort: str | None = None,
        session: Session | None = None,
    ) -> list[Treffer]:
        """Results for what was typed, with presence on ``dag`` and stand-ins offered first."""
        if not tekst.strip():
            return []
        if session is None:
            with Session(self.engine) as eigen:
                return self.zoek(tekst, dag, limit=limit, soort=soort, session=eigen)
        self.actueel(session)
        with self._lock:
            if "@" in tekst:
                gevonden = _Telefoonboek._begint_met(self._emails, tekst.strip().lower(), limit)
                sleutels = [(s, 1.0, "", "e-mail") for s in gevonden]
            elif lijkt_op_nummer(tekst):
                sleutels = [(s, 1.0, "", "telefoon") for s in self._telefoons.zoek(tekst, limit)]
            else:
                hits = self._index.search(kern_van_vraag(tekst), scope=soort, limit=limit)
                sleutels = [(h.key, h.score, str(h.snippet), "tekst") for h in hits]
            treffers = [self._treffer(s, score, fragment, reden, dag) for s, score, fragment, reden
                        in sleutels]  # fmt: skip
            gevonden = [
                t for t in treffers if t is not None and (soort is None or t.soort == soort)
            ]
            return self._vervangers_eerst(gevonden, dag)[:limit]

    def _treffer(
        self, sleutel: str, score: float, fragment: str, reden: str, dag: date
    ) -> Treffer | None:
        soort, _, ruw_id = sleutel.partition(":")
        if soort == Soort.MEDEWERKER:
            persoon = self._personen.get(uuid.UUID(ruw_id))
            if persoon is None or not persoon.actief:
                return None
            return self._persoon_treffer(persoon, dag, score, fragment, reden)
        eenheid = self._eenheden.get(sleutel)
        if eenheid is None:
            return None
        return Treffer(
            eenheid.soort,
            eenheid.id,
            eenheid.naam,
            eenheid.omschrijving,
            eenheid.telefoon,
            fragment=fragment,
            score=score,
            gevonden_op=reden,
        )

    def _persoon_treffer(
        self, p: _Persoon, dag: date, score: float = 0.0, fragment: str = "", reden: str = ""
    ) -> Treffer:
        stand = aanwezigheid(p, dag)
        vervanger = None
        if not stand.aanwezig:
            keuze = kies_vervanger(p, self._personen.get, dag)
            if keuze.vervanger is not None:
                v = self._personen[keuze.vervanger.id]
                vervanger = Collega(
                    v.id, v.naam, v.functie, v.telefoon, aanwezigheid(v, dag), v.niet_doorverbinden
                )
        eenheid = " / ".join(x for x in (p.afdeling, p.team) if x)
        return Treffer(
            Soort.MEDEWERKER,
            p.id,
            p.naam,
            " · ".join(x for x in (p.functie, eenheid) if x),
            p.telefoon,
            aanwezigheid=stand,
            niet_doorverbinden=p.niet_doorverbinden,
            vervanger=vervanger,
            fragment=fragment,
            score=score,
            gevonden_op=reden,
        )

    def _vervangers_eerst(self, treffers: Iterable[Treffer], dag: date) -> list[Treffer]:
        """Put the present stand-in of an absent colleague right above them."""
        uitkomst: list[Treffer] = []
        geplaatst: set[str] = set()
        for treffer in treffers:
            if treffer.sleutel in geplaatst:
                continue
            if treffer.vervanger is not None:
                sleutel = _sleutel(Soort.MEDEWERKER, treffer.vervanger.id)
                if sleutel not in geplaatst:
                    persoon = self._personen[treffer.vervanger.id]
                    uitkomst.append(
                        replace(
                            self._persoon_treffer(persoon, dag, treffer.score, "", "vervanger"),
                            vervangt=treffer.naam,
                        )
                    )
                    geplaatst.add(sleutel)
            uitkomst.append(treffer)
            geplaatst.add(treffer.sleutel)
        return uitkomst


_PER_DATABASE: PerDatabase[SmoelenboekZoeker] = PerDatabase(SmoelenboekZoeker)
