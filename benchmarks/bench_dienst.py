"""Benchmark: from the phone system's ``answer`` webhook to the agent's desktop (issue 16).

    python benchmarks/bench_dienst.py                        # SQLite and PostgreSQL, 30 calls
    python benchmarks/bench_dienst.py --backend postgresql --oproepen 100

Starts ``kiss dienst`` as a real process on a free loopback port against a scratch database,
then answers calls one at a time and measures (1) the webhook's HTTP round trip and (2) the
time from sending the webhook until :class:`OproepLuisteraar` returns the pop. Goal (p95):
300 ms on PostgreSQL (LISTEN/NOTIFY), 1 s on SQLite (polling every 0.25 s). Baseline in the
same run: a listener that simply polls the table once a second.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine

from benchmarks.common import Meting, scratch_engine, tabel
from kiss.db import session_scope
from kiss.models import DigitaalAdres, Gemeente, Klant, Medewerker
from kiss.services.telefonie.luisteraar import OproepLuisteraar
from kiss.validation import valideer_telefoon

TOKEN = "bench-token-0123456789abcdef"


def _gegevens(engine: Engine) -> Medewerker:
    with session_scope(engine) as session:
        session.add(Gemeente(naam="Haarlem", code="0392"))
        medewerker = Medewerker(gebruikersnaam="agent", achternaam="Agent", toestel="2301")
        klant = Klant(voornamen="Test", achternaam="Beller", naam_sleutel="beller")
        session.add_all([medewerker, klant])
        session.flush()
        session.add(DigitaalAdres(klant_id=klant.id, soort="telefoonnummer", waarde="0612345678",
                                  genormaliseerd=valideer_telefoon("0612345678")))  # fmt: skip
        return medewerker


def _start(engine: Engine, folder: str) -> tuple[subprocess.Popen[str], str]:
    config = Path(folder) / "leeg.toml"
    config.write_text("", encoding="utf-8")
    env = {**os.environ, "KISS_CONFIG": str(config), "KISS_DIENST_TOKENS": TOKEN,
           "KISS_DATABASE_URL": engine.url.render_as_string(hide_password=False)}  # fmt: skip
    proces = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from kiss.cli import main; raise SystemExit(main())",
            "dienst",
            "--poort",
            "0",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proces.stdout is not None
    regel = proces.stdout.readline()
    return proces, regel.split("luistert op", 1)[1].strip()


def _answer(url: str, call_id: str) -> None:
    body = json.dumps({"event": "answer", "callId": call_id, "direction": "in",
                       "from": "0612345678", "answeringNumber": "2301"}).encode()  # fmt: skip
    verzoek = urllib.request.Request(
        f"{url}/cti/{TOKEN}", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
        antwoord.read()


def _meet(url: str, luisteraar: OproepLuisteraar, n: int, label: str) -> tuple[Meting, Meting]:
    luisteraar.wacht(0)
    http, pop = [], []
    for i in range(n):
        klaar = threading.Event()

        def luister(klaar: threading.Event = klaar) -> None:
            einde = time.monotonic() + 10
            while time.monotonic() < einde:
                if any(m.is_pop for m in luisteraar.wacht(einde - time.monotonic())):
                    klaar.set()
                    return

        draad = threading.Thread(target=luister)
        draad.start()
        time.sleep(0.03)
        begin = time.perf_counter()
        _answer(url, f"{label}-{i}".replace(" ", "_").replace(",", ""))
        http.append((time.perf_counter() - begin) * 1000)
        draad.join()
        assert klaar.is_set(), "geen pop"
        pop.append((time.perf_counter() - begin) * 1000)
    return Meting(f"webhook HTTP ({label})", http), Meting(f"webhook → pop ({label})", pop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "beide"), default="beide")
    parser.add_argument("--oproepen", type=int, default=30)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "beide" else (args.backend,)
    metingen: list[Meting] = []
    for backend in backends:
        with scratch_engine(backend) as engine, tempfile.TemporaryDirectory() as folder:
            medewerker = _gegevens(engine)
            proces, url = _start(engine, folder)
            try:
                basis_luisteraar = OproepLuisteraar(engine, medewerker.id, poll_s=1.0,
                                                    notify=False)  # fmt: skip
                _, basis = _meet(url, basis_luisteraar, args.oproepen, f"{backend}, poll 1 s")
                luisteraar = OproepLuisteraar(engine, medewerker.id)
                soort = "LISTEN/NOTIFY" if backend == "postgresql" else "poll 0,25 s"
                http, pop = _meet(url, luisteraar, args.oproepen, f"{backend}, {soort}")
                luisteraar.sluit()
                pop.doel_ms = 300 if backend == "postgresql" else 1000
                pop.basis = basis
                metingen += [http, pop, basis]
            finally:
                proces.send_signal(signal.SIGTERM)
                proces.wait(timeout=30)
    print(tabel(f"kiss dienst: answer → pop ({args.oproepen} oproepen per meting)", metingen))


if __name__ == "__main__":
    main()
