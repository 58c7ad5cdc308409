"""Smoelenboek cards: everything an agent needs to reach a colleague or an organisation.

The search lives in :mod:`kiss.services.smoelenboek.zoeken`, presence rules in
:mod:`kiss.services.smoelenboek.aanwezigheid`, the import in
:mod:`kiss.services.smoelenboek.importeren`; transferring a call is
:func:`kiss.services.contact.contactmomenten.doorverbind`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from kiss.models import Afdeling, ExterneOrganisatie, Medewerker, Team, Zaak
from kiss.services.smoelenboek.aanwezigheid import (
    Aanwezigheid,
    aanwezigheid,
    kies_vervanger,
    werkdagen_tekst,
)
from kiss.validation import ValidatieFout, telefoon_weergave, valideer_telefoon


class NietInSmoelenboek(LookupError):
    pass


class Soort:
    MEDEWERKER = "medewerker"
    ORGANISATIE = "organisatie"
    AFDELING = "afdeling"
    TEAM = "team"


def nummer_weergave(ruw: str, e164: str | None = None) -> str:
    """How a stored number reads for an agent (nationally, ``023 511 4001``)."""
    if not e164 and ruw:
        try:
            e164 = valideer_telefoon(ruw)
        except ValidatieFout:
            return ruw
    return telefoon_weergave(e164) if e164 else ""


@dataclass(frozen=True)
class Collega:
    """A short reference to a colleague (a vervanger) with presence and number."""

    id: uuid.UUID
    naam: str
    functie: str
    telefoon: str
    aanwezigheid: Aanwezigheid
    niet_doorverbinden: bool


@dataclass(frozen=True)
class MedewerkerKaart:
    id: uuid.UUID
    naam: str
    functie: str
    afdeling: str
    afdeling_id: uuid.UUID | None
    team: str
    team_id: uuid.UUID | None
    telefoon: str
    mobiel: str
    email: str
    locatie: str
    werkdagen: str
    expertise: list[str]
    aanwezigheid: Aanwezigheid
    niet_doorverbinden: bool
    actief: bool
    vaste_vervanger: Collega | None  # as recorded
    vervanger: Collega | None  # the first one present today, following the chain
    overgeslagen: list[Collega] = field(default_factory=list)

    soort: str = Soort.MEDEWERKER


@dataclass(frozen=True)
class EenheidKaart:
    """An afdeling, team or outside organisation."""

    soort: str
    id: uuid.UUID
    naam: str
    telefoon: str
    email: str = ""
    website: str = ""
    openingstijden: str = ""
    omschrijving: str = ""  # afdeling description, or what an organisation handles
    afdeling: str = ""  # of a team
    afdeling_id: uuid.UUID | None = None
    onderwerpen: list[str] = field(default_factory=list)


def _collega(m: Medewerker, dag: date) -> Collega:
    return Collega(
        m.id,
        m.naam,
        m.functie,
        nummer_weergave(m.telefoon, m.telefoon_e164),
        aanwezigheid(m, dag),
        m.niet_doorverbinden,
    )


def _lijst(waarde: str) -> list[str]:
    return [d.strip() for d in waarde.split(";") if d.strip()]


def medewerker_kaart(session: Session, medewerker_id: uuid.UUID, dag: date) -> MedewerkerKaart:
    """The card of one colleague on a local date, with the vervanger who is in."""
    m = session.get(Medewerker, medewerker_id)
    if m is None:
        raise NietInSmoelenboek("Deze medewerker staat niet (meer) in het smoelenboek.")
    afdeling = session.get(Afdeling, m.afdeling_id) if m.afdeling_id else None
    team = session.get(Team, m.team_id) if m.team_id else None

    def haal(id_: uuid.UUID) -> Medewerker | None:
        return session.get(Medewerker, id_)

    stand = aanwezigheid(m, dag)
    vast = haal(m.vervanger_id) if m.vervanger_id else None
    vervanger: Collega | None = None
    overgeslagen: list[Collega] = []
    if not stand.aanwezig:
        keuze = kies_vervanger(m, haal, dag)
        if keuze.vervanger is not None:
            vervanger = _collega(keuze.vervanger, dag)  # type: ignore[arg-type]
        overgeslagen = [_collega(o, dag) for o, _ in keuze.overgeslagen]  # type: ignore[arg-type]
    return MedewerkerKaart(
        id=m.id,
        naam=m.naam,
        functie=m.functie,
        afdeling=afdeling.naam if afdeling else "",
        afdeling_id=m.afdeling_id,
        team=team.naam if team else "",
        team_id=m.team_id,
        telefoon=nummer_weergave(m.telefoon, m.telefoon_e164),
        mobiel=nummer_weergave(m.mobiel, m.mobiel_e164),
        email=m.email or "",
        locatie=m.locatie,
        werkdagen=werkdagen_tekst(m.werkdagen),
        expertise=_lijst(m.expertise),
        aanwezigheid=stand,
        niet_doorverbinden=m.niet_doorverbinden,
        actief=m.actief,
        vaste_vervanger=_collega(vast, dag) if vast else None,
        vervanger=vervanger,
        overgeslagen=overgeslagen,
    )


def eenheid_kaart(session: Session, soort: str, eenheid_id: uuid.UUID) -> EenheidKaart:
    if soort == Soort.ORGANISATIE:
        org = session.get(ExterneOrganisatie, eenheid_id)
        if org is None:
            raise NietInSmoelenboek("Deze organisatie staat niet (meer) in het smoelenboek.")
        return EenheidKaart(
            soort,
            org.id,
            org.naam,
            nummer_weergave(org.telefoon, org.telefoon_e164),
            website=org.website,
            openingstijden=org.openingstijden,
            onderwerpen=_lijst(org.onderwerpen),
        )
    if soort == Soort.TEAM:
        team = session.get(Team, eenheid_id)
        if team is None:
            raise NietInSmoelenboek("Dit team staat niet (meer) in het smoelenboek.")
        afdeling = session.get(Afdeling, team.afdeling_id)
        return EenheidKaart(
            soort,
            team.id,
            team.naam,
            nummer_weergave(team.telefoon),
            email=team.email,
            afdeling=afdeling.naam if afdeling else "",
            afdeling_id=team.afdeling_id,
            openingstijden=afdeling.openingstijden if afdeling else "",
        )
    afdeling = session.get(Afdeling, eenheid_id)
    if afdeling is None:
        raise NietInSmoelenboek("Deze afdeling staat niet (meer) in het smoelenboek.")
    return EenheidKaart(
        Soort.AFDELING,
        afdeling.id,
        afdeling.naam,
        nummer_weergave(afdeling.telefoon),
        email=afdeling.email,
        openingstijden=afdeling.openingstijden,
        omschrijving=afdeling.omschrijving,
        afdeling_id=afdeling.id,
    )


def behandelaar_van_zaak(session: Session, zaak_id: uuid.UUID) -> uuid.UUID:
    """The medewerker handling a zaak (for 'open the behandelaar's card')."""
    zaak = session.get(Zaak, zaak_id)
    if zaak is None:
        raise NietInSmoelenboek("Deze zaak bestaat niet (meer).")
    if zaak.behandelaar_id is None:
        raise NietInSmoelenboek(f"Zaak {zaak.identificatie} heeft nog geen behandelaar.")
    return zaak.behandelaar_id
