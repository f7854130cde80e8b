import re

import bcrypt
import pytest

from portal_app.domain.accounts import passwords
from portal_app.domain.accounts.passwords import (
    DUMMY_HASH,
    MSG_EMPTY,
    PasswordCheck,
    generate_provisional_password,
    hash_password,
    password_checks,
    password_error,
    verify_against_dummy,
    verify_password,
)

GOOD = "Soleil-Levant42"


def failing(password, email="", names=()):
    return [c.key for c in password_checks(password, email, names) if not c.ok]


def test_good_password_passes_everything():
    checks = password_checks(GOOD, "jean.dupont@exemple.fr", ("Jean", "Dupont"))
    assert all(isinstance(c, PasswordCheck) and c.ok for c in checks)
    assert password_error(GOOD, "jean.dupont@exemple.fr", ("Jean", "Dupont")) is None


def test_checklist_order_and_labels():
    checks = password_checks("")
    assert [c.key for c in checks] == [
        "min_length",
        "max_length",
        "categories",
        "no_email",
        "no_name",
    ]
    assert checks[0].label == "Au moins 12 caractères"
    assert checks[2].label == (
        "Au moins 3 types de caractères parmi : minuscules, majuscules, chiffres, caractères spéciaux"
    )


def test_checks_are_frozen():
    check = password_checks(GOOD)[0]
    with pytest.raises(AttributeError):
        check.ok = False


def test_empty():
    assert password_error("") == MSG_EMPTY
    assert password_error(None) == MSG_EMPTY


@pytest.mark.parametrize(
    "length, expected",
    [(11, ["min_length"]), (12, []), (128, []), (129, ["max_length"])],
)
def test_length_limits(length, expected):
    password = ("Ab1" * 50)[:length]
    assert len(password) == length
    assert failing(password) == expected


def test_length_counts_characters_not_bytes():
    assert failing("Éléphant-été") == []  # 12 characters, more bytes


def test_error_sentences():
    assert password_error("Ab1def") == ("Votre mot de passe doit comporter au moins 12 caractères.")
    assert "au plus 128" in password_error("Ab1" * 43)
    assert password_error("abcdefghijkl").startswith("Votre mot de passe doit mélanger au moins 3 types")


@pytest.mark.parametrize(
    "password, ok",
    [
        ("abcdefghijkl", False),  # 1 type
        ("abcdefABCDEF", False),  # 2 types
        ("abcdef123456", False),
        ("abcdefABC123", True),  # lower, upper, digit
        ("abcdef-123456", True),  # lower, special, digit
        ("ABCDEF 123456", True),  # a space is a special character
        ("ÉCOLEécole12", True),  # accented letters count as letters
    ],
)
def test_categories(password, ok):
    assert ("categories" not in failing(password)) is ok


def test_contains_email_local_part():
    email = "Marie.Curie@exemple.fr"
    assert failing("xxMARIE.CURIE2024!", email) == ["no_email"]
    assert password_error("xxmarie.curie2024!", email) == (
        "Votre mot de passe ne doit pas contenir votre adresse e-mail."
    )
    assert failing(GOOD, email) == []


def test_short_email_local_part_is_ignored():
    assert failing("Jo-Soleil-2024", "jo@exemple.fr") == []


@pytest.mark.parametrize(
    "password",
    ["Helene-Brule-2024", "HÉLÈNE!2024abc", "xxBRULE-soleil7", "mot2passeHélène"],
)
def test_contains_name_accent_and_case_insensitive(password):
    assert failing(password, names=("Hélène", "Brûlé")) == ["no_name"]


def test_compound_names_are_split_and_short_parts_ignored():
    names = ("Jean-Pierre", "Le Bo")
    assert failing("Soleil-PIERRE-42", names=names) == ["no_name"]
    assert failing("Soleil-Levant-Bo-Le-42", names=names) == []
    assert password_error("pierre-Soleil-42", names=names) == (
        "Votre mot de passe ne doit pas contenir votre nom ni votre prénom."
    )


def test_first_failure_wins():
    assert password_error("marie", "marie@exemple.fr", ("Marie",)).endswith("au moins 12 caractères.")


def test_hash_and_verify(fast_hashing):
    hashed = hash_password(GOOD)
    assert hashed.startswith("$2b$04$")
    assert verify_password(GOOD, hashed)
    assert not verify_password(GOOD + "x", hashed)
    assert hash_password(GOOD) != hashed  # salted


def test_long_passwords_are_not_truncated(fast_hashing):
    # Beyond bcrypt's 72 bytes: only the pre-hash makes the end count.
    long_password = "é" * 100 + "Ab1!" * 7
    assert len(long_password.encode()) > 72
    hashed = hash_password(long_password)
    assert verify_password(long_password, hashed)
    assert not verify_password(long_password[:-1] + "?", hashed)


def test_unicode_normalisation(fast_hashing):
    composed, decomposed = "Caf\u00e9-Creme-2024", "Cafe\u0301-Creme-2024"
    assert verify_password(decomposed, hash_password(composed))


@pytest.mark.parametrize("bad_hash", ["", "not-a-hash", "$2b$04$tooshort", "é"])
def test_verify_with_broken_hash_is_false(bad_hash):
    assert not verify_password(GOOD, bad_hash)


def test_verify_empty_password_is_false(fast_hashing):
    assert not verify_password("", hash_password(GOOD))


def test_dummy_hash_matches_production_cost():
    # Otherwise unknown e-mails would answer faster than real accounts.
    assert DUMMY_HASH.startswith(f"$2b${passwords.BCRYPT_ROUNDS:02d}$")
    assert bcrypt.checkpw(b"x", DUMMY_HASH.encode()) is False


def test_verify_against_dummy_is_always_false(monkeypatch):
    calls = []
    monkeypatch.setattr(passwords.bcrypt, "checkpw", lambda pw, h: calls.append(h) or True)
    assert verify_against_dummy(GOOD) is False
    assert verify_against_dummy("") is False
    assert calls == [DUMMY_HASH.encode()] * 2


def test_provisional_passwords():
    generated = {generate_provisional_password() for _ in range(200)}
    assert len(generated) == 200
    for password in generated:
        assert len(password) == 16
        assert password_error(password) is None
        assert not re.search(r"[0O1lI]", password)
