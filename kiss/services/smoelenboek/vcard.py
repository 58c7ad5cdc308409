"""Reading medewerkers from vCard files (``.vcf``, vCard 2.1, 3.0 and 4.0).

Each card becomes a row with the same keys as a ``medewerkers.csv`` row, so both formats go
through one validation and one upsert. The mapping (also in ``data/README.md``)::

    N                       achternaam;voornaam;…   (leading particles → voorvoegsel:
                            ``N:van der Berg;Jan`` → voorvoegsel "van der", achternaam "Berg")
    FN                      used when N is missing ("Jan van der Berg")
    TEL;TYPE=work (or none) telefoon          TEL;TYPE=cell           mobiel
    EMAIL                   email (the first one; the stable key with X-PERSONEELSNUMMER)
    ORG                     organisatie;afdeling;team  (the first component is ignored)
    TITLE                   functie
    CATEGORIES, X-EXPERTISE expertise (comma- or ';'-separated onderwerpen)
    NOTE                    expertise when neither CATEGORIES nor X-EXPERTISE is present
    X-PERSONEELSNUMMER, X-AFDELING, X-TEAM, X-LOCATIE, X-WERKDAGEN, X-AFWEZIG-VAN,
    X-AFWEZIG-TOT, X-AFWEZIG-REDEN, X-VERVANGER, X-NIET-DOORVERBINDEN, X-ROLLEN, X-VOORVOEGSEL
                            the CSV column of the same name (X-AFDELING/X-TEAM win over ORG)

A file that is not a well-formed sequence of ``BEGIN:VCARD`` … ``END:VCARD`` blocks raises
:class:`VCardFout` with the line number; the importer then imports nothing of that file.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field
from pathlib import Path

from kiss.services.naam import TUSSENVOEGSELS


class VCardFout(ValueError):
    def __init__(self, regel: int, melding: str) -> None:
        super().__init__(melding)
        self.regel = regel
        self.melding = melding


@dataclass
class _Eigenschap:
    naam: str
    parameters: dict[str, list[str]]
    waarde: str


@dataclass
class _Kaart:
    regel: int
    eigenschappen: list[_Eigenschap] = field(default_factory=list)

    def alle(self, naam: str) -> list[_Eigenschap]:
        return [e for e in self.eigenschappen if e.naam == naam]

    def eerste(self, naam: str) -> str:
        gevonden = self.alle(naam)
        return gevonden[0].waarde if gevonden else ""


_NAAM = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)$")
_X_VELDEN = {
    "X-PERSONEELSNUMMER": "personeelsnummer",
    "X-AFDELING": "afdeling",
    "X-TEAM": "team",
    "X-LOCATIE": "locatie",
    "X-WERKDAGEN": "werkdagen",
    "X-AFWEZIG-VAN": "afwezig_van",
    "X-AFWEZIG-TOT": "afwezig_tot",
    "X-AFWEZIG-REDEN": "afwezig_reden",
    "X-VERVANGER": "vervanger",
    "X-NIET-DOORVERBINDEN": "niet_doorverbinden",
    "X-ROLLEN": "rollen",
    "X-VOORVOEGSEL": "voorvoegsel",
}


def _ontvouw(tekst: str) -> list[tuple[int, str]]:
    """Physical lines → logical lines with the number of their first physical line.

    RFC 6350 folding (a continuation starts with a space or tab) and vCard 2.1
    quoted-printable soft line breaks (a line ending in ``=``) are joined."""
    logisch: list[tuple[int, str]] = []
    qp_vervolg = False
    for nummer, regel in enumerate(tekst.splitlines(), start=1):
        if qp_vervolg and logisch:
            start, vorige = logisch[-1]
            logisch[-1] = (start, vorige[:-1] + regel)
        elif regel[:1] in (" ", "\t") and logisch:
            start, vorige = logisch[-1]
            logisch[-1] = (start, vorige + regel[1:])
        elif regel.strip():
            logisch.append((nummer, regel))
        qp_vervolg = bool(logisch) and "QUOTED-PRINTABLE" in logisch[-1][1].split(":", 1)[
            0
        ].upper() and logisch[-1][1].endswith("=")  # fmt: skip
    return logisch


def _ontsnap(waarde: str) -> str:
    return (
        waarde.replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
    )


def _delen(waarde: str, scheiding: str = ";") -> list[str]:
    """Split on an unescaped separator, then unescape each part."""
    delen = re.split(r"(?<!\\)" + re.escape(scheiding), waarde)
    return [_ontsnap(d).strip() for d in delen]


def _eigenschap(nummer: int, regel: str) -> _Eigenschap:
    if ":" not in regel:
        raise VCardFout(nummer, f"regel zonder ':' ({regel[:40]!r})")
    kop, waarde = regel.split(":", 1)
    naam, *ruwe_parameters = kop.split(";")
    match = _NAAM.match(naam.strip())
    if not match:
        raise VCardFout(nummer, f"ongeldige eigenschap '{naam[:40]}'")
    parameters: dict[str, list[str]] = {}
    for parameter in ruwe_parameters:
        sleutel, is_, inhoud = parameter.partition("=")
        if not is_:  # vCard 2.1: TEL;WORK;VOICE
            parameters.setdefault("TYPE", []).append(sleutel.strip().lower())
            continue
        waarden = [w.strip().strip('"').lower() for w in inhoud.split(",")]
        parameters.setdefault(sleutel.strip().upper(), []).extend(waarden)
    if "quoted-printable" in parameters.get("ENCODING", []) or "quoted-printable" in parameters.get(
        "TYPE", []
    ):
        charset = (parameters.get("CHARSET") or ["utf-8"])[0]
        try:
            waarde = quopri.decodestring(waarde.encode("ascii")).decode(charset)
        except (UnicodeError, LookupError, ValueError) as exc:
            raise VCardFout(nummer, f"quoted-printable niet te lezen ({exc})") from exc
    return _Eigenschap(match.group(1).upper(), parameters, waarde)


def _kaarten(tekst: str) -> list[_Kaart]:
    kaarten: list[_Kaart] = []
    huidige: _Kaart | None = None
    laatste = 0
    for nummer, regel in _ontvouw(tekst):
        laatste = nummer
        eigenschap = _eigenschap(nummer, regel)
        if eigenschap.naam == "BEGIN":
            if eigenschap.waarde.strip().upper() != "VCARD":
                raise VCardFout(nummer, f"onbekend blok BEGIN:{eigenschap.waarde[:20]}")
            if huidige is not None:
                raise VCardFout(nummer, f"BEGIN:VCARD binnen de kaart van regel {huidige.regel}")
            huidige = _Kaart(nummer)
        elif eigenschap.naam == "END":
            if huidige is None:
                raise VCardFout(nummer, "END:VCARD zonder BEGIN:VCARD")
            kaarten.append(huidige)
            huidige = None
        elif huidige is None:
            raise VCardFout(nummer, f"'{eigenschap.naam}' buiten een BEGIN:VCARD … END:VCARD")
        else:
            huidige.eigenschappen.append(eigenschap)
    if huidige is not None:
        raise VCardFout(laatste, f"de kaart van regel {huidige.regel} mist END:VCARD")
    if not kaarten:
        raise VCardFout(1, "geen BEGIN:VCARD gevonden; is dit een vCard-bestand?")
    return kaarten


def splits_voorvoegsel(achternaam: str) -> tuple[str, str]:
    """``van der Berg`` → (``van der``, ``Berg``); ``Berg`` → (``""``, ``Berg``)."""
    woorden = achternaam.split()
    voor: list[str] = []
    while len(woorden) > 1 and woorden[0].lower() in TUSSENVOEGSELS:
        voor.append(woorden.pop(0))
    return " ".join(voor), " ".join(woorden)


def _telefoon_soort(eigenschap: _Eigenschap) -> str:
    soorten = set(eigenschap.parameters.get("TYPE", []))
    if soorten & {"cell", "mobile", "iphone"}:
        return "mobiel"
    return "telefoon"


def _rij(kaart: _Kaart) -> dict[str, str]:
    rij: dict[str, str] = {}
    n = _delen(kaart.eerste("N")) if kaart.alle("N") else []
    if n and n[0]:
        rij["voorvoegsel"], rij["achternaam"] = splits_voorvoegsel(n[0])
        rij["voornaam"] = n[1] if len(n) > 1 else ""
    elif kaart.eerste("FN"):
        woorden = _ontsnap(kaart.eerste("FN")).split()
        rij["voornaam"] = woorden[0] if len(woorden) > 1 else ""
        rest = " ".join(woorden[1:] if len(woorden) > 1 else woorden)
        rij["voorvoegsel"], rij["achternaam"] = splits_voorvoegsel(rest)
    for eigenschap in kaart.alle("TEL"):
        veld = _telefoon_soort(eigenschap)
        nummer = _ontsnap(eigenschap.waarde).strip()
        if nummer.lower().startswith("tel:"):  # vCard 4: a tel URI, maybe with ;ext=
            nummer = nummer[4:].split(";", 1)[0]
        rij.setdefault(veld, nummer)
    if kaart.alle("EMAIL"):
        rij["email"] = _ontsnap(kaart.eerste("EMAIL")).strip()
    org = _delen(kaart.eerste("ORG")) if kaart.alle("ORG") else []
    if len(org) > 1:
        rij["afdeling"] = org[1]
    if len(org) > 2:
        rij["team"] = org[2]
    rij["functie"] = _ontsnap(kaart.eerste("TITLE")).strip()
    onderwerpen = [
        deel
        for eigenschap in kaart.alle("CATEGORIES") + kaart.alle("X-EXPERTISE")
        for deel in re.split(r"(?<!\\)[,;]", eigenschap.waarde)
        if deel.strip()
    ]
    if not onderwerpen and kaart.alle("NOTE"):
        notitie = _ontsnap(kaart.eerste("NOTE"))
        notitie = re.sub(r"^\s*expertise\s*:\s*", "", notitie, flags=re.IGNORECASE)
        onderwerpen = [d for d in re.split(r"[,;\n]", notitie) if d.strip()]
    rij["expertise"] = ";".join(_ontsnap(o).strip() for o in onderwerpen)
    for x_naam, kolom in _X_VELDEN.items():
        if kaart.alle(x_naam):
            rij[kolom] = _ontsnap(kaart.eerste(x_naam)).strip()
    return rij


def lees_vcard(pad: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number of BEGIN:VCARD, row) for each card; raises :class:`VCardFout` when the
    file is not readable or not well-formed (then nothing of it may be imported)."""
    try:
        tekst = pad.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        regel = pad.read_bytes()[: exc.start].count(b"\n") + 1
        raise VCardFout(regel, "niet te lezen als UTF-8-tekst") from exc
    except OSError as exc:
        raise VCardFout(0, f"niet te openen ({exc.strerror})") from exc
    return [(kaart.regel, _rij(kaart)) for kaart in _kaarten(tekst)]
