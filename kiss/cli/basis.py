"""``kiss`` (the TUI), ``kiss demo`` and ``kiss db upgrade``."""

from __future__ import annotations

import argparse
from typing import Any

from kiss.cli.common import CliFout, engine, settings


def register(sub: Any) -> None:
    demo = sub.add_parser("demo", help="vul de database met (fictieve) demogegevens")
    demo.add_argument("--klanten", type=int, default=320, help="aantal klanten (standaard 320)")
    demo.add_argument("--contactmomenten", type=int, default=None)
    demo.add_argument("--seed", type=int, default=2026, help="zaadgetal voor de generator")
    demo.set_defaults(handler=run_demo)

    opschonen = sub.add_parser(
        "opschonen", help="verwijder gegevens die ouder zijn dan de bewaartermijn"
    )
    opschonen.add_argument("--droog", action="store_true", help="alleen tellen, niets verwijderen")
    opschonen.set_defaults(handler=run_opschonen)

    db = sub.add_parser("db", help="databasebeheer")
    db_sub = db.add_subparsers(dest="db_opdracht", metavar="OPDRACHT", required=True)
    upgrade = db_sub.add_parser("upgrade", help="breng het databaseschema naar de nieuwste versie")
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from kiss.db import current_revision

    eng = engine(args)
    print(f"Database is bijgewerkt (schemaversie {current_revision(eng)}).")
    return 0


def run_opschonen(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from kiss.db import session_scope
    from kiss.services.bewaartermijn import schoon_op
    from kiss.weergave import datum

    instellingen = settings(args)
    with session_scope(engine(args)) as session:
        verslag = schoon_op(
            session,
            nu=datetime.now(UTC),
            contactmomenten_dagen=instellingen.bewaartermijn_contactmomenten_dagen,
            audit_dagen=instellingen.bewaartermijn_audit_dagen,
            droog=args.droog,
        )
    werkwoord = "te verwijderen" if args.droog else "verwijderd"
    print(
        f"Bewaartermijn tot {datum(verslag.grens.date())}: {verslag.contactmomenten} "
        f"contactmomenten, {verslag.terugbelnotities} afgehandelde terugbelnotities en "
        f"{verslag.auditregels} auditregels {werkwoord}."
    )
    return 0


def _demo_omvang(args: argparse.Namespace) -> Any:
    from kiss.demo import DemoOmvang

    if args.klanten < 1:
        raise CliFout("--klanten moet minstens 1 zijn.")
    factor = args.klanten / 320
    return DemoOmvang(
        klanten=args.klanten,
        contactmomenten=args.contactmomenten or max(2000, int(2000 * factor)),
        zaken=max(150, int(150 * factor)),
        terugbelnotities=max(220, int(220 * factor)),
    )


def run_demo(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from kiss.demo import genereer

    eng = engine(args)
    with Progress(transient=True) as progress:
        taken: dict[str, Any] = {}

        def voortgang(wat: str, klaar: int, totaal: int) -> None:
            if wat not in taken:
                taken[wat] = progress.add_task(wat, total=totaal)
            progress.update(taken[wat], completed=klaar, total=max(totaal, klaar))

        verslag = genereer(
            eng, settings(args), omvang=_demo_omvang(args), seed=args.seed, voortgang=voortgang
        )
    for melding in verslag.meldingen:
        print(melding)
    for wat, aantal in verslag.tellingen.items():
        print(f"{aantal:>9} {wat.replace('_', ' ')}")
    return 0


def start_tui(args: argparse.Namespace) -> int:
    from kiss.app import KissApp

    app = KissApp(
        settings=settings(args),
        engine=engine(args),
        medewerker=args.medewerker,
        demo=getattr(args, "demo", False),
    )
    app.run()
    return app.return_code or 0
