"""Search normalisation: the ONE place where text becomes index terms.

Every caller of the search core (kennisbank, smoelenboek, …) gets the same rules, at index
time and at query time:

1. :func:`fold` — case folded, diacritics removed (``Café`` → ``cafe``, ``Çelik`` → ``celik``,
   ``Yılmaz`` → ``yilmaz``, ``ĳ`` → ``ij``).
2. :func:`words` — folded words: runs of letters/digits; ``auto's`` → ``auto``, ``'t`` →
   ``t``; hyphens, punctuation, emoji and underscores separate words.
3. :func:`stem` — a light Dutch normalisation: diminutives (``containertje`` → container,
   ``kaartje`` → kaart, ``balletje`` → bal, ``boompje`` → boom), then the Snowball
   ``dutch_porter`` stemmer (plurals, ``-ing``, ``-en`` verb forms: ``parkeren`` and
   ``parkeer`` share a stem), then a few clean-ups so plural and singular meet (``adressen``
   → adres, ``huizen`` → huis, ``brieven`` → brief).
4. :func:`decompound` — splits compounds into known parts (``parkeervergunning`` →
   ``parkeer`` + ``vergunning``, ``omgevingsvergunning`` → ``omgeving`` + ``vergunning``);
   "known" is decided by the caller (the index vocabulary) plus :data:`LEXICON`.

Bump :data:`NORMALISATION_VERSION` whenever a rule changes: a file-backed index built with other
rules is then emptied on open (its caller refills it).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import snowballstemmer

__all__ = [
    "LEXICON",
    "NORMALISATION_VERSION",
    "decompound",
    "fold",
    "fold_aligned",
    "hyphen_joins",
    "parse_synonyms",
    "raw_word_set",
    "raw_words",
    "stem",
    "word_spans",
    "words",
]

NORMALISATION_VERSION = 1

#: Common parts of Dutch municipal compounds. A compound whose tail is one of these splits even
#: when the head is not a word of the index (``parkeervergunning`` in a corpus without
#: ``parkeren``). Folded surface forms.
LEXICON: frozenset[str] = frozenset(
    """
    aangifte aanslag aanvraag adres advies afspraak afval akte bak belasting beleid bericht
    besluit bewijs bezwaar bijdrage bijstand boete boom bouw brief container dienst document
    formulier gemeente geld heffing hulp huur inkomen inschrijving kaart kosten klacht les
    loket melding nummer ondersteuning onderwijs ontheffing opvang overlast parkeer parkeren
    paspoort plaats plan rapport recht regeling reis rijbewijs school schuld sloop stand
    subsidie toeslag uitkering uittreksel vergoeding vergunning verhuizing verklaring
    verlenging vervoer verzekering voorziening waarde werk wijziging woning zorg zaak
    """.split()
)

_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)
_WORD = re.compile(r"[^\W_]+")
_RAW_WORD = re.compile(r"[^\W_]+(?:['’‘ʼ][^\W_]+)*")
_APOSTROPHE_S = re.compile(r"(?<=[^\W_])'s\b")
_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])")
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+")

_VOWELS = frozenset("aeiouy")
_LONG = ("aa", "ee", "oo", "uu", "ie", "oe", "eu", "ei", "ij", "ui", "ou", "au")
#: Plurals no rule gets right.
_IRREGULAR = {
    "kinderen": "kind",
    "kinders": "kind",
    "steden": "stad",
    "schepen": "schip",
    "gelegenheden": "gelegenheid",
    "eieren": "ei",
    "liederen": "lied",
    "bladeren": "blad",
}


def fold(text: str) -> str:
    """Lower case without diacritics: ``Café Ĳssel`` → ``cafe ijssel``."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return folded.translate(_SPECIAL)


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order (duplicates kept)."""
    folded = fold(text)
    if "'" in folded:
        folded = _APOSTROPHE.sub("", _APOSTROPHE_S.sub("", folded))
    return _WORD.findall(folded)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, folded word)`` for every word of ``text``, offsets into ``text`` itself.

    The same words as :func:`words` (a raw word that folds into several, like ``½``, yields
    each of them with the raw word's span)."""
    spans: list[tuple[int, int, str]] = []
    for match in _RAW_WORD.finditer(text):
        raw = match.group()
        if raw.isascii() and "'" not in raw:
            spans.append((match.start(), match.end(), raw.lower()))
            continue
        for word in words(raw):
            spans.append((match.start(), match.end(), word))
    return spans


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str | None:
    folded = fold(char)
    return folded if len(folded) == 1 else None


def fold_aligned(text: str) -> str | None:
    """:func:`fold` that keeps every offset (each character folds to one), or ``None`` when
    ``text`` has a character that folds to none or several (``ß``, ``ĳ``)."""
    if text.isascii():
        return text.lower()
    table: dict[int, str] = {}
    for char in set(text):
        if ord(char) > 127:
            folded = _fold_char(char)
            if folded is None:
                return None
            table[ord(char)] = folded
    return text.translate(table).lower()


def raw_words(folded: str) -> list[str]:
    """The words of already folded text as they stand (``auto's`` stays whole); feed each to
    :func:`words` for the index form."""
    return _RAW_WORD.findall(folded)


#: ASCII characters that are not part of a word, as spaces (the apostrophe is kept).
_ASCII_SEPARATORS = {
    i: " " for i in range(128) if not (chr(i).isalnum() and chr(i) != "_") and chr(i) != "'"
}


