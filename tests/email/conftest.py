"""Real mail servers on loopback: Dovecot (IMAP over TLS, a self-signed certificate made
here) and aiosmtpd (SMTP), each on a free port.

Dovecot is Debian's ``dovecot-imapd``. When it is missing and the tests run as root with
apt-get (CI), the set-up installs it; otherwise the IMAP tests are skipped with the reason.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from kiss.services.email.instellingen import EmailInstellingen
from kiss.services.meldingen.instellingen import MailInstellingen

DOVECOT = "/usr/sbin/dovecot"
GEBRUIKER, WACHTWOORD = "kcc", "geheim-wachtwoord-123"
CENTRAAL = "info@gemeente.example"


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _installeer_dovecot() -> str | None:
    """None when dovecot is there (installed now if possible), else the reason it is not."""
    if Path(DOVECOT).exists():
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "dovecot-imapd ontbreekt en kan hier niet geïnstalleerd worden (geen root/apt-get)"
    omgeving = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for opdracht in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q",
                                                    "dovecot-imapd"]):  # fmt: skip
        klaar = subprocess.run(opdracht, capture_output=True, text=True, env=omgeving, timeout=600)
        if klaar.returncode != 0 and opdracht[1] == "install":
            return f"apt-get install dovecot-imapd mislukte: {klaar.stderr[-300:]}"
    return None if Path(DOVECOT).exists() else "dovecot is na installatie niet gevonden"


@dataclass
class Imap:
    poort: int
    ca: Path
    map: str = "INBOX"

    def instellingen(self, **extra: Any) -> EmailInstellingen:
        return EmailInstellingen(
            imap_host="127.0.0.1",
            imap_poort=self.poort,
            gebruiker=GEBRUIKER,
            wachtwoord=WACHTWOORD,
            ca_bestand=str(self.ca),
            adres=CENTRAAL,
            map=self.map,
            **extra,
        )

    def verbind(self) -> imaplib.IMAP4_SSL:
        imap = imaplib.IMAP4_SSL(
            "127.0.0.1", self.poort, ssl_context=ssl.create_default_context(cafile=str(self.ca))
        )
        imap.login(GEBRUIKER, WACHTWOORD)
        return imap

    def bezorg(self, bericht: EmailMessage | bytes, moment: datetime | None = None) -> None:
        """Put a mail in the folder (IMAP APPEND), with its arrival time when given."""
        ruw = bericht if isinstance(bericht, bytes) else bytes(bericht)
        imap = self.verbind()
        try:
            imap.append(self.map, "", imaplib.Time2Internaldate(moment) if moment else None, ruw)
        finally:
            imap.logout()


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imap]:
    reden = _installeer_dovecot()
    if reden:
        pytest.skip(reden)
    if shutil.which("openssl") is None:
        pytest.skip("openssl ontbreekt: geen testcertificaat voor IMAP over TLS")
    # not under pytest's own folder: dovecot's unprivileged processes must reach the files
    map_ = Path(tempfile.mkdtemp(prefix="kiss-dovecot-"))
    map_.chmod(0o755)
    cert, sleutel = map_ / "cert.pem", map_ / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(sleutel), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    thuis = map_ / "home"
    thuis.mkdir()
    shutil.chown(thuis, "mail", "mail")
    (map_ / "users").write_text(f"{GEBRUIKER}:{{PLAIN}}{WACHTWOORD}::::::\n")
    poort = _vrije_poort()
    conf = map_ / "dovecot.conf"
    conf.write_text(
        f"""
base_dir = {map_}/run
state_dir = {map_}/state
log_path = {map_}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{sleutel}
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 1
mail_location = maildir:~/Maildir
default_login_user = dovenull
default_internal_user = dovecot
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {map_}/users
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={thuis}/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {poort}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
    )
    proces = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    imap = Imap(poort, cert)
    tot = time.monotonic() + 20
    while True:
        try:
            imap.verbind().logout()
            break
        except Exception as exc:
            if proces.poll() is not None or time.monotonic() > tot:
                proces.kill()
                log = (map_ / "dovecot.log").read_text() if (map_ / "dovecot.log").exists() else ""
                uitvoer = proces.stdout.read().decode() if proces.stdout else ""
                pytest.skip(f"dovecot start niet: {exc!r} {uitvoer[-400:]} {log[-400:]}")
            time.sleep(0.1)
    try:
        yield imap
    finally:
        proces.terminate()
        try:
            proces.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proces.kill()
        shutil.rmtree(map_, ignore_errors=True)


_TELLER = iter(range(1, 1_000_000))


@pytest.fixture
def postvak(dovecot: Imap) -> Imap:
    """A fresh, empty folder per test on the shared server."""
    naam = f"test{next(_TELLER)}"
    imap = dovecot.verbind()
    try:
        imap.create(naam)
    finally:
        imap.logout()
    return Imap(dovecot.poort, dovecot.ca, naam)


# ---------------------------------------------------------------------------- SMTP


@dataclass
class Smtp:
    poort: int
    ontvangen: list[bytes] = field(default_factory=list)
    weiger_eerst: int = 0  # answer 451 to this many DATA commands first
    pogingen: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mail(self) -> MailInstellingen:
        return MailInstellingen(host="127.0.0.1", poort=self.poort, afzender=CENTRAAL)


class _Handler:
    def __init__(self, smtp: Smtp) -> None:
        self.smtp = smtp

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.smtp.lock:
            self.smtp.pogingen += 1
            if self.smtp.weiger_eerst > 0:
                self.smtp.weiger_eerst -= 1
                return "451 4.3.0 Tijdelijk niet beschikbaar"
            self.smtp.ontvangen.append(bytes(envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    from aiosmtpd.controller import Controller

    server = Smtp(_vrije_poort())
    controller = Controller(_Handler(server), hostname="127.0.0.1", port=server.poort)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
