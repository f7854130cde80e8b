"""What every account journey shares: finding an account, naming its owner, links and form results."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from sqlmodel import Session, select

from portal_app.domain.accounts.signup_form import person_names
from portal_app.domain.core.formats import normalize_email
from portal_app.domain.core.tokens import TokenState
from portal_app.models import User
from portal_app.settings import get_settings


def link(path: str, token: str | None = None) -> str:
    base = get_settings().base_url
    return f"{base}{path}" + (f"?jeton={quote(token)}" if token else "")


def first_name(user: User) -> str:
    return user.first_names.split(" ")[0] if user.first_names else ""


def names_of(user: User) -> tuple[str, ...]:
    """The owner's names, which a password must not contain."""
    return person_names({"birth_name": user.birth_name, "usage_name": user.usage_name, "first_names": user.first_names})


def user_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalize_email(email))).first()


def find_login(db: Session, identifier: str) -> User | None:
    """Beneficiaries and agents log in with their email, employers with their identifier."""
    identifier = identifier.strip()
    if not identifier:
        return None
    user = user_by_email(db, identifier)
    if user is None:
        user = db.exec(select(User).where(User.login == identifier.lower())).first()
    if user is None or user.closed_at is not None:
        return None
    return user


@dataclass
class FormResult:
    errors: dict[str, str] = field(default_factory=dict)
    state: TokenState = TokenState.VALID

    @property
    def ok(self) -> bool:
        return not self.errors and self.state is TokenState.VALID
