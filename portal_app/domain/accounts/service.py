"""The account lifecycle: sign-up, activation, login with lockout, reset, profile, deletion.

Each function is one unit of work: it commits, then sends its mails, so a mail never
carries a link that the database does not know, and a mail failure loses nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal_app.domain.accounts import lockout, sessions
from portal_app.domain.accounts.passwords import hash_password, verify_against_dummy, verify_password
from portal_app.domain.accounts.signup_form import (
    cleaned_identity,
    password_pair_errors,
    person_names,
    validate_registration,
)
from portal_app.domain.core import mail, tokens
from portal_app.domain.core.dates import paris_time
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import email_error, normalize_email
from portal_app.domain.core.navigation import home_for
from portal_app.domain.core.tokens import Purpose, TokenState
from portal_app.models import LoginSession, OneTimeToken, User
from portal_app.models.base import as_utc, utcnow
from portal_app.settings import get_settings

log = logging.getLogger("portal.accounts")


@dataclass
class Outgoing:
    to: str
    template: str
    context: dict = field(default_factory=dict)


def _deliver(outgoing: list[Outgoing]) -> None:
    for item in outgoing:
        mail.send_mail(item.to, item.template, **item.context)


def link(path: str, token: str | None = None) -> str:
    base = get_settings().base_url
    return f"{base}{path}" + (f"?jeton={quote(token)}" if token else "")


def _first_name(user: User) -> str:
    return user.first_names.split(" ")[0] if user.first_names else ""


def _user_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalize_email(email))).first()


def find_login(db: Session, identifier: str) -> User | None:
    """Beneficiaries and agents log in with their email, employers with their identifier."""
    identifier = identifier.strip()
    if not identifier:
        return None
    user = _user_by_email(db, identifier)
    if user is None:
        user = db.exec(select(User).where(User.login == identifier.lower())).first()
    if user is None or user.closed_at is not None:
        return None
    return user


# ---------------------------------------------------------------- sign-up


@dataclass
class RegistrationResult:
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def register(data: dict) -> RegistrationResult:
    """Create an inactive account, or mail the owner of an existing one. Same answer either way."""
    errors = validate_registration(data)
    if errors:
        return RegistrationResult(errors)
    identity = cleaned_identity(data)
    outgoing: list[Outgoing] = []
    try:
        with session_scope() as db:
            existing = _user_by_email(db, identity["email"])
            if existing is not None:
                outgoing.append(_account_exists_mail(existing.email))
            else:
                twin = db.exec(
                    select(User).where(User.nir == identity["nir"], User.closed_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                ).first()
                user = User(
                    **identity,
                    password_hash=hash_password(str(data["password"])),
                    duplicate_of_id=twin.id if twin else None,
                )
                db.add(user)
                db.flush()
                raw = tokens.issue(db, user.id, Purpose.ACTIVATION)
                outgoing.append(_activation_mail(user, raw))
    except IntegrityError:
        # Two sign-ups with the same address at once: the loser is told like any existing owner.
        outgoing = [_account_exists_mail(identity["email"])]
    _deliver(outgoing)
    return RegistrationResult()


def _account_exists_mail(email: str) -> Outgoing:
    return Outgoing(
        email,
        "account_exists",
        {"login_link": link("/connexion"), "reset_link": link("/mot-de-passe-oublie")},
    )


def _activation_mail(user: User, raw: str) -> Outgoing:
    return Outgoing(
        user.email,
        "activation",
        {"first_name": _first_name(user), "link": link("/activation", raw)},
    )


def resend_activation(email: str) -> None:
    """Issue a fresh activation link (killing the older) when the account waits for one."""
    outgoing: list[Outgoing] = []
    with session_scope() as db:
        user = _user_by_email(db, email)
        if user is not None and not user.is_active and user.closed_at is None:
            outgoing.append(_activation_mail(user, tokens.issue(db, user.id, Purpose.ACTIVATION)))
    _deliver(outgoing)


@dataclass
class ActivationResult:
    state: TokenState
    duplicate: bool = False


def activate(raw: str) -> ActivationResult:
    outgoing: list[Outgoing] = []
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
            outgoing.append(Outgoing(user.email, "duplicate_notice", {"first_name": _first_name(user)}))
    _deliver(outgoing)
    return ActivationResult(TokenState.VALID, duplicate)


# ---------------------------------------------------------------- login


class LoginStatus(StrEnum):
    OK = "ok"
    INVALID = "invalid"
    NOT_ACTIVATED = "not_activated"
    DELAYED = "delayed"
    BLOCKED = "blocked"
    PASSWORD_EXPIRED = "password_expired"


@dataclass
class LoginResult:
    status: LoginStatus
    ticket: str = ""
    retry_at: datetime | None = None
    failures: int = 0


@dataclass
class PasswordGate:
    status: LoginStatus
    retry_at: datetime | None = None
    mails: list[Outgoing] = field(default_factory=list)


def _check_password(db: Session, user: User, password: str) -> PasswordGate:
    """The one place a user's password is checked: CNIL temporisation applies to every guess,
    at login and on the account pages alike."""
    # One guess at a time per account, whatever the worker: the user row stays locked until
    # this unit of work commits, so every failure is counted and every gate sees the last one.
    db.refresh(user, with_for_update=True)
    now = utcnow()
    if lockout.is_blocked(user.failed_logins):
        verify_against_dummy(password)
        return PasswordGate(LoginStatus.BLOCKED)
    allowed_at = lockout.login_allowed_at(user.failed_logins, as_utc(user.last_failed_login_at))
    if allowed_at is not None and now < allowed_at:
        verify_against_dummy(password)
        return PasswordGate(LoginStatus.DELAYED, retry_at=allowed_at)
    if verify_password(password, user.password_hash):
        user.failed_logins = 0
        user.last_failed_login_at = None
        db.add(user)
        return PasswordGate(LoginStatus.OK)
    user.failed_logins += 1
    user.last_failed_login_at = now
    db.add(user)
    if lockout.is_blocked(user.failed_logins):
        sessions.end_all_sessions(db, user.id)
        raw = tokens.issue(db, user.id, Purpose.PASSWORD_RESET)
        mail_item = Outgoing(
            user.email,
            "account_locked",
            {"first_name": _first_name(user), "reset_link": link("/mot-de-passe-oublie", raw)},
        )
        return PasswordGate(LoginStatus.BLOCKED, mails=[mail_item])
    delay_until = lockout.login_allowed_at(user.failed_logins, now)
    if delay_until is not None:
        return PasswordGate(LoginStatus.DELAYED, retry_at=delay_until)
    return PasswordGate(LoginStatus.INVALID)


def current_password_problem(gate: PasswordGate) -> str | None:
    """French message for a wrong current password typed on an account page."""
    if gate.status is LoginStatus.OK:
        return None
    if gate.status is LoginStatus.BLOCKED:
        return (
            "Trop d'erreurs de mot de passe : votre compte est bloqué. Choisissez un nouveau mot de passe "
            "avec le lien envoyé par e-mail."
        )
    if gate.status is LoginStatus.DELAYED and gate.retry_at is not None:
        return f"Le mot de passe est incorrect. Par sécurité, vous pourrez réessayer à partir de {paris_time(gate.retry_at)}."
    return "Le mot de passe est incorrect."


def authenticate(identifier: str, password: str) -> LoginResult:
    """Check credentials with CNIL temporisation. On success, return a one-minute login ticket."""
    with session_scope() as db:
        user = find_login(db, identifier)
        if user is None:
            verify_against_dummy(password)
            return LoginResult(LoginStatus.INVALID)
        gate = _check_password(db, user, password)
        if gate.status is not LoginStatus.OK:
            result = LoginResult(gate.status, retry_at=gate.retry_at, failures=user.failed_logins)
        elif user.password_expires_at is not None and as_utc(user.password_expires_at) <= utcnow():
            result = LoginResult(LoginStatus.PASSWORD_EXPIRED)
        elif not user.is_active:
            # Said only after a correct password, so it reveals nothing to a stranger.
            result = LoginResult(LoginStatus.NOT_ACTIVATED)
        else:
            result = LoginResult(LoginStatus.OK, ticket=tokens.issue(db, user.id, Purpose.LOGIN_TICKET))
    _deliver(gate.mails)
    return result


def open_session_from_ticket(ticket: str, user_agent: str) -> tuple[str, str] | None:
    """Trade a login ticket for (session token, home path): done by the route that sets the cookie."""
    with session_scope() as db:
        result = tokens.consume(db, ticket, Purpose.LOGIN_TICKET)
        if not result.ok:
            return None
        user = db.get(User, result.token.user_id)
        if user is None or not user.is_active or user.closed_at is not None:
            return None
        return sessions.open_session(db, user, user_agent), home_for(user.role)


def current_user(session_token: str | None) -> User | None:
    if not session_token:
        return None
    with session_scope() as db:
        found = sessions.resolve(db, session_token)
        return found[0] if found else None


def logout(session_token: str | None) -> None:
    with session_scope() as db:
        sessions.end_session(db, session_token)


def logout_everywhere(user_id: int) -> int:
    with session_scope() as db:
        return sessions.end_all_sessions(db, user_id)


def active_sessions(user_id: int) -> list[LoginSession]:
    with session_scope() as db:
        rows = db.exec(
            select(LoginSession)
            .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            .order_by(LoginSession.last_used_at.desc())  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
        ).all()
        now = utcnow()
        return [row for row in rows if sessions._live(row, now)]


# ---------------------------------------------------------------- password reset


def request_password_reset(identifier: str) -> None:
    """Mail a one-hour link when the account exists. The caller answers the same either way."""
    outgoing: list[Outgoing] = []
    with session_scope() as db:
        user = find_login(db, identifier)
        if user is not None:
            if user.is_active or user.failed_logins:
                raw = tokens.issue(db, user.id, Purpose.PASSWORD_RESET)
                outgoing.append(
                    Outgoing(
                        user.email,
                        "password_reset",
                        {"first_name": _first_name(user), "link": link("/mot-de-passe-oublie", raw)},
                    )
                )
            else:
                outgoing.append(_activation_mail(user, tokens.issue(db, user.id, Purpose.ACTIVATION)))
    _deliver(outgoing)


def reset_token_state(raw: str) -> TokenState:
    with session_scope() as db:
        return tokens.check(db, raw, Purpose.PASSWORD_RESET).state


@dataclass
class FormResult:
    errors: dict[str, str] = field(default_factory=dict)
    state: TokenState = TokenState.VALID

    @property
    def ok(self) -> bool:
        return not self.errors and self.state is TokenState.VALID


def _set_password(db: Session, user: User, password: str) -> Outgoing:
    user.password_hash = hash_password(password)
    user.password_expires_at = None
    user.failed_logins = 0
    user.last_failed_login_at = None
    db.add(user)
    sessions.end_all_sessions(db, user.id)
    tokens.revoke_all(db, user.id, Purpose.PASSWORD_RESET)
    return Outgoing(
        user.email,
        "password_changed",
        {"first_name": _first_name(user), "reset_link": link("/mot-de-passe-oublie")},
    )


def reset_password(raw: str, data: dict) -> FormResult:
    """Set a new password from a reset link: single use, ends every session, no automatic login."""
    outgoing: list[Outgoing] = []
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.PASSWORD_RESET)
        if not check.ok:
            return FormResult(state=check.state)
        user = db.get(User, check.token.user_id)
        errors = password_pair_errors(data, user.email, _names(user))
        if errors:
            return FormResult(errors)
        tokens.consume(db, raw, Purpose.PASSWORD_RESET)
        if not user.is_active:
            # The link reached the mailbox: that proves the address as activation would.
            user.is_active = True
            user.activated_at = utcnow()
        outgoing.append(_set_password(db, user, str(data["password"])))
    _deliver(outgoing)
    return FormResult()


def _names(user: User) -> tuple[str, ...]:
    return person_names({"birth_name": user.birth_name, "usage_name": user.usage_name, "first_names": user.first_names})


# ---------------------------------------------------------------- my account


def change_password(user_id: int, data: dict) -> FormResult:
    with session_scope() as db:
        user = db.get(User, user_id)
        errors = password_pair_errors(data, user.email, _names(user))
        if not errors and data.get("password") == data.get("current_password"):
            errors["password"] = "Choisissez un mot de passe différent de l'actuel."
        gate = _check_password(db, user, str(data.get("current_password", "")))
        outgoing = gate.mails
        problem = current_password_problem(gate)
        if problem:
            errors = {"current_password": problem, **errors}
        if not errors:
            outgoing.append(_set_password(db, user, str(data["password"])))
    _deliver(outgoing)
    return FormResult(errors)


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:2]}{'•' * max(len(local) - 2, 1)}@{domain}"


def request_email_change(user_id: int, data: dict) -> FormResult:
    new_email = normalize_email(str(data.get("new_email", "")))
    with session_scope() as db:
        user = db.get(User, user_id)
        errors: dict[str, str] = {}
        problem = email_error(str(data.get("new_email", "")))
        if problem:
            errors["new_email"] = problem
        elif new_email == user.email:
            errors["new_email"] = "Cette adresse est déjà celle de votre compte."
        gate = _check_password(db, user, str(data.get("password", "")))
        outgoing = gate.mails
        problem = current_password_problem(gate)
        if problem:
            errors["password"] = problem
        if not errors:
            if _user_by_email(db, new_email) is None:
                raw = tokens.issue(db, user.id, Purpose.EMAIL_CHANGE, payload=new_email)
                outgoing.append(
                    Outgoing(
                        new_email,
                        "email_change_confirm",
                        {"first_name": _first_name(user), "link": link("/mon-compte/email", raw)},
                    )
                )
            else:
                # Say nothing here about the other account: its owner is told instead.
                outgoing.append(_account_exists_mail(new_email))
            outgoing.append(
                Outgoing(
                    user.email,
                    "email_change_notice",
                    {"first_name": _first_name(user), "new_email_masked": mask_email(new_email)},
                )
            )
    _deliver(outgoing)
    return FormResult(errors)


@dataclass
class EmailChangeResult(FormResult):
    # The confirmation page names the new address, also to a visitor who is not signed in.
    new_email: str = ""


def confirm_email_change(raw: str) -> EmailChangeResult:
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.EMAIL_CHANGE)
        if not check.ok:
            return EmailChangeResult(state=check.state)
        if _user_by_email(db, check.token.payload) is not None:
            return EmailChangeResult({"new_email": "Cette adresse est désormais utilisée par un autre compte."})
        tokens.consume(db, raw, Purpose.EMAIL_CHANGE)
        user = db.get(User, check.token.user_id)
        user.email = check.token.payload
        db.add(user)
    return EmailChangeResult(new_email=check.token.payload)


PROFILE_FIELDS = ("birth_name", "usage_name", "first_names", "phone", "address_line", "postal_code", "city")


def update_profile(user_id: int, data: dict) -> FormResult:
    from portal_app.domain.accounts.profile import clean_profile

    cleaned, errors = clean_profile(data)
    if errors:
        return FormResult(errors)
    with session_scope() as db:
        user = db.get(User, user_id)
        for key, value in cleaned.items():
            setattr(user, key, value)
        db.add(user)
    return FormResult()


def update_preferences(user_id: int, notify_status: bool, notify_messages: bool) -> None:
    with session_scope() as db:
        user = db.get(User, user_id)
        user.notify_status = bool(notify_status)
        user.notify_messages = bool(notify_messages)
        db.add(user)


# Later features register here the rows they keep per user, so deletion stays complete.
PERSONAL_DATA_PURGERS: list = []


def delete_account(user_id: int, password: str) -> FormResult:
    with session_scope() as db:
        user = db.get(User, user_id)
        gate = _check_password(db, user, password)
        problem = current_password_problem(gate)
        if problem:
            errors = {"delete_password": problem}
    if problem:
        _deliver(gate.mails)
        return FormResult(errors)
    with session_scope() as db:
        user = db.get(User, user_id)
        outgoing = [Outgoing(user.email, "account_deleted", {"first_name": _first_name(user)})]
        for purge in PERSONAL_DATA_PURGERS:
            purge(db, user_id)
        for model in (LoginSession, OneTimeToken):
            for row in db.exec(select(model).where(model.user_id == user_id)).all():
                db.delete(row)
        for twin in db.exec(select(User).where(User.duplicate_of_id == user_id)).all():
            twin.duplicate_of_id = None
            db.add(twin)
        db.flush()
        db.delete(user)
    _deliver(outgoing)
    return FormResult()
