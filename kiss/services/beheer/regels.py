"""The rules a set of organisation settings must follow: one place, Dutch messages per setting.

:func:`kiss.config.organisatie_uit_dict` checks types; these are the rules about values.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from kiss.config import (
    DOEL_SOORTEN,
    DOORVERBONDEN,
    TERUGBELNOTITIE,
    OngeldigeInstellingen,
    Organisatie,
)
from kiss.models import Contactmoment, Gemeente
from kiss.models.base import veldlengte
from kiss.services.bewaartermijn import valideer_termijnen
from kiss.services.terugbel.klachten import zoek_doel
from kiss.validation import ValidatieFout

MAX_UREN = 24 * 30  # a month of hours: anything longer is a typo
EIGEN_RESULTATEN = (TERUGBELNOTITIE, DOORVERBONDEN)  # KISS itself records these
_GEMEENTECODE = re.compile(r"^\d{4}$")


def _dubbel(waarden: list[str]) -> str | None:
    gezien: set[str] = set()
    for waarde in waarden:
        sleutel = waarde.casefold()
        if sleutel in gezien:
            return waarde
        gezien.add(sleutel)
    return None


def fouten(org: Organisatie) -> dict[str, str]:
    """Every rule the settings break: setting name → Dutch message (empty: all fine)."""
    uit: dict[str, str] = {}
    naam_max = veldlengte(Gemeente, "naam")
    if not org.gemeenten:
        uit["gemeenten"] = "Er moet minstens één gemeente zijn."
    for i, (naam, code) in enumerate(org.gemeenten, 1):
        if not naam:
            uit[f"gemeenten[{i}].naam"] = "Een gemeente heeft een naam."
        elif len(naam) > naam_max:
            uit[f"gemeenten[{i}].naam"] = f"Hoogstens {naam_max} tekens."
        if code and not _GEMEENTECODE.match(code):
            uit[f"gemeenten[{i}].code"] = f"De CBS-code is 4 cijfers (bijv. 0392), niet '{code}'."
    if dubbel := _dubbel([n for n, _ in org.gemeenten]):
        uit["gemeenten"] = f"Gemeente '{dubbel}' staat er twee keer in."

    kanaal_max = veldlengte(Contactmoment, "kanaal")
    if not org.kanalen:
        uit["kanalen"] = "Er moet minstens één kanaal zijn."
    for i, kanaal in enumerate(org.kanalen, 1):
        if not kanaal:
            uit[f"kanalen[{i}]"] = "Een kanaal heeft een naam."
        elif len(kanaal) > kanaal_max:
            uit[f"kanalen[{i}]"] = f"Hoogstens {kanaal_max} tekens."
    if dubbel := _dubbel(list(org.kanalen)):
        uit["kanalen"] = f"Kanaal '{dubbel}' staat er twee keer in."

    code_max = veldlengte(Contactmoment, "gespreksresultaat")
    for i, r in enumerate(org.gespreksresultaten, 1):
        if not r.code:
            uit[f"gespreksresultaten[{i}].code"] = "Een gespreksresultaat heeft een code."
        elif len(r.code) > code_max:
            uit[f"gespreksresultaten[{i}].code"] = f"Hoogstens {code_max} tekens."
        if not r.label:
            uit[f"gespreksresultaten[{i}].label"] = "Een gespreksresultaat heeft een label."
    if dubbel := _dubbel([r.code for r in org.gespreksresultaten]):
        uit["gespreksresultaten"] = f"Code '{dubbel}' staat er twee keer in."
    codes = {r.code for r in org.gespreksresultaten}
    for eigen in EIGEN_RESULTATEN:
        if eigen not in codes:
            uit["gespreksresultaten"] = (
                f"'{eigen}' moet blijven bestaan: KISS legt dat resultaat zelf vast "
                "(het label mag u wijzigen)."
            )
    for r in org.gespreksresultaten:
        if r.code in EIGEN_RESULTATEN and r.afgehandeld:
            uit["gespreksresultaten"] = f"'{r.code}' telt nooit als beantwoord."

    norm = org.servicenorm
    if not 1 <= norm.uren <= MAX_UREN:
        uit["servicenorm.uren"] = f"Kies tussen 1 en {MAX_UREN} uur, niet {norm.uren}."
    if norm.soort not in ("werkdagen", "kalender"):
        uit["servicenorm.soort"] = f"Kies 'werkdagen' of 'kalender', niet '{norm.soort}'."
    if not 0 <= norm.waarschuwing_uren <= max(norm.uren, 0):
        uit["servicenorm.waarschuwing_uren"] = (
            f"Kies tussen 0 en de norm ({norm.uren} uur), niet {norm.waarschuwing_uren}."
        )
    if len(set(norm.extra_sluitingsdagen)) != len(norm.extra_sluitingsdagen):
        uit["servicenorm.extra_sluitingsdagen"] = "Een sluitingsdag staat er twee keer in."

    try:
        valideer_termijnen(org.bewaartermijn_contactmomenten_dagen, org.bewaartermijn_audit_dagen)
    except ValidatieFout as exc:
        uit["bewaartermijn"] = str(exc)

    for i, skill in enumerate(org.skills, 1):
        if not skill or len(skill) > 80 or ";" in skill:
            uit[f"skills[{i}]"] = "Een skill is 1 tot 80 tekens, zonder ';'."
    if dubbel := _dubbel(list(org.skills)):
        uit["skills"] = f"Skill '{dubbel}' staat er twee keer in."

    for i, link in enumerate(org.links, 1):
        if not link.titel or len(link.titel) > 120:
            uit[f"links[{i}].titel"] = "Een link heeft een titel van 1 tot 120 tekens."
        if not link.adres or len(link.adres) > 500:
            uit[f"links[{i}].adres"] = "Een link heeft een adres (website of nummer)."
        elif "://" in link.adres and not link.adres.startswith(("https://", "http://")):
            uit[f"links[{i}].adres"] = "Een website begint met https:// of http://."

    doel = org.klachtencoordinator
    if doel.soort and doel.soort not in DOEL_SOORTEN:
        uit["klachtencoordinator"] = f"Kies afdeling, team of medewerker, niet '{doel.soort}'."
    elif len(doel.naam) > 254:
        uit[f"klachtencoordinator.{doel.soort}"] = "Hoogstens 254 tekens."
    return uit


def fouten_in_database(session: Session, org: Organisatie) -> dict[str, str]:
    """The rules that need the database: the klachtencoördinator must exist."""
    doel = org.klachtencoordinator
    if not doel.ingesteld or doel.soort not in DOEL_SOORTEN:
        return {}
    try:
        zoek_doel(session, doel)
    except ValidatieFout as fout:
        return {f"klachtencoordinator.{doel.soort}": str(fout)}
    return {}


def controleer(org: Organisatie, session: Session | None = None) -> Organisatie:
    """``org`` when it follows every rule; else :class:`OngeldigeInstellingen`. With a
    ``session`` also the rules that need the database."""
    gevonden = fouten(org)
    if session is not None and not gevonden:
        gevonden = fouten_in_database(session, org)
    if gevonden:
        raise OngeldigeInstellingen(gevonden)
    return org
