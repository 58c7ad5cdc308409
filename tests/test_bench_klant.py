"""The klant benchmark's sample and measuring code never crash on an empty database."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import Engine

from benchmarks.bench_klant import extrapoleer, meet_alles, neem_steekproef


def test_an_empty_database_gives_an_empty_sample_and_no_measurements(
    engine: Engine, tmp_path: Path
) -> None:
    steekproef = neem_steekproef(engine, 5, random.Random(1))
    assert steekproef.tellingen["klanten"] == 0
    assert all(not lijst for lijst in steekproef.vragen.values())
    assert steekproef.zwaar == []
    assert meet_alles(engine, steekproef, 5, str(tmp_path)) == []


def test_the_extrapolation_fits_a_line_in_log_n() -> None:
    uitslagen = [
        {"klanten": n, "metingen": {"zoek: BSN": {"p50": 1.0, "p95": 2.0 + i}}}
        for i, n in enumerate((100_000, 1_000_000))
    ]
    regel = extrapoleer(uitslagen).splitlines()[1]  # one more ms per ×10 → 4 ms at 10M
    assert "zoek: BSN" in regel and "+  1.0 ms per ×10 →     4.0 ms" in regel
    dalend = [{**u, "metingen": {"zoek: BSN": {"p50": 1.0, "p95": 3.0 - i}}}
              for i, u in enumerate(uitslagen)]  # fmt: skip
    assert "→     3.0 ms" in extrapoleer(dalend)  # noise never extrapolates below a measurement
