"""Presence rules and the vervanger chain (pure functions, no database)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kiss.services.smoelenboek.aanwezigheid import (
    Status,
    aanwezigheid,
    kies_vervanger,
    werkdag_indexen,
    werkdagen_tekst,
)

MAANDAG = date(2026, 6, 8)  # a Monday
VRIJDAG = date(2026, 6, 12)
ZATERDAG = date(2026, 6, 13)


@dataclass
class M:
    naam: str = ""
    werkdagen: str = "ma;di;wo;do;vr"
    afwezig_van: date | None = None
    afwezig_tot: date | None = None
    afwezig_reden: str = ""
    actief: bool = True
    vervanger_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def test_present_on_a_workday() -> None:
    stand = aanwezigheid(M(), MAANDAG)
    assert stand.status == Status.AANWEZIG and stand.aanwezig and stand.tekst == "aanwezig"


def test_absent_within_the_period_inclusive_with_reason_and_return_day() -> None:
    m = M(afwezig_van=date(2026, 6, 1), afwezig_tot=VRIJDAG, afwezig_reden="vakantie")
    for dag in (date(2026, 6, 1), MAANDAG, VRIJDAG):
        stand = aanwezigheid(m, dag)
        assert stand.status == Status.AFWEZIG
    stand = aanwezigheid(m, MAANDAG)
    assert stand.tekst == "afwezig tot en met 12-06-2026 (vakantie), terug ma 15-06-2026"
    assert stand.terug_op == date(2026, 6, 15)  # after the weekend
    assert aanwezigheid(m, date(2026, 6, 15)).aanwezig
    assert aanwezigheid(m, date(2026, 5, 29)).aanwezig


def test_open_ended_absences() -> None:
    onbepaald = M(afwezig_van=date(2026, 6, 1), afwezig_reden="ziek")
    stand = aanwezigheid(onbepaald, MAANDAG)
    assert stand.status == Status.AFWEZIG and stand.tekst == "afwezig, einddatum onbekend (ziek)"
    tot = M(afwezig_tot=date(2026, 6, 9))
    assert aanwezigheid(tot, MAANDAG).status == Status.AFWEZIG
    assert aanwezigheid(tot, date(2026, 6, 10)).aanwezig


def test_not_a_workday_names_the_days_and_the_next_one() -> None:
    deeltijd = M(werkdagen="ma;di;do")
    stand = aanwezigheid(deeltijd, VRIJDAG)
    assert stand.status == Status.NIET_OP_WERKDAG
    assert stand.tekst == "werkt niet op vrijdag (werkdagen ma, di, do), weer op ma 15-06-2026"
    assert aanwezigheid(M(), ZATERDAG).status == Status.NIET_OP_WERKDAG
    assert aanwezigheid(M(werkdagen="ma;za"), ZATERDAG).aanwezig


def test_absence_wins_over_a_free_day_and_departed_wins_over_all() -> None:
    m = M(werkdagen="ma", afwezig_van=VRIJDAG, afwezig_tot=ZATERDAG)
    assert aanwezigheid(m, ZATERDAG).status == Status.AFWEZIG
    assert aanwezigheid(M(actief=False), MAANDAG).status == Status.UIT_DIENST


def test_announced_absence_is_mentioned_while_present() -> None:
    stand = aanwezigheid(M(afwezig_van=VRIJDAG, afwezig_reden="cursus"), MAANDAG)
    assert stand.aanwezig and stand.binnenkort_afwezig == VRIJDAG
    assert "afwezig vanaf 12-06-2026 (cursus)" in stand.tekst


def test_werkdagen_parsing() -> None:
    assert werkdag_indexen("ma; DI,zo") == frozenset({0, 1, 6})
    assert werkdagen_tekst("vr;ma") == "ma, vr"
    assert werkdagen_tekst("") == "geen vaste werkdagen"
    assert aanwezigheid(M(werkdagen=""), MAANDAG).status == Status.NIET_OP_WERKDAG


def _keten(*leden: M) -> dict[uuid.UUID, M]:
    return {m.id: m for m in leden}


def test_vervanger_chain_skips_absent_and_off_duty_colleagues() -> None:
    weg = M("weg", afwezig_van=MAANDAG, afwezig_tot=VRIJDAG)
    c = M("c")
    b = M("b", werkdagen="di", vervanger_id=c.id)  # not in on Monday
    a = M("a", afwezig_van=MAANDAG, afwezig_tot=MAANDAG, vervanger_id=weg.id)
    weg.vervanger_id = b.id
    alle = _keten(a, b, c, weg)
    keuze = kies_vervanger(a, alle.get, MAANDAG)
    assert keuze.vervanger is c
    assert [m.naam for m, _stand in keuze.overgeslagen] == ["weg", "b"]
    assert keuze.overgeslagen[1][1].status == Status.NIET_OP_WERKDAG
    assert kies_vervanger(a, alle.get, date(2026, 6, 16)).vervanger is weg  # back on Tuesday


def test_vervanger_chain_stops_at_a_cycle_or_a_missing_link() -> None:
    a = M("a")
    b = M("b", afwezig_van=MAANDAG, vervanger_id=a.id)
    a.vervanger_id = b.id
    a.afwezig_van = MAANDAG
    keuze = kies_vervanger(a, _keten(a, b).get, MAANDAG)
    assert keuze.vervanger is None and [m.naam for m, _ in keuze.overgeslagen] == ["b"]
    zelf = M("zelf")
    zelf.vervanger_id = zelf.id
    assert kies_vervanger(zelf, _keten(zelf).get, MAANDAG).vervanger is None
    los = M("los", vervanger_id=uuid.uuid4())
    assert kies_vervanger(los, _keten(los).get, MAANDAG).vervanger is None
    assert kies_vervanger(M(), {}.get, MAANDAG).vervanger is None


def test_departed_vervanger_is_skipped() -> None:
    c = M("c")
    b = M("b", actief=False, vervanger_id=c.id)
    a = M("a", vervanger_id=b.id)
    keuze = kies_vervanger(a, _keten(a, b, c).get, MAANDAG)
    assert keuze.vervanger is c and keuze.overgeslagen[0][1].status == Status.UIT_DIENST


def test_short_form_for_a_list_row() -> None:
    vakantie = M(afwezig_van=date(2026, 6, 1), afwezig_tot=VRIJDAG, afwezig_reden="vakantie")
    assert aanwezigheid(vakantie, MAANDAG).kort == "afwezig, terug 15-06"
    assert aanwezigheid(M(afwezig_van=date(2026, 6, 1)), MAANDAG).kort == "afwezig"
    assert aanwezigheid(M(), ZATERDAG).kort == "vrij vandaag, terug 15-06"
    assert aanwezigheid(M(afwezig_van=date(2026, 6, 16)), MAANDAG).kort == (
        "aanwezig, weg vanaf 16-06"
    )
    assert aanwezigheid(M(), MAANDAG).kort == "aanwezig"
    assert aanwezigheid(M(actief=False), MAANDAG).kort == "uit dienst"
