"""An identity FranceConnect vouched for, that no account knows yet: create its account (email
confirmed, terms accepted) or link it to the account that already uses its email (after that
account's password). And the way back: unlinking, only for an account with a password."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from portal_app.domain.accounts.login import check_password, current_password_problem
from portal_app.domain.accounts.signup import queue_activation
from portal_app.domain.accounts.users import user_by_email
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.formats import email_error, normalize_email
from portal_app.domain.franceconnect.client import Level
from portal_app.domain.franceconnect.identity import certify, subject_column, subject_of
from portal_app.domain.franceconnect.places import place_name
from portal_app.domain.franceconnect.trips import refusal_for, waiting
from portal_app.models import FranceConnectLogin, Role, User
from portal_app.models.base import utcnow


@dataclass(frozen=True)
class PendingIdentity:
    first_names: str
    birth_name: str
    usage_name: str
    birth_date: str
    birthplace: str
    email: str


class Step(StrEnum):
    SIGNED_IN = "signed_in"  # the route /_portal/franceconnect/terminer opens the session
    MAILED = "mailed"  # a mailed link activates the new account, or links the existing one
    PASSWORD = "password"  # the address has an account: its password (or a mailed link) links the two
    ERROR = "error"


@dataclass
class StepResult:
    step: Step
    message: str = ""
    field: str = ""


EXPIRED = "Votre retour de FranceConnect date de trop longtemps. Recommencez avec le bouton FranceConnect."


def _french_date(iso: str) -> str:
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def pending(browser_key: str | None) -> PendingIdentity | None:
    with session_scope() as db:
        trip = waiting(db, browser_key)
        if trip is None:
            return None
        claims = json.loads(trip.identity)
        return PendingIdentity(
            first_names=str(claims.get("given_name", "")),
            birth_name=str(claims.get("family_name", "")),
            usage_name=str(claims.get("preferred_username", "")),
            birth_date=_french_date(str(claims.get("birthdate", ""))),
            birthplace=place_name(str(claims.get("birthplace", "")), str(claims.get("birthcountry", ""))),
            email=normalize_email(str(claims.get("email", ""))),
        )


def confirm(browser_key: str | None, email: str, accepted_terms: bool, client_ip: str = "") -> StepResult:
    """The address FranceConnect gave, with an account: its password (or a mailed link) links
    the two. Another address: the same answer whether it has an account or not (a link that
    links, or one that activates a new account, is mailed there)."""
    from portal_app.domain.franceconnect.link_mail import queue_link  # it imports this module

    problem = email_error(email)
    if problem:
        return StepResult(Step.ERROR, problem, "email")
    if not accepted_terms:
        return StepResult(
            Step.ERROR, "Acceptez les conditions générales d'utilisation pour créer votre compte.", "accept_terms"
        )
    email = normalize_email(email)
    try:
        with session_scope() as db:
            trip = waiting(db, browser_key)
            if trip is None:
                return StepResult(Step.ERROR, EXPIRED)
            claims = json.loads(trip.identity)
            existing = user_by_email(db, email)
            confirmed = email == normalize_email(str(claims.get("email", "")))
            if existing is not None and not confirmed:
                queue_link(db, trip, existing, client_ip)
                return StepResult(Step.MAILED)
            if existing is not None:
                if existing.role != Role.BENEFICIARY.value:
                    return StepResult(Step.ERROR, ROLE_REFUSED, "email")
                trip.return_to = email  # the account whose password (or mailbox) will link it
                db.add(trip)
                return StepResult(Step.PASSWORD)
            user = User(email=email, role=Role.BENEFICIARY.value, password_hash="", is_active=confirmed)
            user.activated_at = utcnow() if confirmed else None
            certify(user, claims, Level(trip.level))
            db.add(user)
            db.flush()
            if not confirmed:
                queue_activation(db, user)
                trip.status, trip.identity = "done", ""
            else:
                trip.status, trip.user_id = "ready", user.id
            trip.updated_at = utcnow()
            db.add(trip)
            return StepResult(Step.SIGNED_IN if confirmed else Step.MAILED)
    except IntegrityError:
        # The same identity or address taken a moment ago (another tab): nothing half stored.
        return StepResult(Step.ERROR, "Ce compte vient d'être créé. Connectez-vous avec FranceConnect.")


ROLE_REFUSED = (
    "Cette adresse est celle d'un compte employeur ou agent : ces comptes ne peuvent pas utiliser "
    "FranceConnect. Indiquez une autre adresse, ou connectez-vous avec votre identifiant et votre mot de passe."
)


def link_with_password(browser_key: str | None, password: str, tab: str = "") -> StepResult:
    """The existing account's password proves it is theirs: the identity is linked to it."""
    with session_scope() as db:
        trip = waiting(db, browser_key)
        user = user_by_email(db, trip.return_to) if trip is not None and trip.return_to else None
        if user is None:
            return StepResult(Step.ERROR, EXPIRED)
        problem = current_password_problem(check_password(db, user, password, tab))
        if problem:
            return StepResult(Step.ERROR, problem, "password")
        return attach(db, user, trip, "password")


ALREADY_LINKED = "Ce compte ou cette identité est déjà relié à FranceConnect."


def attach(db: UnitOfWork, user: User, trip: FranceConnectLogin, field: str = "") -> StepResult:
    """Link the trip's identity to an account whose owner proved it is theirs (its password, or
    the link mailed to its address); the trip is then ready to open the session."""
    if refusal_for(user) == "fc-role":
        return StepResult(Step.ERROR, ROLE_REFUSED, field)
    claims, level = json.loads(trip.identity), Level(trip.level)
    taken = db.exec(select(User).where(subject_column(level) == str(claims["sub"]))).first()
    if taken is not None or subject_of(user, level):
        return StepResult(Step.ERROR, ALREADY_LINKED)
    certify(user, claims, level)
    if not user.is_active:
        # FranceConnect vouched for the person, the password or the mailbox for the account.
        user.is_active, user.activated_at = True, utcnow()
    db.add(user)
    trip.status, trip.user_id, trip.updated_at = "ready", user.id, utcnow()
    db.add(trip)
    return StepResult(Step.SIGNED_IN)


def unlink(user_id: int, password: str, tab: str = "") -> str | None:
    """None when done, else the French reason. Without a password the account could no longer
    be entered: the person sets one first."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None or not user.franceconnect_linked:
            return "Votre compte n'est pas relié à FranceConnect."
        if not user.password_hash:
            return "Choisissez d'abord un mot de passe (« Mot de passe oublié ») : sans lui, vous ne pourriez plus vous connecter."
        problem = current_password_problem(check_password(db, user, password, tab))
        if problem:
            return problem
        user.fc_sub = user.fcplus_sub = None
        db.add(user)
        return None
