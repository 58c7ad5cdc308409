"""``kiss kennisbank import|export|zoek|evalueer``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiss.cli.common import CliFout, aanmelden, aanmelden_of_eigenaar, add_json, engine, print_json


def register(sub: Any) -> None:
    kb = sub.add_parser("kennisbank", help="kennisbankartikelen importeren, exporteren, zoeken")
    kb_sub = kb.add_subparsers(dest="kb_opdracht", metavar="OPDRACHT", required=True)
    imp = kb_sub.add_parser(
        "import", help="importeer een map met Markdown-bestanden of een .jsonl-bestand"
    )
    imp.add_argument("pad", type=Path)
    add_json(imp)
    imp.set_defaults(handler=run_import)
    zoek = kb_sub.add_parser(
        "zoek", help="zoek artikelen, werkinstructies en nieuws (typefouten mogen)"
    )
    zoek.add_argument("tekst")
    zoek.add_argument(
        "--gemeente", dest="zoek_gemeente", help="alleen artikelen voor deze gemeente"
    )
    zoek.add_argument("--max", type=int, default=10)
    add_json(zoek)
    zoek.set_defaults(handler=run_zoek)
    idx = kb_sub.add_parser(
        "indexeer",
        help="werk de zoekindex bij en bereken ontbrekende artikelvectoren (na een grote import)",
    )
    idx.set_defaults(handler=run_indexeer)
    ev = kb_sub.add_parser(
        "evalueer",
        help="meet de zoekkwaliteit met een bestand vragen (.jsonl): MRR@10 en recall per soort",
    )
    ev.add_argument("vragen", type=Path, help='regels {"vraag": …, "verwacht": [sleutels]}')
    add_json(ev)
    ev.set_defaults(handler=run_evalueer)
    exp = kb_sub.add_parser(
        "export", help="exporteer naar een map (Markdown) of een .jsonl-bestand"
    )
    exp.add_argument("pad", type=Path)
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.rollen import mag_kennisbank_importeren
    from kiss.services.kennisbank.artikelen import importeer_pad

    eng = engine(args)
    door = aanmelden_of_eigenaar(
        args, eng, mag_kennisbank_importeren, "kennisbankartikelen te importeren"
    )
    if not args.pad.exists():
        raise CliFout(f"{args.pad} bestaat niet.")
    with session_scope(eng) as session:
        verslag = importeer_pad(session, args.pad, door=door)
    if args.json:
        print_json(
            {
                "toegevoegd": verslag.toegevoegd,
                "bijgewerkt": verslag.bijgewerkt,
                "ongewijzigd": verslag.ongewijzigd,
                "fouten": [
                    {"bestand": f.bestand, "regel": f.regel, "melding": f.melding}
                    for f in verslag.fouten
                ],
            }
        )
    else:
        print(verslag.samenvatting)
        for fout in verslag.fouten:
            print(f"  FOUT {fout}")
    return 2 if verslag.fouten else 0


def run_zoek(args: argparse.Namespace) -> int:
    from kiss.services.kennisbank.zoeken import zoek_kennisbank

    eng = engine(args)
    ik = aanmelden(args, eng)
    resultaat = zoek_kennisbank(
        eng, args.tekst, gemeente=args.zoek_gemeente, limit=args.max, bezig=False, voor=ik
    )
    if args.json:
        print_json(
            {
                "geen_goed_antwoord": resultaat.geen_goed_antwoord,
                "zekerheid": resultaat.zekerheid,
                "betekenis": resultaat.betekenis,
                "treffers": [
                    {
                        "id": t.id,
                        "sleutel": t.sleutel,
                        "soort": t.soort,
                        "titel": t.titel,
                        "score": round(t.score, 4),
                        "samenvatting": t.samenvatting,
                        "fragment": t.snippet.text,
                    }
                    for t in resultaat.treffers
                ],
            }
        )
        return 0
    if resultaat.geen_goed_antwoord:
        print("Geen passend artikel gevonden.")
        if resultaat.treffers:
            print("Misschien bedoelt u:")
    for plaats, t in enumerate(resultaat.treffers, start=1):
        soort = "" if t.is_artikel else f"[{t.soort}] "
        print(f"{plaats:>2}. {t.score:7.3f}  {soort}{t.titel}")
        if t.snippet.text:
            print(f"             {t.snippet.text}")
    return 0


def run_indexeer(args: argparse.Namespace) -> int:
    from kiss.services.beheer.nieuws import SLEUTEL_VOORVOEGSEL
    from kiss.services.kennisbank.zoeken import KennisbankZoeker

    eng = engine(args)
    aanmelden(args, eng)
    zoeker = KennisbankZoeker.voor(eng)
    zoeker.bereken_vectoren()
    sleutels = zoeker.actueel().keys()
    nieuws = sum(s.startswith(SLEUTEL_VOORVOEGSEL) for s in sleutels)
    print(
        f"Zoekindex bijgewerkt: {len(sleutels) - nieuws} artikelen en {nieuws} "
        + (
            "nieuwsbericht of werkinstructie"
            if nieuws == 1
            else "nieuwsberichten of werkinstructies"
        )
        + f", {len(zoeker.vectoren) if zoeker.vectoren else 0} vectoren."
    )
    return 0


def _pct(waarde: float | None) -> str:
    return "–" if waarde is None else f"{waarde * 100:.0f}%"


def run_evalueer(args: argparse.Namespace) -> int:
    from kiss.services.kennisbank.evaluatie import EvaluatieFout, evalueer, lees_vragen
    from kiss.services.kennisbank.zoeken import zoek_kennisbank

    eng = engine(args)
    aanmelden(args, eng)
    if not args.vragen.is_file():
        raise CliFout(f"{args.vragen} bestaat niet.")
    try:
        vragen = lees_vragen(args.vragen)
    except EvaluatieFout as fout:
        raise CliFout(str(fout), 2) from None
    if not vragen:
        raise CliFout(f"{args.vragen} bevat geen vragen.", 2)
    uitkomsten, categorieen = evalueer(
        vragen,
        lambda tekst, gemeente: zoek_kennisbank(eng, tekst, gemeente=gemeente, bezig=False),
    )
    if args.json:
        print_json(
            {
                "vragen": [
                    {
                        "vraag": u.vraag.vraag,
                        "categorie": u.vraag.categorie,
                        "gemeente": u.vraag.gemeente,
                        "verwacht": list(u.vraag.verwacht),
                        "rang": u.rang,
                        "sleutels": list(u.sleutels),
                        "geen_goed_antwoord": u.geen_goed_antwoord,
                    }
                    for u in uitkomsten
                ],
                "categorieen": {
                    naam: {
                        "aantal": c.aantal,
                        "mrr_10": c.mrr,
                        "recall_1": c.recall1,
                        "recall_3": c.recall3,
                        "recall_5": c.recall5,
                        "geen_antwoord_herkend": c.geen_herkend,
                        "onterecht_geen_antwoord": c.onterecht_geen,
                    }
                    for naam, c in categorieen.items()
                },
            }
        )
        return 0
    for u in uitkomsten:
        if u.vraag.verwacht:
            rang = f"{u.rang:>2}" if u.rang else " –"
        else:
            rang = "ok" if u.geen_goed_antwoord else "!!"
        geen = "  [geen passend artikel]" if u.geen_goed_antwoord else ""
        print(f"{rang}  {u.vraag.vraag}{geen}")
        print(f"      verwacht: {', '.join(u.vraag.verwacht) or '(geen artikel)'}")
        print(f"      gevonden: {', '.join(u.sleutels[:5]) or '(niets)'}")
    print()
    print(f"{'soort':<12} {'vragen':>6} {'MRR@10':>7} {'@1':>5} {'@3':>5} {'@5':>5} {'geen':>5}")
    for naam, c in categorieen.items():
        mrr = "–" if c.mrr is None else f"{c.mrr:.3f}"
        print(
            f"{naam:<12} {c.aantal:>6} {mrr:>7} {_pct(c.recall1):>5} {_pct(c.recall3):>5} "
            f"{_pct(c.recall5):>5} {_pct(c.geen_herkend):>5}"
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    from kiss.db import read_scope
    from kiss.rollen import mag_artikel_bewerken
    from kiss.services.kennisbank.artikelen import exporteer

    eng = engine(args)
    aanmelden(args, eng, mag_artikel_bewerken, "de kennisbank te exporteren")
    with read_scope(eng) as session:
        aantal = exporteer(session, args.pad)
    print(f"{aantal} artikelen geëxporteerd naar {args.pad}.")
    return 0
