"""Mails that tell the backoffice in time: a new or reassigned terugbelnotitie, and a daily
reminder of notes overdue and due today.

Privacy by construction: a mail holds only the note's number, its deadline, whose queue it is
in and how to open it in KISS; never the klant's name, number, e-mail or question (the
payload is built from those fields only, see :func:`_tekst_nieuw`).

Where mail goes: the medewerker's mailbox (else their e-mail), else the team's mailbox, else
the afdeling's, following the note's assignment. Nobody with a mailbox → no mail;
:func:`geen_mailbox_melding` gives the sentence the note's screen shows.

``kiss dienst`` calls :func:`plan` every few seconds: it puts the mails that are due in the
outbox (:mod:`kiss.services.uitgaand`, soort ``mail``) under a key per note, reassignment or
day and mailbox, so a mail is planned once however often it runs; :func:`verstuur` sends them
with smtplib, retried by the outbox until the server takes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import Afdeling, Medewerker, Team, Terugbelnotitie, TerugbelStatus
from kiss.models.terugbel import TerugbelOverdracht
from kiss.models.uitgaand import Uitgaand
from kiss.services import uitgaand
from kiss.services.meldingen.instellingen import MailInstellingen
from kiss.services.terugbel.deadline import norm_uit
from kiss.services.terugbel.servicenorm import is_werkdag
from kiss.weergave import AMSTERDAM, kort_tijdstip, lang_tijdstip, lokaal

if TYPE_CHECKING:
    from email.message import EmailMessage

SOORT = "mail"
VENSTER = timedelta(days=1)
"""How far back :func:`plan` looks for new notes and reassignments (covers a dienst restart)."""
SCHEEFSTAND = timedelta(minutes=5)
"""A desk's clock may run a little ahead of the dienst's."""
OPEN = (TerugbelStatus.OPEN, TerugbelStatus.IN_BEHANDELING)
HOE_OPENEN = (
    "Openen: start KISS en kies F5 (Terugbellen); de notitie staat in de wachtrij van {wie}."
)
ZONDER_KLANTGEGEVENS = "Deze mail bevat bewust geen gegevens van de klant."


def nummer(notitie_id: uuid.UUID) -> str:
    """The short number a mail and the screen use for a note: the first 8 hex digits."""
    return notitie_id.hex[:8].upper()


@dataclass(frozen=True)
class Ontvanger:
    mailbox: str
    wie: str  # whose queue: "Bram Bos", "team Reisdocumenten", "afdeling Burgerzaken"


class _Gids:
    """Mailboxes of afdelingen, teams and medewerkers, read once per run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.afdelingen = {a.id: a for a in session.execute(select(Afdeling)).scalars()}
        self.teams = {t.id: t for t in session.execute(select(Team)).scalars()}
        self.medewerkers: dict[uuid.UUID, Medewerker | None] = {}

    def medewerker(self, id_: uuid.UUID) -> Medewerker | None:
        if id_ not in self.medewerkers:
            self.medewerkers[id_] = self.session.get(Medewerker, id_)
        return self.medewerkers[id_]

    def ontvanger(
        self,
        afdeling_id: uuid.UUID | None,
        team_id: uuid.UUID | None,
        medewerker_id: uuid.UUID | None,
    ) -> Ontvanger | None:
        if medewerker_id is not None:
            m = self.medewerker(medewerker_id)
            if m is not None and m.actief and (m.mailbox or m.email):
                return Ontvanger(m.mailbox or m.email or "", m.naam)
        team = self.teams.get(team_id) if team_id else None
        if team is not None and team.mailbox:
            return Ontvanger(team.mailbox, f"team {team.naam}")
        if afdeling_id is None and team is not None:
            afdeling_id = team.afdeling_id
        afdeling = self.afdelingen.get(afdeling_id) if afdeling_id else None
        if afdeling is not None and afdeling.mailbox:
            return Ontvanger(afdeling.mailbox, f"afdeling {afdeling.naam}")
        return None


def _van_notitie(gids: _Gids, n: Terugbelnotitie) -> Ontvanger | None:
    return gids.ontvanger(
        n.toegewezen_afdeling_id, n.toegewezen_team_id, n.toegewezen_medewerker_id
    )


def ontvanger(session: Session, notitie: Terugbelnotitie) -> Ontvanger | None:
    """Who is mailed about this note, or None when nobody along its assignment has a mailbox."""
    return _van_notitie(_Gids(session), notitie)


def geen_mailbox_melding(session: Session, notitie_id: uuid.UUID) -> str | None:
    """The warning for the note's screen when nobody will be mailed about it, else None."""
    notitie = session.get(Terugbelnotitie, notitie_id)
    if notitie is None or ontvanger(session, notitie) is not None:
        return None
    return (
        "Niemand krijgt hiervan een mail: bij deze medewerker, dit team en deze afdeling staat "
        "geen mailbox in het smoelenboek."
    )


# ---------------------------------------------------------------------------- mail texts


