"""Fixtures: a fake Open Klant on loopback, and KISS configured to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiss.services.openklant.config import OpenklantConfig
from tests.openklant.register import FakeOpenKlant


@pytest.fixture
def register() -> Iterator[FakeOpenKlant]:
    fake = FakeOpenKlant(vertraging=1.5).start()
    yield fake
    fake.stop()


@pytest.fixture
def ok_config(register: FakeOpenKlant, monkeypatch: pytest.MonkeyPatch) -> OpenklantConfig:
    """Open Klant switched on (the hooks write outbox rows). The timeout is generous: on a
    busy test machine a normal answer must never count as a timeout."""
    monkeypatch.setenv("KISS_OPENKLANT_URL", register.root)
    monkeypatch.setenv("KISS_OPENKLANT_TOKEN", register.token)
    monkeypatch.setenv("KISS_OPENKLANT_TIMEOUT", "10")
    return OpenklantConfig(url=register.url, token=register.token, timeout=10)


@pytest.fixture
def kort_config(ok_config: OpenklantConfig) -> OpenklantConfig:
    """A client that gives up after 0.5 s, for the tests where the register stalls (1.5 s)."""
    return OpenklantConfig(url=ok_config.url, token=ok_config.token, timeout=0.5)
