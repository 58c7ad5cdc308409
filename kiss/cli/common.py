"""What every CLI command shares: global options, settings, engine, output."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiss.config import Settings


class CliFout(Exception):
    """A Dutch message for the user and an exit code."""

    def __init__(self, melding: str, code: int = 1) -> None:
        super().__init__(melding)
        self.code = code


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


def engine(args: argparse.Namespace, *, migrate: bool = True) -> Engine:
    """The engine for this run; brings the schema up to date first."""
    from sqlalchemy.exc import OperationalError

    from kiss.db import make_engine, upgrade

    try:
        result = make_engine(settings(args).database_url)
        if migrate:
            upgrade(result)
    except OperationalError as exc:
        raise CliFout(f"Database niet bereikbaar: {exc.orig}") from exc
    return result


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
