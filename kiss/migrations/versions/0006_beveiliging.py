"""security: the audit trail becomes a hash chain (volgnummer, vorige_hash, hash)

Existing audit rows are numbered in the order they happened and chained, so ``kiss audit
controleer`` can verify the whole trail from here on. Group roles, grants, row-level security
and the BSN search function live in ``kiss.services.beveiliging`` and are (re)applied by
``kiss db upgrade`` on PostgreSQL, because role names are cluster-wide settings, not schema.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 16:50:00
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tijd(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _hash(velden: list[str]) -> str:
    # the same formula as kiss.models.audit.bereken_hash, frozen here for this migration
    return hashlib.sha256("\x1f".join(velden).encode("utf-8")).hexdigest()


def _keten_bestaande_regels() -> None:
    bind = op.get_bind()
    regels = bind.execute(
        sa.text(
            "SELECT id, moment, medewerker_id, actie, object_type, object_id, klant_id, details "
            "FROM auditregel ORDER BY moment, id"
        )
    ).all()
    vorige = ""
    for nummer, r in enumerate(regels, start=1):
        moment = r.moment if isinstance(r.moment, datetime) else datetime.fromisoformat(r.moment)
        velden = [
            str(nummer),
            _tijd(moment),
            _uuid(r.medewerker_id),
            r.actie,
            r.object_type,
            r.object_id,
            _uuid(r.klant_id),
            r.details,
            vorige,
        ]
        nieuw = _hash(velden)
        bind.execute(
            sa.text(
                "UPDATE auditregel SET volgnummer = :n, vorige_hash = :v, hash = :h WHERE id = :id"
            ),
            {"n": nummer, "v": vorige, "h": nieuw, "id": r.id},
        )
        vorige = nieuw


def _uuid(waarde: object) -> str:
    """UUIDs as Python prints them (SQLite keeps them as 32 hex digits without dashes)."""
    if waarde is None or waarde == "":
        return ""
    import uuid

    return str(waarde if isinstance(waarde, uuid.UUID) else uuid.UUID(str(waarde)))


MASKER = "CASE WHEN bsn IS NULL THEN NULL ELSE '*****' || substr(bsn, 6, 4) END"


def upgrade() -> None:
    with op.batch_alter_table("klant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "bsn_gemaskeerd",
                sa.String(length=9),
                sa.Computed(MASKER, persisted=True),
                nullable=True,
            )
        )
    if op.get_bind().dialect.name == "postgresql":
        # searching by BSN for roles that may not read the column: ids only
        op.execute(
            "CREATE OR REPLACE FUNCTION kiss_zoek_bsn(te_zoeken text) RETURNS SETOF uuid "
            "LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS "
            "$$ SELECT id FROM klant WHERE bsn = te_zoeken $$"
        )
        op.execute("REVOKE ALL ON FUNCTION kiss_zoek_bsn(text) FROM PUBLIC")
    with op.batch_alter_table("auditregel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("volgnummer", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "vorige_hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
    _keten_bestaande_regels()
    with op.batch_alter_table("auditregel", schema=None) as batch_op:
        batch_op.alter_column("volgnummer", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("vorige_hash", server_default=None)
        batch_op.alter_column("hash", server_default=None)
        batch_op.create_unique_constraint("uq_auditregel_volgnummer", ["volgnummer"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS kiss_zoek_bsn(text)")
    with op.batch_alter_table("klant", schema=None) as batch_op:
        batch_op.drop_column("bsn_gemaskeerd")
    with op.batch_alter_table("auditregel", schema=None) as batch_op:
        batch_op.drop_constraint("uq_auditregel_volgnummer", type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("vorige_hash")
        batch_op.drop_column("volgnummer")
