"""``kiss klant zoek|toon`` and ``kiss contact`` (caller-ID pop-up for a telephony system)."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from kiss.cli.common import (
    CliFout,
    aanmelden,
    add_json,
    engine,
    organisatie,
    print_json,
    settings,
)


def register(sub: Any) -> None:
    klant = sub.add_parser("klant", help="klanten zoeken en tonen")
    klant_sub = klant.add_subparsers(dest="klant_opdracht", metavar="OPDRACHT", required=True)
    zoek = klant_sub.add_parser(
        "zoek", help="zoek op naam, telefoon, e-mail, BSN, KvK, postcode + huisnummer"
    )
    zoek.add_argument("tekst")
    zoek.add_argument("--max", type=int, default=50, help="hoogstens zoveel treffers")
    add_json(zoek)
    zoek.set_defaults(handler=run_zoek)
    toon = klant_sub.add_parser("toon", help="het klantbeeld met contacthistorie")
    toon.add_argument("id", help="klant-id (uit 'kiss klant zoek')")
    toon.add_argument("--kanaal", help="alleen contactmomenten via dit kanaal")
    add_json(toon)
    toon.set_defaults(handler=run_toon)

    contact = sub.add_parser(
        "contact", help="start de TUI direct in een nieuw contactmoment (caller-ID)"
    )
    contact.add_argument("--kanaal", default="telefoon")
    contact.add_argument("--nummer", default="", help="telefoonnummer of e-mail van de beller")
    contact.set_defaults(handler=run_contact)


def run_zoek(args: argparse.Namespace) -> int:
    from kiss.db import read_scope, session_scope
    from kiss.rollen import mag_klanten_zien
    from kiss.services import audit
    from kiss.services.klant.zoeken import zoek_via_engine
    from kiss.validation import ValidatieFout

    eng = engine(args)
    medewerker = aanmelden(args, eng, mag_klanten_zien, "klanten te zoeken")
    try:
        with read_scope(eng) as session:
            vraag, treffers = zoek_via_engine(eng, session, args.tekst, limit=args.max)
    except ValidatieFout as exc:
        raise CliFout(str(exc), code=2) from exc
    with session_scope(eng) as session:
        audit.klant_gezocht(session, medewerker, vraag.soort.value, [t.id for t in treffers])
    if args.json:
        print_json({"gezocht_op": vraag.soort.value, "treffers": treffers})
        return 0
    print(f"Gezocht op {vraag.soort.value}: {len(treffers)} treffer(s)")
    for t in treffers:
        print(f"  {t.id}  {t.regel}{'' if t.exact else '  (lijkt op)'}")
    return 0


def run_toon(args: argparse.Namespace) -> int:
    from kiss.db import session_scope
    from kiss.rollen import mag_klanten_zien
    from kiss.services.klant.klantbeeld import KlantNietGevonden, laad
    from kiss.weergave import datum, tijdstip

    try:
        klant_id = uuid.UUID(args.id)
    except ValueError as exc:
        raise CliFout(f"'{args.id}' is geen geldig klant-id.", code=2) from exc
    eng = engine(args)
    medewerker = aanmelden(args, eng, mag_klanten_zien, "een klantbeeld te openen")
    try:
        with session_scope(eng) as session:
            beeld = laad(session, klant_id, medewerker, kanaal=args.kanaal)
    except KlantNietGevonden as exc:
        raise CliFout(str(exc)) from exc
    if args.json:
        print_json(beeld)
        return 0
    print(beeld.naam)
    print(f"  BSN {beeld.bsn or '-'} · {beeld.adres} · gemeente {beeld.gemeente}")
    if beeld.heeft_aandachtspunten:
        print(
            f"  Let op: extra hulp={'ja' if beeld.extra_hulp else 'nee'} taal={beeld.taal or '-'}"
            f" voorkeurskanaal={beeld.voorkeurskanaal or '-'} {beeld.aandachtspunten}"
        )
    for adres in beeld.adressen:
        print(f"  {adres.soort}: {adres.weergave}{' (voorkeur)' if adres.voorkeur else ''}")
    for notitie in beeld.open_notities:
        print(
            f"  Terugbelnotitie open, deadline {tijdstip(notitie.deadline)}: {notitie.vraag[:60]}"
        )
    for zaak in beeld.zaken:
        print(
            f"  Zaak {zaak.identificatie} {zaak.zaaktype}: {zaak.status}, uiterlijk "
            f"{datum(zaak.uiterlijke_einddatum)}, behandelaar {zaak.behandelaar or '-'}"
        )
    print(f"Contacthistorie ({len(beeld.tijdlijn)}):")
    for regel in beeld.tijdlijn:
        print(
            f"  {tijdstip(regel.moment)}  {regel.kanaal:<16} {regel.gemeente:<10} "
            f"{regel.onderwerp[:40]:<40} {regel.resultaat:<24} {regel.medewerker}"
        )
    return 0


def run_contact(args: argparse.Namespace) -> int:
    from kiss.app import KissApp
    from kiss.cli.basis import login_indien_nodig
    from kiss.rollen import mag_klanten_zien
    from kiss.werkplek import NieuwContact, controleer_nummer

    settings(args)  # a broken kiss.toml is reported before anything else
    if melding := controleer_nummer(args.nummer):
        raise CliFout(melding, code=2)
    if not login_indien_nodig(args):
        return 1
    eng = engine(args)
    instellingen = organisatie(args, eng)  # the kanalen a beheerder set up
    if args.kanaal not in instellingen.kanalen:
        raise CliFout(
            f"Onbekend kanaal '{args.kanaal}'; kies uit {', '.join(instellingen.kanalen)}."
        )
    aanmelden(args, eng, mag_klanten_zien, "contactmomenten vast te leggen")
    app = KissApp(
        settings=instellingen,
        engine=eng,
        medewerker=args.medewerker,
        start_contact=NieuwContact(args.kanaal, instellingen.gemeente, args.nummer),
    )
    app.run()
    return app.return_code or 0
