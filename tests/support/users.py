"""The one way tests make a user: a row written straight into a database.

    add_user(engine, "camille@exemple.fr")                      activated beneficiary, PASSWORD
    add_user(engine, email, **APPLICANT)                        whose profile fills a PTP's identity step
    add_user(engine, email, role="agent", password="…")

Unit tests get it through the `make_user` fixture (tests/unit/conftest.py); end-to-end tests
through tests/support/browser.create_active_user / create_applicant (the served database).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from tests.support.demarche_data import VALID_NIR

PASSWORD = "Tournesol-2024!"

# A profile complete enough to prefill every identity field of a PTP draft.
APPLICANT: dict[str, Any] = {
    "birth_date": date(1990, 4, 12),
    "nir": VALID_NIR,
    "phone": "06 12 34 56 78",
    "address_line": "12 rue des Lilas",
    "postal_code": "75011",
    "city": "Paris",
}


def password_hash(password: str) -> str:
    """A bcrypt hash of `password` at the cost in force (production's 12 rounds in end-to-end
    tests, 4 in unit tests): about 0.3 s each at 12 on this machine, for hundreds of users. The
    salt is what makes two hashes of one password differ, and no test compares two users' hashes,
    so each password is hashed once per process and cost."""
    from portal_app.domain.accounts import passwords

    return _hash_once(password, passwords.BCRYPT_ROUNDS)


@cache
def _hash_once(password: str, rounds: int) -> str:  # rounds: part of the cache key
    from portal_app.domain.accounts import passwords

    return passwords.hash_password(password)


def add_user(engine, email: str, *, password: str = PASSWORD, role: str = "beneficiary", **fields: Any):
    """An activated account (Madame Camille Martin unless `fields` say otherwise). Returns the User row."""
    from sqlmodel import Session

    from portal_app.models import User
    from portal_app.models.base import utcnow

    values: dict[str, Any] = {
        "role": role,
        "civility": "Madame",
        "first_names": "Camille",
        "birth_name": "Martin",
        "is_active": True,
        "activated_at": utcnow(),
        **fields,
    }
    user = User(email=email.strip().lower(), password_hash=password_hash(password), **values)
    with Session(engine, expire_on_commit=False) as db:
        db.add(user)
        db.commit()
        db.refresh(user)
    return user


def add_ready_employer(
    engine, email: str, login: str, *, password: str = PASSWORD, company_name: str = "Menuiserie Test"
):
    """An employer past personalisation and confirmation (a company, no civil identity).
    Returns (User, EmployerAccount)."""
    from sqlmodel import Session

    from portal_app.models import EmployerAccount
    from portal_app.models.base import utcnow
    from tests.support.demarche_data import unique_siret

    user = add_user(
        engine, email, password=password, role="employer", login=login, civility="", first_names="", birth_name=""
    )
    now = utcnow()
    account = EmployerAccount(
        user_id=user.id,
        company_name=company_name,
        siret=unique_siret(),
        personalised_at=now,
        confirmed_at=now,
        privacy_accepted_at=now,
    )
    with Session(engine, expire_on_commit=False) as db:
        db.add(account)
        db.commit()
    return user, account
