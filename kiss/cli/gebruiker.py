"""``kiss gebruiker toevoegen|intrekken``: database logins for medewerkers (beheerder; the
owner role may always, to create the first beheerder)."""

from __future__ import annotations

import argparse
from typing import Any

from kiss.cli.common import GEEN_TOEGANG, CliFout, engine


def register(sub: Any) -> None:
    gebruiker = sub.add_parser("gebruiker", help="databaselogins van medewerkers beheren")
    g_sub = gebruiker.add_subparsers(dest="gebruiker_opdracht", metavar="OPDRACHT", required=True)
    toevoegen = g_sub.add_parser(
        "toevoegen",
        help="maak of koppel een login en geef die de rollen van de medewerker",
    )
    toevoegen.add_argument("gebruikersnaam", help="de databaselogin (bijv. jjansen)")
    toevoegen.add_argument(
        "--medewerker", dest="voor_medewerker", required=True, metavar="PERSONEELSNUMMER",
        help="personeelsnummer, gebruikersnaam of e-mail uit het smoelenboek",
    )  # fmt: skip
    toevoegen.add_argument(
        "--wachtwoord-vragen",
        action="store_true",
        help="vraag een wachtwoord (niet nodig bij LDAP of Kerberos)",
    )
    toevoegen.set_defaults(handler=run_toevoegen)
    intrekken = g_sub.add_parser("intrekken", help="ontkoppel een login en ontneem de rollen")
    intrekken.add_argument("gebruikersnaam")
    intrekken.set_defaults(handler=run_intrekken)


def _door(args: argparse.Namespace, eng: Any) -> Any:
    """The acting beheerder, or None for the owner role (checked again by the service)."""
    from kiss.cli.common import aanmelden_of_eigenaar
    from kiss.rollen import mag_gebruikers_beheren

    return aanmelden_of_eigenaar(args, eng, mag_gebruikers_beheren, "gebruikers te beheren")


def _wachtwoord() -> str:
    import getpass

    eerste = getpass.getpass("Wachtwoord: ")
    if len(eerste) < 12:
        raise CliFout("Een wachtwoord heeft minstens 12 tekens.", 2)
    if getpass.getpass("Nog een keer: ") != eerste:
        raise CliFout("De wachtwoorden zijn niet gelijk; er is niets veranderd.", 2)
    return eerste


def run_toevoegen(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.rollen import GeenToegang
    from kiss.services.beveiliging.gebruikers import GebruikerFout, voeg_toe

    eng = engine(args)
    door = _door(args, eng)
    wachtwoord = _wachtwoord() if args.wachtwoord_vragen else None
    try:
        with session_scope(eng) as session:
            koppeling = voeg_toe(
                session, args.gebruikersnaam, args.voor_medewerker, door=door,
                wachtwoord=wachtwoord,
            )  # fmt: skip
    except GeenToegang as exc:
        raise CliFout(str(exc), GEEN_TOEGANG) from exc
    except GebruikerFout as exc:
        raise CliFout(str(exc), 2) from exc
    nieuw = "aangemaakt en gekoppeld" if koppeling.nieuwe_login else "gekoppeld"
    print(f"Login {koppeling.login} {nieuw} aan {koppeling.medewerker}.")
    if koppeling.groepsrollen:
        print(f"  Groepsrollen: {', '.join(koppeling.groepsrollen)}")
    return 0


def run_intrekken(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.rollen import GeenToegang
    from kiss.services.beveiliging.gebruikers import GebruikerFout, trek_in

    eng = engine(args)
    door = _door(args, eng)
    try:
        with session_scope(eng) as session:
            naam = trek_in(session, args.gebruikersnaam, door=door)
    except GeenToegang as exc:
        raise CliFout(str(exc), GEEN_TOEGANG) from exc
    except GebruikerFout as exc:
        raise CliFout(str(exc), 2) from exc
    print(f"Login {args.gebruikersnaam} ingetrokken: {naam} heeft geen KISS-rechten meer.")
    return 0
