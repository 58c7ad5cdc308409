"""The kennisbank's use cases without a screen, on SQLite and PostgreSQL: search for the
active contact's gemeente, read, feedback into the redacteuren's list, and an edit found at
the next search; redacteur-only work refused for an agent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiss.db import session_scope
from kiss.models import Medewerker
from kiss.rollen import GeenToegang
from kiss.services.kennisbank.artikelen import importeer_artikelen
from kiss.services.kennisbank.formaat import ArtikelData
from kiss.services.kennisbank.zoeken import KennisbankZoeker, Zoekresultaat
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker
from kiss.werkplek import NieuwContact
from kiss.werkplek import kennisbank as werkplek_kennisbank
from kiss.werkplek.kennisbank import KennisbankAntwoord
from tests.factories import bouw_wereld
from tests.werkplek.aanmelden import werkplek_voor

NU = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ARTIKELEN = [
    ArtikelData("paspoort", "Paspoort aanvragen of verlengen",
                "Een nieuw paspoort vraagt u aan bij de balie.", "## Aanvraag\nMaak een afspraak.",
                trefwoorden=["paspoort", "verlengen"], afdeling="Burgerzaken"),
    ArtikelData("strandhuisje", "Strandhuisje huren", "Een strandhuisje voor het seizoen.",
                "Alleen in Zandvoort.", trefwoorden=["strandhuisje"], gemeenten=["Zandvoort"]),
    ArtikelData("grofvuil", "Grofvuil laten ophalen", "Grof afval halen we op afspraak op.",
                "Meld het grofvuil aan.", trefwoorden=["grofvuil", "bank", "kast"]),
]  # fmt: skip


@pytest.fixture
def artikelen(engine: Engine) -> None:
    bouw_wereld(engine)
    with session_scope(engine) as session:
        importeer_artikelen(session, ARTIKELEN)
        session.add(
            Medewerker(gebruikersnaam="redactie", achternaam="Redactie", rollen="redacteur")
        )
        session.add(
            Medewerker(gebruikersnaam="hond", voornaam="Henk", achternaam="Hout",
                       rollen="backoffice", expertise="hondenbelasting;belastingen")
        )  # fmt: skip
    KennisbankZoeker.voor(engine).vergeet()
    SmoelenboekZoeker.voor(engine).vergeet()


def test_search_follows_the_active_contacts_gemeente_and_reads_the_article(
    engine: Engine, artikelen: None, tmp_path: Path
) -> None:
    werkplek = werkplek_voor(engine, "agent", tmp_path, klok=lambda: NU)
    assert werkplek.kennisbank.gemeente() == werkplek.gemeente  # no contact: the desk's own
    treffers = werkplek.kennisbank.zoek("paspoot verlengen").treffers  # a typo
    assert treffers[0].titel == "Paspoort aanvragen of verlengen"
    artikel = werkplek.kennisbank.lees(treffers[0].id)
    assert "Maak een afspraak" in artikel.markdown and artikel.afdeling_id is not None
    werkplek.start_contact(NieuwContact("balie", "Zandvoort"))
    assert werkplek.kennisbank.gemeente() == "Zandvoort"
    titels = [t.titel for t in werkplek.kennisbank.zoek("strandhuisje").treffers]
    assert titels[:1] == ["Strandhuisje huren"]


def test_no_good_answer_offers_the_colleagues_who_know_the_subject(
    engine: Engine, artikelen: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    werkplek = werkplek_voor(engine, "agent", tmp_path, klok=lambda: NU)
    assert werkplek.kennisbank.zoek("  ") == KennisbankAntwoord("  ")
    goed = werkplek.kennisbank.zoek("paspoort verlengen")
    assert not goed.geen_goed_antwoord and goed.collegas == []
    # the verdict itself is the search's (calibrated on a real kennisbank, see
    # tests/kennisbank); here: what the werkplek does with it
    geen = Zoekresultaat([], geen_goed_antwoord=True)
    monkeypatch.setattr(werkplek_kennisbank, "zoek_kennisbank", lambda *a, **k: geen)
    typend = werkplek.kennisbank.zoek("vraag over hondenbelas", bezig=True)
    assert typend.geen_goed_antwoord and typend.bezig
    assert typend.collegas == []  # not asked on every keystroke
    klaar = werkplek.kennisbank.zoek("vraag over hondenbelasting")
    assert klaar.geen_goed_antwoord and not klaar.bezig
    assert [c.naam for c in klaar.collegas] == ["Henk Hout"]


def test_feedback_reaches_the_redacteur_who_handles_it(
    engine: Engine, artikelen: None, tmp_path: Path
) -> None:
    agent = werkplek_voor(engine, "agent", tmp_path, klok=lambda: NU)
    artikel_id = agent.kennisbank.zoek("grofvuil").treffers[0].id
    with pytest.raises(InvoerFouten) as fout:
        agent.kennisbank.geef_feedback(artikel_id, "klopt_niet", "  ")
    assert "notitie" in fout.value.fouten
    agent.kennisbank.geef_feedback(artikel_id, "verouderd", "Ophalen kost nu geld.")
    assert not agent.kennisbank.mag_bewerken()
    with pytest.raises(GeenToegang):
        agent.kennisbank.open_feedback()
    redactie = werkplek_voor(engine, "redactie", tmp_path, klok=lambda: NU)
    [regel] = redactie.kennisbank.open_feedback()
    assert regel.notitie == "Ophalen kost nu geld." and regel.van == "Anna de Wit"
    redactie.kennisbank.handel_feedback_af(regel.id)
    assert redactie.kennisbank.open_feedback() == []


def test_only_a_redacteur_edits_and_the_new_text_is_found_at_once(
    engine: Engine, artikelen: None, tmp_path: Path
) -> None:
    agent = werkplek_voor(engine, "agent", tmp_path, klok=lambda: NU)
    artikel_id = agent.kennisbank.zoek("grofvuil").treffers[0].id
    with pytest.raises(GeenToegang):
        agent.kennisbank.voor_bewerken(artikel_id)
    redactie = werkplek_voor(engine, "redactie", tmp_path, klok=lambda: NU)
    assert redactie.kennisbank.mag_bewerken()
    data = redactie.kennisbank.voor_bewerken(artikel_id)
    assert data.titel == "Grofvuil laten ophalen"
    data.titel = "Grofvuil en oud meubilair laten ophalen"
    assert redactie.kennisbank.bewerk(artikel_id, data) == artikel_id
    assert agent.kennisbank.zoek("meubilair").treffers[0].titel.startswith("Grofvuil en oud")


def test_a_found_werkinstructie_becomes_a_bron_of_the_question_with_its_soort(
    engine: Engine, artikelen: None, tmp_path: Path
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from sqlalchemy import select

    from kiss.models import Vraagbron
    from kiss.services.beheer.nieuws import NieuwsInvoer

    redactie = werkplek_voor(engine, "redactie", tmp_path, klok=lambda: NU)
    item = redactie.beheer.schrijf_bericht(NieuwsInvoer(
        "Grofvuil: milieustraat dicht op zaterdag", "Verwijs naar de ophaaldienst.",
        soort="werkinstructie", publiceren_van=NU - timedelta(hours=1),
    ))  # fmt: skip
    agent = werkplek_voor(engine, "agent", tmp_path, klok=lambda: NU)
    agent.start_contact(NieuwContact("telefoon", "Haarlem"))
    treffers = agent.kennisbank.zoek("milieustraat zaterdag").treffers
    assert (treffers[0].soort, treffers[0].id) == ("werkinstructie", item.id)
    # a text for a resident (an e-mail answer) starts from articles only
    alleen = agent.kennisbank.zoek("milieustraat zaterdag", berichten=False).treffers
    assert item.id not in {t.id for t in alleen}
    gelezen = agent.kennisbank.lees(treffers[0].id, treffers[0].soort)
    assert "ophaaldienst" in gelezen.markdown and "Werkinstructie" in gelezen.markdown
    contact = agent.kennisbank.gebruik(gelezen)
    assert [(b.soort, b.titel, b.verwijzing_id) for b in contact.invoer.bronnen] == [
        ("werkinstructie", "Grofvuil: milieustraat dicht op zaterdag", item.id)
    ]
    agent.kennisbank.gebruik(gelezen)  # used twice: recorded once
    artikel = agent.kennisbank.zoek("grofvuil").treffers
    artikel_weergave = agent.kennisbank.lees(
        next(t.id for t in artikel if t.is_artikel)
    )  # an article still becomes the onderwerp
    contact = agent.kennisbank.gebruik(artikel_weergave)
    assert contact.invoer.onderwerp == "Grofvuil laten ophalen"
    assert [b.soort for b in contact.invoer.bronnen] == ["werkinstructie", "artikel"]
    afdeling = contact.invoer.afdeling_id or _een_afdeling(engine)
    agent.afronden(contact.id, replace(contact.invoer, gespreksresultaat="afgehandeld",
                                       afdeling_id=afdeling))  # fmt: skip
    with session_scope(engine) as session:
        rijen = session.execute(select(Vraagbron).order_by(Vraagbron.volgnummer)).scalars()
        assert [(r.soort, r.verwijzing_id) for r in rijen] == [
            ("werkinstructie", item.id), ("artikel", artikel_weergave.id),
        ]  # fmt: skip
    # an agent outside the doelgroep does not find it, and cannot read it by its id
    redactie.beheer.schrijf_bericht(NieuwsInvoer(
        "Grofvuil: milieustraat dicht op zaterdag", soort="werkinstructie",
        publiceren_van=NU - timedelta(hours=1), skills=("backoffice",),
    ), item.id)  # fmt: skip
    KennisbankZoeker.voor(engine).vergeet()
    assert item.id not in {t.id for t in agent.kennisbank.zoek("milieustraat zaterdag").treffers}
    with pytest.raises(LookupError):
        agent.kennisbank.lees(item.id, "werkinstructie")


def _een_afdeling(engine: Engine):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from kiss.models import Afdeling

    with session_scope(engine) as session:
        return session.execute(select(Afdeling.id)).scalars().first()
