"""Demo nieuws and werkinstructies for the start screen: what a redactie of a shared KCC would
have published this week. Fictional, written for KISS; times are relative to the demo's ``nu``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from kiss.models import Medewerker, NieuwsSoort
from kiss.services.beheer import nieuws


@dataclass(frozen=True)
class DemoBericht:
    titel: str
    tekst: str
    soort: str = NieuwsSoort.NIEUWS
    belangrijk: bool = False
    dagen_geleden: float = 1.0  # published this long before the demo's moment
    dagen_zichtbaar: float | None = None  # None: until withdrawn
    gemeente: str = ""


BERICHTEN = (
    DemoBericht(
        "Huiselijk geweld of kindermishandeling: altijd warm doorverbinden",
        "Vertelt een beller over geweld thuis, of maakt u zich zorgen over een kind?\n\n"
        "- Blijf rustig en vraag of de beller nu veilig is. Bij direct gevaar: **112**.\n"
        "- Verbind warm door met Veilig Thuis (0800-2000) en blijf aan de lijn tot er "
        "iemand opneemt.\n"
        "- Noteer in KISS alleen *doorverbonden met Veilig Thuis*, geen details.",
        soort=NieuwsSoort.WERKINSTRUCTIE,
        belangrijk=True,
        dagen_geleden=0.2,
    ),
    DemoBericht(
        "Grofvuil: vanaf nu alleen nog op afspraak",
        "De ophaaldienst neemt grofvuil alleen nog mee als er een afspraak is. Maak de "
        "afspraak tijdens het gesprek via het formulier grofvuil; de beller krijgt een "
        "bevestiging per e-mail. Staat er al grofvuil buiten zonder afspraak, maak dan een "
        "melding openbare ruimte.",
        soort=NieuwsSoort.WERKINSTRUCTIE,
        belangrijk=True,
        dagen_geleden=1.5,
        gemeente="Haarlem",
    ),
    DemoBericht(
        "Vragen over de WOZ-beschikking: eerst het taxatieverslag",
        "Veel bellers willen meteen bezwaar maken. Wijs eerst op het taxatieverslag in de "
        "online belastingbalie: vaak verklaart dat de waarde al. Wil de beller daarna nog "
        "bezwaar maken, leg dan de termijn van zes weken uit.",
        soort=NieuwsSoort.WERKINSTRUCTIE,
        dagen_geleden=3,
    ),
    DemoBericht(
        "Stadhuis op kerstavond vanaf 14.00 uur dicht",
        "Op kerstavond sluiten de balies van het stadhuis om 14.00 uur. Het KCC is "
        "telefonisch bereikbaar tot 17.00 uur.",
        dagen_geleden=2,
        dagen_zichtbaar=30,
        gemeente="Haarlem",
    ),
    DemoBericht(
        "Strandhuisjes seizoen 2027: aanvragen vanaf 1 januari",
        "Ondernemers en inwoners vragen al naar de strandhuisjes voor volgend seizoen. "
        "Aanvragen kan vanaf 1 januari; tot die tijd verwijzen we naar de website.",
        dagen_geleden=4,
        gemeente="Zandvoort",
    ),
    DemoBericht(
        "Welkom aan vier nieuwe collega's in het KCC",
        "Deze week zijn vier nieuwe collega's begonnen. Ze lopen de eerste twee weken mee "
        "met een buddy; zie het smoelenboek voor wie wie is.",
        dagen_geleden=5,
    ),
)


def schrijf_berichten(session: Session, medewerkers: list[Medewerker], nu: datetime) -> int:
    """Publish the demo items as the first redacteur; without one, none."""
    redacteur = next((m for m in medewerkers if "redacteur" in m.rollenset), None)
    if redacteur is None:
        return 0
    for bericht in BERICHTEN:
        van = nu - timedelta(days=bericht.dagen_geleden)
        tot = van + timedelta(days=bericht.dagen_zichtbaar) if bericht.dagen_zichtbaar else None
        invoer = nieuws.NieuwsInvoer(
            bericht.titel,
            bericht.tekst,
            soort=bericht.soort,
            belangrijk=bericht.belangrijk,
            publiceren_van=van,
            publiceren_tot=tot,
            gemeente=bericht.gemeente,
        )
        nieuws.bewaar(session, redacteur, invoer, nu=van)
    return len(BERICHTEN)
