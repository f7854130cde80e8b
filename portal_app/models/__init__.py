"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from portal_app.models.auth import LoginSession, OneTimeToken, UsedChallenge
from portal_app.models.employer import EmployerAccount, EmployerDocument, Reglement
from portal_app.models.user import Role, User

ALL_MODELS = (User, LoginSession, OneTimeToken, UsedChallenge, EmployerAccount, Reglement, EmployerDocument)

__all__ = [
    "ALL_MODELS",
    "EmployerAccount",
    "EmployerDocument",
    "LoginSession",
    "OneTimeToken",
    "Reglement",
    "Role",
    "UsedChallenge",
    "User",
]
