"""``kiss vragenset``: the extra questions an afdeling or team wants in every terugbelnotitie
routed to it (beheerder). The file is TOML::

    [[vraag]]
    label = "Kenteken"
    soort = "kort"          # kort | lang | keuze | vinkje
    verplicht = true

    [[vraag]]
    label = "Soort melding"
    soort = "keuze"
    keuzes = ["parkeren", "afval", "overig"]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiss.cli.common import GEEN_TOEGANG, CliFout, aanmelden, add_json, engine, print_json

BESCHRIJVING = """Extra vragen die een afdeling of team bij elke terugbelnotitie wil zien.
Het KCC-formulier toont ze zodra die afdeling of dat team gekozen is; een verplichte vraag
moet ingevuld zijn voordat de notitie opgeslagen kan worden. Zonder bestand: tonen.

Bestand (TOML):

    [[vraag]]
    label = "Kenteken"
    soort = "kort"          # kort | lang | keuze | vinkje
    verplicht = true

    [[vraag]]
    label = "Soort melding"
    soort = "keuze"
    keuzes = ["parkeren", "afval", "overig"]
"""


def register(sub: Any) -> None:
    vragenset = sub.add_parser(
        "vragenset",
        help="extra vragen per afdeling of team voor terugbelnotities (beheerder)",
        description=BESCHRIJVING,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    doel = vragenset.add_mutually_exclusive_group(required=True)
    doel.add_argument("--afdeling", metavar="NAAM")
    doel.add_argument("--team", metavar="NAAM")
    vragenset.add_argument(
        "bestand", nargs="?", type=Path, help="TOML-bestand met [[vraag]]-blokken; zonder: tonen"
    )
    vragenset.add_argument("--leeg", action="store_true", help="alle vragen weghalen")
    add_json(vragenset)
    vragenset.set_defaults(handler=run_vragenset)


def _doel(session: Any, args: argparse.Namespace) -> dict[str, Any]:
    from sqlalchemy import select

    from kiss.models import Afdeling, Team

    model = Afdeling if args.afdeling else Team
    naam = args.afdeling or args.team
    gevonden = session.execute(select(model).where(model.naam == naam)).scalar_one_or_none()
    if gevonden is None:
        soort = "afdeling" if args.afdeling else "team"
        raise CliFout(f"De {soort} '{naam}' staat niet in het smoelenboek.", code=2)
    return {"afdeling_id": gevonden.id} if args.afdeling else {"team_id": gevonden.id}


def run_vragenset(args: argparse.Namespace) -> int:
    import tomllib

    from kiss.db import session_scope
    from kiss.rollen import BEHEERDER, heeft_rol
    from kiss.services.terugbel import vragenset

    eng = engine(args)
    if args.bestand is None and not args.leeg:
        aanmelden(args, eng)
        with session_scope(eng) as session:
            gevonden = vragenset.voor(session, **_doel(session, args))
        vragen = [
            {
                "label": v.label,
                "soort": str(v.soort),
                "keuzes": list(v.keuzes),
                "verplicht": v.verplicht,
            }
            for v in gevonden.vragen
        ]
        if args.json:
            print_json({"van": gevonden.van, "vragen": vragen})
        elif not vragen:
            print("Geen extra vragen.")
        else:
            print(f"Vragen van {gevonden.van}:")
            for v in vragen:
                keuzes = f" ({', '.join(v['keuzes'])})" if v["keuzes"] else ""
                print(
                    f"  - {v['label']} [{v['soort']}{', verplicht' if v['verplicht'] else ''}]"
                    f"{keuzes}"
                )
        return 0
    medewerker = aanmelden(args, eng, lambda m: heeft_rol(m, BEHEERDER), "vragensets te beheren")
    ruw: list[dict[str, Any]] = []
    if not args.leeg:
        try:
            ruw = list(tomllib.loads(args.bestand.read_text(encoding="utf-8")).get("vraag", []))
        except OSError as exc:
            raise CliFout(f"{args.bestand} is niet te lezen: {exc.strerror}.", code=2) from exc
        except tomllib.TOMLDecodeError as exc:
            raise CliFout(f"{args.bestand} is geen geldige TOML: {exc}.", code=2) from exc
    try:
        with session_scope(eng) as session:
            vragenset.zet(session, medewerker, vragen=ruw, **_doel(session, args))
    except vragenset.VragensetFout as exc:
        raise CliFout(f"{args.bestand}: {exc}", code=2) from exc
    except PermissionError as exc:
        raise CliFout(str(exc), GEEN_TOEGANG) from exc
    print(f"{len(ruw)} vraag/vragen opgeslagen." if ruw else "Vragenset leeggemaakt.")
    return 0
