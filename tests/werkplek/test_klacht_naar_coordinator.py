"""A question marked as klacht goes to the klachtencoördinator when it is afgerond (issue 18):
one terugbelnotitie per klacht-question, in the same transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from kiss.config import Doelverwijzing, Organisatie, Settings
from kiss.db import make_engine, session_scope
from kiss.models import (
    Afdeling,
    Auditregel,
    BronSoort,
    Contactmoment,
    ContactmomentStatus,
    Medewerker,
    Team,
    Terugbelnotitie,
    Vraagbron,
)
from kiss.models.uitgaand import Uitgaand
from kiss.services.contact.bronnen import Bron
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.telefonie import dienststatus
from kiss.services.terugbel import klachten
from kiss.services.terugbel.deadline import bereken_deadline
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, TerugbelInvoer
from kiss.services.terugbel.wachtrij import WachtrijSoort
from kiss.werkplek import NieuwContact, Werkplek
from tests.factories import Wereld, bouw_wereld
from tests.werkplek.aanmelden import werkplek_voor
from tests.werkplek.test_contact_werkplek import NU

KLACHTEN = Doelverwijzing("team", "Klachten")


@dataclass
class Klachtenwereld:
    wereld: Wereld
    bestuur: Afdeling
    team: Team
    coordinator: Medewerker


def _bouw(engine: Engine) -> Klachtenwereld:
    wereld = bouw_wereld(engine)
    with session_scope(engine) as session:
        bestuur = Afdeling(naam="Bestuurszaken")
        session.add(bestuur)
        session.flush()
        team = Team(naam="Klachten", afdeling_id=bestuur.id)
        session.add(team)
        session.flush()
        coordinator = Medewerker(
            gebruikersnaam="kklaassen", voornaam="Karin", achternaam="Klaassen",
            rollen="backoffice", afdeling_id=bestuur.id, team_id=team.id,
        )  # fmt: skip
        session.add(coordinator)
    return Klachtenwereld(wereld, bestuur, team, coordinator)


def _agent(
    engine: Engine, tmp_path: Path, coordinator: Doelverwijzing | None = KLACHTEN
) -> Werkplek:
    """The agent's desk; the organisation's klachtencoördinator as if a beheerder set it."""
    settings = Settings() if coordinator is None else Settings(klachtencoordinator=coordinator)
    return werkplek_voor(engine, "agent", tmp_path, lambda: NU, settings)


def _klacht(wereld: Wereld, **velden: object) -> ContactInvoer:
    invoer = ContactInvoer(
        onderwerp="Paspoort verlengen",
        vraag="De baliemedewerker was onvriendelijk",
        notitie="Klant wil excuses van de gemeente",
        gespreksresultaat="afgehandeld",
        afdeling_id=wereld.burgerzaken.id,
        klantsignaal="klacht",
        signaal_categorie="bejegening",
    )
    return replace(invoer, **velden)  # type: ignore[arg-type]


def _notities(engine: Engine, team_id: uuid.UUID | None = None) -> list[Terugbelnotitie]:
    with Session(engine) as session:
        query = select(Terugbelnotitie).order_by(Terugbelnotitie.vraag)
        if team_id is not None:
            query = query.where(Terugbelnotitie.toegewezen_team_id == team_id)
        return list(session.execute(query).scalars())


def test_a_klacht_goes_to_the_klachtencoordinator_with_number_klant_and_deadline(
    engine: Engine, tmp_path: Path
) -> None:
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path)
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    assert contact.klant_id == kw.wereld.berg.id

    afgerond = agent.afronden(contact.id, _klacht(kw.wereld))

    assert afgerond.klacht is not None
    assert afgerond.klacht.melding.startswith(
        "Klacht doorgezet naar de klachtencoördinator (team Klachten); opvolgen uiterlijk "
    )
    assert not afgerond.klacht.waarschuwing
    [notitie] = _notities(engine)
    assert notitie.id == afgerond.klacht.notitie_id
    assert (notitie.toegewezen_team_id, notitie.toegewezen_afdeling_id) == (
        kw.team.id,
        kw.bestuur.id,
    )
    assert notitie.klant_id == kw.wereld.berg.id
    assert notitie.contactmoment_id == contact.id
    assert notitie.terugbelnummer == "06-12345678"  # the klant's preferred number
    assert notitie.email == "j.vandenberg@voorbeeld.nl"
    assert notitie.vraag.splitlines() == [
        "Klacht: Paspoort verlengen (bejegening)",
        "De baliemedewerker was onvriendelijk",
    ]
    assert notitie.toelichting.startswith("Klant wil excuses van de gemeente")
    assert "Anna de Wit markeerde deze vraag als klacht" in notitie.toelichting
    assert notitie.deadline == bereken_deadline(NU, agent.settings)
    assert notitie.aangemaakt_door_id == kw.wereld.agent.id
    with Session(engine) as session:
        cm = session.get(Contactmoment, contact.id)
        assert cm is not None and cm.status == ContactmomentStatus.AFGEROND
        # the question was answered: the klacht does not spoil the first-contact resolution
        assert cm.terugbelnotitie_gemaakt is False
        audit = session.execute(
            select(Auditregel.details).where(Auditregel.object_id == str(notitie.id))
        ).scalar_one()
        assert audit == "voor team Klachten (automatisch)"

    # the klachtencoördinator finds it in the team's queue like any other note
    karin = werkplek_voor(engine, "kklaassen", tmp_path, lambda: NU)
    stand = karin.terugbel.wachtrij(WachtrijSoort.TEAM)
    assert stand.pagina is not None
    assert [r.vraag for r in stand.pagina.regels] == ["Klacht: Paspoort verlengen (bejegening)"]


def test_no_note_without_a_klachtencoordinator_or_for_other_signals(
    engine: Engine, tmp_path: Path
) -> None:
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path, coordinator=None)
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    assert agent.afronden(contact.id, _klacht(kw.wereld)).klacht is None

    agent.settings = replace(agent.settings, klachtencoordinator=KLACHTEN)  # a beheerder set it
    for signaal in ("compliment", "idee", "melding", ""):
        contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
        invoer = _klacht(kw.wereld, klantsignaal=signaal, signaal_categorie="")
        assert agent.afronden(contact.id, invoer).klacht is None
    assert _notities(engine) == []


def test_two_klacht_questions_in_one_contact_make_two_notes(engine: Engine, tmp_path: Path) -> None:
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path)
    eerste = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    tweede = agent.nog_een_vraag(eerste.id)
    derde = agent.nog_een_vraag(eerste.id)

    agent.afronden(eerste.id, _klacht(kw.wereld))
    agent.afronden(
        tweede.id,
        _klacht(kw.wereld, onderwerp="Parkeervergunning", vraag="Drie weken geen antwoord",
                signaal_categorie="wachttijd"),
    )  # fmt: skip
    agent.afronden(derde.id, _klacht(kw.wereld, klantsignaal="compliment", signaal_categorie=""))

    notities = _notities(engine, kw.team.id)
    assert [n.vraag.splitlines()[0] for n in notities] == [
        "Klacht: Parkeervergunning (wachttijd)",
        "Klacht: Paspoort verlengen (bejegening)",
    ]
    assert {n.contactmoment_id for n in notities} == {eerste.id, tweede.id}


def test_a_question_the_agent_already_routed_to_the_klachtencoordinator_gets_no_second_note(
    engine: Engine, tmp_path: Path
) -> None:
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path)
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    eigen = TerugbelInvoer(
        doel=Doel(DoelSoort.TEAM, kw.team.id, "Team Klachten"),
        terugbelnummer="023 511 42 58",
        vraag="Klacht over de balie, wil teruggebeld worden",
    )
    invoer = _klacht(kw.wereld, gespreksresultaat="terugbelnotitie gemaakt", afdeling_id=None)
    afgerond = agent.afronden_met_terugbelnotitie(contact.id, invoer, eigen)

    assert afgerond.klacht is not None
    assert afgerond.klacht.notitie_id == afgerond.notitie_id
    assert "staat al bij de klachtencoördinator (team Klachten)" in afgerond.klacht.melding
    [notitie] = _notities(engine)
    assert notitie.vraag == "Klacht over de balie, wil teruggebeld worden"

    # routed elsewhere: the klachtencoördinator still gets the klacht, on the number just typed
    ander = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    eigen = replace(
        eigen, doel=Doel(DoelSoort.AFDELING, kw.wereld.burgerzaken.id, "Afdeling Burgerzaken")
    )
    afgerond = agent.afronden_met_terugbelnotitie(ander.id, invoer, eigen)
    assert afgerond.klacht is not None and afgerond.klacht.notitie_id != afgerond.notitie_id
    klacht = next(n for n in _notities(engine, kw.team.id) if n.contactmoment_id == ander.id)
    assert klacht.terugbelnummer == "023 511 42 58"


def test_without_a_number_the_note_is_made_and_the_agent_is_told(
    engine: Engine, tmp_path: Path
) -> None:
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path)
    contact = agent.start_contact(NieuwContact("balie", "Haarlem")).contact  # anonymous

    afgerond = agent.afronden(contact.id, _klacht(kw.wereld))

    assert afgerond.klacht is not None and afgerond.klacht.waarschuwing
    assert "Klacht doorgezet naar de klachtencoördinator (team Klachten)" in (
        afgerond.klacht.melding
    )
    assert "geen terugbelnummer of e-mailadres van de klant bekend" in afgerond.klacht.melding
    [notitie] = _notities(engine)
    assert (notitie.terugbelnummer, notitie.terugbelnummer_e164, notitie.email) == ("", None, "")
    assert notitie.klant_id is None
    assert "Geen terugbelnummer bekend en geen e-mail." in notitie.toelichting
    with Session(engine) as session:
        cm = session.get(Contactmoment, contact.id)
        assert cm is not None and cm.status == ContactmomentStatus.AFGEROND

    # only an e-mail known (a klant without a phone number): the coordinator mails
    mail = agent.start_contact(NieuwContact("e-mail", "Zandvoort", "info@zeemeeuw-demo.nl"))
    assert mail.contact.klant_id == kw.wereld.bakkerij.id
    afgerond = agent.afronden(mail.contact.id, _klacht(kw.wereld))
    assert afgerond.klacht is not None
    assert "de klachtencoördinator mailt naar info@zeemeeuw-demo.nl" in afgerond.klacht.melding


def test_refused_afronden_makes_no_note_and_a_failed_transaction_keeps_neither(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path)
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    with pytest.raises(InvoerFouten):
        agent.afronden(contact.id, _klacht(kw.wereld, onderwerp=""))
    assert _notities(engine) == []

    echte = klachten.zet_door

    def en_dan_valt_de_database_weg(*args: object, **kwargs: object) -> object:
        echte(*args, **kwargs)  # type: ignore[arg-type]
        raise ConnectionError("verbinding verbroken")

    monkeypatch.setattr(klachten, "zet_door", en_dan_valt_de_database_weg)
    with pytest.raises(ConnectionError):
        agent.afronden(contact.id, _klacht(kw.wereld))
    assert _notities(engine) == []
    with Session(engine) as session:
        cm = session.get(Contactmoment, contact.id)
        assert cm is not None and cm.status == ContactmomentStatus.CONCEPT
    monkeypatch.setattr(klachten, "zet_door", echte)

    assert agent.afronden(contact.id, _klacht(kw.wereld)).klacht is not None  # typed text kept
    assert len(_notities(engine)) == 1


def test_a_klachtencoordinator_who_left_never_costs_the_afronden(
    engine: Engine, tmp_path: Path
) -> None:
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path, Doelverwijzing("medewerker", "kklaassen"))
    with session_scope(engine) as session:
        karin = session.get(Medewerker, kw.coordinator.id)
        assert karin is not None
        karin.actief = False
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact

    afgerond = agent.afronden(contact.id, _klacht(kw.wereld))

    assert afgerond.klacht is not None and afgerond.klacht.waarschuwing
    assert afgerond.klacht.melding.startswith(
        "Klacht NIET doorgezet naar de klachtencoördinator (medewerker kklaassen): "
        "Medewerker 'kklaassen' (Karin Klaassen) is niet meer actief"
    )
    assert "Het contactmoment is wel afgerond" in afgerond.klacht.melding
    assert _notities(engine) == []
    with Session(engine) as session:
        assert session.execute(
            select(func.count()).select_from(Contactmoment).where(
                Contactmoment.status == ContactmomentStatus.AFGEROND
            )
        ).scalar_one() == 1  # fmt: skip


def test_a_beheerder_sets_the_klachtencoordinator_and_a_running_desk_uses_it(
    engine: Engine, tmp_path: Path
) -> None:
    kw = _bouw(engine)
    with session_scope(engine) as session:
        session.add(Medewerker(gebruikersnaam="beheer", achternaam="Heer", rollen="beheerder"))
    agent = _agent(engine, tmp_path, coordinator=None)
    assert not agent.settings.klachtencoordinator.ingesteld
    beheer = werkplek_voor(engine, "beheer", tmp_path, lambda: NU)

    stand = beheer.beheer.instellingen()
    org = replace(stand.organisatie, klachtencoordinator=Doelverwijzing("medewerker", "kklaassen"))
    beheer.beheer.bewaar(org, stand.versie)

    assert agent.beheer.peil().instellingen_gewijzigd  # within the 2-second check
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    afgerond = agent.afronden(contact.id, _klacht(kw.wereld))
    assert afgerond.klacht is not None
    assert "(Karin Klaassen (Klachten))" in afgerond.klacht.melding
    [notitie] = _notities(engine)
    assert notitie.toegewezen_medewerker_id == kw.coordinator.id
    assert Organisatie().klachtencoordinator == Doelverwijzing()  # default: not set


def test_with_kiss_dienst_running_the_agent_hears_when_nobody_is_mailed(
    engine: Engine, tmp_path: Path
) -> None:
    kw = _bouw(engine)
    with session_scope(engine) as session:
        dienststatus.gestart(session, NU)  # kiss dienst mails the backoffice
    agent = _agent(engine, tmp_path)
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    afgerond = agent.afronden(contact.id, _klacht(kw.wereld))
    assert afgerond.klacht is not None and afgerond.klacht.waarschuwing
    assert afgerond.klacht.melding.endswith("Niemand krijgt hiervan een mail: bij deze medewerker, "
                                            "dit team en deze afdeling staat geen mailbox in het "
                                            "smoelenboek.")  # fmt: skip

    with session_scope(engine) as session:
        team = session.get(Team, kw.team.id)
        assert team is not None
        team.mailbox = "klachten@gemeente.test"
    tweede = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    afgerond = agent.afronden(tweede.id, _klacht(kw.wereld))
    assert afgerond.klacht is not None and not afgerond.klacht.waarschuwing


def test_an_agents_own_login_may_make_the_klacht_note_under_the_grants(
    database_url: str, als_medewerker: Callable[..., list[str]], tmp_path: Path
) -> None:
    """On PostgreSQL the database enforces what a login may: the agent's own login (group role
    kcc) saves a question with its sources and makes the klachtencoördinator's note for another
    afdeling while closing the contact. Before, closing any contact failed there: the sources
    are replaced at every save and the agent role could not delete them."""
    if not database_url.startswith("postgresql"):
        pytest.skip("rechten in de database bestaan alleen op PostgreSQL")
    eigenaar = make_engine(database_url)
    try:
        kw = _bouw(eigenaar)
        login = als_medewerker(naam="agent")[1]
        als_agent = make_engine(login)
        try:
            agent = Werkplek(
                als_agent, Settings(klachtencoordinator=KLACHTEN), klok=lambda: NU,
                herstel_pad=tmp_path / "herstel.json",
            )  # fmt: skip
            assert agent.aanmelden().medewerker.id == kw.wereld.agent.id
            contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678"))
            bron = Bron(BronSoort.LINK, "Klachtenregeling", url="https://www.haarlem.nl/klacht")
            invoer = _klacht(kw.wereld, bronnen=(bron,))
            agent.werk_bij(contact.contact.id, invoer)
            assert agent.bewaar_concepten() == 1
            afgerond = agent.afronden(contact.contact.id, _klacht(kw.wereld, bronnen=(bron,)))
            assert afgerond.klacht is not None and afgerond.klacht.nieuw
            assert afgerond.klacht.melding.startswith(
                "Klacht doorgezet naar de klachtencoördinator"
            )
            with als_agent.begin() as conn:  # a finished question's sources stay, even in psql
                assert conn.execute(text("DELETE FROM vraagbron")).rowcount == 0
        finally:
            als_agent.dispose()
        [notitie] = _notities(eigenaar)
        assert notitie.toegewezen_afdeling_id == kw.bestuur.id  # not the agent's afdeling
        with Session(eigenaar) as session:
            assert session.execute(select(Vraagbron.titel)).scalars().all() == ["Klachtenregeling"]
    finally:
        eigenaar.dispose()


def test_with_open_klant_switched_on_the_klacht_note_joins_the_outbox(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KISS_OPENKLANT_URL", "http://127.0.0.1:9/klantinteracties/api/v1")
    kw = _bouw(engine)
    agent = _agent(engine, tmp_path)
    contact = agent.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    afgerond = agent.afronden(contact.id, _klacht(kw.wereld))
    assert afgerond.klacht is not None
    with Session(engine) as session:
        sleutels = set(session.execute(select(Uitgaand.sleutel)).scalars())
    assert f"openklant:internetaak:{afgerond.klacht.notitie_id}" in sleutels  # like any note
