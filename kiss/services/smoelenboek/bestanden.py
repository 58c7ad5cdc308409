"""Reading smoelenboek files and reporting on an import: rows, errors, the summary.

CSV files are UTF-8 (a BOM is fine) with a header row; the separator (``,`` ``;`` or tab) is
taken from the header. A file that is not well-formed — bad encoding, a row with more or fewer
fields than the header, an unclosed quote, a broken vCard — raises :class:`BestandFout` with
the file name and line, before anything of it is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from kiss.services.smoelenboek.vcard import VCardFout, lees_vcard
from kiss.validation import ValidatieFout, valideer_email, valideer_telefoon

#: (bestand, rijen gedaan, rijen totaal) — called every few hundred rows and at the end.
Voortgang = Callable[[str, int, int], None]
Rijen = list[tuple[int, dict[str, str]]]
JA = frozenset({"ja", "j", "1", "true", "waar", "yes", "x"})
NEE = frozenset({"", "nee", "n", "0", "false", "onwaar", "no"})


@dataclass
class RijFout:
    bestand: str
    regel: int
    melding: str
    heel_bestand: bool = False  # the whole file was skipped

    def __str__(self) -> str:
        waar = f"{self.bestand}, regel {self.regel}" if self.regel else self.bestand
        if self.heel_bestand:
            return f"{waar}: {self.melding} — niets uit dit bestand geïmporteerd"
        return f"{waar}: {self.melding}"


@dataclass
class SmoelenboekVerslag:
    toegevoegd: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    verwijderd: int = 0
    fouten: list[RijFout] = field(default_factory=list)
    bestanden: list[str] = field(default_factory=list)  # imported (fully read) files
    verwijderd_namen: list[str] = field(default_factory=list)
    meldingen: list[str] = field(default_factory=list)

    @property
    def bestandsfouten(self) -> list[RijFout]:
        return [f for f in self.fouten if f.heel_bestand]

    @property
    def rijfouten(self) -> list[RijFout]:
        return [f for f in self.fouten if not f.heel_bestand]

    @property
    def samenvatting(self) -> str:
        tekst = (
            f"{self.toegevoegd} toegevoegd, {self.gewijzigd} gewijzigd, "
            f"{self.ongewijzigd} ongewijzigd, {self.verwijderd} verwijderd, "
            f"{len(self.rijfouten)} rij(en) met fouten"
        )
        if self.bestandsfouten:
            tekst += f", {len(self.bestandsfouten)} bestand(en) niet geïmporteerd"
        return tekst

    def neem_over(self, deel: SmoelenboekVerslag) -> None:
        self.toegevoegd += deel.toegevoegd
        self.gewijzigd += deel.gewijzigd
        self.ongewijzigd += deel.ongewijzigd
        self.verwijderd += deel.verwijderd
        self.fouten += deel.fouten
        self.meldingen += deel.meldingen


class BestandFout(ValueError):
    """A file that cannot be read at all; nothing of it is imported."""

    def __init__(self, bestand: str, regel: int, melding: str) -> None:
        super().__init__(str(RijFout(bestand, regel, melding)))
        self.fout = RijFout(bestand, regel, melding, heel_bestand=True)


# ---------------------------------------------------------------------------- reading files


def _decodeer(pad: Path) -> str:
    try:
        data = pad.read_bytes()
    except OSError as exc:
        raise BestandFout(pad.name, 0, f"niet te openen ({exc.strerror})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        regel = data[: exc.start].count(b"\n") + 1
        raise BestandFout(
            pad.name, regel, "geen UTF-8-tekst; sla het bestand op als 'CSV UTF-8'"
        ) from exc


def _scheidingsteken(kopregel: str) -> str:
    return max((",", ";", "\t"), key=kopregel.count)


def lees_csv(pad: Path, verplicht: set[str]) -> Rijen:
    """(line number, row) per data row; raises :class:`BestandFout` for a file that is not
    well-formed CSV with the required columns (so the caller imports nothing of it)."""
    tekst = _decodeer(pad)
    kopregel = tekst.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=_scheidingsteken(kopregel),
                        strict=True)  # fmt: skip
    try:
        kop = [k.strip().lower() for k in next(reader)]
    except StopIteration as exc:
        raise BestandFout(pad.name, 1, "het bestand is leeg") from exc
    except csv.Error as exc:
        raise BestandFout(pad.name, 1, f"kopregel onleesbaar ({exc})") from exc
    ontbrekend = verplicht - set(kop)
    if ontbrekend:
        raise BestandFout(pad.name, 1, f"kolom(men) ontbreken: {', '.join(sorted(ontbrekend))}")
    rijen: list[tuple[int, dict[str, str]]] = []
    while True:
        begin = reader.line_num + 1
        try:
            velden = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise BestandFout(pad.name, begin, f"geen geldige CSV ({exc})") from exc
        if not velden or all(not v.strip() for v in velden):
            continue
        if len(velden) != len(kop):
            meer = "meer" if len(velden) > len(kop) else "minder"
            raise BestandFout(
                pad.name,
                begin,
                f"{len(velden)} velden, {meer} dan de {len(kop)} kolommen "
                "(een scheidingsteken of aanhalingsteken te veel of te weinig?)",
            )
        rijen.append((begin, {k: v.strip() for k, v in zip(kop, velden, strict=True)}))
    return rijen


SOORTEN = ("afdelingen", "teams", "medewerkers", "organisaties")
_BESTANDSNAMEN = {
    "afdelingen.csv": "afdelingen",
    "teams.csv": "teams",
    "medewerkers.csv": "medewerkers",
    "externe_organisaties.csv": "organisaties",
}


def soort_van(pad: Path) -> str | None:
    """Which kind of rows a file holds: by its name, else (CSV) by its columns."""
    naam = pad.name.lower()
    if naam in _BESTANDSNAMEN:
        return _BESTANDSNAMEN[naam]
    if naam.endswith((".vcf", ".vcard")):
        return "medewerkers"
    if not naam.endswith(".csv"):
        return None
    try:
        with pad.open(encoding="utf-8-sig", errors="replace") as bestand:
            kopregel = bestand.readline()
    except OSError:
        return None
    kop = {k.strip().lower() for k in kopregel.split(_scheidingsteken(kopregel))}
    if "achternaam" in kop:
        return "medewerkers"
    if "onderwerpen" in kop or "website" in kop:
        return "organisaties"
    if {"naam", "afdeling"} <= kop:
        return "teams"
    if "naam" in kop:
        return "afdelingen"
    return None


def bestanden_in(pad: Path) -> list[tuple[str, Path]]:
    """The importable files of a folder (or the one file), in dependency order."""
    kandidaten = sorted(p for p in pad.iterdir() if p.is_file()) if pad.is_dir() else [pad]
    gevonden = [(soort, p) for p in kandidaten if (soort := soort_van(p)) is not None]
    return sorted(gevonden, key=lambda sp: (SOORTEN.index(sp[0]), sp[1].name))


VERPLICHT = {
    "afdelingen": {"naam"},
    "teams": {"naam", "afdeling"},
    "medewerkers": {"voornaam", "achternaam", "afdeling"},
    "organisaties": {"naam"},
}


def lees(soort: str, pad: Path) -> Rijen:
    """All rows of one file (CSV, or vCard for medewerkers), or :class:`BestandFout`."""
    if soort == "medewerkers" and pad.suffix.lower() in (".vcf", ".vcard"):
        try:
            return lees_vcard(pad)
        except VCardFout as exc:
            raise BestandFout(pad.name, exc.regel, exc.melding) from exc
    return lees_csv(pad, VERPLICHT[soort])


# ---------------------------------------------------------------------------- field helpers


def telefoon_veld(waarde: str, veld: str) -> str | None:
    if not waarde:
        return None
    try:
        return valideer_telefoon(waarde)
    except ValidatieFout as exc:
        raise ValidatieFout(f"{veld} '{waarde}': {exc}") from exc


def email_veld(waarde: str, veld: str = "e-mail") -> str | None:
    if not waarde:
        return None
    try:
        return valideer_email(waarde)
    except ValidatieFout as exc:
        raise ValidatieFout(f"{veld} '{waarde}': {exc}") from exc


def datum_veld(waarde: str, veld: str) -> date | None:
    if not waarde:
        return None
    for formaat in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(waarde, formaat).date()
        except ValueError:
            continue
    raise ValidatieFout(f"{veld} '{waarde}' is geen datum (jjjj-mm-dd)")


def ja_nee_veld(waarde: str, veld: str) -> bool:
    if waarde.lower() in JA:
        return True
    if waarde.lower() in NEE:
        return False
    raise ValidatieFout(f"{veld} '{waarde}': gebruik ja of nee")


def lijst_veld(waarde: str) -> str:
    """``a; b ,c`` → ``a;b;c`` (the stored form of expertise, onderwerpen)."""
    delen = [d.strip() for d in waarde.replace(",", ";").split(";")]
    return ";".join(dict.fromkeys(d for d in delen if d))


def pas_toe(obj: object, velden: dict[str, object]) -> bool:
    gewijzigd = False
    for naam, waarde in velden.items():
        if getattr(obj, naam) != waarde:
            setattr(obj, naam, waarde)
            gewijzigd = True
    return gewijzigd


def tel(verslag: SmoelenboekVerslag, nieuw: bool, gewijzigd: bool) -> None:
    if nieuw:
        verslag.toegevoegd += 1
    elif gewijzigd:
        verslag.gewijzigd += 1
    else:
        verslag.ongewijzigd += 1
