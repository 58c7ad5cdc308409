"""``kiss db kopieer --naar URL``: move an embedded SQLite install to a shared PostgreSQL
database. The target is migrated to the newest schema first and must be empty; rows go over
table by table in dependency order, in chunks, exactly as they are (the audit chain stays
valid); at the end the row counts of both sides are compared."""

from __future__ import annotations

from sqlalchemy import Engine, Table, func, select, update
from sqlmodel import SQLModel

import kiss.models  # noqa: F401  (registers every table)
from kiss.db import upgrade
from kiss.validation import ValidatieFout, controleer_waarde

PER = 2000


class DoelNietLeeg(RuntimeError):
    """The target database already holds KISS data (Dutch message)."""


def _aantal(engine: Engine, tabel: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(tabel)).scalar_one())  # type: ignore[arg-type]


def _controleer_rij(tabel: Table, rij: dict[str, object]) -> None:
    for kolom, waarde in rij.items():
        try:
            controleer_waarde(tabel.c[kolom], waarde)
        except ValidatieFout as exc:
            raise ValidatieFout(f"Tabel {tabel.name}, rij {rij.get('id', '?')}: {exc}") from exc


def kopieer(bron: Engine, doel: Engine) -> dict[str, tuple[int, int]]:
    upgrade(doel)
    tabellen = SQLModel.metadata.sorted_tables
    gevuld = [t.name for t in tabellen if _aantal(doel, t)]
    if gevuld:
        raise DoelNietLeeg(
            "De doeldatabase is niet leeg (" + ", ".join(gevuld[:5]) + "); kopiëren kan alleen "
            "naar een lege database."
        )
    with bron.connect() as lezen, doel.begin() as schrijven:
        for tabel in tabellen:
            kolommen = [c for c in tabel.columns if c.computed is None]  # generated: not copied
            # a table that points at itself (afdeling.ouder_id): those links in a second pass
            zelf = [fk.parent.name for fk in tabel.foreign_keys if fk.column.table is tabel]
            later: list[dict[str, object]] = []
            resultaat = lezen.execution_options(stream_results=True).execute(select(*kolommen))
            while rijen := resultaat.fetchmany(PER):
                data = [dict(r._mapping) for r in rijen]
                for rij in data:
                    _controleer_rij(tabel, rij)
                    if zelf and any(rij[k] is not None for k in zelf):
                        later.append({"_id": rij["id"], **{k: rij[k] for k in zelf}})
                        rij.update({k: None for k in zelf})
                schrijven.execute(tabel.insert(), data)
            for koppeling in later:
                schrijven.execute(
                    update(tabel).where(tabel.c.id == koppeling.pop("_id")).values(**koppeling)
                )
    return {t.name: (_aantal(bron, t), _aantal(doel, t)) for t in tabellen}
