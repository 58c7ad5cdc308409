"""``kiss terugbel lijst`` (queues for scripts and cron) and ``kiss terugbel deadline``."""

from __future__ import annotations

import argparse
from typing import Any

from kiss.cli.common import (
    CliFout,
    aanmelden,
    add_json,
    engine,
    organisatie,
    print_json,
    settings,
)

WACHTRIJEN = ("mijn", "team", "afdeling", "alles")


def register(sub: Any) -> None:
    terugbel = sub.add_parser("terugbel", help="terugbelnotities: wachtrijen en deadlines")
    terugbel_sub = terugbel.add_subparsers(
        dest="terugbel_opdracht", metavar="OPDRACHT", required=True
    )
    lijst = terugbel_sub.add_parser(
        "lijst", help="een wachtrij, gesorteerd op deadline (bijv. dagelijks: --te-laat --json)"
    )
    lijst.add_argument(
        "--wachtrij",
        choices=WACHTRIJEN,
        help="mijn, team, afdeling of alles (standaard: alles voor teamleiders, anders mijn)",
    )
    lijst.add_argument("--team", metavar="T", help="alleen notities van dit team (naam)")
    lijst.add_argument("--te-laat", action="store_true", help="alleen notities over de deadline")
    lijst.add_argument(
        "--status",
        choices=("open", "in_behandeling", "afgehandeld"),
        help="alleen deze status (standaard: open en in behandeling)",
    )
    lijst.add_argument("--zoek", default="", help="telefoonnummer of klantnaam")
    lijst.add_argument("--max", type=int, default=50, help="hoogstens zoveel notities (1–500)")
    lijst.add_argument(
        "--op",
        metavar="MOMENT",
        help="de stand op dit moment (bijv. 2026-12-24T17:00); standaard nu",
    )
    add_json(lijst)
    lijst.set_defaults(handler=run_lijst)

    deadline = terugbel_sub.add_parser(
        "deadline", help="de terugbeldeadline voor een notitie gemaakt op een moment"
    )
    deadline.add_argument(
        "--vanaf",
        metavar="MOMENT",
        help="bijv. 2026-12-24T10:00 (zonder tijdzone: Nederlandse tijd); standaard nu",
    )
    add_json(deadline)
    deadline.set_defaults(handler=run_deadline)


def _norm_instellingen(args: argparse.Namespace) -> Any:
    """The organisation's servicenorm from the database; without a database named and no
    local database file yet (a quick calculation on any machine): the default norm."""
    from pathlib import Path

    from kiss.db import database_url

    url = database_url(settings(args).database_url)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return settings(args)
    return organisatie(args, engine(args))


def run_deadline(args: argparse.Namespace) -> int:
    from kiss.models import utcnow
    from kiss.services.terugbel.deadline import bereken_deadline
    from kiss.services.terugbel.servicenorm import parse_moment
    from kiss.weergave import lang_tijdstip, lokaal

    instellingen = _norm_instellingen(args)
    try:
        vanaf = parse_moment(args.vanaf) if args.vanaf else utcnow()
        deadline = bereken_deadline(vanaf, instellingen)
    except (TypeError, ValueError) as exc:
        raise CliFout(str(exc), code=2) from exc
    if args.json:
        print_json(
            {
                "vanaf": lokaal(vanaf).isoformat(),
                "deadline": lokaal(deadline).isoformat(),
                "deadline_utc": deadline.isoformat(),
                "uren": instellingen.servicenorm.uren,
                "soort": instellingen.servicenorm.soort,
            }
        )
        return 0
    print(lang_tijdstip(deadline))
    return 0


def run_lijst(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from kiss.db import read_scope
    from kiss.models import Team, utcnow
    from kiss.rollen import GeenToegang, mag_terugbelnotities_zien, mag_wachtrij_sturen
    from kiss.services.terugbel.servicenorm import parse_moment
    from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort
    from kiss.services.terugbel.wachtrij import (
        GeenWachtrij,
        WachtrijFilter,
        WachtrijSoort,
        wachtrij,
    )
    from kiss.weergave import tijdstip

    if not 1 <= args.max <= 500:
        raise CliFout("--max moet tussen 1 en 500 liggen.", code=2)
    try:
        nu = parse_moment(args.op) if args.op else utcnow()
    except ValueError as exc:
        raise CliFout(str(exc), code=2) from exc
    eng = engine(args)
    medewerker = aanmelden(args, eng, mag_terugbelnotities_zien, "terugbelnotities te bekijken")
    instellingen = organisatie(args, eng)
    with read_scope(eng) as session:
        doel = None
        if args.team:
            team = session.execute(select(Team).where(Team.naam == args.team)).scalar_one_or_none()
            if team is None:
                namen = ", ".join(session.execute(select(Team.naam).order_by(Team.naam)).scalars())
                raise CliFout(f"Team '{args.team}' bestaat niet. Teams: {namen or 'geen'}.")
            doel = Doel(DoelSoort.TEAM, team.id, team.naam)
        soort = args.wachtrij or (
            "alles" if doel is not None or mag_wachtrij_sturen(medewerker) else "mijn"
        )
        filter = WachtrijFilter(
            status=args.status or "",
            toegewezen_aan=doel,
            zoektekst=args.zoek,
            te_laat=args.te_laat,
        )
        try:
            pagina = wachtrij(
                session, medewerker, soort, filter, nu=nu, settings=instellingen, limit=args.max
            )
        except (GeenWachtrij, GeenToegang) as exc:
            raise CliFout(str(exc)) from exc
    if args.json:
        print_json(
            {
                "wachtrij": soort,
                "team": args.team,
                "meer": pagina.meer,
                "notities": [
                    {
                        "id": r.id,
                        "deadline": r.deadline,
                        "staat": r.staat.value,
                        "status": r.status,
                        "klant": r.klant_naam,
                        "terugbelnummer": r.terugbelnummer,
                        "gemeente": r.gemeente,
                        "toegewezen_aan": r.toegewezen_aan,
                        "behandelaar": r.behandelaar,
                        "vraag": r.vraag,
                    }
                    for r in pagina.regels
                ],
            }
        )
        return 0
    titel = WachtrijSoort(soort).label + (f" · team {args.team}" if args.team else "")
    print(f"{titel}: {len(pagina.regels)} notitie(s){' (er zijn er meer)' if pagina.meer else ''}")
    for r in pagina.regels:
        print(
            f"  {tijdstip(r.deadline)}  {r.staat.omschrijving:<14} {r.status:<14} "
            f"{(r.klant_naam or '(anoniem)')[:28]:<28} {r.terugbelnummer:<16} "
            f"{r.toegewezen_aan[:28]:<28} {r.vraag[:40]}"
        )
    return 0
