"""``kiss rapport``: the norm dashboard's numbers for a period, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from typing import Any

from kiss.cli.common import CliFout, engine, print_json, settings


def register(sub: Any) -> None:
    rapport = sub.add_parser(
        "rapport",
        help="normen en kerncijfers over een periode (eerste keer goed, terugbelnorm, volume)",
        description="Dezelfde cijfers als het teamleiderdashboard. Definities: zie README.",
    )
    rapport.add_argument("--van", metavar="DATUM", help="eerste dag, bijv. 2026-10-01")
    rapport.add_argument("--tot", metavar="DATUM", help="laatste dag (inbegrepen)")
    rapport.add_argument(
        "--periode",
        choices=("vandaag", "week", "maand"),
        help="in plaats van --van/--tot: vandaag, deze week of deze maand",
    )
    rapport.add_argument(
        "--gemeente", dest="rapport_gemeente", metavar="G", help="alleen deze gemeente"
    )
    rapport.add_argument(
        "--formaat", choices=("tabel", "csv", "json"), default="tabel", help="standaard: tabel"
    )
    rapport.set_defaults(handler=run_rapport)


def _datum(tekst: str, wat: str) -> date:
    """``2026-10-01`` or ``01-10-2026``."""
    schoon = tekst.strip()
    try:
        return date.fromisoformat(schoon)
    except ValueError:
        pass
    try:
        dag, maand, jaar = (int(d) for d in schoon.split("-"))
        return date(jaar, maand, dag)
    except ValueError:
        raise CliFout(
            f"--{wat} '{tekst}' is geen datum; gebruik jjjj-mm-dd, bijv. 2026-10-01", code=2
        ) from None


def periode_uit(args: argparse.Namespace, nu: Any) -> Any:
    from kiss.services.rapportage import Periode, PeriodeFout

    try:
        if args.periode:
            if args.van or args.tot:
                raise CliFout("Gebruik --periode óf --van/--tot, niet allebei.", code=2)
            return Periode.voorinstelling(args.periode, nu)
        if not args.van:
            return Periode.maand(nu)
        van = _datum(args.van, "van")
        tot = _datum(args.tot, "tot") if args.tot else van
        return Periode(van, tot)
    except PeriodeFout as exc:
        raise CliFout(str(exc), code=2) from exc


def run_rapport(args: argparse.Namespace) -> int:
    from kiss.models import utcnow
    from kiss.services import rapportage

    nu = utcnow()
    periode = periode_uit(args, nu)
    try:
        dashboard = rapportage.dashboard(
            engine(args), periode, nu=nu, settings=settings(args), gemeente=args.rapport_gemeente
        )
    except rapportage.PeriodeFout as exc:
        raise CliFout(str(exc), code=2) from exc
    rijen = [rapportage.kerncijfers(n, k) for n, k in dashboard.per_gemeente.items()]
    rijen.append(rapportage.kerncijfers("totaal", dashboard.totaal))
    if args.formaat == "json":
        print_json(rapportage.als_dict(dashboard))
    elif args.formaat == "csv":
        schrijver = csv.DictWriter(sys.stdout, fieldnames=list(rijen[0]), lineterminator="\n")
        schrijver.writeheader()
        schrijver.writerows(rijen)
    else:
        _tabel(dashboard, rijen)
    return 0


def _tabel(dashboard: Any, rijen: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    def pct(waarde: float | None, doel: float) -> str:
        if waarde is None:
            return "–"
        kleur = "green" if waarde >= 100 * doel else "red"
        return f"[{kleur}]{waarde:.1f}%[/]"

    tabel = Table(title=f"Normen {dashboard.periode}")
    for kop in ("gemeente", "contacten", "eerste keer goed", "notities", "op tijd", "te laat",
                "nog open", "terugbelnorm", "gem. afhandeltijd"):  # fmt: skip
        tabel.add_column(kop, justify="left" if kop == "gemeente" else "right")
    for rij in rijen:
        tabel.add_row(
            rij["gemeente"],
            str(rij["contactmomenten"]),
            pct(rij["eerste_keer_goed_pct"], dashboard.doel_eerste_keer_goed),
            str(rij["terugbelnotities"]),
            str(rij["op_tijd"]),
            str(rij["te_laat"]),
            str(rij["nog_open"]),
            pct(rij["terugbelnorm_pct"], dashboard.doel_terugbelnorm),
            "–" if rij["gem_afhandeltijd_min"] is None else f"{rij['gem_afhandeltijd_min']} min",
        )
    console = Console()
    console.print(tabel)
    console.print(
        f"Doelen: eerste keer goed ≥ {dashboard.doel_eerste_keer_goed:.0%}, "
        f"terugbelnorm ≥ {dashboard.doel_terugbelnorm:.0%}."
    )
    top = dashboard.totaal.top_onderwerpen[:5]
    if top:
        console.print("Top onderwerpen: " + "; ".join(f"{t} ({n})" for t, n in top))
