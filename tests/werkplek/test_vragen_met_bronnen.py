"""Vragen met bronnen (issue 18, point 1 and 3): every question of a contact keeps its own
onderwerp, sources, result and klantsignaal; the reports count them per onderwerp, list the
questions answered without a source and count klantsignalen — on a hand-built data set with
known numbers, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, update
from sqlmodel import Session

from kiss.cli import main
from kiss.config import Settings
from kiss.models import BronSoort, Kennisartikel, Medewerker
from kiss.services.contact.bronnen import Bron
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.klant import klantbeeld
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.rapportage import vragen
from kiss.services.rapportage.normen import Periode
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, TerugbelInvoer
from kiss.werkplek import NieuwContact, Werkplek
from tests.factories import Wereld, bouw_wereld
from tests.werkplek.test_contact_werkplek import _meld_aan

NU = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday
PERIODE = Periode(date(2026, 11, 16), date(2026, 11, 22))


def _artikel(engine: Engine, wereld: Wereld) -> Kennisartikel:
    with Session(engine) as session:
        artikel = Kennisartikel(
            sleutel="paspoort",
            titel="Paspoort aanvragen",
            status="gepubliceerd",
            afdeling_id=wereld.burgerzaken.id,
        )
        session.add(artikel)
        session.commit()
        session.refresh(artikel)
        return artikel


def _klaar(wereld: Wereld, resultaat: str = "afgehandeld") -> dict[str, object]:
    return {"gespreksresultaat": resultaat, "afdeling_id": wereld.burgerzaken.id}


@pytest.fixture
def gesprekken(engine: Engine, tmp_path: Path) -> tuple[Werkplek, Wereld]:
    """Three questions in one call, a call that ends in a terugbelnotitie, and a balie visit
    in Zandvoort."""
    wereld = bouw_wereld(engine)
    artikel = _artikel(engine, wereld)
    werkplek = Werkplek(engine, Settings(), klok=lambda: NU, herstel_pad=tmp_path / "h.json")
    _meld_aan(werkplek)

    eerste = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    werkplek.gebruik_artikel(artikel.id, artikel.titel, artikel.afdeling_id)
    werkplek.voeg_bron_toe(Bron(BronSoort.LINK, "Rijksoverheid: paspoort", None, "https://x.nl"))
    invoer_a = replace(werkplek.actief.invoer, **_klaar(wereld))  # type: ignore[union-attr]
    tweede = werkplek.nog_een_vraag()
    invoer_b = ContactInvoer(
        onderwerp="Parkeren bij het stadhuis", **_klaar(wereld, "doorverbonden")
    )  # type: ignore[arg-type]
    derde = werkplek.nog_een_vraag()
    werkplek.voeg_bron_toe(Bron(BronSoort.WERKINSTRUCTIE, "Kliko kapot"), derde.id)
    invoer_c = replace(
        werkplek.actief.invoer,  # type: ignore[union-attr]
        onderwerp="Afvalcontainer",
        klantsignaal="klacht",
        signaal_categorie="container",
        **_klaar(wereld),
    )
    for contact_id, invoer in ((eerste.id, invoer_a), (tweede.id, invoer_b), (derde.id, invoer_c)):
        werkplek.afronden(contact_id, invoer)

    terug = werkplek.start_contact(NieuwContact("telefoon", "Haarlem", "0612345678")).contact
    werkplek.gebruik_artikel(artikel.id, artikel.titel, artikel.afdeling_id)
    werkplek.afronden_met_terugbelnotitie(
        terug.id,
        replace(werkplek.actief.invoer, gespreksresultaat="terugbelnotitie gemaakt"),  # type: ignore[union-attr]
        TerugbelInvoer(
            doel=Doel(DoelSoort.AFDELING, wereld.burgerzaken.id, "Burgerzaken"),
            terugbelnummer="0612345678",
            vraag="Is mijn paspoort al klaar?",
        ),
    )
    balie = werkplek.start_contact(NieuwContact("balie", "Zandvoort")).contact
    werkplek.afronden(
        balie.id,
        ContactInvoer(onderwerp="Strandhuisje", klantsignaal="compliment", **_klaar(wereld)),  # type: ignore[arg-type]
    )
    return werkplek, wereld


def test_each_question_keeps_its_sources_and_result_in_the_timeline(
    engine: Engine, gesprekken: tuple[Werkplek, Wereld]
) -> None:
    _werkplek, wereld = gesprekken
    with Session(engine) as session:
        regels = klantbeeld.tijdlijn(session, wereld.berg.id)
    per_onderwerp = {r.onderwerp: r for r in regels}
    assert per_onderwerp["Afvalcontainer"].bronnen == ("Kliko kapot (werkinstructie)",)
    assert per_onderwerp["Afvalcontainer"].klantsignaal == "klacht container"
    assert per_onderwerp["Parkeren bij het stadhuis"].bronnen == ()
    assert per_onderwerp["Parkeren bij het stadhuis"].resultaat == "doorverbonden"
    paspoort = [r for r in regels if r.onderwerp == "Paspoort aanvragen"]
    assert len(paspoort) == 2
    assert ("Paspoort aanvragen (artikel)", "Rijksoverheid: paspoort (link)") in {
        r.bronnen for r in paspoort
    }


def test_reports_per_onderwerp_without_source_and_klantsignalen(
    engine: Engine, gesprekken: tuple[Werkplek, Wereld]
) -> None:
    with Session(engine) as session:
        onderwerpen = {
            r.onderwerp: (r.vragen, r.eerste_keer_goed)
            for r in vragen.per_onderwerp(session, PERIODE)
        }
        zonder = {v.onderwerp for v in vragen.zonder_bron(session, PERIODE)}
        signalen = {
            (s.gemeente, s.soort, s.categorie, s.aantal)
            for s in vragen.klantsignalen(session, PERIODE)
        }
        alleen_zandvoort = vragen.per_onderwerp(session, PERIODE, gemeente="Zandvoort")
    assert onderwerpen == {
        "Paspoort aanvragen": (2, 1),  # the second ended in a terugbelnotitie
        "Parkeren bij het stadhuis": (1, 0),  # doorverbonden never counts as answered
        "Afvalcontainer": (1, 1),
        "Strandhuisje": (1, 1),
    }
    assert zonder == {"Parkeren bij het stadhuis", "Strandhuisje"}
    assert signalen == {("Haarlem", "klacht", "container", 1), ("Zandvoort", "compliment", "", 1)}
    assert [(r.onderwerp, r.vragen) for r in alleen_zandvoort] == [("Strandhuisje", 1)]


def test_a_signal_category_needs_a_signal(engine: Engine, tmp_path: Path) -> None:
    wereld = bouw_wereld(engine)
    werkplek = Werkplek(engine, Settings(), klok=lambda: NU, herstel_pad=tmp_path / "h.json")
    _meld_aan(werkplek)
    contact = werkplek.start_contact(NieuwContact("balie", "Haarlem")).contact
    with pytest.raises(InvoerFouten) as fout:
        werkplek.afronden(
            contact.id,
            ContactInvoer(onderwerp="Wachttijd", signaal_categorie="wachttijd", **_klaar(wereld)),  # type: ignore[arg-type]
        )
    assert "klacht, compliment, idee of melding" in fout.value.fouten["klantsignaal"]


def test_kiss_rapport_lists_questions_without_source_as_json(
    database_url: str, gesprekken: tuple[Werkplek, Wereld], capsys: pytest.CaptureFixture[str]
) -> None:
    if database_url.startswith("postgresql"):
        pytest.skip("the CLI logs in by database login; the service is tested on both above")
    with Session(create_engine(database_url)) as session:  # reports are for teamleads
        session.execute(
            update(Medewerker)
            .where(Medewerker.gebruikersnaam == "agent")
            .values(rollen="kcc;teamlead")
        )
        session.commit()
    code = main(
        [
            "--database",
            database_url,
            "--medewerker",
            "agent",
            "rapport",
            "--van",
            "2026-11-16",
            "--tot",
            "2026-11-22",
            "--onderdeel",
            "zonder-bron",
            "--json",
        ]
    )
    uitvoer = capsys.readouterr()
    assert code == 0, uitvoer.err
    regels = json.loads(uitvoer.out)["regels"]
    assert sorted(r["onderwerp"] for r in regels) == ["Parkeren bij het stadhuis", "Strandhuisje"]
