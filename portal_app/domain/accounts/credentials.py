"""Credentials: forgotten password, password change, email change (each mails its owner)."""

from __future__ import annotations

from dataclasses import dataclass

from portal_app.domain.accounts import lockout, sessions
from portal_app.domain.accounts.login import check_password, current_password_problem
from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.accounts.signup import queue_account_exists, queue_activation
from portal_app.domain.accounts.signup_form import password_pair_errors
from portal_app.domain.accounts.users import FormResult, find_login, first_name, link, names_of, user_by_email
from portal_app.domain.core import mail, throttle, tokens
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.formats import email_error, normalize_email
from portal_app.domain.core.throttle import Kind
from portal_app.domain.core.tokens import Purpose, TokenState
from portal_app.models import User
from portal_app.models.base import utcnow

# ---------------------------------------------------------------- password reset


def request_password_reset(identifier: str, *, client_ip: str) -> None:
    """Mail a one-hour link when the account exists. The caller answers the same either way.

    Counted per address and per IP whether the account exists or not; over the limit nothing
    is mailed (and no link issued, so the last one mailed stays valid)."""
    with session_scope() as db:
        user = find_login(db, identifier)
        allowed = throttle.allow(db, Kind.RESET_MAIL, address=user.email if user else identifier, ip=client_ip)
        if user is None or not allowed:
            return
        if user.is_active:
            raw = tokens.issue(db, user.id, Purpose.PASSWORD_RESET)
            mail.queue(
                db,
                user.email,
                "password_reset",
                first_name=first_name(user),
                link=link("/mot-de-passe-oublie", raw),
            )
        else:
            queue_activation(db, user)


def reset_token_state(raw: str) -> TokenState:
    with session_scope() as db:
        return tokens.check(db, raw, Purpose.PASSWORD_RESET).state


def _set_password(db: UnitOfWork, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_expires_at = None
    db.add(user)
    lockout.succeeded(db, user.email)
    sessions.end_all_sessions(db, user.id)
    tokens.revoke_all(db, user.id, Purpose.PASSWORD_RESET)
    mail.queue(
        db,
        user.email,
        "password_changed",
        first_name=first_name(user),
        reset_link=link("/mot-de-passe-oublie"),
    )


def reset_password(raw: str, data: dict, *, tab: str = "") -> FormResult:
    """Set a new password from a reset link: single use, ends every session, no automatic login.
    It lifts the login wait of the address, and `tab` (where it was chosen) may log in with it
    even if a stranger's guesses bring the wait back (lockout.password_chosen_by_mail)."""
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.PASSWORD_RESET)
        if not check.ok:
            return FormResult(state=check.state)
        user = db.get(User, check.token.user_id)
        errors = password_pair_errors(data, user.email, names_of(user))
        if errors:
            return FormResult(errors)
        tokens.consume(db, raw, Purpose.PASSWORD_RESET)
        if not user.is_active:
            # The link reached the mailbox: that proves the address as activation would.
            user.is_active = True
            user.activated_at = utcnow()
        _set_password(db, user, str(data["password"]))
        lockout.password_chosen_by_mail(db, user.email, tab)
    return FormResult()


# ---------------------------------------------------------------- my account


def change_password(user_id: int, data: dict) -> FormResult:
    with session_scope() as db:
        user = db.get(User, user_id)
        errors = password_pair_errors(data, user.email, names_of(user))
        if not errors and data.get("password") == data.get("current_password"):
            errors["password"] = "Choisissez un mot de passe différent de l'actuel."
        problem = current_password_problem(check_password(db, user, str(data.get("current_password", ""))))
        if problem:
            errors = {"current_password": problem, **errors}
        if not errors:
            _set_password(db, user, str(data["password"]))
    return FormResult(errors)


def request_email_change(user_id: int, data: dict, *, client_ip: str) -> FormResult:
    new_email = normalize_email(str(data.get("new_email", "")))
    with session_scope() as db:
        user = db.get(User, user_id)
        errors: dict[str, str] = {}
        problem = email_error(str(data.get("new_email", "")))
        if problem:
            errors["new_email"] = problem
        elif new_email == user.email:
            errors["new_email"] = "Cette adresse est déjà celle de votre compte."
        problem = current_password_problem(check_password(db, user, str(data.get("password", ""))))
        if problem:
            errors["password"] = problem
        if errors:
            return FormResult(errors)
        if user_by_email(db, new_email) is None:
            raw = tokens.issue(db, user.id, Purpose.EMAIL_CHANGE, payload=new_email)
            mail.queue(
                db,
                new_email,
                "email_change_confirm",
                first_name=first_name(user),
                link=link("/mon-compte/email", raw),
            )
        else:
            # Say nothing here about the other account: its owner is told instead.
            queue_account_exists(db, new_email, client_ip)
        mail.queue(
            db,
            user.email,
            "email_change_notice",
            first_name=first_name(user),
            new_email_masked=mail.mask_email(new_email),
        )
    return FormResult()


@dataclass
class EmailChangeResult(FormResult):
    # The confirmation page names the new address, also to a visitor who is not signed in.
    new_email: str = ""


def confirm_email_change(raw: str) -> EmailChangeResult:
    with session_scope() as db:
        check = tokens.check(db, raw, Purpose.EMAIL_CHANGE)
        if not check.ok:
            return EmailChangeResult(state=check.state)
        if user_by_email(db, check.token.payload) is not None:
            return EmailChangeResult({"new_email": "Cette adresse est désormais utilisée par un autre compte."})
        tokens.consume(db, raw, Purpose.EMAIL_CHANGE)
        user = db.get(User, check.token.user_id)
        user.email = check.token.payload
        db.add(user)
    return EmailChangeResult(new_email=check.token.payload)
