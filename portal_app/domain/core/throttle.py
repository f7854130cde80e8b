"""Counters per hashed subject, in the database so that every worker sees the same ones.

The one way to throttle: `allow(db, kind, address=…, ip=…)` counts one more request of `kind`
for an address and for an IP, and says whether both are still under their limit in the current
window. Mails that a stranger can trigger (reset, activation resend, "account exists", unlock)
go only when it says yes, and the page answers the same either way; /suivi lookups say "try
again later". Login failures and their
temporisation (accounts/lockout.py) keep their count in the same table through `counter()`.

Subjects are stored as an HMAC keyed with the application secret: a leaked table cannot be
reversed by hashing candidate addresses, and an address someone merely typed leaves nothing
readable. Rows older than the longest window are purged on every use, so the table stays
bounded by the traffic of one day.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete
from sqlmodel import Session, select

from portal_app.domain.core.formats import normalize_email
from portal_app.models import ThrottleCounter
from portal_app.models.base import as_utc, utcnow
from portal_app.settings import get_settings


class Kind(StrEnum):
    RESET_MAIL = "reset_mail"
    ACTIVATION_MAIL = "activation_mail"
    ACCOUNT_EXISTS_MAIL = "account_exists_mail"
    UNLOCK_MAIL = "unlock_mail"
    # A FranceConnect identity asking to be linked to the account of an address (by a mailed link).
    FRANCECONNECT_LINK_MAIL = "fc_link_mail"
    # accounts/lockout.py: consecutive failed logins of one identifier, and the tab where its
    # owner just chose a new password through the mailed link.
    LOGIN_FAILURES = "login_failures"
    LOGIN_GRACE = "login_grace"
    # /suivi: each lookup of a dossier by address and number (dossiers/tracking.py).
    TRACKING_LOOKUP = "tracking_lookup"
    # Filing without an account: each sign-in code mailed to a guest (domain/guests).
    GUEST_CODE_MAIL = "guest_code_mail"


@dataclass(frozen=True)
class Limit:
    per_address: int
    per_ip: int
    window: timedelta = timedelta(hours=1)


# A person who does not see a mail asks again once or twice; an office behind one address
# (NAT) may ask for a few dozen people an hour. Beyond that it is a flood.
LIMITS = {
    Kind.RESET_MAIL: Limit(per_address=3, per_ip=20),
    Kind.ACTIVATION_MAIL: Limit(per_address=3, per_ip=20),
    Kind.ACCOUNT_EXISTS_MAIL: Limit(per_address=3, per_ip=20),
    Kind.FRANCECONNECT_LINK_MAIL: Limit(per_address=3, per_ip=20),
    # Each unlock mail carries a fresh reset link that supersedes the previous one: at most one
    # an hour, the lifetime of that link, so the owner's link stays valid while they read it.
    Kind.UNLOCK_MAIL: Limit(per_address=1, per_ip=20),
    # Guessing dossier numbers for one address, or addresses from one machine, stops quickly.
    # A code lives 15 minutes and a new one replaces it: a few an hour for a real person.
    Kind.GUEST_CODE_MAIL: Limit(per_address=3, per_ip=20),
    Kind.TRACKING_LOOKUP: Limit(per_address=5, per_ip=5, window=timedelta(minutes=15)),
}
# No counter lives longer than this: the purge horizon, and the window of login failures.
RETENTION = timedelta(days=1)


def subject_key(kind: Kind, scope: str, value: str) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"portal:throttle:{kind}:{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def _purge(db: Session, now: datetime) -> None:
    db.execute(delete(ThrottleCounter).where(ThrottleCounter.window_start < now - RETENTION))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL


def counter(db: Session, kind: Kind, scope: str, value: str, now: datetime | None = None) -> ThrottleCounter:
    """The counter of one subject, created at zero when missing and locked until `db` commits
    (PostgreSQL: row lock; SQLite: the insert takes the database's write lock), so that two
    workers counting for the same subject take turns."""
    now = now or utcnow()
    _purge(db, now)
    key = subject_key(kind, scope, value)
    connection = db.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    connection.execute(
        insert(ThrottleCounter.__table__)  # type: ignore[attr-defined]  # SQLModel sets __table__ when it makes the class
        .values(kind=kind.value, key=key, window_start=now, last_at=now, count=0)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
    )
    row = db.exec(
        select(ThrottleCounter)
        .where(ThrottleCounter.kind == kind.value, ThrottleCounter.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    row.window_start = as_utc(row.window_start)
    row.last_at = as_utc(row.last_at)
    return row


def seen_since(db: Session, kind: Kind, scope: str, value: str, since: datetime) -> bool:
    """Whether a counter of this subject was started at `since` or later (a recent mark)."""
    key = subject_key(kind, scope, value)
    found = db.exec(
        select(ThrottleCounter.id).where(
            ThrottleCounter.kind == kind.value,
            ThrottleCounter.key == key,
            ThrottleCounter.window_start >= since,  # type: ignore[operator]  # SQLModel types a class column as its value, not as SQL
        )
    ).first()
    return found is not None


def forget(db: Session, kind: Kind, scope: str, value: str) -> None:
    key = subject_key(kind, scope, value)
    db.execute(delete(ThrottleCounter).where(ThrottleCounter.kind == kind.value, ThrottleCounter.key == key))  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL


def _hit(db: Session, kind: Kind, scope: str, value: str, limit: int, window: timedelta, now: datetime) -> bool:
    row = counter(db, kind, scope, value, now)
    if row.window_start <= now - window:
        row.window_start, row.count = now, 0
    if row.count >= limit:
        return False
    row.count += 1
    row.last_at = now
    db.add(row)
    db.flush()
    return True


def allow(db: Session, kind: Kind, *, address: str, ip: str, now: datetime | None = None) -> bool:
    """Count one request of `kind` about `address` from `ip`; False once either is over its limit.

    The IP is counted first: a request it refuses does not use up the address's allowance. A
    refused request issues no new link either, so the last link mailed stays the valid one."""
    now = now or utcnow()
    limit = LIMITS[kind]
    if not _hit(db, kind, "ip", (ip or "").strip(), limit.per_ip, limit.window, now):
        return False
    return _hit(db, kind, "address", normalize_email(address), limit.per_address, limit.window, now)
