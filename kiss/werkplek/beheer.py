"""Beheer and nieuws use cases of one session, and how the organisation's settings reach a
running KISS without a restart.

``werkplek.settings`` is this workstation's ``kiss.toml`` (database URL, keys, theme) with the
organisation's settings from the database. :meth:`BeheerWerk.laad` fills them at login (taking
over an old ``kiss.toml``'s values once, with a message); :meth:`BeheerWerk.peil`, called every
few seconds, compares the settings' version number (one tiny query) and reloads only when a
beheerder saved, and reads the unread belangrijk news count for the header.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from kiss.config import ConfigFout, OngeldigeInstellingen, Organisatie, Settings
from kiss.rollen import GeenToegang, mag_klanten_zien
from kiss.services.beheer import instellingen, nieuws, start
from kiss.services.beheer.instellingen import Stand
from kiss.services.beheer.nieuws import NietGelezen, NieuwsInvoer, NieuwsRegel, NieuwsStand
from kiss.services.beheer.start import MijnWerk, TopVraag
from kiss.validation import InvoerFouten, ValidatieFout
from kiss.weergave import AMSTERDAM

if TYPE_CHECKING:
    from kiss.werkplek.werkplek import Werkplek

log = logging.getLogger("kiss")

PEIL_SECONDEN = 2.0  # how often a running KISS looks for new settings and news


@dataclass(frozen=True)
class Peiling:
    instellingen_gewijzigd: bool  # werkplek.settings was replaced
    nieuws: NieuwsStand | None  # None before the login


@dataclass(frozen=True)
class BerichtVelden:
    """A news item as typed in the form (moments as ``dd-mm-jjjj uu:mm``, Dutch time)."""

    titel: str
    tekst: str = ""
    soort: str = "nieuws"
    belangrijk: bool = False
    van: str = ""  # empty: now
    tot: str = ""  # empty: no end
    skills: str = ""  # comma- or ';'-separated
    gemeente: str = ""


def lees_moment(tekst: str) -> datetime | None:
    """``24-12-2026 10:00``, ``24-12-2026`` or ``2026-12-24T10:00`` (Dutch time); empty: None."""
    tekst = tekst.strip()
    if not tekst:
        return None
    for formaat in ("%d-%m-%Y %H:%M", "%d-%m-%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(tekst, formaat).replace(tzinfo=AMSTERDAM).astimezone(UTC)
        except ValueError:
            continue
    raise ValueError(f"'{tekst}' is geen moment; schrijf bijvoorbeeld 24-12-2026 10:00.")


def _als_invoerfout(fout: ConfigFout) -> Exception:
    if isinstance(fout, OngeldigeInstellingen):
        return InvoerFouten(fout.fouten)
    return ValidatieFout(str(fout))


class BeheerWerk:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek
        self.werkstation: Settings = werkplek.settings  # kiss.toml + environment
        self.versie = -1  # of the organisation's settings in use; -1: not read yet
        self.melding: str | None = None  # to show once after the login
        self.peil_seconden = PEIL_SECONDEN
        self._lock = threading.Lock()

    # ---- the organisation's settings -------------------------------------------------------

    def _gebruik(self, stand: Stand | None) -> bool:
        with self._lock:
            versie = stand.versie if stand else 0
            if versie == self.versie:
                return False
            org = stand.organisatie if stand else self.werkstation.organisatie
            self.werkplek.settings = self.werkstation.met_organisatie(org)
            self.versie = versie
            return True

    def _lees(self, session: object) -> Stand | None:
        """The stored settings; unreadable ones (changed behind KISS's back) keep what this
        session uses, with a message, until a beheerder saves them again."""
        try:
            return instellingen.laad(session)  # type: ignore[arg-type]
        except ConfigFout as fout:
            log.warning("Opgeslagen instellingen onleesbaar: %s", fout)
            self.melding = (
                f"De opgeslagen instellingen van de organisatie zijn onleesbaar ({fout}). KISS "
                "werkt verder met de vorige; een beheerder slaat ze opnieuw op in Beheer (F7)."
            )
            return None

    def laad(self) -> Settings:
        """The organisation's settings from the database (at login). A database without any
        takes over the old kiss.toml's values once; a message says what happened."""
        oud = self.werkstation.oude_organisatie
        with self.werkplek.lees() as session:
            versie = instellingen.versie(session)
            stand = self._lees(session)
        if stand is None and versie:  # stored, but unreadable: the message says so
            self.versie = versie
            return self.werkplek.settings
        if stand is None and oud:
            stand = self._neem_over(oud)
        elif stand is not None and oud:
            self.melding = (
                f"kiss.toml bevat nog {', '.join(oud)}. Die worden niet meer gebruikt: de "
                "instellingen van de organisatie staan in de database (Beheer, F7). Haal ze uit "
                "kiss.toml."
            )
        self._gebruik(stand)
        return self.werkplek.settings

    def _neem_over(self, oud: tuple[str, ...]) -> Stand | None:
        org = self.werkstation.organisatie
        try:
            with self.werkplek.schrijf() as session:
                stand = instellingen.neem_over(
                    session, self.werkplek.medewerker, org, nu=self.werkplek.klok(),
                    bron="kiss.toml",
                )  # fmt: skip
        except OngeldigeInstellingen as fout:
            self.melding = (
                f"De instellingen in kiss.toml zijn niet overgenomen: {fout} KISS werkt met de "
                "standaardinstellingen; een beheerder stelt ze in via Beheer (F7)."
            )
            self.werkstation = self.werkstation.met_organisatie(Organisatie())
            return None
        except DBAPIError:
            self.melding = (
                f"kiss.toml bevat nog {', '.join(oud)}, maar u mag die niet in de database "
                "zetten. Vraag een beheerder: kiss beheer import kiss.toml."
            )
            return None
        if stand is not None:
            self.melding = (
                f"De instellingen van de organisatie uit kiss.toml ({', '.join(oud)}) staan nu "
                "in de database en gelden voor iedereen. Wijzig ze voortaan in Beheer (F7) en "
                "haal ze uit kiss.toml."
            )
            return stand
        with self.werkplek.lees() as session:
            return instellingen.laad(session)

    def peil(self) -> Peiling:
        """Every few seconds: new settings? (one tiny query) and my unread belangrijk news."""
        nu = self.werkplek.klok()
        with self.werkplek.lees() as session:
            versie = instellingen.versie(session)
            stand = self._lees(session) if versie != self.versie else None
            medewerker = self.werkplek.medewerker
            nieuws_stand = nieuws.stand(session, medewerker, nu=nu) if medewerker else None
        if versie != self.versie and versie and stand is None:  # unreadable: keep what we have
            self.versie = versie
            return Peiling(False, nieuws_stand)
        gewijzigd = versie != self.versie and self._gebruik(stand)
        return Peiling(gewijzigd, nieuws_stand)

    def instellingen(self) -> Stand:
        """The settings to edit (beheerder), with the version they were read at."""
        medewerker = self.werkplek.ik()
        if not instellingen.mag_beheren(medewerker):
            raise GeenToegang("Beheer is er voor beheerders.")
        with self.werkplek.lees() as session:
            versie = instellingen.versie(session)
            stand = self._lees(session)
        return stand or Stand(self.werkplek.settings.organisatie, versie)

    def lees_toml(self, tekst: str) -> Organisatie:
        """Settings typed as TOML, checked (per setting a Dutch message; the
        klachtencoördinator must be in the smoelenboek)."""
        try:
            with self.werkplek.lees() as session:
                return instellingen.uit_toml(tekst, session=session)
        except ConfigFout as fout:
            raise _als_invoerfout(fout) from None

    def verschillen(self, org: Organisatie) -> list[str]:
        return instellingen.verschillen(self.werkplek.settings.organisatie, org)

    def bewaar(self, org: Organisatie, verwacht_versie: int | None) -> Stand:
        """Save (beheerder, audited); this session uses them at once, others within seconds."""
        medewerker = self.werkplek.ik()
        try:
            with self.werkplek.schrijf() as session:
                stand = instellingen.bewaar(
                    session, medewerker, org, nu=self.werkplek.klok(),
                    verwacht_versie=verwacht_versie,
                )  # fmt: skip
        except ConfigFout as fout:
            raise _als_invoerfout(fout) from None
        self._gebruik(stand)
        return stand

    def naar_toml(self, org: Organisatie | None = None) -> str:
        return instellingen.naar_toml(org or self.werkplek.settings.organisatie)

    # ---- nieuws en werkinstructies ------------------------------------------------------------

    def nieuws(self) -> list[NieuwsRegel]:
        medewerker = self.werkplek.ik()
        with self.werkplek.lees() as session:
            return nieuws.voor_mij(session, medewerker, nu=self.werkplek.klok())

    def lees(self, item_id: uuid.UUID) -> NieuwsRegel:
        """Open an item: it counts as read from now on."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return nieuws.markeer_gelezen(session, medewerker, item_id, nu=self.werkplek.klok())

    def alles_gelezen(self) -> int:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return nieuws.markeer_alles_gelezen(session, medewerker, nu=self.werkplek.klok())

    def niet_gelezen(self) -> list[NietGelezen]:
        medewerker = self.werkplek.ik()
        with self.werkplek.lees() as session:
            return nieuws.niet_gelezen(session, medewerker, nu=self.werkplek.klok())

    def redactie(self) -> list[NieuwsRegel]:
        medewerker = self.werkplek.ik()
        with self.werkplek.lees() as session:
            return nieuws.redactie(session, medewerker)

    def schrijf_bericht(
        self, invoer: NieuwsInvoer, item_id: uuid.UUID | None = None
    ) -> NieuwsRegel:
        medewerker = self.werkplek.ik()
        gemeenten = tuple(naam for naam, _ in self.werkplek.settings.gemeenten)
        with self.werkplek.schrijf() as session:
            return nieuws.bewaar(session, medewerker, invoer, nu=self.werkplek.klok(),
                                 item_id=item_id, gemeenten=gemeenten)  # fmt: skip

    def schrijf_bericht_velden(
        self, velden: BerichtVelden, item_id: uuid.UUID | None = None
    ) -> NieuwsRegel:
        """The form's text, checked field by field (Dutch messages), then saved."""
        fouten: dict[str, str] = {}
        momenten: dict[str, datetime | None] = {}
        for naam in ("van", "tot"):
            try:
                momenten[naam] = lees_moment(getattr(velden, naam))
            except ValueError as fout:
                fouten[f"publiceren_{naam}"] = str(fout)
        if fouten:
            raise InvoerFouten(fouten)
        invoer = NieuwsInvoer(
            titel=velden.titel.strip(),
            tekst=velden.tekst,
            soort=velden.soort,
            belangrijk=velden.belangrijk,
            publiceren_van=momenten["van"],
            publiceren_tot=momenten["tot"],
            skills=tuple(s.strip() for s in re.split(r"[;,]", velden.skills) if s.strip()),
            gemeente=velden.gemeente.strip(),
        )
        return self.schrijf_bericht(invoer, item_id)

    def verwijder_bericht(self, item_id: uuid.UUID) -> None:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            nieuws.verwijder(session, medewerker, item_id, nu=self.werkplek.klok())

    # ---- the rest of the start screen ---------------------------------------------------------

    def mijn_werk(self) -> MijnWerk:
        medewerker = self.werkplek.ik()
        with self.werkplek.lees() as session:
            return start.mijn_werk(session, medewerker, nu=self.werkplek.klok(),
                                   settings=self.werkplek.settings)  # fmt: skip

    def top_vragen(self, gemeente: str | None = None) -> list[TopVraag]:
        """The questions asked most (for who works with klanten; others see none)."""
        if not mag_klanten_zien(self.werkplek.ik()):
            return []
        with self.werkplek.lees() as session:
            return start.top_vragen(session, gemeente)
