"""Kennisbank use cases on the database: import, export, read, edit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from kiss.kennisbank.formaat import (
    ArtikelData,
    FormaatFout,
    lees_pad,
    schrijf_jsonl_regel,
    schrijf_markdown,
)
from kiss.models import Afdeling, Kennisartikel, Medewerker, utcnow


@dataclass
class ImportVerslag:
    toegevoegd: list[str] = field(default_factory=list)
    bijgewerkt: list[str] = field(default_factory=list)
    ongewijzigd: list[str] = field(default_factory=list)
    fouten: list[FormaatFout] = field(default_factory=list)

    @property
    def samenvatting(self) -> str:
        return (
            f"{len(self.toegevoegd)} toegevoegd, {len(self.bijgewerkt)} bijgewerkt, "
            f"{len(self.ongewijzigd)} ongewijzigd, {len(self.fouten)} bestand(en) met fouten"
        )


def _afdeling_id(
    session: Session, naam: str, cache: dict[str, uuid.UUID | None]
) -> uuid.UUID | None:
    if not naam:
        return None
    if naam not in cache:
        afdeling = session.exec(select(Afdeling).where(Afdeling.naam == naam)).first()
        cache[naam] = afdeling.id if afdeling else None
    return cache[naam]


def _velden(data: ArtikelData, afdeling_id: uuid.UUID | None) -> dict[str, object]:
    return {
        "titel": data.titel,
        "samenvatting": data.samenvatting,
        "inhoud": data.inhoud,
        "trefwoorden": data.trefwoorden,
        "synoniemen": data.synoniemen,
        "vragen": data.vragen,
        "werkinstructie": data.werkinstructie,
        "afdeling_id": afdeling_id,
        "gemeenten": data.gemeenten,
        "bron": data.bron,
        "laatst_gecontroleerd_op": data.laatst_gecontroleerd_op,
        "status": data.status,
    }


def importeer_artikelen(
    session: Session, artikelen: list[ArtikelData], door: Medewerker | None = None
) -> ImportVerslag:
    """Insert or update by ``sleutel`` in the caller's transaction."""
    verslag = ImportVerslag()
    cache: dict[str, uuid.UUID | None] = {}
    bestaand = {a.sleutel: a for a in session.exec(select(Kennisartikel))}
    nu = utcnow()
    for data in artikelen:
        velden = _velden(data, _afdeling_id(session, data.afdeling, cache))
        artikel = bestaand.get(data.sleutel)
        if artikel is None:
            artikel = Kennisartikel(sleutel=data.sleutel, gewijzigd_op=nu, **velden)
            artikel.gewijzigd_door_id = door.id if door else None
            session.add(artikel)
            bestaand[data.sleutel] = artikel
            verslag.toegevoegd.append(data.sleutel)
        elif any(getattr(artikel, k) != v for k, v in velden.items()):
            for k, v in velden.items():
                setattr(artikel, k, v)
            artikel.gewijzigd_op = nu
            artikel.gewijzigd_door_id = door.id if door else None
            verslag.bijgewerkt.append(data.sleutel)
        else:
            verslag.ongewijzigd.append(data.sleutel)
    session.flush()
    return verslag


def importeer_pad(session: Session, pad: Path, door: Medewerker | None = None) -> ImportVerslag:
    """Import a file or folder. Broken files are reported by name and line and skipped whole."""
    gelezen = lees_pad(pad)
    verslag = importeer_artikelen(session, gelezen.artikelen, door)
    verslag.fouten = gelezen.fouten
    return verslag


def naar_data(session: Session, artikel: Kennisartikel) -> ArtikelData:
    afdeling = session.get(Afdeling, artikel.afdeling_id) if artikel.afdeling_id else None
    return ArtikelData(
        sleutel=artikel.sleutel,
        titel=artikel.titel,
        samenvatting=artikel.samenvatting,
        inhoud=artikel.inhoud,
        trefwoorden=list(artikel.trefwoorden),
        synoniemen=list(artikel.synoniemen),
        vragen=list(artikel.vragen),
        werkinstructie=artikel.werkinstructie,
        afdeling=afdeling.naam if afdeling else "",
        gemeenten=list(artikel.gemeenten),
        bron=artikel.bron,
        laatst_gecontroleerd_op=artikel.laatst_gecontroleerd_op,
        status=artikel.status,
    )


def exporteer(session: Session, doel: Path) -> int:
    """Write every article: to a folder of Markdown files, or to one ``.jsonl`` file."""
    artikelen = list(session.exec(select(Kennisartikel).order_by(Kennisartikel.sleutel)))
    if doel.suffix == ".jsonl":
        doel.write_text(
            "".join(schrijf_jsonl_regel(naar_data(session, a)) + "\n" for a in artikelen),
            encoding="utf-8",
        )
    else:
        doel.mkdir(parents=True, exist_ok=True)
        for artikel in artikelen:
            (doel / f"{artikel.sleutel}.md").write_text(
                schrijf_markdown(naar_data(session, artikel)), encoding="utf-8"
            )
    return len(artikelen)
