"""Klantbeeld, contactmomenten, concept recovery and audit, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.config import Settings
from kiss.db import make_engine, session_scope
from kiss.models import Auditregel, Contactmoment
from kiss.rollen import GeenToegang
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.klant import klantbeeld
from kiss.services.klant.klantbeeld import InvoerFouten, KlantInvoer
from kiss.validation import ValidatieFout
from tests.factories import Wereld, bouw_wereld

SETTINGS = Settings()
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def wereld(engine: Engine) -> Wereld:
    return bouw_wereld(engine)


def _afgerond(
    engine: Engine, wereld: Wereld, kanaal: str, moment: datetime, onderwerp: str
) -> None:
    with session_scope(engine) as session:
        contact = contactmomenten.start(
            session,
            wereld.agent,
            kanaal=kanaal,
            gemeente="Haarlem",
            settings=SETTINGS,
            klant_id=wereld.berg.id,
            nu=moment,
        )
        contactmomenten.rond_af(
            session,
            wereld.agent,
            contact.id,
            ContactInvoer(
                onderwerp=onderwerp,
                vraag="?",
                notitie="n",
                gespreksresultaat="afgehandeld",
                afdeling_id=wereld.burgerzaken.id,
            ),
            SETTINGS,
            nu=moment + timedelta(minutes=5),
        )


def test_timeline_newest_first_all_channels_both_gemeenten_and_filter(
    engine: Engine, wereld: Wereld
) -> None:
    _afgerond(engine, wereld, "telefoon", T0, "Paspoort")
    _afgerond(engine, wereld, "e-mail", T0 + timedelta(days=1), "Grofvuil")
    with session_scope(engine) as session:
        contact = contactmomenten.start(
            session,
            wereld.collega,
            kanaal="balie",
            gemeente="Zandvoort",
            settings=SETTINGS,
            klant_id=wereld.berg.id,
            nu=T0 + timedelta(days=2),
        )
        contactmomenten.rond_af(
            session,
            wereld.collega,
            contact.id,
            ContactInvoer(
                onderwerp="Parkeren",
                gespreksresultaat="afgehandeld",
                afdeling_id=wereld.burgerzaken.id,
            ),
            SETTINGS,
            nu=T0 + timedelta(days=2),
        )
        concept = contactmomenten.start(
            session,
            wereld.agent,
            kanaal="chat",
            gemeente="Haarlem",
            settings=SETTINGS,
            klant_id=wereld.berg.id,
        )
        contactmomenten.bewaar_concept(session, concept.id, ContactInvoer(onderwerp="Nog bezig"))
    with session_scope(engine) as session:
        beeld = klantbeeld.laad(session, wereld.berg.id, wereld.agent)
        gefilterd = klantbeeld.laad(
            session, wereld.berg.id, wereld.agent, kanaal="e-mail", log=False
        )
    assert [r.onderwerp for r in beeld.tijdlijn] == ["Parkeren", "Grofvuil", "Paspoort"]
    assert [r.gemeente for r in beeld.tijdlijn] == ["Zandvoort", "Haarlem", "Haarlem"]
    assert beeld.tijdlijn[0].medewerker == "Bram Bos"
    assert beeld.tijdlijn[1].afdeling == "Burgerzaken"
    assert [r.onderwerp for r in gefilterd.tijdlijn] == ["Grofvuil"]


def test_klantbeeld_shows_identity_attention_points_zaken_and_masks_bsn(
    engine: Engine, wereld: Wereld
) -> None:
    with session_scope(engine) as session:
        beeld = klantbeeld.laad(session, wereld.berg.id, wereld.agent)
    assert beeld.naam == "Johanna van den Berg"
    assert beeld.bsn == "*****0019" and not beeld.bsn_volledig_toegestaan
    assert beeld.extra_hulp and beeld.taal == "Engels" and beeld.heeft_aandachtspunten
    assert beeld.adres == "Zijlweg 12-A, 2011 AB Haarlem"
    assert [a.weergave for a in beeld.adressen] == ["06 12345678", "j.vandenberg@voorbeeld.nl"]
    zaak = beeld.zaken[0]
    assert (zaak.status, zaak.behandelaar, str(zaak.uiterlijke_einddatum)) == (
        "in behandeling",
        "Bram Bos",
        "2026-11-26",
    )


def test_opening_a_klantbeeld_and_showing_the_bsn_are_audited(
    engine: Engine, wereld: Wereld
) -> None:
    with session_scope(engine) as session:
        klantbeeld.laad(session, wereld.berg.id, wereld.agent)
        with pytest.raises(GeenToegang):
            klantbeeld.toon_bsn(session, wereld.berg.id, wereld.agent)
        assert klantbeeld.toon_bsn(session, wereld.berg.id, wereld.privacy) == "999990019"
    with Session(engine) as session:
        regels = session.execute(select(Auditregel).order_by(Auditregel.moment)).scalars().all()
    acties = [(r.actie, r.medewerker_id, r.klant_id) for r in regels]
    assert ("klantbeeld_geopend", wereld.agent.id, wereld.berg.id) in acties
    assert ("bsn_getoond", wereld.privacy.id, wereld.berg.id) in acties
    assert not any(a == "bsn_getoond" and m == wereld.agent.id for a, m, _ in acties)


def test_add_and_correct_phone_number_validated_normalised_no_duplicates(
    engine: Engine, wereld: Wereld
) -> None:
    with session_scope(engine) as session:
        adres = klantbeeld.voeg_adres_toe(
            session, wereld.berg.id, wereld.agent, soort="telefoonnummer", waarde="023 511 4300"
        )
        assert adres.genormaliseerd == "+31235114300"
        with pytest.raises(ValidatieFout, match="staat al bij deze klant"):
            klantbeeld.voeg_adres_toe(
                session,
                wereld.berg.id,
                wereld.agent,
                soort="telefoonnummer",
                waarde="+31 6 1234 5678",
            )
        with pytest.raises(ValidatieFout, match="te kort"):
            klantbeeld.voeg_adres_toe(
                session, wereld.berg.id, wereld.agent, soort="telefoonnummer", waarde="06-123"
            )
        klantbeeld.wijzig_adres(session, adres.id, wereld.agent, waarde="023-5114301")
    with Session(engine) as session:
        acties = session.execute(select(Auditregel.details)).scalars().all()
    assert any("toegevoegd" in d for d in acties) and any("gecorrigeerd" in d for d in acties)


def test_register_klant_reports_every_bad_field_at_once(engine: Engine, wereld: Wereld) -> None:
    invoer = KlantInvoer(
        achternaam="",
        bsn="123456789",
        postcode="20111",
        telefoon="06-12",
        email="x@",
        geboortedatum="32-01-1990",
    )
    with pytest.raises(InvoerFouten) as info, session_scope(engine) as session:
        klantbeeld.registreer_klant(session, wereld.agent, invoer)
    assert set(info.value.fouten) == {
        "achternaam",
        "bsn",
        "postcode",
        "telefoon",
        "email",
        "geboortedatum",
    }
    with pytest.raises(InvoerFouten, match="al een klant met dit BSN"), session_scope(engine) as s:
        klantbeeld.registreer_klant(s, wereld.agent, KlantInvoer(achternaam="X", bsn="999990019"))


def test_afronden_validates_each_field(engine: Engine, wereld: Wereld) -> None:
    with session_scope(engine) as session:
        contact = contactmomenten.start(
            session, wereld.agent, kanaal="telefoon", gemeente="Haarlem", settings=SETTINGS
        )
        contact_id = contact.id
    with pytest.raises(InvoerFouten) as info, session_scope(engine) as session:
        contactmomenten.rond_af(
            session,
            wereld.agent,
            contact_id,
            ContactInvoer(vraag="x" * 181, notitie="y" * 1001, gespreksresultaat="afgehandeld"),
            SETTINGS,
        )
    assert set(info.value.fouten) == {"onderwerp", "vraag", "notitie", "afdeling"}
    with session_scope(engine) as session:  # terugbelnotitie needs no afdeling
        contactmomenten.rond_af(
            session,
            wereld.agent,
            contact_id,
            ContactInvoer(onderwerp="Paspoort", gespreksresultaat="terugbelnotitie gemaakt"),
            SETTINGS,
        )


def test_concept_survives_a_crash_and_is_offered_again(database_url: str, wereld: Wereld) -> None:
    first = make_engine(database_url)
    with session_scope(first) as session:
        contact = contactmomenten.start(
            session,
            wereld.agent,
            kanaal="WhatsApp",
            gemeente="Zandvoort",
            settings=SETTINGS,
            contact_nummer="06-12345678",
        )
        contactmomenten.koppel_klant(session, contact.id, wereld.berg.id)
        contactmomenten.bewaar_concept(
            session,
            contact.id,
            ContactInvoer(
                onderwerp="Paspoort", vraag="Wanneer kan ik ophalen?", notitie="half getypt"
            ),
        )
    first.dispose()  # the terminal is closed; nothing was afgerond

    second = make_engine(database_url)
    with session_scope(second) as session:
        concepten = contactmomenten.open_concepten(session, wereld.agent)
        assert contactmomenten.open_concepten(session, wereld.collega) == []
    second.dispose()
    assert len(concepten) == 1
    concept = concepten[0]
    assert (concept.kanaal, concept.gemeente, concept.klant_naam) == (
        "WhatsApp",
        "Zandvoort",
        "Johanna van den Berg",
    )
    assert (concept.vraag, concept.notitie) == ("Wanneer kan ik ophalen?", "half getypt")


def test_nog_een_vraag_shares_klant_kanaal_and_time(engine: Engine, wereld: Wereld) -> None:
    with session_scope(engine) as session:
        eerste = contactmomenten.start(
            session,
            wereld.agent,
            kanaal="telefoon",
            gemeente="Haarlem",
            settings=SETTINGS,
            klant_id=wereld.berg.id,
            nu=T0,
        )
        tweede = contactmomenten.nog_een_vraag(session, eerste.id)
        for contact, onderwerp in ((eerste, "Paspoort"), (tweede, "Afval")):
            contactmomenten.rond_af(
                session,
                wereld.agent,
                contact.id,
                ContactInvoer(
                    onderwerp=onderwerp,
                    gespreksresultaat="afgehandeld",
                    afdeling_id=wereld.burgerzaken.id,
                ),
                SETTINGS,
            )
    with Session(engine) as session:
        rows = session.execute(select(Contactmoment)).scalars().all()
    assert len(rows) == 2 and len({r.gesprek_id for r in rows}) == 1
    assert {r.klant_id for r in rows} == {wereld.berg.id}
    assert {r.gestart_op for r in rows} == {T0} and {r.onderwerp for r in rows} == {
        "Paspoort",
        "Afval",
    }
