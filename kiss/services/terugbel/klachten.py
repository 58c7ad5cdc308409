"""Klachten to the klachtencoördinator: a question marked as klacht becomes, when it is
afgerond, a terugbelnotitie for the klachtencoördinator the organisation set (Beheer, F7:
``[klachtencoordinator]``), in the same transaction as the afronden.

One note per klacht-question (each question of a contact is its own contactmoment), unless
the agent already routed that question to the same target with a terugbelnotitie. The note is
made with the ordinary :func:`~kiss.services.terugbel.terugbelnotities.maak_terugbelnotitie`
(deadline from the servicenorm, audit, Open Klant outbox), marked ``automatisch``: the
terugbelnummer may be missing when none is known, and the agent is told so. A note that cannot
be made (the klachtencoördinator left, say) never costs the afronden: it is undone on its own
(a savepoint) and the agent gets a Dutch message saying what to do.
"""

from __future__ import annotations

import difflib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from kiss.config import Doelverwijzing, Settings
from kiss.models import Afdeling, Contactmoment, Klantsignaal, Medewerker, Team, Terugbelnotitie
from kiss.services import medewerkers
from kiss.services.terugbel.terugbelnotities import (
    MAX_TOELICHTING,
    MAX_VRAAG,
    Doel,
    DoelSoort,
    TerugbelFout,
    TerugbelFouten,
    TerugbelInvoer,
    doel_label,
    maak_terugbelnotitie,
    toewijzing,
    voorstel_uit_contactmoment,
)
from kiss.validation import ValidatieFout, valideer_email, valideer_telefoon
from kiss.weergave import lang_tijdstip, tijdstip

log = logging.getLogger("kiss")

KLACHT = Klantsignaal.KLACHT.value


class OnbekendDoel(ValidatieFout):
    """The configured klachtencoördinator is not (or no longer) in the smoelenboek."""


@dataclass(frozen=True)
class KlachtDoorgezet:
    """What happened to the klacht of a question that was just afgerond."""

    label: str  # the klachtencoördinator, e.g. 'team Klachten'
    notitie_id: uuid.UUID | None  # the note made (or the agent's own note to the same target)
    deadline: datetime | None
    melding: str  # Dutch, for the agent
    waarschuwing: bool = False  # the agent has something to do or know
    nieuw: bool = False  # the note was made now (not the agent's own to the same target)


# ---- the setting's target ------------------------------------------------------------------


def _op_naam(session: Session, model: type[Afdeling] | type[Team], naam: str) -> object | None:
    exact = session.execute(select(model).where(model.naam == naam)).scalars().first()
    if exact is not None:
        return exact
    gevonden = list(
        session.execute(select(model).where(func.lower(model.naam) == naam.lower())).scalars()
    )
    return gevonden[0] if len(gevonden) == 1 else None


def _bedoelt_u(session: Session, model: type[Afdeling] | type[Team], naam: str) -> str:
    namen = list(session.execute(select(model.naam)).scalars())
    bijna = difflib.get_close_matches(naam, namen, n=1, cutoff=0.6)
    return f" Bedoelt u '{bijna[0]}'?" if bijna else ""


def zoek_doel(session: Session, verwijzing: Doelverwijzing) -> Doel:
    """The target a setting names; :class:`OnbekendDoel` with a Dutch message naming the
    value when it does not exist (or the medewerker left)."""
    naam = verwijzing.naam.strip()
    if verwijzing.soort == DoelSoort.AFDELING:
        afdeling = _op_naam(session, Afdeling, naam)
        if not isinstance(afdeling, Afdeling):
            raise OnbekendDoel(
                f"Afdeling '{naam}' bestaat niet in het smoelenboek."
                + _bedoelt_u(session, Afdeling, naam)
            )
        return Doel(DoelSoort.AFDELING, afdeling.id, f"afdeling {afdeling.naam}")
    if verwijzing.soort == DoelSoort.TEAM:
        team = _op_naam(session, Team, naam)
        if not isinstance(team, Team):
            raise OnbekendDoel(
                f"Team '{naam}' bestaat niet in het smoelenboek." + _bedoelt_u(session, Team, naam)
            )
        return Doel(DoelSoort.TEAM, team.id, f"team {team.naam}")
    if verwijzing.soort == DoelSoort.MEDEWERKER:
        medewerker = medewerkers.zoek_medewerker(session, naam)
        if medewerker is None:
            raise OnbekendDoel(
                f"Medewerker '{naam}' bestaat niet in het smoelenboek; geef de gebruikersnaam, "
                "het personeelsnummer of het e-mailadres."
            )
        if not medewerker.actief:
            raise OnbekendDoel(
                f"Medewerker '{naam}' ({medewerker.naam}) is niet meer actief; kies een collega, "
                "een team of een afdeling."
            )
        return Doel(DoelSoort.MEDEWERKER, medewerker.id, medewerker.naam)
    raise OnbekendDoel(f"Kies afdeling, team of medewerker, niet '{verwijzing.soort}'.")


# ---- afronden a klacht -----------------------------------------------------------------------


def _al_doorgezet(
    session: Session,
    contact_id: uuid.UUID,
    toegewezen: tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None],
) -> Terugbelnotitie | None:
    """A note of this question already going to the same target (the agent's own)."""
    afdeling_id, team_id, medewerker_id = toegewezen
    voorwaarden = [
        col(kolom).is_(None) if waarde is None else col(kolom) == waarde
        for kolom, waarde in (
            (Terugbelnotitie.toegewezen_afdeling_id, afdeling_id),
            (Terugbelnotitie.toegewezen_team_id, team_id),
            (Terugbelnotitie.toegewezen_medewerker_id, medewerker_id),
        )
    ]
    return (
        session.execute(
            select(Terugbelnotitie).where(
                col(Terugbelnotitie.contactmoment_id) == contact_id, *voorwaarden
            )
        )
        .scalars()
        .first()
    )


