"""Shared column types and helpers for the SQLModel tables.

Identifiers are UUIDs (portable between SQLite and PostgreSQL, matching Klantinteracties).
Timestamps are timezone-aware: stored as UTC, always returned with ``tzinfo=UTC``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is aware on the way in and on the way out.

    PostgreSQL keeps it as ``timestamptz``; SQLite stores the UTC wall-clock so that
    string comparison orders correctly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Tijdstip zonder tijdzone; gebruik een tijdzone-bewust tijdstip")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def id_field() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def timestamp_field(*, index: bool = False, nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, index=index, nullable=True)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, index=index, nullable=False)


def veldlengte(model: type, veld: str) -> int:
    """The maximum length of a text column: the one place a field length is defined."""
    lengte = getattr(model.__table__.c[veld].type, "length", None)  # type: ignore[attr-defined]
    if lengte is None:
        raise ValueError(f"{model.__name__}.{veld} heeft geen maximale lengte")
    return int(lengte)
