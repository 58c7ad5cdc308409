"""Upserting medewerkers from imported rows, fast enough for 10,000 at once.

Rows are validated into column values, matched to existing medewerkers by personeelsnummer,
else e-mail, and written with bulk Core statements (one executemany per kind of change), not
one ORM object at a time. Vervangers are linked after all files of a run, so a vervanger may
appear later in the file, or in another file. A full import marks the medewerkers it did not
see as ``actief=False``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlmodel import Session

from kiss.models import Afdeling, Medewerker, Team, utcnow
from kiss.rollen import ALLE_ROLLEN
from kiss.services.smoelenboek.bestanden import (
    Rijen,
    RijFout,
    SmoelenboekVerslag,
    Voortgang,
    datum_veld,
    email_veld,
    ja_nee_veld,
    lijst_veld,
    tel,
    telefoon_veld,
)
from kiss.validation import ValidatieFout

WERKDAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")
VOORTGANG_STAP = 250
_BLOK = 1000  # rows per executemany
TABEL: Table = Medewerker.__table__  # type: ignore[attr-defined]
VELDEN = (
    "voornaam", "voorvoegsel", "achternaam", "functie", "afdeling_id", "team_id", "telefoon",
    "telefoon_e164", "mobiel", "mobiel_e164", "email", "expertise", "locatie", "werkdagen",
    "afwezig_van", "afwezig_tot", "afwezig_reden", "niet_doorverbinden", "rollen", "actief",
    "toestel", "mailbox",
)  # fmt: skip
_TOESTEL = re.compile(r"[0-9A-Za-z.*#_+@-]{1,40}")


def toestel_veld(waarde: str) -> str | None:
    """The extension the phone system reports (``answeringNumber``), e.g. ``2301``."""
    waarde = waarde.strip()
    if not waarde:
        return None
    if not _TOESTEL.fullmatch(waarde):
        raise ValidatieFout(f"toestel '{waarde}': alleen cijfers, letters en . * # _ + @ -")
    return waarde


def _telefoon(rij: dict[str, str], veld: str, huidig: dict[str, Any] | None) -> str | None:
    """Validate a number; an unchanged number of a known medewerker keeps its E.164."""
    waarde = rij.get(veld, "")
    if huidig is not None and waarde == huidig[veld] and huidig[f"{veld}_e164"]:
        return str(huidig[f"{veld}_e164"])
    return telefoon_veld(waarde, veld)


def medewerker_velden(
    rij: dict[str, str],
    afdelingen: dict[str, uuid.UUID],
    teams: dict[str, uuid.UUID],
    huidig: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Column values for one row, or :class:`ValidatieFout` with a Dutch message."""
    if not rij.get("achternaam"):
        raise ValidatieFout("achternaam is verplicht")
    afdeling = rij.get("afdeling", "")
    if not afdeling:
        raise ValidatieFout("afdeling is verplicht")
    if afdeling not in afdelingen:
        raise ValidatieFout(f"onbekende afdeling '{afdeling}'")
    team = rij.get("team", "")
    if team and team not in teams:
        raise ValidatieFout(f"onbekend team '{team}'")
    werkdagen = [d.strip().lower() for d in rij.get("werkdagen", "").split(";") if d.strip()]
    if any(d not in WERKDAGEN for d in werkdagen):
        raise ValidatieFout(f"werkdagen '{rij['werkdagen']}': gebruik bijvoorbeeld ma;di;wo;do;vr")
    rollen = [r.strip().lower() for r in rij.get("rollen", "").split(";") if r.strip()]
    if any(r not in ALLE_ROLLEN for r in rollen):
        raise ValidatieFout(f"rollen '{rij['rollen']}': kies uit {', '.join(ALLE_ROLLEN)}")
    van = datum_veld(rij.get("afwezig_van", ""), "afwezig_van")
    tot = datum_veld(rij.get("afwezig_tot", ""), "afwezig_tot")
    if van and tot and tot < van:
        raise ValidatieFout("afwezig_tot ligt vóór afwezig_van")
    return {
        "voornaam": rij.get("voornaam", ""),
        "voorvoegsel": rij.get("voorvoegsel", ""),
        "achternaam": rij["achternaam"],
        "functie": rij.get("functie", ""),
        "afdeling_id": afdelingen[afdeling],
        "team_id": teams[team] if team else None,
        "telefoon": rij.get("telefoon", ""),
        "telefoon_e164": _telefoon(rij, "telefoon", huidig),
        "mobiel": rij.get("mobiel", ""),
        "mobiel_e164": _telefoon(rij, "mobiel", huidig),
        "email": email_veld(rij.get("email", "")),
        "expertise": lijst_veld(rij.get("expertise", "")),
        "locatie": rij.get("locatie", ""),
        "werkdagen": ";".join(dict.fromkeys(werkdagen)) or "ma;di;wo;do;vr",
        "afwezig_van": van,
        "afwezig_tot": tot,
        "afwezig_reden": rij.get("afwezig_reden", ""),
        "niet_doorverbinden": ja_nee_veld(rij.get("niet_doorverbinden", ""), "niet_doorverbinden"),
        "rollen": ";".join(rollen) or "backoffice",
        "actief": True,
        "toestel": toestel_veld(rij.get("toestel", "")),
        "mailbox": email_veld(rij.get("mailbox", ""), "mailbox") or "",
    }


