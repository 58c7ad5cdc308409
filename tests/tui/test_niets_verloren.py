"""Nothing typed is lost (issue 12, point 5): the database connection dies mid-typing (a real
TCP proxy in front of PostgreSQL is cut), and a real ``kiss`` process is killed with SIGKILL
while the agent types."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import socket
import struct
import sys
import termios
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, select, text, update
from sqlalchemy.engine import make_url
from sqlmodel import Session
from textual.widgets import Input, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import make_engine
from kiss.models import Contactmoment, ContactmomentStatus, Medewerker
from kiss.werkplek import NieuwContact, Werkplek
from kiss.werkplek.herstel import Herstelbestand, standaard_pad
from tests.conftest import _truncate_all
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (160, 50)
KISS = str(Path(sys.executable).parent / "kiss")  # the installed entry point


class Proxy:
    """A TCP forwarder on loopback that the test can cut (every connection dropped, new
    ones refused) and restore."""

    def __init__(self, host: str, port: int) -> None:
        self.doel = (host, port)
        self.luister = socket.create_server(("127.0.0.1", 0))
        self.port = self.luister.getsockname()[1]
        self.open = True
        self.paren: list[tuple[socket.socket, socket.socket]] = []
        self._stop = False
        threading.Thread(target=self._aanvaard, daemon=True).start()

    def _aanvaard(self) -> None:
        while not self._stop:
            try:
                klant, _ = self.luister.accept()
            except OSError:
                return
            if not self.open:
                klant.close()
                continue
            server = socket.create_connection(self.doel)
            self.paren.append((klant, server))
            for van, naar in ((klant, server), (server, klant)):
                threading.Thread(target=self._pomp, args=(van, naar), daemon=True).start()

    @staticmethod
    def _pomp(van: socket.socket, naar: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := van.recv(65536):
                naar.sendall(data)
        for s in (van, naar):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def verbreek(self) -> None:
        self.open = False
        for klant, server in self.paren:
            for s in (klant, server):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
        self.paren.clear()

    def herstel(self) -> None:
        self.open = True

    def sluit(self) -> None:
        self._stop = True
        self.verbreek()
        self.luister.close()


def _als_agent(engine: Engine) -> None:
    """On PostgreSQL the database login decides who you are: make it the factory's agent."""
    with Session(engine) as session:
        login = session.execute(text("SELECT session_user")).scalar_one()
        session.execute(
            update(Medewerker)
            .where(Medewerker.gebruikersnaam == "agent")
            .values(gebruikersnaam=login)
        )
        session.commit()


