"""Fixtures: a fake Open Klant on loopback, and KISS configured to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiss.services.openklant.config import OpenklantConfig
from tests.openklant.register import FakeOpenKlant


@pytest.fixture
def register() -> Iterator[FakeOpenKlant]:
    fake = FakeOpenKlant(vertraging=0.8).start()
    yield fake
    fake.stop()


@pytest.fixture
def ok_config(register: FakeOpenKlant, monkeypatch: pytest.MonkeyPatch) -> OpenklantConfig:
    """Open Klant switched on (the hooks write outbox rows) with a short client timeout."""
    monkeypatch.setenv("KISS_OPENKLANT_URL", register.root)
    monkeypatch.setenv("KISS_OPENKLANT_TOKEN", register.token)
    monkeypatch.setenv("KISS_OPENKLANT_TIMEOUT", "0.3")
    return OpenklantConfig(url=register.url, token=register.token, timeout=0.3)
