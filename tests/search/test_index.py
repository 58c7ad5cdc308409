"""The shared search core: what an agent typing into any search field notices."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiss.search import Document, Field, SearchIndex
from kiss.search.text import fold, stem, words

VELDEN = (
    Field("titel", 10.0),
    Field("trefwoorden", 5.0),
    Field("samenvatting", 3.0, snippet=True),
    Field("inhoud", 1.0, snippet=True),
)

DOCUMENTEN = {
    "paspoort": {
        "titel": "Paspoort aanvragen of verlengen",
        "trefwoorden": "paspoort verlengen reisdocument",
        "samenvatting": "Een nieuw paspoort vraagt u aan bij de balie na een afspraak.",
        "inhoud": "Neem een pasfoto mee. Het paspoort is tien jaar geldig.",
    },
    "idkaart": {
        "titel": "Identiteitskaart aanvragen",
        "trefwoorden": "identiteitskaart legitimatie",
        "samenvatting": "De ID-kaart is een geldig reisdocument binnen Europa.",
        "inhoud": "U vraagt de kaart persoonlijk aan.",
    },
    "parkeren": {
        "titel": "Parkeervergunning voor bewoners",
        "trefwoorden": "parkeervergunning kenteken",
        "samenvatting": "Bewoners van een betaald-parkerengebied vragen een vergunning aan.",
        "inhoud": "De vergunning hoort bij één kenteken.",
    },
    "bijstand": {
        "titel": "Bijstandsuitkering aanvragen",
        "trefwoorden": "bijstand participatiewet",
        "samenvatting": "Wie te weinig inkomen heeft, kan bijstand krijgen.",
        "inhoud": "Jongeren onder 27 zoeken eerst vier weken werk.",
    },
    "cafe": {
        "titel": "Terrasvergunning voor een café",
        "trefwoorden": "terras horeca",
        "samenvatting": "Een café met een terras op de stoep heeft een vergunning nodig.",
        "inhoud": "De vergunning geldt voor het seizoen.",
    },
    "strand": {
        "titel": "Strandhuisjes in Zandvoort",
        "trefwoorden": "strandhuisje strand",
        "samenvatting": "Regels voor strandhuisjes aan de kust.",
        "inhoud": "Alleen in het strandseizoen.",
    },
    "oud": {
        "titel": "Energietoeslag paspoort 2023",
        "trefwoorden": "energietoeslag",
        "samenvatting": "Een regeling die is afgelopen.",
        "inhoud": "",
    },
}


@pytest.fixture
def index() -> SearchIndex:
    idx = SearchIndex(
        VELDEN,
        synonyms={"paspoort": ["reisdocument"], "id-kaart": ["identiteitskaart", "idkaart"]},
    )
    idx.upsert_many(
        Document(
            key,
            values,
            scopes=["Zandvoort"] if key == "strand" else (),
            visible=key != "oud",
        )
        for key, values in DOCUMENTEN.items()
    )
    return idx


def keys(index: SearchIndex, query: str, **kwargs: object) -> list[str]:
    return [hit.key for hit in index.search(query, **kwargs)]  # type: ignore[arg-type]


def test_title_words_rank_first(index: SearchIndex) -> None:
    assert keys(index, "paspoort")[0] == "paspoort"


def test_one_typo_in_a_long_word_is_forgiven(index: SearchIndex) -> None:
    assert keys(index, "paspoot verlengen")[0] == "paspoort"
    assert keys(index, "bijstnad")[0] == "bijstand"


def test_the_word_being_typed_matches_as_prefix(index: SearchIndex) -> None:
    assert keys(index, "parkeerv")[0] == "parkeren"
    assert keys(index, "identi")[0] == "idkaart"


def test_a_finished_word_is_not_a_prefix(index: SearchIndex) -> None:
    # "pas " (with a space) is a finished word: no prefix expansion to paspoort/pasfoto.
    assert "paspoort" not in keys(index, "pas ")


def test_diacritics_are_folded_both_ways(index: SearchIndex) -> None:
    assert keys(index, "cafe")[0] == "cafe"
    assert keys(index, "CAFÉ")[0] == "cafe"


def test_compound_found_by_its_parts_in_another_order(index: SearchIndex) -> None:
    assert keys(index, "vergunning parkeren")[0] == "parkeren"


def test_synonyms_work_both_ways(index: SearchIndex) -> None:
    assert "paspoort" in keys(index, "reisdocument")
    assert keys(index, "id-kaart")[0] == "idkaart"


def test_plural_and_diminutive_find_the_singular(index: SearchIndex) -> None:
    assert keys(index, "strandhuisjes")[0] == "strand"
    assert stem("paspoorten") == stem("paspoort")
    assert stem("huisje") == stem("huis")


def test_scope_keeps_documents_of_other_gemeenten_out(index: SearchIndex) -> None:
    assert keys(index, "strandhuisje", scope="Zandvoort") == ["strand"]
    assert keys(index, "strandhuisje", scope="Haarlem") == []
    assert keys(index, "strandhuisje") == ["strand"]  # no scope: everything


def test_hidden_documents_never_show(index: SearchIndex) -> None:
    assert "oud" not in keys(index, "energietoeslag")
    assert "oud" not in keys(index, "paspoort", limit=50)


def test_update_and_delete_take_effect_at_once(index: SearchIndex) -> None:
    index.upsert("bijstand", {"titel": "Hondenbelasting"})
    assert keys(index, "hondenbelasting") == ["bijstand"]
    assert "bijstand" not in keys(index, "participatiewet")
    index.delete("bijstand")
    assert keys(index, "hondenbelasting") == []
    assert "bijstand" not in index


def test_usage_breaks_a_tie() -> None:
    idx = SearchIndex(VELDEN)
    idx.upsert_many(
        [
            Document("a", {"titel": "Afspraak maken"}),
            Document("b", {"titel": "Afspraak maken"}, usage=40),
        ]
    )
    assert keys(idx, "afspraak") == ["b", "a"]
    idx.set_usage("a", 100)
    assert keys(idx, "afspraak") == ["a", "b"]


def test_usage_does_not_beat_a_clearly_better_match() -> None:
    idx = SearchIndex(VELDEN)
    idx.upsert_many(
        [
            Document("titel", {"titel": "Grofvuil ophalen"}),
            Document("inhoud", {"titel": "Afval", "inhoud": "ook grofvuil"}, usage=10_000),
        ]
    )
    assert keys(idx, "grofvuil")[0] == "titel"


def test_snippet_highlights_the_matched_words(index: SearchIndex) -> None:
    hit = index.search("pasfoto")[0]
    assert hit.key == "paspoort"
    highlighted = [hit.snippet.text[a:b] for a, b in hit.snippet.spans]
    assert highlighted and all(fold(w) == "pasfoto" for w in highlighted)
    assert "[bold]pasfoto[/]" in hit.snippet.markup().lower()


def test_snippet_markup_escapes_document_text() -> None:
    idx = SearchIndex(VELDEN)
    idx.upsert("x", {"titel": "Tarieven", "samenvatting": "[red]tarieven[/red] en kosten"})
    markup = idx.search("kosten")[0].snippet.markup()
    assert "\\[red]" in markup


def test_unknown_words_are_dropped_not_fatal(index: SearchIndex) -> None:
    assert keys(index, "xqzw paspoort")[0] == "paspoort"
    assert keys(index, "xqzwv") == []


def test_any_order_of_documents_gives_the_same_ranking() -> None:
    items = list(DOCUMENTEN.items())
    forward, backward = SearchIndex(VELDEN), SearchIndex(VELDEN)
    forward.upsert_many(Document(k, v) for k, v in items)
    backward.upsert_many(Document(k, v) for k, v in reversed(items))
    for query in ("vergunning", "aanvragen", "paspo", "de"):
        assert keys(forward, query) == keys(backward, query)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'paspoort",
        'paspoort" OR 1=1 --',
        "*",
        "pas*",
        "-paspoort",
        "NOT paspoort",
        "paspoort AND",
        "NEAR(paspoort verlengen, 2)",
        "titel:paspoort",
        "{c0}: paspoort",
        "((((",
        "^paspoort",
        "paspoort 🙂🛂",
        "x" * 1000,
        "paspoort " * 200,
        "\x00\t\n",
        "",
        "   ",
    ],
)
def test_hostile_text_never_raises(index: SearchIndex, query: str) -> None:
    hits = index.search(query)
    assert isinstance(hits, list)
    if "paspoort" in query and len(query) < 100:
        assert "paspoort" in [h.key for h in hits]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(index: SearchIndex, query: str) -> None:
    hits = index.search(query, scope="Haarlem", limit=5)
    assert len(hits) <= 5
    assert all(hit.key in DOCUMENTEN and hit.key not in {"oud", "strand"} for hit in hits)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.text(max_size=60))
def test_arbitrary_documents_can_be_indexed_and_found(titel: str, query: str) -> None:
    idx = SearchIndex(VELDEN)
    idx.upsert("doc", {"titel": titel, "inhoud": query})
    idx.search(query)
    found = words(titel)
    if found and all(w.isascii() for w in found):  # a whole word of the title finds it
        assert "doc" in keys(idx, found[0] + " ")