def _tekst_nieuw(nr: str, deadline: datetime, wie: str, herverdeeld: bool) -> dict[str, str]:
    wat = "is naar je wachtrij verplaatst" if herverdeeld else "staat klaar"
    return {
        "onderwerp": f"{'Verplaatste' if herverdeeld else 'Nieuwe'} terugbelnotitie {nr} "
        f"– deadline {kort_tijdstip(deadline)}",
        "tekst": (
            f"Terugbelnotitie {nr} {wat} (wachtrij van {wie}).\n\n"
            f"Deadline: {lang_tijdstip(deadline)}\n\n"
            f"{HOE_OPENEN.format(wie=wie)}\n\n{ZONDER_KLANTGEGEVENS}\n"
        ),
    }


def _tekst_herinnering(
    dag: date, wie: str, te_laat: list[tuple[str, datetime]], vandaag: list[tuple[str, datetime]]
) -> dict[str, str]:
    regels = [f"Terugbelnotities in de wachtrij van {wie} op {dag:%d-%m-%Y}:", ""]
    for kop, lijst in (("Te laat", te_laat), ("Deadline vandaag", vandaag)):
        if lijst:
            regels.append(f"{kop} ({len(lijst)}):")
            regels += [f"  {nr}  deadline {kort_tijdstip(d)}" for nr, d in lijst]
            regels.append("")
    regels += [HOE_OPENEN.format(wie=wie), "", ZONDER_KLANTGEGEVENS]
    return {
        "onderwerp": f"Herinnering terugbelnotities: {len(te_laat)} te laat, "
        f"{len(vandaag)} vandaag",
        "tekst": "\n".join(regels) + "\n",
    }


# ---------------------------------------------------------------------------- planning


def _plaats(
    session: Session, sleutel: str, aan: Ontvanger, inhoud: dict[str, str], nu: datetime
) -> None:
    uitgaand.plaats(
        session,
        soort=SOORT,
        sleutel=sleutel,
        groep=sleutel,  # mails do not wait for each other: a refused one blocks nothing
        payload={"aan": aan.mailbox, **inhoud},
        nu=nu,
    )


def _bestaand(session: Session, sleutels: list[str]) -> set[str]:
    gevonden: set[str] = set()
    for start in range(0, len(sleutels), 500):
        deel = sleutels[start : start + 500]
        gevonden.update(
            session.execute(
                select(Uitgaand.sleutel).where(col(Uitgaand.sleutel).in_(deel))
            ).scalars()
        )
    return gevonden


def _plan_nieuw(session: Session, gids: _Gids, nu: datetime, vanaf: datetime) -> int:
    notities = list(
        session.execute(
            select(Terugbelnotitie).where(
                col(Terugbelnotitie.aangemaakt_op) >= vanaf,
                col(Terugbelnotitie.aangemaakt_op) <= nu + SCHEEFSTAND,
                col(Terugbelnotitie.status).in_(OPEN),
            )
        ).scalars()
    )
    overdrachten = list(
        session.execute(
            select(TerugbelOverdracht, Terugbelnotitie)
            .join(Terugbelnotitie, Terugbelnotitie.id == TerugbelOverdracht.terugbelnotitie_id)
            .where(
                col(TerugbelOverdracht.moment) >= vanaf,
                col(TerugbelOverdracht.moment) <= nu + SCHEEFSTAND,
                col(Terugbelnotitie.status).in_(OPEN),
            )
        ).all()
    )
    sleutels = [f"mail:nieuw:{n.id}" for n in notities]
    sleutels += [f"mail:herverdeeld:{o.id}" for o, _n in overdrachten]
    al = _bestaand(session, sleutels)
    geplaatst = 0
    for n in notities:
        sleutel = f"mail:nieuw:{n.id}"
        if sleutel not in al and (aan := _van_notitie(gids, n)) is not None:
            _plaats(
                session, sleutel, aan, _tekst_nieuw(nummer(n.id), n.deadline, aan.wie, False), nu
            )
            geplaatst += 1
    for o, n in overdrachten:
        sleutel = f"mail:herverdeeld:{o.id}"
        aan = gids.ontvanger(o.naar_afdeling_id, o.naar_team_id, o.naar_medewerker_id)
        if sleutel not in al and aan is not None:
            _plaats(
                session, sleutel, aan, _tekst_nieuw(nummer(n.id), n.deadline, aan.wie, True), nu
            )
            geplaatst += 1
    return geplaatst


