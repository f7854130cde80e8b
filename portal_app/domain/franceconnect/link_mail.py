"""Linking an identity back from FranceConnect to an existing account by a link mailed to the
account's address: for a person who does not remember the password, or whose account has none.

Whether an address has an account is never told by the page: it answers the same, and the mail
says the rest. The link is single use, lives 30 minutes (the identity's own wait), names the trip
it belongs to, and works only in the browser that came back from FranceConnect: the owner of a
mailbox who follows a link an impostor asked for links nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from portal_app import routes
from portal_app.domain.accounts.users import first_name, link, user_by_email
from portal_app.domain.core import mail, throttle, tokens
from portal_app.domain.core.db import UnitOfWork, session_scope
from portal_app.domain.core.throttle import Kind
from portal_app.domain.core.tokens import Purpose, TokenState, hash_token
from portal_app.domain.franceconnect.onboarding import EXPIRED, Step, StepResult, attach
from portal_app.domain.franceconnect.trips import PENDING_LIFETIME, waiting
from portal_app.models import FranceConnectLogin, Role, User
from portal_app.models.base import as_utc, utcnow

OTHER_BROWSER = (
    "Ce lien ne sert que dans le navigateur où vous vous êtes identifié avec FranceConnect, dans les 30 minutes "
    "qui suivent. Recommencez depuis la page de connexion avec le bouton FranceConnect."
)
DEAD_LINK = {
    TokenState.USED: "Ce lien a déjà servi.",
    TokenState.SUPERSEDED: "Un lien plus récent vous a été envoyé : utilisez le dernier reçu.",
}
EXPIRED_LINK = "Ce lien n'est plus valable. Recommencez depuis la page de connexion avec le bouton FranceConnect."


def queue_link(db: UnitOfWork, trip: FranceConnectLogin, user: User, client_ip: str) -> None:
    """Mail the account's owner a link that links the trip's identity (or, for an employer or
    agent account, why it cannot be). Counted per address and per IP: over the limit, no mail."""
    if user.closed_at is not None:
        return
    if not throttle.allow(db, Kind.FRANCECONNECT_LINK_MAIL, address=user.email, ip=client_ip):
        return
    if user.role != Role.BENEFICIARY.value:
        mail.queue(db, user.email, "franceconnect_refused")
        return
    claims = json.loads(trip.identity)
    raw = tokens.issue(db, user.id, Purpose.FRANCECONNECT_LINK, payload=str(trip.id))
    identity = f"{claims.get('given_name', '')} {claims.get('family_name', '')}".strip()
    mail.queue(
        db,
        user.email,
        "franceconnect_link",
        first_name=first_name(user),
        identity=identity,
        link=link(routes.FC_LINK, raw),
    )


def request_link(browser_key: str | None, client_ip: str) -> bool:
    """From the password step (the address FranceConnect gave has an account): mail the link
    instead. False when no identity waits in this browser any more."""
    with session_scope() as db:
        trip = waiting(db, browser_key)
        if trip is None or not trip.return_to:
            return False
        user = user_by_email(db, trip.return_to)
        if user is not None:
            queue_link(db, trip, user, client_ip)
        return True


@dataclass(frozen=True)
class Preview:
    """What the link's page shows before the person confirms: whose identity, which account."""

    problem: str = ""
    full_name: str = ""
    email: str = ""


def _find(db: UnitOfWork, browser_key: str | None, raw: str) -> tuple[str, FranceConnectLogin | None, User | None]:
    found = tokens.check(db, raw, Purpose.FRANCECONNECT_LINK)
    if not found.ok:
        return DEAD_LINK.get(found.state, EXPIRED_LINK), None, None
    trip = db.get(FranceConnectLogin, int(found.token.payload or 0))
    user = db.get(User, found.token.user_id)
    fresh = trip is not None and utcnow() - as_utc(trip.updated_at) <= PENDING_LIFETIME
    if (
        not fresh
        or not browser_key
        or trip.browser_key_hash != hash_token(browser_key)
        or trip.status != "returned"
        or user is None
    ):
        return OTHER_BROWSER, None, None
    return "", trip, user


def preview(browser_key: str | None, raw: str) -> Preview:
    with session_scope() as db:
        problem, trip, user = _find(db, browser_key, raw)
        if trip is None or user is None:
            return Preview(problem)
        claims = json.loads(trip.identity)
        return Preview(full_name=f"{claims.get('given_name', '')} {claims.get('family_name', '')}", email=user.email)


class _Undo(Exception):
    def __init__(self, result: StepResult):
        super().__init__(result.message)
        self.result = result


def redeem(browser_key: str | None, raw: str) -> StepResult:
    """Spend the link and link the identity to its account; the trip is then ready for the
    session (the route /_portal/franceconnect/terminer). A refusal leaves nothing changed."""
    try:
        with session_scope() as db:
            problem, trip, user = _find(db, browser_key, raw)
            if trip is None or user is None:
                return StepResult(Step.ERROR, problem or EXPIRED)
            if not tokens.consume(db, raw, Purpose.FRANCECONNECT_LINK).ok:
                return StepResult(Step.ERROR, DEAD_LINK[TokenState.USED])
            result = attach(db, user, trip)
            if result.step is not Step.SIGNED_IN:
                raise _Undo(result)  # the link stays usable: nothing was linked
            return result
    except _Undo as undo:
        return undo.result
