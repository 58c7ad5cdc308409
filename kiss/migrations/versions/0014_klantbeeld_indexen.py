"""covering indexes for the klantbeeld (timeline, sources) and for name search

The klantbeeld reads a klant's newest 200 contactmomenten and the sources of each question.
With the shown columns in the index (PostgreSQL ``INCLUDE``) both are index-only scans, so a
klant with 200 contacts spread over years costs a few index pages instead of 400 table pages.
The new contactmoment index has the same key as ``ix_contactmoment_klant_gestart``, which it
replaces; the vraagbron index replaces the one on ``contactmoment_id`` alone. On SQLite the
included columns are left out (plain indexes on the same keys).

Name search reads, per name key, the first klanten by first name: with ``(naam_sleutel,
voornamen)`` that is an ordered scan that stops early, also for a surname thousands share. It
replaces the index on ``naam_sleutel`` alone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 20:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIJDLIJN = [
    "status", "kanaal", "richting", "gemeente_id", "onderwerp", "vraag", "gespreksresultaat",
    "medewerker_id", "afdeling_id", "notitie", "klantsignaal", "signaal_categorie", "id",
]  # fmt: skip


def upgrade() -> None:
    op.create_index(
        "ix_contactmoment_tijdlijn",
        "contactmoment",
        ["klant_id", "gestart_op"],
        postgresql_include=TIJDLIJN,
    )
    op.drop_index("ix_contactmoment_klant_gestart", table_name="contactmoment")
    op.create_index(
        "ix_vraagbron_bronnen",
        "vraagbron",
        ["contactmoment_id", "volgnummer"],
        postgresql_include=["soort", "titel"],
    )
    op.drop_index("ix_vraagbron_contactmoment_id", table_name="vraagbron")
    op.create_index(
        "ix_klant_naam", "klant", ["naam_sleutel", "voornamen"], postgresql_include=["id"]
    )
    op.drop_index("ix_klant_naam_sleutel", table_name="klant")


def downgrade() -> None:
    op.create_index("ix_klant_naam_sleutel", "klant", ["naam_sleutel"])
    op.drop_index("ix_klant_naam", table_name="klant")
    op.create_index("ix_vraagbron_contactmoment_id", "vraagbron", ["contactmoment_id"])
    op.drop_index("ix_vraagbron_bronnen", table_name="vraagbron")
    op.create_index("ix_contactmoment_klant_gestart", "contactmoment", ["klant_id", "gestart_op"])
    op.drop_index("ix_contactmoment_tijdlijn", table_name="contactmoment")