def _plan_herinneringen(
    session: Session, gids: _Gids, settings: Settings, om: time, nu: datetime
) -> int | None:
    """The day's reminders, once the reminder time has passed on a werkdag; None when it is
    not (yet) time today."""
    hier = lokaal(nu)
    dag = hier.date()
    if not is_werkdag(dag, norm_uit(settings)) or hier.time() < om:
        return None
    einde_dag = datetime.combine(dag + timedelta(days=1), time(), tzinfo=AMSTERDAM)
    per_mailbox: dict[
        str, tuple[Ontvanger, list[tuple[str, datetime]], list[tuple[str, datetime]]]
    ] = {}
    for n in session.execute(
        select(Terugbelnotitie)
        .where(col(Terugbelnotitie.status).in_(OPEN), col(Terugbelnotitie.deadline) < einde_dag)
        .order_by(col(Terugbelnotitie.deadline))
    ).scalars():
        aan = _van_notitie(gids, n)
        if aan is None:
            continue
        _, te_laat, vandaag = per_mailbox.setdefault(aan.mailbox, (aan, [], []))
        (te_laat if n.deadline < nu else vandaag).append((nummer(n.id), n.deadline))
    sleutels = {mailbox: f"mail:herinnering:{dag.isoformat()}:{mailbox}" for mailbox in per_mailbox}
    al = _bestaand(session, list(sleutels.values()))
    geplaatst = 0
    for mailbox, (aan, te_laat, vandaag) in per_mailbox.items():
        if sleutels[mailbox] not in al:
            _plaats(
                session,
                sleutels[mailbox],
                aan,
                _tekst_herinnering(dag, aan.wie, te_laat, vandaag),
                nu,
            )
            geplaatst += 1
    return geplaatst


@dataclass
class Planstand:
    """What :func:`plan` remembers between runs in one dienst process, so a run every few
    seconds only looks at what is new (after a restart it looks back :data:`VENSTER`)."""

    vorige: datetime | None = None
    herinnering_gepland: set[date] = field(default_factory=set)


def plan(
    session: Session,
    *,
    settings: Settings,
    mail: MailInstellingen,
    nu: datetime,
    stand: Planstand | None = None,
) -> int:
    """Put every mail that is due now in the outbox (idempotent); returns how many were added."""
    gids = _Gids(session)
    vanaf = nu - VENSTER
    if stand is not None and stand.vorige is not None:
        vanaf = max(vanaf, stand.vorige - SCHEEFSTAND)  # overlap: clocks and slow commits
    geplaatst = _plan_nieuw(session, gids, nu, vanaf)
    dag = lokaal(nu).date()
    if stand is None or dag not in stand.herinnering_gepland:
        herinneringen = _plan_herinneringen(session, gids, settings, mail.herinnering, nu)
        if herinneringen is not None:
            geplaatst += herinneringen
            if stand is not None:
                stand.herinnering_gepland.add(dag)
    if stand is not None:
        stand.vorige = nu
    return geplaatst


# ---------------------------------------------------------------------------- sending


def _bericht(rij: Uitgaand, mail: MailInstellingen) -> EmailMessage:
    from email.message import EmailMessage  # mail modules load in kiss dienst, not in the TUI
    from email.utils import format_datetime, make_msgid

    bericht = EmailMessage()
    bericht["From"] = mail.afzender
    bericht["To"] = rij.payload["aan"]
    bericht["Subject"] = rij.payload["onderwerp"]
    bericht["Date"] = format_datetime(rij.aangemaakt_op)
    # the same id at every attempt, so a mail server can drop a repeat after a lost reply
    bericht["Message-ID"] = make_msgid(idstring=rij.id.hex, domain="kiss.invalid")
    bericht.set_content(rij.payload["tekst"])
    return bericht


def verzender(mail: MailInstellingen) -> Callable[[Uitgaand], str | None]:
    """The outbox sender for soort ``mail``: one SMTP conversation per mail."""
    import smtplib
    import ssl

    def verzend(rij: Uitgaand) -> str | None:
        bericht = _bericht(rij, mail)
        try:
            with smtplib.SMTP(mail.host, mail.poort, timeout=mail.timeout_s) as smtp:
                if mail.starttls:
                    smtp.starttls(context=ssl.create_default_context(cafile=mail.cafile or None))
                if mail.gebruiker:
                    smtp.login(mail.gebruiker, mail.wachtwoord)
                smtp.send_message(bericht)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {code for code, _ in exc.recipients.values()}
            if all(500 <= c < 600 for c in codes):
                raise uitgaand.Geweigerd(
                    f"De mailserver weigert het adres {rij.payload['aan']} ({min(codes)})."
                ) from exc
            raise uitgaand.TijdelijkeFout(
                f"De mailserver neemt de mail nu niet aan ({min(codes)})."
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise uitgaand.TijdelijkeFout(
                f"Aanmelden bij de mailserver mislukt ({exc.smtp_code}); "
                "controleer gebruiker en wachtwoord."
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise uitgaand.TijdelijkeFout(f"De mailserver antwoordde {exc.smtp_code}.") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise uitgaand.TijdelijkeFout(
                f"Mailserver {mail.host}:{mail.poort} niet bereikbaar ({type(exc).__name__})."
            ) from exc
        return str(bericht["Message-ID"])

    return verzend


def verstuur(
    engine: Engine,
    mail: MailInstellingen,
    *,
    nu: datetime | None = None,
    klok: Callable[[], datetime] | None = None,
    max_aantal: int = 50,
) -> uitgaand.Resultaat:
    """Send the mails that are due (each at most once; failures wait and are retried)."""
    return uitgaand.verwerk(engine, SOORT, verzender(mail), nu=nu, klok=klok, max_aantal=max_aantal)


__all__ = [
    "SOORT",
    "Ontvanger",
    "Planstand",
    "geen_mailbox_melding",
    "nummer",
    "ontvanger",
    "plan",
    "verstuur",
    "verzender",
]
