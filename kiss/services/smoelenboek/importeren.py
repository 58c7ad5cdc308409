"""Import of the smoelenboek from CSV and vCard files (formats documented in ``data/README.md``).

A folder may hold ``afdelingen.csv``, ``teams.csv``, ``medewerkers.csv``,
``externe_organisaties.csv`` and any number of ``*.vcf`` files (medewerkers); they are read in
that dependency order. A single file can be imported too; a CSV with another name is recognised
by its columns.

* Rows are upserted by a stable key (afdeling/team/organisatie: naam; medewerker:
  personeelsnummer, else e-mail) and counted as added / changed / unchanged.
* A row with an invalid phone number, an unknown afdeling or another bad value is reported
  (file, line, Dutch message) and skipped; valid rows still load.
* A file that cannot be read (bad encoding, ragged CSV, a broken vCard) imports nothing: it is
  reported by name and line and the other files still load. Every file is applied inside its
  own savepoint, so even a database error leaves nothing half-imported.
* A full import (a whole folder, or ``volledig=True``) marks active medewerkers that are no
  longer in the files as ``actief=False`` (counted as removed). They are never deleted: history
  refers to them. A medewerker whose row has an error still counts as present, and nobody is
  marked removed when a medewerkers file could not be read.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from kiss.models import Afdeling, ExterneOrganisatie, Medewerker, Team
from kiss.rollen import mag_smoelenboek_beheren, vereis
from kiss.services import audit
from kiss.services.smoelenboek.bestanden import (
    BestandFout,
    Rijen,
    RijFout,
    SmoelenboekVerslag,
    Voortgang,
    bestanden_in,
    email_veld,
    lees,
    lijst_veld,
    pas_toe,
    tel,
    telefoon_veld,
)
from kiss.services.smoelenboek.medewerkers import MedewerkerImport, importeer_medewerkers
from kiss.validation import ValidatieFout

__all__ = ["BestandFout", "RijFout", "SmoelenboekVerslag", "importeer", "importeer_map"]


# ---------------------------------------------------------------------------- afdelingen, teams


def _eenheid_velden(rij: dict[str, str]) -> dict[str, object]:
    telefoon_veld(rij.get("telefoon", ""), "telefoon")
    return {
        "telefoon": rij.get("telefoon", ""),
        "email": email_veld(rij.get("email", "")) or "",
        "mailbox": email_veld(rij.get("mailbox", ""), "mailbox") or "",
    }


def importeer_afdelingen(
    session: Session, bestand: str, rijen: Rijen, verslag: SmoelenboekVerslag
) -> None:
    bestaand = {a.naam: a for a in session.exec(select(Afdeling))}
    geldig: Rijen = []
    for regel, rij in rijen:
        try:
            if not rij.get("naam"):
                raise ValidatieFout("naam is verplicht")
            velden = _eenheid_velden(rij) | {
                "openingstijden": rij.get("openingstijden", ""),
                "omschrijving": rij.get("omschrijving", ""),
            }
        except ValidatieFout as exc:
            verslag.fouten.append(RijFout(bestand, regel, str(exc)))
            continue
        afdeling = bestaand.get(rij["naam"])
        nieuw = afdeling is None
        if afdeling is None:
            afdeling = Afdeling(naam=rij["naam"], **velden)  # type: ignore[arg-type]
            session.add(afdeling)
            bestaand[afdeling.naam] = afdeling
        tel(verslag, nieuw, not nieuw and pas_toe(afdeling, velden))
        geldig.append((regel, rij))
    session.flush()
    ouders = {a.id: a.ouder_id for a in bestaand.values()}
    for regel, rij in geldig:
        ouder = rij.get("ouder", "")
        if ouder and ouder not in bestaand:
            verslag.fouten.append(RijFout(bestand, regel, f"onbekende ouder-afdeling '{ouder}'"))
            continue
        afdeling = bestaand[rij["naam"]]
        ouder_id = bestaand[ouder].id if ouder else None
        if _maakt_kring(ouders, afdeling.id, ouder_id):
            verslag.fouten.append(
                RijFout(bestand, regel, f"'{ouder}' ligt al onder '{afdeling.naam}' (een kring)")
            )
            continue
        afdeling.ouder_id = ouders[afdeling.id] = ouder_id
    session.flush()


def _maakt_kring(ouders: dict[object, object], afdeling_id: object, ouder_id: object) -> bool:
    """Whether hanging ``afdeling_id`` under ``ouder_id`` would make it its own ancestor."""
    gezien = set()
    while ouder_id is not None and ouder_id not in gezien:
        if ouder_id == afdeling_id:
            return True
        gezien.add(ouder_id)
        ouder_id = ouders.get(ouder_id)
    return False


def importeer_teams(
    session: Session, bestand: str, rijen: Rijen, verslag: SmoelenboekVerslag
) -> None:
    afdelingen = {a.naam: a.id for a in session.exec(select(Afdeling))}
    bestaand = {t.naam: t for t in session.exec(select(Team))}
    for regel, rij in rijen:
        try:
            if not rij.get("naam"):
                raise ValidatieFout("naam is verplicht")
            if rij["afdeling"] not in afdelingen:
                raise ValidatieFout(f"onbekende afdeling '{rij['afdeling']}'")
            velden = _eenheid_velden(rij) | {"afdeling_id": afdelingen[rij["afdeling"]]}
        except ValidatieFout as exc:
            verslag.fouten.append(RijFout(bestand, regel, str(exc)))
            continue
        team = bestaand.get(rij["naam"])
        nieuw = team is None
        if team is None:
            team = Team(naam=rij["naam"], **velden)  # type: ignore[arg-type]
            session.add(team)
            bestaand[team.naam] = team
        tel(verslag, nieuw, not nieuw and pas_toe(team, velden))
    session.flush()


def importeer_organisaties(
    session: Session, bestand: str, rijen: Rijen, verslag: SmoelenboekVerslag
) -> None:
    bestaand = {o.naam: o for o in session.exec(select(ExterneOrganisatie))}
    for regel, rij in rijen:
        try:
            if not rij.get("naam"):
                raise ValidatieFout("naam is verplicht")
            velden: dict[str, object] = {
                "telefoon": rij.get("telefoon", ""),
                "telefoon_e164": telefoon_veld(rij.get("telefoon", ""), "telefoon"),
                "website": rij.get("website", ""),
                "openingstijden": rij.get("openingstijden", ""),
                "onderwerpen": lijst_veld(rij.get("onderwerpen", "")),
            }
        except ValidatieFout as exc:
            verslag.fouten.append(RijFout(bestand, regel, str(exc)))
            continue
        organisatie = bestaand.get(rij["naam"])
        nieuw = organisatie is None
        if organisatie is None:
            organisatie = ExterneOrganisatie(naam=rij["naam"], **velden)  # type: ignore[arg-type]
            session.add(organisatie)
            bestaand[organisatie.naam] = organisatie
        tel(verslag, nieuw, not nieuw and pas_toe(organisatie, velden))
    session.flush()


# ---------------------------------------------------------------------------- one run


def _eenheden(
    session: Session, soort: str, bestand: str, rijen: Rijen, verslag: SmoelenboekVerslag
) -> None:
    stap = {
        "afdelingen": importeer_afdelingen,
        "teams": importeer_teams,
        "organisaties": importeer_organisaties,
    }[soort]
    stap(session, bestand, rijen, verslag)


def importeer(
    session: Session,
    pad: Path,
    *,
    volledig: bool | None = None,
    voortgang: Voortgang | None = None,
    door: Medewerker | None = None,
) -> SmoelenboekVerslag:
    """Import a folder or one file in the caller's transaction (see the module docstring).

    ``volledig`` (default: True for a folder, False for a single file) marks medewerkers who
    are not in the files as departed. ``door`` must be a beheerder (the import sets rollen,
    so it is audited); ``None`` is only for KISS itself (demo data, tests)."""
    if door is not None:
        vereis(mag_smoelenboek_beheren(door), "het smoelenboek te importeren")
    if not pad.exists():
        raise BestandFout(pad.name, 0, "bestaat niet")
    bestanden = bestanden_in(pad)
    if not bestanden:
        raise BestandFout(pad.name, 0, "geen smoelenboekbestanden gevonden (verwacht .csv of .vcf)")
    verslag = SmoelenboekVerslag()
    medewerkers: MedewerkerImport | None = None
    for soort, bestand in bestanden:
        if soort == "medewerkers" and medewerkers is None:
            session.flush()
            medewerkers = MedewerkerImport(session)
        try:
            rijen = lees(soort, bestand)
        except BestandFout as exc:
            verslag.fouten.append(exc.fout)
            if medewerkers is not None and soort == "medewerkers":
                medewerkers.onvolledig = True
            continue
        deel = SmoelenboekVerslag()
        savepoint = session.begin_nested()
        try:
            if medewerkers is not None and soort == "medewerkers":
                importeer_medewerkers(medewerkers, bestand.name, rijen, deel, voortgang)
                medewerkers.gelezen = True
            else:
                _eenheden(session, soort, bestand.name, rijen, deel)
                if voortgang:
                    voortgang(bestand.name, len(rijen), len(rijen))
            savepoint.commit()
        except Exception as exc:
            savepoint.rollback()
            melding = f"databasefout ({type(exc).__name__}: {str(exc)[:120]})"
            verslag.fouten.append(RijFout(bestand.name, 0, melding, heel_bestand=True))
            if medewerkers is not None and soort == "medewerkers":
                medewerkers.na_terugdraaien(bestand.name)
            continue
        verslag.neem_over(deel)
        verslag.bestanden.append(bestand.name)
    if medewerkers is not None and medewerkers.gelezen:
        medewerkers.koppel_vervangers(verslag)
        if volledig if volledig is not None else pad.is_dir():
            if medewerkers.onvolledig:
                verslag.meldingen.append(
                    "Niemand als vertrokken gemarkeerd: niet alle medewerkersbestanden "
                    "konden worden gelezen."
                )
            else:
                medewerkers.markeer_vertrokken(verslag)
        medewerkers.vergeet_orm_kopieen()
    from kiss.services.beveiliging.gebruikers import werk_alle_rollen_bij

    session.flush()
    werk_alle_rollen_bij(session)  # PostgreSQL: logins follow the new rollen
    if door is not None:
        audit.log(
            session,
            door,
            audit.IMPORT,
            object_type="smoelenboek",
            details=f"{pad.name}: {verslag.samenvatting}",
        )
    return verslag


def importeer_map(session: Session, map_: Path) -> SmoelenboekVerslag:
    """Import every known file in a folder (a full import), in the caller's transaction."""
    return importeer(session, map_, volledig=True)
