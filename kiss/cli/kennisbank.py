"""``kiss kennisbank import|export``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiss.cli.common import CliFout, aanmelden, add_json, engine, print_json


def register(sub: Any) -> None:
    kb = sub.add_parser("kennisbank", help="kennisbankartikelen importeren, exporteren, zoeken")
    kb_sub = kb.add_subparsers(dest="kb_opdracht", metavar="OPDRACHT", required=True)
    imp = kb_sub.add_parser(
        "import", help="importeer een map met Markdown-bestanden of een .jsonl-bestand"
    )
    imp.add_argument("pad", type=Path)
    add_json(imp)
    imp.set_defaults(handler=run_import)
    zoek = kb_sub.add_parser("zoek", help="zoek artikelen (typefouten mogen)")
    zoek.add_argument("tekst")
    zoek.add_argument(
        "--gemeente", dest="zoek_gemeente", help="alleen artikelen voor deze gemeente"
    )
    zoek.add_argument("--max", type=int, default=10)
    add_json(zoek)
    zoek.set_defaults(handler=run_zoek)
    exp = kb_sub.add_parser(
        "export", help="exporteer naar een map (Markdown) of een .jsonl-bestand"
    )
    exp.add_argument("pad", type=Path)
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.rollen import mag_kennisbank_importeren
    from kiss.services.kennisbank.artikelen import importeer_pad

    eng = engine(args)
    door = aanmelden(args, eng, mag_kennisbank_importeren, "kennisbankartikelen te importeren")
    if not args.pad.exists():
        raise CliFout(f"{args.pad} bestaat niet.")
    with session_scope(eng) as session:
        verslag = importeer_pad(session, args.pad, door=door)
    if args.json:
        print_json(
            {
                "toegevoegd": verslag.toegevoegd,
                "bijgewerkt": verslag.bijgewerkt,
                "ongewijzigd": verslag.ongewijzigd,
                "fouten": [
                    {"bestand": f.bestand, "regel": f.regel, "melding": f.melding}
                    for f in verslag.fouten
                ],
            }
        )
    else:
        print(verslag.samenvatting)
        for fout in verslag.fouten:
            print(f"  FOUT {fout}")
    return 2 if verslag.fouten else 0


def run_zoek(args: argparse.Namespace) -> int:
    from kiss.services.kennisbank.zoeken import zoek_artikelen

    eng = engine(args)
    aanmelden(args, eng)
    treffers = zoek_artikelen(eng, args.tekst, gemeente=args.zoek_gemeente, limit=args.max)
    if args.json:
        print_json(
            [
                {
                    "id": t.id,
                    "titel": t.titel,
                    "score": round(t.score, 4),
                    "samenvatting": t.samenvatting,
                    "fragment": t.snippet.text,
                }
                for t in treffers
            ]
        )
        return 0
    if not treffers:
        print("Geen artikelen gevonden.")
    for plaats, t in enumerate(treffers, start=1):
        print(f"{plaats:>2}. {t.score:7.3f}  {t.titel}")
        if t.snippet.text:
            print(f"             {t.snippet.text}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.rollen import mag_artikel_bewerken
    from kiss.services.kennisbank.artikelen import exporteer

    eng = engine(args)
    aanmelden(args, eng, mag_artikel_bewerken, "de kennisbank te exporteren")
    with read_scope(eng) as session:
        aantal = exporteer(session, args.pad)
    print(f"{aantal} artikelen geëxporteerd naar {args.pad}.")
    return 0
