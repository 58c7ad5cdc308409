"""``kiss dienst`` as a real process on a free loopback port, against the test database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update

from kiss.db import session_scope
from kiss.models import Medewerker
from tests.factories import Wereld, bouw_wereld

TOKEN = "test-token-0123456789abcdef"


@dataclass
class Dienst:
    url: str
    proces: subprocess.Popen[str]

    def post(
        self, pad: str, data: dict[str, Any] | list[tuple[str, str]] | bytes, *, json_body: bool
    ) -> tuple[int, dict[str, Any]]:
        if isinstance(data, bytes):
            body, soort = data, "application/json"
        elif json_body:
            body, soort = json.dumps(data).encode(), "application/json"
        else:
            body = urllib.parse.urlencode(data).encode()
            soort = "application/x-www-form-urlencoded"
        verzoek = urllib.request.Request(
            self.url + pad, data=body, method="POST", headers={"Content-Type": soort}
        )
        return self._open(verzoek)

    def cti(self, **velden: Any) -> tuple[int, dict[str, Any]]:
        return self.post(f"/cti/{TOKEN}", velden, json_body=True)

    def get(self, pad: str) -> tuple[int, dict[str, Any]]:
        return self._open(urllib.request.Request(self.url + pad))

    @staticmethod
    def _open(verzoek: urllib.request.Request) -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
                return antwoord.status, json.loads(antwoord.read())
        except urllib.error.HTTPError as fout:
            return fout.code, json.loads(fout.read())

    def stop(self) -> int:
        if self.proces.poll() is None:
            self.proces.send_signal(signal.SIGTERM)
        return self.proces.wait(timeout=20)


def start_dienst(database_url: str, tmp_path: Path, **extra_env: str) -> Dienst:
    config = tmp_path / "leeg.toml"
    config.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "KISS_CONFIG": str(config),
        "KISS_DATABASE_URL": database_url,
        "KISS_DIENST_TOKENS": TOKEN,
        "KISS_DIENST_INTERVAL": "0.2",
        **extra_env,
    }
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
        stderr=open(tmp_path / "dienst.log", "w"),  # noqa: SIM115
        text=True,
    )
    assert proces.stdout is not None
    einde = time.monotonic() + 60
    regel = ""
    while time.monotonic() < einde:
        regel = proces.stdout.readline()
        if "luistert op" in regel or not regel:
            break
    if "luistert op" not in regel:
        proces.kill()
        raise AssertionError((tmp_path / "dienst.log").read_text())
    return Dienst(regel.split("luistert op", 1)[1].strip(), proces)


@pytest.fixture
def wereld(engine: Engine) -> Wereld:
    wereld = bouw_wereld(engine)
    with session_scope(engine) as session:
        session.execute(
            update(Medewerker).where(Medewerker.id == wereld.agent.id).values(toestel="2301")
        )
    return wereld


@pytest.fixture
def dienst(database_url: str, wereld: Wereld, tmp_path: Path) -> Iterator[Dienst]:
    lopend = start_dienst(database_url, tmp_path)
    yield lopend
    assert lopend.stop() == 0, (tmp_path / "dienst.log").read_text()
