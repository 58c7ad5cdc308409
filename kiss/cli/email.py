"""``kiss email``: the central mailbox from the command line.

- ``kiss email ophalen``: one fetch round now (what ``kiss dienst`` does every half minute),
  for a first connection test or cron; exit 1 with a Dutch message when the mailbox fails;
- ``kiss email status [--json]``: last fetch, the queue, outgoing mail waiting or parked;
- ``kiss email wachtrij [--json]``: the mails waiting for an answer, earliest deadline first;
- ``kiss email sjabloon lijst`` / ``sjabloon zet NAAM --bestand PAD [--onderwerp O]``: the
  answer templates (setting one: redacteur or beheerder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiss.cli.common import CliFout, aanmelden, engine, print_json, settings


def register(sub: Any) -> None:
    email = sub.add_parser(
        "email",
        help="de centrale mailbox: ophalen, wachtrij, antwoordsjablonen",
        description="De centrale mailbox (zie de README, 'Centrale mailbox koppelen').",
    )
    delen = email.add_subparsers(dest="email_opdracht", metavar="OPDRACHT", required=True)
    ophalen = delen.add_parser("ophalen", help="nu één keer nieuwe mail ophalen")
    ophalen.set_defaults(handler=run_ophalen)
    status = delen.add_parser(
        "status", help="laatste ophaalronde, wachtrij en uitgaande mail (exit 1 bij geparkeerd)"
    )
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=run_status)
    wachtrij = delen.add_parser("wachtrij", help="mails die op antwoord wachten")
    wachtrij.add_argument("--json", action="store_true")
    wachtrij.set_defaults(handler=run_wachtrij)
    sjabloon = delen.add_parser("sjabloon", help="antwoordsjablonen")
    sjabloon_delen = sjabloon.add_subparsers(dest="sjabloon_opdracht", required=True)
    lijst = sjabloon_delen.add_parser("lijst", help="alle sjablonen")
    lijst.add_argument("--json", action="store_true")
    lijst.set_defaults(handler=run_sjabloon_lijst)
    zet = sjabloon_delen.add_parser(
        "zet",
        help="een sjabloon maken of vervangen (redacteur); plaatshouders {naam}, {datum}, "
        "{deadline}, {kenmerk}, {medewerker}",
    )
    zet.add_argument("naam")
    zet.add_argument("--bestand", required=True, type=Path, help="de tekst (UTF-8)")
    zet.add_argument("--onderwerp", default="")
    zet.set_defaults(handler=run_sjabloon_zet)


def run_ophalen(args: argparse.Namespace) -> int:
    from kiss.models import utcnow
    from kiss.rollen import BEHEERDER, heeft_rol
    from kiss.services.email import instellingen, ophalen

    eng = engine(args)
    aanmelden(args, eng, lambda m: heeft_rol(m, BEHEERDER), "de mailbox op te halen")
    try:
        gekozen = instellingen.laad()
    except instellingen.EmailInstellingFout as exc:
        raise CliFout(str(exc), code=2) from exc
    if not gekozen.actief:
        raise CliFout("Geen mailbox ingesteld: zet [email] imap_host in kiss.toml.", code=2)
    try:
        resultaat = ophalen.haal_op(eng, gekozen, settings(args), klok=utcnow)
    except ophalen.OphaalFout as exc:
        raise CliFout(str(exc), code=1) from exc
    print(
        f"{resultaat.gelezen} gelezen, {resultaat.nieuw} nieuw, {resultaat.dubbel} al bekend, "
        f"{resultaat.bevestigd} ontvangstbevestiging(en) klaargezet."
    )
    return 0


def run_status(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from kiss.db import read_scope
    from kiss.models import utcnow
    from kiss.models.email import EmailPostvak
    from kiss.rollen import mag_klanten_zien
    from kiss.services import uitgaand
    from kiss.services.email import wachtrij
    from kiss.services.email.ontvangen import SOORT
    from kiss.weergave import tijdstip

    eng = engine(args)
    aanmelden(args, eng, mag_klanten_zien, "de mailbox te bekijken")
    with read_scope(eng) as session:
        postvakken = list(session.execute(select(EmailPostvak)).scalars())
        telling = wachtrij.tellingen(session, utcnow())
        uit = uitgaand.overzicht(session, SOORT)
    if args.json:
        print_json(
            {
                "opgehaald": {p.naam: p.opgehaald_op for p in postvakken},
                "wachtrij": telling,
                "uitgaand": {
                    "wachtend": uit.wachtend,
                    "in_storing": uit.in_storing,
                    "laatste_fout": uit.laatste_fout,
                    "geparkeerd": [{"id": g.id, "reden": g.reden} for g in uit.geparkeerd],
                },
            }
        )
    else:
        for p in postvakken:
            print(f"Map {p.naam}: laatst opgehaald {tijdstip(p.opgehaald_op) or 'nooit'}.")
        if not postvakken:
            print("De mailbox is nog nooit opgehaald.")
        wacht = sum(v for k, v in telling.items() if k != "te_laat")
        print(f"Wachtrij: {wacht} wachten op antwoord, {telling.get('te_laat', 0)} te laat.")
        print(f"Uitgaand: {uit.wachtend} wachtend, {uit.in_storing} in storing, "
              f"{len(uit.geparkeerd)} geparkeerd.")  # fmt: skip
        if uit.laatste_fout:
            print(f"Laatste fout: {uit.laatste_fout}")
        for g in uit.geparkeerd:
            print(f"  geparkeerd {g.id}: {g.reden}")
    return 1 if uit.geparkeerd else 0


def run_wachtrij(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.rollen import mag_klanten_zien
    from kiss.services.email import wachtrij
    from kiss.weergave import kort_tijdstip

    eng = engine(args)
    wie = aanmelden(args, eng, mag_klanten_zien, "de e-mail van klanten te zien")
    with read_scope(eng) as session:
        regels = wachtrij.wachtrij(session, wie)
    if args.json:
        print_json([r.__dict__ | {"van": r.van} for r in regels])
        return 0
    for r in regels:
        sys.stdout.write(
            f"{kort_tijdstip(r.deadline)}  {r.status:<14} {r.van[:30]:<30} {r.onderwerp[:60]}\n"
        )
    if not regels:
        print("Er wacht geen mail op antwoord.")
    return 0


def run_sjabloon_lijst(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.services.email import sjablonen

    eng = engine(args)
    aanmelden(args, eng)
    with read_scope(eng) as session:
        lijst = sjablonen.lijst(session)
    if args.json:
        print_json([s.__dict__ for s in lijst])
    else:
        for s in lijst:
            print(f"{s.naam}: {s.tekst.splitlines()[0] if s.tekst else ''}")
    return 0


def run_sjabloon_zet(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.models import utcnow
    from kiss.services.email import sjablonen

    try:
        tekst = args.bestand.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliFout(f"{args.bestand} is niet te lezen als UTF-8-tekst.", code=2) from exc
    from kiss.rollen import mag_artikel_bewerken

    eng = engine(args)
    wie = aanmelden(args, eng, mag_artikel_bewerken, "antwoordsjablonen te beheren")
    with session_scope(eng) as session:
        bestaand = {s.naam.casefold(): s.id for s in sjablonen.lijst(session)}
        try:
            sjablonen.bewaar(
                session, wie, naam=args.naam, tekst=tekst, onderwerp=args.onderwerp,
                sjabloon_id=bestaand.get(args.naam.strip().casefold()), nu=utcnow(),
            )  # fmt: skip
        except sjablonen.SjabloonFout as exc:
            raise CliFout(" ".join(exc.fouten.values()), code=2) from exc
    print(f"Sjabloon '{args.naam.strip()}' bewaard.")
    return 0
