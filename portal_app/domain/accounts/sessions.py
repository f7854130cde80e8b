"""Login sessions: a random token in an HttpOnly cookie, its hash in the database."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from portal_app.domain.core.tokens import hash_token, new_token
from portal_app.models import LoginSession, User
from portal_app.models.base import as_utc, utcnow

COOKIE_NAME = "portal_session"
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# Writing last_used_at on every event would make each keystroke a write: a minute is precise enough.
TOUCH_EVERY = timedelta(minutes=1)


def open_session(db: Session, user: User, user_agent: str = "") -> str:
    raw = new_token()
    db.add(LoginSession(user_id=user.id, token_hash=hash_token(raw), user_agent=user_agent[:300]))
    db.flush()
    return raw


def _live(login: LoginSession, now) -> bool:
    if login.revoked_at is not None:
        return False
    if now - as_utc(login.created_at) > ABSOLUTE_TIMEOUT:
        return False
    return now - as_utc(login.last_used_at) <= IDLE_TIMEOUT


def resolve(db: Session, raw: str | None, touch: bool = True) -> tuple[User, LoginSession] | None:
    """The user behind a session token, or None when it is unknown, ended or timed out."""
    if not raw:
        return None
    login = db.exec(select(LoginSession).where(LoginSession.token_hash == hash_token(raw))).first()
    now = utcnow()
    if login is None or not _live(login, now):
        return None
    user = db.get(User, login.user_id)
    if user is None or user.closed_at is not None or not user.is_active:
        return None
    if touch and now - as_utc(login.last_used_at) >= TOUCH_EVERY:
        login.last_used_at = now
        db.add(login)
    return user, login


def end_session(db: Session, raw: str | None) -> None:
    if not raw:
        return
    login = db.exec(select(LoginSession).where(LoginSession.token_hash == hash_token(raw))).first()
    if login is not None and login.revoked_at is None:
        login.revoked_at = utcnow()
        db.add(login)


def end_all_sessions(db: Session, user_id: int) -> int:
    now = utcnow()
    live = db.exec(
        select(LoginSession).where(
            LoginSession.user_id == user_id,
            LoginSession.revoked_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        )
    ).all()
    for login in live:
        login.revoked_at = now
        db.add(login)
    return len(live)
