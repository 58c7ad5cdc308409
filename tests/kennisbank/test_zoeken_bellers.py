"""Kennisbank search as callers speak: whole sentences, English and newcomer Dutch, questions
the kennisbank has no answer for, and colleagues offered instead.

The questions are ``data/evaluatie/kennisbank_vragen.jsonl``, written by the team from how
callers phrase things (not from the article text). Being the team's own set, the numbers are
flattering: they guard against regressions, they do not prove quality on real calls.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiss.db import session_scope
from kiss.services.kennisbank.artikelen import importeer_pad
from kiss.services.kennisbank.doorverwijzen import collegas_voor_vraag
from kiss.services.kennisbank.evaluatie import evalueer, lees_vragen
from kiss.services.kennisbank.zoeken import KennisbankZoeker
from kiss.services.smoelenboek.importeren import importeer_map

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def zoeker(engine: Engine) -> KennisbankZoeker:
    with session_scope(engine) as session:
        assert not importeer_pad(session, DATA / "kennisbank").fouten
    zoeker = KennisbankZoeker(engine)
    zoeker.bereken_vectoren()
    return zoeker


def test_the_question_set_has_sentences_english_and_off_topic_questions() -> None:
    vragen = lees_vragen(DATA / "evaluatie" / "kennisbank_vragen.jsonl")
    per = {c: [v for v in vragen if v.categorie == c] for c in {v.categorie for v in vragen}}
    assert len(per["zin"]) >= 40
    assert len(per["engels"]) + len(per["nieuwkomer"]) >= 25
    assert per["geen"] and all(not v.verwacht for v in per["geen"])
    sleutels = {p.stem for p in (DATA / "kennisbank").glob("*.md")}
    assert {s for v in vragen for s in v.verwacht} <= sleutels


def test_sentences_and_english_find_the_right_article(zoeker: KennisbankZoeker) -> None:
    vragen = lees_vragen(DATA / "evaluatie" / "kennisbank_vragen.jsonl")
    uitkomsten, cat = evalueer(
        vragen, lambda v, g: zoeker.zoek_resultaat(v, gemeente=g, bezig=False)
    )
    gemist = [(u.vraag.vraag, u.sleutels[:3]) for u in uitkomsten if not u.goed]
    assert cat["totaal"].mrr >= 0.90, gemist
    assert cat["zin"].recall3 >= 0.90, gemist
    assert cat["engels"].recall3 >= 0.80, gemist
    assert cat["nieuwkomer"].recall3 >= 0.80, gemist
    assert cat["typfout"].recall1 == 1.0, gemist
    assert cat["kort"].mrr >= 0.95, gemist
    assert cat["geen"].geen_herkend >= 0.6, gemist  # off-topic questions get no answer
    assert cat["totaal"].onterecht_geen <= 0.08, gemist


@pytest.mark.parametrize(
    ("vraag", "verwacht"),
    [
        ("goedemorgen, mijn moeder is gisteren overleden, wat moet ik nu allemaal regelen",
         "overlijden-aangifte"),
        ("how do i renew my passport", "paspoort-aanvragen"),
        ("my neighbours make noise every night", "burenoverlast"),
        ("old couch pick up", "grofvuil-ophalen"),
        ("ik nieuw in nederland moet ik taal leren", "inburgering"),
    ],
)  # fmt: skip
def test_a_callers_question_puts_the_right_article_in_the_top_three(
    zoeker: KennisbankZoeker, vraag: str, verwacht: str
) -> None:
    resultaat = zoeker.zoek_resultaat(vraag, bezig=False)
    assert verwacht in [t.sleutel for t in resultaat.treffers[:3]]
    assert resultaat.betekenis


def test_the_last_word_of_a_finished_sentence_is_not_a_prefix(zoeker: KennisbankZoeker) -> None:
    klaar = zoeker.zoek_resultaat("mijn paspoort is kwijt", bezig=False, betekenis=False)
    assert klaar.treffers[0].sleutel == "reisdocument-kwijt"
    assert "kwijtschelding" not in [t.sleutel for t in klaar.treffers]
    bezig = zoeker.zoek_resultaat("kwijtsch", bezig=True)  # still typing: completed
    assert bezig.treffers[0].sleutel == "kwijtschelding"


def test_no_good_answer_for_a_question_the_kennisbank_cannot_answer(
    zoeker: KennisbankZoeker,
) -> None:
    for vraag in ("ik heb kiespijn en zoek een tandarts", "wanneer speelt ajax weer thuis"):
        assert zoeker.zoek_resultaat(vraag, bezig=False).geen_goed_antwoord, vraag
        assert zoeker.zoek(vraag, bezig=False) == []  # the list API: nothing confident
    ov = zoeker.zoek_resultaat(
        "mijn ov-chipkaart is kwijt", bezig=False
    )  # "kwijt" is not kwijtschelding
    assert ov.treffers and ov.treffers[0].sleutel != "kwijtschelding"
    wel = zoeker.zoek_resultaat("mijn paspoort is kwijt", bezig=False)
    assert not wel.geen_goed_antwoord
    assert wel.treffers[0].sleutel == "reisdocument-kwijt"
    assert zoeker.zoek_resultaat("xqzzyv", bezig=False).geen_goed_antwoord


def test_colleagues_with_the_expertise_are_offered(engine: Engine) -> None:
    with session_scope(engine) as session:
        importeer_map(session, DATA / "smoelenboek")
    collegas = collegas_voor_vraag(
        engine, "ik heb een vraag over mijn verhuizing", date(2026, 11, 23)
    )
    assert collegas and "verhuizing" in collegas[0].fragment.lower()
    assert all(c.soort == "medewerker" for c in collegas)
    assert collegas_voor_vraag(engine, "ik wil het weten", date(2026, 11, 23)) == []
