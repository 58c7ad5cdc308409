"""Smoelenboek import: CSV and vCard, per-row errors, broken files, re-import reporting."""
# ruff: noqa: E501  (CSV fixture rows are long by nature)

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Afdeling, ExterneOrganisatie, Medewerker, Team
from kiss.services.smoelenboek.importeren import SmoelenboekVerslag, importeer
from kiss.services.smoelenboek.vcard import splits_voorvoegsel

KOP = (
    "personeelsnummer,voornaam,voorvoegsel,achternaam,functie,afdeling,team,telefoon,mobiel,"
    "email,expertise,locatie,werkdagen,afwezig_van,afwezig_tot,afwezig_reden,vervanger,"
    "niet_doorverbinden,rollen"
)


def _vul(*regels: str) -> str:
    """Medewerker rows padded to the full column count (a spreadsheet writes every field)."""
    breedte = KOP.count(",")
    return "\n".join(r + "," * (breedte - r.count(",")) for r in regels)


def _schrijf(pad: Path, tekst: str, encoding: str = "utf-8") -> Path:
    pad.write_text(tekst.strip() + "\n", encoding=encoding)
    return pad


def _basis(map_: Path) -> Path:
    map_.mkdir(exist_ok=True)
    _schrijf(
        map_ / "afdelingen.csv",
        """
naam,ouder,telefoon,email,openingstijden,omschrijving
Publiekszaken,,14 023,publiekszaken@haarlem.nl,ma-vr 9-17,Paspoorten en verhuizingen
Vergunningen,,023-5115000,,ma-vr 9-16,Omgevingsvergunningen
""",
    )
    _schrijf(
        map_ / "teams.csv",
        """
naam,afdeling,telefoon,email
Reisdocumenten,Publiekszaken,023 511 4100,
Omgeving,Vergunningen,,omgeving@haarlem.nl
""",
    )
    _schrijf(
        map_ / "medewerkers.csv",
        KOP
        + """
H001,Jan,van der,Berg,Vergunningverlener,Vergunningen,Omgeving,023-5114001,06-11112222,jan.vanderberg@haarlem.nl,omgevingsvergunning;bouwen,Stadhuis,ma;di;wo;do,,,,H002,nee,backoffice
H002,Fatima,,El Amrani,Jurist,Vergunningen,Omgeving,(023) 511 4002,,f.elamrani@haarlem.nl,bezwaar;omgevingsvergunning,Zijlpoort,ma;di;wo;do;vr,2026-06-01,2026-06-14,vakantie,,ja,backoffice
H003,Piet,,Jansen,Baliemedewerker,Publiekszaken,Reisdocumenten,+31 23 511 4003,,p.jansen@haarlem.nl,paspoort;rijbewijs,Stadhuis,,,,,,,kcc
""",
    )
    _schrijf(
        map_ / "externe_organisaties.csv",
        """
naam,telefoon,website,openingstijden,onderwerpen
UWV,0900-9294,https://uwv.nl,ma-vr 8-17,WW; ziektewet; WIA
SVB,030 264 9000,https://svb.nl,ma-vr 8-17,AOW;kinderbijslag
""",
    )
    return map_


def _importeer(engine: Engine, pad: Path, **kwargs: object) -> SmoelenboekVerslag:
    with session_scope(engine) as session:
        return importeer(session, pad, **kwargs)  # type: ignore[arg-type]


def _medewerkers(engine: Engine) -> dict[str, Medewerker]:
    with Session(engine) as session:
        return {
            m.personeelsnummer or m.email or "": m
            for m in session.execute(select(Medewerker)).scalars()
        }


