"""Mail settings of ``kiss dienst``: SMTP server and the daily reminder time.

From the ``[mail]`` table of ``kiss.toml`` and ``KISS_SMTP_*`` / ``KISS_MAIL_*`` environment
variables (which win). The password is read from the environment or a file, never from the
TOML file, and never appears in a message or log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class MailInstellingen:
    host: str = ""  # empty: no mail is sent (rows wait in the outbox)
    poort: int = 25
    starttls: bool = False
    cafile: str = ""  # a municipality's own CA for the mail server's certificate (PEM)
    gebruiker: str = ""
    wachtwoord: str = ""
    afzender: str = "kiss@localhost"
    herinnering: time = time(7, 0)  # daily reminder, Dutch time, on werkdagen
    timeout_s: float = 10.0

    @property
    def actief(self) -> bool:
        return bool(self.host)

    def __repr__(self) -> str:  # keep the password out of any log or traceback
        return (
            f"MailInstellingen(host={self.host!r}, poort={self.poort}, "
            f"starttls={self.starttls}, gebruiker={self.gebruiker!r}, afzender={self.afzender!r})"
        )
