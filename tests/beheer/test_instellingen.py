"""The organisation's settings in the database: taken over once, saved by a beheerder with an
audit of old → new, picked up by a running werkplek, exported and imported as TOML."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.config import Gespreksresultaat, Organisatie, Settings
from kiss.models import Auditregel, Gemeente, OrganisatieInstellingen
from kiss.rollen import GeenToegang
from kiss.services.beheer import instellingen
from kiss.services.beheer.instellingen import Verouderd
from kiss.validation import InvoerFouten
from tests.beheer.conftest import bouw_beheerwereld, meld_aan, werkplek


def _met_label(org: Organisatie, code: str, label: str) -> Organisatie:
    return replace(
        org,
        gespreksresultaten=tuple(
            replace(r, label=label) if r.code == code else r for r in org.gespreksresultaten
        ),
    )


def _audit(engine: Engine, actie: str) -> list[Auditregel]:
    with Session(engine) as session:
        return list(session.exec(select(Auditregel).where(Auditregel.actie == actie)).scalars())


def test_without_stored_settings_the_defaults_apply_and_nothing_is_written(
    engine: Engine, tmp_path: Path
) -> None:
    bouw_beheerwereld(engine)
    agent = werkplek(engine, tmp_path)
    meld_aan(agent, "agent")
    assert agent.beheer.versie == 0 and agent.beheer.melding is None
    assert agent.settings.kanalen == Organisatie().kanalen
    with Session(engine) as session:
        assert session.get(OrganisatieInstellingen, 1) is None


def test_old_kiss_toml_values_are_taken_over_once_with_a_message(
    engine: Engine, tmp_path: Path
) -> None:
    bouw_beheerwereld(engine)
    oud = replace(
        Settings(kanalen=("telefoon", "balie", "duif")),
        oude_organisatie=("kanalen",),
    )
    eerste = werkplek(engine, tmp_path, oud)
    meld_aan(eerste, "beheer")
    assert eerste.beheer.melding and "staan nu in de database" in eerste.beheer.melding
    assert eerste.settings.kanalen == ("telefoon", "balie", "duif")
    assert eerste.beheer.versie == 1
    assert len(_audit(engine, instellingen.INSTELLINGEN_OVERGENOMEN)) == 1

    # another desk with a different old kiss.toml: the database wins, the file is named
    ander = replace(Settings(kanalen=("post",)), oude_organisatie=("kanalen",))
    tweede = werkplek(engine, tmp_path, ander)
    meld_aan(tweede, "beheer")
    assert tweede.settings.kanalen == ("telefoon", "balie", "duif")
    assert tweede.beheer.melding and "niet meer gebruikt" in tweede.beheer.melding
    assert len(_audit(engine, instellingen.INSTELLINGEN_OVERGENOMEN)) == 1


def test_beheerder_saves_audited_and_a_running_werkplek_picks_it_up(
    engine: Engine, tmp_path: Path
) -> None:
    bouw_beheerwereld(engine)
    beheer = werkplek(engine, tmp_path)
    meld_aan(beheer, "beheer")
    lopend = werkplek(engine, tmp_path)  # a second running KISS (not logged in is fine)
    assert lopend.beheer.peil().instellingen_gewijzigd  # first look
    assert not lopend.beheer.peil().instellingen_gewijzigd  # nothing new

    stand = beheer.beheer.instellingen()
    nieuw = _met_label(stand.organisatie, "zaak aangemaakt", "Zaak gestart")
    opgeslagen = beheer.beheer.bewaar(nieuw, stand.versie)
    assert opgeslagen.versie == 1
    assert beheer.settings.resultaat("zaak aangemaakt").label == "Zaak gestart"  # type: ignore[union-attr]

    assert lopend.beheer.peil().instellingen_gewijzigd
    assert lopend.settings.resultaat("zaak aangemaakt").label == "Zaak gestart"  # type: ignore[union-attr]
    regels = _audit(engine, instellingen.INSTELLINGEN_GEWIJZIGD)
    assert len(regels) == 1
    assert '"Zaak aangemaakt" → "Zaak gestart"' in regels[0].details
    assert "gespreksresultaten[zaak aangemaakt].label" in regels[0].details
    assert regels[0].medewerker_id is not None

    # a colleague's save in between is refused, not overwritten
    with pytest.raises(Verouderd, match="intussen gewijzigd"):
        beheer.beheer.bewaar(_met_label(nieuw, "afgehandeld", "Klaar"), stand.versie)


def test_new_gemeente_gets_its_row(engine: Engine, tmp_path: Path) -> None:
    bouw_beheerwereld(engine)
    beheer = werkplek(engine, tmp_path)
    meld_aan(beheer, "beheer")
    stand = beheer.beheer.instellingen()
    org = replace(
        stand.organisatie, gemeenten=(*stand.organisatie.gemeenten, ("Bloemendaal", "0377"))
    )
    beheer.beheer.bewaar(org, stand.versie)
    with Session(engine) as session:
        namen = set(session.exec(select(Gemeente.naam)).scalars())
    assert "Bloemendaal" in namen


def test_agent_may_not_change_settings(engine: Engine, tmp_path: Path) -> None:
    bouw_beheerwereld(engine)
    agent = werkplek(engine, tmp_path)
    meld_aan(agent, "agent")
    with pytest.raises(GeenToegang):
        agent.beheer.instellingen()
    with pytest.raises(GeenToegang):
        agent.beheer.bewaar(_met_label(Organisatie(), "afgehandeld", "Klaar"), 0)


def test_rules_give_a_dutch_message_per_setting(engine: Engine, tmp_path: Path) -> None:
    bouw_beheerwereld(engine)
    beheer = werkplek(engine, tmp_path)
    meld_aan(beheer, "beheer")
    fout_org = replace(
        Organisatie(),
        servicenorm=replace(Organisatie().servicenorm, uren=0, soort="maanden"),
        gespreksresultaten=(Gespreksresultaat("afgehandeld", "Afgehandeld", True),),
        kanalen=("telefoon", "Telefoon"),
        bewaartermijn_audit_dagen=10,
    )
    with pytest.raises(InvoerFouten) as fout:
        beheer.beheer.bewaar(fout_org, 0)
    velden = fout.value.fouten
    assert "tussen 1 en" in velden["servicenorm.uren"]
    assert "werkdagen" in velden["servicenorm.soort"]
    assert "moet blijven bestaan" in velden["gespreksresultaten"]
    assert "twee keer" in velden["kanalen"]
    assert "bewaartermijn" in velden
    with pytest.raises(InvoerFouten) as fout:
        beheer.beheer.lees_toml("[servicenorm]\nuren = 'veel'\n")
    assert "heel getal" in fout.value.fouten["servicenorm.uren"]


def test_toml_round_trip_keeps_every_setting() -> None:
    from datetime import date

    from kiss.config import Link, ServicenormInstelling

    org = replace(
        Organisatie(),
        servicenorm=ServicenormInstelling(36, "kalender", (date(2026, 5, 15),), True, 6),
        skills=("reisdocumenten", "parkeren"),
        links=(Link("Landelijk", "Rijksoverheid", "https://www.rijksoverheid.nl"),
               Link("Nummers", "Politie \"geen spoed\"", "0900-8844")),
    )  # fmt: skip
    assert instellingen.uit_toml(instellingen.naar_toml(org, kop="export")) == org


def test_unreadable_stored_settings_keep_kiss_working_until_saved_again(
    engine: Engine, tmp_path: Path
) -> None:
    bouw_beheerwereld(engine)
    with Session(engine) as session:
        session.add(OrganisatieInstellingen(id=1, inhoud={"servicenorm": {"uren": "x"}}, versie=3))
        session.commit()
    beheer = werkplek(engine, tmp_path)
    meld_aan(beheer, "beheer")
    assert beheer.beheer.melding and "onleesbaar" in beheer.beheer.melding
    assert beheer.settings.servicenorm.uren == 48  # this session keeps working
    stand = beheer.beheer.instellingen()
    assert stand.versie == 3
    assert beheer.beheer.bewaar(stand.organisatie, stand.versie).versie == 4
    assert not beheer.beheer.peil().instellingen_gewijzigd or beheer.beheer.versie == 4
