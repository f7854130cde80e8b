"""Statuses of a quote request, its history and the mails of each step, shared by both sides."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from portal_app import routes
from portal_app.domain.accounts.users import first_name, link
from portal_app.domain.core import mail
from portal_app.domain.core.db import UnitOfWork
from portal_app.models import Dossier, QuoteEvent, QuoteRequest, QuoteVersion, User
from portal_app.models.base import as_utc, utcnow

REQUESTED = "requested"  # waiting for the provider's quote
QUOTED = "quoted"  # a version waits for the person's answer
REFUSED = "refused"  # the person refused the latest version; the provider may revise it
DECLINED = "declined"  # the provider will not quote
ACCEPTED = "accepted"  # within the withdrawal period
FINAL = "final"
REVOKED = "revoked"  # the person closed the provider's link

STATUS_LABELS = {
    REQUESTED: "En attente du devis de l'organisme",
    QUOTED: "Devis reçu : à vous de répondre",
    REFUSED: "Devis refusé : l'organisme peut vous en proposer un autre",
    DECLINED: "L'organisme ne donne pas suite",
    ACCEPTED: "Devis accepté, délai de rétractation en cours",
    FINAL: "Devis accepté définitivement",
    REVOKED: "Demande annulée",
}
# The provider may send a (revised) quote only in these.
OPEN_TO_PROVIDER = (REQUESTED, QUOTED, REFUSED)
# The person's answers from the quote are read-only in these.
HOLDS_ANSWERS = (ACCEPTED, FINAL)

TOKEN_DAYS = 30
TOKEN_TTL = timedelta(days=TOKEN_DAYS)

PERSON, PROVIDER, SYSTEM = "person", "provider", "system"
ACTORS = {PERSON: "Le bénéficiaire", PROVIDER: "L'organisme de formation", SYSTEM: "Le Portail"}
EVENT_LABELS = {
    "requested": "Devis demandé",
    "quoted": "Devis envoyé",
    "revised": "Devis révisé",
    "declined": "Demande déclinée",
    "refused": "Devis refusé",
    "accepted": "Devis accepté",
    "withdrawn": "Rétractation",
    "final": "Acceptation définitive",
    "revoked": "Lien de l'organisme annulé",
}


def record(db: Session, request: QuoteRequest, actor: str, kind: str, detail: str = "", at=None) -> None:
    db.add(QuoteEvent(request_id=request.id, actor=actor, kind=kind, detail=detail[:1000], at=at or utcnow()))


def versions_of(db: Session, request_id: int) -> list[QuoteVersion]:
    return list(
        db.exec(select(QuoteVersion).where(QuoteVersion.request_id == request_id).order_by(QuoteVersion.number)).all()
    )


def latest_version(db: Session, request_id: int) -> QuoteVersion | None:
    versions = versions_of(db, request_id)
    return versions[-1] if versions else None


def dossier_link(dossier: Dossier) -> str:
    return link(routes.dossier_page(dossier.id))


def tell_person(db: UnitOfWork, request: QuoteRequest, subject: str, body: str) -> None:
    """One notice to the dossier's owner, after the commit."""
    dossier = db.get(Dossier, request.dossier_id)
    owner = db.get(User, request.owner_id)
    mail.queue(
        db,
        owner.email,
        "quote_notice",
        subject=subject,
        first_name=first_name(owner),
        body=body,
        dossier_link=dossier_link(dossier),
    )


def tell_provider(db: UnitOfWork, request: QuoteRequest, subject: str, body: str) -> None:
    """A notice to the provider carries no link: its private link came in the request's mail."""
    mail.queue(
        db,
        request.provider_email,
        "quote_provider_notice",
        subject=subject,
        provider=request.provider_name,
        body=body,
    )


def expired_token(request: QuoteRequest, now=None) -> bool:
    return as_utc(request.token_expires_at) <= (now or utcnow())
