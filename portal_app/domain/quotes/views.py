"""Quote requests as the person's pages and the agent's dossier view read them."""

from __future__ import annotations

from sqlmodel import Session, select

from portal_app import routes
from portal_app.domain.core import filestore
from portal_app.domain.core.dates import paris_long
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import record_id, today_in_france
from portal_app.domain.dossiers.drafts import _owned
from portal_app.domain.quotes import workflow as w
from portal_app.domain.quotes.provider import version_rows
from portal_app.models import Dossier, QuoteEvent, QuoteRequest, QuoteVersion
from portal_app.models.base import as_utc


def _requests(db: Session, dossier_id: int) -> list[QuoteRequest]:
    return list(
        db.exec(
            select(QuoteRequest).where(QuoteRequest.dossier_id == dossier_id).order_by(QuoteRequest.id.desc())
        ).all()  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    )


def person_rows(user_id: int, dossier_id: int) -> list[dict]:
    """The dossier's quote requests, newest first, each with its versions and what the person may do."""
    with session_scope() as db:
        dossier: Dossier = _owned(db, user_id, dossier_id)
        rows = []
        for request in _requests(db, dossier.id):
            versions = version_rows(db, request)
            for version in versions:
                version["programme_href"] = routes.quote_programme(version["id"]) if version["programme"] else ""
            latest = w.latest_version(db, request.id)
            expired = latest is not None and latest.valid_until < today_in_france()
            rows.append(
                {
                    "id": str(request.id),
                    "provider": request.provider_name,
                    "status": request.status,
                    "status_label": w.STATUS_LABELS[request.status],
                    "decline_reason": request.decline_reason,
                    "versions": versions,
                    "latest_version_id": str(latest.id) if latest else "",
                    "may_answer": "1" if request.status == w.QUOTED and not expired else "",
                    "expired": "1" if request.status == w.QUOTED and expired else "",
                    "may_withdraw": "1" if request.status == w.ACCEPTED else "",
                    "may_revoke": "1" if request.status in w.OPEN_TO_PROVIDER else "",
                    "withdrawal_ends": paris_long(as_utc(request.withdrawal_ends_at))
                    if request.withdrawal_ends_at
                    else "",
                    "final_on": paris_long(as_utc(request.finalised_at)) if request.finalised_at else "",
                }
            )
        return rows


def programme_for(user_id: int, version_id: object) -> tuple[str, bytes] | None:
    """(file name, bytes) of a version's programme when `user_id` asked for that quote, else None.
    Raises FileNotFoundError when the row names a file the store lost."""
    version_ref = record_id(version_id)
    with session_scope() as db:
        version = db.get(QuoteVersion, version_ref) if version_ref else None
        request = db.get(QuoteRequest, version.request_id) if version else None
        if request is None or request.owner_id != user_id or not version.programme_stored_name:
            return None
        name, stored = version.programme_name or "programme.pdf", version.programme_stored_name
    return name, filestore.read(stored)


def history(db: Session, dossier_id: int) -> list[dict[str, str]]:
    """Who did what to the dossier's quotes, and when, oldest first: the agent's view."""
    providers = {request.id: request.provider_name for request in _requests(db, dossier_id)}
    if not providers:
        return []
    events = db.exec(
        select(QuoteEvent).where(QuoteEvent.request_id.in_(providers)).order_by(QuoteEvent.at, QuoteEvent.id)  # type: ignore[union-attr]  # SQLModel types a class column as its value, not as SQL
    ).all()
    return [
        {
            "at": paris_long(as_utc(event.at)),
            "who": w.ACTORS.get(event.actor, event.actor),
            "what": w.EVENT_LABELS.get(event.kind, event.kind),
            "provider": providers[event.request_id],
            "detail": event.detail,
        }
        for event in events
    ]


def history_of(dossier_id: int) -> list[list[str]]:
    """history() as rows [when, who, what, provider, detail], in its own unit of work."""
    with session_scope() as db:
        return [[row["at"], row["who"], row["what"], row["provider"], row["detail"]] for row in history(db, dossier_id)]
