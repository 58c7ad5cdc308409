"""``kiss web``: the same desk in a browser tab, through textual-serve.

Every browser tab starts its own ``kiss`` process (its own session; on a shared PostgreSQL
install with its own login). The server listens on loopback unless told otherwise; put it
behind the municipality's reverse proxy (TLS, single sign-on) for use from other machines.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from typing import Any

from kiss.cli.common import CliFout, settings


def register(sub: Any) -> None:
    web = sub.add_parser(
        "web",
        help="dezelfde KISS in de browser (elk tabblad een eigen sessie); standaard alleen "
        "bereikbaar vanaf deze computer",
    )
    web.add_argument("--poort", type=int, default=8000, help="TCP-poort (standaard 8000)")
    web.add_argument(
        "--adres",
        default="127.0.0.1",
        help="luisteradres (standaard 127.0.0.1; gebruik een reverse proxy voor andere computers)",
    )
    web.add_argument(
        "--publieke-url",
        metavar="URL",
        help="het adres waarop gebruikers KISS openen achter de reverse proxy, "
        "bijv. https://kiss.gemeente.example",
    )
    web.set_defaults(handler=run_web)


def opdracht(args: argparse.Namespace) -> str:
    """The command each browser tab runs: this Python, this KISS, the same session options.
    The database URL travels in the environment, never on a command line others can read."""
    delen = [sys.executable, "-m", "kiss"]
    if args.medewerker:
        delen += ["--medewerker", args.medewerker]
    if args.gemeente:
        delen += ["--gemeente", args.gemeente]
    return " ".join(shlex.quote(deel) for deel in delen)


def run_web(args: argparse.Namespace) -> int:
    if not 1 <= args.poort <= 65535:
        raise CliFout(f"Poort {args.poort} bestaat niet; kies 1–65535.", code=2)
    try:
        from kiss.cli.web_server import KissServer
    except ImportError as exc:
        raise CliFout(
            "kiss web heeft textual-serve nodig: installeer met pip install 'kiss[web]'."
        ) from exc
    instellingen = settings(args)
    if instellingen.database_url:
        os.environ["KISS_DATABASE_URL"] = instellingen.database_url
    server = KissServer(
        opdracht(args),
        host=args.adres,
        port=args.poort,
        title="KISS",
        public_url=args.publieke_url,
    )
    print(f"KISS in de browser: {server.public_url} (ctrl+c stopt)", file=sys.stderr)
    server.serve()
    return 0
