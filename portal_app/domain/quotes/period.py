"""The end of the withdrawal period: due acceptances become final, both sides are told.

A pure domain function the job queue runs periodically; `now` is passed in, so tests move the
clock forward instead of waiting fourteen days."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from portal_app.domain.core.db import UnitOfWork
from portal_app.domain.quotes import workflow as w
from portal_app.models import QuoteRequest


def finalise_due_acceptances(db: UnitOfWork, now: datetime) -> int:
    """Make final every acceptance whose withdrawal period ended by `now`; how many were."""
    due = db.exec(
        select(QuoteRequest).where(
            QuoteRequest.status == w.ACCEPTED,
            QuoteRequest.withdrawal_ends_at <= now,  # type: ignore[operator]  # SQLModel types a class column as its value, not as SQL
        )
    ).all()
    for request in due:
        request.status, request.finalised_at = w.FINAL, now
        db.add(request)
        w.record(db, request, w.SYSTEM, "final", at=now)
        w.tell_person(
            db,
            request,
            "Votre acceptation du devis est définitive",
            f"Le délai de rétractation est terminé : votre acceptation du devis de {request.provider_name} est définitive.",
        )
        w.tell_provider(
            db,
            request,
            "L'acceptation de votre devis est définitive",
            "Le délai de rétractation est terminé sans rétractation : l'acceptation de votre devis est définitive.",
        )
    return len(due)
