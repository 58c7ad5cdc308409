"""Terugbel queues on both backends: who sees what, sorting, states, filters, search, paging
and "pak de volgende"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from kiss.db import read_scope, session_scope
from kiss.rollen import GeenToegang
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.deadline import DeadlineStatus
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, Uitkomst
from kiss.services.terugbel.wachtrij import (
    GeenWachtrij,
    WachtrijFilter,
    WachtrijPagina,
    WachtrijSoort,
    pak_volgende,
    tellingen,
    wachtrij,
)
from tests.services.test_terugbelnotities import (
    SETTINGS,
    VRIJDAG,
    TerugbelWereld,
    maak,
    terugbel_wereld,
)

MAANDAG = VRIJDAG + timedelta(days=3)  # Monday 15:00


@pytest.fixture
def tw(engine: Engine) -> TerugbelWereld:
    return terugbel_wereld(engine)


def lijst(
    engine: Engine,
    wie: object,
    soort: WachtrijSoort = WachtrijSoort.TEAM,
    nu: object = MAANDAG,
    **filter: object,
) -> WachtrijPagina:
    with read_scope(engine) as session:
        return wachtrij(
            session,
            wie,  # type: ignore[arg-type]
            soort,
            WachtrijFilter(**filter),  # type: ignore[arg-type]
            nu=nu,  # type: ignore[arg-type]
            settings=SETTINGS,
        )


def test_team_queue_sorted_by_deadline_with_states(engine: Engine, tw: TerugbelWereld) -> None:
    oud = maak(engine, tw, nu=VRIJDAG - timedelta(days=7))  # deadline last Tuesday: te laat
    vandaag = maak(engine, tw, nu=VRIJDAG - timedelta(days=1), vraag="Afspraak verzetten")
    nieuw = maak(engine, tw, nu=MAANDAG, terugbelnummer="+31 23 511 4258", klant_id=None)
    ander_team = maak(engine, tw, doel=Doel(DoelSoort.TEAM, tw.vergunningen.id))
    pagina = lijst(engine, tw.backoffice)
    assert [r.id for r in pagina.regels] == [oud.id, vandaag.id, nieuw.id]
    assert [r.staat for r in pagina.regels] == [
        DeadlineStatus.TE_LAAT,
        DeadlineStatus.BIJNA,  # Thursday 15:00 + 48 werkuren = Monday 15:00, due today
        DeadlineStatus.OP_TIJD,
    ]
    eerste = pagina.regels[0]
    assert eerste.klant_naam == "Johanna van den Berg" and eerste.gemeente == "Haarlem"
    assert eerste.terugbelnummer == "06 12345678" and eerste.toegewezen_aan == "team Reisdocumenten"
    assert pagina.regels[2].klant_naam == "" and pagina.regels[2].terugbelnummer == "023 511 4258"
    assert pagina.regels[1].vraag == "Afspraak verzetten" and not pagina.meer
    assert ander_team.id not in {r.id for r in lijst(engine, tw.teamlead).regels}
    # the afdeling queue holds the team's notes too; Frank's afdeling comes from his team
    assert len(lijst(engine, tw.w.agent, WachtrijSoort.AFDELING).regels) == 3
    assert [r.id for r in lijst(engine, tw.vergunner, WachtrijSoort.AFDELING).regels] == [
        ander_team.id
    ]


def test_who_may_see_which_queue(engine: Engine, tw: TerugbelWereld) -> None:
    maak(engine, tw)
    maak(engine, tw, doel=Doel(DoelSoort.TEAM, tw.vergunningen.id))
    with pytest.raises(GeenWachtrij, match="geen team"):
        lijst(engine, tw.w.agent, WachtrijSoort.TEAM)
    with pytest.raises(GeenToegang):
        lijst(engine, tw.backoffice, WachtrijSoort.ALLES)
    assert len(lijst(engine, tw.teamlead, WachtrijSoort.ALLES).regels) == 2
    # "alles" narrowed to one team is that team's shared queue: anyone may look
    smal = lijst(
        engine,
        tw.backoffice,
        WachtrijSoort.ALLES,
        toegewezen_aan=Doel(DoelSoort.TEAM, tw.vergunningen.id),
    )
    assert len(smal.regels) == 1


def test_my_queue_holds_personal_and_claimed_notes(engine: Engine, tw: TerugbelWereld) -> None:
    persoonlijk = maak(engine, tw, doel=Doel(DoelSoort.MEDEWERKER, tw.backoffice.id))
    geclaimd = maak(engine, tw)
    maak(engine, tw)
    with session_scope(engine) as session:
        terugbelnotities.claim(session, tw.backoffice, geclaimd.id, VRIJDAG)
    mijn = lijst(engine, tw.backoffice, WachtrijSoort.MIJN)
    assert {r.id for r in mijn.regels} == {persoonlijk.id, geclaimd.id}
    assert next(r for r in mijn.regels if r.id == geclaimd.id).behandelaar == "Dirk Dekker"
    assert len(lijst(engine, tw.backoffice, status="in_behandeling").regels) == 1


def test_filters_search_and_paging(engine: Engine, tw: TerugbelWereld) -> None:
    berg = maak(engine, tw)
    vries = maak(
        engine,
        tw,
        nu=VRIJDAG + timedelta(hours=1),
        klant_id=tw.w.vries.id,
        gemeente="Zandvoort",
        terugbelnummer="0687654321",
    )
    bakkerij = maak(
        engine,
        tw,
        nu=VRIJDAG + timedelta(hours=2),
        klant_id=tw.w.bakkerij.id,
        extra_nummer="023-5114258",
        email="info@zeemeeuw.nl",
    )
    te_laat = maak(engine, tw, nu=VRIJDAG - timedelta(days=7))

    def ids(**filter: object) -> list[object]:
        return [r.id for r in lijst(engine, tw.backoffice, **filter).regels]

    assert ids(gemeente="Zandvoort") == [vries.id]
    assert ids(te_laat=True) == [te_laat.id]
    assert ids(zoektekst="+31 6 87 65 43 21") == [vries.id]  # any notation
    assert ids(zoektekst="0687") == [vries.id]  # a partial number
    assert ids(zoektekst="(023) 511 42 58") == [bakkerij.id]  # the extra number
    assert ids(zoektekst="zeemeeuw") == [bakkerij.id]  # organisation name
    assert ids(zoektekst="Van den Berg") == [te_laat.id, berg.id]
    assert ids(zoektekst="de vries") == [vries.id]
    assert ids(zoektekst="info@zeemeeuw") == [bakkerij.id]
    assert ids(zoektekst="niemand") == []
    with session_scope(engine) as session:
        terugbelnotities.afhandelen(
            session, tw.backoffice, te_laat.id, Uitkomst.GEHOLPEN, "", MAANDAG
        )
    assert te_laat.id not in ids()
    assert ids(status="afgehandeld") == [te_laat.id]
    assert ids(status="afgehandeld", te_laat=True) == [te_laat.id]
    with read_scope(engine) as session:
        eerste = wachtrij(session, tw.backoffice, "team", nu=MAANDAG, settings=SETTINGS, limit=2)
        tweede = wachtrij(
            session, tw.backoffice, "team", nu=MAANDAG, settings=SETTINGS, limit=2, offset=2
        )
    assert eerste.meer and not tweede.meer
    assert [r.id for r in eerste.regels + tweede.regels] == [berg.id, vries.id, bakkerij.id]


def test_counts_per_queue(engine: Engine, tw: TerugbelWereld) -> None:
    maak(engine, tw)
    maak(engine, tw, nu=VRIJDAG - timedelta(days=7))
    with read_scope(engine) as session:
        telling = tellingen(session, tw.backoffice, MAANDAG)
        agent = tellingen(session, tw.w.agent, MAANDAG)
    team = telling[WachtrijSoort.TEAM]
    assert team is not None and (team.actief, team.te_laat) == (2, 1)
    assert telling[WachtrijSoort.ALLES] is None  # not a teamleider
    assert agent[WachtrijSoort.TEAM] is None  # no team


def test_take_the_next_claims_the_earliest_deadline(engine: Engine, tw: TerugbelWereld) -> None:
    later = maak(engine, tw, nu=MAANDAG)
    eerder = maak(engine, tw, nu=VRIJDAG)
    voor_bram = maak(engine, tw, nu=VRIJDAG - timedelta(days=7), doel=Doel(
        DoelSoort.MEDEWERKER, tw.w.collega.id
    ))  # fmt: skip
    genomen = []
    for _ in range(3):
        with session_scope(engine) as session:
            genomen.append(pak_volgende(session, tw.backoffice, WachtrijSoort.TEAM, MAANDAG))
    assert genomen == [eerder.id, later.id, None]  # Bram's personal note is left alone
    with session_scope(engine) as session:
        assert pak_volgende(session, tw.w.collega, WachtrijSoort.MIJN, MAANDAG) == voor_bram.id
        notitie = terugbelnotities.laad(session, voor_bram.id)
    assert notitie.behandelaar_id == tw.w.collega.id and notitie.versie == 2


def test_paging_is_exact_when_many_notes_share_a_deadline(
    engine: Engine, tw: TerugbelWereld
) -> None:
    zaterdag = VRIJDAG + timedelta(days=1)  # all made on Saturday: all due Wednesday 00:00
    ids = [maak(engine, tw, nu=zaterdag + timedelta(minutes=n)).id for n in range(7)]
    with session_scope(engine) as session:
        for notitie_id in ids[::2]:
            terugbelnotities.claim(session, tw.backoffice, notitie_id, zaterdag)
    gezien = []
    with read_scope(engine) as session:
        for offset in range(0, 9, 3):
            pagina = wachtrij(
                session, tw.teamlead, "team", nu=MAANDAG, settings=SETTINGS, limit=3,
                offset=offset,
            )  # fmt: skip
            gezien += [r.id for r in pagina.regels]
            assert pagina.meer == (offset + 3 < len(ids))
    assert gezien == sorted(ids, key=lambda i: i.hex)  # ties in id order, none twice or lost
    assert len({r for r in gezien}) == 7
