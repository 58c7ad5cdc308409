"""The kennisbank's use cases: search, read, use as onderwerp, feedback, edit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiss.models import BronSoort
from kiss.rollen import mag_artikel_bewerken, vereis
from kiss.services.beheer import nieuws
from kiss.services.contact.bronnen import Bron
from kiss.services.kennisbank import artikelen
from kiss.services.kennisbank.artikelen import FeedbackRegel
from kiss.services.kennisbank.doorverwijzen import collegas_voor_vraag
from kiss.services.kennisbank.formaat import ArtikelData
from kiss.services.kennisbank.weergave import ArtikelWeergave, item_weergave
from kiss.services.kennisbank.zoeken import (
    ARTIKEL,
    ArtikelTreffer,
    KennisbankZoeker,
    zoek_kennisbank,
)
from kiss.services.smoelenboek.zoeken import Treffer

if TYPE_CHECKING:
    from kiss.werkplek.open_contacten import OpenContact
    from kiss.werkplek.werkplek import Werkplek

MAX_TREFFERS = 15


@dataclass(frozen=True)
class KennisbankAntwoord:
    """What the kennisbank found for a question, as the screen shows it."""

    tekst: str
    treffers: list[ArtikelTreffer] = field(default_factory=list)
    #: no article is a confident answer: the treffers are suggestions only
    geen_goed_antwoord: bool = False
    #: with no good answer to a finished question: colleagues who know the subject
    collegas: list[Treffer] = field(default_factory=list)
    bezig: bool = False  # searched while typing (words only)


class KennisbankWerk:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek

    def gemeente(self) -> str:
        """The gemeente the active contact is for (the articles differ per gemeente)."""
        actief = self.werkplek.actief
        return actief.samenvatting.gemeente if actief else self.werkplek.gemeente

    def zoek(
        self,
        tekst: str,
        *,
        bezig: bool = False,
        gemeente: str | None = None,
        limit: int = MAX_TREFFERS,
        berichten: bool = True,
    ) -> KennisbankAntwoord:
        """Ranked published articles for the active contact's gemeente, with the nieuws
        items and werkinstructies this agent sees now on the start screen; any text is safe.
        ``bezig`` while the agent is still typing (the last word completed as a prefix);
        a finished question also consults meaning and, without a good answer, offers the
        colleagues who know the subject. ``berichten=False``: articles only (a text for a
        resident never starts from a KCC-only werkinstructie)."""
        if not tekst.strip():
            return KennisbankAntwoord(tekst)
        engine = self.werkplek.engine
        resultaat = zoek_kennisbank(
            engine, tekst, gemeente=gemeente or self.gemeente(), limit=limit, bezig=bezig,
            voor=self.werkplek.medewerker, nu=self.werkplek.klok(), berichten=berichten,
        )  # fmt: skip
        collegas: list[Treffer] = []
        if resultaat.geen_goed_antwoord and not bezig:
            collegas = collegas_voor_vraag(engine, tekst, self.werkplek.smoelenboek.vandaag())
        return KennisbankAntwoord(
            tekst, resultaat.treffers, resultaat.geen_goed_antwoord, collegas, bezig
        )

    def lees(self, artikel_id: uuid.UUID, soort: str = ARTIKEL) -> ArtikelWeergave:
        """An article, or (``soort`` werkinstructie/nieuws) an item this agent may see now."""
        with self.werkplek.lees() as session:
            if soort == ARTIKEL:
                return artikelen.weergave(session, artikel_id)
            regel = nieuws.lees_item(
                session, artikel_id, self.werkplek.medewerker, nu=self.werkplek.klok()
            )
        return item_weergave(regel)

    def gebruik(self, weergave: ArtikelWeergave) -> OpenContact:
        """What the agent read answers the active question: an article becomes its onderwerp
        (and a bron), a werkinstructie or nieuws item a bron of its own soort — the same bron
        as adding it by hand (ctrl+l). LookupError without an open contact."""
        if weergave.soort == ARTIKEL:
            return self.werkplek.gebruik_artikel(
                weergave.id,  # type: ignore[arg-type]
                weergave.titel,
                weergave.afdeling_id,  # type: ignore[arg-type]
            )
        bron = Bron(BronSoort(weergave.soort), weergave.titel, weergave.id)  # type: ignore[arg-type]
        return self.werkplek.voeg_bron_toe(bron)

    def mag_bewerken(self) -> bool:
        medewerker = self.werkplek.medewerker
        return medewerker is not None and mag_artikel_bewerken(medewerker)

    def geef_feedback(self, artikel_id: uuid.UUID, soort: str, notitie: str) -> uuid.UUID:
        """Feedback lands in the redacteuren's list; InvoerFouten per field otherwise."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return artikelen.geef_feedback(session, medewerker, artikel_id, soort, notitie).id

    def voor_bewerken(self, artikel_id: uuid.UUID) -> ArtikelData:
        """The article as an editable record (redacteuren only)."""
        vereis(mag_artikel_bewerken(self.werkplek.ik()), "kennisbankartikelen te bewerken")
        with self.werkplek.lees() as session:
            return artikelen.naar_data(session, artikelen.haal_artikel(session, artikel_id))

    def bewerk(self, artikel_id: uuid.UUID, data: ArtikelData) -> uuid.UUID:
        """Save a redacteur's edit; colleagues find the new text at their next search."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            artikel_id = artikelen.bewerk_artikel(session, medewerker, artikel_id, data).id
        KennisbankZoeker.voor(self.werkplek.engine).vergeet()  # this desk: at the next search
        return artikel_id

    def open_feedback(self) -> list[FeedbackRegel]:
        vereis(mag_artikel_bewerken(self.werkplek.ik()), "de feedbacklijst te zien")
        with self.werkplek.lees() as session:
            return artikelen.open_feedback(session)

    def handel_feedback_af(self, feedback_id: uuid.UUID) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            artikelen.handel_feedback_af(session, medewerker, feedback_id)
