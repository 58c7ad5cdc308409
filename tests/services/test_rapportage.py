"""Norm dashboard KPIs on a small hand-built data set; every expected number is worked out in
the comments. October 2026 in Europe/Amsterdam: 1 Oct 00:00 local = 30 Sep 22:00 UTC (CEST),
summer time ends 25 Oct (that day has 25 hours), 1 Nov 00:00 local = 31 Oct 23:00 UTC (CET)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import FrozenInstanceError, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from kiss.cli import main
from kiss.cli.common import print_json
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Afdeling, Contactmoment, Kennisartikel, Medewerker, Terugbelnotitie
from kiss.models.terugbel import TerugbelOverdracht
from kiss.services.rapportage.normen import Periode, PeriodeFout, als_dict, dashboard, kerncijfers
from kiss.services.terugbel import terugbelnotities as tb
from tests.factories import Wereld, bouw_wereld

OKTOBER = Periode(date(2026, 10, 1), date(2026, 10, 31))
NU = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def utc(maand: int, dag: int, uur: int, minuut: int = 0, seconde: int = 0) -> datetime:
    return datetime(2026, maand, dag, uur, minuut, seconde, tzinfo=UTC)


@dataclass
class Data:
    wereld: Wereld
    artikel_a: str
    artikel_b: str


@pytest.fixture
def data(engine: Engine) -> Data:
    w = bouw_wereld(engine)
    with session_scope(engine) as s:
        vergunningen = Afdeling(naam="Vergunningen")
        a = Kennisartikel(sleutel="a", titel="Paspoort aanvragen")
        b = Kennisartikel(sleutel="b", titel="Grofvuil ophalen")
        s.add_all([vergunningen, a, b])
        s.flush()
        h, z = w.haarlem.id, w.zandvoort.id

        def contact(start: datetime, kanaal: str, resultaat: str, **velden: object) -> uuid.UUID:
            duur = velden.pop("duur", None)
            cm = Contactmoment(
                gemeente_id=velden.pop("gemeente_id", h), kanaal=kanaal, gestart_op=start,
                beeindigd_op=start + timedelta(seconds=duur) if duur is not None else None,
                gespreksresultaat=resultaat, status=velden.pop("status", "afgerond"),
                medewerker_id=w.agent.id, **velden,
            )  # fmt: skip
            s.add(cm)
            s.flush()
            return cm.id

        # Haarlem, counted (5): c1, c3, c5, c6, c10
        contact(utc(9, 30, 22, 10), "telefoon", "afgehandeld", duur=300, artikel_id=a.id)  # c1
        contact(utc(10, 31, 22, 30), "balie", "terugbelnotitie gemaakt", duur=600)  # c3 23:30
        # c5: 'afgehandeld', yet a note was made from it (maak_terugbelnotitie sets the flag)
        c5 = contact(utc(10, 25, 11), "e-mail", "afgehandeld", duur=120,
                     terugbelnotitie_gemaakt=True)  # fmt: skip
        contact(utc(10, 10, 9), "telefoon", "doorverbonden", duur=60, artikel_id=a.id)  # c6
        contact(utc(10, 5, 9), "telefoon", "afgehandeld")  # c10, no end time
        # Zandvoort, counted (1): c7
        contact(utc(10, 12, 9), "telefoon", "zaak aangemaakt", duur=600, gemeente_id=z,
                artikel_id=b.id)  # fmt: skip
        # not counted
        contact(utc(9, 30, 21, 50), "telefoon", "afgehandeld", duur=60)  # c2: 23:50 on 30 Sep
        contact(utc(10, 31, 23, 10), "telefoon", "afgehandeld", duur=60)  # c4: 00:10 on 1 Nov
        contact(utc(10, 12, 10), "telefoon", "afgehandeld", duur=60, richting="uitgaand")  # c8
        contact(utc(10, 12, 11), "telefoon", "", status="concept")  # c9

        def notitie(aangemaakt: datetime, deadline: datetime, **velden: object) -> Terugbelnotitie:
            n = Terugbelnotitie(
                gemeente_id=velden.pop("gemeente_id", h), aangemaakt_op=aangemaakt,
                deadline=deadline, **velden,
            )  # fmt: skip
            s.add(n)
            s.flush()
            return n

        team = w.team.id  # Reisdocumenten, of afdeling Burgerzaken
        # n1: closed exactly at the deadline -> op tijd (Burgerzaken)
        notitie(utc(10, 2, 10), utc(10, 6, 10), toegewezen_team_id=team,
                status="afgehandeld", afgehandeld_op=utc(10, 6, 10))  # fmt: skip
        # n2: closed one second late -> te laat (Vergunningen)
        notitie(utc(10, 3, 10), utc(10, 7, 10), toegewezen_afdeling_id=vergunningen.id,
                status="afgehandeld", afgehandeld_op=utc(10, 7, 10, 0, 1))  # fmt: skip
        # n3: reached before the deadline, closed after -> op tijd (Burgerzaken)
        notitie(utc(10, 5, 10), utc(10, 9, 10), toegewezen_team_id=team,
                eerste_contact_op=utc(10, 8, 15), status="afgehandeld",
                afgehandeld_op=utc(10, 12, 9))  # fmt: skip
        # n4: reassigned from the team to Vergunningen, deadline kept, still open -> te laat
        n4 = notitie(utc(10, 6, 10), utc(10, 10, 10), toegewezen_afdeling_id=vergunningen.id)
        overdracht = TerugbelOverdracht(
            terugbelnotitie_id=n4.id,
            van_team_id=team,
            naar_afdeling_id=vergunningen.id,
            reden="verkeerd team",
        )
        s.add(overdracht)
        # n7: made from c5, reached before the deadline -> op tijd (Burgerzaken)
        notitie(utc(10, 25, 11, 5), utc(10, 28, 11, 5), toegewezen_team_id=team,
                contactmoment_id=c5, eerste_contact_op=utc(10, 27, 9))  # fmt: skip
        # n5: Zandvoort, open, deadline after NU -> nog open (Burgerzaken)
        notitie(utc(10, 30, 10), utc(11, 3, 10), gemeente_id=z, toegewezen_team_id=team)
        # n6: made at 23:59 local on 30 September -> outside the period
        notitie(utc(9, 30, 21, 59), utc(10, 2, 21, 59), toegewezen_team_id=team)
    return Data(w, "Paspoort aanvragen", "Grofvuil ophalen")


def test_first_contact_resolution_per_gemeente_and_total(engine: Engine, data: Data) -> None:
    d = dashboard(engine, OKTOBER, nu=NU)
    haarlem, zandvoort, totaal = d.per_gemeente["Haarlem"], d.per_gemeente["Zandvoort"], d.totaal
    # Haarlem: c1, c3, c5, c6, c10 counted; answered first time: c1 and c10 (c3 made a note,
    # c5 is 'afgehandeld' but a note was made from it, c6 was transferred) -> 2/5
    assert (haarlem.contactmomenten, haarlem.eerste_keer_goed) == (5, 2)
    assert haarlem.eerste_keer_goed_pct == pytest.approx(0.4)
    # Zandvoort: c7 'zaak aangemaakt' counts as answered -> 1/1
    assert (zandvoort.contactmomenten, zandvoort.eerste_keer_goed) == (1, 1)
    assert (totaal.contactmomenten, totaal.eerste_keer_goed) == (6, 3)
    assert totaal.eerste_keer_goed_pct == pytest.approx(0.5)


def test_handling_time_volume_and_topics(engine: Engine, data: Data) -> None:
    d = dashboard(engine, OKTOBER, nu=NU)
    haarlem = d.per_gemeente["Haarlem"]
    # durations with an end: c1 300 s, c3 600, c5 120, c6 60 -> 1080 / 4 = 270 s; c10 has none
    assert haarlem.gemiddelde_afhandeltijd_s == pytest.approx(270, abs=0.5)
    # total adds c7 600 s -> 1680 / 5 = 336 s
    assert d.totaal.gemiddelde_afhandeltijd_s == pytest.approx(336, abs=0.5)
    # local days: c1 on 1 Oct (index 0), c10 on 5 Oct (4), c6 on 10 Oct (9), c5 on 25 Oct (24),
    # c3 at 23:30 on 31 Oct (30)
    assert len(d.dagen) == 31
    telefoon = haarlem.volume["telefoon"]
    assert [i for i, n in enumerate(telefoon) if n] == [0, 4, 9] and sum(telefoon) == 3
    assert haarlem.volume["balie"][30] == 1 and haarlem.volume["e-mail"][24] == 1
    assert sum(haarlem.volume["WhatsApp"]) == 0  # every configured kanaal has a row
    assert d.per_gemeente["Zandvoort"].volume["telefoon"][11] == 1
    assert haarlem.top_onderwerpen == [(data.artikel_a, 2)]
    assert d.totaal.top_onderwerpen == [(data.artikel_a, 2), (data.artikel_b, 1)]


def test_terugbelnorm_edge_cases(engine: Engine, data: Data) -> None:
    d = dashboard(engine, OKTOBER, nu=NU)
    haarlem, zandvoort, totaal = d.per_gemeente["Haarlem"], d.per_gemeente["Zandvoort"], d.totaal
    # Haarlem: n1 (at the deadline), n3 (reached in time), n7 -> op tijd 3;
    # n2 one second late -> te laat opgevolgd; n4 open past deadline -> open te laat; n6 outside
    assert haarlem.notities == 5
    assert (haarlem.op_tijd, haarlem.te_laat_opgevolgd, haarlem.open_te_laat) == (3, 1, 1)
    assert haarlem.terugbelnorm_pct == pytest.approx(3 / 5)
    # Zandvoort: n5 not yet due -> not decided, no percentage yet
    assert (zandvoort.notities, zandvoort.nog_open) == (1, 1)
    assert zandvoort.terugbelnorm_pct is None
    assert (totaal.notities, totaal.op_tijd, totaal.te_laat, totaal.nog_open) == (6, 3, 2, 1)
    # attribution to the afdeling the note is assigned to now: the reassigned n4 counts for
    # Vergunningen; Burgerzaken via the team: n1, n3, n7, n5
    assert totaal.afdelingen_meeste_notities == [("Burgerzaken", 4, 0), ("Vergunningen", 2, 2)]
    assert totaal.afdelingen_meeste_te_laat == [("Vergunningen", 2, 2)]


def test_the_same_moment_later_changes_open_into_late(engine: Engine, data: Data) -> None:
    later = dashboard(engine, OKTOBER, nu=utc(11, 3, 10, 0, 1))  # one second past n5's deadline
    assert (later.per_gemeente["Zandvoort"].open_te_laat, later.totaal.nog_open) == (1, 0)
    assert later.totaal.terugbelnorm_pct == pytest.approx(3 / 6)


def test_one_gemeente_only_and_unknown_gemeente(engine: Engine, data: Data) -> None:
    d = dashboard(engine, OKTOBER, nu=NU, gemeente="zandvoort")
    assert list(d.per_gemeente) == ["Zandvoort"]
    assert (d.totaal.contactmomenten, d.totaal.notities) == (1, 1)
    with pytest.raises(PeriodeFout, match="Gemeente 'Bloemendaal' bestaat niet"):
        dashboard(engine, OKTOBER, nu=NU, gemeente="Bloemendaal")


def test_period_boundaries_in_amsterdam_time() -> None:
    grenzen = OKTOBER.grenzen()
    assert grenzen[0] == utc(9, 30, 22) and grenzen[-1] == utc(10, 31, 23)
    assert grenzen[25] - grenzen[24] == timedelta(hours=25)  # 25 October: summer time ends
    nu = utc(10, 25, 23, 30)  # 26 October 00:30 local
    assert Periode.vandaag(nu) == Periode(date(2026, 10, 26), date(2026, 10, 26))
    assert Periode.week(nu) == Periode(date(2026, 10, 26), date(2026, 11, 1))
    assert Periode.maand(nu) == OKTOBER
    # 29 March 2026, summer time starts: 28 Mar 23:00 UTC (00:00 CET) to 29 Mar 22:00 UTC
    maart = Periode(date(2026, 3, 29), date(2026, 3, 29)).grenzen()
    assert maart == [datetime(2026, 3, 28, 23, tzinfo=UTC), datetime(2026, 3, 29, 22, tzinfo=UTC)]
    assert Periode.week(utc(3, 29, 21, 59)) == Periode(date(2026, 3, 23), date(2026, 3, 29))
    with pytest.raises(PeriodeFout):
        Periode(date(2026, 10, 2), date(2026, 10, 1))


def test_dashboard_is_frozen(engine: Engine, data: Data) -> None:
    d = dashboard(engine, OKTOBER, nu=NU)
    with pytest.raises(FrozenInstanceError):
        d.totaal.op_tijd = 99  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        d.nu = NU  # type: ignore[misc]


def test_a_day_across_the_dst_change(engine: Engine) -> None:
    """25 October 2026 has 25 hours: 24 Oct 22:00 UTC (00:00 CEST) to 25 Oct 23:00 UTC."""
    w = bouw_wereld(engine)
    with session_scope(engine) as s:
        for start in (
            utc(10, 24, 21, 50),  # 23:50 CEST on 24 Oct -> out
            utc(10, 24, 22, 10),  # 00:10 CEST on 25 Oct -> in
            utc(10, 25, 0, 30),  # 02:30 CEST, the first 02:30 -> in
            utc(10, 25, 1, 30),  # 02:30 CET, the second 02:30 -> in
            utc(10, 25, 22, 30),  # 23:30 CET on 25 Oct -> in
            utc(10, 25, 23, 10),  # 00:10 CET on 26 Oct -> out (26 Oct)
        ):
            s.add(Contactmoment(gemeente_id=w.haarlem.id, kanaal="telefoon", gestart_op=start,
                                gespreksresultaat="afgehandeld", status="afgerond"))  # fmt: skip
        for aangemaakt in (utc(10, 25, 22, 59, 59), utc(10, 25, 23)):  # in (last second), out
            s.add(Terugbelnotitie(gemeente_id=w.haarlem.id, aangemaakt_op=aangemaakt,
                                  deadline=aangemaakt + timedelta(hours=48)))  # fmt: skip
    nu = utc(10, 30, 12)
    dag = dashboard(engine, Periode(date(2026, 10, 25), date(2026, 10, 25)), nu=nu)
    # 4 contacts in the 25-hour day, all 'afgehandeld' -> 100 %; one note (made in the last
    # second), still open on 30 Oct with its deadline (27 Oct 22:59:59 UTC) passed -> te laat
    assert dag.totaal.contactmomenten == 4 and dag.totaal.eerste_keer_goed_pct == 1.0
    assert dag.totaal.volume["telefoon"] == (4,)
    assert (dag.totaal.notities, dag.totaal.open_te_laat, dag.totaal.terugbelnorm_pct) == (1, 1, 0)
    # both days: 4 on 25 Oct, the 00:10 contact on 26 Oct; both notes
    twee = dashboard(engine, Periode(date(2026, 10, 25), date(2026, 10, 26)), nu=nu)
    assert twee.totaal.volume["telefoon"] == (4, 1) and twee.totaal.notities == 2
    # 24 Oct alone: only the 23:50 contact
    assert dashboard(engine, Periode(date(2026, 10, 24), date(2026, 10, 24)),
                     nu=nu).totaal.contactmomenten == 1  # fmt: skip


def test_notes_made_reassigned_and_closed_through_the_services(engine: Engine) -> None:
    """The real flow: a note made from a contact marks it (no first-contact answer), a
    reassignment keeps the deadline, closing writes an outgoing contact that is not counted."""
    w = bouw_wereld(engine)
    settings = Settings()
    gemaakt = utc(11, 9, 9)  # Monday 9 November 10:00 local
    with session_scope(engine) as s:
        lead = Medewerker(gebruikersnaam="lead", achternaam="Leider", rollen="teamlead",
                          afdeling_id=w.burgerzaken.id)  # fmt: skip
        vergunningen = Afdeling(naam="Vergunningen")
        s.add_all([lead, vergunningen])
        bron = Contactmoment(gemeente_id=w.haarlem.id, kanaal="telefoon", gestart_op=gemaakt,
                             beeindigd_op=gemaakt + timedelta(minutes=4), status="afgerond",
                             gespreksresultaat="terugbelnotitie gemaakt")  # fmt: skip
        s.add(bron)
        s.flush()
        invoer = tb.TerugbelInvoer(
            doel=tb.Doel(tb.DoelSoort.TEAM, w.team.id), terugbelnummer="06-12345678",
            vraag="Waar blijft mijn paspoort?", gemeente="Haarlem", contactmoment_id=bron.id,
        )  # fmt: skip
        notitie = tb.maak_terugbelnotitie(s, w.agent, invoer, gemaakt, settings)
        deadline = notitie.deadline
        assert bron.terugbelnotitie_gemaakt
        tb.herverdeel(s, lead, notitie.id, tb.Doel(tb.DoelSoort.AFDELING, vergunningen.id),
                      "hoort bij vergunningen", gemaakt + timedelta(hours=1))  # fmt: skip
        assert tb.laad(s, notitie.id).deadline == deadline  # reassignment keeps the deadline
        uit = tb.afhandelen(s, lead, notitie.id, tb.Uitkomst.GEHOLPEN, "", deadline)  # exactly
        assert uit.richting == "uitgaand"
    d = dashboard(engine, Periode(date(2026, 11, 1), date(2026, 11, 30)), nu=utc(11, 20, 12))
    # only the incoming contact counts (the outgoing callback written by closing does not);
    # it made a note -> not answered the first time: 0 / 1
    assert (d.totaal.contactmomenten, d.totaal.eerste_keer_goed) == (1, 0)
    # closed exactly at the deadline -> op tijd, 1 / 1; counted for where it lies now
    assert (d.totaal.op_tijd, d.totaal.te_laat, d.totaal.terugbelnorm_pct) == (1, 0, 1.0)
    assert d.totaal.afdelingen_meeste_notities == [("Vergunningen", 1, 0)]


def test_a_result_configured_as_answered_never_makes_a_transfer_count(
    engine: Engine, data: Data
) -> None:
    ruim = replace(Settings(), gespreksresultaten=tuple(
        replace(r, afgehandeld=True) for r in Settings().gespreksresultaten
    ))  # fmt: skip
    d = dashboard(engine, OKTOBER, nu=NU, settings=ruim)
    # c6 (doorverbonden) and c3 (terugbelnotitie gemaakt) stay out whatever the setting
    assert d.per_gemeente["Haarlem"].eerste_keer_goed == 2


def _uitvoer(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 0
    return capsys.readouterr().out


def test_cli_prints_the_same_numbers_as_the_service(
    als_medewerker: Any,
    engine: Engine,
    data: Data,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kiss.models.utcnow", lambda: NU)
    d = dashboard(engine, OKTOBER, nu=NU)
    args = [*als_medewerker("teamlead"), "rapport", "--van", "2026-10-01", "--tot", "31-10-2026"]
    # JSON: everything, exactly what the service says
    print_json(als_dict(d))
    verwacht = json.loads(capsys.readouterr().out)
    uit = json.loads(_uitvoer([*args, "--formaat", "json"], capsys))
    assert uit.pop("emailnorm")[-1]["gemeente"] == "totaal"  # the e-mail norm: tests/email
    assert uit == verwacht
    assert json.loads(_uitvoer([*args, "--json"], capsys)).keys() == verwacht.keys() | {"emailnorm"}
    haarlem = next(g for g in verwacht["gemeenten"] if g["gemeente"] == "Haarlem")
    assert (haarlem["contactmomenten"], haarlem["eerste_keer_goed_pct"]) == (5, 40.0)
    assert verwacht["totaal"]["volume_per_dag"]["balie"]["2026-10-31"] == 1
    # CSV: one row of headline numbers per gemeente and the total
    rijen = list(csv.DictReader(io.StringIO(_uitvoer([*args, "--formaat", "csv"], capsys))))
    rekenaar = [kerncijfers(n, k) for n, k in d.per_gemeente.items()]
    rekenaar.append(kerncijfers("totaal", d.totaal))
    assert rijen == [{k: "" if v is None else str(v) for k, v in r.items()} for r in rekenaar]
    assert rijen[-1]["gemeente"] == "totaal" and rijen[-1]["terugbelnorm_pct"] == "60.0"
    # the table
    tabel = _uitvoer(args, capsys)
    assert "Normen 01-10-2026 t/m 31-10-2026" in tabel and "Paspoort aanvragen" in tabel
    # one gemeente
    alleen = json.loads(_uitvoer([*args, "--gemeente", "Zandvoort", "--json"], capsys))
    assert [g["gemeente"] for g in alleen["gemeenten"]] == ["Zandvoort"]


@pytest.mark.parametrize(
    ("opties", "melding"),
    [
        (["--van", "31-13-2026"], "--van '31-13-2026' is geen geldige datum"),
        (["--van", "gisteren"], "geen geldige datum; gebruik jjjj-mm-dd"),
        (["--van", "2026-10-01", "--tot", "2026-02-30"], "--tot '2026-02-30' is geen geldige"),
        (["--van", "2026-10-05", "--tot", "2026-10-01"], "vóór de begindatum"),
        (["--tot", "2026-10-01"], "--tot zonder --van"),
        (["--periode", "week", "--van", "2026-10-01"], "--periode óf --van/--tot"),
        (["--van", "2026-10-01", "--gemeente", "Bloemendaal"], "Gemeente 'Bloemendaal' bestaat"),
    ],
)
def test_cli_wrong_input_gets_a_dutch_message(
    sqlite_engine: Engine, opties: list[str], melding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = str(sqlite_engine.url.database)
    with session_scope(sqlite_engine) as session:
        session.add(Medewerker(gebruikersnaam="tl", achternaam="Leider", rollen="teamlead"))
    assert main(["--database", database, "--medewerker", "tl", "rapport", *opties]) == 2
    fout = capsys.readouterr().err
    assert melding in fout and "Traceback" not in fout and fout.startswith("kiss: ")
