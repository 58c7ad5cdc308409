"""The ``kiss`` command: starts the TUI, or runs one job headlessly (``--json`` for scripts).

Area modules register their own sub-commands; heavy imports happen inside the handlers so
``kiss --help`` and the TUI start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kiss.cli import (
    audit,
    basis,
    beheer,
    dienst,
    email,
    gebruiker,
    kennisbank,
    klant,
    openklant,
    rapport,
    smoelenboek,
    terugbel,
    vragenset,
    web,
)
from kiss.cli.common import CliFout, add_global_options, databasefout

AREAS = (
    basis,
    klant,
    kennisbank,
    smoelenboek,
    terugbel,
    rapport,
    dienst,
    email,
    gebruiker,
    audit,
    openklant,
    web,
    beheer,
    vragenset,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiss",
        description="KISS: het klantcontactsysteem van het KCC. Zonder opdracht start de TUI.",
    )
    add_global_options(parser)
    parser.add_argument(
        "--demo", action="store_true", help="laad demogegevens als de database leeg is, en start"
    )
    sub = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT")
    for area in AREAS:
        area.register(sub)
    parser.set_defaults(handler=basis.start_tui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, where it is handled, not at exit
        return code
    except CliFout as fout:
        print(f"kiss: {fout}", file=sys.stderr)
        return fout.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`kiss … | head`): stop quietly, as other tools do
        _stil_na_gebroken_pijp()
        return 141
    except Exception as exc:  # the database failed halfway: Dutch, no traceback, no password
        fout = databasefout(exc)
        if fout is None:
            raise
        print(f"kiss: {fout}", file=sys.stderr)
        return fout.code


def _stil_na_gebroken_pijp() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
