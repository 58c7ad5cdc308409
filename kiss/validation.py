"""Validation and normalisation of what people type, in one place, with Dutch messages.

Every screen, import and CLI command uses these functions. Each one returns the normalised
value or raises :class:`ValidatieFout` whose message says what is wrong, in Dutch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType


class ValidatieFout(ValueError):
    """Input that does not pass validation; ``str(fout)`` is a Dutch message for the user."""


class InvoerFouten(ValueError):
    """Several fields at once: field name → Dutch message; a form shows each at its field."""

    def __init__(self, fouten: dict[str, str]) -> None:
        self.fouten = fouten
        super().__init__("; ".join(f"{k}: {v}" for k, v in fouten.items()))


_NON_DIGITS = re.compile(r"[\s.\-]")


def elfproef(digits: str) -> bool:
    """The 11-proef for BSN and RSIN: weights 9..2 and -1, sum divisible by 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(c) * w for c, w in zip(digits, weights, strict=True))
    return total % 11 == 0 and digits != "000000000"


def valideer_bsn(text: str) -> str:
    digits = _NON_DIGITS.sub("", text.strip())
    if not digits:
        raise ValidatieFout("Vul een BSN in.")
    if not digits.isdigit():
        raise ValidatieFout("Een BSN bestaat alleen uit cijfers.")
    if len(digits) == 8:
        digits = "0" + digits  # BSNs with a leading zero are often typed without it
    if len(digits) != 9:
        raise ValidatieFout(f"Een BSN heeft 9 cijfers; dit zijn er {len(digits)}.")
    if not elfproef(digits):
        raise ValidatieFout("Dit BSN klopt niet (de elfproef faalt). Controleer de cijfers.")
    return digits


def valideer_kvk(text: str) -> str:
    digits = _NON_DIGITS.sub("", text.strip())
    if not digits:
        raise ValidatieFout("Vul een KvK-nummer in.")
    if not digits.isdigit():
        raise ValidatieFout("Een KvK-nummer bestaat alleen uit cijfers.")
    if len(digits) != 8:
        raise ValidatieFout(f"Een KvK-nummer heeft 8 cijfers; dit zijn er {len(digits)}.")
    return digits


def valideer_vestigingsnummer(text: str) -> str:
    digits = _NON_DIGITS.sub("", text.strip())
    if not digits.isdigit() or len(digits) != 12:
        raise ValidatieFout("Een vestigingsnummer heeft 12 cijfers.")
    return digits


_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


def valideer_postcode(text: str) -> str:
    """``2011ab`` → ``2011 AB``."""
    if not text.strip():
        raise ValidatieFout("Vul een postcode in.")
    match = _POSTCODE.match(text)
    if not match:
        raise ValidatieFout("Een postcode is 4 cijfers en 2 letters, bijvoorbeeld 2011 AB.")
    letters = match.group(2).upper()
    if letters in {"SA", "SD", "SS"}:
        raise ValidatieFout(f"Postcodes met de letters {letters} bestaan niet.")
    return f"{match.group(1)} {letters}"


@dataclass(frozen=True)
class Huisnummer:
    nummer: int
    toevoeging: str = ""

    def __str__(self) -> str:
        return f"{self.nummer}{'-' + self.toevoeging if self.toevoeging else ''}"


_HUISNUMMER = re.compile(r"^\s*(\d{1,5})\s*(?:[-\s/]?\s*([A-Za-z0-9]{1,4}))?\s*$")


def valideer_huisnummer(text: str) -> Huisnummer:
    """``12``, ``12a``, ``12-A``, ``12 bis`` → Huisnummer(12, 'A')."""
    if not text.strip():
        raise ValidatieFout("Vul een huisnummer in.")
    match = _HUISNUMMER.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValidatieFout("Een huisnummer is een getal, eventueel met toevoeging (12, 12-A).")
    return Huisnummer(int(match.group(1)), (match.group(2) or "").upper())


_POSTCODE_HUISNUMMER = re.compile(
    r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})[\s,]*(\d{1,5})\s*(?:[-\s/]?\s*([A-Za-z0-9]{1,4}))?\s*$"
)


def parse_postcode_huisnummer(text: str) -> tuple[str, Huisnummer] | None:
    """``2011 AB 12`` or ``2011ab12-a`` → ("2011 AB", Huisnummer(12, "A")).

    None when the text is not of that form."""
    match = _POSTCODE_HUISNUMMER.match(text)
    if not match:
        return None
    postcode = valideer_postcode(match.group(1) + match.group(2))
    nummer = int(match.group(3))
    if nummer == 0:
        raise ValidatieFout("Een huisnummer begint bij 1.")
    return postcode, Huisnummer(nummer, (match.group(4) or "").upper())


_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")


def valideer_email(text: str) -> str:
    """Lower-cased e-mail address, or a message that says what is wrong."""
    value = text.strip()
    if not value:
        raise ValidatieFout("Vul een e-mailadres in.")
    if "@" not in value:
        raise ValidatieFout("Een e-mailadres bevat een @, bijvoorbeeld naam@voorbeeld.nl.")
    if " " in value:
        raise ValidatieFout("Een e-mailadres bevat geen spaties.")
    local, _, domain = value.rpartition("@")
    if not local or ".." in value or local.startswith(".") or local.endswith("."):
        raise ValidatieFout("Het deel vóór de @ is niet geldig.")
    if len(value) > 254:
        raise ValidatieFout("Een e-mailadres heeft hoogstens 254 tekens.")
    if not _EMAIL_LOCAL.match(local):
        raise ValidatieFout("Het deel vóór de @ bevat tekens die in een e-mailadres niet mogen.")
    if not _EMAIL.match(value):
        raise ValidatieFout(
            f"Het domein '{domain}' is niet geldig; verwacht bijvoorbeeld gemeente.nl."
        )
    return value.lower()


