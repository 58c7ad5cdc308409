"""``kiss openklant``: the link with the municipality's Open Klant register.

``sync`` sends what is due once (for cron; ``kiss dienst`` does it continuously), ``status``
shows what waits, what is parked and why, and the last success; ``opnieuw`` puts a parked item
back after the cause is fixed; ``export`` writes a period as JSON the API accepts.
The token is never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiss.cli.common import CliFout, aanmelden, engine, print_json

AMS = ZoneInfo("Europe/Amsterdam")
NIET_INGESTELD = 2


def register(sub: Any) -> None:
    ok = sub.add_parser(
        "openklant",
        help="koppeling met het Open Klant-register (Klantinteracties API)",
        description="Contactmomenten en terugbelnotities gaan via een wachtrij naar Open Klant. "
        "Instellen met KISS_OPENKLANT_URL en KISS_OPENKLANT_TOKEN of KISS_OPENKLANT_TOKEN_FILE.",
    )
    acties = ok.add_subparsers(dest="openklant_actie", metavar="ACTIE", required=True)

    sync = acties.add_parser("sync", help="verstuur eenmalig wat klaarstaat (voor cron)")
    sync.add_argument("--max", type=int, default=500, help="hoogstens zoveel berichten (500)")
    sync.add_argument("--json", action="store_true", help="uitvoer als JSON")
    sync.set_defaults(handler=run_sync)

    status = acties.add_parser("status", help="wachtend, geparkeerd (met reden), laatste succes")
    status.add_argument("--json", action="store_true", help="uitvoer als JSON")
    status.set_defaults(handler=run_status)

    opnieuw = acties.add_parser("opnieuw", help="bied een geparkeerd bericht opnieuw aan")
    opnieuw.add_argument("id", help="het id uit 'kiss openklant status'")
    opnieuw.set_defaults(handler=run_opnieuw)

    export = acties.add_parser(
        "export", help="contactmomenten en terugbelnotities van een periode als API-JSON"
    )
    export.add_argument("--van", required=True, metavar="DATUM", help="eerste dag (jjjj-mm-dd)")
    export.add_argument("--tot", required=True, metavar="DATUM", help="laatste dag, telt mee")
    export.add_argument("pad", metavar="PAD", help="JSON-bestand om te schrijven ('-' = scherm)")
    export.set_defaults(handler=run_export)


def _config(nodig_token: bool) -> Any:
    from kiss.services.openklant.config import ConfigFout, laad

    try:
        config = laad()
    except ConfigFout as fout:
        raise CliFout(str(fout), NIET_INGESTELD) from None
    if config is None:
        raise CliFout(
            "Open Klant is niet ingesteld: zet KISS_OPENKLANT_URL (en het token in "
            "KISS_OPENKLANT_TOKEN of KISS_OPENKLANT_TOKEN_FILE).",
            NIET_INGESTELD,
        )
    if nodig_token and not config.kan_verzenden:
        raise CliFout(
            "Geen token voor Open Klant: zet KISS_OPENKLANT_TOKEN of KISS_OPENKLANT_TOKEN_FILE.",
            NIET_INGESTELD,
        )
    return config


def _tijd(moment: datetime | None) -> str:
    return moment.astimezone(AMS).strftime("%d-%m-%Y %H:%M") if moment else "nog nooit"


def run_sync(args: argparse.Namespace) -> int:
    from kiss.services.openklant.verzender import sync

    config = _config(nodig_token=True)
    resultaat = sync(engine(args), config, max_aantal=max(1, args.max))
    if args.json:
        print_json(
            {
                "verzonden": resultaat.verzonden,
                "opnieuw": resultaat.opnieuw,
                "geparkeerd": resultaat.geparkeerd,
                "meldingen": resultaat.fouten,
            }
        )
    else:
        print(
            f"Verzonden: {resultaat.verzonden}, later opnieuw: {resultaat.opnieuw}, "
            f"geparkeerd: {resultaat.geparkeerd}."
        )
        for melding in dict.fromkeys(resultaat.fouten):
            print(f"  {melding}")
    return 0 if not (resultaat.opnieuw or resultaat.geparkeerd) else 1


def run_status(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.services import uitgaand
    from kiss.services.openklant.config import ConfigFout, laad

    try:
        config = laad()
        instelling = (
            {"aan": True, "url": config.url, "token": config.kan_verzenden}
            if config
            else {"aan": False, "url": None, "token": False}
        )
    except ConfigFout as fout:
        instelling = {"aan": True, "url": None, "token": False, "fout": str(fout)}
    with read_scope(engine(args)) as session:
        stand = uitgaand.overzicht(session, "openklant")
    if args.json:
        print_json(
            {
                "instelling": instelling,
                "wachtend": stand.wachtend,
                "in_storing": stand.in_storing,
                "verzonden": stand.verzonden,
                "laatste_succes": stand.laatste_succes,
                "oudste_wachtend": stand.oudste_wachtend,
                "laatste_fout": stand.laatste_fout,
                "geparkeerd": [
                    {
                        "id": p.id,
                        "sleutel": p.sleutel,
                        "reden": p.reden,
                        "aangemaakt_op": p.aangemaakt_op,
                    }
                    for p in stand.geparkeerd
                ],
            }
        )
        return 0
    if instelling["aan"]:
        token = "ingesteld" if instelling["token"] else "ONTBREEKT (alleen in de wachtrij)"
        print(f"Open Klant: aan, {instelling['url'] or instelling.get('fout')}; token {token}.")
    else:
        print("Open Klant: uit (KISS_OPENKLANT_URL is niet gezet).")
    print(f"Wachtend: {stand.wachtend}" + (
        f" (waarvan {stand.in_storing} na een fout; laatste: {stand.laatste_fout})"
        if stand.in_storing else ""
    ))  # fmt: skip
    if stand.oudste_wachtend:
        print(f"Oudste wachtende: {_tijd(stand.oudste_wachtend)}")
    print(f"Verzonden: {stand.verzonden}; laatste succes: {_tijd(stand.laatste_succes)}")
    print(f"Geparkeerd: {len(stand.geparkeerd)}")
    for item in stand.geparkeerd:
        print(f"  {item.id}  {_tijd(item.aangemaakt_op)}  {item.reden}")
    if stand.geparkeerd:
        print("Los de oorzaak op en bied opnieuw aan met: kiss openklant opnieuw ID")
    return 0


def run_opnieuw(args: argparse.Namespace) -> int:
    import uuid

    from kiss.db import session_scope
    from kiss.rollen import BEHEERDER, heeft_rol
    from kiss.services import uitgaand

    eng = engine(args)
    aanmelden(args, eng, lambda m: heeft_rol(m, BEHEERDER), "berichten opnieuw aan te bieden")
    try:
        rij_id = uuid.UUID(args.id)
    except ValueError:
        raise CliFout(f"'{args.id}' is geen geldig id.", 2) from None
    with session_scope(eng) as session:
        gedaan = uitgaand.opnieuw_aanbieden(session, rij_id)
    if not gedaan:
        raise CliFout(f"Er is geen geparkeerd bericht met id {args.id}.", 1)
    print("Het bericht staat weer in de wachtrij.")
    return 0


def _datum(tekst: str, wat: str) -> date:
    schoon = tekst.strip()
    for lees in (date.fromisoformat, lambda t: datetime.strptime(t, "%d-%m-%Y").date()):
        try:
            return lees(schoon)
        except ValueError:
            continue
    raise CliFout(f"--{wat} '{tekst}' is geen geldige datum; gebruik jjjj-mm-dd.", 2)


def run_export(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.rollen import BEHEERDER, heeft_rol
    from kiss.services.openklant.export import exporteer

    van, tot = _datum(args.van, "van"), _datum(args.tot, "tot")
    if tot < van:
        raise CliFout("--tot ligt vóór --van.", 2)
    eng = engine(args)
    aanmelden(args, eng, lambda m: heeft_rol(m, BEHEERDER), "Open Klant-gegevens te exporteren")
    begin = datetime.combine(van, time(), AMS).astimezone(UTC)
    einde = datetime.combine(tot + timedelta(days=1), time(), AMS).astimezone(UTC)
    with read_scope(eng) as session:
        data = exporteer(session, begin, einde)
    tekst = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.pad == "-":
        sys.stdout.write(tekst)
    else:
        try:
            Path(args.pad).write_text(tekst, encoding="utf-8")
        except OSError as fout:
            raise CliFout(f"Kan {args.pad} niet schrijven: {fout.strerror or fout}.") from None
        print(f"{data['aantal']} objecten geschreven naar {args.pad}.")
    return 0
