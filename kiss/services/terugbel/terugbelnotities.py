"""Terugbelnotities: create, claim, log attempts, close, release and reassign.

Safe for many agents at once: every change is one ``UPDATE … WHERE id = :id`` guarded by the
status the action starts from and, when the caller passes it, by the ``versie`` the user saw;
it bumps ``versie``. When no row matches, a colleague was first: the caller gets
:class:`AlGeclaimd` or :class:`AlGewijzigd` with a Dutch message that names that colleague, and
nothing is overwritten. Every change writes an audit row in the same transaction.

Plain Python: a session, the acting :class:`Medewerker`, and ``nu`` (the clock) come in.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import (
    Afdeling,
    Auditregel,
    Contactmoment,
    ContactmomentStatus,
    DigitaalAdres,
    DigitaalAdresSoort,
    Gemeente,
    Klant,
    Medewerker,
    Richting,
    Team,
    Terugbelnotitie,
    TerugbelOverdracht,
    Terugbelpoging,
    TerugbelStatus,
    Zaak,
)
from kiss.models.base import veldlengte
from kiss.rollen import GeenToegang, mag_wachtrij_sturen, vereis
from kiss.services import audit
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.openklant import haken as openklant
from kiss.services.terugbel import vragenset
from kiss.services.terugbel.deadline import bereken_deadline
from kiss.validation import ValidatieFout, lijkt_op_telefoon, valideer_email, valideer_telefoon

MAX_VRAAG = veldlengte(Terugbelnotitie, "vraag")
MAX_TOELICHTING = veldlengte(Terugbelnotitie, "toelichting")
MAX_GEWENST_MOMENT = veldlengte(Terugbelnotitie, "gewenst_moment")
MAX_NUMMER = veldlengte(Terugbelnotitie, "terugbelnummer")
MAX_REDEN = veldlengte(TerugbelOverdracht, "reden")
MAX_INFORMATIE_KLANT = veldlengte(Terugbelnotitie, "informatie_klant")
MAX_POGING_KANAAL = veldlengte(Terugbelpoging, "kanaal")
HEROPEND = "terugbelnotitie_heropend"
ZAAK_GEKOPPELD = "terugbelnotitie_zaak_gekoppeld"

AANGEMAAKT = "terugbelnotitie_aangemaakt"
GEOPEND = "terugbelnotitie_geopend"
GECLAIMD = "terugbelnotitie_geclaimd"
VRIJGEGEVEN = "terugbelnotitie_vrijgegeven"
POGING = "terugbelpoging_gelogd"
AFGEHANDELD = "terugbelnotitie_afgehandeld"
HERVERDEELD = "terugbelnotitie_herverdeeld"
OBJECT_TYPE = "terugbelnotitie"

ACTIEF = (TerugbelStatus.OPEN, TerugbelStatus.IN_BEHANDELING)

STATUS_LABELS: dict[str, str] = {
    TerugbelStatus.OPEN: "open",
    TerugbelStatus.IN_BEHANDELING: "in behandeling",
    TerugbelStatus.AFGEHANDELD: "afgehandeld",
}


# ---------------------------------------------------------------------------- errors


class TerugbelFout(Exception):
    """Base class; ``str(fout)`` is a Dutch message for the user."""


class NotitieNietGevonden(TerugbelFout, LookupError):
    pass


class AlGewijzigd(TerugbelFout):
    """A colleague changed the note first; show the message and refresh."""


class AlGeclaimd(AlGewijzigd):
    """A colleague claimed the note first."""


class OngeldigeActie(TerugbelFout, ValueError):
    """The action does not fit the note's state (e.g. 'niet bereikt' without an attempt)."""


class TerugbelFouten(InvoerFouten):
    """Per-field messages for the form (keys are the :class:`TerugbelInvoer` field names)."""


# ---------------------------------------------------------------------------- value types


class DoelSoort(StrEnum):
    AFDELING = "afdeling"
    TEAM = "team"
    MEDEWERKER = "medewerker"


@dataclass(frozen=True)
class Doel:
    """Where a note goes: exactly one afdeling, team or medewerker."""

    soort: DoelSoort
    id: uuid.UUID
    label: str = field(default="", compare=False)


class Uitkomst(StrEnum):
    GEHOLPEN = "klant gesproken en geholpen"
    NIET_BEREIKT = "niet bereikt, brief of e-mail gestuurd"
    DOORGEZET = "doorgezet"


UITKOMST_KEUZES: tuple[tuple[str, Uitkomst], ...] = (
    ("Klant gesproken en geholpen", Uitkomst.GEHOLPEN),
    ("Niet bereikt na pogingen, brief of e-mail gestuurd", Uitkomst.NIET_BEREIKT),
    ("Doorgezet naar …", Uitkomst.DOORGEZET),
)


def uitkomst_label(uitkomst: str, mislukte_pogingen: int = 0, doorgezet_naar: str = "") -> str:
    """How the outcome reads on the timeline, e.g. 'niet bereikt na 3 pogingen, …'."""
    if uitkomst == Uitkomst.NIET_BEREIKT:
        woord = "poging" if mislukte_pogingen == 1 else "pogingen"
        return f"niet bereikt na {mislukte_pogingen} {woord}, brief of e-mail gestuurd"
    if uitkomst == Uitkomst.DOORGEZET:
        return f"doorgezet naar {doorgezet_naar}".strip()
    return str(uitkomst)


@dataclass
class TerugbelInvoer:
    """The form's fields as typed (also the pre-fill from a contactmoment)."""

    doel: Doel | None = None
    terugbelnummer: str = ""
    extra_nummer: str = ""
    email: str = ""
    vraag: str = ""  # the klant's own words
    toelichting: str = ""  # internal note for the colleague
    gewenst_moment: str = ""
    gemeente: str = ""
    klant_id: uuid.UUID | None = None
    klant_naam: str = ""  # shown in the form only
    contactmoment_id: uuid.UUID | None = None
    antwoorden: dict[str, str | bool] = field(default_factory=dict)  # the afdeling's vragenset

    @property
    def is_leeg(self) -> bool:
        return not any(
            (self.terugbelnummer, self.extra_nummer, self.email, self.vraag, self.toelichting)
        )


