"""The answers an accepted quote holds: read-only in the form while the acceptance stands
(withdrawal period, then final); a withdrawal gives them back to the person."""

from __future__ import annotations

from sqlmodel import Session, select

from portal_app.domain.dossiers.demarche import Demarche
from portal_app.domain.quotes import workflow as w
from portal_app.domain.quotes.rules import answer_values
from portal_app.models import QuoteRequest, QuoteVersion


def held_answers(db: Session, dossier_id: int, demarche: Demarche) -> dict[str, str]:
    """Answer key -> the value the accepted quote gives it; empty when no quote is accepted."""
    if demarche.quotes is None:
        return {}
    request = db.exec(
        select(QuoteRequest).where(QuoteRequest.dossier_id == dossier_id, QuoteRequest.status.in_(w.HOLDS_ANSWERS))  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
    ).first()
    version = db.get(QuoteVersion, request.accepted_version_id) if request and request.accepted_version_id else None
    if version is None:
        return {}
    values = answer_values(version, request.provider_name, request.provider_siret)
    return {key: values[source] for source, key in demarche.quotes.fills}
