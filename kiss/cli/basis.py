"""``kiss`` (the TUI), ``kiss demo``, ``kiss opschonen``, ``kiss db upgrade|kopieer``."""

from __future__ import annotations

import argparse
from typing import Any

from kiss.cli.common import GEEN_TOEGANG, CliFout, aanmelden, engine, organisatie, settings


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
    upgrade.add_argument(
        "--rol-voorvoegsel",
        metavar="VOORVOEGSEL",
        help="PostgreSQL: voorvoegsel van de groepsrollen (standaard KISS_ROL_VOORVOEGSEL "
        "of kiss_)",
    )
    upgrade.set_defaults(handler=run_upgrade)
    kopieer = db_sub.add_parser(
        "kopieer", help="kopieer deze (SQLite-)database naar een lege gedeelde database"
    )
    kopieer.add_argument("--naar", required=True, metavar="URL", help="postgresql+psycopg://…")
    kopieer.set_defaults(handler=run_kopieer)


def run_upgrade(args: argparse.Namespace) -> int:
    """Migrations (behind an advisory lock on PostgreSQL), then on PostgreSQL the group roles,
    grants, row-level security and functions. Only the owner role may do this there."""
    from sqlalchemy.exc import DBAPIError

    from kiss.db import (
        current_revision,
        is_postgres,
        make_engine,
        niet_beschikbaar,
        upgrade,
        upgrade_lock,
    )

    eng = make_engine(settings(args).database_url)
    try:
        if is_postgres(eng):
            from kiss.services.beveiliging.groepsrollen import voorvoegsel
            from kiss.services.beveiliging.inrichten import richt_in

            try:
                prefix = voorvoegsel(args.rol_voorvoegsel)
            except ValueError as exc:
                raise CliFout(str(exc), 2) from exc
            _alleen_eigenaar(eng)
            upgrade(eng)
            with upgrade_lock(eng), eng.begin() as connection:
                richt_in(connection, prefix)
        else:
            upgrade(eng)
        versie = current_revision(eng)
    except DBAPIError as exc:
        raise CliFout(str(niet_beschikbaar(exc, eng))) from exc
    print(f"Database is bijgewerkt (schemaversie {versie}).")
    return 0


def _alleen_eigenaar(eng: Any) -> None:
    """On PostgreSQL the schema belongs to the owner role; an agent's login may not change it."""
    from sqlalchemy import text

    with eng.connect() as connection:
        eigenaar = connection.execute(
            text(
                "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename = 'alembic_version'"
            )
        ).scalar_one_or_none()
        if eigenaar is None:
            mag = connection.execute(
                text("SELECT has_schema_privilege(current_schema(), 'CREATE')")
            ).scalar_one()
        else:
            mag = connection.execute(
                text("SELECT pg_has_role(session_user, :e, 'MEMBER')"), {"e": eigenaar}
            ).scalar_one()
        login = connection.execute(text("SELECT session_user")).scalar_one()
    if not mag:
        raise CliFout(
            f"Alleen de eigenaarsrol van de database mag het schema bijwerken; u bent "
            f"ingelogd als '{login}'.",
            GEEN_TOEGANG,
        )


