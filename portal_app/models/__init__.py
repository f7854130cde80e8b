"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from portal_app.models.auth import LoginSession, OneTimeToken, UsedChallenge
from portal_app.models.document import Document
from portal_app.models.user import Role, User

ALL_MODELS = (User, LoginSession, OneTimeToken, UsedChallenge, Document)

__all__ = ["ALL_MODELS", "Document", "LoginSession", "OneTimeToken", "Role", "UsedChallenge", "User"]
