"""``kiss rapport``: the norm dashboard's numbers for a period, as a table, CSV or JSON.

The numbers come from :mod:`kiss.services.rapportage.normen`, the same service the teamlead screen
uses; CSV has one row of headline numbers per gemeente plus ``totaal``, JSON has everything.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kiss.cli.common import CliFout, aanmelden, engine, organisatie, print_json

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiss.services.rapportage.normen import Dashboard, Periode

DATUM_HULP = "jjjj-mm-dd of dd-mm-jjjj, bijv. 2026-10-01"


def register(sub: Any) -> None:
    rapport = sub.add_parser(
        "rapport",
        help="normen en kerncijfers over een periode (eerste keer goed, terugbelnorm, volume)",
        description="Dezelfde cijfers als het normdashboard van de teamleider (F6), per "
        "gemeente en in totaal. Zonder periode: deze maand. Definities: zie de README, "
        "'Normen en rapportage'.",
    )
    rapport.add_argument("--van", metavar="DATUM", help=f"eerste dag ({DATUM_HULP})")
    rapport.add_argument(
        "--tot", metavar="DATUM", help="laatste dag, telt mee (standaard: dezelfde dag als --van)"
    )
    rapport.add_argument(
        "--periode",
        choices=("vandaag", "week", "maand"),
        help="in plaats van --van/--tot: vandaag, deze week (ma–zo) of deze kalendermaand",
    )
    rapport.add_argument(
        "--gemeente", dest="rapport_gemeente", metavar="G", help="alleen deze gemeente"
    )
    rapport.add_argument(
        "--formaat",
        choices=("tabel", "csv", "json"),
        default="tabel",
        help="tabel (standaard), csv (kerncijfers per gemeente) of json (alles)",
    )
    rapport.add_argument("--json", action="store_true", help="hetzelfde als --formaat json")
    rapport.add_argument(
        "--onderdeel",
        choices=("normen", "onderwerpen", "zonder-bron", "signalen"),
        default="normen",
        help="normen (standaard); onderwerpen: eerste keer goed per onderwerp; zonder-bron: "
        "vragen beantwoord zonder bron (voor de redactie); signalen: klachten, complimenten, "
        "ideeën en meldingen",
    )
    rapport.set_defaults(handler=run_rapport)


def _datum(tekst: str, wat: str) -> date:
    """``2026-10-01`` or ``01-10-2026``; anything else is a Dutch error."""
    schoon = tekst.strip()
    try:
        return date.fromisoformat(schoon)
    except ValueError:
        pass
    try:
        dag, maand, jaar = (int(d) for d in schoon.split("-"))
        if jaar < 1000:
            raise ValueError(jaar)
        return date(jaar, maand, dag)
    except ValueError:
        raise CliFout(
            f"--{wat} '{tekst}' is geen geldige datum; gebruik {DATUM_HULP}.", code=2
        ) from None


def periode_uit(args: argparse.Namespace, nu: datetime) -> Periode:
    """The period the options ask for (this month when none is given)."""
    from kiss.services.rapportage.normen import Periode, PeriodeFout

    try:
        if args.periode:
            if args.van or args.tot:
                raise CliFout("Gebruik --periode óf --van/--tot, niet allebei.", code=2)
            return Periode.voorinstelling(args.periode, nu)
        if args.tot and not args.van:
            raise CliFout("--tot zonder --van: geef ook de eerste dag met --van.", code=2)
        if not args.van:
            return Periode.maand(nu)
        van = _datum(args.van, "van")
        tot = _datum(args.tot, "tot") if args.tot else van
        return Periode(van, tot)
    except PeriodeFout as exc:
        raise CliFout(str(exc), code=2) from exc


def run_rapport(args: argparse.Namespace) -> int:
    from kiss.models import utcnow
    from kiss.rollen import mag_rapport_zien
    from kiss.services.rapportage import normen as rapportage

    nu = utcnow()
    periode = periode_uit(args, nu)
    eng = engine(args)
    aanmelden(args, eng, mag_rapport_zien, "de normrapportage te bekijken")
    formaat = "json" if args.json else args.formaat
    if args.onderdeel != "normen":
        return _vragenrapport(args, eng, periode, formaat)
    try:
        dashboard = rapportage.dashboard(
            eng, periode, nu=nu, settings=organisatie(args, eng), gemeente=args.rapport_gemeente
        )
    except rapportage.PeriodeFout as exc:
        raise CliFout(str(exc), code=2) from exc
    rijen = [rapportage.kerncijfers(n, k) for n, k in dashboard.per_gemeente.items()]
    rijen.append(rapportage.kerncijfers("totaal", dashboard.totaal))
    if formaat == "json":
        from kiss.cli import emailnorm

        email = emailnorm.bereken(eng, periode, nu, args.rapport_gemeente)
        print_json(rapportage.als_dict(dashboard) | {"emailnorm": emailnorm.als_json(email)})
    elif formaat == "csv":
        schrijver = csv.DictWriter(sys.stdout, fieldnames=list(rijen[0]), lineterminator="\n")
        schrijver.writeheader()
        schrijver.writerows(rijen)
    else:
        _tabel(dashboard, rijen)
        from kiss.cli import emailnorm

        emailnorm.tabel(emailnorm.bereken(eng, periode, nu, args.rapport_gemeente))
    return 0


def _vragenrapport(args: argparse.Namespace, eng: Engine, periode: Periode, formaat: str) -> int:
    """Per onderwerp, questions without a source, or klantsignalen: one list, three formats."""
    from dataclasses import asdict

    from kiss.db import read_scope
    from kiss.services.rapportage import vragen
    from kiss.services.rapportage.normen import PeriodeFout

    try:
        with read_scope(eng) as session:
            if args.onderdeel == "onderwerpen":
                regels = vragen.per_onderwerp(
                    session,
                    periode,
                    settings=organisatie(args, eng),
                    gemeente=args.rapport_gemeente,
                )
                rijen = [
                    {
                        "onderwerp": r.onderwerp,
                        "artikel_id": r.artikel_id,
                        "vragen": r.vragen,
                        "eerste_keer_goed": r.eerste_keer_goed,
                        "eerste_keer_goed_pct": round(r.percentage, 1),
                    }
                    for r in regels
                ]
            elif args.onderdeel == "zonder-bron":
                rijen = [
                    asdict(v)
                    for v in vragen.zonder_bron(session, periode, gemeente=args.rapport_gemeente)
                ]
            else:
                rijen = [
                    asdict(v)
                    for v in vragen.klantsignalen(session, periode, gemeente=args.rapport_gemeente)
                ]
    except PeriodeFout as exc:
        raise CliFout(str(exc), code=2) from exc
    titel = {
        "onderwerpen": "Eerste keer goed per onderwerp",
        "zonder-bron": "Vragen beantwoord zonder bron",
        "signalen": "Klantsignalen",
    }[args.onderdeel]
    if formaat == "json":
        print_json({"periode": str(periode), "onderdeel": args.onderdeel, "regels": rijen})
        return 0
    koppen = list(rijen[0]) if rijen else ["(geen)"]
    if formaat == "csv":
        schrijver = csv.DictWriter(sys.stdout, fieldnames=koppen, lineterminator="\n")
        schrijver.writeheader()
        schrijver.writerows(rijen)
        return 0
    from rich.console import Console
    from rich.table import Table

    tabel = Table(title=f"{titel} {periode}")
    for kop in koppen:
        if kop not in ("id", "artikel_id"):
            tabel.add_column(kop.replace("_", " "))
    for rij in rijen:
        tabel.add_row(*(_cel(w) for k, w in rij.items() if k not in ("id", "artikel_id")))
    console = Console(width=None if sys.stdout.isatty() else 1000)
    console.print(tabel if rijen else f"{titel} {periode}: geen.")
    return 0


def _cel(waarde: object) -> str:
    if isinstance(waarde, datetime):
        from kiss.weergave import tijdstip

        return tijdstip(waarde)
    return "" if waarde is None else str(waarde)


def _tabel(dashboard: Dashboard, rijen: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    def pct(waarde: float | None, doel: float) -> str:
        if waarde is None:
            return "–"
        kleur = "green" if waarde >= 100 * doel else "red"
        return f"[{kleur}]{waarde:.1f}%[/]"

    def getal(waarde: object) -> str:
        return "–" if waarde is None else str(waarde)

    tabel = Table(title=f"Normen {dashboard.periode}")
    koppen = ("gemeente", "contacten", "eerste keer goed", "notities", "op tijd",
              "te laat opgevolgd", "open, te laat", "open, op tijd", "terugbelnorm",
              "gem. afhandeltijd")  # fmt: skip
    for kop in koppen:
        tabel.add_column(kop, justify="left" if kop == "gemeente" else "right")
    for rij in rijen:
        minuten = rij["gem_afhandeltijd_min"]
        tabel.add_row(
            rij["gemeente"],
            getal(rij["contactmomenten"]),
            pct(rij["eerste_keer_goed_pct"], dashboard.doel_eerste_keer_goed),
            getal(rij["terugbelnotities"]),
            getal(rij["op_tijd"]),
            getal(rij["te_laat_opgevolgd"]),
            getal(rij["open_te_laat"]),
            getal(rij["open_op_tijd"]),
            pct(rij["terugbelnorm_pct"], dashboard.doel_terugbelnorm),
            "–" if minuten is None else f"{minuten} min",
        )
    # piped to a file or another program there is no terminal width: never cut the table
    console = Console(width=None if sys.stdout.isatty() else 1000)
    console.print(tabel)
    console.print(
        f"Doelen: eerste keer goed ≥ {dashboard.doel_eerste_keer_goed:.0%}, "
        f"terugbelnorm ≥ {dashboard.doel_terugbelnorm:.0%}."
    )
    totaal = dashboard.totaal
    volume = Table(title="Volume per kanaal (totaal)", title_justify="left")
    volume.add_column("kanaal")
    volume.add_column("contacten", justify="right")
    volume.add_column("drukste dag", justify="right")
    for kanaal, reeks in sorted(totaal.volume.items(), key=lambda kv: (-sum(kv[1]), kv[0])):
        if sum(reeks):
            piek = max(range(len(reeks)), key=lambda i: reeks[i])
            volume.add_row(
                kanaal, str(sum(reeks)), f"{dashboard.dagen[piek]:%d-%m} ({reeks[piek]})"
            )
    if volume.row_count:
        console.print(volume)
    if totaal.top_onderwerpen:
        onderwerpen = Table(title="Top onderwerpen (totaal)", title_justify="left")
        onderwerpen.add_column("onderwerp")
        onderwerpen.add_column("contacten", justify="right")
        for titel, aantal in totaal.top_onderwerpen:
            onderwerpen.add_row(titel, str(aantal))
        console.print(onderwerpen)
    for titel, lijst in (
        ("Afdelingen met de meeste terugbelnotities", totaal.afdelingen_meeste_notities),
        ("Afdelingen met de meeste te late notities", totaal.afdelingen_meeste_te_laat),
    ):
        if lijst:
            afdelingen = Table(title=titel, title_justify="left")
            for kop in ("afdeling", "notities", "te laat"):
                afdelingen.add_column(kop, justify="left" if kop == "afdeling" else "right")
            for naam, notities, laat in lijst:
                afdelingen.add_row(naam, str(notities), str(laat))
            console.print(afdelingen)
