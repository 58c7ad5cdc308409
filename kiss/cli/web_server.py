"""textual-serve's server, with logging that never prints local variables (they can hold a
database password) and without its banner."""

from __future__ import annotations

import logging

from rich.logging import RichHandler
from textual_serve.server import Server


class KissServer(Server):
    def initialize_logging(self) -> None:
        logging.basicConfig(
            level="INFO",
            format="%(message)s",
            handlers=[
                RichHandler(
                    show_path=False,
                    rich_tracebacks=True,
                    tracebacks_show_locals=False,
                    console=self.console,
                )
            ],
        )

    async def on_startup(self, app: object) -> None:
        """No banner: ``kiss web`` says where it listens itself."""
