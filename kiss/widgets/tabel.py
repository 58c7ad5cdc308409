"""Fill a table whose columns fit its rows at once.

Textual measures auto-width columns only when the table is idle, so a screen drawn before that
shows every cell cut at its header's width ("18-11-" for a date). Here the widths are computed
with the rows, before they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual.widgets import DataTable

MAXIMUM = 60  # a long text is cut here; the table scrolls sideways for the rest


def vul(
    tabel: DataTable[str],
    koppen: Sequence[str],
    rijen: Iterable[tuple[Sequence[str], str]],
    maximum: int = MAXIMUM,
) -> None:
    """Replace the table's rows (cells, key) and size every column to its widest cell."""
    rijen = list(rijen)
    breedtes = [cell_len(kop) for kop in koppen]
    for cellen, _sleutel in rijen:
        for i, cel in enumerate(cellen):
            breedtes[i] = max(breedtes[i], min(cell_len(cel), maximum))
    tabel.clear(columns=True)
    for kop, breedte in zip(koppen, breedtes, strict=True):
        tabel.add_column(kop, width=breedte)
    for cellen, sleutel in rijen:
        tabel.add_row(*cellen, key=sleutel)
