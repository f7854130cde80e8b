"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from portal_app.models.audit import AuditEntry
from portal_app.models.auth import LoginSession, OneTimeToken, ThrottleCounter, UsedChallenge
from portal_app.models.data_export import DataExport
from portal_app.models.discussion import Message, MessageAttachment
from portal_app.models.document import Document
from portal_app.models.dossier import Dossier, DossierHistory, NumberCounter
from portal_app.models.employer import EmployerAccount, EmployerDocument, Reglement
from portal_app.models.franceconnect import FranceConnectLogin
from portal_app.models.guest import Guest
from portal_app.models.notification import Notification
from portal_app.models.outgoing_mail import OutgoingMail
from portal_app.models.piece import DossierPiece, FiledPiece, FilingReceipt
from portal_app.models.quote import QuoteEvent, QuoteRequest, QuoteVersion
from portal_app.models.relation import Relation
from portal_app.models.tracking import TrackingGrant
from portal_app.models.user import Role, User

ALL_MODELS = (
    User,
    LoginSession,
    OneTimeToken,
    UsedChallenge,
    ThrottleCounter,
    Document,
    Dossier,
    DossierHistory,
    NumberCounter,
    EmployerAccount,
    Reglement,
    EmployerDocument,
    Message,
    MessageAttachment,
    Notification,
    AuditEntry,
    TrackingGrant,
    DossierPiece,
    FiledPiece,
    Relation,
    QuoteRequest,
    QuoteVersion,
    QuoteEvent,
    OutgoingMail,
    FilingReceipt,
    DataExport,
    FranceConnectLogin,
    Guest,
)

__all__ = [
    "ALL_MODELS",
    "AuditEntry",
    "DataExport",
    "Document",
    "Dossier",
    "DossierHistory",
    "DossierPiece",
    "EmployerAccount",
    "EmployerDocument",
    "FiledPiece",
    "FilingReceipt",
    "FranceConnectLogin",
    "Guest",
    "LoginSession",
    "Message",
    "MessageAttachment",
    "Notification",
    "NumberCounter",
    "OneTimeToken",
    "QuoteEvent",
    "QuoteRequest",
    "QuoteVersion",
    "OutgoingMail",
    "Reglement",
    "Relation",
    "Role",
    "ThrottleCounter",
    "TrackingGrant",
    "UsedChallenge",
    "User",
]
