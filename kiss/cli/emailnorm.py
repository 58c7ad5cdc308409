"""The e-mail norm in ``kiss rapport`` (table and JSON; the CSV keeps its documented columns)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

from kiss.cli.common import CliFout

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiss.services.rapportage.emailnorm import EmailNorm
    from kiss.services.rapportage.normen import Periode


def bereken(eng: Engine, periode: Periode, nu: datetime, gemeente: str | None) -> list[EmailNorm]:
    from kiss.db import read_scope
    from kiss.services.rapportage.emailnorm import email_norm
    from kiss.services.rapportage.normen import PeriodeFout

    try:
        with read_scope(eng) as session:
            return email_norm(session, periode, nu=nu, gemeente=gemeente)
    except PeriodeFout as exc:
        raise CliFout(str(exc), code=2) from exc


def als_json(rijen: list[EmailNorm]) -> list[dict[str, object]]:
    return [r.als_dict() for r in rijen]


def tabel(rijen: list[EmailNorm]) -> None:
    from rich.console import Console
    from rich.table import Table

    from kiss.services.rapportage.emailnorm import DOEL_EMAILNORM

    tabel = Table(title="E-mailnorm (antwoord binnen de termijn)", title_justify="left")
    for kop in ("gemeente", "mails", "binnen termijn", "te laat beantwoord", "open, te laat",
                "open, op tijd", "e-mailnorm"):  # fmt: skip
        tabel.add_column(kop, justify="left" if kop == "gemeente" else "right")
    for r in rijen:
        if r.pct is None:
            pct = "–"
        else:
            kleur = "green" if r.pct >= DOEL_EMAILNORM else "red"
            pct = f"[{kleur}]{100 * r.pct:.1f}%[/]"
        tabel.add_row(r.gemeente, str(r.mails), str(r.binnen_termijn), str(r.te_laat_beantwoord),
                      str(r.open_te_laat), str(r.open_op_tijd), pct)  # fmt: skip
    console = Console(width=None if sys.stdout.isatty() else 1000)
    console.print(tabel)
    console.print(f"Doel: e-mailnorm ≥ {DOEL_EMAILNORM:.0%}.")
