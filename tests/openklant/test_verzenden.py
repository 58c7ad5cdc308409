"""Contacts and terugbelnotities reach the (fake) Open Klant register: valid per the official
spec, in order, once, and nothing lost when the register fails, stalls or refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Uitgaand
from kiss.services import uitgaand
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.openklant import verzender
from kiss.services.openklant.config import OpenklantConfig
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.terugbelnotities import Uitkomst
from tests.openklant.register import FakeOpenKlant
from tests.services.test_terugbelnotities import (
    VRIJDAG,
    TerugbelWereld,
    invoer_voor,
    terugbel_wereld,
)

SETTINGS = Settings()
LATER = datetime.now(UTC) + timedelta(days=1)  # after every save in these tests


def _contact(engine: Engine, tw: TerugbelWereld, *, klant: bool = True, vragen: int = 1) -> list:
    """An agent's call with ``vragen`` questions, each closed (its own contactmoment)."""
    ids = []
    with session_scope(engine) as session:
        contact = contactmomenten.start(
            session,
            tw.w.agent,
            kanaal="telefoon",
            gemeente="Haarlem",
            settings=SETTINGS,
            contact_nummer="06-12345678",
            klant_id=tw.w.berg.id if klant else None,
            nu=VRIJDAG,
        )
        for i in range(vragen):
            if i:
                contact = contactmomenten.nog_een_vraag(session, contact.id, nu=VRIJDAG)
            contactmomenten.rond_af(
                session,
                tw.w.agent,
                contact.id,
                ContactInvoer(
                    onderwerp=f"Paspoort aanvragen ({i + 1})",
                    vraag="Hoe lang duurt het?",
                    notitie="Uitgelegd: vijf werkdagen.",
                    gespreksresultaat="afgehandeld",
                    afdeling_id=tw.w.burgerzaken.id,
                ),
                SETTINGS,
                nu=VRIJDAG,
            )
            ids.append(contact.id)
    return ids


def _sync(engine: Engine, config: OpenklantConfig, nu=LATER) -> uitgaand.Resultaat:
    return verzender.sync(engine, config, nu=nu)


def _status(engine: Engine) -> dict[str, list[str]]:
    with session_scope(engine) as session:
        rijen = session.execute(select(Uitgaand).order_by(Uitgaand.volgorde)).scalars().all()
    uit: dict[str, list[str]] = {}
    for rij in rijen:
        uit.setdefault(rij.status, []).append(rij.payload["type"])
    return uit


