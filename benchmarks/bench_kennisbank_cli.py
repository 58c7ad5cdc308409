"""Benchmark: ``kiss kennisbank zoek`` as a whole process, on the demo kennisbank and on a
10,000-article kennisbank (SQLite), to show a bigger kennisbank does not make the command slow
(goal: 10k ≤ 1.5× demo). The index file is built by the first call (not measured); every
measured call is a new process that opens it.

    python benchmarks/bench_kennisbank_cli.py [--herhaal 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from kiss.db import make_engine, session_scope, upgrade
from kiss.models import ArtikelStatus, Kennisartikel, utcnow
from kiss.services.kennisbank.artikelen import importeer_pad
from kiss.services.smoelenboek.importeren import importeer_map

ROOT = Path(__file__).resolve().parent.parent
KISS = Path(sys.executable).parent / "kiss"
VRAGEN = ["paspoort verlengen", "grofvuil ophalen", "parkeervergunnig"]


def maak(pad: Path, extra: int) -> None:
    engine = make_engine(str(pad))
    upgrade(engine)
    with session_scope(engine) as session:
        importeer_map(session, ROOT / "data" / "smoelenboek")
        importeer_pad(session, ROOT / "data" / "kennisbank")
    nu = utcnow()
    onderwerpen = ["parkeren", "afval", "paspoort", "subsidie", "verhuizing", "belasting"]
    rijen = [
        {
            "id": uuid.uuid4(),
            "sleutel": f"extra-{i}",
            "titel": f"{onderwerpen[i % 6].capitalize()} regeling {i} wijk{i % 97}",
            "samenvatting": f"Alles over {onderwerpen[i % 6]} in wijk{i % 97}, nummer {i}.",
            "inhoud": f"Regel {i} over {onderwerpen[(i * 7) % 6]} en {onderwerpen[i % 5]}. " * 8,
            "trefwoorden": [onderwerpen[i % 6], f"wijk{i % 97}"],
            "synoniemen": [],
            "vragen": [],
            "gemeenten": [],
            "status": ArtikelStatus.GEPUBLICEERD,
            "gewijzigd_op": nu - timedelta(seconds=i + 10),
        }
        for i in range(extra)
    ]
    if rijen:
        with session_scope(engine) as session:
            for i in range(0, len(rijen), 2000):
                session.execute(insert(Kennisartikel), rijen[i : i + 2000])
    engine.dispose()


def roep(pad: Path, vraag: str) -> float:
    begin = time.perf_counter()
    subprocess.run(
        [str(KISS), "--database", str(pad), "--medewerker", "M1002",
         "kennisbank", "zoek", vraag],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )  # fmt: skip
    return (time.perf_counter() - begin) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--herhaal", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as map_:
        resultaten = {}
        for naam, extra in (("demo (50 artikelen)", 0), ("10.050 artikelen", 10_000)):
            pad = Path(map_) / f"{extra}.db"
            maak(pad, extra)
            begin = time.perf_counter()
            roep(pad, VRAGEN[0])  # builds the index file once
            bouw = time.perf_counter() - begin
            tijden = [roep(pad, VRAGEN[i % len(VRAGEN)]) for i in range(args.herhaal)]
            resultaten[naam] = (bouw, tijden)
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} (gedeeld)")
        print(f"{'kennisbank':<22}{'1e aanroep s':>13}{'p50 ms':>9}{'max ms':>9}")
        for naam, (bouw, tijden) in resultaten.items():
            print(f"{naam:<22}{bouw:13.1f}{statistics.median(tijden):9.0f}{max(tijden):9.0f}")
        demo, groot = (statistics.median(t) for _, t in resultaten.values())
        print(f"verhouding 10k / demo (p50): {groot / demo:.2f}x (doel ≤ 1,5x)")


if __name__ == "__main__":
    main()
