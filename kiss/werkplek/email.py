"""The central mailbox's use cases for an agent: the queue, one thread, answering, forwarding,
a terugbelnotitie from a mail, closing; and the answer templates for a redacteur."""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import select
from sqlmodel import col

from kiss.models import Afdeling
from kiss.rollen import mag_rapport_zien, vereis
from kiss.services.email import behandelen, sjablonen, wachtrij
from kiss.services.email.behandelen import Concept, EmailDetail
from kiss.services.email.instellingen import EmailInstellingen, laad
from kiss.services.email.sjablonen import SjabloonRegel
from kiss.services.email.wachtrij import EmailRegel
from kiss.services.rapportage.emailnorm import EmailNorm, email_norm
from kiss.services.rapportage.normen import Periode
from kiss.services.terugbel.terugbelnotities import TerugbelInvoer

if TYPE_CHECKING:
    from kiss.werkplek.werkplek import Werkplek


@dataclass(frozen=True)
class EmailStand:
    regels: list[EmailRegel]
    tellingen: dict[str, int]


@dataclass(frozen=True)
class AfdelingKeuze:
    id: uuid.UUID
    naam: str
    mailbox: str


class EmailWerk:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek
        self._instellingen: EmailInstellingen | None = None

    @property
    def instellingen(self) -> EmailInstellingen:
        """``[email]`` of kiss.toml / ``KISS_EMAIL_*`` (read once); tests may set their own."""
        if self._instellingen is None:
            self._instellingen = laad()
        return self._instellingen

    @instellingen.setter
    def instellingen(self, waarde: EmailInstellingen) -> None:
        self._instellingen = waarde

    # ---- the queue ---------------------------------------------------------------------

    def wachtrij(self, *, alleen_mijn: bool = False) -> EmailStand:
        medewerker = self.werkplek.ik()
        with self.werkplek.lees() as session:
            regels = wachtrij.wachtrij(session, medewerker, alleen_mijn=alleen_mijn)
            return EmailStand(regels, wachtrij.tellingen(session, self.werkplek.klok()))

    def pak_volgende(self) -> uuid.UUID | None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return wachtrij.pak_volgende(session, medewerker, self.werkplek.klok())

    def claim(self, zaak_id: uuid.UUID, versie: int | None = None) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            wachtrij.claim(session, medewerker, zaak_id, self.werkplek.klok(), versie)

    def vrijgeven(self, zaak_id: uuid.UUID) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            wachtrij.vrijgeven(session, medewerker, zaak_id, self.werkplek.klok())

    # ---- one thread --------------------------------------------------------------------

    def detail(self, zaak_id: uuid.UUID, *, log: bool = True) -> EmailDetail:
        """One thread (reading it is audited)."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return behandelen.detail(session, medewerker, zaak_id, log=log)

    def bewaar_bijlage(self, bijlage_id: uuid.UUID, map_: Path | None = None) -> Path:
        """Save an attachment in the user's downloads folder (never overwriting a file; only
        the owner may read it) and return where it went."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            naam, inhoud = behandelen.bijlage(session, medewerker, bijlage_id)
        doelmap = map_ or platformdirs.user_downloads_path()
        doelmap.mkdir(parents=True, exist_ok=True)
        schoon = re.sub(r"[^\w.\- ()]+", "_", Path(naam).name).strip(". ") or "bijlage"
        stam, punt, extensie = schoon.rpartition(".")
        if not punt:
            stam, extensie = schoon, ""
        for n in range(1, 1000):
            kandidaat = f"{stam} ({n}){punt}{extensie}" if n > 1 else schoon
            pad = doelmap / kandidaat
            try:
                with open(pad, "xb") as bestand:  # x: never overwrite
                    os.chmod(pad, 0o600)
                    bestand.write(inhoud)
                return pad
            except FileExistsError:
                continue
        raise FileExistsError(f"Te veel bestanden met de naam {schoon} in {doelmap}.")

    def koppel_klant(self, zaak_id: uuid.UUID, klant_id: uuid.UUID | None) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            behandelen.koppel_klant(session, medewerker, zaak_id, klant_id, self.werkplek.klok())

    def sjablonen(self) -> list[SjabloonRegel]:
        with self.werkplek.lees() as session:
            return sjablonen.lijst(session)

    def concept(
        self,
        zaak_id: uuid.UUID,
        *,
        sjabloon_id: uuid.UUID | None = None,
        artikel_id: uuid.UUID | None = None,
    ) -> Concept:
        medewerker = self.werkplek.ik()
        with self.werkplek.lees() as session:
            return behandelen.concept(
                session, medewerker, zaak_id, self.werkplek.klok(),
                sjabloon_id=sjabloon_id, artikel_id=artikel_id,
            )  # fmt: skip

    def beantwoord(
        self,
        zaak_id: uuid.UUID,
        tekst: str,
        *,
        onderwerp: str = "",
        artikel_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Send the answer (through the outbox) and record it as a contactmoment."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return behandelen.beantwoord(
                session, medewerker, zaak_id, tekst, instellingen=self.instellingen,
                settings=self.werkplek.settings, nu=self.werkplek.klok(), onderwerp=onderwerp,
                artikel_id=artikel_id,
            )  # fmt: skip

    def afdelingen(self) -> list[AfdelingKeuze]:
        """Afdelingen to forward to (those with a mailbox first)."""
        with self.werkplek.lees() as session:
            rijen = session.execute(
                select(Afdeling.id, Afdeling.naam, Afdeling.mailbox).order_by(col(Afdeling.naam))
            ).all()
        keuzes = [AfdelingKeuze(i, n, m or "") for i, n, m in rijen]
        return sorted(keuzes, key=lambda a: (not a.mailbox, a.naam))

    def doorsturen(self, zaak_id: uuid.UUID, afdeling_id: uuid.UUID, notitie: str) -> str:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return behandelen.doorsturen(
                session, medewerker, zaak_id, afdeling_id, notitie,
                instellingen=self.instellingen, nu=self.werkplek.klok(),
            )  # fmt: skip

    def terugbel_voorstel(self, zaak_id: uuid.UUID) -> TerugbelInvoer:
        medewerker = self.werkplek.ik()
        with self.werkplek.lees() as session:
            invoer = behandelen.terugbel_voorstel(session, medewerker, zaak_id)
        gemeente = self.werkplek.gemeente
        return TerugbelInvoer(**{**invoer.__dict__, "gemeente": invoer.gemeente or gemeente})

    def naar_terugbelnotitie(self, zaak_id: uuid.UUID, invoer: TerugbelInvoer) -> uuid.UUID:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            notitie = behandelen.naar_terugbelnotitie(
                session, medewerker, zaak_id, invoer, settings=self.werkplek.settings,
                nu=self.werkplek.klok(),
            )  # fmt: skip
            return notitie.id

    def markeer_beantwoord(self, zaak_id: uuid.UUID) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            behandelen.markeer_beantwoord(session, medewerker, zaak_id, self.werkplek.klok())

    def sluit(self, zaak_id: uuid.UUID, reden: str) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            behandelen.sluit(session, medewerker, zaak_id, reden, self.werkplek.klok())

    def norm(self, periode: Periode) -> list[EmailNorm]:
        """The e-mail norm per gemeente for the teamlead's dashboard (``totaal`` last)."""
        medewerker = self.werkplek.ik()
        vereis(mag_rapport_zien(medewerker), "de normrapportage te bekijken")
        with self.werkplek.lees() as session:
            return email_norm(session, periode, nu=self.werkplek.klok())

    # ---- templates (redacteur) ---------------------------------------------------------

    def bewaar_sjabloon(
        self, naam: str, tekst: str, onderwerp: str = "", sjabloon_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return sjablonen.bewaar(
                session, medewerker, naam=naam, tekst=tekst, onderwerp=onderwerp,
                sjabloon_id=sjabloon_id, nu=self.werkplek.klok(),
            )  # fmt: skip
