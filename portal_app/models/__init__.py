"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from portal_app.models.auth import LoginSession, OneTimeToken, UsedChallenge
from portal_app.models.dossier import Dossier, DossierHistory, NumberCounter
from portal_app.models.user import Role, User

ALL_MODELS = (User, LoginSession, OneTimeToken, UsedChallenge, Dossier, DossierHistory, NumberCounter)

__all__ = [
    "ALL_MODELS",
    "Dossier",
    "DossierHistory",
    "LoginSession",
    "NumberCounter",
    "OneTimeToken",
    "Role",
    "UsedChallenge",
    "User",
]
