"""A trip to FranceConnect and back: the pending request (state, nonce, PKCE verifier, bound to
the browser that left), then what the callback does with a verified answer.

Three steps, three short transactions: the request is spent before any network I/O, the answer
is checked outside any transaction (client.authenticate), and its effect is written at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import select

from portal_app.domain.accounts import sessions
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.navigation import home_for
from portal_app.domain.core.tokens import hash_token
from portal_app.domain.franceconnect import client
from portal_app.domain.franceconnect.client import Authentication, Level, Refused
from portal_app.domain.franceconnect.identity import SUBJECT, certify, same_person, subject_column, subject_of
from portal_app.models import FranceConnectLogin, LoginSession, Role, User
from portal_app.models.base import as_utc, utcnow

# FranceConnect's own pages take a person a few minutes; an older state is not accepted.
TRIP_LIFETIME = timedelta(minutes=10)
# An identity waiting for its account (email, terms, or the existing account's password).
PENDING_LIFETIME = timedelta(minutes=30)


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    CONFIRM = "confirm"
    STEPPED_UP = "stepped_up"
    REFUSED = "refused"


@dataclass
class Result:
    outcome: Outcome
    reason: str = ""  # a LoginState.REASONS key, for REFUSED
    session_token: str = ""
    target: str = ""


def begin(level: Level, browser_key: str, *, redirect_uri: str, user_id: int | None = None, return_to: str = "") -> str:
    """Store the request and answer the provider's authorize URL (discovery may fetch: blocking)."""
    registration = client.registration(level)
    if registration is None:
        raise Refused("not configured")
    state, nonce, verifier = client.new_secret(), client.new_secret(), client.new_secret()
    url = client.authorization_url(
        registration, level, state=state, nonce=nonce, verifier=verifier, redirect_uri=redirect_uri
    )
    with session_scope() as db:
        db.add(
            FranceConnectLogin(
                state_hash=hash_token(state),
                browser_key_hash=hash_token(browser_key),
                nonce=nonce,
                code_verifier=verifier,
                level=level.value,
                user_id=user_id,
                return_to=return_to[:300],
            )
        )
    return url


def _spend(state: str, browser_key: str | None) -> FranceConnectLogin | None:
    """The trip this state belongs to, spent at once; None when it is unknown, spent, too old,
    or belongs to another browser (which does not spend it)."""
    if not state or not browser_key:
        return None
    with session_scope() as db:
        trip = db.exec(select(FranceConnectLogin).where(FranceConnectLogin.state_hash == hash_token(state))).first()
        if trip is None or trip.browser_key_hash != hash_token(browser_key) or trip.status != "sent":
            return None
        if utcnow() - as_utc(trip.created_at) > TRIP_LIFETIME:
            return None
        trip.status, trip.updated_at = "spent", utcnow()
        db.add(trip)
        db.flush()
        db.expunge(trip)
        return trip


def refusal_for(user: User) -> str | None:
    """Why this account cannot be entered with FranceConnect, as a LoginState.REASONS key."""
    if user.role != Role.BENEFICIARY.value:
        return "fc-role"
    if user.closed_at is not None:
        return "fc-echec"
    if not user.is_active:
        return "fc-inactif"
    return None


def open_fc_session(db: UnitOfWork, user: User, auth_id_token: str, acr: str, user_agent: str) -> str:
    """A login session like the password's (sessions.open_session), remembering what logout
    through end_session and a démarche's assurance level need."""
    raw = sessions.open_session(db, user, user_agent)
    login = db.exec(select(LoginSession).where(LoginSession.token_hash == hash_token(raw))).one()
    login.fc_id_token, login.fc_acr, login.fc_authenticated_at = auth_id_token, acr, utcnow()
    db.add(login)
    return raw


def finish(
    params: dict, browser_key: str | None, *, redirect_uri: str, user_agent: str, session_token: str | None
) -> Result:
    trip = _spend(str(params.get("state", "")), browser_key)
    if trip is None:
        return Result(Outcome.REFUSED, "fc-echec")
    result = _finish(trip, params, redirect_uri=redirect_uri, user_agent=user_agent, session_token=session_token)
    if result.outcome is Outcome.REFUSED and trip.user_id is not None:
        # A step-up that failed goes back to the page that asked for it, which says why.
        result.target = trip.return_to
    return result