@dataclass(frozen=True)
class _Schoon:
    terugbelnummer_e164: str
    extra_nummer_e164: str | None
    email: str


def valideer_invoer(
    invoer: TerugbelInvoer, *, nummer_verplicht: bool = True
) -> tuple[dict[str, str], _Schoon]:
    """Per-field messages (empty when all is well) and the normalised values. No database."""
    fouten: dict[str, str] = {}
    nummer = ""
    extra: str | None = None
    email = ""
    if invoer.doel is None:
        fouten["doel"] = "Kies aan wie de notitie gaat: een afdeling, een team of een medewerker."
    if not invoer.terugbelnummer.strip():
        if nummer_verplicht:
            fouten["terugbelnummer"] = "Vul het nummer in waarop de klant teruggebeld wil worden."
    elif len(invoer.terugbelnummer.strip()) > MAX_NUMMER:
        fouten["terugbelnummer"] = f"Een telefoonnummer heeft hoogstens {MAX_NUMMER} tekens."
    else:
        try:
            nummer = valideer_telefoon(invoer.terugbelnummer)
        except ValidatieFout as exc:
            fouten["terugbelnummer"] = str(exc)
    if invoer.extra_nummer.strip():
        try:
            extra = valideer_telefoon(invoer.extra_nummer[:MAX_NUMMER])
        except ValidatieFout as exc:
            fouten["extra_nummer"] = str(exc)
    if invoer.email.strip():
        try:
            email = valideer_email(invoer.email)
        except ValidatieFout as exc:
            fouten["email"] = str(exc)
    if not invoer.vraag.strip():
        fouten["vraag"] = "Schrijf de vraag van de klant op, in de woorden van de klant."
    elif len(invoer.vraag) > MAX_VRAAG:
        fouten["vraag"] = (
            f"De vraag mag hoogstens {MAX_VRAAG} tekens zijn (nu {len(invoer.vraag)})."
        )
    if len(invoer.toelichting) > MAX_TOELICHTING:
        fouten["toelichting"] = (
            f"De interne toelichting mag hoogstens {MAX_TOELICHTING} tekens zijn "
            f"(nu {len(invoer.toelichting)})."
        )
    if len(invoer.gewenst_moment) > MAX_GEWENST_MOMENT:
        fouten["gewenst_moment"] = (
            f"Het gewenste moment mag hoogstens {MAX_GEWENST_MOMENT} tekens zijn."
        )
    return fouten, _Schoon(nummer, extra, email)


# ---------------------------------------------------------------------------- lookups


def _naam(session: Session, medewerker_id: uuid.UUID | None) -> str:
    if medewerker_id is None:
        return ""
    medewerker = session.get(Medewerker, medewerker_id)
    return medewerker.naam if medewerker else ""


def toewijzing(
    session: Session, doel: Doel
) -> tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]:
    """(afdeling, team, medewerker) for a target: a team implies its afdeling, a medewerker
    their team and afdeling. Raises :class:`TerugbelFouten` for an unknown target."""
    if doel.soort == DoelSoort.AFDELING:
        if session.get(Afdeling, doel.id) is None:
            raise TerugbelFouten({"doel": "Deze afdeling bestaat niet (meer)."})
        return doel.id, None, None
    if doel.soort == DoelSoort.TEAM:
        team = session.get(Team, doel.id)
        if team is None:
            raise TerugbelFouten({"doel": "Dit team bestaat niet (meer)."})
        return team.afdeling_id, team.id, None
    medewerker = session.get(Medewerker, doel.id)
    if medewerker is None or not medewerker.actief:
        raise TerugbelFouten({"doel": "Deze medewerker bestaat niet (meer) of is niet actief."})
    afdeling_id = medewerker.afdeling_id
    if afdeling_id is None and medewerker.team_id is not None:
        team = session.get(Team, medewerker.team_id)
        afdeling_id = team.afdeling_id if team else None
    return afdeling_id, medewerker.team_id, medewerker.id


def doel_label(
    session: Session,
    afdeling_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    medewerker_id: uuid.UUID | None,
) -> str:
    """'Bram Bos (Reisdocumenten)', 'team Reisdocumenten' or 'afdeling Burgerzaken'."""
    team = session.get(Team, team_id) if team_id else None
    if medewerker_id is not None:
        naam = _naam(session, medewerker_id)
        return f"{naam} ({team.naam})" if team else naam
    if team is not None:
        return f"team {team.naam}"
    afdeling = session.get(Afdeling, afdeling_id) if afdeling_id else None
    return f"afdeling {afdeling.naam}" if afdeling else "niemand"


@dataclass(frozen=True)
class Doelen:
    """The targets the form offers."""

    afdelingen: list[Doel]
    teams: list[Doel]
    medewerkers: list[Doel]

    def alle(self) -> list[Doel]:
        return [*self.teams, *self.afdelingen, *self.medewerkers]


def doelen(session: Session) -> Doelen:
    afdelingen = session.execute(select(Afdeling.id, Afdeling.naam).order_by(Afdeling.naam)).all()
    afdeling_namen = {a.id: a.naam for a in afdelingen}
    teams = session.execute(select(Team.id, Team.naam, Team.afdeling_id).order_by(Team.naam)).all()
    team_namen = {t.id: t.naam for t in teams}
    medewerkers = session.execute(
        select(Medewerker)
        .where(col(Medewerker.actief).is_(True))
        .order_by(Medewerker.achternaam, Medewerker.voornaam)
    ).scalars()
    return Doelen(
        afdelingen=[Doel(DoelSoort.AFDELING, a.id, f"Afdeling {a.naam}") for a in afdelingen],
        teams=[
            Doel(DoelSoort.TEAM, t.id, f"Team {t.naam} ({afdeling_namen.get(t.afdeling_id, '')})")
            for t in teams
        ],
        medewerkers=[
            Doel(
                DoelSoort.MEDEWERKER,
                m.id,
                f"{m.naam}" + (f" ({team_namen[m.team_id]})" if m.team_id in team_namen else ""),
            )
            for m in medewerkers
        ],
    )


