"""Benchmark: klant lookups and the klantbeeld at KCC scale (issue 4, issue 14).

    python benchmarks/bench_klant.py                      # 1,000,000 klanten, SQLite
    python benchmarks/bench_klant.py --backend postgresql # same on PostgreSQL (scratch schema)
    python benchmarks/bench_klant.py --backend postgresql --pg-database bench_klant_1m \
        --hergebruik --uitslag uitslag.json               # keep the data; reuse it next time
    python benchmarks/bench_klant.py --klanten 20000      # a quick run

Data: 1M klanten, ~2M digitale adressen, 5M contactmomenten; 100 klanten have 200
contactmomenten (two sources each), three zaken and two open terugbelnotities. On PostgreSQL
the server generates the rows itself (``benchmarks/klant_data_pg.py``, minutes at 1M); on
SQLite the demo generator writes them.

Measures what the screen calls: ``Werkplek.klanten.zoek`` per kind of key and
``Werkplek.klanten.beeld`` (audited), p50/p95, each against a baseline in the same run (a
naive ``LIKE '%…%'`` scan for the lookups; for the klantbeeld the previous implementation, an
ORM load with a query per kind of name). The first name search of a new process (cold
vocabulary) is timed in a child process, once without and once after the login warm-up.
``--uitslag FILE`` collects the figures per size; with two sizes or more the run prints a
log-linear extrapolation (p95 = a + b·ln N) to 10M klanten.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, func, insert, make_url, select, text

from benchmarks.common import POSTGRES_URL, Meting, meet, scratch_engine, tabel
from kiss.config import Settings
from kiss.db import make_engine, read_scope, upgrade
from kiss.demo import DemoOmvang, genereer
from kiss.models import Contactmoment, DigitaalAdres, Klant, KlantSoort, Medewerker
from kiss.services.klant.zoeken import NaamVocabulaire
from kiss.validation import ValidatieFout
from kiss.werkplek import Werkplek

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


# --- the database -------------------------------------------------------------------------


@contextmanager
def pg_database(naam: str, opnieuw: bool) -> Iterator[Engine]:
    """A PostgreSQL database of our own that is kept after the run (created when missing;
    dropped and created again with ``opnieuw``)."""
    basis = make_url(POSTGRES_URL)
    admin = create_engine(basis.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        bestaat = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": naam}
        ).first()
        if bestaat and opnieuw:
            connection.execute(text(f'DROP DATABASE "{naam}" WITH (FORCE)'))
        if opnieuw or not bestaat:
            connection.execute(text(f'CREATE DATABASE "{naam}"'))
    admin.dispose()
    engine = make_engine(basis.set(database=naam).render_as_string(hide_password=False))
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def verwijder_pg_database(naam: str) -> None:
    admin = create_engine(
        make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
    admin.dispose()


def is_leeg(engine: Engine) -> bool:
    with read_scope(engine) as session:
        return session.execute(select(Klant.id).limit(1)).first() is None


def vul_database(engine: Engine, klanten: int, contactmomenten: int, rng: random.Random) -> None:
    if engine.dialect.name == "postgresql":
        from benchmarks.klant_data_pg import vul as vul_pg

        vul_pg(engine, klanten, contactmomenten, nu=NU)
    else:
        vul(engine, klanten, contactmomenten)
        zware_klanten(engine, 100, rng)


# --- the sample ---------------------------------------------------------------------------


@dataclass
class Steekproef:
    """What the agents type, taken from the data (any list may be empty)."""

    tellingen: dict[str, int] = field(default_factory=dict)
    medewerker: Medewerker | None = None
    vragen: dict[str, list[str]] = field(default_factory=dict)
    telefoons_opgeslagen: list[str] = field(default_factory=list)
    zwaar: list[uuid.UUID] = field(default_factory=list)


def neem_steekproef(engine: Engine, herhaal: int, rng: random.Random) -> Steekproef:
    """Never fails on an empty (or small) database: the lists are simply shorter."""
    uit = Steekproef()
    with read_scope(engine) as session:
        for naam, model in (
            ("klanten", Klant),
            ("digitale adressen", DigitaalAdres),
            ("contactmomenten", Contactmoment),
        ):
            uit.tellingen[naam] = session.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
        uit.medewerker = session.execute(
            select(Medewerker).order_by(Medewerker.personeelsnummer).limit(1)
        ).scalar_one_or_none()
        # a random sample without sorting a million rows: klanten whose id starts with a
        # random hex digit pair are a 1/256 slice, then shuffled here
        if engine.dialect.name == "postgresql" and uit.tellingen["klanten"] > 200_000:
            steek = select(Klant).where(text("klant.id::text < :grens")).limit(herhaal * 20)
            grens = {"grens": f"{rng.randrange(0, 0xF0):02x}"}
        else:
            steek = select(Klant).order_by(func.random()).limit(herhaal * 20)
            grens = {}
        klanten = list(session.execute(steek, grens).scalars())
        rng.shuffle(klanten)
        adressen = list(
            session.execute(
                select(
                    DigitaalAdres.soort, DigitaalAdres.genormaliseerd, DigitaalAdres.waarde
                ).where(DigitaalAdres.klant_id.in_([k.id for k in klanten[: herhaal * 2]]))
            ).all()
        )
        bsn_klanten = list(
            session.execute(
                select(Klant.bsn).where(Klant.bsn.is_not(None)).limit(herhaal * 4)
            ).scalars()
        )
        rng.shuffle(bsn_klanten)
        uit.zwaar = list(
            session.execute(
                select(Contactmoment.klant_id)
                .where(Contactmoment.klant_id.is_not(None))
                .where(
                    Contactmoment.klant_id.in_(
                        select(Contactmoment.klant_id)
                        .where(Contactmoment.klant_id.is_not(None))
                        .group_by(Contactmoment.klant_id)
                        .having(func.count() >= 200)
                        .limit(100)
                        .scalar_subquery()
                    )
                )
                .distinct()
            ).scalars()
        )
    personen = [k for k in klanten if k.soort == KlantSoort.PERSOON]
    telefoons = [a for a in adressen if a[0] == "telefoonnummer" and a[1].startswith("+316")]
    uit.telefoons_opgeslagen = [t[2] for t in telefoons][:herhaal]
    uit.vragen = {
        "telefoon (andere notatie)": [andere_notatie(t[1], rng) for t in telefoons][:herhaal],
        "e-mail (hoofdletters)": [a[1].upper() for a in adressen if a[0] == "email"][:herhaal],
        "BSN": bsn_klanten[:herhaal],
        "KvK-nummer": [k.kvk_nummer for k in klanten if k.kvk_nummer][:herhaal],
        "postcode + huisnummer": [
            f"{k.postcode}{k.huisnummer}{'-' + k.toevoeging if k.toevoeging else ''}"
            for k in klanten
            if k.postcode and k.huisnummer
        ][:herhaal],
        "naam exact": [f"{k.voorvoegsel} {k.achternaam}".strip() for k in personen][:herhaal],
        "naam met één typefout": [
            f"{k.voorvoegsel} {met_typo(k.achternaam, rng)}".strip()
            for k in personen
            if len(k.achternaam) >= 5
        ][:herhaal],
    }
    return uit


# --- what is measured ---------------------------------------------------------------------

BASIS_BRON = {  # the naive scan per kind: table/column and the text it looks for
    "telefoon (andere notatie)": ("digitaal_adres WHERE waarde", lambda t: t),
    "e-mail (hoofdletters)": ("digitaal_adres WHERE waarde", lambda e: e.lower()),
    "BSN": ("klant WHERE bsn", lambda b: b),
    "KvK-nummer": ("klant WHERE kvk_nummer", lambda k: k),
    "postcode + huisnummer": ("klant WHERE postcode", lambda p: p[:7]),
    "naam exact": ("klant WHERE achternaam", lambda n: n.split()[-1]),
    "naam met één typefout": ("klant WHERE achternaam", lambda n: n.split()[-1]),
}


def werkplek_voor(engine: Engine, medewerker: Medewerker, map_: str) -> Werkplek:
    """The agent's werkplek as after logging in (the screen calls its use cases)."""
    werkplek = Werkplek(engine, Settings(), herstel_pad=Path(map_) / "herstel.json")
    werkplek.medewerker = medewerker
    return werkplek


