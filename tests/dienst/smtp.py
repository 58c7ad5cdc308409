"""A real SMTP server on loopback (aiosmtpd) that records what it receives and can refuse."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def vrije_poort() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Postbus:
    """Handler: stores every accepted message; refuses the first ``weiger`` with a 451."""

    weiger: int = 0
    berichten: list[Message] = field(default_factory=list)
    pogingen: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.pogingen += 1
        if self.pogingen <= self.weiger:
            return "451 Tijdelijk niet beschikbaar"
        self.berichten.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def teksten(self) -> list[str]:
        return [f"{b['Subject']}\n{b.get_content()}" for b in self.berichten]  # type: ignore[attr-defined]


def _alleen(gebruiker: str, wachtwoord: str) -> Any:
    """An authenticator that lets exactly one login in."""

    def controleer(server: Any, session: Any, envelope: Any, mechanisme: str, data: Any) -> Any:
        goed = isinstance(data, LoginPassword) and (data.login, data.password) == (
            gebruiker.encode(),
            wachtwoord.encode(),
        )
        return AuthResult(success=goed)

    return controleer


@contextmanager
def smtp_server(
    postbus: Postbus,
    poort: int | None = None,
    login: tuple[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
) -> Iterator[int]:
    poort = poort or vrije_poort()
    extra: dict[str, Any] = {}
    if tls is not None:
        extra = {"tls_context": tls, "require_starttls": True}
    if login is not None:  # plain AUTH on loopback (no TLS in the test)
        extra |= {"authenticator": _alleen(*login), "auth_required": True,
                 "auth_require_tls": False}  # fmt: skip
    controller = Controller(postbus, hostname="127.0.0.1", port=poort, **extra)
    controller.start()
    try:
        yield poort
    finally:
        controller.stop()


def zelf_ondertekend(map_: Path) -> tuple[ssl.SSLContext, Path]:
    """A certificate for 127.0.0.1 made with the openssl command: the server's TLS context
    and the PEM file a client must trust."""
    sleutel, certificaat = map_ / "sleutel.pem", map_ / "certificaat.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(sleutel), "-out", str(certificaat)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificaat, sleutel)
    return context, certificaat
