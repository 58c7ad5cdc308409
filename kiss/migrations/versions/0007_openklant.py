"""Open Klant: the generic outbox (uitgaand) and the links to remote objects (openklant_koppeling)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 16:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiss.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    tijd = kiss.models.base.UTCDateTime(timezone=True)
    op.create_table(
        "uitgaand",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("groep", sa.String(length=200), nullable=False),
        sa.Column("volgorde", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging_op", tijd, nullable=False),
        sa.Column("laatste_fout", sa.String(length=2000), nullable=False),
        sa.Column("aangemaakt_op", tijd, nullable=False),
        sa.Column("verzonden_op", tijd, nullable=True),
        sa.Column("extern_id", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sleutel"),
    )
    op.create_index(
        "ix_uitgaand_soort_status_volgende", "uitgaand", ["soort", "status", "volgende_poging_op"]
    )
    op.create_index("ix_uitgaand_groep_volgorde", "uitgaand", ["groep", "volgorde"])
    op.create_table(
        "openklant_koppeling",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("lokaal_id", sa.Uuid(), nullable=False),
        sa.Column("extern_uuid", sa.Uuid(), nullable=False),
        sa.Column("aangemaakt_op", tijd, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("soort", "lokaal_id"),
    )
    op.create_index("ix_openklant_koppeling_extern_uuid", "openklant_koppeling", ["extern_uuid"])


def downgrade() -> None:
    op.drop_index("ix_openklant_koppeling_extern_uuid", table_name="openklant_koppeling")
    op.drop_table("openklant_koppeling")
    op.drop_index("ix_uitgaand_groep_volgorde", table_name="uitgaand")
    op.drop_index("ix_uitgaand_soort_status_volgende", table_name="uitgaand")
    op.drop_table("uitgaand")