def _gemeente_id(session: Session, naam: str) -> uuid.UUID | None:
    return session.execute(select(Gemeente.id).where(Gemeente.naam == naam)).scalar_one_or_none()


# ---------------------------------------------------------------------------- create


def maak_terugbelnotitie(
    session: Session,
    door: Medewerker,
    invoer: TerugbelInvoer,
    nu: datetime,
    settings: Settings,
    *,
    automatisch: bool = False,
) -> Terugbelnotitie:
    """Create a note; reports every problem at once as :class:`TerugbelFouten`.

    ``automatisch``: made by KISS itself, not typed in the form (a klacht for the
    klachtencoördinator, :mod:`.klachten`). Nobody could be asked, so the terugbelnummer and
    the afdeling's required vragenset answers may be missing, and the contactmoment does not
    count as "terugbelnotitie gemaakt" in the first-contact resolution."""
    fouten, schoon = valideer_invoer(invoer, nummer_verplicht=not automatisch)
    toegewezen: tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None] = (None, None, None)
    if invoer.doel is not None and "doel" not in fouten:
        try:
            toegewezen = toewijzing(session, invoer.doel)
        except TerugbelFouten as exc:
            fouten |= exc.fouten
    gemeente_id = None
    if invoer.gemeente.strip():
        gemeente_id = _gemeente_id(session, invoer.gemeente.strip())
        if gemeente_id is None:
            fouten["gemeente"] = f"Onbekende gemeente '{invoer.gemeente}'."
    if invoer.klant_id is not None and session.get(Klant, invoer.klant_id) is None:
        fouten["klant"] = "Deze klant bestaat niet (meer)."
    bron = (
        session.get(Contactmoment, invoer.contactmoment_id)
        if invoer.contactmoment_id is not None
        else None
    )
    if invoer.contactmoment_id is not None and bron is None:
        fouten["contactmoment"] = "Het contactmoment bestaat niet (meer)."
    afdeling_id, team_id, medewerker_id = toegewezen
    antwoorden = vragenset.controleer(
        vragenset.voor(
            session, afdeling_id=afdeling_id, team_id=team_id, medewerker_id=medewerker_id
        ),
        invoer.antwoorden,
    )
    if not automatisch:
        fouten |= antwoorden.fouten
    if fouten:
        raise TerugbelFouten(fouten)
    if bron is not None and not automatisch:  # so the dashboard need not look for notes
        bron.terugbelnotitie_gemaakt = True
    notitie = Terugbelnotitie(
        contactmoment_id=invoer.contactmoment_id,
        klant_id=invoer.klant_id,
        gemeente_id=gemeente_id,
        toegewezen_afdeling_id=afdeling_id,
        toegewezen_team_id=team_id,
        toegewezen_medewerker_id=medewerker_id,
        terugbelnummer=invoer.terugbelnummer.strip(),
        terugbelnummer_e164=schoon.terugbelnummer_e164 or None,  # none known (automatisch)
        extra_nummer=invoer.extra_nummer.strip()[:MAX_NUMMER] if schoon.extra_nummer_e164 else "",
        extra_nummer_e164=schoon.extra_nummer_e164,
        email=schoon.email,
        vraag=invoer.vraag.strip(),
        toelichting=invoer.toelichting.strip(),
        gewenst_moment=invoer.gewenst_moment.strip(),
        aangemaakt_op=nu,
        aangemaakt_door_id=door.id,
        deadline=bereken_deadline(nu, settings),
        antwoorden=antwoorden.regels,
        status=TerugbelStatus.OPEN,
        versie=1,
    )
    session.add(notitie)
    session.flush()
    audit.log(
        session,
        door,
        AANGEMAAKT,
        object_type=OBJECT_TYPE,
        object_id=notitie.id,
        klant_id=notitie.klant_id,
        details=f"voor {doel_label(session, afdeling_id, team_id, medewerker_id)}"
        + (" (automatisch)" if automatisch else ""),
    )
    openklant.terugbelnotitie_gemaakt(session, notitie)  # outbox row, same transaction
    return notitie


def voorstel_uit_contactmoment(session: Session, contactmoment_id: uuid.UUID) -> TerugbelInvoer:
    """A pre-filled form for a note made while closing a contactmoment: the klant's preferred
    phone number (or the number the contact came from), e-mail, the question, gemeente."""
    contact = session.get(Contactmoment, contactmoment_id)
    if contact is None:
        raise NotitieNietGevonden("Het contactmoment bestaat niet (meer).")
    invoer = TerugbelInvoer(contactmoment_id=contact.id, klant_id=contact.klant_id)
    if contact.gemeente_id is not None:
        gemeente = session.get(Gemeente, contact.gemeente_id)
        invoer.gemeente = gemeente.naam if gemeente else ""
    if contact.klant_id is not None:
        klant = session.get(Klant, contact.klant_id)
        invoer.klant_naam = klant.weergavenaam if klant else ""
        adressen = list(
            session.execute(
                select(DigitaalAdres)
                .where(DigitaalAdres.klant_id == contact.klant_id)
                .order_by(
                    col(DigitaalAdres.voorkeur).desc(), col(DigitaalAdres.aangemaakt_op).desc()
                )
            ).scalars()
        )
        telefoons = [a for a in adressen if a.soort == DigitaalAdresSoort.TELEFOONNUMMER]
        emails = [a for a in adressen if a.soort == DigitaalAdresSoort.EMAIL]
        if telefoons:
            invoer.terugbelnummer = telefoons[0].waarde
            if len(telefoons) > 1:
                invoer.extra_nummer = telefoons[1].waarde
        if emails:
            invoer.email = emails[0].waarde
    if not invoer.terugbelnummer and lijkt_op_telefoon(contact.contact_nummer):
        invoer.terugbelnummer = contact.contact_nummer
    elif not invoer.email and "@" in contact.contact_nummer:
        invoer.email = contact.contact_nummer
    delen = [d.strip() for d in (contact.onderwerp, contact.vraag, contact.notitie) if d.strip()]
    invoer.vraag = "\n".join(dict.fromkeys(delen))[:MAX_VRAAG]
    if contact.afdeling_id is not None:
        afdeling = session.get(Afdeling, contact.afdeling_id)
        if afdeling is not None:
            invoer.doel = Doel(DoelSoort.AFDELING, afdeling.id, f"Afdeling {afdeling.naam}")
    return invoer


