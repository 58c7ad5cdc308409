"""``kiss smoelenboek import`` and ``kiss smoelenboek zoek``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiss.cli.common import CliFout, aanmelden, aanmelden_of_eigenaar, add_json, engine, print_json

if TYPE_CHECKING:
    from kiss.services.smoelenboek.importeren import SmoelenboekVerslag
    from kiss.services.smoelenboek.zoeken import Treffer

SOORTEN = ("medewerker", "team", "afdeling", "organisatie")


def register(sub: Any) -> None:
    sb = sub.add_parser("smoelenboek", help="medewerkers, afdelingen en organisaties")
    sb_sub = sb.add_subparsers(dest="sb_opdracht", metavar="OPDRACHT", required=True)

    imp = sb_sub.add_parser(
        "import",
        help="importeer een map of bestand (CSV of vCard)",
        description="Importeer afdelingen.csv, teams.csv, medewerkers.csv, "
        "externe_organisaties.csv en *.vcf uit een map, of één bestand. Bestaande gegevens "
        "worden bijgewerkt (sleutel: personeelsnummer of e-mail). Een map is een volledige "
        "import: wie er niet meer in staat, wordt als vertrokken gemarkeerd (niet gewist).",
    )
    imp.add_argument("pad", type=Path, help="map of bestand (.csv, .vcf)")
    volledig = imp.add_mutually_exclusive_group()
    volledig.add_argument(
        "--volledig",
        dest="volledig",
        action="store_true",
        default=None,
        help="markeer medewerkers die er niet in staan als vertrokken (standaard bij een map)",
    )
    volledig.add_argument(
        "--aanvulling",
        dest="volledig",
        action="store_false",
        help="alleen toevoegen en bijwerken, niemand als vertrokken markeren",
    )
    add_json(imp)
    imp.set_defaults(handler=run_import)

    zoek = sb_sub.add_parser(
        "zoek", help="zoek een collega, team, afdeling of organisatie (met aanwezigheid)"
    )
    zoek.add_argument("tekst", help="naam, onderwerp, afdeling, functie of telefoonnummer")
    zoek.add_argument("--soort", choices=SOORTEN, help="alleen deze soort")
    zoek.add_argument("--limit", type=int, default=10, help="hoeveel resultaten (standaard 10)")
    zoek.add_argument(
        "--datum", type=date.fromisoformat, help="aanwezigheid op deze datum (jjjj-mm-dd)"
    )
    add_json(zoek)
    zoek.set_defaults(handler=run_zoek)


def _verslag_json(verslag: SmoelenboekVerslag) -> dict[str, Any]:
    return {
        "toegevoegd": verslag.toegevoegd,
        "gewijzigd": verslag.gewijzigd,
        "ongewijzigd": verslag.ongewijzigd,
        "verwijderd": verslag.verwijderd,
        "verwijderd_namen": verslag.verwijderd_namen,
        "bestanden": verslag.bestanden,
        "fouten": [
            {"bestand": f.bestand, "regel": f.regel, "melding": f.melding}
            for f in verslag.rijfouten
        ],
        "bestandsfouten": [
            {"bestand": f.bestand, "regel": f.regel, "melding": f.melding}
            for f in verslag.bestandsfouten
        ],
        "meldingen": verslag.meldingen,
    }


def run_import(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kiss.db import session_scope
    from kiss.rollen import mag_smoelenboek_beheren
    from kiss.services.smoelenboek.importeren import BestandFout, importeer
    from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker

    db = engine(args)
    door = aanmelden_of_eigenaar(args, db, mag_smoelenboek_beheren, "het smoelenboek te importeren")
    if not args.pad.exists():
        raise CliFout(f"{args.pad} bestaat niet.")
    console = Console(stderr=True)
    taken: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=args.json or not console.is_terminal,
        transient=False,
    ) as voortgang:

        def stap(bestand: str, gedaan: int, totaal: int) -> None:
            if bestand not in taken:
                taken[bestand] = voortgang.add_task(bestand, total=totaal)
            voortgang.update(taken[bestand], completed=gedaan)

        try:
            with session_scope(db) as session:
                verslag = importeer(
                    session, args.pad, volledig=args.volledig, voortgang=stap, door=door
                )
        except BestandFout as exc:
            raise CliFout(f"Niets geïmporteerd: {exc}", code=2) from exc
    SmoelenboekZoeker.voor(db).vergeet()
    if args.json:
        print_json(_verslag_json(verslag))
    else:
        print(verslag.samenvatting)
        if verslag.verwijderd_namen:
            namen = ", ".join(verslag.verwijderd_namen[:20])
            meer = len(verslag.verwijderd_namen) - 20
            print(
                f"  Als vertrokken gemarkeerd: {namen}" + (f" en {meer} meer" if meer > 0 else "")
            )
        for melding in verslag.meldingen:
            print(f"  {melding}")
        for fout in verslag.fouten:
            print(f"  FOUT {fout}")
    return 2 if verslag.bestandsfouten else 0


def _treffer_json(t: Treffer) -> dict[str, Any]:
    uit: dict[str, Any] = {
        "soort": t.soort,
        "id": str(t.id),
        "naam": t.naam,
        "omschrijving": t.omschrijving,
        "telefoon": t.telefoon,
        "gevonden_op": t.gevonden_op,
    }
    if t.aanwezigheid is not None:
        uit["aanwezigheid"] = {
            "status": str(t.aanwezigheid.status),
            "tekst": t.aanwezigheid.tekst,
            "terug_op": t.aanwezigheid.terug_op,
        }
        uit["niet_doorverbinden"] = t.niet_doorverbinden
    if t.vervanger is not None:
        uit["vervanger"] = {
            "id": str(t.vervanger.id),
            "naam": t.vervanger.naam,
            "telefoon": t.vervanger.telefoon,
            "aanwezigheid": t.vervanger.aanwezigheid.tekst,
        }
    if t.vervangt:
        uit["vervangt"] = t.vervangt
    return uit


def _treffer_regel(t: Treffer) -> str:
    if t.aanwezigheid is not None:
        stand = f"{t.aanwezigheid.marker} {t.aanwezigheid.tekst}"
    else:
        stand = t.soort
    naam = f"↳ {t.naam} (vervangt {t.vervangt})" if t.vervangt else t.naam
    regel = f"{naam:<36} {t.telefoon:<16} {stand}"
    if t.omschrijving:
        regel += f"\n    {t.omschrijving}"
    if t.niet_doorverbinden:
        regel += "\n    NIET DOORVERBINDEN — maak een terugbelnotitie"
    return regel


def run_zoek(args: argparse.Namespace) -> int:
    from datetime import datetime

    from kiss.db import read_scope
    from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker
    from kiss.weergave import AMSTERDAM

    dag = args.datum or datetime.now(AMSTERDAM).date()
    db = engine(args)
    aanmelden(args, db)
    with read_scope(db) as session:
        treffers = SmoelenboekZoeker.voor(db).zoek(
            args.tekst, dag, limit=max(1, args.limit), soort=args.soort, session=session
        )
    if args.json:
        print_json({"zoekvraag": args.tekst, "datum": dag, "treffers": [
            _treffer_json(t) for t in treffers]})  # fmt: skip
        return 0
    if not treffers:
        print(f"Niets gevonden voor '{args.tekst}'.", file=sys.stderr)
        return 1
    for treffer in treffers:
        print(_treffer_regel(treffer))
    return 0