def raw_word_set(folded: str) -> set[str]:
    """``set(raw_words(folded))``, about twice as fast for ASCII text (snippets of every hit)."""
    if not folded.isascii():
        return set(_RAW_WORD.findall(folded))
    present = set(folded.translate(_ASCII_SEPARATORS).split())
    if "'" in folded:
        for token in [t for t in present if "'" in t]:
            present.discard(token)
            present.update(_RAW_WORD.findall(token))
    return present


def hyphen_joins(text: str) -> list[str]:
    """Hyphenated words joined: ``WOZ-waarde`` → ``wozwaarde``, ``id-kaart`` → ``idkaart``."""
    folded = fold(text)
    if "-" not in folded:
        return []
    return ["".join(_WORD.findall(m.group())) for m in _HYPHENATED.finditer(folded)]


_local = threading.local()


def _porter() -> snowballstemmer.Stemmer:  # the generated stemmers keep state: one per thread
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer  # at the first search, not at start-up

        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch_porter")
    return stemmer


def _strip_diminutive(word: str) -> str:
    if word.endswith("jes"):
        base = word[:-3]
    elif word.endswith("je"):
        base = word[:-2]
    else:
        return word
    if len(base) < 3:
        return word
    if base.endswith("et") and len(base) >= 5:  # balletje → bal, ringetje → ring
        root = base[:-2]
        if root[-1] == root[-2] and root[-1] not in _VOWELS:
            return root[:-1]
        if root.endswith("ng"):
            return root
    if base.endswith("mp"):  # boompje → boom
        return base[:-1]
    if base.endswith("t") and len(base) >= 4:
        before = base[:-1]  # the root if the suffix was -tje
        if before.endswith(("er", "el", "en", "ij")):  # containertje, tafeltje, rijtje
            return before
        if before.endswith("oo"):  # autootje → auto
            return before[:-1]
        if before.endswith("ee"):  # ideetje → idee
            return before
        if before[-1] in _VOWELS and not before.endswith(_LONG):  # cadeautje, menuutje
            return before
        if before[-1] in "lnw" and before[:-1].endswith(_LONG):  # wieltje, treintje
            return before
        return base  # kaartje → kaart, straatje → straat, plantje → plant
    return base  # huisje → huis, boekje → boek


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        return word[:-1]
    return word


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """The index term of a folded word (see the module docstring)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return irregular
    base = _strip_diminutive(word) if len(word) >= 5 else word
    if base.endswith(("ieen", "eeen")):  # categorieën, ideeën (folded)
        base = base[:-2]
    elif base.endswith("ntes"):  # gemeentes
        base = base[:-1]
    result = _porter().stemWord(base) if len(base) > 3 else base
    result = _undouble(result)  # adress → adres, vergunn → vergun
    if len(result) > 3 and result[-1] == "z":  # huiz → huis, prijz → prijs
        result = result[:-1] + "s"
    elif len(result) > 3 and result[-1] == "v":  # briev → brief
        result = result[:-1] + "f"
    if (
        len(result) > 4
        and result[-1] == "s"
        and result[-2] not in _VOWELS
        and result[-2] not in "js"
    ):
        result = result[:-1]  # fietsen → fiets → fiet, like fiets → fiet
    return result or word


def decompound(word: str, is_known: Callable[[str], bool], *, min_length: int = 8) -> list[str]:
    """Split a folded compound into its parts (folded surface forms); ``[]`` if it does not split.

    ``is_known(fragment)`` says whether a fragment is a word (the index asks its vocabulary).
    The tail must be known and at least 4 letters; the head must be known, unless the tail is
    strong (in :data:`LEXICON` or 6+ letters), then any head of 3+ letters with a vowel goes.
    The longest known tail wins; head and tail are split further the same way. A linking ``s``
    (``omgevings|vergunning``) is dropped from a head that is unknown with it."""
    if len(word) < min_length or not word.isalpha():
        return []
    for cut in range(3, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        if not (tail in LEXICON or is_known(tail)):
            continue
        strong = tail in LEXICON or len(tail) >= 6
        if not (head in LEXICON or is_known(head)):
            if (
                head.endswith("s")
                and len(head) >= 4
                and (head[:-1] in LEXICON or is_known(head[:-1]))
            ):
                head = head[:-1]
            elif not (strong and any(c in _VOWELS for c in head)):
                continue
            elif head.endswith("s") and len(head) >= 5:
                head = head[:-1]
        return (decompound(head, is_known, min_length=min_length) or [head]) + (
            decompound(tail, is_known, min_length=min_length) or [tail]
        )
    return []


def parse_synonyms(text: str | Iterable[str]) -> dict[str, list[str]]:
    """Read synonym groups written one per line as ``paspoort ~ reisdocument`` (``#`` starts a
    comment) into the mapping :class:`~kiss.search.SearchIndex` takes."""
    lines = text.splitlines() if isinstance(text, str) else text
    groups: dict[str, list[str]] = {}
    for line in lines:
        members = [m.strip() for m in line.split("#", 1)[0].split("~")]
        members = [m for m in members if m]
        if len(members) >= 2:
            groups.setdefault(members[0], []).extend(members[1:])
    return groups


def synonym_table(
    synonyms: Mapping[str, Iterable[str]] | None,
) -> dict[tuple[str, ...], frozenset[tuple[str, ...]]]:
    """Each mapping entry is a group of equivalent terms (``key`` and all its values, both ways);
    groups sharing a member are not merged. Terms become tuples of stems (phrases allowed)."""
    table: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for key, values in (synonyms or {}).items():
        group = {tuple(stem(w) for w in words(term)) for term in [key, *values]}
        group.discard(())
        for member in group:
            table.setdefault(member, set()).update(group - {member})
    return {member: frozenset(others) for member, others in table.items() if others}
