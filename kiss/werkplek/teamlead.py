"""The teamlead's use cases: queue review, reassigning, the norm dashboard."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from kiss.models import Medewerker
from kiss.rollen import mag_wachtrij_sturen, vereis
from kiss.services.rapportage import normen, vragen
from kiss.services.rapportage.normen import Dashboard, Periode
from kiss.services.telefonie.oproepen import GemisteOproep, gemiste_oproepen
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.teamlead import Review, review
from kiss.services.terugbel.terugbelnotities import Doel, HerverdeelResultaat, TerugbelFouten
from kiss.weergave import AMSTERDAM

if TYPE_CHECKING:
    from kiss.werkplek.werkplek import Werkplek


class TeamleadWerk:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek

    def _teamlead(self) -> Medewerker:
        medewerker = self.werkplek.ik()
        vereis(mag_wachtrij_sturen(medewerker), "de wachtrijen van de afdeling te sturen")
        return medewerker

    def review(self, dreig_uren: int = 4, alleen_dreigend: bool = False) -> Review:
        """The afdeling's active notes, overdue first, with the load per team and person."""
        medewerker = self._teamlead()
        with self.werkplek.lees() as session:
            return review(
                session, medewerker, nu=self.werkplek.klok(), settings=self.werkplek.settings,
                dreig_uren=dreig_uren, alleen_dreigend=alleen_dreigend,
            )  # fmt: skip

    def gemiste_oproepen(self) -> list[GemisteOproep]:
        """Today's calls in a queue that nobody answered, newest first."""
        self._teamlead()
        nu = self.werkplek.klok()
        van = datetime.combine(nu.astimezone(AMSTERDAM).date(), time(), tzinfo=AMSTERDAM)
        with self.werkplek.lees() as session:
            return gemiste_oproepen(session, van, nu + timedelta(seconds=1), nu=nu)

    def herverdeel(
        self,
        notitie_ids: list[uuid.UUID],
        naar: Doel | None,
        reden: str,
        versies: Mapping[uuid.UUID, int] | None = None,
    ) -> HerverdeelResultaat:
        """Move several notes at once; a note a colleague changed since the teamlead saw it
        (its ``versie``) is left alone and reported in the result."""
        medewerker = self._teamlead()
        if naar is None:
            raise TerugbelFouten({"naar": "Kies een team, afdeling of medewerker."})
        with self.werkplek.schrijf() as session:
            return terugbelnotities.herverdeel_meerdere(
                session, medewerker, notitie_ids, naar, reden, self.werkplek.klok(),
                versies=versies,
            )  # fmt: skip

    def dashboard(self, periode: Periode) -> Dashboard:
        """The norm dashboard for a period (counted in one read-only session)."""
        self._teamlead()
        with self.werkplek.lees() as session:
            return normen.bereken(
                session, periode, nu=self.werkplek.klok(), settings=self.werkplek.settings
            )

    def vragen(self, periode: Periode) -> VragenOverzicht:
        """What the questions of the period tell: first-contact resolution per onderwerp, the
        questions answered without a source, and the klantsignalen."""
        self._teamlead()
        with self.werkplek.lees() as session:
            return VragenOverzicht(
                onderwerpen=vragen.per_onderwerp(
                    session, periode, settings=self.werkplek.settings, limit=10
                ),
                zonder_bron=vragen.zonder_bron(session, periode, limit=200),
                signalen=vragen.klantsignalen(session, periode),
            )


@dataclass(frozen=True)
class VragenOverzicht:
    onderwerpen: list[vragen.OnderwerpRegel]
    zonder_bron: list[vragen.VraagZonderBron]
    signalen: list[vragen.SignaalRegel]
