"""Employer accounts: created by the agency, personalised at first login, confirmed by mail.

Stages, enforced by every employer page and handler:
  PERSONALISE  provisional identifier and password (7 days) in use: only personalisation is open;
  CONFIRM      identifier and password chosen, confirmation link mailed: still nothing else;
  READY        link followed, password typed again, privacy policy accepted: the space is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal_app.domain import accounts
from portal_app.domain.accounts import link
from portal_app.domain.accounts.passwords import (
    generate_provisional_password,
    hash_password,
    verify_password,
)
from portal_app.domain.core import audit, mail, tokens
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.formats import email_error, normalize_email, normalize_siret, siret_error
from portal_app.domain.core.tokens import Purpose, TokenState
from portal_app.domain.core.wording import duration
from portal_app.domain.employer.credentials import (
    _password_pair_errors,
    identifier_error,
    normalize_identifier,
    provisional_identifier,
)
from portal_app.models import EmployerAccount, Role, User
from portal_app.models.base import utcnow

PROVISIONAL_VALIDITY = timedelta(days=7)


class Stage(StrEnum):
    PERSONALISE = "personalise"
    CONFIRM = "confirm"
    READY = "ready"


@dataclass
class Result:
    errors: dict[str, str] = field(default_factory=dict)
    state: TokenState = TokenState.VALID
    value: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and self.state is TokenState.VALID


# ---------------------------------------------------------------- lookups


def account_of(db: Session, user_id: int) -> EmployerAccount | None:
    return db.exec(select(EmployerAccount).where(EmployerAccount.user_id == user_id)).first()


def stage_of(account: EmployerAccount | None) -> Stage | None:
    if account is None:
        return None
    if account.personalised_at is None:
        return Stage.PERSONALISE
    if account.confirmed_at is None:
        return Stage.CONFIRM
    return Stage.READY


@dataclass(frozen=True)
class EmployerView:
    """What pages may show about the employer, detached from the database session."""

    user_id: int
    company_name: str
    siret: str
    login: str
    email: str
    stage: Stage


def view(user_id: int) -> EmployerView | None:
    with session_scope() as db:
        user = db.get(User, user_id)
        account = account_of(db, user_id)
        if user is None or account is None or user.role != Role.EMPLOYER.value:
            return None
        return EmployerView(
            user_id, account.company_name, account.siret, user.login or "", user.email, stage_of(account)
        )


def ready(user_id: int) -> bool:
    """True when the employer may use its space (every protected handler asks)."""
    found = view(user_id)
    return found is not None and found.stage is Stage.READY


# ---------------------------------------------------------------- creation by the agency


@dataclass
class Created:
    errors: dict[str, str] = field(default_factory=dict)
    identifier: str = ""
    password: str = ""
    mailed: bool = False


def create_employer(company_name: str, siret: str, email: str, *, agent_id: int | None = None) -> Created:
    """Create the account and mail provisional credentials. The agency never sees the password.
    Created from the back office (agent_id), the audit entry is stored with the account."""
    errors: dict[str, str] = {}
    company_name = " ".join((company_name or "").split())
    if not company_name:
        errors["company_name"] = "Indiquez la raison sociale."
    elif len(company_name) > 200:
        errors["company_name"] = "La raison sociale ne doit pas dépasser 200 caractères."
    problem = siret_error(siret)
    if problem:
        errors["siret"] = problem
    problem = email_error(email)
    if problem:
        errors["email"] = problem
    if errors:
        return Created(errors)
    siret, email = normalize_siret(siret), normalize_email(email)
    password = generate_provisional_password()
    identifier = provisional_identifier()
    try:
        with session_scope() as db:
            if db.exec(select(EmployerAccount).where(EmployerAccount.siret == siret)).first():
                return Created({"siret": "Un compte employeur existe déjà pour ce SIRET."})
            if db.exec(select(User).where(User.email == email)).first():
                return Created({"email": "Un compte existe déjà avec cette adresse e-mail."})
            now = utcnow()
            user = User(
                email=email,
                login=identifier,
                role=Role.EMPLOYER.value,
                password_hash=hash_password(password),
                password_expires_at=now + PROVISIONAL_VALIDITY,
                # The agency knows this company: no activation step.
                is_active=True,
                activated_at=now,
            )
            db.add(user)
            db.flush()
            db.add(EmployerAccount(user_id=user.id, company_name=company_name, siret=siret))
            if agent_id is not None:
                audit.record(db, agent_id, "create_employer", company_name=company_name, identifier=identifier)
            welcome = mail.queue(
                db,
                email,
                "employer_welcome",
                company_name=company_name,
                identifier=identifier,
                password=password,
                valid_for=duration(PROVISIONAL_VALIDITY),
                login_link=link("/connexion"),
            )
    except IntegrityError:
        return Created({"siret": "Un compte existe déjà pour ce SIRET ou cette adresse e-mail."})
    return Created(identifier=identifier, password=password, mailed=bool(welcome.queued))


# ---------------------------------------------------------------- first login


PERSONALISE_ORDER = ("identifier", "password", "password_confirm")


def personalise(user_id: int, data: dict) -> Result:
    """Replace the provisional identifier and password, then mail the confirmation link."""
    identifier = normalize_identifier(str(data.get("identifier", "")))
    password = str(data.get("password", ""))
    try:
        with session_scope() as db:
            user = db.get(User, user_id)
            account = account_of(db, user_id)
            if user is None or stage_of(account) is not Stage.PERSONALISE:
                return Result({"identifier": "Votre compte est déjà personnalisé."})
            errors: dict[str, str] = {}
            problem = identifier_error(identifier)
            if problem:
                errors["identifier"] = problem
            elif identifier == user.login:
                errors["identifier"] = "Choisissez un identifiant différent de votre identifiant provisoire."
            elif db.exec(select(User).where(User.login == identifier)).first() is not None:
                errors["identifier"] = "Cet identifiant est déjà utilisé : choisissez-en un autre."
            errors.update(_password_pair_errors(data, user.email))
            if "password" not in errors and verify_password(password, user.password_hash):
                errors["password"] = "Choisissez un mot de passe différent de votre mot de passe provisoire."
            if errors:
                return Result(errors)
            old_identifier = user.login or ""
            user.login = identifier
            user.password_hash = hash_password(password)
            user.password_expires_at = None
            db.add(user)
            account.personalised_at = utcnow()
            db.add(account)
            db.flush()
            raw = tokens.issue(db, user.id, Purpose.EMPLOYER_CONFIRMATION)
            _queue_confirmation(db, user.email, account.company_name, old_identifier, identifier, raw)
    except IntegrityError:
        return Result({"identifier": "Cet identifiant est déjà utilisé : choisissez-en un autre."})
    return Result()


def _queue_confirmation(db: UnitOfWork, email: str, company: str, old: str, new: str, raw: str) -> None:
    mail.queue(
        db,
        email,
        "employer_personalised",
        company_name=company,
        old_identifier=old or "—",
        new_identifier=new,
        link=link("/employeur/confirmation", raw),
    )


def resend_confirmation(user_id: int) -> bool:
    """A fresh confirmation link (the older dies) while the account waits for one."""
    with session_scope() as db:
        user = db.get(User, user_id)
        account = account_of(db, user_id)
        if user is None or stage_of(account) is not Stage.CONFIRM:
            return False
        raw = tokens.issue(db, user.id, Purpose.EMPLOYER_CONFIRMATION)
        _queue_confirmation(db, user.email, account.company_name, "—", user.login or "", raw)
    return True


def confirmation_state(raw: str) -> TokenState:
    with session_scope() as db:
        return tokens.check(db, raw, Purpose.EMPLOYER_CONFIRMATION).state


def confirm(raw: str, data: dict) -> Result:
    """The last step: the new password once more and the privacy policy. Single use."""
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.EMPLOYER_CONFIRMATION)
        if not check.ok:
            return Result(state=check.state)
        user = db.get(User, check.token.user_id)
        account = account_of(db, check.token.user_id)
        errors: dict[str, str] = {}
        # The same temporisation as the login form: this is a password guess too.
        gate = accounts.check_password(db, user, str(data.get("password", "")))
        if gate.status is not accounts.LoginStatus.OK:
            errors["password"] = (
                "Ce n'est pas le mot de passe que vous venez de choisir."
                if gate.status is accounts.LoginStatus.INVALID
                else accounts.current_password_problem(gate)
            )
        if data.get("accept_privacy") not in (True, "on", "true", "1", 1):
            errors["accept_privacy"] = "Acceptez la politique de confidentialité pour accéder à votre espace."
        if errors:
            return Result(errors)
        tokens.consume(db, raw, Purpose.EMPLOYER_CONFIRMATION)
        now = utcnow()
        account.confirmed_at = now
        account.privacy_accepted_at = now
        db.add(account)
        return Result(value=user.login or "")
