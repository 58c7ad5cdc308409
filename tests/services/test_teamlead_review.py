"""Queue review for teamleads: which notes, load per team and person, and 'dreigt te laat'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.models import Afdeling, Medewerker, Team, Terugbelnotitie
from kiss.models.terugbel import TerugbelOverdracht
from kiss.rollen import GeenToegang
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.teamlead import dreig_grens, review
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort
from tests.factories import bouw_wereld

NU = datetime(2026, 11, 20, 21, tzinfo=UTC)  # Friday 22:00 in Amsterdam


def test_review_covers_the_afdeling_below_and_counts_load(engine: Engine) -> None:
    w = bouw_wereld(engine)
    with session_scope(engine) as s:
        onder = Afdeling(naam="Balie Zandvoort", ouder_id=w.burgerzaken.id)
        elders = Afdeling(naam="Belastingen")
        s.add_all([onder, elders])
        s.flush()
        lead = Medewerker(gebruikersnaam="lead", achternaam="Leider", rollen="teamlead",
                          afdeling_id=w.burgerzaken.id)  # fmt: skip
        s.add(lead)

        def notitie(uren: float, **aan: object) -> None:
            s.add(Terugbelnotitie(deadline=NU + timedelta(hours=uren), **aan))

        notitie(-1, toegewezen_team_id=w.team.id)  # te laat, team Reisdocumenten
        notitie(1, toegewezen_team_id=w.team.id, behandelaar_id=w.collega.id,
                status="in_behandeling")  # fmt: skip
        notitie(80, toegewezen_afdeling_id=onder.id)  # sub-afdeling, ruim op tijd
        notitie(2, toegewezen_medewerker_id=w.agent.id)  # via the agent's afdeling
        notitie(-3, toegewezen_afdeling_id=elders.id)  # another afdeling: not shown
        notitie(-3, toegewezen_team_id=w.team.id, status="afgehandeld")  # closed: not shown
    with read_scope(engine) as s:
        lead = s.get(Medewerker, lead.id)
        overzicht = review(s, lead, nu=NU, settings=Settings(), dreig_uren=4)
    assert overzicht.afdelingen == ["Balie Zandvoort", "Burgerzaken"]
    assert overzicht.totaal == 4
    assert [r.deadline for r in overzicht.regels] == sorted(r.deadline for r in overzicht.regels)
    assert overzicht.regels[0].deadline == NU - timedelta(hours=1)
    # Friday 22:00 + 4 werkuur: 2 hours left on Friday, the weekend does not count -> Monday
    # 02:00; so the notes due in 1 and 2 hours "dreigen", the one due in 80 hours does not
    assert [r.dreigt for r in overzicht.regels] == [False, True, True, False]
    per_team = {b.naam: (b.actief, b.te_laat, b.dreigt) for b in overzicht.per_team}
    assert per_team == {"Reisdocumenten": (2, 1, 1), "(geen team)": (2, 0, 1)}
    mensen = {b.naam: b.actief for b in overzicht.per_medewerker}
    assert mensen[w.collega.naam] == 1 and mensen[w.agent.naam] == 1
    assert mensen["(nog niemand)"] == 2
    with read_scope(engine) as s:
        alleen = review(s, s.get(Medewerker, lead.id), nu=NU, settings=Settings(),
                        dreig_uren=4, alleen_dreigend=True)  # fmt: skip
    assert len(alleen.regels) == 3  # te laat plus the two that will be


def test_dreig_grens_uses_working_hours() -> None:
    # two working hours left on Friday, the other two on Monday from 00:00 (CET = UTC+1)
    assert dreig_grens(NU, 4, Settings()) == datetime(2026, 11, 23, 1, tzinfo=UTC)


def test_agents_cannot_review(engine: Engine) -> None:
    w = bouw_wereld(engine)
    with read_scope(engine) as s, pytest.raises(GeenToegang):
        review(s, s.get(Medewerker, w.agent.id), nu=NU, settings=Settings())


def test_team_without_afdeling_on_the_teamlead(engine: Engine) -> None:
    w = bouw_wereld(engine)
    with session_scope(engine) as s:
        lead = Medewerker(gebruikersnaam="lead2", achternaam="L", rollen="teamlead",
                          team_id=w.team.id)  # fmt: skip
        s.add(lead)
        s.add(Terugbelnotitie(deadline=NU, toegewezen_team_id=w.team.id))
    with read_scope(engine) as s:
        overzicht = review(s, s.get(Medewerker, lead.id), nu=NU, settings=Settings())
        team = s.get(Team, w.team.id)
    assert overzicht.totaal == 1 and team is not None


def test_bulk_reassign_leaves_notes_changed_since_the_review(engine: Engine) -> None:
    w = bouw_wereld(engine)
    with session_scope(engine) as s:
        rijbewijzen = Team(naam="Rijbewijzen", afdeling_id=w.burgerzaken.id)
        lead = Medewerker(gebruikersnaam="lead", achternaam="Leider", rollen="teamlead",
                          afdeling_id=w.burgerzaken.id)  # fmt: skip
        s.add_all([rijbewijzen, lead])
        for uren in (1, 2, 3):
            s.add(Terugbelnotitie(deadline=NU + timedelta(hours=uren),
                                  toegewezen_team_id=w.team.id))  # fmt: skip
    with read_scope(engine) as s:
        gezien = review(s, s.get(Medewerker, lead.id), nu=NU, settings=Settings()).regels
    assert [r.versie for r in gezien] == [1, 1, 1]
    with session_scope(engine) as s:  # meanwhile a colleague picks up the second note
        terugbelnotities.claim(s, s.get(Medewerker, w.collega.id), gezien[1].id, NU)
    naar = Doel(DoelSoort.TEAM, rijbewijzen.id)
    with session_scope(engine) as s:
        resultaat = terugbelnotities.herverdeel_meerdere(
            s, s.get(Medewerker, lead.id), [r.id for r in gezien], naar, "Rijbewijsvragen", NU,
            versies={r.id: r.versie for r in gezien},
        )  # fmt: skip
    assert resultaat.gelukt == [gezien[0].id, gezien[2].id]
    assert "opgepakt" in resultaat.mislukt[gezien[1].id]
    with read_scope(engine) as s:
        geclaimd = s.get(Terugbelnotitie, gezien[1].id)
        assert geclaimd is not None
        assert (geclaimd.toegewezen_team_id, geclaimd.behandelaar_id) == (w.team.id, w.collega.id)
        overdrachten = s.execute(select(TerugbelOverdracht.terugbelnotitie_id)).scalars().all()
    assert sorted(overdrachten) == sorted([gezien[0].id, gezien[2].id])