# ---------------------------------------------------------------------------- guarded updates


def laad(session: Session, notitie_id: uuid.UUID) -> Terugbelnotitie:
    """The note as it is in the database now (never a stale cached copy)."""
    notitie = session.get(Terugbelnotitie, notitie_id, populate_existing=True)
    if notitie is None:
        raise NotitieNietGevonden("Deze terugbelnotitie bestaat niet (meer).")
    return notitie


def _laatste_wijziger(session: Session, notitie_id: uuid.UUID) -> str:
    medewerker_id = session.execute(
        select(Auditregel.medewerker_id)
        .where(Auditregel.object_type == OBJECT_TYPE, Auditregel.object_id == str(notitie_id))
        .where(col(Auditregel.actie) != GEOPEND)
        .order_by(col(Auditregel.moment).desc())
        .limit(1)
    ).scalar_one_or_none()
    return _naam(session, medewerker_id) or "een collega"


def conflict(session: Session, notitie_id: uuid.UUID, door: Medewerker) -> AlGewijzigd:
    """The Dutch explanation of why a guarded update matched no row."""
    notitie = laad(session, notitie_id)
    if notitie.status == TerugbelStatus.AFGEHANDELD:
        wie = _naam(session, notitie.behandelaar_id) or "een collega"
        return AlGewijzigd(f"Deze terugbelnotitie is zojuist afgehandeld door {wie}.")
    if notitie.status == TerugbelStatus.IN_BEHANDELING and notitie.behandelaar_id != door.id:
        wie = _naam(session, notitie.behandelaar_id) or "een collega"
        return AlGeclaimd(f"Deze terugbelnotitie is zojuist door {wie} opgepakt.")
    wie = _laatste_wijziger(session, notitie_id)
    return AlGewijzigd(
        f"Deze terugbelnotitie is zojuist gewijzigd door {wie}. "
        "Het scherm is ververst; bekijk de wijziging en probeer het opnieuw."
    )


def _gelijk(kolom: Any, waarde: uuid.UUID | None) -> Any:
    """``kolom = waarde``, or ``kolom IS NULL`` for None (a precondition on the row)."""
    return col(kolom).is_(None) if waarde is None else col(kolom) == waarde


def _werk_bij(
    session: Session,
    notitie_id: uuid.UUID,
    door: Medewerker,
    *,
    versie: int | None,
    statussen: Iterable[str],
    extra_voorwaarden: Sequence[Any] = (),
    **waarden: Any,
) -> Terugbelnotitie:
    """One guarded UPDATE that bumps ``versie``; raises the Dutch conflict when 0 rows match."""
    statement = (
        update(Terugbelnotitie)
        .where(col(Terugbelnotitie.id) == notitie_id)
        .where(col(Terugbelnotitie.status).in_(list(statussen)))
        .where(*extra_voorwaarden)
        .values(**waarden, versie=col(Terugbelnotitie.versie) + 1)
        .execution_options(synchronize_session=False)
    )
    if versie is not None:
        statement = statement.where(col(Terugbelnotitie.versie) == versie)
    result = session.execute(statement)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise conflict(session, notitie_id, door)
    return laad(session, notitie_id)


def _vereis_eigen_of_regie(notitie: Terugbelnotitie, door: Medewerker, wat: str) -> None:
    if notitie.behandelaar_id not in (None, door.id) and not mag_wachtrij_sturen(door):
        raise GeenToegang(f"Alleen de behandelaar of een teamleider mag deze notitie {wat}.")


def _vereis_mag_claimen(session: Session, notitie: Terugbelnotitie, door: Medewerker) -> None:
    persoonlijk = notitie.toegewezen_medewerker_id
    if persoonlijk not in (None, door.id) and not mag_wachtrij_sturen(door):
        raise GeenToegang(
            f"Deze terugbelnotitie is persoonlijk toegewezen aan {_naam(session, persoonlijk)}; "
            "vraag een teamleider om hem te herverdelen."
        )


# ---------------------------------------------------------------------------- lifecycle


def claim(
    session: Session,
    door: Medewerker,
    notitie_id: uuid.UUID,
    nu: datetime,
    versie: int | None = None,
) -> Terugbelnotitie:
    """Open → in behandeling, with ``door`` as behandelaar. Exactly one agent wins."""
    notitie = laad(session, notitie_id)
    if notitie.status == TerugbelStatus.IN_BEHANDELING and notitie.behandelaar_id == door.id:
        raise OngeldigeActie("Je hebt deze terugbelnotitie al opgepakt.")
    if notitie.status != TerugbelStatus.OPEN:
        raise conflict(session, notitie_id, door)
    _vereis_mag_claimen(session, notitie, door)
    notitie = _werk_bij(
        session,
        notitie_id,
        door,
        versie=versie,
        statussen=(TerugbelStatus.OPEN,),
        status=TerugbelStatus.IN_BEHANDELING,
        behandelaar_id=door.id,
        geclaimd_op=nu,
    )
    audit.log(
        session, door, GECLAIMD, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=notitie.klant_id,
    )  # fmt: skip
    return notitie


