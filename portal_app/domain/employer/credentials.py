"""An employer's credentials: its identifier, and its password rules (the portal's plus the
habits of the employer space it replaces), also on the forgotten-password page."""

from __future__ import annotations

import re
import secrets

from portal_app.domain.accounts.passwords import (
    MSG_EMPTY,
    PasswordCheck,
    checklist_rows,
    password_checks,
    password_error,
)
from portal_app.domain.core import tokens
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.tokens import Purpose
from portal_app.models import Role, User

IDENTIFIER_MIN, IDENTIFIER_MAX = 6, 40
# Lower case only (logins are compared lower-cased), never "@": an identifier must not look
# like somebody's e-mail address, which the login form tries first.
_IDENTIFIER = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")
_PROVISIONAL_ALPHABET = "abcdefghjkmnpqrstuvwxyz3456789"


# ---------------------------------------------------------------- password rules

# The employer space this portal replaces asked for 8 characters, one capital and one special
# character. Employers keep those two habits on top of the portal's own rules.
_EMPLOYER_RULES = {
    "capital": ("Au moins une majuscule", "Votre mot de passe doit contenir au moins une majuscule."),
    "special": (
        "Au moins un caractère spécial (par exemple ! ? # @ -)",
        "Votre mot de passe doit contenir au moins un caractère spécial, par exemple ! ? # @ -.",
    ),
}


def employer_password_checks(password: str, email: str = "") -> list[PasswordCheck]:
    # A company has no first name or surname: that rule would only be noise here.
    checks = [check for check in password_checks(password, email=email) if check.key != "no_name"]
    checks.append(PasswordCheck("capital", _EMPLOYER_RULES["capital"][0], any(c.isupper() for c in password)))
    checks.append(
        PasswordCheck(
            "special", _EMPLOYER_RULES["special"][0], any(not c.isalnum() and not c.isspace() for c in password)
        )
    )
    return checks


def employer_checklist(password: str, email: str = "") -> list[dict]:
    """The live checklist, neutral before the first keystroke as on every form."""
    return checklist_rows(employer_password_checks(password, email), typed=bool(password))


def employer_password_error(password: str, email: str = "") -> str | None:
    if not password:
        return MSG_EMPTY
    problem = password_error(password, email=email)
    if problem:
        return problem
    for check in employer_password_checks(password, email)[-2:]:
        if not check.ok:
            return _EMPLOYER_RULES[check.key][1]
    return None


def _password_pair_errors(data: dict, email: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    password = str(data.get("password", ""))
    problem = employer_password_error(password, email)
    if problem:
        errors["password"] = problem
    confirm = str(data.get("password_confirm", ""))
    if not confirm:
        errors["password_confirm"] = "Confirmez votre mot de passe."
    elif confirm != password:
        errors["password_confirm"] = "Les deux mots de passe ne sont pas identiques."
    return errors


# ---------------------------------------------------------------- identifiers


def normalize_identifier(value: str) -> str:
    return (value or "").strip().lower()


def identifier_error(value: str) -> str | None:
    identifier = normalize_identifier(value)
    if not identifier:
        return "Choisissez votre identifiant."
    if len(identifier) < IDENTIFIER_MIN or len(identifier) > IDENTIFIER_MAX:
        return f"Votre identifiant doit comporter entre {IDENTIFIER_MIN} et {IDENTIFIER_MAX} caractères."
    if not _IDENTIFIER.fullmatch(identifier):
        return (
            "Votre identifiant ne peut contenir que des lettres sans accent, des chiffres, des points, "
            "des tirets et des tirets bas, et doit commencer et finir par une lettre ou un chiffre."
        )
    return None


def provisional_identifier() -> str:
    return "prov-" + "".join(secrets.choice(_PROVISIONAL_ALPHABET) for _ in range(8))


# ---------------------------------------------------------------- forgotten password


def reset_needs_identifier(raw: str) -> bool:
    """Employers retype their identifier on the reset page: a forwarded mail is not enough."""
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.PASSWORD_RESET)
        if not check.ok:
            return False
        user = db.get(User, check.token.user_id)
        return user is not None and user.role == Role.EMPLOYER.value


def reset_identifier_error(raw: str, identifier: str) -> str | None:
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.PASSWORD_RESET)
        if not check.ok:
            return None  # the reset itself reports the dead link
        user = db.get(User, check.token.user_id)
        if not normalize_identifier(identifier):
            return "Indiquez votre identifiant."
        if user is None or normalize_identifier(identifier) != (user.login or ""):
            return "Cet identifiant ne correspond pas au compte de ce lien."
        return None


def reset_password_errors(raw: str, data: dict) -> dict[str, str]:
    """The employer's password rules on the reset page (the portal's, plus two habits)."""
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.PASSWORD_RESET)
        if not check.ok:
            return {}
        user = db.get(User, check.token.user_id)
        return _password_pair_errors(data, user.email)
