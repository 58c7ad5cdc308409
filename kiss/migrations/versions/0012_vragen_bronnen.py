"""Vragen met bronnen: the sources consulted per question, and klantsignalen

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vraagbron",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contactmoment_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("soort", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("verwijzing_id", sa.Uuid(), nullable=True),
        sa.Column("titel", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["contactmoment_id"], ["contactmoment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vraagbron_contactmoment_id", "vraagbron", ["contactmoment_id"])
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "klantsignaal",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "signaal_categorie",
                sqlmodel.sql.sqltypes.AutoString(length=80),
                server_default="",
                nullable=False,
            )
        )
    # the artikel a question used is its first source
    op.execute(
        "INSERT INTO vraagbron (id, contactmoment_id, volgnummer, soort, verwijzing_id, titel, url) "
        "SELECT c.id, c.id, 0, 'artikel', c.artikel_id, substr(k.titel, 1, 200), '' "
        "FROM contactmoment c JOIN kennisartikel k ON k.id = c.artikel_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("contactmoment", schema=None) as batch_op:
        batch_op.drop_column("signaal_categorie")
        batch_op.drop_column("klantsignaal")
    op.drop_index("ix_vraagbron_contactmoment_id", table_name="vraagbron")
    op.drop_table("vraagbron")
