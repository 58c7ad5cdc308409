"""indexes for the norm dashboard: terugbelnotities per period and per contactmoment

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_terugbel_aangemaakt", "terugbelnotitie", ["aangemaakt_op"])
    op.create_index("ix_terugbel_contactmoment", "terugbelnotitie", ["contactmoment_id"])


def downgrade() -> None:
    op.drop_index("ix_terugbel_contactmoment", table_name="terugbelnotitie")
    op.drop_index("ix_terugbel_aangemaakt", table_name="terugbelnotitie")
