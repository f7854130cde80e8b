"""Self-hosted anti-robot check: an ALTCHA proof of work, each solved challenge accepted once.

The browser widget fetches `new_challenge()` as JSON, spends about a second of CPU finding the
counter, and posts a base64 payload in the form field `altcha`; `verify()` checks it here.

Deterministic mode: the server picks the counter and signs the derived key, so every visitor
does a similar amount of work and verification is two HMACs, no key derivation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from altcha import Payload, create_challenge, verify_solution
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from portal_app.domain.core.db import session_scope
from portal_app.models import UsedChallenge
from portal_app.models.base import utcnow
from portal_app.settings import get_settings

FIELD_NAME = "altcha"

ALGORITHM = "PBKDF2/SHA-256"
# PBKDF2 iterations per attempt, and the range the secret counter is drawn from. The visitor
# makes counter+1 attempts spread over its cores (WebCrypto in Web Workers). Measured in Chromium
# on a 2-core server CPU: about 0.24 ms an attempt on one core, so 0.5 to 1 s for these numbers
# (the widget shows its spinner for at least 0.5 s anyway); phones have more cores, and ARMv8 has
# SHA-256 instructions. Issuing a challenge costs the server one attempt (0.24 ms).
COST = 1_000
COUNTER_MIN = 2_000
COUNTER_MAX = 4_000
CHALLENGE_TTL = timedelta(minutes=10)
# Rows outlive their challenge a little: clocks of several workers never agree to the second.
REDEEM_MARGIN = timedelta(minutes=1)
# A real payload is well under 1 KB; refuse anything absurd before decoding it.
MAX_PAYLOAD_LENGTH = 4_096

MSG_MISSING = "Cochez la case « Je ne suis pas un robot » et attendez la fin de la vérification."
MSG_REFUSED = "La vérification anti-robot a expiré ou a déjà servi : cochez de nouveau la case."


def _secret(purpose: str) -> str:
    # Derived keys: the application secret itself never signs anything a visitor can see.
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"portal:altcha:{purpose}".encode(), hashlib.sha256).hexdigest()


def new_challenge(*, expires_at: datetime | None = None) -> dict:
    """A signed challenge for the widget (JSON-serialisable)."""
    if expires_at is None:
        expires_at = utcnow() + CHALLENGE_TTL
    challenge = create_challenge(
        algorithm=ALGORITHM,
        cost=COST,
        counter=COUNTER_MIN + secrets.randbelow(COUNTER_MAX - COUNTER_MIN + 1),
        expires_at=expires_at,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def verify(payload: str | None) -> str | None:
    """None when the payload proves a fresh, unused solved challenge, else the message to show."""
    payload = (payload or "").strip()
    if not payload:
        return MSG_MISSING
    if len(payload) > MAX_PAYLOAD_LENGTH:
        return MSG_REFUSED
    try:
        result = verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
        if not result.verified:
            return MSG_REFUSED
        challenge = Payload.from_base64(payload).challenge
        signature, expires_at = challenge.signature, challenge.parameters.expires_at
    except Exception:  # malformed input of any kind is a refusal, never a crash
        return MSG_REFUSED
    # Our challenges always carry an expiry; a signed one without it is not ours to accept.
    if not signature or not isinstance(expires_at, int):
        return MSG_REFUSED
    if not _redeem(signature, datetime.fromtimestamp(expires_at, tz=UTC)):
        return MSG_REFUSED
    return None


def _redeem(key: str, expires_at: datetime) -> bool:
    """Record the challenge as used; False when it already was (the unique key says so)."""
    now = utcnow()
    try:
        with session_scope() as db:
            # Opportunistic purge: an expired challenge is refused before it gets here.
            db.execute(delete(UsedChallenge).where(UsedChallenge.expires_at < now))
            db.add(UsedChallenge(key=key, expires_at=expires_at + REDEEM_MARGIN))
    except IntegrityError:
        return False
    return True
