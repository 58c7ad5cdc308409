"""covering index for the norm dashboard over contactmomenten

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 02:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KOLOMMEN = [
    "gestart_op", "status", "richting", "gemeente_id", "kanaal", "gespreksresultaat",
    "artikel_id", "beeindigd_op", "id",
]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_contactmoment_rapport", "contactmoment", KOLOMMEN)


def downgrade() -> None:
    op.drop_index("ix_contactmoment_rapport", table_name="contactmoment")
