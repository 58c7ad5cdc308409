"""Every search form of klant zoeken, masking, and bad input, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from kiss.services.klant.zoeken import NaamVocabulaire, ZoekSoort, herken, zoek_via_engine
from kiss.validation import ValidatieFout
from tests.factories import Wereld, bouw_wereld


@pytest.fixture
def wereld(engine: Engine) -> Wereld:
    NaamVocabulaire.voor(engine).vergeet()
    return bouw_wereld(engine)


def namen(engine: Engine, tekst: str) -> list[str]:
    with Session(engine) as session:
        _vraag, treffers = zoek_via_engine(engine, session, tekst)
    return [t.naam for t in treffers]


@pytest.mark.parametrize(
    "tekst", ["06-12345678", "0612345678", "+31 6 1234 5678", "0031612345678", "06 12 34 56 78"]
)
def test_phone_in_any_notation_finds_the_klant(engine: Engine, wereld: Wereld, tekst: str) -> None:
    assert namen(engine, tekst) == ["van den Berg, Johanna"]


def test_landline_stored_with_brackets_found_by_plain_digits(
    engine: Engine, wereld: Wereld
) -> None:
    assert namen(engine, "023-5114258") == ["Bergh, Pieter"]


def test_email_is_case_insensitive(engine: Engine, wereld: Wereld) -> None:
    assert namen(engine, "J.VanDenBerg@Voorbeeld.NL") == ["van den Berg, Johanna"]


def test_bsn_and_kvk(engine: Engine, wereld: Wereld) -> None:
    assert namen(engine, "999990019") == ["van den Berg, Johanna"]
    assert namen(engine, "9999 90 019") == ["van den Berg, Johanna"]
    assert namen(engine, "69245121") == ["Bakkerij De Zeemeeuw"]


@pytest.mark.parametrize("tekst", ["2011 AB 12", "2011ab12-a", "2011AB 12A", "2011 ab, 12 a"])
def test_postcode_and_huisnummer(engine: Engine, wereld: Wereld, tekst: str) -> None:
    assert namen(engine, tekst) == ["van den Berg, Johanna"]


def test_postcode_alone_lists_the_address_block(engine: Engine, wereld: Wereld) -> None:
    assert namen(engine, "2011AB") == ["van den Berg, Johanna", "Bergh, Pieter"]


def test_geboortedatum_and_achternaam(engine: Engine, wereld: Wereld) -> None:
    assert namen(engine, "07-07-1975 Berg") == ["van den Berg, Johanna"]
    assert namen(engine, "van den Berg 7-7-1975") == ["van den Berg, Johanna"]
    assert namen(engine, "02-01-1980 Berg") == ["Bergh, Pieter"]  # typo-tolerant surname


def test_name_with_particles_finds_berg_and_bergh(engine: Engine, wereld: Wereld) -> None:
    found = namen(engine, "van der Berg")
    assert found[0] == "van den Berg, Johanna"  # exact key first
    assert "Bergh, Pieter" in found  # one letter off
    assert namen(engine, "Berg, van den")[0] == "van den Berg, Johanna"


def test_name_with_a_typo(engine: Engine, wereld: Wereld) -> None:
    assert namen(engine, "de Vriez") == ["de Vries, Sanne"]
    assert namen(engine, "Zeemeeuw") == ["Bakkerij De Zeemeeuw"] or "Bakkerij De Zeemeeuw" in namen(
        engine, "Bakkerij Zeemeeuw"
    )


def test_first_name_narrows_the_surname(engine: Engine, wereld: Wereld) -> None:
    assert namen(engine, "Pieter Berg") == ["Bergh, Pieter"]
    assert namen(engine, "Johanna van den Berg") == ["van den Berg, Johanna"]


def test_results_mask_the_bsn_and_show_birth_year_and_street(
    engine: Engine, wereld: Wereld
) -> None:
    with Session(engine) as session:
        _vraag, treffers = zoek_via_engine(engine, session, "999990019")
    assert treffers[0].bsn_gemaskeerd == "*****0019"
    assert "999990019" not in treffers[0].regel
    assert "(1975)" in treffers[0].regel and "Zijlweg 12-A" in treffers[0].regel


def test_new_klant_is_found_before_the_vocabulary_refreshes(engine: Engine, wereld: Wereld) -> None:
    from kiss.db import session_scope
    from kiss.services.klant.klantbeeld import KlantInvoer, registreer_klant

    assert namen(engine, "Jansen") == []  # loads the vocabulary
    with session_scope(engine) as session:
        registreer_klant(session, wereld.agent, KlantInvoer(achternaam="Jansen", voornamen="Kees"))
    assert namen(engine, "Jansen") == ["Jansen, Kees"]


@pytest.mark.parametrize(
    ("tekst", "fragment"),
    [
        ("123456789", "elfproef"),
        ("1234567", "7 cijfers"),
        ("0123 AB 5", "postcode"),
        ("06-1234", "te kort"),
        ("piet@", "domein"),
        ("31-02-1990 Jansen", "geen datum"),
        ("", "Typ een naam"),
        ("van der", "tussenvoegsels"),
    ],
)
def test_bad_input_gets_a_dutch_message(tekst: str, fragment: str) -> None:
    with pytest.raises(ValidatieFout, match=fragment):
        herken(tekst)


@pytest.mark.parametrize(
    ("tekst", "soort"),
    [
        ("14 023", ZoekSoort.TELEFOON),
        ("0800-1234", ZoekSoort.TELEFOON),
        ("0612345678", ZoekSoort.TELEFOON),
        ("14334531", ZoekSoort.KVK),
        ("012345672", ZoekSoort.BSN),
        ("+32 470 12 34 56", ZoekSoort.TELEFOON),
        ("999990019", ZoekSoort.BSN),
        ("69245121", ZoekSoort.KVK),
        ("2011ab12-a", ZoekSoort.POSTCODE),
        ("07-07-1975 Berg", ZoekSoort.GEBOORTEDATUM),
        ("Çelik", ZoekSoort.NAAM),
        ('"; DROP TABLE klant; --', ZoekSoort.NAAM),
    ],
)
def test_what_was_typed_is_recognised(tekst: str, soort: ZoekSoort) -> None:
    assert herken(tekst).soort == soort


def test_sql_looking_text_is_just_a_name(engine: Engine, wereld: Wereld) -> None:
    assert namen(engine, "'; DROP TABLE klant; --") == []
    assert namen(engine, "Berg")[0] == "van den Berg, Johanna"


def test_phone_email_bsn_kvk_and_postcode_never_load_the_name_vocabulary(
    engine: Engine, wereld: Wereld
) -> None:
    vocabulaire = NaamVocabulaire.voor(engine)
    for tekst in ("06-12345678", "J.VanDenBerg@Voorbeeld.NL", "999990019", "69245121", "2011AB12"):
        assert namen(engine, tekst)
    assert vocabulaire.sleutels == []  # never read for these searches
    assert namen(engine, "de Vriez") == ["de Vries, Sanne"]  # a name search loads it
    assert "vries" in vocabulaire.sleutels


def test_a_stale_vocabulary_is_refreshed_in_the_background_never_while_searching(
    engine: Engine, wereld: Wereld, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from kiss.db import session_scope
    from kiss.services.klant.klantbeeld import KlantInvoer, registreer_klant

    vocabulaire = NaamVocabulaire.voor(engine)
    assert namen(engine, "Berg")  # first name search: loaded once
    gelezen_in: list[str] = []
    werk_bij = NaamVocabulaire._werk_bij

    def volg(self: NaamVocabulaire, session: Session) -> None:
        gelezen_in.append(threading.current_thread().name)
        werk_bij(self, session)

    monkeypatch.setattr(NaamVocabulaire, "_werk_bij", volg)
    with session_scope(engine) as session:
        registreer_klant(
            session, wereld.agent, KlantInvoer(achternaam="Kortenhoeven", voornamen="Ans")
        )
    vocabulaire.geladen_op -= 3600  # an hour old
    namen(engine, "Bos")  # answered with the old list; a refresh starts beside it
    for _ in range(200):
        if "kortenhoeven" in vocabulaire.sleutels:
            break
        time.sleep(0.02)
    assert gelezen_in == ["naamvocabulaire"]  # read by the background thread only
    assert namen(engine, "Kortenhoven") == ["Kortenhoeven, Ans"]  # a typo: from the new list


def test_a_klant_registered_here_joins_the_vocabulary_without_a_reload(
    engine: Engine, wereld: Wereld
) -> None:
    from kiss.db import session_scope
    from kiss.services.klant.klantbeeld import KlantInvoer, registreer_klant

    vocabulaire = NaamVocabulaire.voor(engine)
    assert namen(engine, "Berg")  # loaded
    with session_scope(engine) as session:
        klant = registreer_klant(
            session, wereld.agent, KlantInvoer(achternaam="Wijnbergen", voornamen="Lot")
        )
        sleutel = klant.naam_sleutel
    geladen_op = vocabulaire.geladen_op
    vocabulaire.voeg_toe(sleutel)
    assert namen(engine, "Wijnberge") == ["Wijnbergen, Lot"]  # a typo, found at once
    assert vocabulaire.geladen_op == geladen_op  # nothing was read again


def test_a_surname_many_share_lists_the_exact_name_first_then_by_first_name(
    engine: Engine, wereld: Wereld
) -> None:
    """Name search reads per key only its first rows by first name: the answer is the same
    as sorting every match (exact key first, then key, then first name)."""
    from kiss.db import session_scope
    from kiss.models import Klant

    voornamen = [f"{letter}{n:02d}" for letter in "ZYXWV" for n in range(30)]  # 150, unsorted
    with session_scope(engine) as session:
        for voornaam in voornamen:
            session.add(Klant(achternaam="Kortland", voornamen=voornaam, naam_sleutel="kortland"))
        session.add(Klant(achternaam="Kortlanx", voornamen="Ben", naam_sleutel="kortlanx"))
    NaamVocabulaire.voor(engine).vergeet()
    gevonden = namen(engine, "Kortlanx")  # exact for one, a typo away from 150 others
    assert gevonden[0] == "Kortlanx, Ben"
    assert gevonden[1:] == [f"Kortland, {v}" for v in sorted(voornamen)[:49]]
    assert namen(engine, "Kortland Z07") == ["Kortland, Z07"]  # the first name narrows


def test_logging_in_reads_the_vocabulary_in_the_background(engine: Engine, wereld: Wereld) -> None:
    """The first name search after logging in does not read the vocabulary itself."""
    import time

    from kiss.config import Settings
    from kiss.db import session_scope
    from kiss.models import Medewerker
    from kiss.werkplek import Werkplek

    vocabulaire = NaamVocabulaire.voor(engine)
    with session_scope(engine) as session:
        medewerker = session.get(Medewerker, wereld.agent.id)
    werkplek = Werkplek(engine, Settings())
    werkplek.medewerker = medewerker
    werkplek.klanten.warm_op()  # what logging in does
    for _ in range(250):
        if not vocabulaire.bezig:
            break
        time.sleep(0.02)
    assert "vries" in vocabulaire.sleutels  # read beside the agent, not in a search
    gelezen_op = vocabulaire.volledig_geladen_op
    assert werkplek.klanten.zoek("de Vriez").treffers[0].naam == "de Vries, Sanne"
    assert vocabulaire.volledig_geladen_op == gelezen_op
