"""Password policy (CNIL deliberation 2022-100, OWASP ASVS) and bcrypt hashing."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import bcrypt

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_CATEGORIES = 3
# Shorter name parts ("Li", "Bo") would reject far too many innocent passwords.
MIN_PERSONAL_PART = 3
BCRYPT_ROUNDS = 12

MSG_EMPTY = "Choisissez un mot de passe."


@dataclass(frozen=True)
class PasswordCheck:
    key: str
    label: str
    ok: bool


# key -> (checklist label, sentence shown when the check fails)
_RULES: dict[str, tuple[str, str]] = {
    "min_length": (
        f"Au moins {MIN_LENGTH} caractères",
        f"Votre mot de passe doit comporter au moins {MIN_LENGTH} caractères.",
    ),
    "max_length": (
        f"Au plus {MAX_LENGTH} caractères",
        f"Votre mot de passe doit comporter au plus {MAX_LENGTH} caractères.",
    ),
    "categories": (
        "Au moins 3 types de caractères parmi : minuscules, majuscules, chiffres, caractères spéciaux",
        "Votre mot de passe doit mélanger au moins 3 types de caractères parmi : "
        "minuscules, majuscules, chiffres, caractères spéciaux.",
    ),
    "no_email": (
        "Ne contient pas votre adresse e-mail",
        "Votre mot de passe ne doit pas contenir votre adresse e-mail.",
    ),
    "no_name": (
        "Ne contient pas votre nom ni votre prénom",
        "Votre mot de passe ne doit pas contenir votre nom ni votre prénom.",
    ),
}


def _nfc(text: str) -> str:
    # The same password typed on macOS (NFD) and Windows (NFC) must match.
    return unicodedata.normalize("NFC", text or "")


def _fold(text: str) -> str:
    """Lower-case and without accents, for "contains" comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _categories(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def _contains_email(folded: str, email: str) -> bool:
    local = _fold(email.strip().partition("@")[0]) if "@" in email else ""
    return len(local) >= MIN_PERSONAL_PART and local in folded


def _contains_name(folded: str, names: Iterable[str]) -> bool:
    for name in names:
        # "Jean-Pierre d'Arc" -> jean, pierre, arc
        for part in re.findall(r"[^\W\d_]+", _fold(name or "")):
            if len(part) >= MIN_PERSONAL_PART and part in folded:
                return True
    return False


def password_checks(password: str, email: str = "", names: Iterable[str] = ()) -> list[PasswordCheck]:
    """Every rule with its state, in display order (live checklist)."""
    password = _nfc(password)
    folded = _fold(password)
    results = {
        "min_length": len(password) >= MIN_LENGTH,
        "max_length": len(password) <= MAX_LENGTH,
        "categories": _categories(password) >= MIN_CATEGORIES,
        "no_email": not _contains_email(folded, email or ""),
        "no_name": not _contains_name(folded, names),
    }
    return [PasswordCheck(key, _RULES[key][0], ok) for key, ok in results.items()]


def checklist_rows(checks: Iterable[PasswordCheck], typed: bool) -> list[dict[str, str]]:
    """The live checklist: before the first keystroke no rule is met or missed ("neutral"),
    then each is "ok" or "ko"."""
    return [{"label": c.label, "state": ("ok" if c.ok else "ko") if typed else "neutral"} for c in checks]


def password_error(password: str, email: str = "", names: Iterable[str] = ()) -> str | None:
    if not password:
        return MSG_EMPTY
    for check in password_checks(password, email, names):
        if not check.ok:
            return _RULES[check.key][1]
    return None


def _prehash(password: str) -> bytes:
    # bcrypt only reads 72 bytes (bcrypt 5 raises beyond), and 128 accented
    # characters reach 256 bytes in UTF-8: hash first so every character counts.
    # base64 because bcrypt stops at the first NUL byte a raw digest may contain.
    digest = hashlib.sha256(_nfc(password).encode("utf-8")).digest()
    return base64.b64encode(digest)


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    if not password or not hashed:
        return False
    try:
        return bcrypt.checkpw(_prehash(password), hashed.encode("ascii"))
    except ValueError:  # malformed or foreign hash: never a match
        return False


# Hash of a random value nobody knows, at BCRYPT_ROUNDS cost (checked by a test):
# logins with an unknown e-mail verify against it so they take as long as real
# ones and do not reveal which addresses have an account.
DUMMY_HASH = "$2b$12$HK6LTDYX/2LQBXJdrI.PVeo/sawX1RIqKRjpImSelkrZuguABG35i"


def verify_against_dummy(password: str) -> bool:
    """Spend the time of a real check; always False."""
    bcrypt.checkpw(_prehash(password or "-"), DUMMY_HASH.encode("ascii"))
    return False


# No 0/O/o, 1/l/I, 5/S, 2/Z: the password is read from a letter or a screen.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRTUVWXY"
_DIGITS = "346789"
_SPECIAL = "#%+=?!@*"
PROVISIONAL_LENGTH = 16


def generate_provisional_password() -> str:
    """Random password that satisfies the policy (one of each character type)."""
    rng = secrets.SystemRandom()
    chars = [rng.choice(group) for group in (_LOWER, _UPPER, _DIGITS, _SPECIAL)]
    alphabet = _LOWER + _UPPER + _DIGITS + _SPECIAL
    chars += [rng.choice(alphabet) for _ in range(PROVISIONAL_LENGTH - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)