_NEEM = (
    update(Terugbelnotitie)
    .where(
        col(Terugbelnotitie.id) == bindparam("notitie_id"),
        col(Terugbelnotitie.status) == TerugbelStatus.OPEN,
        or_(
            col(Terugbelnotitie.toegewezen_medewerker_id).is_(None),
            col(Terugbelnotitie.toegewezen_medewerker_id) == bindparam("door_id"),
        ),
    )
    .values(
        status=TerugbelStatus.IN_BEHANDELING,
        behandelaar_id=bindparam("door_id"),
        geclaimd_op=bindparam("nu"),
        versie=col(Terugbelnotitie.versie) + 1,
    )
    .returning(col(Terugbelnotitie.klant_id))
    .execution_options(synchronize_session=False)
)


def neem(session: Session, door: Medewerker, notitie_id: uuid.UUID, nu: datetime) -> bool:
    """Claim without reading first (the fast path of "pak de volgende"): one UPDATE that only
    matches while the note is open and not personally someone else's. True when it was ours."""
    rij = session.execute(_NEEM, {"notitie_id": notitie_id, "door_id": door.id, "nu": nu}).first()
    if rij is None:
        return False
    audit.log(
        session, door, GECLAIMD, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=rij.klant_id,
    )  # fmt: skip
    return True


def vrijgeven(
    session: Session,
    door: Medewerker,
    notitie_id: uuid.UUID,
    nu: datetime,
    versie: int | None = None,
) -> Terugbelnotitie:
    """Give a claimed note back to its queue (open again, no behandelaar)."""
    notitie = laad(session, notitie_id)
    if notitie.status != TerugbelStatus.IN_BEHANDELING:
        if notitie.status == TerugbelStatus.OPEN and versie is None:
            raise OngeldigeActie(
                "Deze terugbelnotitie is niet opgepakt; er is niets vrij te geven."
            )
        raise conflict(session, notitie_id, door)
    _vereis_eigen_of_regie(notitie, door, "vrijgeven")
    notitie = _werk_bij(
        session,
        notitie_id,
        door,
        versie=versie,
        statussen=(TerugbelStatus.IN_BEHANDELING,),
        extra_voorwaarden=(_gelijk(Terugbelnotitie.behandelaar_id, notitie.behandelaar_id),),
        status=TerugbelStatus.OPEN,
        behandelaar_id=None,
        geclaimd_op=None,
    )
    audit.log(
        session, door, VRIJGEGEVEN, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=notitie.klant_id, details=f"om {nu:%Y-%m-%d %H:%M} UTC",
    )  # fmt: skip
    return notitie


def log_poging(
    session: Session,
    door: Medewerker,
    notitie_id: uuid.UUID,
    bereikt: bool,
    notitie_tekst: str,
    nu: datetime,
    versie: int | None = None,
    kanaal: str = "telefoon",
) -> Terugbelpoging:
    """Record one attempt to reach the klant, by ``kanaal`` (telefoon, e-mail, …), gelukt
    (``bereikt``) or not. An open note is claimed by the caller in the same step; the first
    successful attempt sets ``eerste_contact_op``."""
    if len(notitie_tekst) > 1000:
        raise TerugbelFouten(
            {"notitie": f"De notitie mag hoogstens 1000 tekens zijn (nu {len(notitie_tekst)})."}
        )
    if not kanaal.strip() or len(kanaal) > MAX_POGING_KANAAL:
        raise TerugbelFouten(
            {"kanaal": "Kies langs welk kanaal je de klant probeerde te bereiken."}
        )
    notitie = laad(session, notitie_id)
    if notitie.status == TerugbelStatus.AFGEHANDELD:
        raise conflict(session, notitie_id, door)
    if notitie.status == TerugbelStatus.OPEN:
        _vereis_mag_claimen(session, notitie, door)
    elif notitie.behandelaar_id != door.id:
        raise conflict(session, notitie_id, door)
    waarden: dict[str, Any] = {
        "status": TerugbelStatus.IN_BEHANDELING,
        "behandelaar_id": door.id,
        "geclaimd_op": notitie.geclaimd_op or nu,
    }
    if bereikt and notitie.eerste_contact_op is None:
        waarden["eerste_contact_op"] = nu
    notitie = _werk_bij(
        session,
        notitie_id,
        door,
        versie=versie,
        statussen=(notitie.status,),
        extra_voorwaarden=(_gelijk(Terugbelnotitie.behandelaar_id, notitie.behandelaar_id),),
        **waarden,
    )
    poging = Terugbelpoging(
        terugbelnotitie_id=notitie_id,
        moment=nu,
        medewerker_id=door.id,
        bereikt=bereikt,
        kanaal=kanaal.strip(),
        notitie=notitie_tekst.strip(),
    )
    session.add(poging)
    session.flush()
    audit.log(
        session, door, POGING, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=notitie.klant_id,
        details=f"{kanaal}: {'bereikt' if bereikt else 'niet bereikt'}",
    )  # fmt: skip
    openklant.poging_gelogd(session, poging)
    return poging


def _mislukte_pogingen(session: Session, notitie_id: uuid.UUID) -> tuple[int, int]:
    rows = session.execute(
        select(Terugbelpoging.bereikt, func.count())
        .where(Terugbelpoging.terugbelnotitie_id == notitie_id)
        .group_by(Terugbelpoging.bereikt)
    ).all()
    tellingen = {bool(bereikt): int(aantal) for bereikt, aantal in rows}
    return tellingen.get(False, 0), tellingen.get(True, 0)


