"""``kiss dienst``: run the service (phone webhook, mail, Open Klant), its status, and the
calls missed in the queue."""

from __future__ import annotations

import argparse
from typing import Any

from kiss.cli.common import CliFout, add_json, engine, print_json, settings


def register(sub: Any) -> None:
    dienst = sub.add_parser(
        "dienst",
        help="de dienst van een gedeelde installatie: telefonie-webhook, mail en Open Klant",
        description="Zonder opdracht start de dienst (tot SIGTERM of ctrl+c).",
    )
    dienst.add_argument("--adres", help="luisteradres (standaard 127.0.0.1)")
    dienst.add_argument("--poort", type=int, help="poort (standaard 8470; 0 = een vrije poort)")
    dienst.set_defaults(handler=run_dienst)
    dienst_sub = dienst.add_subparsers(dest="dienst_opdracht", metavar="OPDRACHT")
    status = dienst_sub.add_parser(
        "status", help="draait de dienst, en staan er mails in storing of geparkeerd?"
    )
    add_json(status)
    status.set_defaults(handler=run_status)
    gemist = dienst_sub.add_parser(
        "gemist", help="oproepen in de wachtrij die niemand heeft aangenomen (teamleiders)"
    )
    gemist.add_argument(
        "--periode", choices=("vandaag", "week"), default="vandaag", help="standaard vandaag"
    )
    add_json(gemist)
    gemist.set_defaults(handler=run_gemist)


def run_dienst(args: argparse.Namespace) -> int:
    import asyncio
    import logging
    import sys
    from dataclasses import replace

    from kiss.dienst.draaien import draai
    from kiss.dienst.instellingen import InstellingFout, laad

    try:
        instellingen = laad()
    except InstellingFout as exc:
        raise CliFout(str(exc), code=2) from exc
    if args.adres:
        instellingen = replace(instellingen, adres=args.adres)
    if args.poort is not None:
        if not 0 <= args.poort <= 65535:
            raise CliFout("--poort moet tussen 0 en 65535 liggen.", code=2)
        instellingen = replace(instellingen, poort=args.poort)
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    for naam in ("kiss", "aiohttp.access"):  # our own story and the (token-free) access log
        logging.getLogger(naam).setLevel(logging.INFO)
    eng = engine(args)

    def gestart(url: str) -> None:
        print(f"kiss dienst luistert op {url}", flush=True)

    try:
        # the organisation's settings are read from the database and followed while running
        asyncio.run(draai(eng, settings(args), instellingen, gestart=gestart))
    except OSError as exc:
        raise CliFout(
            f"Kan niet luisteren op {instellingen.adres}:{instellingen.poort}: {exc.strerror}"
        ) from exc
    finally:
        eng.dispose()
    return 0


def run_status(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.models import utcnow
    from kiss.services import uitgaand
    from kiss.services.telefonie import dienststatus
    from kiss.services.telefonie.luisteraar import HARTSLAG_MAX
    from kiss.weergave import tijdstip

    eng = engine(args)
    with read_scope(eng) as session:
        status = dienststatus.lees(session)
        mail = uitgaand.overzicht(session, "mail")
    nu = utcnow()
    draait = (
        status is not None and status.gestopt_op is None and nu - status.hartslag_op < HARTSLAG_MAX
    )
    if args.json:
        print_json(
            {
                "draait": draait,
                "hartslag_op": status.hartslag_op if status else None,
                "gestopt_op": status.gestopt_op if status else None,
                "mail": {
                    "wachtend": mail.wachtend,
                    "in_storing": mail.in_storing,
                    "laatste_fout": mail.laatste_fout,
                    "geparkeerd": [
                        {"id": g.id, "reden": g.reden, "pogingen": g.pogingen}
                        for g in mail.geparkeerd
                    ],
                },
            }
        )
    else:
        if status is None:
            print("kiss dienst heeft nog nooit gedraaid op deze database.")
        elif draait:
            print(f"kiss dienst draait (laatste hartslag {tijdstip(status.hartslag_op)}).")
        else:
            print(f"kiss dienst draait NIET (laatste hartslag {tijdstip(status.hartslag_op)}).")
        print(f"Mail: {mail.wachtend} wachtend, {mail.in_storing} in storing, "
              f"{len(mail.geparkeerd)} geparkeerd.")  # fmt: skip
        if mail.laatste_fout:
            print(f"Laatste fout: {mail.laatste_fout}")
        for g in mail.geparkeerd:
            print(f"  geparkeerd {g.id}: {g.reden} ({g.pogingen} pogingen)")
    return 0 if draait and not mail.geparkeerd else 1


def run_gemist(args: argparse.Namespace) -> int:
    from datetime import datetime, time, timedelta

    from kiss.db import read_scope, session_scope
    from kiss.models import utcnow
    from kiss.rollen import GeenToegang, mag_wachtrij_sturen, vereis
    from kiss.services.medewerkers import aanmelden
    from kiss.services.telefonie.oproepen import gemiste_oproepen
    from kiss.weergave import lokaal, tijdstip

    eng = engine(args)
    try:
        with session_scope(eng) as session:
            medewerker = aanmelden(session, args.medewerker)
            vereis(mag_wachtrij_sturen(medewerker), "gemiste oproepen te bekijken")
    except (LookupError, GeenToegang) as exc:
        raise CliFout(str(exc), code=2) from exc
    nu = utcnow()
    vandaag = lokaal(nu).date()
    begin = vandaag - timedelta(days=vandaag.weekday()) if args.periode == "week" else vandaag
    van = datetime.combine(begin, time(), tzinfo=lokaal(nu).tzinfo)
    with read_scope(eng) as session:
        rijen = gemiste_oproepen(session, van, nu + timedelta(seconds=1), nu=nu)
    if args.json:
        print_json(rijen)
        return 0
    if not rijen:
        print("Geen gemiste oproepen.")
    for r in rijen:
        print(f"{tijdstip(r.gestart_op)}  {r.terugbelnummer or 'anoniem':<16} {r.wachtrij:<20} "
              f"{r.reden}")  # fmt: skip
    return 0
