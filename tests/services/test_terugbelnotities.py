"""Terugbelnotities on both backends: create, validate, claim, attempts, close, reassign,
conflicts and audit. :func:`terugbel_wereld` is shared with the queue, concurrency and TUI
tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.models import (
    Afdeling,
    Auditregel,
    Contactmoment,
    Medewerker,
    Team,
    Terugbelnotitie,
    TerugbelOverdracht,
    TerugbelStatus,
)
from kiss.rollen import GeenToegang
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.klant.klantbeeld import laad as laad_klantbeeld
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.terugbelnotities import (
    AlGeclaimd,
    AlGewijzigd,
    Doel,
    DoelSoort,
    OngeldigeActie,
    TerugbelFouten,
    TerugbelInvoer,
    Uitkomst,
)
from tests.factories import Wereld, bouw_wereld

AMS = ZoneInfo("Europe/Amsterdam")
SETTINGS = Settings()
VRIJDAG = datetime(2026, 10, 9, 15, 0, tzinfo=AMS).astimezone(UTC)  # Friday 15:00


@dataclass
class TerugbelWereld:
    w: Wereld
    backoffice: Medewerker  # Dirk Dekker, team Reisdocumenten
    teamlead: Medewerker  # Eva Smit, teamleider Reisdocumenten
    vergunningen: Team  # afdeling Vergunningen
    vergunner: Medewerker  # Frank Vos, team Vergunningen

    @property
    def team(self) -> Team:
        return self.w.team

    def doel_team(self, team: Team | None = None) -> Doel:
        return Doel(DoelSoort.TEAM, (team or self.w.team).id)


def terugbel_wereld(engine: Engine) -> TerugbelWereld:
    """The shared test world plus backoffice staff, a teamleider and a second afdeling."""
    w = bouw_wereld(engine)
    with session_scope(engine) as session:
        backoffice = Medewerker(
            gebruikersnaam="dirk",
            voornaam="Dirk",
            achternaam="Dekker",
            rollen="backoffice",
            afdeling_id=w.burgerzaken.id,
            team_id=w.team.id,
        )
        teamlead = Medewerker(
            gebruikersnaam="eva",
            voornaam="Eva",
            achternaam="Smit",
            rollen="backoffice;teamlead",
            afdeling_id=w.burgerzaken.id,
            team_id=w.team.id,
        )
        afdeling = Afdeling(naam="Vergunningen")
        session.add_all([backoffice, teamlead, afdeling])
        session.flush()
        vergunningen = Team(naam="Omgevingsvergunningen", afdeling_id=afdeling.id)
        session.add(vergunningen)
        session.flush()
        vergunner = Medewerker(
            gebruikersnaam="frank",
            voornaam="Frank",
            achternaam="Vos",
            rollen="backoffice",
            team_id=vergunningen.id,  # no afdeling of their own: taken from the team
        )
        session.add(vergunner)
    return TerugbelWereld(w, backoffice, teamlead, vergunningen, vergunner)


def invoer_voor(tw: TerugbelWereld, **velden: object) -> TerugbelInvoer:
    basis: dict[str, object] = {
        "doel": tw.doel_team(),
        "terugbelnummer": "06-12345678",
        "vraag": "Mijn paspoort is verlopen, kan ik nog op vakantie?",
        "toelichting": "Klant is slechthorend: spreek rustig.",
        "gewenst_moment": "na 14:00",
        "gemeente": "Haarlem",
        "klant_id": tw.w.berg.id,
    }
    basis.update(velden)
    return TerugbelInvoer(**basis)  # type: ignore[arg-type]


def maak(
    engine: Engine, tw: TerugbelWereld, nu: datetime = VRIJDAG, **velden: object
) -> Terugbelnotitie:
    with session_scope(engine) as session:
        return terugbelnotities.maak_terugbelnotitie(
            session, tw.w.agent, invoer_voor(tw, **velden), nu, SETTINGS
        )


@pytest.fixture
def tw(engine: Engine) -> TerugbelWereld:
    return terugbel_wereld(engine)


# ---------------------------------------------------------------------------- create


def test_create_normalises_numbers_routes_and_computes_the_deadline(
    engine: Engine, tw: TerugbelWereld
) -> None:
    notitie = maak(engine, tw, extra_nummer="0031 23 511 4258", email=" J.Berg@Voorbeeld.NL ")
    assert notitie.terugbelnummer == "06-12345678"
    assert notitie.terugbelnummer_e164 == "+31612345678"
    assert notitie.extra_nummer_e164 == "+31235114258"
    assert notitie.email == "j.berg@voorbeeld.nl"
    assert notitie.toegewezen_team_id == tw.team.id
    assert notitie.toegewezen_afdeling_id == tw.w.burgerzaken.id  # team implies afdeling
    assert notitie.toegewezen_medewerker_id is None
    assert notitie.deadline == datetime(2026, 10, 13, 15, 0, tzinfo=AMS)  # Tuesday 15:00
    assert notitie.status == TerugbelStatus.OPEN and notitie.versie == 1
    with read_scope(engine) as session:
        opgeslagen = session.get(Terugbelnotitie, notitie.id)
        assert opgeslagen is not None and opgeslagen.deadline == notitie.deadline
        assert opgeslagen.vraag.startswith("Mijn paspoort")  # the klant's words …
        assert opgeslagen.toelichting.startswith("Klant is slechthorend")  # … apart from ours
        acties = session.execute(
            select(Auditregel.actie).where(Auditregel.object_id == str(notitie.id))
        ).scalars()
        assert list(acties) == ["terugbelnotitie_aangemaakt"]


def test_a_medewerker_target_implies_team_and_afdeling(engine: Engine, tw: TerugbelWereld) -> None:
    voor_bram = maak(engine, tw, doel=Doel(DoelSoort.MEDEWERKER, tw.w.collega.id))
    assert voor_bram.toegewezen_medewerker_id == tw.w.collega.id
    assert voor_bram.toegewezen_team_id == tw.team.id
    assert voor_bram.toegewezen_afdeling_id == tw.w.burgerzaken.id
    voor_frank = maak(engine, tw, doel=Doel(DoelSoort.MEDEWERKER, tw.vergunner.id))
    assert voor_frank.toegewezen_team_id == tw.vergunningen.id
    assert voor_frank.toegewezen_afdeling_id == tw.vergunningen.afdeling_id
    voor_afdeling = maak(engine, tw, doel=Doel(DoelSoort.AFDELING, tw.w.burgerzaken.id))
    assert voor_afdeling.toegewezen_team_id is None


def test_validation_reports_every_field_in_dutch(engine: Engine, tw: TerugbelWereld) -> None:
    with session_scope(engine) as session, pytest.raises(TerugbelFouten) as fout:
        terugbelnotities.maak_terugbelnotitie(
            session,
            tw.w.agent,
            TerugbelInvoer(
                terugbelnummer="06-1234",
                extra_nummer="hallo",
                email="jan@",
                vraag="x" * 1001,
                toelichting="y" * 1001,
                gemeente="Bloemendaal",
            ),
            VRIJDAG,
            SETTINGS,
        )
    fouten = fout.value.fouten
    assert "afdeling, een team of een medewerker" in fouten["doel"]
    assert "te kort" in fouten["terugbelnummer"]
    assert "geen letters" in fouten["extra_nummer"]
    assert "domein" in fouten["email"] or "niet geldig" in fouten["email"]
    assert "hoogstens 1000 tekens" in fouten["vraag"]
    assert "hoogstens 1000 tekens" in fouten["toelichting"]
    assert "Onbekende gemeente" in fouten["gemeente"]
    with session_scope(engine) as session, pytest.raises(TerugbelFouten) as fout:
        terugbelnotities.maak_terugbelnotitie(
            session, tw.w.agent, invoer_voor(tw, terugbelnummer="", vraag=" "), VRIJDAG, SETTINGS
        )
    assert set(fout.value.fouten) == {"terugbelnummer", "vraag"}
    with read_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Terugbelnotitie)).scalar() == 0


def test_proposal_from_a_contactmoment(engine: Engine, tw: TerugbelWereld) -> None:
    with session_scope(engine) as session:
        contact = contactmomenten.start(
            session,
            tw.w.agent,
            kanaal="telefoon",
            gemeente="Haarlem",
            settings=SETTINGS,
            contact_nummer="023 511 4258",
            klant_id=tw.w.berg.id,
            nu=VRIJDAG,
        )
        contactmomenten.rond_af(
            session,
            tw.w.agent,
            contact.id,
            ContactInvoer(
                onderwerp="Paspoort aanvragen",
                vraag="Spoedaanvraag paspoort",
                notitie="Vertrekt volgende week",
                gespreksresultaat="terugbelnotitie gemaakt",
            ),
            SETTINGS,
            nu=VRIJDAG,
        )
        anoniem = contactmomenten.start(
            session,
            tw.w.agent,
            kanaal="telefoon",
            gemeente="Zandvoort",
            settings=SETTINGS,
            contact_nummer="+31 6 11122233",
            nu=VRIJDAG,
        )
    with read_scope(engine) as session:
        voorstel = terugbelnotities.voorstel_uit_contactmoment(session, contact.id)
        leeg = terugbelnotities.voorstel_uit_contactmoment(session, anoniem.id)
    assert voorstel.terugbelnummer == "06-12345678"  # the klant's preferred number
    assert voorstel.email == "j.vandenberg@voorbeeld.nl"
    assert voorstel.vraag == "Paspoort aanvragen\nSpoedaanvraag paspoort\nVertrekt volgende week"
    assert voorstel.gemeente == "Haarlem"
    assert voorstel.klant_id == tw.w.berg.id and voorstel.klant_naam == "Johanna van den Berg"
    assert voorstel.contactmoment_id == contact.id
    assert leeg.terugbelnummer == "+31 6 11122233"  # caller-ID when there is no klant
    assert leeg.klant_id is None and leeg.gemeente == "Zandvoort"
    # making the note marks the contact: it no longer counts as answered the first time
    with session_scope(engine) as session:
        voorstel.doel = Doel(DoelSoort.TEAM, tw.w.team.id)
        terugbelnotities.maak_terugbelnotitie(session, tw.w.agent, voorstel, VRIJDAG, SETTINGS)
    with read_scope(engine) as session:
        assert session.get(Contactmoment, contact.id).terugbelnotitie_gemaakt  # type: ignore[union-attr]
        assert not session.get(Contactmoment, anoniem.id).terugbelnotitie_gemaakt  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- lifecycle


def test_claim_attempts_and_close_write_the_outgoing_contactmoment(
    engine: Engine, tw: TerugbelWereld
) -> None:
    notitie = maak(engine, tw)
    t1 = VRIJDAG + timedelta(hours=1)
    with session_scope(engine) as session:
        geclaimd = terugbelnotities.claim(session, tw.backoffice, notitie.id, t1, versie=1)
        assert geclaimd.status == TerugbelStatus.IN_BEHANDELING
        assert geclaimd.behandelaar_id == tw.backoffice.id and geclaimd.versie == 2
    with session_scope(engine) as session:
        terugbelnotities.log_poging(session, tw.backoffice, notitie.id, False, "Voicemail", t1)
    with session_scope(engine) as session:
        assert terugbelnotities.laad(session, notitie.id).eerste_contact_op is None
        t2 = t1 + timedelta(hours=2)
        terugbelnotities.log_poging(session, tw.backoffice, notitie.id, True, "Gesproken", t2)
        assert terugbelnotities.laad(session, notitie.id).eerste_contact_op == t2
    t3 = t1 + timedelta(hours=3)
    with session_scope(engine) as session:
        contact = terugbelnotities.afhandelen(
            session,
            tw.backoffice,
            notitie.id,
            Uitkomst.GEHOLPEN,
            "Uitgelegd dat een noodpaspoort kan.",
            t3,
            versie=4,
        )
    assert contact.kanaal == "telefoon" and contact.richting == "uitgaand"
    assert contact.status == "afgerond" and contact.gespreksresultaat == Uitkomst.GEHOLPEN
    assert contact.klant_id == tw.w.berg.id and contact.medewerker_id == tw.backoffice.id
    assert contact.gestart_op == t1 and contact.beeindigd_op == t3
    with read_scope(engine) as session:
        detail = terugbelnotities.detail(session, tw.backoffice, notitie.id, log=False)
        beeld = laad_klantbeeld(session, tw.w.berg.id, tw.w.agent, log=False)
    assert detail.status == TerugbelStatus.AFGEHANDELD and detail.afgehandeld_op == t3
    assert detail.eerste_contact_op == t2  # not moved by closing
    assert [p.bereikt for p in detail.pogingen] == [False, True]
    assert detail.pogingen[0].medewerker == "Dirk Dekker"
    assert detail.uitkomst_toelichting == "Uitgelegd dat een noodpaspoort kan."
    regel = next(r for r in beeld.tijdlijn if r.id == contact.id)  # the klant's timeline
    assert regel.richting == "uitgaand" and regel.resultaat == Uitkomst.GEHOLPEN
    assert not beeld.open_notities
    with read_scope(engine) as session:
        acties = list(
            session.execute(
                select(Auditregel.actie)
                .where(Auditregel.object_id == str(notitie.id))
                .order_by(Auditregel.moment)
            ).scalars()
        )
    assert acties == [
        "terugbelnotitie_aangemaakt",
        "terugbelnotitie_geclaimd",
        "terugbelpoging_gelogd",
        "terugbelpoging_gelogd",
        "terugbelnotitie_afgehandeld",
    ]


def test_not_reached_counts_the_attempts_and_needs_one(engine: Engine, tw: TerugbelWereld) -> None:
    notitie = maak(engine, tw)
    with session_scope(engine) as session, pytest.raises(OngeldigeActie, match="belpoging"):
        terugbelnotities.afhandelen(
            session, tw.backoffice, notitie.id, Uitkomst.NIET_BEREIKT, "", VRIJDAG
        )
    for uur in (1, 2, 3):
        with session_scope(engine) as session:
            terugbelnotities.log_poging(
                session, tw.backoffice, notitie.id, False, "", VRIJDAG + timedelta(hours=uur)
            )
    with session_scope(engine) as session:
        contact = terugbelnotities.afhandelen(
            session, tw.backoffice, notitie.id, "niet bereikt, brief of e-mail gestuurd",
            "Brief verstuurd", VRIJDAG + timedelta(hours=4),
        )  # fmt: skip
    assert contact.gespreksresultaat == "niet bereikt na 3 pogingen, brief of e-mail gestuurd"
    assert contact.contact_gelukt is False


def test_forwarding_needs_a_target(engine: Engine, tw: TerugbelWereld) -> None:
    notitie = maak(engine, tw)
    with session_scope(engine) as session, pytest.raises(TerugbelFouten) as fout:
        terugbelnotities.afhandelen(
            session, tw.backoffice, notitie.id, Uitkomst.DOORGEZET, "", VRIJDAG
        )
    assert "doorgezet_naar" in fout.value.fouten
    with session_scope(engine) as session:
        contact = terugbelnotities.afhandelen(
            session, tw.backoffice, notitie.id, Uitkomst.DOORGEZET, "", VRIJDAG,
            doorgezet_naar="UWV",
        )  # fmt: skip
    assert contact.gespreksresultaat == "doorgezet naar UWV"


def test_release_puts_the_note_back(engine: Engine, tw: TerugbelWereld) -> None:
    notitie = maak(engine, tw)
    with session_scope(engine) as session:
        terugbelnotities.claim(session, tw.backoffice, notitie.id, VRIJDAG)
    with session_scope(engine) as session, pytest.raises(GeenToegang):
        terugbelnotities.vrijgeven(session, tw.w.collega, notitie.id, VRIJDAG)
    with session_scope(engine) as session:
        vrij = terugbelnotities.vrijgeven(session, tw.backoffice, notitie.id, VRIJDAG)
    assert vrij.status == TerugbelStatus.OPEN and vrij.behandelaar_id is None
    with session_scope(engine) as session, pytest.raises(OngeldigeActie):
        terugbelnotities.vrijgeven(session, tw.backoffice, notitie.id, VRIJDAG)
    with session_scope(engine) as session:  # a teamleider may release someone else's claim
        terugbelnotities.claim(session, tw.backoffice, notitie.id, VRIJDAG)
        terugbelnotities.vrijgeven(session, tw.teamlead, notitie.id, VRIJDAG)


def test_reassignment_keeps_deadline_and_history(engine: Engine, tw: TerugbelWereld) -> None:
    notitie = maak(engine, tw)
    with session_scope(engine) as session:
        terugbelnotities.claim(session, tw.backoffice, notitie.id, VRIJDAG)
    later = VRIJDAG + timedelta(days=1)
    naar = Doel(DoelSoort.TEAM, tw.vergunningen.id)
    with session_scope(engine) as session, pytest.raises(TerugbelFouten, match="reden"):
        terugbelnotities.herverdeel(session, tw.backoffice, notitie.id, naar, " ", later)
    with session_scope(engine) as session:
        verplaatst = terugbelnotities.herverdeel(
            session, tw.backoffice, notitie.id, naar, "Gaat over een dakkapel", later
        )
    assert verplaatst.deadline == notitie.deadline  # the clock does not reset
    assert verplaatst.toegewezen_team_id == tw.vergunningen.id
    assert verplaatst.toegewezen_afdeling_id == tw.vergunningen.afdeling_id
    assert verplaatst.status == TerugbelStatus.OPEN and verplaatst.behandelaar_id is None
    with session_scope(engine) as session:
        terugbelnotities.herverdeel(
            session,
            tw.vergunner,
            notitie.id,
            Doel(DoelSoort.MEDEWERKER, tw.vergunner.id),
            "Pak ik zelf op",
            later + timedelta(hours=1),
        )
    with session_scope(engine) as session:
        detail = terugbelnotities.detail(session, tw.vergunner, notitie.id)
        overdrachten = session.execute(select(TerugbelOverdracht)).scalars().all()
    assert len(overdrachten) == 2
    assert [(o.van, o.naar) for o in detail.overdrachten] == [
        ("team Reisdocumenten", "team Omgevingsvergunningen"),
        ("team Omgevingsvergunningen", "Frank Vos (Omgevingsvergunningen)"),
    ]
    assert detail.overdrachten[0].reden == "Gaat over een dakkapel"
    assert detail.overdrachten[0].door == "Dirk Dekker"
    assert detail.deadline == notitie.deadline
    with session_scope(engine) as session, pytest.raises(OngeldigeActie):
        terugbelnotities.herverdeel(
            session, tw.vergunner, notitie.id, Doel(DoelSoort.MEDEWERKER, tw.vergunner.id),
            "nog eens", later,
        )  # fmt: skip


def test_personal_notes_and_bulk_reassignment(engine: Engine, tw: TerugbelWereld) -> None:
    persoonlijk = maak(engine, tw, doel=Doel(DoelSoort.MEDEWERKER, tw.w.collega.id))
    with session_scope(engine) as session, pytest.raises(GeenToegang, match="Bram Bos"):
        terugbelnotities.claim(session, tw.backoffice, persoonlijk.id, VRIJDAG)
    andere = [maak(engine, tw).id for _ in range(3)]
    with session_scope(engine) as session:
        terugbelnotities.afhandelen(
            session, tw.backoffice, andere[0], Uitkomst.GEHOLPEN, "", VRIJDAG
        )
    naar = Doel(DoelSoort.MEDEWERKER, tw.backoffice.id)
    with session_scope(engine) as session, pytest.raises(GeenToegang):
        terugbelnotities.herverdeel_meerdere(
            session, tw.backoffice, [persoonlijk.id, *andere], naar, "Bram is ziek", VRIJDAG
        )
    with session_scope(engine) as session:
        resultaat = terugbelnotities.herverdeel_meerdere(
            session, tw.teamlead, [persoonlijk.id, *andere], naar, "Bram is ziek", VRIJDAG
        )
    assert resultaat.gelukt == [persoonlijk.id, *andere[1:]]
    assert "afgehandeld" in resultaat.mislukt[andere[0]]
    with read_scope(engine) as session:
        for notitie_id in resultaat.gelukt:
            opgeslagen = session.get(Terugbelnotitie, notitie_id)
            assert opgeslagen is not None
            assert opgeslagen.toegewezen_medewerker_id == tw.backoffice.id
            assert opgeslagen.versie == 2


# ---------------------------------------------------------------------------- conflicts


def test_a_second_claim_gets_a_dutch_message_naming_the_winner(
    engine: Engine, tw: TerugbelWereld
) -> None:
    notitie = maak(engine, tw)
    with session_scope(engine) as session:
        terugbelnotities.claim(session, tw.backoffice, notitie.id, VRIJDAG, versie=1)
    with session_scope(engine) as session, pytest.raises(AlGeclaimd) as fout:
        terugbelnotities.claim(session, tw.teamlead, notitie.id, VRIJDAG, versie=1)
    assert str(fout.value) == "Deze terugbelnotitie is zojuist door Dirk Dekker opgepakt."


def test_a_stale_version_never_overwrites(engine: Engine, tw: TerugbelWereld) -> None:
    notitie = maak(engine, tw)
    with session_scope(engine) as session:  # Eva moves it while Dirk still looks at version 1
        terugbelnotities.herverdeel(
            session, tw.teamlead, notitie.id, Doel(DoelSoort.AFDELING, tw.w.burgerzaken.id),
            "Breder oppakken", VRIJDAG,
        )  # fmt: skip
    with session_scope(engine) as session, pytest.raises(AlGewijzigd, match="Eva Smit"):
        terugbelnotities.claim(session, tw.backoffice, notitie.id, VRIJDAG, versie=1)
    with read_scope(engine) as session:
        opgeslagen = session.get(Terugbelnotitie, notitie.id)
        assert opgeslagen is not None
        assert opgeslagen.status == TerugbelStatus.OPEN and opgeslagen.versie == 2


def test_two_sessions_closing_the_same_note_exactly_one_wins(
    engine: Engine, tw: TerugbelWereld
) -> None:
    notitie = maak(engine, tw)
    with session_scope(engine) as session:
        terugbelnotities.claim(session, tw.backoffice, notitie.id, VRIJDAG)
    winnaars: list[str] = []
    meldingen: list[str] = []
    for wie, tekst in ((tw.backoffice, "eerste"), (tw.teamlead, "tweede")):
        try:
            with session_scope(engine) as session:
                terugbelnotities.afhandelen(
                    session, wie, notitie.id, Uitkomst.GEHOLPEN, tekst, VRIJDAG, versie=2
                )
            winnaars.append(tekst)
        except AlGewijzigd as exc:
            meldingen.append(str(exc))
    assert winnaars == ["eerste"]
    assert meldingen == ["Deze terugbelnotitie is zojuist afgehandeld door Dirk Dekker."]
    with read_scope(engine) as session:
        contacten = session.execute(
            select(func.count())
            .select_from(Contactmoment)
            .where(Contactmoment.richting == "uitgaand")
        ).scalar()
        assert contacten == 1
        opgeslagen = session.get(Terugbelnotitie, notitie.id)
        assert opgeslagen is not None and opgeslagen.uitkomst_toelichting == "eerste"


def test_unknown_note(engine: Engine, tw: TerugbelWereld) -> None:
    with session_scope(engine) as session, pytest.raises(terugbelnotities.NotitieNietGevonden):
        terugbelnotities.claim(session, tw.backoffice, uuid.uuid4(), VRIJDAG)