def test_good_folder_loads_everything(engine: Engine, tmp_path: Path) -> None:
    verslag = _importeer(engine, _basis(tmp_path / "sb"))
    assert verslag.fouten == []
    assert verslag.toegevoegd == 2 + 2 + 3 + 2
    mw = _medewerkers(engine)
    jan = mw["H001"]
    assert (jan.voorvoegsel, jan.achternaam, jan.telefoon_e164) == (
        "van der",
        "Berg",
        "+31235114001",
    )
    assert jan.mobiel_e164 == "+31611112222"
    assert jan.vervanger_id == mw["H002"].id
    assert jan.werkdagen == "ma;di;wo;do"
    fatima = mw["H002"]
    assert fatima.niet_doorverbinden and fatima.afwezig_reden == "vakantie"
    assert fatima.afwezig_van == date(2026, 6, 1)
    assert mw["H003"].werkdagen == "ma;di;wo;do;vr" and mw["H003"].rollen == "kcc"
    with Session(engine) as session:
        uwv = session.execute(
            select(ExterneOrganisatie).where(ExterneOrganisatie.naam == "UWV")
        ).scalar_one()
        assert uwv.telefoon_e164 == "+319009294" and uwv.onderwerpen == "WW;ziektewet;WIA"
        team = session.execute(select(Team).where(Team.naam == "Omgeving")).scalar_one()
        afdeling = session.get(Afdeling, team.afdeling_id)
        assert afdeling is not None and afdeling.naam == "Vergunningen"


