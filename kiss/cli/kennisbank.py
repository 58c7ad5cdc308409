"""``kiss kennisbank import|export``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiss.cli.common import CliFout, add_json, engine, print_json


def register(sub: Any) -> None:
    kb = sub.add_parser("kennisbank", help="kennisbankartikelen importeren, exporteren, zoeken")
    kb_sub = kb.add_subparsers(dest="kb_opdracht", metavar="OPDRACHT", required=True)
    imp = kb_sub.add_parser(
        "import", help="importeer een map met Markdown-bestanden of een .jsonl-bestand"
    )
    imp.add_argument("pad", type=Path)
    add_json(imp)
    imp.set_defaults(handler=run_import)
    exp = kb_sub.add_parser(
        "export", help="exporteer naar een map (Markdown) of een .jsonl-bestand"
    )
    exp.add_argument("pad", type=Path)
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.kennisbank.artikelen import importeer_pad

    if not args.pad.exists():
        raise CliFout(f"{args.pad} bestaat niet.")
    with session_scope(engine(args)) as session:
        verslag = importeer_pad(session, args.pad)
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


def run_export(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.kennisbank.artikelen import exporteer

    with read_scope(engine(args)) as session:
        aantal = exporteer(session, args.pad)
    print(f"{aantal} artikelen geëxporteerd naar {args.pad}.")
    return 0
