"""``kiss beheer export PAD`` / ``kiss beheer import PAD``: the organisation's settings as TOML,
e.g. from a test to a production install, or an old ``kiss.toml`` into the database.
Beheerders only (exit code 2 otherwise)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiss.cli.common import GEEN_TOEGANG, CliFout, aanmelden, engine


def register(sub: Any) -> None:
    beheer = sub.add_parser("beheer", help="instellingen van de organisatie exporteren/importeren")
    b_sub = beheer.add_subparsers(dest="beheer_opdracht", metavar="OPDRACHT", required=True)
    export = b_sub.add_parser("export", help="schrijf de instellingen naar een TOML-bestand")
    export.add_argument("pad", metavar="PAD", help="het TOML-bestand ('-' voor stdout)")
    export.set_defaults(handler=run_export)
    importeer = b_sub.add_parser(
        "import", help="lees instellingen uit een TOML-bestand (ook een oude kiss.toml)"
    )
    importeer.add_argument("pad", metavar="PAD", help="het TOML-bestand")
    importeer.add_argument(
        "--droog", action="store_true", help="alleen controleren en tonen wat verandert"
    )
    importeer.set_defaults(handler=run_import)


def _beheerder(args: argparse.Namespace, eng: Any, wat: str) -> Any:
    from kiss.services.beheer.instellingen import mag_beheren

    return aanmelden(args, eng, mag_beheren, wat)


def run_export(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.models import utcnow
    from kiss.services.beheer import instellingen
    from kiss.weergave import tijdstip

    eng = engine(args)
    _beheerder(args, eng, "de instellingen te exporteren")
    with read_scope(eng) as session:
        stand = instellingen.laad(session)
    if stand is None:
        from kiss.config import Organisatie

        stand = instellingen.Stand(Organisatie(), 0)
    kop = (
        f"KISS-instellingen van de organisatie, versie {stand.versie}, geëxporteerd "
        f"{tijdstip(utcnow())}.\nInlezen met: kiss beheer import PAD"
    )
    tekst = instellingen.naar_toml(stand.organisatie, kop=kop)
    if args.pad == "-":
        print(tekst, end="")
        return 0
    try:
        Path(args.pad).write_text(tekst, encoding="utf-8")
    except OSError as exc:
        raise CliFout(f"Kan {args.pad} niet schrijven: {exc.strerror or exc}.") from None
    print(f"Instellingen (versie {stand.versie}) geschreven naar {args.pad}.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from kiss.config import ConfigFout, OngeldigeInstellingen
    from kiss.db import read_scope, session_scope
    from kiss.models import utcnow
    from kiss.rollen import GeenToegang
    from kiss.services.beheer import instellingen

    eng = engine(args)
    door = _beheerder(args, eng, "de instellingen te importeren")
    try:
        tekst = Path(args.pad).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliFout(
            f"Kan {args.pad} niet lezen: {getattr(exc, 'strerror', None) or exc}.", 2
        ) from None
    with read_scope(eng) as session:
        huidig = instellingen.laad(session)
    basis = huidig.organisatie if huidig else None
    try:
        with read_scope(eng) as session:  # the klachtencoördinator must exist
            org = instellingen.uit_toml(tekst, basis, session)
    except OngeldigeInstellingen as fout:
        regels = "\n".join(f"  {veld}: {melding}" for veld, melding in fout.fouten.items())
        raise CliFout(f"{args.pad} niet ingelezen, verbeter eerst:\n{regels}", 2) from None
    except ConfigFout as fout:
        raise CliFout(f"{args.pad} niet ingelezen: {fout}", 2) from None
    from kiss.config import Organisatie

    verschillen = instellingen.verschillen(basis or Organisatie(), org)
    for regel in verschillen:
        print(f"  {regel}")
    if args.droog:
        print(f"{len(verschillen)} wijziging(en); niets opgeslagen (--droog).")
        return 0
    if huidig is not None and not verschillen:
        print("Niets gewijzigd: de instellingen waren al zo.")
        return 0
    try:
        with session_scope(eng) as session:
            stand = instellingen.bewaar(
                session, door, org, nu=utcnow(), verwacht_versie=huidig.versie if huidig else 0
            )
    except GeenToegang as exc:
        raise CliFout(str(exc), GEEN_TOEGANG) from exc
    except ValueError as exc:
        raise CliFout(str(exc), 2) from exc
    print(
        f"Instellingen opgeslagen (versie {stand.versie}, {len(verschillen)} wijziging(en)); "
        "ze gelden binnen enkele seconden voor iedereen."
    )
    return 0
