"""Every validator with valid and invalid samples, messages in Dutch."""

from __future__ import annotations

import pytest

from kiss.validation import (
    Huisnummer,
    ValidatieFout,
    elfproef,
    lijkt_op_telefoon,
    maskeer_bsn,
    parse_postcode_huisnummer,
    telefoon_weergave,
    valideer_bsn,
    valideer_datum,
    valideer_email,
    valideer_huisnummer,
    valideer_kvk,
    valideer_postcode,
    valideer_telefoon,
    valideer_vestigingsnummer,
)

PHONES = [
    ("06-12345678", "+31612345678"),
    ("06 1234 5678", "+31612345678"),
    ("+31 6 12345678", "+31612345678"),
    ("0031612345678", "+31612345678"),
    ("0612345678", "+31612345678"),
    ("06.12.34.56.78", "+31612345678"),
    ("+31 (0)6 12345678", "+31612345678"),
    ("(023) 511 42 58", "+31235114258"),
    ("023-5114258", "+31235114258"),
    ("023 511 4258", "+31235114258"),
    ("+31 23 511 4258", "+31235114258"),
    ("0235114258", "+31235114258"),
    ("020-6241111", "+31206241111"),
    ("14 023", "+3114023"),
    ("14023", "+3114023"),
    ("0800-1234", "+318001234"),
    ("0800 0543", "+318000543"),
    ("0900-1852", "+319001852"),
    ("085-1234567", "+31851234567"),
    ("088-1234567", "+31881234567"),
    ("+32 2 555 12 12", "+3225551212"),
    ("+32 470 12 34 56", "+32470123456"),
    ("0032470123456", "+32470123456"),
    ("+49 151 23456789", "+4915123456789"),
    ("+44 20 7946 0958", "+442079460958"),
]


@pytest.mark.parametrize(("typed", "e164"), PHONES)
def test_phone_notations_normalise_to_e164(typed: str, e164: str) -> None:
    assert valideer_telefoon(typed) == e164


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "Vul een telefoonnummer in"),
        ("abc", "geen letters"),
        ("06-1234567", "te kort"),
        ("12", "te kort"),
        ("023-511425", "te kort"),
        ("+31 6 1234", "te kort"),
        ("+999 12345", "geen telefoonnummer"),
        ("06-123456789012", "bestaat niet"),
    ],
)
def test_phone_garbage_is_rejected_with_reason(typed: str, fragment: str) -> None:
    with pytest.raises(ValidatieFout, match=fragment):
        valideer_telefoon(typed)


def test_phone_display_is_national_for_dutch_and_uan_numbers() -> None:
    assert telefoon_weergave("+31612345678") == "06 12345678"
    assert telefoon_weergave("+3114023") == "14 023"
    assert telefoon_weergave("+3225551212").startswith("+32")


def test_looks_like_phone() -> None:
    assert lijkt_op_telefoon("06-12345678")
    assert lijkt_op_telefoon("+31 6 1234")
    assert not lijkt_op_telefoon("Jansen")
    assert not lijkt_op_telefoon("2011 AB 12")


@pytest.mark.parametrize("bsn", ["999990019", "111222333", "123456782", "999 99 0019", "00009830"])
def test_valid_bsn(bsn: str) -> None:
    assert elfproef(valideer_bsn(bsn))


@pytest.mark.parametrize(
    ("bsn", "fragment"),
    [
        ("", "Vul een BSN in"),
        ("12345678a", "alleen uit cijfers"),
        ("1234567", "9 cijfers"),
        ("1234567890", "9 cijfers"),
        ("123456789", "elfproef"),
        ("999999245", "elfproef"),
        ("000000000", "elfproef"),
    ],
)
def test_invalid_bsn(bsn: str, fragment: str) -> None:
    with pytest.raises(ValidatieFout, match=fragment):
        valideer_bsn(bsn)


def test_kvk_and_vestigingsnummer() -> None:
    assert valideer_kvk("6924 5121") == "69245121"
    for bad, fragment in [("1234567", "8 cijfers"), ("1234567a", "cijfers"), ("", "Vul")]:
        with pytest.raises(ValidatieFout, match=fragment):
            valideer_kvk(bad)
    assert valideer_vestigingsnummer("000012345678") == "000012345678"
    with pytest.raises(ValidatieFout, match="12 cijfers"):
        valideer_vestigingsnummer("12345")


@pytest.mark.parametrize(
    ("typed", "norm"), [("2011ab", "2011 AB"), (" 2011 AB ", "2011 AB"), ("2042Cd", "2042 CD")]
)
def test_postcode_normalised(typed: str, norm: str) -> None:
    assert valideer_postcode(typed) == norm


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("0123 AB", "4 cijfers"), ("2011 A", "4 cijfers"), ("2011 SS", "bestaan niet"), ("", "Vul")],
)
def test_postcode_invalid(typed: str, fragment: str) -> None:
    with pytest.raises(ValidatieFout, match=fragment):
        valideer_postcode(typed)


def test_huisnummer_forms() -> None:
    assert valideer_huisnummer("12") == Huisnummer(12, "")
    assert valideer_huisnummer("12a") == Huisnummer(12, "A")
    assert valideer_huisnummer("12-A") == Huisnummer(12, "A")
    assert valideer_huisnummer("12 bis") == Huisnummer(12, "BIS")
    assert str(Huisnummer(12, "A")) == "12-A"
    for bad in ("", "a12", "0", "12-ABCDE"):
        with pytest.raises(ValidatieFout):
            valideer_huisnummer(bad)


def test_postcode_with_huisnummer() -> None:
    assert parse_postcode_huisnummer("2011 AB 12") == ("2011 AB", Huisnummer(12))
    assert parse_postcode_huisnummer("2011ab12-a") == ("2011 AB", Huisnummer(12, "A"))
    assert parse_postcode_huisnummer("2011AB, 7 b") == ("2011 AB", Huisnummer(7, "B"))
    assert parse_postcode_huisnummer("Jansen") is None


def test_email() -> None:
    assert valideer_email(" Piet.Jansen@Voorbeeld.NL ") == "piet.jansen@voorbeeld.nl"
    for bad, fragment in [
        ("piet", "@"),
        ("piet @x.nl", "spaties"),
        ("@x.nl", "vóór de @"),
        ("piet@x", "domein"),
        ("piet..j@x.nl", "vóór de @"),
        ("zoë@x.nl", "tekens die in een e-mailadres niet mogen"),
        ("", "Vul"),
    ]:
        with pytest.raises(ValidatieFout, match=fragment):
            valideer_email(bad)


def test_datum() -> None:
    assert str(valideer_datum("7-7-1975")) == "1975-07-07"
    assert str(valideer_datum("1975-07-07")) == "1975-07-07"
    with pytest.raises(ValidatieFout, match="geen datum"):
        valideer_datum("31-02-1975")
    with pytest.raises(ValidatieFout, match="mogelijke periode"):
        valideer_datum("01-01-1800")


def test_bsn_masking_shows_last_four() -> None:
    assert maskeer_bsn("999990019") == "*****0019"
    assert maskeer_bsn(None) == ""
