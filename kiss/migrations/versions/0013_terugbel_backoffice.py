"""Backoffice parity: attempt kanaal, informatie voor de klant, zaak, vragenset answers

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 17:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("terugbelnotitie", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "informatie_klant",
                sqlmodel.sql.sqltypes.AutoString(length=1000),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("zaak_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("antwoorden", sa.JSON(), server_default="[]", nullable=False))
        batch_op.create_foreign_key("fk_terugbelnotitie_zaak", "zaak", ["zaak_id"], ["id"])
    with op.batch_alter_table("terugbelpoging", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kanaal",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                server_default="telefoon",
                nullable=False,
            )
        )
    op.create_table(
        "vragenset",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("afdeling_id", sa.Uuid(), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("vragen", sa.JSON(), nullable=False),
        sa.Column("gewijzigd_op", kiss_tijd(), nullable=False),
        sa.Column("gewijzigd_door_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["afdeling_id"], ["afdeling.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["gewijzigd_door_id"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("afdeling_id"),
        sa.UniqueConstraint("team_id"),
    )


def kiss_tijd() -> sa.types.TypeEngine:  # type: ignore[type-arg]
    from kiss.models.base import UTCDateTime

    return UTCDateTime()


def downgrade() -> None:
    op.drop_table("vragenset")
    with op.batch_alter_table("terugbelpoging", schema=None) as batch_op:
        batch_op.drop_column("kanaal")
    with op.batch_alter_table("terugbelnotitie", schema=None) as batch_op:
        batch_op.drop_constraint("fk_terugbelnotitie_zaak", type_="foreignkey")
        batch_op.drop_column("antwoorden")
        batch_op.drop_column("zaak_id")
        batch_op.drop_column("informatie_klant")