def _geldig_nummer(nummer: str) -> str:
    try:
        return nummer.strip() if nummer.strip() and valideer_telefoon(nummer) else ""
    except ValidatieFout:
        return ""


def _geldig_email(email: str) -> str:
    try:
        return valideer_email(email) if email.strip() else ""
    except ValidatieFout:
        return ""


def _invoer(
    session: Session,
    door: Medewerker,
    contact: Contactmoment,
    doel: Doel,
    eigen: TerugbelInvoer | None,
) -> TerugbelInvoer:
    """The note: the klant and gemeente of the contact, the number the agent typed in their own
    note or else the klant's (or the number the contact came from), the question."""
    invoer = voorstel_uit_contactmoment(session, contact.id)
    invoer.doel = doel
    invoer.antwoorden = {}
    if eigen is not None and _geldig_nummer(eigen.terugbelnummer):
        invoer.terugbelnummer, invoer.extra_nummer = eigen.terugbelnummer, eigen.extra_nummer
    if eigen is not None and _geldig_email(eigen.email):
        invoer.email = eigen.email
    invoer.terugbelnummer = _geldig_nummer(invoer.terugbelnummer)
    invoer.extra_nummer = _geldig_nummer(invoer.extra_nummer)
    invoer.email = _geldig_email(invoer.email)

    kop = f"Klacht: {contact.onderwerp.strip() or 'zonder onderwerp'}"
    if contact.signaal_categorie.strip():
        kop += f" ({contact.signaal_categorie.strip()})"
    invoer.vraag = "\n".join(d for d in (kop, contact.vraag.strip()) if d)[:MAX_VRAAG]
    herkomst = (
        f"Door KISS doorgezet: {door.naam} markeerde deze vraag als klacht "
        f"({contact.kanaal}, {tijdstip(contact.gestart_op)})."
    )
    if not invoer.terugbelnummer:
        herkomst += " Geen terugbelnummer bekend" + (
            f"; reageer per e-mail ({invoer.email})." if invoer.email else " en geen e-mail."
        )
    ruimte = MAX_TOELICHTING - len(herkomst) - 2
    notitie = contact.notitie.strip()
    if len(notitie) > ruimte:
        notitie = notitie[: max(ruimte - 1, 0)] + "…"
    invoer.toelichting = f"{notitie}\n\n{herkomst}" if notitie else herkomst
    return invoer


def zet_door(
    session: Session,
    door: Medewerker,
    contact: Contactmoment,
    settings: Settings,
    nu: datetime,
    *,
    eigen_notitie: TerugbelInvoer | None = None,
) -> KlachtDoorgezet | None:
    """After :func:`~kiss.services.contact.contactmomenten.rond_af`, in its transaction: the
    klacht of this question to the klachtencoördinator. None when the question is no klacht
    or no klachtencoördinator is set. ``eigen_notitie``: the note the agent made while closing
    (its number is the one just confirmed with the klant)."""
    verwijzing = settings.klachtencoordinator
    if contact.klantsignaal != KLACHT or not verwijzing.ingesteld:
        return None
    wie = str(verwijzing)
    try:
        with session.begin_nested():  # a failure here undoes the note only, not the afronden
            doel = zoek_doel(session, verwijzing)
            toegewezen = toewijzing(session, doel)
            label = doel_label(session, *toegewezen)
            bestaand = _al_doorgezet(session, contact.id, toegewezen)
            if bestaand is not None:
                return KlachtDoorgezet(
                    label,
                    bestaand.id,
                    bestaand.deadline,
                    f"De klacht staat al bij de klachtencoördinator ({label}): uw "
                    "terugbelnotitie gaat daarheen.",
                )
            invoer = _invoer(session, door, contact, doel, eigen_notitie)
            notitie = maak_terugbelnotitie(session, door, invoer, nu, settings, automatisch=True)
    except (TerugbelFout, ValidatieFout) as fout:
        reden = " ".join(fout.fouten.values()) if isinstance(fout, TerugbelFouten) else str(fout)
        return _niet_doorgezet(wie, reden)
    except DBAPIError as fout:
        log.warning("Klacht niet doorgezet naar de klachtencoördinator: %s", fout)
        return _niet_doorgezet(wie, "de database weigerde de terugbelnotitie.")
    melding = (
        f"Klacht doorgezet naar de klachtencoördinator ({label}); opvolgen uiterlijk "
        f"{lang_tijdstip(notitie.deadline)}."
    )
    if notitie.terugbelnummer:
        return KlachtDoorgezet(label, notitie.id, notitie.deadline, melding, nieuw=True)
    if notitie.email:
        melding += (
            f" Er is geen terugbelnummer bekend; de klachtencoördinator mailt naar {notitie.email}."
        )
    else:
        melding += (
            " Let op: er is geen terugbelnummer of e-mailadres van de klant bekend, dus de "
            "klachtencoördinator kan de klant niet terugbellen."
        )
    return KlachtDoorgezet(
        label, notitie.id, notitie.deadline, melding, waarschuwing=True, nieuw=True
    )


def _niet_doorgezet(wie: str, reden: str) -> KlachtDoorgezet:
    return KlachtDoorgezet(
        wie,
        None,
        None,
        f"Klacht NIET doorgezet naar de klachtencoördinator ({wie}): {reden} Het contactmoment "
        "is wel afgerond. Maak zelf een terugbelnotitie voor de klachten en meld dit aan een "
        "beheerder.",
        waarschuwing=True,
    )