def _concept_notities(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(
            session.execute(
                select(Contactmoment.notitie).where(
                    Contactmoment.status == ContactmomentStatus.CONCEPT
                )
            ).scalars()
        )


async def test_a_dead_database_connection_mid_typing_keeps_the_text_and_recovers(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    direct = make_engine(postgres_schema_url)
    _truncate_all(direct)
    bouw_wereld(direct)
    _als_agent(direct)
    url = make_url(postgres_schema_url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    via_proxy = make_engine(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )
    werkplek = Werkplek(via_proxy, Settings(), herstel_pad=tmp_path / "herstel.json")
    app = KissApp(settings=Settings(), engine=via_proxy, werkplek=werkplek)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.action_nieuw_contact(NieuwContact("balie", "Haarlem", ""))
            await settle(app, pilot)
            notitie = app.contact_scherm.query_one("#notitie", TextArea)
            notitie.focus()
            await pilot.press(*"Eerste deel. ")
            await pilot.pause(1.5)
            await settle(app, pilot)
            assert _concept_notities(direct) == ["Eerste deel. "]

            proxy.verbreek()  # the network to the database dies while the agent types on
            await pilot.press(*"Tweede deel tijdens de storing.")
            await pilot.pause(2.0)
            await settle(app, pilot)
            assert notitie.text == "Eerste deel. Tweede deel tijdens de storing."
            assert "database niet bereikbaar" in app.sub_title
            meldingen = " ".join(str(n.message) for n in app._notifications)
            assert "niet bereikbaar" in meldingen and "lokaal bewaard" in meldingen
            assert "Traceback" not in meldingen
            herstel = Herstelbestand(tmp_path / "herstel.json").lees()
            assert [i.notitie for i in herstel.values()] == [notitie.text]
            assert _concept_notities(direct) == ["Eerste deel. "]

            proxy.herstel()  # the database is back: the next autosave catches up by itself
            for _ in range(40):
                await pilot.pause(0.25)
                if _concept_notities(direct) == [notitie.text]:
                    break
            await settle(app, pilot)
            assert _concept_notities(direct) == ["Eerste deel. Tweede deel tijdens de storing."]
            assert "database niet bereikbaar" not in app.sub_title
            assert not (tmp_path / "herstel.json").exists()
    finally:
        proxy.sluit()
        via_proxy.dispose()
        direct.dispose()


def _lees_alles(fd: int, stop: threading.Event, uitvoer: bytearray) -> None:
    """Drain the terminal: a full pty buffer would block the app's output."""
    while not stop.is_set():
        try:
            data = os.read(fd, 65536)
        except OSError:
            return
        if not data:
            return
        uitvoer.extend(data[-4096:])


async def test_kill_9_while_typing_loses_at_most_the_last_3_seconds(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_wereld(sqlite_engine)
    database = str(sqlite_engine.url.database)
    state = tmp_path / "state"
    omgeving = {
        **os.environ,
        "XDG_STATE_HOME": str(state),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    omgeving.pop("TEXTUAL", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real kiss, straight into a new call (caller-ID pop)
        os.chdir(tmp_path)  # no kiss.toml of the developer's
        os.execvpe(
            KISS,
            [KISS, "--database", database, "--medewerker", "agent",
             "contact", "--kanaal", "telefoon", "--nummer", "0612345678"],
            omgeving,
        )  # fmt: skip
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    stop = threading.Event()
    uitvoer = bytearray()
    threading.Thread(target=_lees_alles, args=(fd, stop, uitvoer), daemon=True).start()
    getypt: list[tuple[float, str]] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # wait until the call is open in the database
            with Session(sqlite_engine) as session:
                if session.execute(select(Contactmoment.id)).first():
                    break
            time.sleep(0.2)
        else:
            raise AssertionError(f"kiss startte geen contact: {bytes(uitvoer[-2000:])!r}")
        time.sleep(1.5)  # the klantbeeld pops, the cursor lands in the onderwerp
        zin = "Wil paspoort verlengen voor reis naar Canada in december; vraagt naar spoed "
        for teken in zin + zin.upper():
            os.write(fd, teken.encode())
            getypt.append((time.monotonic(), teken))
            time.sleep(0.04)
        gedood_op = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    finally:
        stop.set()
        with contextlib.suppress(OSError):
            os.close(fd)
    zeker = "".join(t for moment, t in getypt if moment <= gedood_op - 3.0)
    assert len(zeker) > 40

    os.environ["XDG_STATE_HOME"] = str(state)
    try:
        engine = make_engine(database)
        with Session(engine) as session:
            agent = session.execute(
                select(Medewerker).where(Medewerker.gebruikersnaam == "agent")
            ).scalar_one()
        pad = standaard_pad(str(engine.url), agent.id)
        app = KissApp(
            settings=Settings(),
            engine=engine,
            medewerker="agent",
            werkplek=Werkplek(engine, Settings(), herstel_pad=pad),
        )
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert "niet-afgerond" in str(app.screen.query_one("Label").content)
            await pilot.press("enter")  # "Verder"
            await settle(app, pilot)
            onderwerp = app.contact_scherm.query_one("#onderwerp", Input).value
        engine.dispose()
    finally:
        os.environ.pop("XDG_STATE_HOME", None)
    assert onderwerp.startswith(zeker), (zeker, onderwerp)