def vorige_klantbeeld(werkplek: Werkplek, klant_id: uuid.UUID) -> int:
    """The previous implementation of the klantbeeld, for the baseline: every contactmoment
    as an ORM object, then a query per kind of name and one for the sources."""
    from kiss.models import Afdeling, ContactmomentStatus, Gemeente
    from kiss.services.contact.bronnen import bronnen_van
    from kiss.services.klant import klantbeeld

    medewerker = werkplek.ik()
    with werkplek.schrijf() as session:
        beeld = klantbeeld.laad(session, klant_id, medewerker, limit=0)
        contacten = list(
            session.execute(
                select(Contactmoment)
                .where(Contactmoment.klant_id == klant_id)
                .where(Contactmoment.status == ContactmomentStatus.AFGEROND)
                .order_by(Contactmoment.gestart_op.desc())  # type: ignore[attr-defined]
                .limit(200)
            ).scalars()
        )
        for model, ids in (
            (Medewerker, {c.medewerker_id for c in contacten}),
            (Afdeling, {c.afdeling_id for c in contacten}),
            (Gemeente, {c.gemeente_id for c in contacten}),
        ):
            wanted = {i for i in ids if i is not None}
            if wanted:
                list(session.execute(select(model).where(model.id.in_(wanted))).scalars())  # type: ignore[attr-defined]
        bronnen_van(session, [c.id for c in contacten])
    return len(contacten) + len(beeld.adressen)