def test_each_question_and_the_whole_callback_arrive_valid_and_once(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    tw = terugbel_wereld(engine)
    vragen = _contact(engine, tw, vragen=2)
    with session_scope(engine) as session:
        notitie = terugbelnotities.maak_terugbelnotitie(
            session,
            tw.w.agent,
            invoer_voor(tw, contactmoment_id=vragen[1], email="j.vandenberg@voorbeeld.nl"),
            VRIJDAG,
            SETTINGS,
        )
    with session_scope(engine) as session:
        terugbelnotities.log_poging(
            session, tw.backoffice, notitie.id, False, "Voicemail", VRIJDAG + timedelta(hours=1)
        )
    with session_scope(engine) as session:
        terugbelnotities.log_poging(
            session, tw.backoffice, notitie.id, True, "Gesproken", VRIJDAG + timedelta(hours=2)
        )
    with session_scope(engine) as session:
        terugbelnotities.afhandelen(
            session,
            tw.backoffice,
            notitie.id,
            Uitkomst.GEHOLPEN,
            "Uitgelegd",
            VRIJDAG + timedelta(hours=2),
        )
    assert register.verzoeken == []  # saving never talks to the register

    resultaat = _sync(engine, ok_config)

    assert resultaat.fouten == []
    assert register.spec_fouten == []
    assert _status(engine) == {
        "verzonden": ["klantcontact", "klantcontact", "internetaak", "poging", "poging",
                      "afgehandeld"]
    }  # fmt: skip
    partijen = register.objecten("partijen")
    assert len(partijen) == 1  # found before created: one partij for all contacts
    assert partijen[0]["partijIdentificatoren"][0]["partijIdentificator"]["objectId"] == (
        "999990019"
    )
    adressen = {
        (a["soortDigitaalAdres"], a["adres"]) for a in register.objecten("digitaleadressen")
    }
    assert ("telefoonnummer", "+31612345678") in adressen
    assert ("email", "j.vandenberg@voorbeeld.nl") in adressen
    contacten = register.objecten("klantcontacten")
    # two questions + two callback attempts (the closing call is covered by the attempts)
    assert len(contacten) == 4
    onderwerpen = sorted(c["onderwerp"] for c in contacten)
    assert onderwerpen[:2] == ["Paspoort aanvragen (1)", "Paspoort aanvragen (2)"]
    gelukt = sorted(
        c["indicatieContactGelukt"] for c in contacten if c["onderwerp"].startswith("Terugbel")
    )
    assert gelukt == [False, True]
    [taak] = register.objecten("internetaken")
    assert taak["status"] == "verwerkt"
    assert taak["afgehandeldOp"]
    assert taak["toelichting"].startswith("Mijn paspoort is verlopen")
    vraag2 = next(c for c in contacten if c["onderwerp"] == "Paspoort aanvragen (2)")
    assert taak["aanleidinggevendKlantcontact"]["uuid"] == vraag2["uuid"]
    [actor] = [a for a in register.objecten("actoren") if a["uuid"] ==
               taak["toegewezenAanActoren"][0]["uuid"]]  # fmt: skip
    assert (actor["soortActor"], actor["naam"]) == ("organisatorische_eenheid", "Reisdocumenten")
    # the callback number and e-mail are addresses of the betrokkene of that contact
    betrokkene_adressen = [
        a for a in register.objecten("digitaleadressen") if a.get("verstrektDoorBetrokkene")
    ]
    assert {a["omschrijving"] for a in betrokkene_adressen} == {
        "terugbelnummer",
        "e-mail voor terugkoppeling",
    }

    # a second run sends nothing again
    aantal = len(register.verzoeken)
    assert _sync(engine, ok_config).behandeld == 0
    assert len(register.verzoeken) == aantal


def test_article_and_zaak_as_subject_medewerker_actor_and_fallback_to_the_team(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    from sqlalchemy import update

    from kiss.models import Kennisartikel, Medewerker, Zaak
    from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort

    tw = terugbel_wereld(engine)
    with session_scope(engine) as session:
        session.execute(
            update(Medewerker)
            .where(Medewerker.id == tw.w.agent.id)
            .values(telefoon="023-5114258", telefoon_e164="+31235114258", functie="KCC-agent")
        )
        artikel = Kennisartikel(sleutel="paspoort", titel="Paspoort aanvragen")
        session.add(artikel)
        session.flush()
        zaak_id = session.execute(select(Zaak.id)).scalars().first()
        contact = contactmomenten.start(
            session, tw.w.agent, kanaal="balie", gemeente="Haarlem", settings=SETTINGS,
            klant_id=tw.w.berg.id, nu=VRIJDAG,
        )  # fmt: skip
        contactmomenten.rond_af(
            session, tw.w.agent, contact.id,
            ContactInvoer(onderwerp="Paspoort aanvragen", artikel_id=artikel.id, zaak_id=zaak_id,
                          gespreksresultaat="terugbelnotitie gemaakt"),
            SETTINGS, nu=VRIJDAG,
        )  # fmt: skip
        terugbelnotities.maak_terugbelnotitie(
            session, tw.w.agent,
            invoer_voor(tw, contactmoment_id=contact.id,
                        doel=Doel(DoelSoort.MEDEWERKER, tw.backoffice.id)),
            VRIJDAG, SETTINGS,
        )  # fmt: skip

    resultaat = _sync(engine, ok_config)

    assert resultaat.fouten == [] and register.spec_fouten == []
    [kc] = register.objecten("klantcontacten")
    objecten = {
        o["onderwerpobjectidentificator"]["codeObjecttype"]: o
        for o in register.objecten("onderwerpobjecten")
    }
    assert objecten["kennisartikel"]["onderwerpobjectidentificator"]["objectId"] == str(artikel.id)
    assert objecten["zaak"]["onderwerpobjectidentificator"]["objectId"] == "ZAAK-2026-0000001"
    assert {o["klantcontact"]["uuid"] for o in objecten.values()} == {kc["uuid"]}
    [agent] = kc["hadBetrokkenActoren"]
    assert agent["soortActor"] == "medewerker"
    assert agent["actorIdentificatie"] == {
        "functie": "KCC-agent", "telefoonnummer": "+31235114258"
    }  # fmt: skip
    # Dirk has no phone number the register accepts: the note goes to his team
    [taak] = register.objecten("internetaken")
    [actor] = [a for a in register.objecten("actoren")
               if a["uuid"] == taak["toegewezenAanActoren"][0]["uuid"]]  # fmt: skip
    assert (actor["soortActor"], actor["naam"]) == ("organisatorische_eenheid", "Reisdocumenten")


def test_a_reopened_note_puts_its_internetaak_back_to_te_verwerken_and_a_second_close_closes_it(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    tw = terugbel_wereld(engine)
    [vraag] = _contact(engine, tw)
    with session_scope(engine) as session:
        notitie = terugbelnotities.maak_terugbelnotitie(
            session, tw.w.agent, invoer_voor(tw, contactmoment_id=vraag), VRIJDAG, SETTINGS
        )

    def afhandelen(uur: int) -> None:
        with session_scope(engine) as session:
            terugbelnotities.afhandelen(
                session, tw.backoffice, notitie.id, Uitkomst.GEHOLPEN, "Uitgelegd",
                VRIJDAG + timedelta(hours=uur),
            )  # fmt: skip

    def taak() -> dict:
        [enige] = register.objecten("internetaken")
        return enige

    afhandelen(1)
    assert _sync(engine, ok_config).fouten == []
    assert taak()["status"] == "verwerkt" and taak()["afgehandeldOp"]

    with session_scope(engine) as session:
        terugbelnotities.heropen(
            session, tw.teamlead, notitie.id, "Klant belde: nog niet opgelost.",
            VRIJDAG + timedelta(hours=3),
        )  # fmt: skip
    assert _sync(engine, ok_config).fouten == []
    assert (taak()["status"], taak()["afgehandeldOp"]) == ("te_verwerken", None)

    afhandelen(4)
    assert _sync(engine, ok_config).fouten == []
    assert taak()["status"] == "verwerkt" and taak()["afgehandeldOp"]
    assert register.spec_fouten == []
