"""Login sessions: a random token in an HttpOnly cookie, its hash in the database."""

from __future__ import annotations

import functools
import hashlib
import hmac
from datetime import timedelta
from http.cookies import CookieError, SimpleCookie

from sqlalchemy import bindparam
from sqlmodel import Session, select

from portal_app.domain.core.tokens import hash_token, new_token
from portal_app.models import LoginSession, User
from portal_app.models.base import as_utc, utcnow

COOKIE_NAME = "portal_session"
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# Writing last_used_at on every event would make each keystroke a write: a minute is precise enough.
TOUCH_EVERY = timedelta(minutes=1)
LOGOUT_HINT_WINDOW = timedelta(minutes=2)

# The login ticket is bound to the browser that asked for it: the login page sets this cookie
# (SameSite=Strict, for the ticket route only, as long as the ticket lives) and the route wants
# it. Another site can hand a victim's browser a ticket URL, never this cookie.
TICKET_COOKIE = "portal_ticket"
TICKET_COOKIE_PATH = "/_portal/session/start"


@functools.lru_cache(maxsize=4096)
def token_from_cookie_header(header: str | None, name: str = COOKIE_NAME) -> str | None:
    """The session token in a raw Cookie header (the websocket handshake's, an upload's);
    `name`: another cookie of the same kind (the guest session's, domain/guests).
    Remembered: every event of a tab asks it of the same header, and parsing it was a tenth
    of an event's time on the event loop (issue 18)."""
    jar = SimpleCookie()
    try:
        jar.load(header or "")
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel and morsel.value else None


@functools.lru_cache(maxsize=4096)  # asked at every event of every tab (tab_session.py)
def fingerprint(raw: str | None) -> str:
    """What a tab's server-side state remembers of the session it was made under: "" for none.
    Not the database's hash, so neither store holds the other's value."""
    if not raw:
        return ""
    return hashlib.sha256(b"tab-session:" + raw.encode()).hexdigest()


def same_browser(key_hash: str, browser_key: str | None) -> bool:
    """Whether the browser's ticket cookie is the one the ticket was issued with."""
    if not key_hash or not browser_key:
        return False
    return hmac.compare_digest(key_hash, hash_token(browser_key))


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


# Built once, one statement: every event that finds the session cache stale asks it (issue 18).
_SESSION_AND_USER = (
    select(LoginSession, User)
    .join(User, User.id == LoginSession.user_id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def resolve(db: Session, raw: str | None, touch: bool = True) -> tuple[User, LoginSession] | None:
    """The user behind a session token, or None when it is unknown, ended or timed out."""
    if not raw:
        return None
    found = db.exec(_SESSION_AND_USER, params={"token_hash": hash_token(raw)}).first()  # type: ignore[call-overload]  # a prebuilt select with a bound parameter
    if found is None:
        return None
    login, user = found
    now = utcnow()
    if not _live(login, now) or user.closed_at is not None or not user.is_active:
        return None
    if touch and now - as_utc(login.last_used_at) >= TOUCH_EVERY:
        login.last_used_at = now
        db.add(login)
    return user, login


def end_session(db: Session, raw: str | None) -> str | None:
    """End the session; answer its FranceConnect id_token, if any (the hint for the provider's
    logout). The logout button ends the session in its event, then loads the logout route: that
    route still gets the hint for a session ended a moment ago."""
    if not raw:
        return None
    login = db.exec(select(LoginSession).where(LoginSession.token_hash == hash_token(raw))).first()
    if login is None:
        return None
    now = utcnow()
    if login.revoked_at is None:
        login.revoked_at = now
        db.add(login)
    return login.fc_id_token if now - as_utc(login.revoked_at) <= LOGOUT_HINT_WINDOW else None


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
