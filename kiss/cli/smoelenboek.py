"""``kiss smoelenboek import``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiss.cli.common import CliFout, add_json, engine, print_json


def register(sub: Any) -> None:
    sb = sub.add_parser("smoelenboek", help="medewerkers, afdelingen en organisaties")
    sb_sub = sb.add_subparsers(dest="sb_opdracht", metavar="OPDRACHT", required=True)
    imp = sb_sub.add_parser("import", help="importeer een map met CSV-bestanden")
    imp.add_argument("pad", type=Path)
    add_json(imp)
    imp.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.services.smoelenboek_import import BestandFout, importeer_map

    if not args.pad.is_dir():
        raise CliFout(f"{args.pad} is geen map met CSV-bestanden.")
    try:
        with session_scope(engine(args)) as session:
            verslag = importeer_map(session, args.pad)
    except BestandFout as exc:
        raise CliFout(f"Niets geïmporteerd: {exc}", code=2) from exc
    if args.json:
        print_json(
            {
                "toegevoegd": verslag.toegevoegd,
                "gewijzigd": verslag.gewijzigd,
                "ongewijzigd": verslag.ongewijzigd,
                "verwijderd": verslag.verwijderd,
                "fouten": [str(f) for f in verslag.fouten],
            }
        )
    else:
        print(verslag.samenvatting)
        for fout in verslag.fouten:
            print(f"  FOUT {fout}")
    return 0
