"""Accounts, one module per journey: signup (and activation), login (and the one password
check), credentials (reset, password and email change), profile, deletion. This package is
their public API; accounts/user_data.py declares what each table keeps per account."""

from portal_app.domain.accounts.credentials import (
    change_password,
    confirm_email_change,
    request_email_change,
    request_password_reset,
    reset_password,
    reset_token_state,
)
from portal_app.domain.accounts.deletion import delete_account
from portal_app.domain.accounts.login import (
    LoginResult,
    LoginStatus,
    active_sessions,
    authenticate,
    check_password,
    current_password_problem,
    current_user,
    logout,
    logout_everywhere,
    open_session_from_ticket,
)
from portal_app.domain.accounts.profile import PROFILE_FIELDS, update_preferences, update_profile
from portal_app.domain.accounts.signup import activate, register, resend_activation
from portal_app.domain.accounts.users import first_name, link, user_by_email

__all__ = [
    "PROFILE_FIELDS",
    "LoginResult",
    "LoginStatus",
    "activate",
    "active_sessions",
    "authenticate",
    "change_password",
    "check_password",
    "confirm_email_change",
    "current_password_problem",
    "current_user",
    "delete_account",
    "first_name",
    "link",
    "logout",
    "logout_everywhere",
    "open_session_from_ticket",
    "register",
    "request_email_change",
    "request_password_reset",
    "reset_password",
    "reset_token_state",
    "resend_activation",
    "update_preferences",
    "update_profile",
    "user_by_email",
]
