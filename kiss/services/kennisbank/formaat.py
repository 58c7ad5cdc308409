"""The kennisbank exchange format, read and written in one place.

Two forms, same fields (see ``data/README.md``):

* a folder of Markdown files: TOML front matter between ``+++`` lines, then the Markdown body;
* JSON Lines: one JSON object per line, the body in ``inhoud``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiss.models import ArtikelStatus

FRONT_MATTER = "+++"


class FormaatFout(ValueError):
    """A file that does not parse; says which file and which line."""

    def __init__(self, bestand: str, regel: int | None, melding: str) -> None:
        self.bestand = bestand
        self.regel = regel
        self.melding = melding
        waar = f"{bestand}, regel {regel}" if regel else bestand
        super().__init__(f"{waar}: {melding}")


@dataclass
class ArtikelData:
    sleutel: str
    titel: str
    samenvatting: str = ""
    inhoud: str = ""
    trefwoorden: list[str] = field(default_factory=list)
    synoniemen: list[str] = field(default_factory=list)
    vragen: list[dict[str, str]] = field(default_factory=list)
    werkinstructie: str = ""
    afdeling: str = ""
    gemeenten: list[str] = field(default_factory=list)
    bron: str = ""
    laatst_gecontroleerd_op: date | None = None
    status: str = ArtikelStatus.GEPUBLICEERD


_STRING_LISTS = ("trefwoorden", "synoniemen", "gemeenten")


def _artikel(data: dict[str, Any], bestand: str, regel: int | None) -> ArtikelData:
    def fout(melding: str) -> FormaatFout:
        return FormaatFout(bestand, regel, melding)

    for verplicht in ("sleutel", "titel"):
        if not isinstance(data.get(verplicht), str) or not data[verplicht].strip():
            raise fout(f"veld '{verplicht}' ontbreekt of is leeg")
    bekend = set(ArtikelData.__dataclass_fields__)
    onbekend = sorted(set(data) - bekend)
    if onbekend:
        raise fout(f"onbekend veld: {', '.join(onbekend)}")
    for naam in _STRING_LISTS:
        waarde = data.get(naam, [])
        if not isinstance(waarde, list) or not all(isinstance(v, str) for v in waarde):
            raise fout(f"veld '{naam}' moet een lijst met teksten zijn")
    vragen = data.get("vragen", [])
    if not isinstance(vragen, list) or not all(
        isinstance(v, dict)
        and isinstance(v.get("vraag"), str)
        and isinstance(v.get("antwoord"), str)
        for v in vragen
    ):
        raise fout("elke vraag heeft een 'vraag' en een 'antwoord'")
    status = data.get("status", ArtikelStatus.GEPUBLICEERD)
    if status not in {s.value for s in ArtikelStatus}:
        raise fout(f"status '{status}' bestaat niet (concept, gepubliceerd of gearchiveerd)")
    gecontroleerd = data.get("laatst_gecontroleerd_op")
    if isinstance(gecontroleerd, str):
        try:
            gecontroleerd = date.fromisoformat(gecontroleerd)
        except ValueError as exc:
            raise fout(
                f"laatst_gecontroleerd_op '{gecontroleerd}' is geen datum (jjjj-mm-dd)"
            ) from exc
    elif gecontroleerd is not None and not isinstance(gecontroleerd, date):
        raise fout("laatst_gecontroleerd_op moet een datum zijn")
    for tekstveld in ("samenvatting", "inhoud", "werkinstructie", "afdeling", "bron"):
        if not isinstance(data.get(tekstveld, ""), str):
            raise fout(f"veld '{tekstveld}' moet tekst zijn")
    return ArtikelData(
        sleutel=data["sleutel"].strip(),
        titel=data["titel"].strip(),
        samenvatting=data.get("samenvatting", "").strip(),
        inhoud=data.get("inhoud", "").strip(),
        trefwoorden=list(data.get("trefwoorden", [])),
        synoniemen=list(data.get("synoniemen", [])),
        vragen=[{"vraag": v["vraag"], "antwoord": v["antwoord"]} for v in vragen],
        werkinstructie=data.get("werkinstructie", "").strip(),
        afdeling=data.get("afdeling", "").strip(),
        gemeenten=list(data.get("gemeenten", [])),
        bron=data.get("bron", "").strip(),
        laatst_gecontroleerd_op=gecontroleerd,
        status=status,
    )


def lees_markdown(tekst: str, bestand: str) -> ArtikelData:
    lines = tekst.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise FormaatFout(
            bestand, 1, f"het bestand begint niet met '{FRONT_MATTER}' (front matter)"
        )
    try:
        einde = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FRONT_MATTER)
    except StopIteration:
        raise FormaatFout(bestand, None, f"de afsluitende '{FRONT_MATTER}' ontbreekt") from None
    front = "\n".join(lines[1:einde])
    try:
        data = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        gevonden = re.search(r"at line (\d+)", str(exc))
        regel = int(gevonden.group(1)) + 1 if gevonden else None  # +1: the opening +++ line
        melding = re.sub(r"\s*\(at .*\)$", "", str(exc))
        raise FormaatFout(bestand, regel, f"TOML-fout: {melding}") from exc
    if "inhoud" in data:
        raise FormaatFout(bestand, None, "'inhoud' hoort na de front matter, niet erin")
    data["inhoud"] = "\n".join(lines[einde + 1 :])
    return _artikel(data, bestand, None)


def lees_jsonl(tekst: str, bestand: str) -> Iterator[ArtikelData]:
    for nummer, line in enumerate(tekst.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormaatFout(bestand, nummer, f"geen geldige JSON: {exc.msg}") from exc
        if not isinstance(data, dict):
            raise FormaatFout(bestand, nummer, "elke regel moet een JSON-object zijn")
        yield _artikel(data, bestand, nummer)


@dataclass
class Leesresultaat:
    artikelen: list[ArtikelData]
    fouten: list[FormaatFout]


def lees_pad(pad: Path) -> Leesresultaat:
    """Read a Markdown file, a JSON Lines file, or a folder of them (sorted, recursive).

    A file with an error contributes nothing: its error is reported, its articles skipped.
    """
    bestanden = sorted(pad.rglob("*")) if pad.is_dir() else [pad]
    artikelen: list[ArtikelData] = []
    fouten: list[FormaatFout] = []
    waar: dict[str, str] = {}  # sleutel -> the file it was read from
    for bestand in bestanden:
        if bestand.suffix not in {".md", ".jsonl"} or not bestand.is_file():
            continue
        naam = str(bestand.relative_to(pad)) if pad.is_dir() else bestand.name
        try:
            tekst = bestand.read_text(encoding="utf-8-sig")  # a BOM from Windows editors is fine
        except (OSError, UnicodeDecodeError) as exc:
            fouten.append(FormaatFout(naam, None, f"niet te lezen: {exc}"))
            continue
        try:
            if bestand.suffix == ".md":
                gelezen = [lees_markdown(tekst, naam)]
            else:
                gelezen = list(lees_jsonl(tekst, naam))
            _eis_unieke_sleutels(gelezen, waar, naam)
        except FormaatFout as fout:
            fouten.append(fout)
            continue
        artikelen.extend(gelezen)
        waar.update(dict.fromkeys((a.sleutel for a in gelezen), naam))
    return Leesresultaat(artikelen, fouten)


def _eis_unieke_sleutels(gelezen: list[ArtikelData], waar: dict[str, str], naam: str) -> None:
    """A sleutel twice in one import would silently overwrite the first article: refuse it."""
    gezien: set[str] = set()
    for artikel in gelezen:
        if artikel.sleutel in gezien:
            raise FormaatFout(naam, None, f"sleutel '{artikel.sleutel}' komt twee keer voor")
        if artikel.sleutel in waar:
            raise FormaatFout(
                naam, None, f"sleutel '{artikel.sleutel}' staat ook in {waar[artikel.sleutel]}"
            )
        gezien.add(artikel.sleutel)


def _toml_waarde(waarde: Any) -> str:
    if isinstance(waarde, str):
        if "\n" in waarde:
            return '"""' + waarde.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '"""'
        return json.dumps(waarde, ensure_ascii=False)
    if isinstance(waarde, date):
        return waarde.isoformat()
    if isinstance(waarde, list):
        return "[" + ", ".join(_toml_waarde(v) for v in waarde) + "]"
    raise TypeError(type(waarde))


def schrijf_markdown(artikel: ArtikelData) -> str:
    regels = [FRONT_MATTER]
    for naam in (
        "sleutel",
        "titel",
        "samenvatting",
        "trefwoorden",
        "synoniemen",
        "afdeling",
        "gemeenten",
        "status",
        "bron",
        "laatst_gecontroleerd_op",
        "werkinstructie",
    ):
        waarde = getattr(artikel, naam)
        if waarde is None:
            continue
        regels.append(f"{naam} = {_toml_waarde(waarde)}")
    for vraag in artikel.vragen:
        regels += [
            "",
            "[[vragen]]",
            f"vraag = {_toml_waarde(vraag['vraag'])}",
            f"antwoord = {_toml_waarde(vraag['antwoord'])}",
        ]
    regels.append(FRONT_MATTER)
    return "\n".join(regels) + "\n" + artikel.inhoud.rstrip() + "\n"


def schrijf_jsonl_regel(artikel: ArtikelData) -> str:
    data = {k: getattr(artikel, k) for k in ArtikelData.__dataclass_fields__}
    if artikel.laatst_gecontroleerd_op:
        data["laatst_gecontroleerd_op"] = artikel.laatst_gecontroleerd_op.isoformat()
    return json.dumps(data, ensure_ascii=False)
