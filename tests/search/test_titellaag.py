"""Words so frequent that ranking every document with them would be slow are ranked within the
title tier (title-like fields only, kept in the index file); the tier never shows what another
process already changed, and a sentence's vector can be computed while the words are searched."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import kiss.search.index as index_module
import kiss.search.vectoren as vectoren_module
from kiss.search import Document, Field, SearchIndex
from kiss.search.vectoren import VectorIndex

VELDEN = (
    Field("titel", 10.0),
    Field("trefwoorden", 6.0),
    Field("inhoud", 1.0, snippet=True),
)


def keys(index: SearchIndex, query: str, **kwargs: object) -> list[str]:
    return [hit.key for hit in index.search(query, **kwargs)]  # type: ignore[arg-type]


def vul(index: SearchIndex) -> None:
    """Forty documents that mention 'vergunning' in the body, three in the title."""
    docs = [
        Document(f"ruis{i:02d}", {"titel": f"Onderwerp {i}", "inhoud": "Een vergunning is nodig."})
        for i in range(40)
    ]
    docs += [
        Document("park", {"titel": "Parkeervergunning bewoners", "inhoud": "Voor bewoners."}),
        Document("kap", {"titel": "Kapvergunning", "trefwoorden": "boom", "inhoud": "Bomen."}),
        Document("bouw", {"titel": "Bouwen", "trefwoorden": "vergunning", "inhoud": "Een dak."}),
        Document("weg", {"titel": "Vergunning oud", "inhoud": "Vervallen."}, visible=False),
        Document(
            "haarlem",
            {"titel": "Vergunning evenement", "inhoud": "Een feest."},
            scopes=["Haarlem"],
        ),
    ]
    index.upsert_many(docs)


@pytest.fixture
def klein_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "ROW_BUDGET", 5)


def test_a_frequent_word_is_ranked_within_the_titles(tmp_path: Path, klein_budget: None) -> None:
    index = SearchIndex(VELDEN, path=str(tmp_path / "i.zoekindex"))
    vul(index)
    gevonden = keys(index, "vergunning", typing=False, limit=4)
    assert set(gevonden) == {"park", "kap", "bouw", "haarlem"}  # titles first, hidden never
    assert gevonden[:2] == ["haarlem", "bouw"]  # the title, then trefwoorden, then parts
    assert "haarlem" not in keys(index, "vergunning", typing=False, scope="Zandvoort", limit=4)
    assert keys(index, "vergunning", typing=False, scope="Haarlem", limit=1) == ["haarlem"]
    # too few title matches: every document with the word is ranked as before
    assert len(keys(index, "vergunning", typing=False, limit=20)) == 20
    assert keys(index, "vergun", typing=True, limit=3)  # a prefix takes the same way


@pytest.mark.parametrize("met_numpy", [False, True])
def test_numpy_and_pure_python_rank_the_title_tier_alike(
    tmp_path: Path, klein_budget: None, monkeypatch: pytest.MonkeyPatch, met_numpy: bool
) -> None:
    # a new process ranks in pure Python until numpy has loaded in the background
    monkeypatch.setattr(index_module, "_numpy", lambda: np if met_numpy else None)
    index = SearchIndex(VELDEN, path=str(tmp_path / "i.zoekindex"))
    vul(index)
    hits = index.search("vergunning", typing=False, limit=4)
    assert [h.key for h in hits] == ["haarlem", "bouw", "kap", "park"]
    assert keys(index, "bewoners vergunning", typing=False, limit=2)[0] == "park"
    assert keys(index, "vergunning", typing=False, scope="Zandvoort", limit=3) == [
        "bouw",
        "kap",
        "park",
    ]
    assert round(hits[0].score, 6) == round(
        index.search("vergunning", typing=False, limit=1)[0].score, 6
    )


def test_the_title_tier_follows_edits_by_another_process(
    tmp_path: Path, klein_budget: None
) -> None:
    pad = str(tmp_path / "i.zoekindex")
    eerste = SearchIndex(VELDEN, path=pad)
    vul(eerste)
    tweede = SearchIndex(VELDEN, path=pad)  # another agent's process on the same file
    assert "park" in keys(tweede, "vergunning", typing=False, limit=4)  # now in its cache
    eerste.upsert("park", {"titel": "Parkeren voor bewoners", "inhoud": "Geen vergunning."})
    eerste.delete("kap")
    eerste.upsert("nieuw", {"titel": "Vergunning voor een terras", "inhoud": "Terras."})
    na = keys(tweede, "vergunning", typing=False, limit=3)
    assert set(na) == {"haarlem", "nieuw", "bouw"}  # park lost it from its title, kap is gone
    assert keys(tweede, "terras vergun", typing=True, limit=1) == ["nieuw"]


def test_an_index_file_without_a_title_tier_gets_one_on_open(
    tmp_path: Path, klein_budget: None
) -> None:
    pad = str(tmp_path / "i.zoekindex")
    index = SearchIndex(VELDEN, path=pad)
    vul(index)
    index._db.execute("DELETE FROM kop")  # as a file written by the previous version
    index._db.execute("DELETE FROM meta WHERE name = 'kop'")
    opnieuw = SearchIndex(VELDEN, path=pad)
    assert set(keys(opnieuw, "vergunning", typing=False, limit=4)) == {
        "park",
        "kap",
        "bouw",
        "haarlem",
    }


def test_the_sketch_finds_the_same_nearest_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(5)
    vectoren = rng.normal(size=(3000, vectoren_module.DIM)).astype(np.float32)
    vectoren /= np.linalg.norm(vectoren, axis=1, keepdims=True)
    index = VectorIndex(str(tmp_path / "v.zoekindex"))
    index.zet((f"d{i:04d}", "v1", v) for i, v in enumerate(vectoren))
    exact = index.zoek(vectoren[17], k=5)
    monkeypatch.setattr(vectoren_module, "GROF_VANAF", 1000)
    monkeypatch.setattr(vectoren_module, "GROF_KANDIDATEN", 500)
    geschetst = VectorIndex(str(tmp_path / "v.zoekindex"))
    assert geschetst.zoek(vectoren[17], k=1)[0][0] == "d0017"
    assert geschetst._kandidaten(vectoren[17], 500).shape == (500,)
    assert exact[0][0] == "d0017"


def test_a_question_vector_started_early_is_the_same_vector() -> None:
    embedder = vectoren_module.Embedder
    tekst = "ik ben mijn paspoort kwijt geraakt op vakantie (vooraf)"
    embedder._cache.pop((tekst, True), None)
    embedder.begin(tekst)
    vooraf = embedder.vraag(tekst)
    embedder._cache.pop((tekst, True), None)
    assert np.allclose(vooraf, embedder.vraag(tekst), atol=1e-5)
    assert tekst not in embedder._bezig
