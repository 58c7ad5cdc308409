"""The smoelenboek import carries the phone extension and the notification mailboxes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select
from sqlmodel import Session

from kiss.db import session_scope
from kiss.models import Afdeling, Medewerker, Team
from kiss.services.smoelenboek.importeren import SmoelenboekVerslag, importeer


def _schrijf(pad: Path, tekst: str) -> None:
    pad.write_text(tekst.strip() + "\n", encoding="utf-8")


def _importeer(engine: Engine, pad: Path) -> SmoelenboekVerslag:
    with session_scope(engine) as session:
        return importeer(session, pad, volledig=False)


def test_toestel_and_mailbox_columns(engine: Engine, tmp_path: Path) -> None:
    _schrijf(tmp_path / "afdelingen.csv", """
naam,ouder,telefoon,email,mailbox
Publiekszaken,,14 023,publiekszaken@haarlem.nl,kcc-notities@haarlem.nl
""")  # fmt: skip
    _schrijf(tmp_path / "teams.csv", """
naam,afdeling,telefoon,email,mailbox
Reisdocumenten,Publiekszaken,,,reisdoc@haarlem.nl
""")  # fmt: skip
    _schrijf(tmp_path / "medewerkers.csv", """
personeelsnummer,voornaam,achternaam,afdeling,team,email,toestel,mailbox
H001,Jan,Berg,Publiekszaken,Reisdocumenten,jan@haarlem.nl,2301,
H002,Piet,Jansen,Publiekszaken,,piet@haarlem.nl,2302,piet-taken@haarlem.nl
H003,Els,Smit,Publiekszaken,,els@haarlem.nl,2301,
H004,Kees,Kok,Publiekszaken,,kees@haarlem.nl,23 01,
""")  # fmt: skip
    verslag = _importeer(engine, tmp_path)
    assert [(f.regel, f.melding) for f in verslag.fouten] == [
        (4, "toestel 2301 hoort al bij Jan Berg"),
        (5, "toestel '23 01': alleen cijfers, letters en . * # _ + @ -"),
    ]
    with Session(engine) as session:
        mensen = {m.personeelsnummer: m for m in session.execute(select(Medewerker)).scalars()}
        team = session.execute(select(Team)).scalar_one()
        afdeling = session.execute(select(Afdeling)).scalar_one()
    assert (mensen["H001"].toestel, mensen["H001"].mailbox) == ("2301", "")
    assert (mensen["H002"].toestel, mensen["H002"].mailbox) == ("2302", "piet-taken@haarlem.nl")
    assert team.mailbox == "reisdoc@haarlem.nl"
    assert afdeling.mailbox == "kcc-notities@haarlem.nl"
    # moving an extension from one person to another in one file works
    _schrijf(tmp_path / "medewerkers.csv", """
personeelsnummer,voornaam,achternaam,afdeling,team,email,toestel,mailbox
H001,Jan,Berg,Publiekszaken,Reisdocumenten,jan@haarlem.nl,2309,
H003,Els,Smit,Publiekszaken,,els@haarlem.nl,2301,
""")  # fmt: skip
    assert _importeer(engine, tmp_path / "medewerkers.csv").fouten == []
    with Session(engine) as session:
        els = session.execute(select(Medewerker).where(Medewerker.toestel == "2301")).scalar_one()
    assert els.personeelsnummer == "H003"