def afhandelen(
    session: Session,
    door: Medewerker,
    notitie_id: uuid.UUID,
    uitkomst: Uitkomst | str,
    toelichting: str,
    nu: datetime,
    versie: int | None = None,
    doorgezet_naar: str = "",
    informatie_klant: str = "",
) -> Contactmoment:
    """Close the note with an outcome and write the outgoing telephone contactmoment on the
    klant's timeline. Returns that contactmoment. Exactly one of two closers wins."""
    try:
        uitkomst = Uitkomst(uitkomst)
    except ValueError:
        raise TerugbelFouten({"uitkomst": "Kies een uitkomst."}) from None
    fouten: dict[str, str] = {}
    if len(toelichting) > 1000:
        fouten["toelichting"] = (
            f"De toelichting mag hoogstens 1000 tekens zijn (nu {len(toelichting)})."
        )
    if len(informatie_klant) > MAX_INFORMATIE_KLANT:
        fouten["informatie_klant"] = (
            f"De informatie voor de klant mag hoogstens {MAX_INFORMATIE_KLANT} tekens zijn "
            f"(nu {len(informatie_klant)})."
        )
    if uitkomst == Uitkomst.DOORGEZET and not doorgezet_naar.strip():
        fouten["doorgezet_naar"] = "Vul in naar wie of welke organisatie de vraag is doorgezet."
    if fouten:
        raise TerugbelFouten(fouten)
    notitie = laad(session, notitie_id)
    if notitie.status == TerugbelStatus.AFGEHANDELD:
        raise conflict(session, notitie_id, door)
    _vereis_eigen_of_regie(notitie, door, "afhandelen")
    if notitie.status == TerugbelStatus.OPEN:
        _vereis_mag_claimen(session, notitie, door)
    mislukt, gelukt = _mislukte_pogingen(session, notitie_id)
    if uitkomst == Uitkomst.NIET_BEREIKT and mislukt == 0:
        raise OngeldigeActie(
            "Log eerst de belpoging(en) waarbij de klant niet bereikt is; "
            "daarna kun je 'niet bereikt' kiezen."
        )
    label = uitkomst_label(uitkomst, mislukt, doorgezet_naar.strip())
    waarden: dict[str, Any] = {
        "status": TerugbelStatus.AFGEHANDELD,
        "behandelaar_id": notitie.behandelaar_id or door.id,
        "geclaimd_op": notitie.geclaimd_op or nu,
        "afgehandeld_op": nu,
        "uitkomst": label[:80],
        "uitkomst_toelichting": toelichting.strip(),
        "informatie_klant": informatie_klant.strip(),
    }
    if uitkomst == Uitkomst.GEHOLPEN and notitie.eerste_contact_op is None:
        waarden["eerste_contact_op"] = nu
    notitie = _werk_bij(
        session,
        notitie_id,
        door,
        versie=versie,
        statussen=ACTIEF,
        extra_voorwaarden=(_gelijk(Terugbelnotitie.behandelaar_id, notitie.behandelaar_id),),
        **waarden,
    )
    contact = _terugbelcontact(session, notitie, door, label, nu, gelukt > 0)
    audit.log(
        session, door, AFGEHANDELD, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=notitie.klant_id, details=label,
    )  # fmt: skip
    openklant.terugbelnotitie_afgehandeld(session, notitie, contact)
    return contact


def _terugbelcontact(
    session: Session,
    notitie: Terugbelnotitie,
    door: Medewerker,
    label: str,
    nu: datetime,
    ooit_bereikt: bool,
) -> Contactmoment:
    bron = (
        session.get(Contactmoment, notitie.contactmoment_id) if notitie.contactmoment_id else None
    )
    eerste_poging = session.execute(
        select(func.min(Terugbelpoging.moment)).where(
            Terugbelpoging.terugbelnotitie_id == notitie.id
        )
    ).scalar_one_or_none()
    onderwerp = (bron.onderwerp if bron and bron.onderwerp else "") or (
        "Terugbelverzoek: " + notitie.vraag.splitlines()[0] if notitie.vraag else "Terugbelverzoek"
    )
    notitie_tekst = notitie.uitkomst_toelichting or label
    contact = Contactmoment(
        gemeente_id=notitie.gemeente_id,
        kanaal="telefoon",
        richting=Richting.UITGAAND,
        klant_id=notitie.klant_id,
        medewerker_id=door.id,
        contact_nummer=notitie.terugbelnummer,
        gestart_op=eerste_poging or nu,
        beeindigd_op=nu,
        vraag=notitie.vraag[:180],
        notitie=notitie_tekst[:1000],
        onderwerp=onderwerp[:200],
        gespreksresultaat=label[:80],
        afdeling_id=notitie.toegewezen_afdeling_id,
        status=ContactmomentStatus.AFGEROND,
        contact_gelukt=ooit_bereikt or notitie.uitkomst.startswith(Uitkomst.GEHOLPEN),
        gewijzigd_op=nu,
    )
    session.add(contact)
    session.flush()
    audit.log(
        session, door, audit.CONTACTMOMENT_AFGEROND, object_type="contactmoment",
        object_id=contact.id, klant_id=contact.klant_id, details=f"terugbelnotitie: {label}",
    )  # fmt: skip
    return contact


def heropen(
    session: Session,
    door: Medewerker,
    notitie_id: uuid.UUID,
    reden: str,
    nu: datetime,
    versie: int | None = None,
) -> Terugbelnotitie:
    """A teamlead or beheerder reopens a closed note with a reason: it goes back to the queue
    it was assigned to (unclaimed), the deadline stays, and the history keeps why."""
    vereis(mag_wachtrij_sturen(door), "een afgehandelde terugbelnotitie te heropenen")
    reden = reden.strip()
    if not reden:
        raise TerugbelFouten({"reden": "Geef aan waarom de terugbelnotitie weer open gaat."})
    if len(reden) > MAX_REDEN - 40:
        raise TerugbelFouten({"reden": f"De reden mag hoogstens {MAX_REDEN - 40} tekens zijn."})
    notitie = laad(session, notitie_id)
    if notitie.status != TerugbelStatus.AFGEHANDELD:
        raise OngeldigeActie("Deze terugbelnotitie is niet afgehandeld; ze staat nog open.")
    oude_uitkomst = notitie.uitkomst
    notitie = _werk_bij(
        session, notitie_id, door, versie=versie, statussen=(TerugbelStatus.AFGEHANDELD,),
        status=TerugbelStatus.OPEN, behandelaar_id=None, geclaimd_op=None, afgehandeld_op=None,
        uitkomst="",
    )  # fmt: skip
    session.add(
        TerugbelOverdracht(
            terugbelnotitie_id=notitie_id, moment=nu, door_id=door.id,
            van_afdeling_id=notitie.toegewezen_afdeling_id, van_team_id=notitie.toegewezen_team_id,
            van_medewerker_id=notitie.toegewezen_medewerker_id,
            naar_afdeling_id=notitie.toegewezen_afdeling_id,
            naar_team_id=notitie.toegewezen_team_id,
            naar_medewerker_id=notitie.toegewezen_medewerker_id,
            reden=f"Heropend (was: {oude_uitkomst}): {reden}"[:MAX_REDEN],
        )
    )  # fmt: skip
    session.flush()
    audit.log(
        session, door, HEROPEND, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=notitie.klant_id, details=reden[:200],
    )  # fmt: skip
    openklant.terugbelnotitie_heropend(session, notitie)
    return notitie


