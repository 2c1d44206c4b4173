"""Resident ID numbers: normalising, validating, parsing, masking and spreadsheet damage."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from guangong.core.idnumber import (
    IdInfo,
    checksum_char,
    mask,
    normalize,
    parse,
    spreadsheet_damage,
    validate_id_number,
)
from guangong.core.validators import PROVINCE_PREFIXES


def valid(first17: str) -> str:
    return first17 + checksum_char(first17)


def code_of(value) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_id_number(value)
    return caught.value.code


def message_of(value) -> str:
    """The English message (messages are lazy: render them while English is active)."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validate_id_number(value)
        return str(caught.value.messages[0])


# --- Check character ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010119900307123", "3"),
        ("11010519491231002", "X"),
        ("44030419851007000", "X"),
        ("65400220120229004", "1"),
        ("81000019000101001", "8"),
        ("11010819900307100", "0"),
    ],
)
def test_the_check_character(first17, check):
    assert checksum_char(first17) == check


@pytest.mark.parametrize("bad", ["1101011990030712", "110101199003071234", "1101011990030712X", ""])
def test_the_check_character_needs_17_digits(bad):
    with pytest.raises(ValueError):
        checksum_char(bad)


# --- Valid numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "birth_date", "sex"),
    [
        ("110101199003071233", datetime.date(1990, 3, 7), "M"),
        ("11010519491231002X", datetime.date(1949, 12, 31), "F"),  # check character X
        ("654002201202290041", datetime.date(2012, 2, 29), "F"),  # a leap day
        ("810000190001010018", datetime.date(1900, 1, 1), "M"),  # Hong Kong, the earliest date
        ("110108199003071000", datetime.date(1990, 3, 7), "F"),  # really ends in 000
    ],
)
def test_valid_numbers_parse(number, birth_date, sex):
    validate_id_number(number)

    assert parse(number) == IdInfo(birth_date=birth_date, sex=sex)


def test_a_number_typed_loosely_is_still_valid():
    raw = " １１０１０５ １９４９１２３１\u3000００２ｘ\u200b "

    assert normalize(raw) == "11010519491231002X"
    validate_id_number(raw)
    assert parse(raw).birth_date == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("\t110101 19900307 1233\n", "110101199003071233"),
        ("ＡＢｃ", "ABc"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(raw, normal):
    assert normalize(raw) == normal


def test_someone_born_today_is_valid():
    today = timezone.localdate()

    validate_id_number(valid(f"110101{today:%Y%m%d}123"))


# --- Invalid numbers ------------------------------------------------------------------------


def test_a_wrong_check_character_is_refused_without_revealing_the_right_one():
    assert code_of("110101199003071234") == "id_number_checksum"

    message = message_of("110101199003071234")

    assert "wrong" in message
    assert "Check the number" in message
    assert not re.search(r"[0-9X]", message)  # neither "3" (the right one) nor any other


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (valid("11010119900230123"), "id_number_birth_date"),  # 30 February
        (valid("11010119901301123"), "id_number_birth_date"),  # month 13
        (valid("11010119900000123"), "id_number_birth_date"),
        (valid("11010118991231123"), "id_number_birth_date_too_early"),
        (valid("11010130000101123"), "id_number_birth_date_future"),
        (valid("00010119900307123"), "id_number_province"),
        (valid("99010119900307123"), "id_number_province"),
        (valid("20010119900307123"), "id_number_province"),
        ("11010119900307123", "id_number_length"),
        ("1101011990030712334", "id_number_length"),
        ("110101900307123", "id_number_length"),  # the old 15-digit numbers are not accepted
        ("", "id_number_length"),
        ("11010119900307123A", "id_number_format"),
        ("1101011990030712X3", "id_number_format"),
        ("11010119900307-123", "id_number_format"),
    ],
)
def test_invalid_numbers(number, code):
    assert code_of(number) == code
    with pytest.raises(ValidationError):
        parse(number)


def test_a_future_birth_date_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    number = valid(f"110101{tomorrow:%Y%m%d}123")

    assert code_of(number) == "id_number_birth_date_future"
    assert tomorrow.isoformat() in message_of(number)


def test_messages_say_what_is_wrong():
    assert message_of("1101") == "An ID number has 18 characters, but this one has 4."
    assert "0230" in message_of(valid("11010119900230123"))
    assert "“99”" in message_of(valid("99010119900307123"))


# --- Masks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        ("110101199003071234", "110101********1234"),  # masked even if invalid
        ("110101900307123", "11***********23"),
        ("12345", "12*45"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask(value, masked):
    assert mask(value) == masked


# --- Spreadsheet damage ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "1.10101E+17",
        "1.10101e+17",
        " 1.10101199003071E+17 ",
        "110101199003071000.0",
        110101199003071234.0,
        1.10101199003071e17,
        110101199003071233,  # even an intact number: the column is not text
        "110101199003071000",  # last digits zeroed: the check character no longer fits
    ],
    ids=repr,
)
def test_spreadsheet_damage_is_explained(cell):
    with translation.override("en"):
        message = spreadsheet_damage(cell)

    assert message
    assert "Text" in message
    assert "import" in message


def test_zeroed_digits_have_their_own_explanation():
    with translation.override("en"):
        assert "000" in spreadsheet_damage("110101199003071000")
        assert "15 digits" in spreadsheet_damage(1.10101199003071e17)


@pytest.mark.parametrize(
    "cell",
    [
        "110101199003071233",
        "11010519491231002X",
        "110108199003071000",  # a valid number that happens to end in 000
        "110101199003071234",  # wrong, but not the spreadsheet's doing
        "abc",
        "",
        None,
        True,
    ],
    ids=repr,
)
def test_other_cells_are_left_to_validation(cell):
    assert spreadsheet_damage(cell) is None


# --- Properties -----------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")

first17s = st.builds(
    lambda province, county, born, sequence: f"{province}{county:04d}{born:%Y%m%d}{sequence:03d}",
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.integers(0, 9999),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 1, 1)),
    st.integers(0, 999),
)


@given(first17=first17s, loosely=st.booleans())
def test_any_well_formed_number_is_valid_and_parses_back(first17, loosely):
    number = valid(first17)
    raw = f" {number[:6]} {number[6:].translate(FULL_WIDTH)}" if loosely else number

    assert normalize(raw) == number
    validate_id_number(normalize(raw))
    info = parse(raw)
    assert info.birth_date.strftime("%Y%m%d") == first17[6:14]
    assert info.sex == ("M" if int(first17[16]) % 2 else "F")
    assert mask(raw) == f"{number[:6]}********{number[-4:]}"
    assert spreadsheet_damage(number) is None


@given(first17=first17s, position=st.integers(0, 17), digit=st.sampled_from("0123456789X"))
def test_any_single_changed_character_is_caught(first17, position, digit):
    number = valid(first17)
    if number[position] == digit:
        return
    changed = number[:position] + digit + number[position + 1 :]

    with pytest.raises(ValidationError):
        validate_id_number(changed)


@given(first17=first17s, position=st.integers(0, 16))
def test_any_swap_of_neighbouring_characters_is_caught(first17, position):
    number = valid(first17)
    if number[position] == number[position + 1]:
        return
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]

    with pytest.raises(ValidationError):
        validate_id_number(swapped)
