"""The terugbel queues' use cases: lists, claim, attempts, afhandelen, the default queue,
and making a note (the shared form)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kiss.rollen import GeenToegang
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import Keuze
from kiss.services.terugbel import terugbelnotities, vragenset
from kiss.services.terugbel.terugbelnotities import (
    Doel,
    TerugbelDetail,
    TerugbelFout,
    TerugbelFouten,
    TerugbelInvoer,
)
from kiss.services.terugbel.wachtrij import (
    EERSTE_PAGINA,
    GeenWachtrij,
    Telling,
    WachtrijFilter,
    WachtrijPagina,
    WachtrijSoort,
    pak_volgende,
    tellingen,
    wachtrij,
)

if TYPE_CHECKING:
    from kiss.werkplek.werkplek import Werkplek


@dataclass(frozen=True)
class WachtrijStand:
    """One page of a queue and the counts of every queue, read together."""

    soort: WachtrijSoort
    pagina: WachtrijPagina | None  # None: this queue is not available (see melding)
    tellingen: dict[WachtrijSoort, Telling | None]
    melding: str = ""


class TerugbelWerk:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek

    # ---- the queues ----------------------------------------------------------------------

    def standaard_wachtrij(self) -> WachtrijSoort:
        """The queue to open with: the team's, else the afdeling's, else my own notes."""
        medewerker = self.werkplek.ik()
        if medewerker.team_id is not None:
            return WachtrijSoort.TEAM
        if medewerker.afdeling_id is not None:
            return WachtrijSoort.AFDELING
        return WachtrijSoort.MIJN

    def wachtrij(
        self,
        soort: WachtrijSoort,
        filter: WachtrijFilter | None = None,
        offset: int = 0,
        limit: int = EERSTE_PAGINA,
    ) -> WachtrijStand:
        """A page of the queue, earliest deadline first, with the counts per queue."""
        medewerker = self.werkplek.ik()
        nu = self.werkplek.klok()
        pagina: WachtrijPagina | None = None
        melding = ""
        with self.werkplek.lees() as session:
            try:
                pagina = wachtrij(
                    session,
                    medewerker,
                    soort,
                    filter,
                    nu=nu,
                    settings=self.werkplek.settings,
                    limit=limit,
                    offset=offset,
                )
            except (GeenWachtrij, GeenToegang) as exc:
                melding = str(exc)
            telling = tellingen(session, medewerker, nu)
        return WachtrijStand(soort, pagina, telling, melding)

    def pak_volgende(
        self, soort: WachtrijSoort, filter: WachtrijFilter | None = None
    ) -> uuid.UUID | None:
        """Claim the open note with the earliest deadline; None when nothing is left."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return pak_volgende(session, medewerker, soort, self.werkplek.klok(), filter)

    # ---- one note --------------------------------------------------------------------------

    def detail(self, notitie_id: uuid.UUID, *, log: bool = True) -> TerugbelDetail:
        """One note with its attempts and reassignments (opening it is audited)."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return terugbelnotities.detail(session, medewerker, notitie_id, log=log)

    def claim(self, notitie_id: uuid.UUID, versie: int | None = None) -> None:
        """Take the note; AlGeclaimd says who was first."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            terugbelnotities.claim(session, medewerker, notitie_id, self.werkplek.klok(), versie)

    def vrijgeven(self, notitie_id: uuid.UUID, versie: int | None = None) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            terugbelnotities.vrijgeven(
                session, medewerker, notitie_id, self.werkplek.klok(), versie
            )

    def log_poging(
        self,
        notitie_id: uuid.UUID,
        bereikt: bool,
        notitie: str,
        versie: int | None = None,
        kanaal: str = "telefoon",
    ) -> None:
        """One attempt to reach the klant, by ``kanaal``, gelukt or not."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            terugbelnotities.log_poging(
                session,
                medewerker,
                notitie_id,
                bereikt,
                notitie,
                self.werkplek.klok(),
                versie,
                kanaal=kanaal,
            )

    def afhandelen(
        self,
        notitie_id: uuid.UUID,
        uitkomst: str,
        toelichting: str,
        doorgezet_naar: str = "",
        versie: int | None = None,
        informatie_klant: str = "",
    ) -> None:
        """Close the note with an outcome (the callback lands in the klant's history); what
        the resident was told is kept apart from the internal toelichting."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            terugbelnotities.afhandelen(
                session,
                medewerker,
                notitie_id,
                uitkomst,
                toelichting,
                self.werkplek.klok(),
                versie=versie,
                doorgezet_naar=doorgezet_naar,
                informatie_klant=informatie_klant,
            )

    def heropen(self, notitie_id: uuid.UUID, reden: str, versie: int | None = None) -> None:
        """Teamlead or beheerder: a closed note back into its queue, with the reason."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            terugbelnotities.heropen(
                session, medewerker, notitie_id, reden, self.werkplek.klok(), versie
            )

    def koppel_zaak(
        self, notitie_id: uuid.UUID, zaak_id: uuid.UUID | None, versie: int | None = None
    ) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            terugbelnotities.koppel_zaak(session, medewerker, notitie_id, zaak_id, versie)

    def zaken_van(self, klant_id: uuid.UUID | None) -> list[Keuze]:
        """The klant's zaken, to link one to a note."""
        with self.werkplek.lees() as session:
            return contactmomenten.zaken_van(session, klant_id)

    def vragen_voor(self, doel: Doel | None) -> vragenset.Set:
        """The extra questions of the afdeling, team or medewerker a note goes to."""
        if doel is None:
            return vragenset.Set()
        with self.werkplek.lees() as session:
            return vragenset.voor(session, **{f"{doel.soort}_id": doel.id})

    def herverdeel(
        self, notitie_id: uuid.UUID, naar: Doel | None, reden: str, versie: int | None = None
    ) -> None:
        medewerker = self.werkplek.ik()
        if naar is None:
            raise TerugbelFouten({"naar": "Kies een team, afdeling of medewerker."})
        with self.werkplek.schrijf() as session:
            terugbelnotities.herverdeel(
                session, medewerker, notitie_id, naar, reden, self.werkplek.klok(), versie
            )

    # ---- making a note (saved by :meth:`Werkplek.maak_terugbelnotitie`) -------------------

    def voorstel(
        self, contact_id: uuid.UUID | None = None, doel: Doel | None = None
    ) -> TerugbelInvoer:
        """A pre-filled form: from the contactmoment (klant, number, question) when given,
        else empty for the active contact's gemeente; ``doel`` pre-selects the target."""
        actief = self.werkplek.actief
        gemeente = actief.samenvatting.gemeente if actief else self.werkplek.gemeente
        invoer = TerugbelInvoer(gemeente=gemeente)
        if contact_id is not None:
            self.werkplek.bewaar_concepten()  # the question typed so far goes along
            try:
                with self.werkplek.lees() as session:
                    invoer = terugbelnotities.voorstel_uit_contactmoment(session, contact_id)
            except TerugbelFout:
                pass  # closed or discarded meanwhile: start empty
        return replace(invoer, doel=doel) if doel is not None else invoer