def koppel_zaak(
    session: Session,
    door: Medewerker,
    notitie_id: uuid.UUID,
    zaak_id: uuid.UUID | None,
    versie: int | None = None,
) -> Terugbelnotitie:
    """Link one of the klant's zaken to an open note (or with None unlink it)."""
    notitie = laad(session, notitie_id)
    if notitie.status == TerugbelStatus.AFGEHANDELD:
        raise OngeldigeActie("Een afgehandelde terugbelnotitie kan niet meer veranderen.")
    _vereis_eigen_of_regie(notitie, door, "een zaak te koppelen")
    if zaak_id is not None:
        zaak = session.get(Zaak, zaak_id)
        if zaak is None or zaak.klant_id is None or zaak.klant_id != notitie.klant_id:
            raise TerugbelFouten({"zaak": "Kies een zaak van de klant van deze notitie."})
    notitie = _werk_bij(session, notitie_id, door, versie=versie, statussen=ACTIEF, zaak_id=zaak_id)
    audit.log(
        session, door, ZAAK_GEKOPPELD, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=notitie.klant_id, details=str(zaak_id) if zaak_id else "ontkoppeld",
    )  # fmt: skip
    return notitie


def herverdeel(
    session: Session,
    door: Medewerker,
    notitie_id: uuid.UUID,
    naar: Doel,
    reden: str,
    nu: datetime,
    versie: int | None = None,
) -> Terugbelnotitie:
    """Move a note to another afdeling, team or person, with a reason. The deadline stays; a
    claim is released unless the note goes to its own behandelaar. History is kept."""
    reden = reden.strip()
    if not reden:
        raise TerugbelFouten({"reden": "Geef een reden, zodat de collega weet waarom."})
    if len(reden) > MAX_REDEN:
        raise TerugbelFouten({"reden": f"De reden mag hoogstens {MAX_REDEN} tekens zijn."})
    afdeling_id, team_id, medewerker_id = toewijzing(session, naar)
    notitie = laad(session, notitie_id)
    if notitie.status == TerugbelStatus.AFGEHANDELD:
        raise conflict(session, notitie_id, door)
    _vereis_eigen_of_regie(notitie, door, "herverdelen")
    van = (
        notitie.toegewezen_afdeling_id,
        notitie.toegewezen_team_id,
        notitie.toegewezen_medewerker_id,
    )
    if van == (afdeling_id, team_id, medewerker_id):
        raise OngeldigeActie("De notitie staat al daar; kies een ander team, afdeling of persoon.")
    houdt_claim = (
        notitie.status == TerugbelStatus.IN_BEHANDELING
        and medewerker_id is not None
        and notitie.behandelaar_id == medewerker_id
    )
    waarden: dict[str, Any] = {
        "toegewezen_afdeling_id": afdeling_id,
        "toegewezen_team_id": team_id,
        "toegewezen_medewerker_id": medewerker_id,
    }
    if not houdt_claim:
        waarden |= {"status": TerugbelStatus.OPEN, "behandelaar_id": None, "geclaimd_op": None}
    # the history first: on PostgreSQL a backoffice login keeps seeing a note it handed
    # over to another afdeling through it (row-level security checks the moved note)
    session.add(
        TerugbelOverdracht(
            terugbelnotitie_id=notitie_id,
            moment=nu,
            door_id=door.id,
            van_afdeling_id=van[0],
            van_team_id=van[1],
            van_medewerker_id=van[2],
            naar_afdeling_id=afdeling_id,
            naar_team_id=team_id,
            naar_medewerker_id=medewerker_id,
            reden=reden,
        )
    )
    session.flush()
    notitie = _werk_bij(
        session,
        notitie_id,
        door,
        versie=versie,
        statussen=ACTIEF,
        extra_voorwaarden=(
            _gelijk(Terugbelnotitie.toegewezen_afdeling_id, van[0]),
            _gelijk(Terugbelnotitie.toegewezen_team_id, van[1]),
            _gelijk(Terugbelnotitie.toegewezen_medewerker_id, van[2]),
        ),
        **waarden,
    )
    audit.log(
        session, door, HERVERDEELD, object_type=OBJECT_TYPE, object_id=notitie_id,
        klant_id=notitie.klant_id,
        details=f"naar {doel_label(session, afdeling_id, team_id, medewerker_id)}: {reden}",
    )  # fmt: skip
    return notitie


@dataclass
class HerverdeelResultaat:
    gelukt: list[uuid.UUID] = field(default_factory=list)
    mislukt: dict[uuid.UUID, str] = field(default_factory=dict)  # id → Dutch reason


def herverdeel_meerdere(
    session: Session,
    door: Medewerker,
    notitie_ids: Iterable[uuid.UUID],
    naar: Doel,
    reden: str,
    nu: datetime,
    versies: Mapping[uuid.UUID, int] | None = None,
) -> HerverdeelResultaat:
    """Teamlead tool: move many notes at once. Each note is moved on its own (a savepoint
    each), so one that a colleague just closed does not stop the rest. With ``versies`` (the
    versie each note had on the teamlead's screen) a note that someone changed in the meantime
    (claimed, moved, edited) is left alone and reported in ``mislukt``."""
    vereis(mag_wachtrij_sturen(door), "notities van anderen te herverdelen")
    resultaat = HerverdeelResultaat()
    for notitie_id in notitie_ids:
        versie = None if versies is None else versies.get(notitie_id)
        try:
            with session.begin_nested():
                herverdeel(session, door, notitie_id, naar, reden, nu, versie=versie)
        except TerugbelFouten:
            raise  # the same for every note (reden, doel): the form shows it
        except (TerugbelFout, GeenToegang) as exc:
            resultaat.mislukt[notitie_id] = str(exc)
        else:
            resultaat.gelukt.append(notitie_id)
    return resultaat