def _naam(r: dict[str, Any]) -> str:
    return " ".join(p for p in (r["voornaam"], r["voorvoegsel"], r["achternaam"]) if p)


class MedewerkerImport:
    """State shared by every medewerkers file of one import run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.nu = utcnow()
        self.afdelingen = {a.naam: a.id for a in session.execute(select(Afdeling)).scalars()}
        self.teams = {t.naam: t.id for t in session.execute(select(Team)).scalars()}
        self.rijen: dict[uuid.UUID, dict[str, Any]] = {}  # every medewerker, as stored now
        self._lees_bestaand()
        self.bron: dict[uuid.UUID, tuple[str, int]] = {}  # where each was read this run
        self.gezien_nummers: set[str] = set()
        self.gezien_emails: set[str] = set()
        self.vervangers: list[tuple[str, int, uuid.UUID, str]] = []
        self.ongewijzigd: set[uuid.UUID] = set()
        self.gelezen = False  # at least one medewerkers file was read completely
        self.onvolledig = False  # a medewerkers file could not be read
        self._nieuw: list[dict[str, Any]] = []
        self._gewijzigd: dict[uuid.UUID, dict[str, Any]] = {}

    def _lees_bestaand(self) -> None:
        self.rijen = {r["id"]: dict(r) for r in self.session.execute(select(TABEL)).mappings()}
        self.op_nummer = {r["personeelsnummer"]: i for i, r in self.rijen.items()
                          if r["personeelsnummer"]}  # fmt: skip
        self.op_email = {r["email"]: i for i, r in self.rijen.items() if r["email"]}
        self.op_toestel = {r["toestel"]: i for i, r in self.rijen.items() if r["toestel"]}

    def _zoek(self, nummer: str | None, email: str | None) -> uuid.UUID | None:
        op_nummer = self.op_nummer.get(nummer) if nummer else None
        op_email = self.op_email.get(email) if email else None
        gevonden = op_nummer or op_email
        if op_nummer and op_email and op_nummer != op_email:
            anders = self.rijen[op_email]["personeelsnummer"] or "?"
            raise ValidatieFout(f"e-mail {email} hoort al bij personeelsnummer {anders}")
        if gevonden and nummer and self.rijen[gevonden]["personeelsnummer"] not in (None, nummer):
            anders = self.rijen[gevonden]["personeelsnummer"]
            raise ValidatieFout(f"e-mail {email} hoort al bij personeelsnummer {anders}")
        return gevonden

    def rij(
        self, bestand: str, regel: int, rij: dict[str, str], verslag: SmoelenboekVerslag
    ) -> None:
        nummer = rij.get("personeelsnummer") or None
        ruwe_email = rij.get("email", "").strip().lower()
        if nummer:
            self.gezien_nummers.add(nummer)
        if ruwe_email:
            self.gezien_emails.add(ruwe_email)
        try:
            if not nummer and not ruwe_email:
                raise ValidatieFout(
                    "personeelsnummer of e-mail ontbreekt (nodig om bij een volgende import "
                    "dezelfde medewerker te herkennen)"
                )
            bekend = self._zoek(nummer, ruwe_email or None)
            huidig = self.rijen.get(bekend) if bekend else None
            velden = medewerker_velden(rij, self.afdelingen, self.teams, huidig)
            if velden["email"] != (ruwe_email or None):
                bekend = self._zoek(nummer, velden["email"])
                huidig = self.rijen.get(bekend) if bekend else None
            ander = self.op_toestel.get(velden["toestel"]) if velden["toestel"] else None
            if ander is not None and ander != bekend:
                raise ValidatieFout(
                    f"toestel {velden['toestel']} hoort al bij {_naam(self.rijen[ander])}"
                )
            if bekend is not None and bekend in self.bron:
                eerder_bestand, eerder = self.bron[bekend]
                ook = f"regel {eerder}" if eerder_bestand == bestand else eerder_bestand
                raise ValidatieFout(f"deze medewerker staat er twee keer in (ook {ook})")
        except ValidatieFout as exc:
            verslag.fouten.append(RijFout(bestand, regel, str(exc)))
            return
        oud_toestel = huidig["toestel"] if huidig is not None else None
        if huidig is None:
            id_ = uuid.uuid4()
            nieuw = {"gebruikersnaam": None, "vervanger_id": None} | velden
            nieuw |= {"id": id_, "personeelsnummer": nummer, "gewijzigd_op": self.nu}
            self.rijen[id_] = nieuw
            self._nieuw.append(nieuw)
            tel(verslag, True, False)
        else:
            id_ = huidig["id"]
            wijziging = {k: v for k, v in velden.items() if huidig[k] != v}
            if nummer and not huidig["personeelsnummer"]:
                wijziging["personeelsnummer"] = nummer
            if wijziging:
                huidig.update(wijziging, gewijzigd_op=self.nu)
                self._gewijzigd[id_] = huidig
            else:
                self.ongewijzigd.add(id_)
            tel(verslag, False, bool(wijziging))
        self.bron[id_] = (bestand, regel)
        if nummer:
            self.op_nummer[nummer] = id_
        if velden["email"]:
            self.op_email[velden["email"]] = id_
        if oud_toestel and oud_toestel != velden["toestel"]:
            self.op_toestel.pop(oud_toestel, None)
        if velden["toestel"]:
            self.op_toestel[velden["toestel"]] = id_
        self.vervangers.append((bestand, regel, id_, rij.get("vervanger", "")))

    def schrijf(self) -> None:
        """Write this file's new and changed medewerkers (inside the file's savepoint)."""
        self.session.flush()
        # changes first: an extension or e-mail that moves to a new colleague is free by then
        self._werk_bij(list(self._gewijzigd.values()), ("personeelsnummer", *VELDEN))
        for start in range(0, len(self._nieuw), _BLOK):
            self.session.connection().execute(insert(TABEL), self._nieuw[start : start + _BLOK])
        self._nieuw.clear()
        self._gewijzigd.clear()

    def _werk_bij(self, rijen: list[dict[str, Any]], kolommen: tuple[str, ...]) -> None:
        if not rijen:
            return
        statement = (
            update(TABEL)
            .where(TABEL.c.id == bindparam("b_id"))
            .values({k: bindparam(f"b_{k}") for k in (*kolommen, "gewijzigd_op")})
        )
        waarden = [{f"b_{k}": r[k] for k in ("id", *kolommen, "gewijzigd_op")} for r in rijen]
        for start in range(0, len(waarden), _BLOK):
            self.session.connection().execute(statement, waarden[start : start + _BLOK])

    def na_terugdraaien(self, bestand: str) -> None:
        """A file's savepoint was rolled back: forget its rows, keep the earlier files'."""
        self.onvolledig = True
        self._nieuw.clear()
        self._gewijzigd.clear()
        self._lees_bestaand()
        self.bron = {k: v for k, v in self.bron.items() if v[0] != bestand}
        self.vervangers = [v for v in self.vervangers if v[0] != bestand]

    def koppel_vervangers(self, verslag: SmoelenboekVerslag) -> None:
        gewijzigd: list[dict[str, Any]] = []
        for bestand, regel, id_, sleutel in self.vervangers:
            vervanger = (
                self.op_nummer.get(sleutel) or self.op_email.get(sleutel.lower())
                if sleutel
                else None
            )
            if sleutel and vervanger is None:
                verslag.fouten.append(RijFout(bestand, regel, f"onbekende vervanger '{sleutel}'"))
            elif vervanger == id_:
                verslag.fouten.append(RijFout(bestand, regel, "vervanger is de medewerker zelf"))
                vervanger = None
            rij = self.rijen[id_]
            if rij["vervanger_id"] != vervanger:
                rij["vervanger_id"] = vervanger
                rij["gewijzigd_op"] = self.nu
                gewijzigd.append(rij)
                if id_ in self.ongewijzigd:  # only the vervanger changed
                    self.ongewijzigd.discard(id_)
                    verslag.ongewijzigd -= 1
                    verslag.gewijzigd += 1
        self._werk_bij(gewijzigd, ("vervanger_id",))
        self.vervangers.clear()

    def markeer_vertrokken(self, verslag: SmoelenboekVerslag) -> None:
        """Full import: active medewerkers with an import key who are no longer listed."""
        weg = [
            r
            for i, r in self.rijen.items()
            if r["actief"]
            and (r["personeelsnummer"] or r["email"])
            and i not in self.bron
            and r["personeelsnummer"] not in self.gezien_nummers
            and not (r["email"] and r["email"] in self.gezien_emails)
        ]  # listed with an error in the row: not removed
        for r in weg:
            r["actief"] = False
            r["gewijzigd_op"] = self.nu
            verslag.verwijderd_namen.append(_naam(r))
        verslag.verwijderd += len(weg)
        self._werk_bij(weg, ("actief",))

    def vergeet_orm_kopieen(self) -> None:
        """Medewerker objects this session loaded earlier are stale after the bulk writes."""
        for obj in list(self.session.identity_map.values()):
            if isinstance(obj, Medewerker):
                self.session.expire(obj)


def importeer_medewerkers(
    state: MedewerkerImport,
    bestand: str,
    rijen: Rijen,
    verslag: SmoelenboekVerslag,
    voortgang: Voortgang | None = None,
) -> None:
    totaal = len(rijen)
    for positie, (regel, rij) in enumerate(rijen, start=1):
        state.rij(bestand, regel, rij, verslag)
        if voortgang and positie % VOORTGANG_STAP == 0:
            voortgang(bestand, positie, totaal)
    state.schrijf()
    if voortgang:
        voortgang(bestand, totaal, totaal)
