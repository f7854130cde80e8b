"""A guest's way in: the code page's two actions, the link that sets the guest cookie, and
the guest session every later event is checked against.

A right code opens (or finds) the guest's draft of the démarche and hands the browser a
one-minute ticket; `/_portal/sans-compte/ouvrir` turns a ticket, or the resume link mailed
with a new draft, into a guest session cookie (HttpOnly, like the account one). Each is a
token of domain/core/tokens.py, stored hashed. One unit of work per action, mails after commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from portal_app import demarches as registry
from portal_app import routes
from portal_app.domain.core import mail, tokens
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.formats import email_error
from portal_app.domain.dossiers import drafts
from portal_app.domain.guests import codes
from portal_app.domain.guests.principal import belongs, principal
from portal_app.models import Dossier, Guest, User
from portal_app.models.base import utcnow
from portal_app.settings import get_settings

COOKIE_NAME = "portal_guest"


def request_code(email: str, client_ip: str) -> str | None:
    """A French message for an address that cannot be one; otherwise None, mail sent or not."""
    problem = email_error(email)
    if problem:
        return problem
    with session_scope() as db:
        codes.send_code(db, email, client_ip)
    return None


@dataclass(frozen=True)
class Confirmation:
    ticket: str = ""
    error: str = ""


def confirm_code(email: str, code: str, demarche_code: str) -> Confirmation:
    """The right code: the guest's draft of this démarche (a new one is mailed its resume
    link) and a ticket for the cookie. A wrong one: why, the try counted."""
    demarche = registry.get(demarche_code)
    if demarche is None or not demarche.guest:
        return Confirmation(error=codes.EXPIRED)
    with session_scope() as db:
        checked = codes.check_code(db, email, code)
        if not checked.ok or checked.guest is None:
            return Confirmation(error=checked.error)
        guest = checked.guest
        latest, created = drafts.guest_draft(db, guest.email, demarche)
        if created:
            mail_resume_link(db, guest, latest, demarche.title)
        ticket = tokens.issue(db, None, tokens.Purpose.GUEST_TICKET, payload=f"{guest.id}:{latest.id}")
        return Confirmation(ticket=ticket)


def resume_link(db: Session, guest: Guest, dossier: Dossier) -> str:
    """The link that opens this draft again, from any browser, until it expires or a newer
    one replaces it; following it also restarts the draft's expiry delay (expiry.py)."""
    raw = tokens.issue(db, None, tokens.Purpose.GUEST_RESUME, payload=f"{guest.id}:{dossier.id}")
    return f"{get_settings().base_url}{routes.GUEST_OPEN}?jeton={raw}&demarche={dossier.demarche_code}"


def mail_resume_link(db: UnitOfWork, guest: Guest, dossier: Dossier, title: str) -> None:
    mail.queue(
        db,
        guest.email,
        "guest_resume",
        demarche_title=title,
        link=resume_link(db, guest, dossier),
        valid_for=tokens.validity(tokens.Purpose.GUEST_RESUME),
    )


@dataclass(frozen=True)
class Opened:
    session: str
    path: str


def open_link(raw: str) -> Opened | None:
    """A ticket (used once) or a resume link (valid until it expires or a newer one replaces
    it) → a new guest session on its dossier; None for anything else."""
    with session_scope() as db:
        found = tokens.consume(db, raw, tokens.Purpose.GUEST_TICKET)
        if not found.ok:
            found = tokens.check(db, raw, tokens.Purpose.GUEST_RESUME)
        if not found.ok or found.token is None:
            return None
        guest_part, _, dossier_part = found.token.payload.partition(":")
        guest = db.get(Guest, int(guest_part)) if guest_part.isdigit() else None
        dossier = db.get(Dossier, int(dossier_part)) if dossier_part.isdigit() else None
        if guest is None or dossier is None or not belongs(db, dossier, -(guest.id or 0)):
            return None
        if found.token.purpose == tokens.Purpose.GUEST_RESUME and dossier.expiry_warned_at is not None:
            # The link of the expiry warning: like "Conserver mon brouillon", the delay restarts.
            dossier.updated_at, dossier.expiry_warned_at = utcnow(), None
            db.add(dossier)
        session = tokens.issue(db, None, tokens.Purpose.GUEST_SESSION, payload=str(guest.id), alongside=True)
        return Opened(session, routes.draft(dossier.id or 0))


def current(raw: str | None) -> User | None:
    """The guest of a live guest session, as a principal (principal.py), or None."""
    if not raw:
        return None
    with session_scope() as db:
        found = tokens.check(db, raw, tokens.Purpose.GUEST_SESSION)
        if not found.ok or found.token is None or not found.token.payload.isdigit():
            return None
        guest = db.get(Guest, int(found.token.payload))
        return principal(guest) if guest is not None else None


def guest_demarche_of(dossier_id: object) -> str | None:
    """The démarche of a guest's draft, for a guest whose session ended on it: the page to ask
    for a new code. Only guest démarches, so nothing about an account's dossier is told."""
    if not str(dossier_id or "").isdigit():
        return None
    with session_scope() as db:
        dossier = db.get(Dossier, int(str(dossier_id)))
        if dossier is None or dossier.guest_email is None:
            return None
        return dossier.demarche_code