# ---------------------------------------------------------------------------- detail


@dataclass(frozen=True)
class PogingRegel:
    moment: datetime
    medewerker: str
    bereikt: bool
    notitie: str
    kanaal: str = "telefoon"


@dataclass(frozen=True)
class OverdrachtRegel:
    moment: datetime
    door: str
    van: str
    naar: str
    reden: str


@dataclass(frozen=True)
class TerugbelDetail:
    id: uuid.UUID
    versie: int
    status: str
    deadline: datetime
    aangemaakt_op: datetime
    aangemaakt_door: str
    klant_id: uuid.UUID | None
    klant_naam: str
    gemeente: str
    terugbelnummer: str
    terugbelnummer_e164: str | None
    extra_nummer: str
    email: str
    vraag: str
    toelichting: str
    gewenst_moment: str
    toegewezen_aan: str
    toegewezen_medewerker_id: uuid.UUID | None
    behandelaar_id: uuid.UUID | None
    behandelaar: str
    geclaimd_op: datetime | None
    eerste_contact_op: datetime | None
    afgehandeld_op: datetime | None
    uitkomst: str
    uitkomst_toelichting: str
    pogingen: list[PogingRegel]
    overdrachten: list[OverdrachtRegel]
    informatie_klant: str = ""
    zaak_id: uuid.UUID | None = None
    zaak: str = ""
    antwoorden: tuple[tuple[str, str], ...] = ()

    @property
    def alleen_lezen(self) -> bool:
        """A closed note cannot change (a teamlead can reopen it)."""
        return self.status == TerugbelStatus.AFGEHANDELD

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def mislukte_pogingen(self) -> int:
        return sum(1 for p in self.pogingen if not p.bereikt)


def detail(
    session: Session, door: Medewerker, notitie_id: uuid.UUID, *, log: bool = True
) -> TerugbelDetail:
    """Everything about one note, with its attempts and reassignments (oldest first).
    Opening it is audited (``log=False`` for a refresh by the same agent)."""
    notitie = laad(session, notitie_id)
    klant = session.get(Klant, notitie.klant_id) if notitie.klant_id else None
    gemeente = session.get(Gemeente, notitie.gemeente_id) if notitie.gemeente_id else None
    namen: dict[uuid.UUID | None, str] = {}

    def naam(medewerker_id: uuid.UUID | None) -> str:
        if medewerker_id not in namen:
            namen[medewerker_id] = _naam(session, medewerker_id)
        return namen[medewerker_id]

    pogingen = [
        PogingRegel(p.moment, naam(p.medewerker_id), p.bereikt, p.notitie, p.kanaal)
        for p in session.execute(
            select(Terugbelpoging)
            .where(Terugbelpoging.terugbelnotitie_id == notitie_id)
            .order_by(Terugbelpoging.moment)
        ).scalars()
    ]
    overdrachten = [
        OverdrachtRegel(
            o.moment,
            naam(o.door_id),
            doel_label(session, o.van_afdeling_id, o.van_team_id, o.van_medewerker_id),
            doel_label(session, o.naar_afdeling_id, o.naar_team_id, o.naar_medewerker_id),
            o.reden,
        )
        for o in session.execute(
            select(TerugbelOverdracht)
            .where(TerugbelOverdracht.terugbelnotitie_id == notitie_id)
            .order_by(TerugbelOverdracht.moment)
        ).scalars()
    ]
    if log:
        audit.log(
            session, door, GEOPEND, object_type=OBJECT_TYPE, object_id=notitie_id,
            klant_id=notitie.klant_id,
        )  # fmt: skip
    return TerugbelDetail(
        id=notitie.id,
        versie=notitie.versie,
        status=notitie.status,
        deadline=notitie.deadline,
        aangemaakt_op=notitie.aangemaakt_op,
        aangemaakt_door=naam(notitie.aangemaakt_door_id),
        klant_id=notitie.klant_id,
        klant_naam=klant.weergavenaam if klant else "",
        gemeente=gemeente.naam if gemeente else "",
        terugbelnummer=notitie.terugbelnummer,
        terugbelnummer_e164=notitie.terugbelnummer_e164,
        extra_nummer=notitie.extra_nummer,
        email=notitie.email,
        vraag=notitie.vraag,
        toelichting=notitie.toelichting,
        gewenst_moment=notitie.gewenst_moment,
        toegewezen_aan=doel_label(
            session,
            notitie.toegewezen_afdeling_id,
            notitie.toegewezen_team_id,
            notitie.toegewezen_medewerker_id,
        ),
        toegewezen_medewerker_id=notitie.toegewezen_medewerker_id,
        behandelaar_id=notitie.behandelaar_id,
        behandelaar=naam(notitie.behandelaar_id),
        geclaimd_op=notitie.geclaimd_op,
        eerste_contact_op=notitie.eerste_contact_op,
        afgehandeld_op=notitie.afgehandeld_op,
        uitkomst=notitie.uitkomst,
        uitkomst_toelichting=notitie.uitkomst_toelichting,
        pogingen=pogingen,
        overdrachten=overdrachten,
        informatie_klant=notitie.informatie_klant,
        zaak_id=notitie.zaak_id,
        zaak=_zaak_label(session, notitie.zaak_id),
        antwoorden=tuple((a.get("vraag", ""), a.get("antwoord", "")) for a in notitie.antwoorden),
    )


def _zaak_label(session: Session, zaak_id: uuid.UUID | None) -> str:
    zaak = session.get(Zaak, zaak_id) if zaak_id else None
    return f"{zaak.identificatie} · {zaak.zaaktype} ({zaak.status})" if zaak else ""
