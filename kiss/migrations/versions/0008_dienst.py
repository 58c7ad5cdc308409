"""kiss dienst: oproepen from the phone system, the service heartbeat, extension and mailbox
fields in the smoelenboek

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 16:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import kiss.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tijd() -> kiss.models.base.UTCDateTime:
    return kiss.models.base.UTCDateTime(timezone=True)


def _tekst(lengte: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=lengte)


def upgrade() -> None:
    op.create_table(
        "dienst_status",
        sa.Column("naam", _tekst(40), nullable=False),
        sa.Column("gestart_op", _tijd(), nullable=False),
        sa.Column("hartslag_op", _tijd(), nullable=False),
        sa.Column("gestopt_op", _tijd(), nullable=True),
        sa.PrimaryKeyConstraint("naam"),
    )
    op.create_table(
        "oproep",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_id", _tekst(250), nullable=False),
        sa.Column("richting", _tekst(3), nullable=False),
        sa.Column("van", _tekst(250), nullable=False),
        sa.Column("naar", _tekst(250), nullable=False),
        sa.Column("wachtrij", _tekst(120), nullable=False),
        sa.Column("gebruikers", _tekst(1000), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=True),
        sa.Column("gestart_op", _tijd(), nullable=False),
        sa.Column("beantwoord_op", _tijd(), nullable=True),
        sa.Column("beeindigd_op", _tijd(), nullable=True),
        sa.Column("oorzaak", _tekst(40), nullable=False),
        sa.Column("gesprek_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["medewerker_id"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id"),
    )
    op.create_index("ix_oproep_gestart", "oproep", ["gestart_op"])
    op.create_index("ix_oproep_beeindigd", "oproep", ["beeindigd_op"])
    op.create_index("ix_oproep_gesprek_id", "oproep", ["gesprek_id"])
    op.create_index("ix_oproep_medewerker_id", "oproep", ["medewerker_id"])
    op.create_table(
        "oproep_gebeurtenis",
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("call_id", _tekst(250), nullable=False),
        sa.Column("gebeurtenis", _tekst(20), nullable=False),
        sa.Column("oproep_id", sa.Uuid(), nullable=False),
        sa.Column("medewerker_id", sa.Uuid(), nullable=True),
        sa.Column("contactmoment_id", sa.Uuid(), nullable=True),
        sa.Column("ontvangen_op", _tijd(), nullable=False),
        sa.ForeignKeyConstraint(["oproep_id"], ["oproep.id"]),
        sa.ForeignKeyConstraint(["medewerker_id"], ["medewerker.id"]),
        sa.ForeignKeyConstraint(["contactmoment_id"], ["contactmoment.id"]),
        sa.PrimaryKeyConstraint("volgnummer"),
        sa.UniqueConstraint("call_id", "gebeurtenis", name="uq_oproep_gebeurtenis"),
    )
    op.create_index("ix_oproep_gebeurtenis_oproep_id", "oproep_gebeurtenis", ["oproep_id"])
    for tabel in ("afdeling", "team"):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("mailbox", _tekst(254), server_default="", nullable=False)
            )
    with op.batch_alter_table("medewerker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("toestel", _tekst(40), nullable=True))
        batch_op.add_column(sa.Column("mailbox", _tekst(254), server_default="", nullable=False))
        batch_op.create_unique_constraint("medewerker_toestel_key", ["toestel"])


def downgrade() -> None:
    with op.batch_alter_table("medewerker", schema=None) as batch_op:
        batch_op.drop_constraint("medewerker_toestel_key", type_="unique")
        batch_op.drop_column("mailbox")
        batch_op.drop_column("toestel")
    for tabel in ("team", "afdeling"):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.drop_column("mailbox")
    op.drop_index("ix_oproep_gebeurtenis_oproep_id", table_name="oproep_gebeurtenis")
    op.drop_table("oproep_gebeurtenis")
    for index in ("ix_oproep_medewerker_id", "ix_oproep_gesprek_id", "ix_oproep_beeindigd",
                  "ix_oproep_gestart"):  # fmt: skip
        op.drop_index(index, table_name="oproep")
    op.drop_table("oproep")
    op.drop_table("dienst_status")
