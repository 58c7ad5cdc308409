"""What every CLI command shares: global options, settings, engine, output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiss.config import Settings
    from kiss.models import Medewerker


class CliFout(Exception):
    """A Dutch message for the user and an exit code."""

    def __init__(self, melding: str, code: int = 1) -> None:
        super().__init__(melding)
        self.code = code


def databasefout(exc: BaseException) -> CliFout | None:
    """A Dutch :class:`CliFout` for a database that went away or refused, else None."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from kiss.db import DatabaseNietBeschikbaar, niet_beschikbaar

    if isinstance(exc, DatabaseNietBeschikbaar):
        return CliFout(str(exc))
    if not isinstance(exc, DBAPIError):
        return None
    tekst = str(getattr(exc, "orig", exc)).lower()
    if "permission denied" in tekst or "row-level security" in tekst:
        return CliFout("De database weigert dit voor uw login: daar heeft u geen rechten voor.", 2)
    if isinstance(exc, OperationalError) and "no such" not in tekst:
        return CliFout(str(niet_beschikbaar(exc)))  # gone, refused, timed out, locked
    return None


def add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        help="SQLite-bestand of postgresql+psycopg://…-URL (anders KISS_DATABASE_URL of het "
        "standaardbestand in de gebruikersmap)",
    )
    parser.add_argument(
        "--medewerker", metavar="WIE", help="gebruikersnaam, personeelsnummer of e-mail"
    )
    parser.add_argument("--gemeente", metavar="NAAM", help="standaardgemeente voor deze sessie")


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON")


def settings(args: argparse.Namespace) -> Settings:
    from dataclasses import replace

    from kiss.config import ConfigFout, load_settings

    try:
        result = load_settings()
    except ConfigFout as exc:
        raise CliFout(str(exc)) from exc
    if getattr(args, "database", None):
        result = replace(result, database_url=args.database)
    if getattr(args, "gemeente", None):
        result = replace(result, gemeente=args.gemeente)
    return result


def organisatie(args: argparse.Namespace, eng: Engine) -> Settings:
    """This workstation's settings with the organisation's from the database (Beheer, ``kiss
    beheer``): the same the TUI works with. A database without any: the defaults (or an old
    kiss.toml's values)."""
    from kiss.db import read_scope
    from kiss.services.beheer.instellingen import laad

    basis = settings(args)
    with read_scope(eng) as session:
        stand = laad(session)
    return basis.met_organisatie(stand.organisatie) if stand else basis


def engine(args: argparse.Namespace, *, migrate: bool = True) -> Engine:
    """The engine for this run. The embedded SQLite file is brought up to date; a shared
    PostgreSQL database is only checked (``kiss db upgrade`` is the owner's job)."""
    from kiss.db import (
        DatabaseNietBeschikbaar,
        GeenDatabaseToegang,
        SchemaVerouderd,
        bereid_voor,
        make_engine,
    )

    result = make_engine(settings(args).database_url)
    if migrate:
        try:
            bereid_voor(result)
        except DatabaseNietBeschikbaar as exc:
            raise CliFout(str(exc)) from exc
        except GeenDatabaseToegang as exc:
            raise CliFout(str(exc), GEEN_TOEGANG) from exc
        except SchemaVerouderd as exc:
            raise CliFout(str(exc), code=3) from exc
    return result


GEEN_TOEGANG = 2  # exit code of a refusal: no identity or not the right role


def aanmelden(
    args: argparse.Namespace,
    eng: Engine,
    mag: Callable[[Medewerker], bool] | None = None,
    wat: str = "",
) -> Medewerker:
    """The acting medewerker (see :func:`kiss.services.medewerkers.aanmelden`), refused with
    exit code 2 when nobody is logged in or ``mag`` says no (``wat``: "… te importeren")."""
    medewerker = aanmelden_of_eigenaar(args, eng, mag, wat, eigenaar_mag=False)
    if medewerker is None:  # cannot happen without eigenaar_mag; keeps the type honest
        raise CliFout("Niet aangemeld.", GEEN_TOEGANG)
    return medewerker


def aanmelden_of_eigenaar(
    args: argparse.Namespace,
    eng: Engine,
    mag: Callable[[Medewerker], bool] | None = None,
    wat: str = "",
    *,
    eigenaar_mag: bool = True,
) -> Medewerker | None:
    """As :func:`aanmelden`, but on PostgreSQL the owner role without a medewerker of its own
    gets ``None`` (it sets up a fresh install: the first smoelenboek, the first beheerder)."""
    if eigenaar_mag and eng.dialect.name == "postgresql" and not getattr(args, "medewerker", None):
        from kiss.db import session_scope
        from kiss.services.beveiliging.gebruikers import is_eigenaar
        from kiss.services.medewerkers import database_login, medewerker_voor_login

        with session_scope(eng) as session:
            if is_eigenaar(session) and not medewerker_voor_login(session, database_login(session)):
                return None
    from kiss.db import session_scope
    from kiss.rollen import GeenToegang, vereis
    from kiss.services.medewerkers import NietAangemeld
    from kiss.services.medewerkers import aanmelden as service_aanmelden

    if getattr(args, "medewerker", None) and eng.dialect.name == "postgresql":
        raise CliFout(
            "--medewerker werkt alleen met de lokale SQLite-database. Op een gedeelde "
            "PostgreSQL-database bent u de medewerker van uw databaselogin; log in met uw "
            "eigen gebruikersnaam.",
            GEEN_TOEGANG,
        )
    try:
        with session_scope(eng) as session:
            medewerker = service_aanmelden(session, getattr(args, "medewerker", None))
            if mag is not None:
                vereis(mag(medewerker), wat)
            return medewerker
    except (NietAangemeld, GeenToegang) as exc:
        raise CliFout(str(exc), GEEN_TOEGANG) from exc


def _default(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    raise TypeError(type(value))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, default=_default, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
