"""The identity FranceConnect certifies, as the account keeps it, and who it belongs to.

FranceConnect gives each client its own subject (`sub`) for one person, and FranceConnect+ is
another client than FranceConnect: an account keeps one subject per client (`users.fc_sub`,
`users.fcplus_sub`). A FranceConnect+ subject the account does not know yet is recognised in a
step-up by the pivot identity (first names, birth name, birth date, gender, birth place and
country) equal to the one the account already holds certified, and then remembered.
"""

from __future__ import annotations

import contextlib
from datetime import date

from portal_app.domain.franceconnect.client import Level
from portal_app.models import User

CIVILITY = {"female": "Mme", "male": "M."}
SUBJECT = {Level.FC: "fc_sub", Level.FCPLUS: "fcplus_sub"}


def subject_column(level: Level):
    return getattr(User, SUBJECT[level])


def subject_of(user: User, level: Level) -> str | None:
    return getattr(user, SUBJECT[level])


def certify(user: User, claims: dict, level: Level = Level.FC) -> None:
    """Write the identity FranceConnect certified; the account shows it read-only from now on."""
    setattr(user, SUBJECT[level], str(claims["sub"]))
    user.first_names = str(claims.get("given_name", ""))[:150]
    user.birth_name = str(claims.get("family_name", ""))[:100]
    user.usage_name = str(claims.get("preferred_username", "") or user.usage_name)[:100]
    with contextlib.suppress(ValueError):
        user.birth_date = date.fromisoformat(str(claims.get("birthdate", "")))
    user.civility = CIVILITY.get(str(claims.get("gender", "")), user.civility)
    user.birthplace = str(claims.get("birthplace", ""))[:5]
    user.birth_country = str(claims.get("birthcountry", ""))[:5]


def _words(value: object) -> str:
    return " ".join(str(value or "").split()).casefold()


def same_person(user: User, claims: dict) -> bool:
    """The claims' pivot identity is the one this account holds certified."""
    if not user.franceconnect_linked:
        return False
    pairs = (
        (user.first_names, str(claims.get("given_name", ""))[:150]),
        (user.birth_name, str(claims.get("family_name", ""))[:100]),
        (user.birth_date.isoformat() if user.birth_date else "", claims.get("birthdate")),
        (user.civility, CIVILITY.get(str(claims.get("gender", "")), "")),
        (user.birthplace, str(claims.get("birthplace", ""))[:5]),
        (user.birth_country, str(claims.get("birthcountry", ""))[:5]),
    )
    return all(_words(mine) == _words(theirs) for mine, theirs in pairs)
