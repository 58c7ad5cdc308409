"""Benchmark: cold start of the ``kiss`` TUI to the first usable screen (issue 12).

    python benchmarks/bench_start.py             # 15 runs of each
    python benchmarks/bench_start.py --runs 30
    python benchmarks/bench_start.py --importtime   # also: the heaviest imports on the path

Prepares a demo SQLite database (the demo generator, fixed seed and date), then launches
a fresh Python process per run that calls the real entry point (``kiss.cli.main``, what the
``kiss`` script runs) with Textual's headless driver. The only change in that process: when
the medewerker is logged in (the login worker finished) and the klant screen has been drawn
once, the app exits. Measured from outside: wall time from launch to the first usable screen
and to the end of the process, and the CPU seconds (user + system) of the whole process.

Bytecode: the measured processes use .pyc files (written by a warm-up run into a scratch
``PYTHONPYCACHEPREFIX``), as an installed KISS does; the file cache is warm, so "cold" means
a new process, not a cold disk.

Baseline in the same run: a bare Textual app that mounts a Header and a Footer and exits
after its first refresh, launched the same way.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Meting, tabel

NU = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
DOEL_MS = 1500.0
HEADLESS = "textual.drivers.headless_driver:HeadlessDriver"

# What runs in the measured process. It writes the wall-clock moment the screen is usable
# to the file named by KISS_BENCH_KLAAR, then the app exits as if the agent pressed ctrl+q.
KISS = """
import os, sys, time
from kiss.app import KissApp

origineel = KissApp._aangemeld

def aangemeld(self, aanmelding):
    origineel(self, aanmelding)

    def klaar():
        with open(os.environ["KISS_BENCH_KLAAR"], "w") as f:
            f.write(repr(time.time()))
        self.exit(0)

    self.call_after_refresh(klaar)

KissApp._aangemeld = aangemeld
from kiss.cli import main
sys.exit(main(sys.argv[1:]))
"""

KAAL = """
import os, sys, time
from textual.app import App
from textual.widgets import Footer, Header

class Kaal(App):
    def compose(self):
        yield Header()
        yield Footer()

    def on_mount(self):
        def klaar():
            with open(os.environ["KISS_BENCH_KLAAR"], "w") as f:
                f.write(repr(time.time()))
            self.exit(0)

        self.call_after_refresh(klaar)

