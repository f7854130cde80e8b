"""Following a request without logging in (/suivi): email + dossier number → a short-lived,
read-only view of its status and timeline.

Every mismatch (unknown number, another owner's address, a draft, a closed account) gets the
same sentence, so the form cannot tell which half was wrong. Lookups are counted per address
and per IP, both hashed, whatever their outcome: guessing numbers for one address, or
addresses from one machine, stops after a few tries. A text that cannot be a dossier number
is a typing slip, not a guess: it is refused before anything is counted.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import select

from portal_app import demarches as registry
from portal_app.domain.core import throttle
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import normalize_email
from portal_app.domain.core.tokens import hash_token, new_token
from portal_app.domain.dossiers.demarche import normalize_number
from portal_app.domain.relations.relations import for_whom_public
from portal_app.models import (
    Dossier,
    DossierHistory,
    TrackingGrant,
    User,
)
from portal_app.models.base import as_utc, utcnow

GENERIC_ERROR = "Aucune demande ne correspond à ces informations."
RATE_LIMITED = "Trop de recherches en peu de temps. Réessayez dans quelques minutes."
MALFORMED_NUMBER = (
    "Vérifiez le numéro du dossier : il s'écrit comme PTP-2026-000042 (des lettres, l'année, puis 6 chiffres), "
    "tel qu'il figure dans l'accusé de réception."
)
EXPIRED = "Cette consultation a expiré. Refaites une recherche pour voir le suivi à jour."

GRANT_TTL = timedelta(minutes=15)


@dataclass(frozen=True)
class LookupResult:
    token: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.token)


def lookup(email: str, number: str, client_ip: str, now: datetime | None = None) -> LookupResult:
    now = now or utcnow()
    normalized = normalize_number(number)
    if normalized is None:
        return LookupResult(error=MALFORMED_NUMBER)
    with session_scope() as db:
        db.execute(delete(TrackingGrant).where(TrackingGrant.expires_at < now))
        if not throttle.allow(db, throttle.Kind.TRACKING_LOOKUP, address=email, ip=client_ip, now=now):
            return LookupResult(error=RATE_LIMITED)
        dossier = db.exec(select(Dossier).where(Dossier.number == normalized)).first()
        owner = db.get(User, dossier.owner_id) if dossier is not None and dossier.owner_id else None
        # A guest's dossier (domain/guests) answers to the address its guest confirmed.
        address = dossier.guest_email if dossier is not None and dossier.owner_id is None else None
        if owner is not None and owner.closed_at is None:
            address = owner.email
        if (
            dossier is None
            or not address
            or not hmac.compare_digest(address, normalize_email(email or ""))
            or registry.get(dossier.demarche_code) is None
        ):
            return LookupResult(error=GENERIC_ERROR)
        raw = new_token()
        db.add(
            TrackingGrant(token_hash=hash_token(raw), dossier_id=dossier.id, created_at=now, expires_at=now + GRANT_TTL)
        )
        return LookupResult(token=raw)


@dataclass(frozen=True)
class Step:
    at: datetime
    label: str
    motivation: str


@dataclass(frozen=True)
class TrackingView:
    demarche_title: str
    number: str
    status_label: str
    status_colour: str
    status_icon: str
    timeline: list[Step]
    expires_at: datetime
    for_whom: str = ""  # "pour Léa M." when filed for a relation of the account holder


_KIND_LABELS = {
    "created": "Brouillon créé",
    "submitted": "Dossier déposé",
    "reopened": "Dossier réouvert pour modification",
}


def view(token: str, now: datetime | None = None) -> TrackingView | None:
    """The read-only view behind a grant, or None once it has expired (or never existed)."""
    now = now or utcnow()
    if not token:
        return None
    with session_scope() as db:
        grant = db.exec(select(TrackingGrant).where(TrackingGrant.token_hash == hash_token(token))).first()
        if grant is None or as_utc(grant.expires_at) <= now:
            return None
        dossier = db.get(Dossier, grant.dossier_id)
        demarche = registry.get(dossier.demarche_code) if dossier else None
        if dossier is None or demarche is None:
            return None
        status = demarche.status(dossier.status)
        rows = db.exec(
            select(DossierHistory).where(DossierHistory.dossier_id == dossier.id).order_by(DossierHistory.id)  # type: ignore[arg-type]  # SQLModel types a class column as its value, not as SQL
        ).all()
        timeline = []
        for row in rows:
            target = demarche.status(row.to_status)
            label = _KIND_LABELS.get(row.kind) or (target.label_for_owner if target else row.to_status)
            if row.kind == "status" and target is not None:
                label = target.label_for_owner
            timeline.append(Step(as_utc(row.at), label, row.motivation))
        return TrackingView(
            demarche_title=demarche.title,
            number=dossier.number or "",
            status_label=status.label_for_owner if status else dossier.status,
            status_colour=status.colour if status else "grey",
            status_icon=status.icon if status else "",
            timeline=timeline,
            expires_at=as_utc(grant.expires_at),
            for_whom=for_whom_public(dossier.for_whom),
        )
