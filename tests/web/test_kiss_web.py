"""``kiss web`` serves the real TUI to a browser: the page, the websocket handshake that
textual-serve's page makes, a KISS process per tab, and (when Debian's chromium is installed,
as in CI) a real headless browser."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import Engine

from tests.factories import bouw_wereld

KISS = str(Path(sys.executable).parent / "kiss")


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def kiss_web(sqlite_engine: Engine, tmp_path: Path) -> Iterator[int]:
    bouw_wereld(sqlite_engine)
    poort = _vrije_poort()
    omgeving = {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    proces = subprocess.Popen(
        [
            KISS,
            "--database",
            str(sqlite_engine.url.database),
            "--medewerker",
            "agent",
            "web",
            "--poort",
            str(poort),
        ],
        cwd=tmp_path,
        env=omgeving,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", poort), 1):
                break
            if proces.poll() is not None:
                raise AssertionError(proces.stdout.read().decode() if proces.stdout else "")
            time.sleep(0.2)
        yield poort
    finally:
        os.killpg(proces.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proces.wait(10)
        if proces.poll() is None:
            os.killpg(proces.pid, signal.SIGKILL)


async def test_the_page_and_the_websocket_run_kiss_in_a_browser_session(kiss_web: int) -> None:
    basis = f"http://127.0.0.1:{kiss_web}"
    async with aiohttp.ClientSession() as http:
        async with http.get(basis + "/") as antwoord:
            assert antwoord.status == 200
            pagina = await antwoord.text()
        assert "<title>KISS</title>" in pagina or "KISS" in pagina
        assert f"ws://127.0.0.1:{kiss_web}/ws" in pagina  # the page's websocket address
        async with http.ws_connect(f"{basis.replace('http', 'ws')}/ws?width=140&height=40") as ws:
            await ws.send_json(["ping", "kiss"])
            ontvangen = b""
            pong = False
            deadline = time.monotonic() + 45
            while time.monotonic() < deadline and not (pong and b"Klant zoeken" in ontvangen):
                try:
                    bericht = await ws.receive(timeout=5)
                except TimeoutError:
                    continue
                if bericht.type == aiohttp.WSMsgType.BINARY:
                    ontvangen += bericht.data
                elif bericht.type == aiohttp.WSMsgType.TEXT:
                    pong = pong or bericht.json() == ["pong", "kiss"]
                else:
                    break
            assert pong
            assert b"Klant zoeken" in ontvangen, ontvangen[-500:]  # KISS's own klant screen


async def _cdp(
    ws: aiohttp.ClientWebSocketResponse, teller: list[int], methode: str, **params: object
) -> dict[str, object]:
    """One Chrome DevTools Protocol call."""
    teller[0] += 1
    await ws.send_json({"id": teller[0], "method": methode, "params": params})
    while True:
        antwoord = await ws.receive_json(timeout=30)
        if antwoord.get("id") == teller[0]:
            return dict(antwoord.get("result", {}))


async def test_a_real_headless_chromium_shows_the_kiss_desk(kiss_web: int, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is niet geïnstalleerd (CI installeert het in .ci/run)")
    debug_poort = _vrije_poort()
    browser = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profiel'}",
            "--window-size=1280,800",
            f"--remote-debugging-port={debug_poort}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            pagina = None
            for _ in range(100):
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{debug_poort}/json/list") as antwoord:
                        paginas = [p for p in await antwoord.json() if p.get("type") == "page"]
                        if paginas:
                            pagina = paginas[0]
                            break
                await asyncio.sleep(0.2)
            assert pagina is not None, "chromium opened no page"
            async with http.ws_connect(pagina["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                teller = [0]
                await _cdp(ws, teller, "Page.navigate", url=f"http://127.0.0.1:{kiss_web}/")
                klassen = ""
                for _ in range(120):  # the tab starts its own kiss; first bytes draw the desk
                    resultaat = await _cdp(
                        ws, teller, "Runtime.evaluate", expression="document.body.className"
                    )
                    klassen = str(dict(resultaat.get("result", {})).get("value", ""))  # type: ignore[arg-type]
                    if "-first-byte" in klassen:
                        break
                    await asyncio.sleep(0.5)
                await asyncio.sleep(2)
                foto = await _cdp(ws, teller, "Page.captureScreenshot", format="png")
        (tmp_path / "kiss.png").write_bytes(base64.b64decode(str(foto["data"])))
    finally:
        browser.terminate()
        browser.wait(10)
    assert "-first-byte" in klassen, f"the browser never got KISS's screen ({klassen!r})"
