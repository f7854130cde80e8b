"""Sign-up and activation: an inactive account, then the mailed link that proves the address."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.accounts.signup_form import cleaned_identity, validate_registration
from portal_app.domain.accounts.users import first_name, link, user_by_email
from portal_app.domain.core import mail, throttle, tokens
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.throttle import Kind
from portal_app.domain.core.tokens import Purpose, TokenState
from portal_app.models import User
from portal_app.models.base import utcnow


@dataclass
class RegistrationResult:
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def register(data: dict, *, client_ip: str) -> RegistrationResult:
    """Create an inactive account, or mail the owner of an existing one. Same answer either way,
    and the same work: the password is hashed (the one slow step) before the address is looked
    up, so an existing address is not answered faster than a new one."""
    errors = validate_registration(data)
    if errors:
        return RegistrationResult(errors)
    identity = cleaned_identity(data)
    password_hash = hash_password(str(data["password"]))
    try:
        with session_scope() as db:
            existing = user_by_email(db, identity["email"])
            if existing is not None:
                queue_account_exists(db, existing.email, client_ip)
            else:
                twin = db.exec(
                    select(User).where(User.nir == identity["nir"], User.closed_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                ).first()
                user = User(
                    **identity,
                    password_hash=password_hash,
                    duplicate_of_id=twin.id if twin else None,
                )
                db.add(user)
                db.flush()
                queue_activation(db, user)
    except IntegrityError:
        # Two sign-ups with the same address at once: the loser is told like any existing owner.
        with session_scope() as db:
            queue_account_exists(db, identity["email"], client_ip)
    return RegistrationResult()


def queue_account_exists(db: UnitOfWork, email: str, client_ip: str) -> None:
    """Tell an address's owner that someone tried to use it for another account (throttled)."""
    if not throttle.allow(db, Kind.ACCOUNT_EXISTS_MAIL, address=email, ip=client_ip):
        return
    mail.queue(
        db,
        email,
        "account_exists",
        login_link=link("/connexion"),
        reset_link=link("/mot-de-passe-oublie"),
    )


def queue_activation(db: UnitOfWork, user: User) -> None:
    """A fresh activation link (the older dies), mailed once this work commits."""
    raw = tokens.issue(db, user.id, Purpose.ACTIVATION)
    mail.queue(db, user.email, "activation", first_name=first_name(user), link=link("/activation", raw))


def resend_activation(email: str, *, client_ip: str) -> None:
    """Issue a fresh activation link when the account waits for one. Counted per address and
    per IP whatever the address; over the limit no link is issued, the last one stays valid."""
    with session_scope() as db:
        user = user_by_email(db, email)
        allowed = throttle.allow(db, Kind.ACTIVATION_MAIL, address=email, ip=client_ip)
        if allowed and user is not None and not user.is_active and user.closed_at is None:
            queue_activation(db, user)


@dataclass
class ActivationResult:
    state: TokenState
    duplicate: bool = False


def activate(raw: str) -> ActivationResult:
    with session_scope() as db:
        result = tokens.consume(db, raw, Purpose.ACTIVATION)
        if not result.ok:
            return ActivationResult(result.state)
        user = db.get(User, result.token.user_id)
        user.is_active = True
        user.activated_at = utcnow()
        db.add(user)
        duplicate = user.duplicate_of_id is not None
        if duplicate:
            mail.queue(db, user.email, "duplicate_notice", first_name=first_name(user))
    return ActivationResult(TokenState.VALID, duplicate)