Kaal().run()
"""


def bereid_database(pad: Path) -> str:
    """A migrated demo database; returns the personeelsnummer of an agent to log in as."""
    from sqlmodel import select

    from kiss.config import Settings
    from kiss.db import make_engine, read_scope, upgrade
    from kiss.demo import genereer
    from kiss.models import Medewerker

    engine = make_engine(str(pad))
    upgrade(engine)
    genereer(engine, Settings(), seed=2026, nu=NU)
    with read_scope(engine) as session:
        wie = session.exec(
            select(Medewerker.personeelsnummer)
            .where(Medewerker.rollen.like("%kcc%"))  # type: ignore[attr-defined]
            .order_by(Medewerker.personeelsnummer)
        ).first()
    engine.dispose()
    assert wie, "de demo heeft geen KCC-medewerker"
    return wie


def een_run(code: str, argv: list[str], omgeving: dict[str, str]) -> tuple[float, float, float]:
    """(ms to the first usable screen, ms to the end of the process, CPU seconds)."""
    with tempfile.TemporaryDirectory() as map_:
        klaar_bestand = Path(map_) / "klaar"
        env = {**omgeving, "KISS_BENCH_KLAAR": str(klaar_bestand)}
        voor = resource.getrusage(resource.RUSAGE_CHILDREN)
        start_wand = time.time()
        start = time.perf_counter()
        proces = subprocess.run(
            [sys.executable, "-c", code, *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        einde = time.perf_counter()
        na = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proces.returncode != 0 or not klaar_bestand.exists():
            raise SystemExit(
                f"Het proces stopte met code {proces.returncode} zonder bruikbaar scherm:\n"
                f"{proces.stdout[-2000:]}\n{proces.stderr[-4000:]}"
            )
        eerste_scherm = (float(klaar_bestand.read_text()) - start_wand) * 1000
    cpu = (na.ru_utime - voor.ru_utime) + (na.ru_stime - voor.ru_stime)
    return eerste_scherm, (einde - start) * 1000, cpu


def importtijden(argv: list[str], omgeving: dict[str, str], top: int = 25) -> str:
    """The heaviest self+children import times on the start path (``python -X importtime``)."""
    with tempfile.TemporaryDirectory() as map_:
        env = {**omgeving, "KISS_BENCH_KLAAR": str(Path(map_) / "klaar")}
        proces = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", KISS, *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
    rijen = []
    for regel in proces.stderr.splitlines():
        if not regel.startswith("import time:") or "|" not in regel:
            continue
        _, totaal, naam = (deel.strip() for deel in regel.split("|"))
        if totaal.isdigit():
            rijen.append((int(totaal), naam))
    rijen.sort(reverse=True)
    return "\n".join(f"{t / 1000:9.1f} ms  {n}" for t, n in rijen[:top])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as map_:
        database = Path(map_) / "kiss.db"
        print("Demodatabase maken…", file=sys.stderr)
        wie = bereid_database(database)
        (Path(map_) / "leeg.toml").write_text("", encoding="utf-8")
        omgeving = {
            **os.environ,
            "TEXTUAL_DRIVER": HEADLESS,
            "TEXTUAL_ANIMATIONS": "none",
            # no user config; recovery files and the search index stay in the scratch map
            "KISS_CONFIG": str(Path(map_) / "leeg.toml"),
            "KISS_ZOEKINDEX_MAP": map_,
            "XDG_DATA_HOME": map_,
            "XDG_CONFIG_HOME": map_,
            "XDG_CACHE_HOME": map_,
            "XDG_STATE_HOME": map_,
            # bytecode as an installed KISS has it (pip compiles it): the warm-up run writes
            # it into the scratch map, also where PYTHONDONTWRITEBYTECODE is set
            "PYTHONPYCACHEPREFIX": str(Path(map_) / "pycache"),
        }
        omgeving.pop("PYTHONDONTWRITEBYTECODE", None)
        for naam in ("KISS_DATABASE_URL", "KISS_GEMEENTE", "KISS_SERVICENORM_UREN"):
            omgeving.pop(naam, None)
        argv = ["--database", str(database), "--medewerker", wie]

        een_run(KISS, argv, omgeving)  # warm the OS file cache and write the .pyc files
        een_run(KAAL, [], omgeving)
        kiss_scherm, kiss_proces, kiss_cpu, kaal_scherm, kaal_proces, kaal_cpu = (
            [] for _ in range(6)
        )
        for _ in range(args.runs):  # interleaved, so a busy moment hits both
            s, p, c = een_run(KISS, argv, omgeving)
            kiss_scherm.append(s)
            kiss_proces.append(p)
            kiss_cpu.append(c)
            s, p, c = een_run(KAAL, [], omgeving)
            kaal_scherm.append(s)
            kaal_proces.append(p)
            kaal_cpu.append(c)

        kaal = Meting("kale Textual-app (Header+Footer)", kaal_scherm)
        metingen = [
            Meting("kiss → eerste bruikbare scherm", kiss_scherm, doel_ms=DOEL_MS),
            Meting("kiss → einde proces", kiss_proces),
            kaal,
            Meting("kale app → einde proces", kaal_proces),
            Meting("kiss CPU-ms (heel proces)", [c * 1000 for c in kiss_cpu]),
            Meting("kale app CPU-ms (heel proces)", [c * 1000 for c in kaal_cpu]),
        ]
        print(
            tabel(
                f"Koude start op een demodatabase (SQLite, {args.runs} runs, "
                f"{os.cpu_count()} cores)",
                metingen,
            )
        )
        wand = metingen[0].p50 / kaal.p50
        cpu = metingen[4].p50 / metingen[5].p50
        status = "ok" if metingen[0].p95 <= DOEL_MS else "TE TRAAG"
        print(
            f"kiss / kale app (p50): {wand:.1f}x wandtijd, {cpu:.1f}x CPU; "
            f"doel p95 ≤ {DOEL_MS:g} ms: {status}"
        )
        if args.importtime:
            print("\nZwaarste imports op het startpad (cumulatief, python -X importtime):")
            print(importtijden(argv, omgeving))


if __name__ == "__main__":
    main()