def test_broken_rows_are_reported_and_valid_rows_still_load(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    _schrijf(
        map_ / "medewerkers.csv",
        KOP
        + """
H001,Jan,van der,Berg,Vergunningverlener,Vergunningen,Omgeving,023-51,,jan@haarlem.nl,,,,,,,,,
H002,Fatima,,El Amrani,Jurist,Onbekende Afdeling,,,,f@haarlem.nl,,,,,,,,,
H003,Piet,,Jansen,Balie,Publiekszaken,,,,p.jansen@haarlem.nl,,,ma;vrijdag,,,,,,
H004,Kees,,Vos,Balie,Publiekszaken,,,,kees@haarlem,,,,,,,,,
H005,Els,,Smit,Balie,Publiekszaken,,,,els@haarlem.nl,,,,2026-02-30,,,,,
H006,Ans,,Kok,Balie,Publiekszaken,,,,ans@haarlem.nl,,,,,,,H999,,
H007,Rob,,Mol,Balie,Publiekszaken,Reisdocumenten,06 1234 5678,,rob@haarlem.nl,,,,,,,,,
""",
    )
    verslag = _importeer(engine, map_)
    meldingen = {f.regel: f.melding for f in verslag.fouten}
    assert all(f.bestand == "medewerkers.csv" for f in verslag.fouten)
    assert "telefoon '023-51'" in meldingen[2] and "te kort" in meldingen[2]
    assert "onbekende afdeling 'Onbekende Afdeling'" in meldingen[3]
    assert "werkdagen" in meldingen[4]
    assert "e-mail 'kees@haarlem'" in meldingen[5]
    assert "geen datum" in meldingen[6]
    assert "onbekende vervanger 'H999'" in meldingen[7]
    assert "medewerkers.csv, regel 2: telefoon" in str(verslag.fouten[0])
    mw = _medewerkers(engine)
    assert set(mw) == {"H006", "H007"}  # the row with an unknown vervanger still loads
    assert mw["H007"].mobiel_e164 is None and mw["H007"].telefoon_e164 == "+31612345678"


def test_broken_file_imports_nothing_of_that_file(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    tekst = (map_ / "medewerkers.csv").read_text()
    regels = tekst.splitlines()
    regels[3] = regels[3] + ',"extra veld'  # ragged: an unclosed quote and too many fields
    (map_ / "medewerkers.csv").write_text("\n".join(regels) + "\n")
    verslag = _importeer(engine, map_)
    [fout] = verslag.bestandsfouten
    assert fout.bestand == "medewerkers.csv" and fout.regel == 4
    assert str(fout).startswith("medewerkers.csv, regel 4: ")
    assert str(fout).endswith("niets uit dit bestand geïmporteerd")
    assert _medewerkers(engine) == {}  # not the two good rows before it either
    with Session(engine) as session:  # the other files did load
        assert session.execute(select(func.count()).select_from(Afdeling)).scalar_one() == 2
        assert (
            session.execute(select(func.count()).select_from(ExterneOrganisatie)).scalar_one() == 2
        )
    assert "1 bestand(en) niet geïmporteerd" in verslag.samenvatting


def test_bad_encoding_and_missing_columns_are_file_errors(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    (map_ / "medewerkers.csv").write_bytes(
        (KOP + "\n").encode() + "H001,José,,Peña,,Vergunningen,,,,j@h.nl\n".encode("latin-1")
    )
    (map_ / "externe_organisaties.csv").write_text("organisatie,telefoon\nUWV,0900-9294\n")
    verslag = _importeer(engine, map_)
    fouten = {f.bestand: f for f in verslag.bestandsfouten}
    assert fouten["medewerkers.csv"].regel == 2 and "UTF-8" in fouten["medewerkers.csv"].melding
    assert "kolom(men) ontbreken: naam" in fouten["externe_organisaties.csv"].melding
    assert _medewerkers(engine) == {}
    assert verslag.verwijderd == 0


def test_reimport_reports_added_changed_unchanged_and_removed(
    engine: Engine, tmp_path: Path
) -> None:
    map_ = _basis(tmp_path / "sb")
    _importeer(engine, map_)
    regels = (map_ / "medewerkers.csv").read_text().splitlines()
    regels[1] = regels[1].replace("Vergunningverlener", "Senior vergunningverlener")
    del regels[3]  # H003 left
    regels.append(
        "H004,Kim,,de Groot,Jurist,Vergunningen,,,,kim@haarlem.nl,handhaving,,,,,,,,backoffice"
    )
    (map_ / "medewerkers.csv").write_text("\n".join(regels) + "\n")
    verslag = _importeer(engine, map_)
    assert verslag.fouten == []
    assert (verslag.toegevoegd, verslag.gewijzigd, verslag.verwijderd) == (1, 1, 1)
    assert verslag.ongewijzigd == 2 + 2 + 1 + 2  # afdelingen, teams, H002, organisaties
    assert verslag.verwijderd_namen == ["Piet Jansen"]
    mw = _medewerkers(engine)
    assert mw["H003"].actief is False  # kept for history, not deleted
    assert mw["H001"].functie == "Senior vergunningverlener"

    zonder_kim = [r for r in regels if not r.startswith("H004")]
    zonder_kim.append("H003,Piet,,Jansen,Balie,Publiekszaken,,,,p.jansen@haarlem.nl,,,,,,,,,")
    (map_ / "medewerkers.csv").write_text("\n".join(zonder_kim) + "\n")
    terug = _importeer(engine, map_)
    assert (terug.verwijderd, terug.verwijderd_namen) == (1, ["Kim de Groot"])
    assert _medewerkers(engine)["H003"].actief is True  # back again
    assert terug.gewijzigd == 1


def test_row_with_error_does_not_count_as_removed(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    _importeer(engine, map_)
    regels = (map_ / "medewerkers.csv").read_text().splitlines()
    regels[3] = regels[3].replace("+31 23 511 4003", "12345")
    (map_ / "medewerkers.csv").write_text("\n".join(regels) + "\n")
    verslag = _importeer(engine, map_)
    assert [f.regel for f in verslag.fouten] == [4]
    assert verslag.verwijderd == 0 and _medewerkers(engine)["H003"].actief


def test_single_file_is_not_a_full_import_unless_asked(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    _importeer(engine, map_)
    los = _schrijf(
        tmp_path / "nieuw.csv",
        KOP + "\n" + _vul("H010,Noor,,Visser,Adviseur,Publiekszaken,,,,noor@haarlem.nl"),
    )
    verslag = _importeer(engine, los)
    assert (verslag.toegevoegd, verslag.verwijderd) == (1, 0)
    verslag = _importeer(engine, los, volledig=True)
    assert verslag.verwijderd == 3 and verslag.ongewijzigd == 1


def test_vervanger_change_alone_counts_as_changed(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    _importeer(engine, map_)
    regels = (map_ / "medewerkers.csv").read_text().splitlines()
    regels[1] = regels[1].replace(",H002,", ",H003,")
    (map_ / "medewerkers.csv").write_text("\n".join(regels) + "\n")
    verslag = _importeer(engine, map_ / "medewerkers.csv")
    assert (verslag.gewijzigd, verslag.ongewijzigd) == (1, 2)
    mw = _medewerkers(engine)
    assert mw["H001"].vervanger_id == mw["H003"].id


def test_duplicate_keys_in_one_file_are_reported(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    _schrijf(
        map_ / "medewerkers.csv",
        KOP
        + "\n"
        + _vul(
            "H001,Jan,,Berg,,Vergunningen,,,,jan@haarlem.nl",
            "H001,Jan,,Bergen,,Vergunningen,,,,jan2@haarlem.nl",
            "H002,Els,,Smit,,Vergunningen,,,,jan@haarlem.nl",
            ",Zonder,,Sleutel,,Vergunningen,,,,",
        ),
    )
    verslag = _importeer(engine, map_)
    meldingen = {f.regel: f.melding for f in verslag.fouten}
    assert "twee keer" in meldingen[3] and "regel 2" in meldingen[3]
    assert "hoort al bij personeelsnummer H001" in meldingen[4]
    assert "personeelsnummer of e-mail ontbreekt" in meldingen[5]
    assert set(_medewerkers(engine)) == {"H001"}


def test_semicolon_csv_from_a_spreadsheet(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    _schrijf(
        map_ / "medewerkers.csv",
        KOP.replace(",", ";")
        + '\nH001;Jan;;Berg;;Vergunningen;;;;jan@haarlem.nl;"bouwen, slopen";;"ma;di";;;;;;',
    )
    verslag = _importeer(engine, map_)
    assert verslag.fouten == []
    jan = _medewerkers(engine)["H001"]
    assert jan.expertise == "bouwen;slopen" and jan.werkdagen == "ma;di"


VCARD = """BEGIN:VCARD
VERSION:3.0
N:van der Berg;Jan;;;
FN:Jan van der Berg
ORG:Gemeente Haarlem;Vergunningen;Omgeving
TITLE:Vergunningverlener
TEL;TYPE=work,voice:023-5114001
TEL;TYPE=cell:06 1111 2222
EMAIL;TYPE=internet:Jan.VanDerBerg@haarlem.nl
CATEGORIES:omgevingsvergunning,bouwen
X-PERSONEELSNUMMER:H001
X-LOCATIE:Stadhuis
X-WERKDAGEN:ma;di;wo
X-AFWEZIG-VAN:2026-06-01
X-AFWEZIG-TOT:2026-06-14
X-AFWEZIG-REDEN:vakantie
X-VERVANGER:f.elamrani@haarlem.nl
END:VCARD
BEGIN:VCARD
VERSION:2.1
N:El Amrani;Fatima
ORG:Gemeente Haarlem;Vergunningen
TEL;WORK;VOICE:(023) 511 4002
EMAIL:f.elamrani@haarlem.nl
NOTE:Expertise: bezwaar en beroep\\, omgevingsvergunning
  en handhaving
X-NIET-DOORVERBINDEN:ja
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Piet Jansen
ORG:Gemeente Haarlem;Publiekszaken
TEL;VALUE=uri;TYPE="voice,work":tel:+31-23-511-4003
EMAIL:p.jansen@haarlem.nl
X-EXPERTISE:paspoort;rijbewijs
END:VCARD
"""


def test_vcard_import(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    (map_ / "medewerkers.csv").unlink()
    _schrijf(map_ / "collegas.vcf", VCARD)
    verslag = _importeer(engine, map_)
    assert verslag.fouten == [], [str(f) for f in verslag.fouten]
    mw = _medewerkers(engine)
    jan = mw["H001"]
    assert (jan.voornaam, jan.voorvoegsel, jan.achternaam) == ("Jan", "van der", "Berg")
    assert jan.email == "jan.vanderberg@haarlem.nl" and jan.functie == "Vergunningverlener"
    assert jan.telefoon_e164 == "+31235114001" and jan.mobiel_e164 == "+31611112222"
    assert jan.expertise == "omgevingsvergunning;bouwen" and jan.werkdagen == "ma;di;wo"
    assert jan.afwezig_tot == date(2026, 6, 14) and jan.locatie == "Stadhuis"
    fatima = mw["f.elamrani@haarlem.nl"]
    assert jan.vervanger_id == fatima.id
    assert fatima.niet_doorverbinden
    assert fatima.expertise == "bezwaar en beroep;omgevingsvergunning en handhaving"
    piet = mw["p.jansen@haarlem.nl"]
    assert (piet.voornaam, piet.achternaam) == ("Piet", "Jansen")
    assert piet.telefoon_e164 == "+31235114003"
    with Session(engine) as session:
        team = session.get(Team, jan.team_id)
        assert team is not None and team.naam == "Omgeving"

    opnieuw = _importeer(engine, map_ / "collegas.vcf")
    assert (opnieuw.toegevoegd, opnieuw.gewijzigd, opnieuw.ongewijzigd) == (0, 0, 3)


def test_broken_vcard_imports_nothing(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    (map_ / "medewerkers.csv").unlink()
    kapot = VCARD.split("BEGIN:VCARD\nVERSION:4.0")[0] + "BEGIN:VCARD\nFN:Zonder einde\n"
    _schrijf(map_ / "collegas.vcf", kapot)
    verslag = _importeer(engine, map_)
    [fout] = verslag.bestandsfouten
    assert fout.bestand == "collegas.vcf" and "mist END:VCARD" in fout.melding
    assert fout.regel > 20
    assert _medewerkers(engine) == {}

    _schrijf(map_ / "collegas.vcf", "BEGIN:VCARD\nFN Jan zonder dubbele punt\nEND:VCARD")
    [fout] = _importeer(engine, map_).bestandsfouten
    assert fout.regel == 2 and "zonder ':'" in fout.melding


def test_vcard_row_errors_name_the_card_line(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    (map_ / "medewerkers.csv").unlink()
    _schrijf(
        map_ / "a.vcf",
        "BEGIN:VCARD\nN:Berg;Jan\nORG:X;Bestaat Niet\nEMAIL:j@h.nl\nEND:VCARD\n"
        "BEGIN:VCARD\nN:Vos;Kees\nORG:X;Vergunningen\nEMAIL:k@h.nl\nEND:VCARD",
    )
    verslag = _importeer(engine, map_)
    assert [(f.bestand, f.regel) for f in verslag.fouten] == [("a.vcf", 1)]
    assert "onbekende afdeling 'Bestaat Niet'" in verslag.fouten[0].melding
    assert set(_medewerkers(engine)) == {"k@h.nl"}


def test_progress_callback(engine: Engine, tmp_path: Path) -> None:
    map_ = _basis(tmp_path / "sb")
    rijen = [f"P{i:04d},Voor{i},,Achter{i},,Vergunningen,,,,p{i}@haarlem.nl" for i in range(600)]
    _schrijf(map_ / "medewerkers.csv", KOP + "\n" + _vul(*rijen))
    stappen: list[tuple[str, int, int]] = []
    _importeer(engine, map_, voortgang=lambda b, n, t: stappen.append((b, n, t)))
    medewerkers = [s for s in stappen if s[0] == "medewerkers.csv"]
    assert medewerkers[0] == ("medewerkers.csv", 250, 600)
    assert medewerkers[-1] == ("medewerkers.csv", 600, 600)


def test_particles_split_from_a_vcard_surname() -> None:
    assert splits_voorvoegsel("van der Berg") == ("van der", "Berg")
    assert splits_voorvoegsel("Berg") == ("", "Berg")
    assert splits_voorvoegsel("van") == ("", "van")


def test_a_loop_of_parent_afdelingen_is_reported(engine: Engine, tmp_path: Path) -> None:
    bestand = _schrijf(
        tmp_path / "afdelingen.csv",
        """
naam,ouder,telefoon,email,openingstijden,omschrijving
Ruimte,Vergunningen,,,,
Vergunningen,Ruimte,,,,
Zelf,Zelf,,,,
Sociaal,,,,,
""",
    )
    verslag = _importeer(engine, bestand)
    meldingen = {f.regel: f.melding for f in verslag.fouten}
    assert set(meldingen) == {3, 4} and "kring" in meldingen[3] and "kring" in meldingen[4]
    with Session(engine) as session:
        ouders = {a.naam: a.ouder_id for a in session.execute(select(Afdeling)).scalars()}
        ids = {a.naam: a.id for a in session.execute(select(Afdeling)).scalars()}
    assert ouders["Ruimte"] == ids["Vergunningen"] and ouders["Vergunningen"] is None
    assert ouders["Zelf"] is None and len(ouders) == 4
