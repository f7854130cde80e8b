import pytest

from portal_app.domain.core.nir import (
    MSG_CHARS,
    MSG_EMPTY,
    MSG_FIRST_DIGIT,
    MSG_KEY,
    MSG_LENGTH,
    format_nir,
    nir_error,
    nir_key,
    normalize_nir,
)


@pytest.mark.parametrize(
    "nir",
    [
        "295109912611193",
        "2 95 10 99 126 111 93",
        " 295109912611193 ",
        "253072B07300470",
        "253072A07300443",
        "253072a07300443",  # lower case is upper-cased
        "2 53 07 2B 073 004 70",
    ],
)
def test_valid_nir(nir):
    assert nir_error(nir) is None


def test_corsica_key_uses_former_department_numbers():
    assert nir_key("2951099126111") == 93
    assert nir_key("253072A073004") == 43
    assert nir_key("253072B073004") == 70


@pytest.mark.parametrize("nir", ["", "   ", None])
def test_empty(nir):
    assert nir_error(nir) == MSG_EMPTY


@pytest.mark.parametrize(
    "nir",
    ["2951099126111", "29510991261119", "2951099126111930", "295109912611193 4"],
)
def test_wrong_length(nir):
    assert nir_error(nir) == MSG_LENGTH


@pytest.mark.parametrize(
    "nir",
    [
        "29510991261119X",
        "2951O9912611193",  # letter O instead of zero
        "29510-912611193",
        "253072C07300470",  # only 2A / 2B exist
        "2530712A0730047",  # 2A at the wrong place
        "２95109912611193",  # full-width digit
    ],
)
def test_forbidden_characters(nir):
    assert nir_error(nir) == MSG_CHARS


@pytest.mark.parametrize("first", "0569")
def test_first_digit(first):
    assert nir_error(first + "95109912611193") == MSG_FIRST_DIGIT


@pytest.mark.parametrize(
    "nir",
    ["295109912611194", "295109912611100", "253072B07300443", "253072A07300470"],
)
def test_wrong_key(nir):
    assert nir_error(nir) == MSG_KEY


def test_normalize():
    assert normalize_nir(" 2 53 07 2a 073 004 43\t") == "253072A07300443"


def test_format():
    assert format_nir("295109912611193") == "2 95 10 99 126 111 93"
    assert format_nir("253072b07300470") == "2 53 07 2B 073 004 70"


def test_format_leaves_incomplete_numbers_alone():
    assert format_nir("2 95 10") == "29510"
