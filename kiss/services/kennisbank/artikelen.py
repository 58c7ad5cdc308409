"""Kennisbank use cases on the database: import, export, read, edit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from kiss.models import Afdeling, ArtikelFeedback, Kennisartikel, Medewerker, utcnow
from kiss.rollen import mag_artikel_bewerken, mag_kennisbank_importeren, vereis
from kiss.services import audit
from kiss.services.kennisbank.formaat import (
    ArtikelData,
    FormaatFout,
    lees_pad,
    schrijf_jsonl_regel,
    schrijf_markdown,
)
from kiss.services.kennisbank.weergave import ArtikelWeergave, artikel_markdown
from kiss.validation import InvoerFouten


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
    """Import a file or folder. Broken files are reported by name and line and skipped whole.

    ``door`` must be a redacteur or beheerder (the import is audited); ``None`` is only for
    KISS itself (the demo data)."""
    if door is not None:
        vereis(mag_kennisbank_importeren(door), "kennisbankartikelen te importeren")
    gelezen = lees_pad(pad)
    verslag = importeer_artikelen(session, gelezen.artikelen, door)
    verslag.fouten = gelezen.fouten
    if door is not None:
        audit.log(
            session,
            door,
            audit.IMPORT,
            object_type="kennisbank",
            details=f"{pad.name}: {len(verslag.toegevoegd)} toegevoegd, "
            f"{len(verslag.bijgewerkt)} bijgewerkt, {len(verslag.fouten)} fouten",
        )
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


class ArtikelNietGevonden(LookupError):
    pass


def haal_artikel(session: Session, artikel_id: uuid.UUID) -> Kennisartikel:
    artikel = session.get(Kennisartikel, artikel_id)
    if artikel is None:
        raise ArtikelNietGevonden("Dit artikel bestaat niet (meer).")
    return artikel


def bewerk_artikel(
    session: Session, door: Medewerker, artikel_id: uuid.UUID, data: ArtikelData
) -> Kennisartikel:
    """A redacteur edits an article; others find the change at their next search."""
    vereis(mag_artikel_bewerken(door), "kennisbankartikelen te bewerken")
    if not data.titel.strip():
        raise InvoerFouten({"titel": "Een artikel heeft een titel nodig."})
    artikel = haal_artikel(session, artikel_id)
    for naam, waarde in _velden(data, _afdeling_id(session, data.afdeling, {})).items():
        setattr(artikel, naam, waarde)
    artikel.gewijzigd_op = utcnow()
    artikel.gewijzigd_door_id = door.id
    session.flush()
    audit.log(session, door, "artikel_gewijzigd", object_type="kennisartikel", object_id=artikel.id)
    return artikel


@dataclass(frozen=True)
class FeedbackRegel:
    id: uuid.UUID
    artikel_id: uuid.UUID
    artikel_titel: str
    soort: str
    notitie: str
    van: str
    aangemaakt_op: datetime


FEEDBACK_SOORTEN = {
    "klopt_niet": "Klopt niet",
    "verouderd": "Verouderd",
    "onduidelijk": "Onduidelijk",
}


def geef_feedback(
    session: Session, door: Medewerker, artikel_id: uuid.UUID, soort: str, notitie: str
) -> ArtikelFeedback:
    """Feedback on an article lands in the list redacteuren work through."""
    fouten = {}
    if soort not in FEEDBACK_SOORTEN:
        fouten["soort"] = "Kies: klopt niet, verouderd of onduidelijk."
    if not notitie.strip():
        fouten["notitie"] = "Schrijf kort wat er niet klopt, zodat de redactie het kan verbeteren."
    elif len(notitie) > 1000:
        fouten["notitie"] = f"Hoogstens 1000 tekens (nu {len(notitie)})."
    if fouten:
        raise InvoerFouten(fouten)
    haal_artikel(session, artikel_id)
    feedback = ArtikelFeedback(
        artikel_id=artikel_id, medewerker_id=door.id, soort=soort, notitie=notitie.strip()
    )
    session.add(feedback)
    session.flush()
    return feedback


def open_feedback(session: Session, limit: int = 200) -> list[FeedbackRegel]:
    rows = session.execute(
        select(ArtikelFeedback, Kennisartikel.titel, Medewerker)
        .join(Kennisartikel, Kennisartikel.id == ArtikelFeedback.artikel_id)
        .outerjoin(Medewerker, Medewerker.id == ArtikelFeedback.medewerker_id)
        .where(ArtikelFeedback.afgehandeld_op.is_(None))  # type: ignore[union-attr]
        .order_by(ArtikelFeedback.aangemaakt_op)
        .limit(limit)
    ).all()
    return [
        FeedbackRegel(
            id=f.id,
            artikel_id=f.artikel_id,
            artikel_titel=titel,
            soort=FEEDBACK_SOORTEN.get(f.soort, f.soort),
            notitie=f.notitie,
            van=m.naam if m else "",
            aangemaakt_op=f.aangemaakt_op,
        )
        for f, titel, m in rows
    ]


def handel_feedback_af(session: Session, door: Medewerker, feedback_id: uuid.UUID) -> None:
    vereis(mag_artikel_bewerken(door), "feedback af te handelen")
    feedback = session.get(ArtikelFeedback, feedback_id)
    if feedback is not None and feedback.afgehandeld_op is None:
        feedback.afgehandeld_op = utcnow()
        feedback.afgehandeld_door_id = door.id
        session.flush()


def weergave(session: Session, artikel_id: uuid.UUID) -> ArtikelWeergave:
    """The article as the reader shows it."""
    artikel = haal_artikel(session, artikel_id)
    afdeling = session.get(Afdeling, artikel.afdeling_id) if artikel.afdeling_id else None
    return ArtikelWeergave(
        id=artikel.id,
        titel=artikel.titel,
        afdeling_id=artikel.afdeling_id,
        markdown=artikel_markdown(artikel, afdeling.naam if afdeling else ""),
    )
