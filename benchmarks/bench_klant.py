"""Benchmark: klant lookups and klantbeeld loading at KCC scale (issue 4).

    python benchmarks/bench_klant.py                      # 1,000,000 klanten, SQLite
    python benchmarks/bench_klant.py --backend postgresql # same on PostgreSQL
    python benchmarks/bench_klant.py --klanten 20000      # a quick run

Generates its data with the demo generator (1M klanten, ~2M digitale adressen, 5M
contactmomenten), gives 100 klanten 200 extra contactmomenten, then times the search service
per form (p50/p95) against a naive ``LIKE '%…%'`` scan in the same run.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, insert, select, text

from benchmarks.common import Meting, meet, scratch_engine, tabel
from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.demo import DemoOmvang, genereer
from kiss.models import Contactmoment, DigitaalAdres, Klant, Medewerker
from kiss.services.klant import klantbeeld
from kiss.services.klant.zoeken import NaamVocabulaire, zoek_via_engine
from kiss.validation import ValidatieFout

NU = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def andere_notatie(e164: str, rng: random.Random) -> str:
    """The same number typed differently from how it was stored."""
    nationaal = "0" + e164[3:]
    return rng.choice(
        (
            nationaal,
            f"{nationaal[:2]}-{nationaal[2:]}",
            f"+31 {e164[3:4]} {e164[4:]}",
            "00" + e164[1:],
            " ".join(nationaal[i : i + 2] for i in range(0, len(nationaal), 2)),
        )
    )


def met_typo(naam: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(naam) - 1)
    keuze = rng.random()
    if keuze < 0.4:
        return naam[:i] + naam[i + 1 :]  # a letter left out
    if keuze < 0.7:
        return naam[:i] + naam[i + 1] + naam[i] + naam[i + 2 :]  # two letters swapped
    return naam[:i] + rng.choice("aeiou") + naam[i + 1 :]  # a wrong letter


def vul(engine: Engine, klanten: int, contactmomenten: int) -> None:
    start = time.perf_counter()
    omvang = DemoOmvang(
        klanten=klanten,
        contactmomenten=contactmomenten,
        zaken=min(klanten // 10, 20000),
        terugbelnotities=0,
    )

    def voortgang(wat: str, klaar: int, totaal: int) -> None:
        if klaar % 500_000 < 5000 or klaar == totaal:
            print(f"  {wat}: {klaar:,}/{totaal:,}", file=sys.stderr)

    genereer(engine, Settings(), omvang=omvang, seed=4, nu=NU, voortgang=voortgang)
    print(f"Data gegenereerd in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def zware_klanten(engine: Engine, aantal: int, rng: random.Random) -> list[uuid.UUID]:
    """Give ``aantal`` klanten 200 afgeronde contactmomenten each."""
    with read_scope(engine) as session:
        ids = list(session.execute(select(Klant.id).limit(aantal * 50)).scalars())
        medewerker = session.execute(select(Medewerker.id).limit(1)).scalar_one()
    gekozen = rng.sample(ids, aantal)
    rows = []
    for klant_id in gekozen:
        for n in range(200):
            moment = NU - timedelta(hours=n * 7 + 1)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "gesprek_id": uuid.uuid4(),
                    "kanaal": "telefoon",
                    "richting": "inkomend",
                    "klant_id": klant_id,
                    "medewerker_id": medewerker,
                    "contact_nummer": "",
                    "gestart_op": moment,
                    "beeindigd_op": moment,
                    "vraag": "Vraag",
                    "notitie": "Notitie bij het gesprek",
                    "onderwerp": "Paspoort",
                    "gespreksresultaat": "afgehandeld",
                    "doorverbonden_naar": "",
                    "status": "afgerond",
                    "gewijzigd_op": moment,
                    "contact_gelukt": True,
                    "vertrouwelijk": False,
                    "taal": "nld",
                }
            )
    with engine.begin() as connection:
        connection.execute(insert(Contactmoment), rows)
    return gekozen


def _id_tekst(engine: Engine, klant_id: object) -> str:
    """How the id reads as text in the column (SQLite stores UUIDs as 32 hex digits)."""
    tekst = str(klant_id)
    return tekst.replace("-", "")[:12] if engine.dialect.name == "sqlite" else tekst[:13]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--klanten", type=int, default=1_000_000)
    parser.add_argument("--contactmomenten", type=int, default=None)
    parser.add_argument("--herhaal", type=int, default=300, help="metingen per zoekvorm")
    parser.add_argument("--sqlite-bestand", help="bewaar/hergebruik dit SQLite-bestand")
    args = parser.parse_args()
    contactmomenten = args.contactmomenten or args.klanten * 5
    rng = random.Random(11)

    with scratch_engine(args.backend, args.sqlite_bestand) as engine:
        with read_scope(engine) as session:
            leeg = session.execute(select(Klant.id).limit(1)).first() is None
        if leeg:
            vul(engine, args.klanten, contactmomenten)
            zwaar = zware_klanten(engine, 100, rng)
        else:
            with read_scope(engine) as session:
                zwaar = list(
                    session.execute(
                        select(Contactmoment.klant_id)
                        .where(Contactmoment.klant_id.is_not(None))
                        .group_by(Contactmoment.klant_id)
                        .having(func.count() >= 200)
                        .limit(100)
                    ).scalars()
                )
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                # only our own tables: a database-wide ANALYZE can deadlock with other
                # schemas being created or dropped on a shared server
                for tabel_naam in ("klant", "digitaal_adres", "contactmoment", "auditregel"):
                    connection.execute(text(f"ANALYZE {tabel_naam}"))
        with read_scope(engine) as session:
            tellingen = {
                "klanten": session.execute(select(func.count()).select_from(Klant)).scalar_one(),
                "digitale adressen": session.execute(
                    select(func.count()).select_from(DigitaalAdres)
                ).scalar_one(),
                "contactmomenten": session.execute(
                    select(func.count()).select_from(Contactmoment)
                ).scalar_one(),
            }
            steekproef = list(
                session.execute(
                    select(Klant).order_by(func.random()).limit(args.herhaal * 2)
                ).scalars()
            )
            telefoons = list(
                session.execute(
                    select(DigitaalAdres.genormaliseerd, DigitaalAdres.waarde)
                    .where(DigitaalAdres.soort == "telefoonnummer")
                    .where(DigitaalAdres.genormaliseerd.like("+316%"))
                    .order_by(func.random())
                    .limit(args.herhaal)
                ).all()
            )
            emails = list(
                session.execute(
                    select(DigitaalAdres.genormaliseerd)
                    .where(DigitaalAdres.soort == "email")
                    .order_by(func.random())
                    .limit(args.herhaal)
                ).scalars()
            )
            medewerker = session.execute(select(Medewerker).limit(1)).scalar_one()
            # only a few hundred klanten have a (test-range) BSN: sample those, not at random
            bsns = list(
                session.execute(
                    select(Klant.bsn)
                    .where(Klant.bsn.is_not(None))
                    .order_by(func.random())
                    .limit(args.herhaal)
                ).scalars()
            )

        # What the screen calls: the first name search of a new process reads the vocabulary
        # (cold); after that no search waits for it (refreshes run in the background).
        vocabulaire = NaamVocabulaire.voor(engine)
        vocabulaire.vergeet()
        start = time.perf_counter()
        with read_scope(engine) as session:
            zoek_via_engine(engine, session, "Jansen", limit=50)
        vocab_ms = (time.perf_counter() - start) * 1000

        personen = [k for k in steekproef if k.soort == "persoon"]
        with read_scope(engine) as session:
            organisaties = list(
                session.execute(
                    select(Klant)
                    .where(Klant.kvk_nummer.is_not(None))
                    .order_by(func.random())
                    .limit(args.herhaal)
                ).scalars()
            )
        vragen = {
            "telefoon (andere notatie dan opgeslagen)": [
                andere_notatie(t[0], rng) for t in telefoons
            ],
            "e-mail (hoofdletters)": [e.upper() for e in emails],
            "BSN": bsns,
            "KvK-nummer": [k.kvk_nummer for k in organisaties][: args.herhaal],
            "postcode + huisnummer": [
                f"{k.postcode}{k.huisnummer}{'-' + k.toevoeging if k.toevoeging else ''}"
                for k in steekproef
                if k.postcode and k.huisnummer
            ][: args.herhaal],
            "naam met één typefout": [
                f"{k.voorvoegsel} {met_typo(k.achternaam, rng)}".strip()
                for k in personen
                if len(k.achternaam) >= 5
            ][: args.herhaal],
        }

        def zoeken(tekst: object) -> None:
            with read_scope(engine) as session:
                try:
                    zoek_via_engine(engine, session, str(tekst), limit=50)
                except ValidatieFout as exc:
                    raise SystemExit(f"Onverwachte validatiefout voor {tekst!r}: {exc}") from exc

        def naief(kolom: str, waarde: str) -> None:
            with engine.connect() as connection:
                connection.execute(
                    text(f"SELECT * FROM {kolom} LIKE :w LIMIT 50"), {"w": f"%{waarde}%"}
                ).all()

        baseline_bron = {
            "telefoon (andere notatie dan opgeslagen)": (
                "digitaal_adres WHERE waarde",
                lambda t: t[1],
            ),
            "e-mail (hoofdletters)": ("digitaal_adres WHERE waarde", lambda e: e.lower()),
            "BSN": ("klant WHERE bsn", lambda b: b),
            "KvK-nummer": ("klant WHERE kvk_nummer", lambda k: k),
            "postcode + huisnummer": ("klant WHERE postcode", lambda p: p[:7]),
            "naam met één typefout": ("klant WHERE achternaam", lambda n: n.split()[-1]),
        }
        metingen: list[Meting] = []
        for naam, invoer in vragen.items():
            if not invoer:  # e.g. no klant with a BSN in this data set
                print(f"Overgeslagen (geen steekproef): {naam}", file=sys.stderr)
                continue
            kolom, waarde = baseline_bron[naam]
            bron_invoer = telefoons if naam.startswith("telefoon") else invoer
            basis = meet("", lambda v, k=kolom, f=waarde: naief(k, f(v)), bron_invoer[:10])
            doel = 100.0 if "naam" in naam else 5.0
            metingen.append(meet(f"zoek: {naam}", zoeken, invoer, doel_ms=doel, basis=basis))

        def laden(klant_id: object) -> None:
            with session_scope(engine) as session:
                beeld = klantbeeld.laad(session, klant_id, medewerker)  # type: ignore[arg-type]
                assert len(beeld.tijdlijn) == 200

        def naief_laden(klant_id: object) -> None:
            with engine.connect() as connection:
                connection.execute(
                    text(
                        "SELECT * FROM contactmoment WHERE CAST(klant_id AS TEXT) LIKE :k "
                        "ORDER BY gestart_op DESC LIMIT 200"
                    ),
                    {"k": f"%{_id_tekst(engine, klant_id)}%"},
                ).all()

        if zwaar:
            basis = meet("", naief_laden, zwaar[:5])
            metingen.append(
                meet(
                    "klantbeeld met 200 contactmomenten (+audit)",
                    laden,
                    zwaar * max(1, args.herhaal // 100),
                    doel_ms=30.0,
                    basis=basis,
                )
            )

    print()
    print(f"Backend: {args.backend} · " + " · ".join(f"{v:,} {k}" for k, v in tellingen.items()))
    print(
        f"Eerste naamzoekactie van een nieuw proces (vocabulaire koud): {vocab_ms:.0f} ms, "
        f"{len(vocabulaire.sleutels):,} unieke naamsleutels; daarna nooit meer wachten op "
        "verversen (achtergrond)"
    )
    print(
        tabel("Basis = naïeve LIKE '%…%'-scan in dezelfde run; factor = basis p50 / p50", metingen)
    )


if __name__ == "__main__":
    main()
