"""Login with CNIL temporisation, the one password check, sessions and logout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import select

from portal_app.domain.accounts import lockout, session_cache, sessions
from portal_app.domain.accounts.passwords import verify_against_dummy, verify_password
from portal_app.domain.accounts.users import find_login, first_name, link
from portal_app.domain.core import mail, throttle, tokens
from portal_app.domain.core.dates import paris_time
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.navigation import home_for
from portal_app.domain.core.throttle import Kind
from portal_app.domain.core.tokens import Purpose
from portal_app.models import LoginSession, User
from portal_app.models.base import as_utc, utcnow


class LoginStatus(StrEnum):
    OK = "ok"
    INVALID = "invalid"
    NOT_ACTIVATED = "not_activated"
    DELAYED = "delayed"
    PASSWORD_EXPIRED = "password_expired"


@dataclass
class LoginResult:
    status: LoginStatus
    ticket: str = ""
    # Set by the login page in the browser as sessions.TICKET_COOKIE: the ticket opens nothing without it.
    browser_key: str = ""
    retry_at: datetime | None = None
    failures: int = 0


@dataclass
class PasswordGate:
    status: LoginStatus
    retry_at: datetime | None = None
    failures: int = 0


def _guess(identifier: str, password_hash: str | None, password: str, tab: str) -> PasswordGate:
    """One password guess for `identifier`, whether an account has it (`password_hash`) or not:
    the same turn taken, the same single bcrypt run, the same answers."""
    turn = lockout.take_turn(identifier, tab)
    if not turn.allowed:
        verify_against_dummy(password)
        return PasswordGate(LoginStatus.DELAYED, retry_at=turn.retry_at, failures=turn.failures)
    if password_hash is not None and verify_password(password, password_hash):
        return PasswordGate(LoginStatus.OK)
    if password_hash is None:
        verify_against_dummy(password)
    status = LoginStatus.INVALID if turn.retry_at is None else LoginStatus.DELAYED
    return PasswordGate(status, retry_at=turn.retry_at, failures=turn.failures)


def check_password(db: UnitOfWork, user: User, password: str, tab: str = "") -> PasswordGate:
    """The one place a user's password is checked: CNIL temporisation applies to every guess,
    at login and on the account pages alike."""
    gate = _guess(user.email, user.password_hash, password, tab)
    if gate.status is LoginStatus.OK:
        lockout.succeeded(db, user.email)
    return gate


def current_password_problem(gate: PasswordGate) -> str | None:
    """French message for a wrong current password typed on an account page."""
    if gate.status is LoginStatus.OK:
        return None
    if gate.status is LoginStatus.DELAYED and gate.retry_at is not None:
        return f"Le mot de passe est incorrect. Par sécurité, vous pourrez réessayer à partir de {paris_time(gate.retry_at)}."
    return "Le mot de passe est incorrect."


def _queue_unlock(db: UnitOfWork, user: User | None, identifier: str, client_ip: str) -> None:
    """An attempt that meets a wait: the owner is mailed a link that lets them in despite it
    (a new password). Counted for unknown addresses too, so both do the same work; at most
    one such mail an hour per address (throttle.LIMITS)."""
    allowed = throttle.allow(db, Kind.UNLOCK_MAIL, address=user.email if user else identifier, ip=client_ip)
    if allowed and user is not None:
        raw = tokens.issue(db, user.id, Purpose.PASSWORD_RESET)
        mail.queue(
            db,
            user.email,
            "account_unlock",
            first_name=first_name(user),
            reset_link=link("/mot-de-passe-oublie", raw),
        )


def authenticate(identifier: str, password: str, *, client_ip: str, tab: str = "") -> LoginResult:
    """Check credentials with CNIL temporisation. On success, return a one-minute login ticket.

    An unknown identifier is counted and answered exactly like a known one."""
    with session_scope() as db:
        user = find_login(db, identifier)
        gate = check_password(db, user, password, tab) if user is not None else _guess(identifier, None, password, tab)
        if gate.status is not LoginStatus.OK:
            if gate.status is LoginStatus.DELAYED:
                _queue_unlock(db, user, identifier, client_ip)
            return LoginResult(gate.status, retry_at=gate.retry_at, failures=gate.failures)
        if user.password_expires_at is not None and as_utc(user.password_expires_at) <= utcnow():
            return LoginResult(LoginStatus.PASSWORD_EXPIRED)
        if not user.is_active:
            # Said only after a correct password, so it reveals nothing to a stranger.
            return LoginResult(LoginStatus.NOT_ACTIVATED)
        key = tokens.new_token()
        ticket = tokens.issue(db, user.id, Purpose.LOGIN_TICKET, payload=tokens.hash_token(key))
        return LoginResult(LoginStatus.OK, ticket=ticket, browser_key=key)


def open_session_from_ticket(ticket: str, browser_key: str | None, user_agent: str) -> tuple[str, str] | None:
    """Trade a login ticket for (session token, home path): done by the route that sets the cookie,
    only in the browser that asked for the ticket (`browser_key`, from its ticket cookie)."""
    with session_scope() as db:
        # Checked before the ticket is used up: a stranger's attempt does not spend the owner's.
        found = tokens.check(db, ticket, Purpose.LOGIN_TICKET)
        if not found.ok or found.token is None or not sessions.same_browser(found.token.payload, browser_key):
            return None
        result = tokens.consume(db, ticket, Purpose.LOGIN_TICKET)
        if not result.ok:
            return None
        user = db.get(User, result.token.user_id)
        if user is None or not user.is_active or user.closed_at is not None:
            return None
        return sessions.open_session(db, user, user_agent), home_for(user.role)


def current_user(session_token: str | None, *, fresh: bool = False) -> User | None:
    """The user of a live session, or None (remembered by this worker for a few seconds unless
    `fresh`: accounts/session_cache.py)."""
    return session_cache.current_user(session_token, fresh=fresh)


def logout(session_token: str | None) -> str | None:
    with session_scope() as db:
        return sessions.end_session(db, session_token)


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
