"""Import of the smoelenboek from CSV files (columns documented in ``data/README.md``).

A folder may hold ``afdelingen.csv``, ``teams.csv``, ``medewerkers.csv`` and
``externe_organisaties.csv``; they are read in that order. Rows are upserted by a stable key
(afdeling/team/organisatie: naam; medewerker: personeelsnummer, else e-mail). A row with an
invalid phone number or an unknown afdeling is reported and skipped; valid rows still load.
A file that cannot be read as CSV at all imports nothing.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from kiss.models import Afdeling, ExterneOrganisatie, Medewerker, Team, utcnow
from kiss.rollen import ALLE_ROLLEN
from kiss.validation import ValidatieFout, valideer_email, valideer_telefoon

WERKDAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")


@dataclass
class RijFout:
    bestand: str
    regel: int
    melding: str

    def __str__(self) -> str:
        return f"{self.bestand}, regel {self.regel}: {self.melding}"


@dataclass
class SmoelenboekVerslag:
    toegevoegd: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    verwijderd: int = 0
    fouten: list[RijFout] = field(default_factory=list)

    @property
    def samenvatting(self) -> str:
        return (
            f"{self.toegevoegd} toegevoegd, {self.gewijzigd} gewijzigd, "
            f"{self.ongewijzigd} ongewijzigd, {self.verwijderd} verwijderd, "
            f"{len(self.fouten)} rij(en) met fouten"
        )


class BestandFout(ValueError):
    """A file that is not readable CSV with the expected columns."""


def lees_csv(pad: Path, verplicht: set[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        tekst = pad.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BestandFout(f"{pad.name}: niet te lezen als UTF-8-tekst ({exc})") from exc
    try:
        dialect = csv.Sniffer().sniff(tekst[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(tekst), dialect=dialect)
    kolommen = set(reader.fieldnames or [])
    ontbrekend = verplicht - kolommen
    if ontbrekend:
        raise BestandFout(f"{pad.name}: kolom(men) ontbreken: {', '.join(sorted(ontbrekend))}")
    rijen: list[tuple[int, dict[str, str]]] = []
    try:
        for rij in reader:
            if None in rij:
                raise BestandFout(f"{pad.name}, regel {reader.line_num}: meer velden dan kolommen")
            rijen.append((reader.line_num, {k: (v or "").strip() for k, v in rij.items()}))
    except csv.Error as exc:
        raise BestandFout(f"{pad.name}, regel {reader.line_num}: {exc}") from exc
    return rijen


def _telefoon(waarde: str, veld: str) -> str | None:
    if not waarde:
        return None
    try:
        return valideer_telefoon(waarde)
    except ValidatieFout as exc:
        raise ValidatieFout(f"{veld} '{waarde}': {exc}") from exc


def _datum(waarde: str, veld: str) -> date | None:
    if not waarde:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError as exc:
        raise ValidatieFout(f"{veld} '{waarde}' is geen datum (jjjj-mm-dd)") from exc


def _pas_toe(obj: object, velden: dict[str, object]) -> bool:
    gewijzigd = False
    for naam, waarde in velden.items():
        if getattr(obj, naam) != waarde:
            setattr(obj, naam, waarde)
            gewijzigd = True
    return gewijzigd


def importeer_afdelingen(session: Session, pad: Path, verslag: SmoelenboekVerslag) -> None:
    rijen = lees_csv(pad, {"naam"})
    bestaand = {a.naam: a for a in session.exec(select(Afdeling))}
    for _regel, rij in rijen:
        afdeling = bestaand.get(rij["naam"])
        velden = {
            k: rij.get(k, "") for k in ("telefoon", "email", "openingstijden", "omschrijving")
        }
        if afdeling is None:
            afdeling = Afdeling(naam=rij["naam"], **velden)
            session.add(afdeling)
            bestaand[afdeling.naam] = afdeling
            verslag.toegevoegd += 1
        elif _pas_toe(afdeling, velden):
            verslag.gewijzigd += 1
        else:
            verslag.ongewijzigd += 1
    session.flush()
    for regel, rij in rijen:
        ouder = rij.get("ouder", "")
        if ouder and ouder not in bestaand:
            verslag.fouten.append(RijFout(pad.name, regel, f"onbekende ouder-afdeling '{ouder}'"))
            continue
        bestaand[rij["naam"]].ouder_id = bestaand[ouder].id if ouder else None
    session.flush()


def importeer_teams(session: Session, pad: Path, verslag: SmoelenboekVerslag) -> None:
    afdelingen = {a.naam: a.id for a in session.exec(select(Afdeling))}
    bestaand = {t.naam: t for t in session.exec(select(Team))}
    for regel, rij in lees_csv(pad, {"naam", "afdeling"}):
        if rij["afdeling"] not in afdelingen:
            verslag.fouten.append(
                RijFout(pad.name, regel, f"onbekende afdeling '{rij['afdeling']}'")
            )
            continue
        velden = {
            "afdeling_id": afdelingen[rij["afdeling"]],
            "telefoon": rij.get("telefoon", ""),
            "email": rij.get("email", ""),
        }
        team = bestaand.get(rij["naam"])
        if team is None:
            team = Team(naam=rij["naam"], **velden)
            session.add(team)
            bestaand[team.naam] = team
            verslag.toegevoegd += 1
        elif _pas_toe(team, velden):
            verslag.gewijzigd += 1
        else:
            verslag.ongewijzigd += 1
    session.flush()


MEDEWERKER_KOLOMMEN = {"voornaam", "achternaam", "afdeling"}


def _medewerker_velden(
    rij: dict[str, str], afdelingen: dict[str, uuid.UUID], teams: dict[str, Team]
) -> dict[str, object]:
    afdeling = rij.get("afdeling", "")
    if afdeling not in afdelingen:
        raise ValidatieFout(f"onbekende afdeling '{afdeling}'")
    team_naam = rij.get("team", "")
    if team_naam and team_naam not in teams:
        raise ValidatieFout(f"onbekend team '{team_naam}'")
    if not rij.get("achternaam"):
        raise ValidatieFout("achternaam is verplicht")
    email = valideer_email(rij["email"]) if rij.get("email") else None
    werkdagen = [d.strip().lower() for d in rij.get("werkdagen", "").split(";") if d.strip()]
    if any(d not in WERKDAGEN for d in werkdagen):
        raise ValidatieFout(f"werkdagen '{rij['werkdagen']}': gebruik ma;di;wo;do;vr")
    rollen = [r.strip().lower() for r in rij.get("rollen", "").split(";") if r.strip()]
    if any(r not in ALLE_ROLLEN for r in rollen):
        raise ValidatieFout(f"rollen '{rij['rollen']}': kies uit {', '.join(ALLE_ROLLEN)}")
    van = _datum(rij.get("afwezig_van", ""), "afwezig_van")
    tot = _datum(rij.get("afwezig_tot", ""), "afwezig_tot")
    if van and tot and tot < van:
        raise ValidatieFout("afwezig_tot ligt vóór afwezig_van")
    return {
        "voornaam": rij.get("voornaam", ""),
        "voorvoegsel": rij.get("voorvoegsel", ""),
        "achternaam": rij["achternaam"],
        "functie": rij.get("functie", ""),
        "afdeling_id": afdelingen[afdeling],
        "team_id": teams[team_naam].id if team_naam else None,
        "telefoon": rij.get("telefoon", ""),
        "telefoon_e164": _telefoon(rij.get("telefoon", ""), "telefoon"),
        "mobiel": rij.get("mobiel", ""),
        "mobiel_e164": _telefoon(rij.get("mobiel", ""), "mobiel"),
        "email": email,
        "expertise": rij.get("expertise", ""),
        "locatie": rij.get("locatie", ""),
        "werkdagen": ";".join(werkdagen) or "ma;di;wo;do;vr",
        "afwezig_van": van,
        "afwezig_tot": tot,
        "afwezig_reden": rij.get("afwezig_reden", ""),
        "niet_doorverbinden": rij.get("niet_doorverbinden", "").lower() in {"ja", "j", "1", "true"},
        "rollen": ";".join(rollen) or "backoffice",
    }


def importeer_medewerkers(
    session: Session,
    pad: Path,
    verslag: SmoelenboekVerslag,
    voortgang: Callable[[int, int], None] | None = None,
) -> None:
    rijen = lees_csv(pad, MEDEWERKER_KOLOMMEN)
    afdelingen = {a.naam: a.id for a in session.exec(select(Afdeling))}
    teams = {t.naam: t for t in session.exec(select(Team))}
    alle = list(session.exec(select(Medewerker)))
    op_nummer = {m.personeelsnummer: m for m in alle if m.personeelsnummer}
    op_email = {m.email: m for m in alle if m.email}
    vervangers: list[tuple[int, Medewerker, str]] = []
    nu = utcnow()
    for positie, (regel, rij) in enumerate(rijen, start=1):
        if voortgang and positie % 500 == 0:
            voortgang(positie, len(rijen))
        try:
            velden = _medewerker_velden(rij, afdelingen, teams)
        except ValidatieFout as exc:
            verslag.fouten.append(RijFout(pad.name, regel, str(exc)))
            continue
        nummer = rij.get("personeelsnummer") or None
        medewerker = (op_nummer.get(nummer) if nummer else None) or op_email.get(
            str(velden["email"])
        )
        if medewerker is None:
            medewerker = Medewerker(personeelsnummer=nummer, gewijzigd_op=nu, **velden)  # type: ignore[arg-type]
            session.add(medewerker)
            verslag.toegevoegd += 1
        elif _pas_toe(medewerker, velden):
            medewerker.gewijzigd_op = nu
            verslag.gewijzigd += 1
        else:
            verslag.ongewijzigd += 1
        if nummer:
            op_nummer[nummer] = medewerker
        if medewerker.email:
            op_email[medewerker.email] = medewerker
        vervangers.append((regel, medewerker, rij.get("vervanger", "")))
    session.flush()
    for regel, medewerker, sleutel in vervangers:
        vervanger = op_nummer.get(sleutel) or op_email.get(sleutel.lower()) if sleutel else None
        if sleutel and vervanger is None:
            verslag.fouten.append(RijFout(pad.name, regel, f"onbekende vervanger '{sleutel}'"))
        medewerker.vervanger_id = vervanger.id if vervanger else None
    if voortgang:
        voortgang(len(rijen), len(rijen))
    session.flush()


def importeer_organisaties(session: Session, pad: Path, verslag: SmoelenboekVerslag) -> None:
    bestaand = {o.naam: o for o in session.exec(select(ExterneOrganisatie))}
    for regel, rij in lees_csv(pad, {"naam"}):
        try:
            e164 = _telefoon(rij.get("telefoon", ""), "telefoon")
        except ValidatieFout as exc:
            verslag.fouten.append(RijFout(pad.name, regel, str(exc)))
            continue
        velden = {
            "telefoon": rij.get("telefoon", ""),
            "telefoon_e164": e164,
            "website": rij.get("website", ""),
            "openingstijden": rij.get("openingstijden", ""),
            "onderwerpen": rij.get("onderwerpen", ""),
        }
        organisatie = bestaand.get(rij["naam"])
        if organisatie is None:
            session.add(ExterneOrganisatie(naam=rij["naam"], **velden))  # type: ignore[arg-type]
            verslag.toegevoegd += 1
        elif _pas_toe(organisatie, velden):
            verslag.gewijzigd += 1
        else:
            verslag.ongewijzigd += 1
    session.flush()


def importeer_map(session: Session, map_: Path) -> SmoelenboekVerslag:
    """Import every known file in a folder, in dependency order, in the caller's transaction."""
    verslag = SmoelenboekVerslag()
    stappen: list[tuple[str, Callable[[Session, Path, SmoelenboekVerslag], None]]] = [
        ("afdelingen.csv", importeer_afdelingen),
        ("teams.csv", importeer_teams),
        ("medewerkers.csv", importeer_medewerkers),
        ("externe_organisaties.csv", importeer_organisaties),
    ]
    for naam, stap in stappen:
        if (map_ / naam).is_file():
            stap(session, map_ / naam, verslag)
    return verslag
