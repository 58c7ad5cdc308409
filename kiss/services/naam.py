"""Dutch name normalisation for searching klanten and medewerkers.

``van der Berg``, ``Berg, van den`` and ``VAN DEN BERG`` all reduce to the key ``berg``;
diacritics are folded (``Çelik`` → ``celik``). Typos are handled by the search on top.
"""

from __future__ import annotations

import re
import unicodedata

TUSSENVOEGSELS = frozenset(
    (
        "van",
        "de",
        "der",
        "den",
        "het",
        "ten",
        "ter",
        "te",
        "in",
        "'t",
        "t",
        "d'",
        "op",
        "aan",
        "la",
        "le",
        "du",
        "da",
        "del",
        "di",
        "von",
        "zu",
        "el",
        "al",
        "bin",
        "ben",
    )
)
_NIET_LETTER = re.compile(r"[^a-z0-9]+")


def vouw(tekst: str) -> str:
    """Lower case without diacritics: ``Zoë Çelik`` → ``zoe celik``."""
    decomposed = unicodedata.normalize("NFKD", tekst.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")


def naam_delen(tekst: str) -> list[str]:
    """Folded words of a name without particles; understands ``Achternaam, voorvoegsel``."""
    if "," in tekst:
        achter, _, voor = tekst.partition(",")
        tekst = f"{voor} {achter}"
    woorden = [w for w in _NIET_LETTER.split(vouw(tekst).replace("'", "")) if w]
    return [w for w in woorden if w not in TUSSENVOEGSELS]


def naam_sleutel(achternaam: str) -> str:
    """The search key of a surname or trade name: folded, particles and punctuation removed."""
    return "".join(naam_delen(achternaam))
