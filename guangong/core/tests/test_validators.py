"""Validators, masks and spreadsheet cells every app relies on."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from guangong.core.export import safe_cell
from guangong.core.validators import (
    PROVINCE_PREFIXES,
    mask_phone,
    validate_division_code,
    validate_mobile,
    validate_phone,
)


@pytest.mark.parametrize(
    "phone",
    [
        "13912345678",
        "139 1234 5678",
        "+8613912345678",
        "0999-8021234",
        "09998021234",
        "010-12345678-123",
        "（0999）8021234",
    ],
)
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone", ["12912345678", "1391234567", "139123456789", "8021234", "abc", "0999-80212", ""]
)
def test_invalid_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


@pytest.mark.parametrize(("mobile", "ok"), [("15012345678", True), ("0999-8021234", False)])
def test_mobile_only(mobile, ok):
    if ok:
        validate_mobile(mobile)
    else:
        with pytest.raises(ValidationError):
            validate_mobile(mobile)


@pytest.mark.parametrize("code", ["650000", "654002", "654002001000", "110101", "820000"])
def test_valid_division_codes(code):
    validate_division_code(code)


@pytest.mark.parametrize(
    "code", ["65000", "6500000", "65400200100", "6540020010000", "65400a", "990000", "000000", ""]
)
def test_invalid_division_codes(code):
    with pytest.raises(ValidationError):
        validate_division_code(code)


@given(st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_a_six_digit_code_is_valid_exactly_when_its_province_exists(code):
    try:
        validate_division_code(code)
    except ValidationError:
        assert code[:2] not in PROVINCE_PREFIXES
    else:
        assert code[:2] in PROVINCE_PREFIXES


def test_there_are_34_province_level_prefixes():
    assert len(PROVINCE_PREFIXES) == 34


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13912345678", "139****5678"), ("0999-8021234", "099*****1234"), ("12345", "*****")],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("伊宁市", "伊宁市"),
        (12, 12),
        (None, None),
    ],
)
def test_spreadsheet_cells_never_start_a_formula(value, cell):
    assert safe_cell(value) == cell
