"""index on klant.gewijzigd_op: the name vocabulary's refresh reads only what changed

Every desk refreshes its name vocabulary in the background once a minute with the klanten
changed since the last read. Without an index that was a scan of the whole klant table
(280 ms of server time at a million klanten, per desk per minute); now it reads a few rows.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 20:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_klant_gewijzigd_op", "klant", ["gewijzigd_op"])


def downgrade() -> None:
    op.drop_index("ix_klant_gewijzigd_op", table_name="klant")
