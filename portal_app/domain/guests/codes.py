"""The guest's sign-in code: six digits mailed to the address, the proof that it is theirs.

One live code per address (a new request replaces it), valid 15 minutes, dead at the fifth
wrong try. Only a keyed hash is stored: a leaked table gives neither the codes nor a way to
test six-digit guesses offline. Code mails are throttled per address and per IP, and the page
answers the same whatever the address, so it tells no one whether an address has dossiers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, update
from sqlmodel import Session, select

from portal_app.domain.core import mail, throttle
from portal_app.domain.core.formats import normalize_email
from portal_app.domain.core.wording import duration
from portal_app.models import Dossier, Guest
from portal_app.models.base import as_utc, utcnow
from portal_app.settings import get_settings

CODE_TTL = timedelta(minutes=15)
IDLE = timedelta(days=1)
MAX_ATTEMPTS = 5

WRONG = "Ce code n'est pas le bon. Vérifiez le dernier code reçu par e-mail. Il vous reste {left}."
EXHAUSTED = "Vous avez saisi 5 codes erronés : ce code n'est plus valable. Demandez un nouveau code pour continuer."
EXPIRED = "Ce code n'est plus valable (il dure 15 minutes). Demandez un nouveau code pour continuer."
MALFORMED = "Le code se compose de 6 chiffres, par exemple 042917."


def hash_code(email: str, code: str) -> str:
    """Keyed with the application secret and bound to the address."""
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"portal:guest-code:{email}:{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def guest_for(db: Session, email: str) -> Guest | None:
    return db.exec(select(Guest).where(Guest.email == email)).first()


def _purge(db: Session, now: datetime) -> None:
    """An address with no dossier left and no code for a day is forgotten (like throttle counters)."""
    cutoff = now - IDLE
    has_dossier = exists().where(Dossier.guest_email == Guest.email, Dossier.owner_id.is_(None))  # type: ignore[arg-type, union-attr]  # SQLModel types a class column as its value, not as SQL
    db.execute(
        delete(Guest).where(
            Guest.created_at < cutoff,  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
            or_(Guest.code_expires_at.is_(None), Guest.code_expires_at < cutoff),  # type: ignore[union-attr, operator]  # SQLModel types a class column as its value, not as SQL
            ~has_dossier,
        )
    )


def send_code(db: Session, email: str, client_ip: str, now: datetime | None = None) -> bool:
    """Mail a new code to a well-formed address unless the throttle refuses; the old code dies.
    Returns whether a mail left (the page must not say it)."""
    now = now or utcnow()
    _purge(db, now)
    email = normalize_email(email)
    if not throttle.allow(db, throttle.Kind.GUEST_CODE_MAIL, address=email, ip=client_ip, now=now):
        return False
    guest = guest_for(db, email) or Guest(email=email, created_at=now)
    code = new_code()
    guest.code_hash = hash_code(email, code)
    guest.code_expires_at = now + CODE_TTL
    guest.code_attempts = 0
    db.add(guest)
    db.flush()
    mail.queue(db, email, "guest_code", code=code, valid_for=duration(CODE_TTL))
    return True


@dataclass(frozen=True)
class CodeCheck:
    guest: Guest | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.guest is not None


def check_code(db: Session, email: str, code: str, now: datetime | None = None) -> CodeCheck:
    """Use up the code if it is right (it works once); else count the try. An address that
    never got a code reads like an expired code."""
    now = now or utcnow()
    email = normalize_email(email)
    code = "".join((code or "").split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return CodeCheck(error=MALFORMED)
    guest = guest_for(db, email)
    if guest is None or not guest.code_hash or guest.code_expires_at is None:
        return CodeCheck(error=EXPIRED)
    if as_utc(guest.code_expires_at) <= now:
        return CodeCheck(error=EXHAUSTED if guest.code_attempts >= MAX_ATTEMPTS else EXPIRED)
    # Each try is counted in one conditional UPDATE before the comparison: tries sent at once
    # (several tabs, several workers) cannot share one count and get past the fifth.
    table = Guest.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ when it makes the class
    connection = db.connection()
    counted = connection.execute(
        update(table)
        .where(table.c.id == guest.id, table.c.code_attempts < MAX_ATTEMPTS)
        .values(code_attempts=table.c.code_attempts + 1)
    ).rowcount
    if counted != 1:
        return CodeCheck(error=EXHAUSTED)
    expected = hash_code(email, code)
    if not hmac.compare_digest(guest.code_hash, expected):
        left = MAX_ATTEMPTS - guest.code_attempts - 1
        if left <= 0:
            return CodeCheck(error=EXHAUSTED)
        return CodeCheck(error=WRONG.format(left="1 essai" if left == 1 else f"{left} essais"))
    # The right code works once: only the try that clears it goes on.
    claimed = connection.execute(
        update(table)
        .where(table.c.id == guest.id, table.c.code_hash == expected)
        .values(code_hash="", code_expires_at=None, code_attempts=0, confirmed_at=guest.confirmed_at or now)
    ).rowcount
    if claimed != 1:
        return CodeCheck(error=EXPIRED)
    db.refresh(guest)
    return CodeCheck(guest=guest)
