"""beheer: the organisation's settings in the database; nieuws en werkinstructies with
read-marks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import kiss.models.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tijd() -> kiss.models.base.UTCDateTime:
    return kiss.models.base.UTCDateTime(timezone=True)


def _tekst(lengte: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=lengte)


def upgrade() -> None:
    op.create_table(
        "organisatie_instellingen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inhoud", sa.JSON(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("gewijzigd_op", _tijd(), nullable=False),
        sa.Column("gewijzigd_door_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["gewijzigd_door_id"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "nieuws_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("soort", _tekst(20), nullable=False),
        sa.Column("titel", _tekst(200), nullable=False),
        sa.Column("tekst", _tekst(10000), nullable=False),
        sa.Column("belangrijk", sa.Boolean(), nullable=False),
        sa.Column("publiceren_van", _tijd(), nullable=False),
        sa.Column("publiceren_tot", _tijd(), nullable=True),
        sa.Column("skills", _tekst(1000), nullable=False),
        sa.Column("gemeente", _tekst(80), nullable=False),
        sa.Column("auteur_id", sa.Uuid(), nullable=True),
        sa.Column("aangemaakt_op", _tijd(), nullable=False),
        sa.Column("gewijzigd_op", _tijd(), nullable=False),
        sa.Column("verwijderd_op", _tijd(), nullable=True),
        sa.ForeignKeyConstraint(["auteur_id"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_nieuws_item_publicatie", "nieuws_item", ["publiceren_van", "publiceren_tot"]
    )
    op.create_table(
        "nieuws_gelezen",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=False),
        sa.Column("gelezen_op", _tijd(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["nieuws_item.id"]),
        sa.ForeignKeyConstraint(["medewerker_id"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("item_id", "medewerker_id"),
    )
    op.create_index("ix_nieuws_gelezen_medewerker_id", "nieuws_gelezen", ["medewerker_id"])


def downgrade() -> None:
    op.drop_index("ix_nieuws_gelezen_medewerker_id", table_name="nieuws_gelezen")
    op.drop_table("nieuws_gelezen")
    op.drop_index("ix_nieuws_item_publicatie", table_name="nieuws_item")
    op.drop_table("nieuws_item")
    op.drop_table("organisatie_instellingen")
