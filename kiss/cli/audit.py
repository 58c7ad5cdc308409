"""``kiss audit controleer`` (is the hash chain intact?) and ``kiss audit export`` (for the
privacy officer: CSV or JSON over a period). Privacy role or beheerder."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiss.cli.common import CliFout, aanmelden, add_json, engine, print_json


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="de audittrail controleren en exporteren")
    a_sub = audit.add_subparsers(dest="audit_opdracht", metavar="OPDRACHT", required=True)
    controleer = a_sub.add_parser("controleer", help="controleer de hashketen van de audit")
    add_json(controleer)
    controleer.set_defaults(handler=run_controleer)
    export = a_sub.add_parser("export", help="auditregels van een periode als CSV of JSON")
    export.add_argument("--van", required=True, help="eerste dag (jjjj-mm-dd of dd-mm-jjjj)")
    export.add_argument("--tot", required=True, help="laatste dag (tot en met)")
    export.add_argument("--formaat", choices=("csv", "json"), default="csv")
    export.add_argument("--uitvoer", metavar="PAD", help="schrijf naar dit bestand (anders stdout)")
    export.set_defaults(handler=run_export)


def run_controleer(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.rollen import mag_audit_inzien
    from kiss.services import audit

    eng = engine(args)
    aanmelden(args, eng, mag_audit_inzien, "de audittrail te controleren")
    with read_scope(eng) as session:
        uitkomst = audit.controleer(session)
    if args.json:
        print_json(
            {
                "in_orde": uitkomst.in_orde,
                "gecontroleerd": uitkomst.gecontroleerd,
                "eerste": uitkomst.eerste,
                "laatste": uitkomst.laatste,
                "fout": uitkomst.fout,
                "gebroken_id": uitkomst.gebroken_id,
                "gebroken_volgnummer": uitkomst.gebroken_volgnummer,
            }
        )
    elif uitkomst.in_orde:
        bereik = f" (regel {uitkomst.eerste} t/m {uitkomst.laatste})" if uitkomst.eerste else ""
        print(f"Audittrail in orde: {uitkomst.gecontroleerd} regels gecontroleerd{bereik}.")
    else:
        print(f"Audittrail NIET in orde: {uitkomst.fout}", file=sys.stderr)
    return 0 if uitkomst.in_orde else 1


def run_export(args: argparse.Namespace) -> int:
    import csv
    import json
    from contextlib import ExitStack
    from datetime import datetime, time, timedelta

    from kiss.db import read_scope
    from kiss.rollen import mag_audit_inzien
    from kiss.services import audit
    from kiss.validation import ValidatieFout, valideer_datum
    from kiss.weergave import AMSTERDAM

    try:
        van = valideer_datum(args.van, "--van")
        tot = valideer_datum(args.tot, "--tot")
    except ValidatieFout as exc:
        raise CliFout(str(exc), 2) from exc
    if tot < van:
        raise CliFout("--tot ligt vóór --van.", 2)
    eng = engine(args)
    door = aanmelden(args, eng, mag_audit_inzien, "de audittrail te exporteren")
    begin = datetime.combine(van, time(), AMSTERDAM)
    einde = datetime.combine(tot + timedelta(days=1), time(), AMSTERDAM)
    aantal = 0
    with ExitStack() as stapel:
        session = stapel.enter_context(read_scope(eng))
        uit = (
            stapel.enter_context(open(args.uitvoer, "w", encoding="utf-8", newline=""))
            if args.uitvoer
            else sys.stdout
        )
        regels = audit.exporteer(session, begin, einde)
        if args.formaat == "csv":
            schrijver = csv.DictWriter(uit, fieldnames=audit.EXPORT_KOLOMMEN, lineterminator="\n")
            schrijver.writeheader()
            for regel in regels:
                schrijver.writerow(regel)
                aantal += 1
        else:
            alles = list(regels)
            aantal = len(alles)
            json.dump(alles, uit, ensure_ascii=False, indent=2)
            uit.write("\n")
    from kiss.db import session_scope

    with session_scope(eng) as session:  # an export of who saw what is itself audited
        audit.log(
            session, door, "audit_geexporteerd", object_type="auditregel",
            details=f"{van.isoformat()} t/m {tot.isoformat()}: {aantal} regels",
        )  # fmt: skip
    if args.uitvoer:
        print(f"{aantal} auditregels geschreven naar {args.uitvoer}.", file=sys.stderr)
    return 0
