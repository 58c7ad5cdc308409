"""Words that carry no subject in a caller's sentence (Dutch, plus the English a newcomer uses).

Dropped from a query of three or more words, so "ik wil graag weten wat ik moet doen als mijn
paspoort kwijt is" is decided by *paspoort* and *kwijt*, not by *ik*, *wat* and *moet*. Short
queries keep every word (an agent typing ``over`` means it). Folded forms (see
:func:`kiss.search.text.fold`).
"""

from __future__ import annotations

STOPWOORDEN: frozenset[str] = frozenset(
    """
    aan al alle alles als alsjeblieft alstublieft altijd ander andere ben ben bij bijvoorbeeld
    binnen dan dank dat de deze die dit doe doen doet door dus een eens eigenlijk en er erg
    even ga gaan gaat gedaan geen gewoon graag had hadden heb hebben heeft hem hen het hier
    hij hoe hoeveel hoelang hun ik in is ja je jij jou jullie kan kon kunnen kunt laat maar
    me meer men met mij mijn mijne moet moeten mogen mag misschien na naar net niet nog nou
    nu of om omdat ons onze ook op over eh uh hallo hoi goedemorgen goedemiddag dag dank
    bedankt precies wel heel echt daar dr u uw van veel voor waar wanneer waarom wat we
    weer welk welke wie wij wil willen word worden wordt zal ze zei zelf zich zij zijn zo
    zou zouden zoals zit zitten iets iemand kun krijg toch mevrouw meneer beste
    a about am an and any are as at be been being but by can could do does doing for from
    get got has have having he her him his how i if in into is it its me my myself no not
    of on or our please she should so some than thank thanks that the their them then there
    these they this to too us very was we were what when where which who why will with
    would you your hello hi
    """.split()
)

__all__ = ["STOPWOORDEN"]