def lijkt_op_email(text: str) -> bool:
    return "@" in text


def _parse_phone(text: str) -> phonenumbers.PhoneNumber:
    value = text.strip()
    if not value:
        raise ValidatieFout("Vul een telefoonnummer in.")
    if re.search(r"[A-Za-z]", value):
        raise ValidatieFout("Een telefoonnummer bevat geen letters.")
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        number = phonenumbers.parse(value, "NL")
    except NumberParseException as exc:
        raise ValidatieFout("Dit is geen telefoonnummer.") from exc
    if not phonenumbers.is_valid_number(number):
        digits = re.sub(r"\D", "", value)
        if number.country_code == 31 and len(digits) < 10 and not digits.startswith("14"):
            raise ValidatieFout(
                f"Dit telefoonnummer is te kort ({len(digits)} cijfers); een Nederlands "
                "nummer heeft er 10, bijvoorbeeld 06-12345678 of 023-5114258."
            )
        raise ValidatieFout(
            "Dit telefoonnummer bestaat niet; controleer het netnummer en de cijfers."
        )
    return number


def valideer_telefoon(text: str) -> str:
    """Any common notation → E.164 (``06-12345678`` → ``+31612345678``)."""
    return phonenumbers.format_number(_parse_phone(text), PhoneNumberFormat.E164)


def telefoon_weergave(e164: str) -> str:
    """E.164 → how a Dutch agent reads it: ``+31612345678`` → ``06 12345678``; foreign stays
    international; UAN/14-numbers nationally (they cannot be called from abroad)."""
    try:
        number = phonenumbers.parse(e164, "NL")
    except NumberParseException:
        return e164
    if number.country_code == 31:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def is_mobiel(e164: str) -> bool:
    number = phonenumbers.parse(e164, "NL")
    return phonenumbers.number_type(number) in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def lijkt_op_telefoon(text: str) -> bool:
    """Does the text look like someone typed a phone number (digits plus phone punctuation)?"""
    stripped = text.strip()
    if not stripped or not re.fullmatch(r"[\d\s()+\-./]+", stripped):
        return False
    digits = re.sub(r"\D", "", stripped)
    return len(digits) >= 4 and (stripped.startswith(("0", "+", "(", "14")))


def valideer_verplicht(text: str, veld: str) -> str:
    value = text.strip()
    if not value:
        raise ValidatieFout(f"{veld} is verplicht.")
    return value


def valideer_lengte(text: str, veld: str, maximum: int) -> str:
    if len(text) > maximum:
        raise ValidatieFout(f"{veld} mag hoogstens {maximum} tekens zijn (nu {len(text)}).")
    return text


_DATUM_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%d%m%Y")


def valideer_datum(text: str, veld: str = "Datum") -> date:
    """``7-7-1975``, ``07/07/1975``, ``1975-07-07`` → date."""
    value = text.strip()
    if not value:
        raise ValidatieFout(f"{veld} is verplicht.")
    for fmt in _DATUM_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if parsed.year < 1890 or parsed > date.today():
            raise ValidatieFout(f"{veld} {value} ligt niet in een mogelijke periode.")
        return parsed
    raise ValidatieFout(
        f"{veld} '{value}' is geen datum; gebruik dd-mm-jjjj, bijvoorbeeld 07-07-1975."
    )


def maskeer_bsn(bsn: str | None) -> str:
    """``123456782`` → ``*****6782``: enough to compare with what a caller says."""
    if not bsn:
        return ""
    return "*" * (len(bsn) - 4) + bsn[-4:]


# --- one rule for both backends: what PostgreSQL refuses, SQLite must refuse too ----------

_SURROGAAT = re.compile("[\ud800-\udfff]")


def valideer_tekens(text: str, veld: str) -> str:
    """No NUL bytes (PostgreSQL cannot store them) and no lone surrogates (not UTF-8)."""
    if "\x00" in text:
        raise ValidatieFout(f"{veld} bevat een ongeldig teken (NUL); haal het weg.")
    if _SURROGAAT.search(text):
        raise ValidatieFout(f"{veld} bevat een ongeldig teken (geen geldige Unicode).")
    return text


def controleer_waarde(kolom: object, waarde: object) -> None:
    """Check one value against its column (length from the model, characters always)."""
    if not isinstance(waarde, str):
        return
    naam = f"{getattr(getattr(kolom, 'table', None), 'name', '')}.{getattr(kolom, 'name', '')}"
    naam = naam.strip(".")
    valideer_tekens(waarde, f"Veld '{naam}'")
    lengte = getattr(getattr(kolom, "type", None), "length", None)
    if lengte is not None and len(waarde) > lengte:
        raise ValidatieFout(f"Veld '{naam}' mag hoogstens {lengte} tekens zijn (nu {len(waarde)}).")


def controleer_object(obj: object) -> None:
    """Every text column of a model object about to be written (see kiss.db)."""
    tabel = getattr(obj, "__table__", None)
    if tabel is None:
        return
    for kolom in tabel.columns:
        waarde = getattr(obj, kolom.key, None) if hasattr(obj, kolom.key) else None
        controleer_waarde(kolom, waarde)
