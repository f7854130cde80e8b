"""A démarche's assurance level: filing one that declares `assurance="eidas2"` needs a
FranceConnect+ authentication, at that level, in this very session, less than 10 minutes old."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from portal_app.domain.accounts import sessions
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import drafts
from portal_app.domain.franceconnect.client import ACR_ORDER
from portal_app.models.base import as_utc, utcnow

FRESH_FOR = timedelta(minutes=10)


def satisfied(session_token: str | None, level: str) -> bool:
    if not level:
        return True
    with session_scope() as db:
        return satisfied_in(db, session_token, level)


def satisfied_in(db: Session, session_token: str | None, level: str) -> bool:
    """satisfied() inside a caller's unit of work (quote acceptance checks it there)."""
    found = sessions.resolve(db, session_token, touch=False)
    if found is None:
        return False
    login = found[1]
    if login.fc_acr not in ACR_ORDER or level not in ACR_ORDER or login.fc_authenticated_at is None:
        return False
    return (
        ACR_ORDER.index(login.fc_acr) >= ACR_ORDER.index(level)
        and utcnow() - as_utc(login.fc_authenticated_at) <= FRESH_FOR
    )


def required_for(user_id: int, dossier_id: int) -> str:
    """The level the dossier's démarche asks for filing ("" for none, or for no such dossier)."""
    try:
        return drafts.demarche_of(drafts.get_owned(user_id, dossier_id)).assurance
    except drafts.NotFound:
        return ""