def meet_alles(engine: Engine, steekproef: Steekproef, herhaal: int, map_: str) -> list[Meting]:
    """Time every kind of lookup and the klantbeeld; kinds without a sample are skipped."""
    metingen: list[Meting] = []
    if steekproef.medewerker is None:
        print("Overgeslagen: geen medewerker in deze database", file=sys.stderr)
        return metingen
    werkplek = werkplek_voor(engine, steekproef.medewerker, map_)
    vocabulaire = NaamVocabulaire.voor(engine)
    with read_scope(engine) as session:
        vocabulaire.actueel(session)  # warm: as after the login warm-up

    def zoeken(tekst: object) -> None:
        try:
            werkplek.klanten.zoek(str(tekst))
        except ValidatieFout as exc:
            raise SystemExit(f"Onverwachte validatiefout voor {tekst!r}: {exc}") from exc

    def naief(kolom: str, waarde: str) -> None:
        with engine.connect() as connection:
            connection.execute(
                text(f"SELECT * FROM {kolom} LIKE :w LIMIT 50"), {"w": f"%{waarde}%"}
            ).all()

    for naam, invoer in steekproef.vragen.items():
        if not invoer:  # e.g. no klant with a BSN in this data set
            print(f"Overgeslagen (geen steekproef): {naam}", file=sys.stderr)
            continue
        kolom, waarde = BASIS_BRON[naam]
        bron = steekproef.telefoons_opgeslagen if naam.startswith("telefoon") else invoer
        basis = meet("", lambda v, k=kolom, f=waarde: naief(k, f(str(v))), list(bron[:5]))
        doel = 30.0 if "naam" in naam else 5.0
        metingen.append(meet(f"zoek: {naam}", zoeken, list(invoer), doel_ms=doel, basis=basis))

    if steekproef.zwaar:

        def laden(klant_id: object) -> None:
            beeld = werkplek.klanten.beeld(klant_id)  # type: ignore[arg-type]
            assert len(beeld.tijdlijn) >= 200, len(beeld.tijdlijn)

        herhaald = (steekproef.zwaar * (1 + herhaal // max(1, len(steekproef.zwaar))))[:herhaal]
        basis = meet("", lambda k: vorige_klantbeeld(werkplek, k), herhaald[:50])  # type: ignore[arg-type]
        metingen.append(
            meet(
                "klantbeeld, 200 contactmomenten (+audit)",
                laden,
                herhaald,
                doel_ms=30.0,
                basis=basis,
            )
        )
    else:
        print("Overgeslagen: geen klant met 200 contactmomenten", file=sys.stderr)
    return metingen


def koude_vocabulaire(url: str, namen: list[str], warm_op: bool) -> dict[str, float]:
    """In a new process: the first name search (and, with ``warm_op``, after the login
    warm-up had a moment to run, as when an agent logs in and then takes a call)."""
    opdracht = [sys.executable, __file__, "--koud", url, "--koud-namen", json.dumps(namen)]
    if warm_op:
        opdracht.append("--koud-warm-op")
    uit = subprocess.run(opdracht, capture_output=True, text=True, check=False)
    if uit.returncode != 0:
        print(uit.stderr[-2000:], file=sys.stderr)
        return {}
    return json.loads(uit.stdout.strip().splitlines()[-1])


def _kind_koud(url: str, namen: list[str], warm_op: bool) -> None:
    engine = make_engine(url)
    with read_scope(engine) as session:
        medewerker = session.execute(
            select(Medewerker).order_by(Medewerker.personeelsnummer).limit(1)
        ).scalar_one_or_none()
    if medewerker is None or not namen:
        print(json.dumps({}))
        return
    with tempfile.TemporaryDirectory() as map_:
        werkplek = werkplek_voor(engine, medewerker, map_)
        wacht_ms = 0.0
        if warm_op:
            werkplek.klanten.warm_op()
            start = time.perf_counter()
            vocabulaire = NaamVocabulaire.voor(engine)
            while vocabulaire.bezig and time.perf_counter() - start < 60:
                time.sleep(0.01)
            wacht_ms = (time.perf_counter() - start) * 1000
        tijden = []
        for naam in namen:
            start = time.perf_counter()
            werkplek.klanten.zoek(naam)
            tijden.append((time.perf_counter() - start) * 1000)
    sleutels = len(NaamVocabulaire.voor(engine).sleutels)
    print(
        json.dumps(
            {
                "eerste_ms": tijden[0],
                "tweede_ms": tijden[1] if len(tijden) > 1 else 0.0,
                "warm_op_ms": wacht_ms,
                "sleutels": sleutels,
            }
        )
    )


# --- extrapolation ------------------------------------------------------------------------


def extrapoleer(uitslagen: list[dict[str, object]], doel: int = 10_000_000) -> str:
    """Per kind: least squares of p95 = a + b·ln(klanten) over the measured sizes, at 10M;
    never less than the largest p95 measured."""
    per_soort: dict[str, list[tuple[float, float]]] = {}
    for uitslag in uitslagen:
        n = float(uitslag["klanten"])  # type: ignore[arg-type]
        for naam, cijfers in uitslag["metingen"].items():  # type: ignore[attr-defined]
            per_soort.setdefault(naam, []).append((math.log(n), cijfers["p95"]))
    regels = [f"Extrapolatie naar {doel:,} klanten: p95 = a + b·ln(N), kleinste kwadraten"]
    for naam, punten in per_soort.items():
        if len({x for x, _ in punten}) < 2:
            continue
        mx = sum(x for x, _ in punten) / len(punten)
        my = sum(y for _, y in punten) / len(punten)
        b = sum((x - mx) * (y - my) for x, y in punten) / sum((x - mx) ** 2 for x, _ in punten)
        a = my - b * mx
        gemeten = ", ".join(f"{math.exp(x):,.0f}: {y:.1f}" for x, y in punten)
        # never below what was measured: a falling line is noise (a shared machine), not
        # a lookup that gets faster with more data
        schatting = max(a + b * math.log(doel), max(y for _, y in punten))
        regels.append(
            f"  {naam:<42} +{b * math.log(10):5.1f} ms per ×10 → {schatting:7.1f} ms"
            f"   (gemeten p95 {gemeten})"
        )
    return "\n".join(regels)


def load() -> str:
    een, vijf, vijftien = os.getloadavg()
    return f"{een:.2f} {vijf:.2f} {vijftien:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--klanten", type=int, default=1_000_000)
    parser.add_argument("--contactmomenten", type=int, default=None)
    parser.add_argument("--herhaal", type=int, default=300, help="metingen per zoekvorm")
    parser.add_argument("--sqlite-bestand", help="bewaar/hergebruik dit SQLite-bestand")
    parser.add_argument("--pg-database", help="eigen PostgreSQL-database die blijft bestaan")
    parser.add_argument("--hergebruik", action="store_true", help="gebruik de data die er al staat")
    parser.add_argument(
        "--verwijder", action="store_true", help="verwijder --pg-database na afloop"
    )
    parser.add_argument("--uitslag", help="JSON-bestand: cijfers per omvang, voor extrapolatie")
    parser.add_argument("--koud", help=argparse.SUPPRESS)
    parser.add_argument("--koud-namen", help=argparse.SUPPRESS)
    parser.add_argument("--koud-warm-op", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.koud:
        _kind_koud(args.koud, json.loads(args.koud_namen), args.koud_warm_op)
        return
    contactmomenten = args.contactmomenten or args.klanten * 5
    rng = random.Random(11)
    if args.backend == "postgresql" and args.pg_database:
        database = pg_database(args.pg_database, opnieuw=not args.hergebruik)
    else:
        database = scratch_engine(args.backend, args.sqlite_bestand)
    with database as engine, tempfile.TemporaryDirectory() as map_:
        if not (args.hergebruik and not is_leeg(engine)):
            if not is_leeg(engine):
                raise SystemExit("Deze database heeft al klanten; gebruik --hergebruik.")
            vul_database(engine, args.klanten, contactmomenten, rng)
        steekproef = neem_steekproef(engine, args.herhaal, rng)
        url = engine.url.render_as_string(hide_password=False)
        namen = steekproef.vragen["naam met één typefout"][:2]
        koud = koude_vocabulaire(url, namen, warm_op=False)
        warm = koude_vocabulaire(url, namen, warm_op=True)
        belasting_voor = load()
        metingen = meet_alles(engine, steekproef, args.herhaal, map_)
        belasting_na = load()

    if args.verwijder and args.pg_database:
        verwijder_pg_database(args.pg_database)
    print()
    print(
        f"Backend: {args.backend} · "
        + " · ".join(f"{v:,} {k}" for k, v in steekproef.tellingen.items())
        + f" · load (1/5/15 min) voor {belasting_voor}, na {belasting_na}"
    )
    if koud:
        print(
            f"Nieuw proces, eerste naamzoekactie zonder opwarmen: {koud['eerste_ms']:.0f} ms "
            f"(vocabulaire laden, {koud['sleutels']:,.0f} naamsleutels), de tweede "
            f"{koud['tweede_ms']:.1f} ms"
        )
    if warm:
        print(
            f"Nieuw proces met opwarmen bij het aanmelden (achtergrond, {warm['warm_op_ms']:.0f}"
            f" ms): eerste naamzoekactie {warm['eerste_ms']:.1f} ms, de tweede "
            f"{warm['tweede_ms']:.1f} ms"
        )
    print(
        tabel(
            "Basis: naïeve LIKE '%…%'-scan (zoeken), vorige implementatie (klantbeeld); "
            "factor = basis p50 / p50",
            metingen,
        )
    )
    if args.uitslag:
        pad = Path(args.uitslag)
        uitslagen = json.loads(pad.read_text()) if pad.exists() else []
        uitslagen = [u for u in uitslagen if u["klanten"] != steekproef.tellingen["klanten"]]
        uitslagen.append(
            {
                "klanten": steekproef.tellingen["klanten"],
                "backend": args.backend,
                "load": [belasting_voor, belasting_na],
                "metingen": {m.naam: {"p50": m.p50, "p95": m.p95} for m in metingen},
            }
        )
        pad.write_text(json.dumps(sorted(uitslagen, key=lambda u: u["klanten"]), indent=1))
        if len(uitslagen) >= 2:
            print()
            print(extrapoleer(uitslagen))


if __name__ == "__main__":
    main()
