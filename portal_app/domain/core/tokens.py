"""Single-use tokens sent by mail: only their hash is stored; a newer one kills the older."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from portal_app.domain.core.wording import duration
from portal_app.models import OneTimeToken
from portal_app.models.base import as_utc, utcnow


class Purpose(StrEnum):
    ACTIVATION = "activation"
    PASSWORD_RESET = "password_reset"
    EMAIL_CHANGE = "email_change"
    LOGIN_TICKET = "login_ticket"
    EMPLOYER_CONFIRMATION = "employer_confirm"
    # Links an identity back from FranceConnect to the account of the address it is mailed to.
    FRANCECONNECT_LINK = "franceconnect_link"
    # Filing without an account (domain/guests): the one-minute ticket that turns a typed code
    # into a guest session cookie, the mailed link that resumes a draft, and that session.
    GUEST_TICKET = "guest_ticket"
    GUEST_RESUME = "guest_resume"
    GUEST_SESSION = "guest_session"


TTL = {
    Purpose.ACTIVATION: timedelta(hours=48),
    Purpose.PASSWORD_RESET: timedelta(hours=1),
    Purpose.EMAIL_CHANGE: timedelta(hours=48),
    Purpose.LOGIN_TICKET: timedelta(seconds=60),
    Purpose.EMPLOYER_CONFIRMATION: timedelta(days=7),
    # No longer than the identity waits for its account (franceconnect/trips.PENDING_LIFETIME).
    Purpose.FRANCECONNECT_LINK: timedelta(minutes=30),
    Purpose.GUEST_TICKET: timedelta(seconds=60),
    Purpose.GUEST_RESUME: timedelta(days=30),
    Purpose.GUEST_SESSION: timedelta(hours=2),
}


def validity(purpose: Purpose) -> str:
    """How long a mailed link lasts, in the words every mail and page uses ("1 heure")."""
    return duration(TTL[purpose])


class TokenState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class TokenCheck:
    state: TokenState
    token: OneTimeToken | None = None

    @property
    def ok(self) -> bool:
        return self.state is TokenState.VALID


def new_token() -> str:
    # 256 bits, URL-safe: goes into links.
    return secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def supersede(db: Session, user_id: int | None, purpose: Purpose, payload: str, now: datetime) -> None:
    """Every live token of this user (or, for a guest, of this payload) and purpose dies."""
    owner = (
        [OneTimeToken.user_id == user_id]
        if user_id is not None
        else [OneTimeToken.user_id.is_(None), OneTimeToken.payload == payload]  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    )
    older = db.exec(
        select(OneTimeToken).where(
            *owner,  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
            OneTimeToken.purpose == purpose.value,
            OneTimeToken.used_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            OneTimeToken.superseded_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        )
    ).all()
    for token in older:
        token.superseded_at = now
        db.add(token)


def issue(db: Session, user_id: int | None, purpose: Purpose, payload: str = "", *, alongside: bool = False) -> str:
    """Create a token and supersede every live older one of the same purpose. A guest's token
    (user_id None, domain/guests) supersedes only those with the same payload; `alongside`:
    none (a guest's sessions, one per browser, like an account's)."""
    now = utcnow()
    if not alongside:
        supersede(db, user_id, purpose, payload, now)
    raw = new_token()
    db.add(
        OneTimeToken(
            user_id=user_id,
            purpose=purpose.value,
            token_hash=hash_token(raw),
            created_at=now,
            expires_at=now + TTL[purpose],
            payload=payload,
        )
    )
    db.flush()
    return raw


def check(db: Session, raw: str, purpose: Purpose) -> TokenCheck:
    """Tell whether a token may be used, without using it."""
    if not raw:
        return TokenCheck(TokenState.UNKNOWN)
    token = db.exec(
        select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(raw), OneTimeToken.purpose == purpose.value)
    ).first()
    if token is None:
        return TokenCheck(TokenState.UNKNOWN)
    if token.used_at is not None:
        return TokenCheck(TokenState.USED, token)
    if token.superseded_at is not None:
        return TokenCheck(TokenState.SUPERSEDED, token)
    if as_utc(token.expires_at) <= utcnow():
        return TokenCheck(TokenState.EXPIRED, token)
    return TokenCheck(TokenState.VALID, token)


def consume(db: Session, raw: str, purpose: Purpose) -> TokenCheck:
    result = check(db, raw, purpose)
    if result.ok and result.token is not None:
        now = utcnow()
        # Claim the token in one conditional UPDATE: of two redemptions at once (two workers),
        # only one changes the row; the other sees it used.
        claimed = (
            db.connection()
            .execute(
                update(OneTimeToken)
                .where(
                    OneTimeToken.id == result.token.id,  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
                    OneTimeToken.used_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                    OneTimeToken.superseded_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
                )
                .values(used_at=now)
            )
            .rowcount
        )
        if claimed != 1:
            return TokenCheck(TokenState.USED, result.token)
        set_committed_value(result.token, "used_at", now)
    return result


def revoke_all(db: Session, user_id: int, purpose: Purpose) -> None:
    now = utcnow()
    for token in db.exec(
        select(OneTimeToken).where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == purpose.value,
            OneTimeToken.used_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
            OneTimeToken.superseded_at.is_(None),  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
        )
    ).all():
        token.superseded_at = now
        db.add(token)
