"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from portal_app.models.auth import LoginSession, OneTimeToken, UsedChallenge
from portal_app.models.document import Document
from portal_app.models.dossier import Dossier, DossierHistory, NumberCounter
from portal_app.models.piece import DossierPiece
from portal_app.models.user import Role, User

ALL_MODELS = (User, LoginSession, OneTimeToken, UsedChallenge, Document, Dossier, DossierHistory, NumberCounter, DossierPiece)

__all__ = [
    "ALL_MODELS",
    "Document",
    "Dossier",
    "DossierHistory",
    "DossierPiece",
    "LoginSession",
    "NumberCounter",
    "OneTimeToken",
    "Role",
    "UsedChallenge",
    "User",
]