def _finish(
    trip: FranceConnectLogin, params: dict, *, redirect_uri: str, user_agent: str, session_token: str | None
) -> Result:
    if params.get("error"):
        return Result(Outcome.REFUSED, "fc-annule" if params.get("error") == "access_denied" else "fc-echec")
    level = Level(trip.level)
    registration = client.registration(level)
    if registration is None:
        return Result(Outcome.REFUSED, "fc-echec")
    try:
        auth = client.authenticate(
            registration,
            level,
            code=str(params.get("code", "")),
            verifier=trip.code_verifier,
            nonce=trip.nonce,
            redirect_uri=redirect_uri,
        )
    except Refused as refused:
        return Result(Outcome.REFUSED, "fc-niveau" if refused.reason.startswith("acr") else "fc-echec")
    if trip.user_id is not None:
        return _step_up(trip, auth, session_token)
    return _sign_in(trip, auth, user_agent)


def _sign_in(trip: FranceConnectLogin, auth: Authentication, user_agent: str) -> Result:
    with session_scope() as db:
        column = subject_column(Level(trip.level))
        user = db.exec(select(User).where(column == str(auth.claims["sub"]))).first()
        if user is not None:
            refusal = refusal_for(user)
            if refusal:
                return Result(Outcome.REFUSED, refusal)
            token = open_fc_session(db, user, auth.id_token, auth.acr, user_agent)
            _set_status(db, trip.id, "done")
            return Result(Outcome.SIGNED_IN, session_token=token, target=home_for(user.role))
        row = db.get(FranceConnectLogin, trip.id)
        row.identity, row.id_token, row.acr = json.dumps(auth.claims), auth.id_token, auth.acr
        row.status, row.updated_at = "returned", utcnow()
        db.add(row)
    return Result(Outcome.CONFIRM)


def _step_up(trip: FranceConnectLogin, auth: Authentication, session_token: str | None) -> Result:
    """FranceConnect+ for a signed-in person (before filing a démarche that asks for it): the
    identity must be theirs, and the session they are in records the level."""
    with session_scope() as db:
        found = sessions.resolve(db, session_token)
        if found is None or found[0].id != trip.user_id:
            return Result(Outcome.REFUSED, "fc-echec")
        user, login = found
        if not _recognised(db, user, Level(trip.level), auth.claims):
            return Result(Outcome.REFUSED, "fc-autre")
        login.fc_id_token, login.fc_acr, login.fc_authenticated_at = auth.id_token, auth.acr, utcnow()
        db.add(login)
        _set_status(db, trip.id, "done")
        return Result(Outcome.STEPPED_UP, target=trip.return_to)


def _recognised(db: UnitOfWork, user: User, level: Level, claims: dict) -> bool:
    """The identity is this account's: its subject for that client, or, the first time through
    that client, the pivot identity the account holds certified (then its subject is kept). An
    account with no certified identity yet (a password account) is certified by its first step-up:
    from then on only that person passes, and the account shows the identity read-only."""
    sub = str(claims["sub"])
    owner = db.exec(select(User).where(subject_column(level) == sub)).first()
    if owner is not None:
        return owner.id == user.id
    if subject_of(user, level):
        return False
    if not user.franceconnect_linked:
        certify(user, claims, level)
        db.add(user)
        return True
    if not same_person(user, claims):
        return False
    setattr(user, SUBJECT[level], sub)
    db.add(user)
    return True


def _set_status(db: UnitOfWork, trip_id: int, status: str) -> None:
    row = db.get(FranceConnectLogin, trip_id)
    row.status, row.updated_at = status, utcnow()
    db.add(row)


def waiting(db: UnitOfWork, browser_key: str | None, status: str = "returned") -> FranceConnectLogin | None:
    """This browser's latest trip in `status`, while it is fresh enough."""
    if not browser_key:
        return None
    trip = db.exec(
        select(FranceConnectLogin)
        .where(FranceConnectLogin.browser_key_hash == hash_token(browser_key), FranceConnectLogin.status == status)
        .order_by(FranceConnectLogin.id.desc())  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    ).first()
    if trip is None or utcnow() - as_utc(trip.updated_at) > PENDING_LIFETIME:
        return None
    return trip


def complete(browser_key: str | None, user_agent: str) -> Result:
    """Open the session of an account just created or linked from the confirmation page."""
    with session_scope() as db:
        trip = waiting(db, browser_key, "ready")
        user = db.get(User, trip.user_id) if trip is not None and trip.user_id else None
        if user is None or refusal_for(user):
            return Result(Outcome.REFUSED, "fc-echec")
        token = open_fc_session(db, user, trip.id_token, trip.acr, user_agent)
        trip.status, trip.updated_at, trip.identity = "done", utcnow(), ""
        db.add(trip)
        return Result(Outcome.SIGNED_IN, session_token=token, target=home_for(user.role))
