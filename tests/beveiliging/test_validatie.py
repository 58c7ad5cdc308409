"""One validation for both backends: SQLite refuses what PostgreSQL would, with a Dutch
message naming the field, before any SQL is sent."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, func, select

from kiss.db import session_scope
from kiss.models import Kennisartikel, Klant
from kiss.validation import ValidatieFout


@pytest.mark.parametrize(
    ("velden", "melding"),
    [
        ({"titel": "x" * 100_000}, "Veld 'kennisartikel.titel' mag hoogstens 200 tekens"),
        ({"titel": "Paspoort\x00"}, "Veld 'kennisartikel.titel' bevat een ongeldig teken (NUL)"),
        ({"titel": "Paspoort \udc80"}, "bevat een ongeldig teken (geen geldige Unicode)"),
    ],
    ids=["te lang", "NUL", "losse surrogaat"],
)
def test_text_postgresql_refuses_is_refused_on_both_backends(
    engine: Engine, velden: dict[str, str], melding: str
) -> None:
    with (
        pytest.raises(ValidatieFout, match=re.escape(melding)),
        session_scope(engine) as session,
    ):
        session.add(Kennisartikel(sleutel="paspoort", **velden))
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Kennisartikel)).scalar_one() == 0


def test_a_change_is_checked_too(engine: Engine) -> None:
    with session_scope(engine) as session:
        klant = Klant(achternaam="Berg")
        session.add(klant)
    with (
        pytest.raises(ValidatieFout, match=re.escape("klant.aandachtspunten")),
        session_scope(engine) as session,
    ):
        opnieuw = session.get(Klant, klant.id)
        assert opnieuw is not None
        opnieuw.aandachtspunten = "slechthorend\x00"