def run_kopieer(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from kiss.db import is_postgres, make_engine, niet_beschikbaar, verberg_wachtwoord
    from kiss.rollen import BEHEERDER, heeft_rol
    from kiss.services.kopieer import DoelNietLeeg, kopieer
    from kiss.validation import ValidatieFout

    bron = engine(args)
    aanmelden(args, bron, lambda m: heeft_rol(m, BEHEERDER), "de database te kopiëren")
    if not is_postgres(args.naar):
        raise CliFout("--naar moet een postgresql+psycopg://…-URL zijn.", 2)
    doel = make_engine(args.naar)
    try:
        verslag = kopieer(bron, doel)
    except (DoelNietLeeg, ValidatieFout) as exc:
        raise CliFout(f"Niets gekopieerd: {exc}", 2) from exc
    except DBAPIError as exc:
        raise CliFout(str(niet_beschikbaar(exc, doel))) from exc
    print(f"Gekopieerd naar {verberg_wachtwoord(doel.url.render_as_string())}:")
    for tabel, (bron_aantal, doel_aantal) in verslag.items():
        teken = "" if bron_aantal == doel_aantal else "  VERSCHIL"
        print(f"  {tabel:<24} {bron_aantal:>9} → {doel_aantal:>9}{teken}")
    if any(a != b for a, b in verslag.values()):
        raise CliFout("De aantallen verschillen; controleer de doeldatabase.", 1)
    print("Alle aantallen gelijk.")
    return 0


def run_opschonen(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from kiss.db import session_scope
    from kiss.rollen import GeenToegang, mag_opschonen
    from kiss.services.bewaartermijn import schoon_op
    from kiss.validation import ValidatieFout
    from kiss.weergave import datum

    eng = engine(args)
    door = aanmelden(args, eng, mag_opschonen, "gegevens op te schonen (bewaartermijn)")
    instellingen = organisatie(args, eng)
    try:
        with session_scope(eng) as session:
            verslag = schoon_op(
                session,
                door=door,
                nu=datetime.now(UTC),
                contactmomenten_dagen=instellingen.bewaartermijn_contactmomenten_dagen,
                audit_dagen=instellingen.bewaartermijn_audit_dagen,
                droog=args.droog,
            )
    except ValidatieFout as exc:
        raise CliFout(f"Niets verwijderd: {exc}", 2) from exc
    except GeenToegang as exc:
        raise CliFout(str(exc), GEEN_TOEGANG) from exc
    werkwoord = "te verwijderen" if args.droog else "verwijderd"
    print(
        f"Bewaartermijn tot {datum(verslag.grens.date())}: {verslag.contactmomenten} "
        f"contactmomenten, {verslag.terugbelnotities} afgehandelde terugbelnotities "
        f"({verslag.terugbelpogingen} belpogingen, {verslag.overdrachten} overdrachten), "
        f"{verslag.klanten} klanten ({verslag.digitale_adressen} digitale adressen, "
        f"{verslag.zaken} zaken) en {verslag.auditregels} auditregels {werkwoord}."
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
    from sqlalchemy import select

    from kiss.db import read_scope
    from kiss.demo import genereer
    from kiss.models import Klant
    from kiss.rollen import BEHEERDER, heeft_rol

    eng = engine(args)
    with read_scope(eng) as session:
        leeg = session.execute(select(Klant.id).limit(1)).first() is None
    if not leeg:  # an empty database may be filled by whoever set it up
        aanmelden(args, eng, lambda m: heeft_rol(m, BEHEERDER), "demogegevens te laden")
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

    if not login_indien_nodig(args):
        return 1
    eng = engine(args)
    aanmelden(args, eng)  # on PostgreSQL: --medewerker refused, the login must be a medewerker
    app = KissApp(
        settings=settings(args),
        engine=eng,
        medewerker=args.medewerker,
        demo=getattr(args, "demo", False),
    )
    app.run()
    return app.return_code or 0


def login_indien_nodig(args: argparse.Namespace) -> bool:
    """Before a TUI starts on PostgreSQL: ask gebruikersnaam and wachtwoord when the database
    wants a password that nothing else supplies (the URL, a passfile, a service file,
    Kerberos). False when the user gave up."""
    url = settings(args).database_url
    if not _vraag_login(url):
        return True
    from kiss.screens.inloggen import vraag_login

    met_login = vraag_login(url or "")
    if met_login is None:
        return False
    args.database = met_login  # in memory only, for this run's engine
    return True


def _vraag_login(url: str | None) -> bool:
    """PostgreSQL without a user in the URL and no libpq way to log in without asking."""
    from kiss.db import database_url, is_postgres
    from kiss.services.beveiliging.verbinding import heeft_eigen_login

    return is_postgres(url or database_url()) and not heeft_eigen_login(url or database_url())
