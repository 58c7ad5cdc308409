"""An index file shared by several processes (here: several connections, as each process has
its own): opened without re-reading documents, writes seen by the others at their next
search, the vocabulary kept exact through edits and removals."""

from __future__ import annotations

from pathlib import Path

from kiss.search import Document, Field, SearchIndex

VELDEN = (Field("titel", 10.0), Field("inhoud", 1.0, snippet=True))


def keys(index: SearchIndex, query: str, **kwargs: object) -> list[str]:
    return [hit.key for hit in index.search(query, **kwargs)]  # type: ignore[arg-type]


def test_a_second_opener_finds_what_the_first_wrote_and_the_other_way_round(
    tmp_path: Path,
) -> None:
    pad = str(tmp_path / "index.zoekindex")
    eerste = SearchIndex(VELDEN, path=pad)
    eerste.upsert("paspoort", {"titel": "Paspoort verlengen", "inhoud": "Neem een pasfoto mee."})
    tweede = SearchIndex(VELDEN, path=pad)  # opens; reads no documents
    assert keys(tweede, "pasport", typing=False) == ["paspoort"]  # typo: vocabulary from file
    assert keys(tweede, "pasf", typing=True) == ["paspoort"]  # completion: vocabulary too
    tweede.upsert("grofvuil", {"titel": "Grofvuil ophalen", "inhoud": "Bankstel en matras."})
    assert keys(eerste, "grofvuil", typing=False) == ["grofvuil"]  # the other's write
    assert keys(eerste, "matrs", typing=False) == ["grofvuil"]  # its new words correct typos
    eerste.delete("grofvuil")
    assert keys(tweede, "grofvuil", typing=False) == []
    assert keys(tweede, "matr", typing=True) == []  # its words left the vocabulary
    assert len(tweede) == 1


def test_the_vocabulary_counts_stay_exact_through_edits(tmp_path: Path) -> None:
    pad = str(tmp_path / "index.zoekindex")
    index = SearchIndex(VELDEN, path=pad)
    index.upsert_many(
        [
            Document("a", {"titel": "Parkeervergunning bewoners"}),
            Document("b", {"titel": "Parkeervergunning bezoekers"}),
        ]
    )
    index.upsert("a", {"titel": "Hondenbelasting"})  # a no longer mentions parkeren
    index.delete("b")
    opnieuw = SearchIndex(VELDEN, path=pad)
    assert keys(opnieuw, "parkeervergunning", typing=False) == []
    assert keys(opnieuw, "vergunning", typing=False) == []  # the compound part went too
    assert keys(opnieuw, "hondenbelastng", typing=False) == ["a"]


def test_a_file_of_another_layout_is_emptied_for_its_caller_to_refill(tmp_path: Path) -> None:
    pad = str(tmp_path / "index.zoekindex")
    SearchIndex(VELDEN, path=pad).upsert("a", {"titel": "Paspoort"})
    ander = SearchIndex((Field("naam", 1.0),), path=pad)  # other fields
    assert len(ander) == 0
    assert ander.search("paspoort") == []
