"""contactmoment.terugbelnotitie_gemaakt, filled from existing notes, in the dashboard index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 02:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KOLOMMEN = [
    "gestart_op", "status", "richting", "gemeente_id", "kanaal", "gespreksresultaat",
    "terugbelnotitie_gemaakt", "artikel_id", "beeindigd_op",
]  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("terugbelnotitie_gemaakt", sa.Boolean(), server_default="0", nullable=False)
        )
    op.execute(
        "UPDATE contactmoment SET terugbelnotitie_gemaakt = true WHERE id IN "
        "(SELECT contactmoment_id FROM terugbelnotitie WHERE contactmoment_id IS NOT NULL)"
    )
    op.drop_index("ix_contactmoment_rapport", table_name="contactmoment")
    op.create_index("ix_contactmoment_rapport", "contactmoment", KOLOMMEN)


def downgrade() -> None:
    op.drop_index("ix_contactmoment_rapport", table_name="contactmoment")
    op.create_index(
        "ix_contactmoment_rapport", "contactmoment",
        [k for k in KOLOMMEN if k != "terugbelnotitie_gemaakt"] + ["id"],
    )  # fmt: skip
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.drop_column("terugbelnotitie_gemaakt")
