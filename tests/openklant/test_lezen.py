"""Reading the register: a caller known only there is found and can be taken over; the
klantbeeld gets the klantcontacten made elsewhere, marked with their source."""

from __future__ import annotations

import socket

from sqlalchemy import Engine, select

from kiss.db import read_scope, session_scope
from kiss.models import DigitaalAdres, Klant, OpenklantKoppeling
from kiss.services.klant.zoeken import herken
from kiss.services.openklant import lezen, verzender
from kiss.services.openklant.config import OpenklantConfig
from tests.openklant.register import FakeOpenKlant
from tests.openklant.test_verzenden import LATER, _contact
from tests.services.test_terugbelnotities import terugbel_wereld


def _ita_partij(register: FakeOpenKlant) -> str:
    """What the backoffice app (ITA) put in the register: a resident KISS never saw."""
    r = register.register
    partij = r.maak(
        "partijen",
        {
            "soortPartij": "persoon",
            "indicatieActief": True,
            "partijIdentificatie": {"contactnaam": {"voornaam": "Ruud", "achternaam": "Jansen"}},
            "partijIdentificatoren": [
                {"partijIdentificator": {"codeObjecttype": "natuurlijk_persoon",
                 "codeSoortObjectId": "bsn", "objectId": "999990044", "codeRegister": "brp"}}
            ],
        },
    )  # fmt: skip
    for soort, adres in (("telefoonnummer", "0687654329"), ("email", "Ruud@Voorbeeld.nl")):
        r.maak(
            "digitaleadressen",
            {"verstrektDoorPartij": {"uuid": partij["uuid"]}, "adres": adres,
             "soortDigitaalAdres": soort},
        )  # fmt: skip
    kc = r.maak(
        "klantcontacten",
        {"kanaal": "e-mail", "onderwerp": "Bezwaar WOZ", "inhoud": "Via het formulier",
         "taal": "nld", "vertrouwelijk": False, "plaatsgevondenOp": "2026-10-01T08:00:00"},
    )  # fmt: skip
    r.maak(
        "betrokkenen",
        {"hadKlantcontact": {"uuid": kc["uuid"]}, "wasPartij": {"uuid": partij["uuid"]},
         "rol": "klant", "initiator": True},
    )  # fmt: skip
    return str(partij["uuid"])


def test_a_caller_only_in_the_register_is_found_taken_over_and_shows_its_contacts(
    engine: Engine, register: FakeOpenKlant, ok_config: OpenklantConfig
) -> None:
    tw = terugbel_wereld(engine)
    partij_uuid = _ita_partij(register)

    for getypt in ("06-87654329", "+31 6 87654329", "ruud@voorbeeld.nl", "999990044"):
        resultaat = lezen.zoek_voor_identificatie(engine, ok_config, herken(getypt))
        assert resultaat.melding == ""
        [partij] = resultaat.partijen
        assert (partij.uuid, partij.naam, partij.bsn) == (partij_uuid, "Ruud Jansen", "999990044")
        assert partij.alleen_in_register and partij.bron == "Open Klant"
    assert lezen.zoek_voor_identificatie(engine, ok_config, herken("06-12345670")).partijen == []

    with session_scope(engine) as session:
        klant = lezen.neem_over(session, partij)
        klant_id = klant.id
    with session_scope(engine) as session:
        assert lezen.neem_over(session, partij).id == klant_id  # taken over once
        adressen = session.execute(
            select(DigitaalAdres.genormaliseerd).where(DigitaalAdres.klant_id == klant_id)
        ).scalars()
        assert sorted(adressen) == ["+31687654329", "ruud@voorbeeld.nl"]
    [partij] = lezen.zoek_voor_identificatie(engine, ok_config, herken("999990044")).partijen
    assert partij.klant_id == klant_id and not partij.alleen_in_register

    # the agent now helps Ruud; KISS sends its own contact and reuses the partij
    with session_scope(engine) as session:
        session.get(Klant, tw.w.berg.id)  # (unrelated klant stays untouched)
    _contact_voor(engine, tw, klant_id)
    verzender.sync(engine, ok_config, nu=LATER)
    assert len(register.objecten("partijen")) == 1
    assert register.spec_fouten == []

    beeld = lezen.lees_voor_klantbeeld(engine, ok_config, klant_id)
    assert beeld.melding == ""
    [elders] = beeld.contacten  # ITA's contact, not the one KISS sent itself
    assert (elders.kanaal, elders.onderwerp, elders.bron) == ("e-mail", "Bezwaar WOZ", "Open Klant")
    assert elders.moment is not None and elders.moment.utcoffset().total_seconds() == 0


def _contact_voor(engine: Engine, tw, klant_id) -> None:  # type: ignore[no-untyped-def]
    from kiss.services.contact import contactmomenten
    from kiss.services.contact.contactmomenten import ContactInvoer
    from tests.openklant.test_verzenden import SETTINGS

    with session_scope(engine) as session:
        contact = contactmomenten.start(
            session, tw.w.agent, kanaal="telefoon", gemeente="Haarlem", settings=SETTINGS,
            klant_id=klant_id,
        )  # fmt: skip
        contactmomenten.rond_af(
            session, tw.w.agent, contact.id,
            ContactInvoer(onderwerp="WOZ", gespreksresultaat="afgehandeld",
                          afdeling_id=tw.w.burgerzaken.id),
            SETTINGS,
        )  # fmt: skip


def test_a_register_that_is_down_gives_a_message_not_an_error(engine: Engine) -> None:
    tw = terugbel_wereld(engine)
    _contact(engine, tw)
    with session_scope(engine) as session:
        session.add(
            OpenklantKoppeling(soort="klant", lokaal_id=tw.w.berg.id, extern_uuid=tw.w.berg.id)
        )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = OpenklantConfig(
        url=f"http://127.0.0.1:{sock.getsockname()[1]}/klantinteracties/api/v1", token="x"
    )
    beeld = lezen.lees_voor_klantbeeld(engine, config, tw.w.berg.id, timeout=0.5)
    zoek = lezen.zoek_voor_identificatie(engine, config, herken("06-12345678"), timeout=0.5)
    sock.close()
    assert beeld.contacten == [] and "niet te raadplegen" in beeld.melding
    assert zoek.partijen == [] and "niet te raadplegen" in zoek.melding
    with read_scope(engine) as session:
        assert session.get(Klant, tw.w.berg.id) is not None
