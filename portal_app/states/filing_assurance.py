"""The recap page's FranceConnect+ step: a démarche declaring `assurance="eidas2"` is filed
only after a fresh FranceConnect+ authentication (domain/franceconnect/assurance.py)."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx

from portal_app import routes
from portal_app.domain.franceconnect import assurance
from portal_app.models import Role, User
from portal_app.settings import get_settings
from portal_app.states.draft_form import dossier_id_of
from portal_app.states.guard import requires, session_token
from portal_app.states.login import REASONS

NEEDED = (
    "Cette démarche demande de confirmer votre identité avec FranceConnect+ juste avant le dépôt "
    "(moins de 10 minutes avant). Utilisez le bouton ci-dessous, puis déposez votre dossier."
)
UNAVAILABLE = "Cette démarche demande FranceConnect+, qui n'est pas disponible pour le moment. Réessayez plus tard."


def refusal(user_id: int, dossier_id: int, token: str | None) -> str | None:
    """Why this dossier cannot be filed yet in this session (checked again when filing).
    Reads the database: an async handler calls it in a thread."""
    level = assurance.required_for(user_id, dossier_id)
    if assurance.satisfied(token, level):
        return None
    return NEEDED if get_settings().franceconnect_plus is not None else UNAVAILABLE


class FilingAssuranceState(rx.State):
    needed: bool = False
    message: str = ""
    problem: str = ""
    leave_href: str = ""

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)  # on every recap, a guest's too (no assurance there)
    def load(self, user: User):
        self.message = refusal(user.id, dossier_id_of(self), session_token(self)) or ""
        self.needed = bool(self.message) and get_settings().franceconnect_plus is not None
        # Back from FranceConnect+ with a refusal: say why (the same words as the login page).
        self.problem = REASONS.get(self.router.url.query_parameters.get("franceconnect", ""), "")
        back = routes.recap(dossier_id_of(self))
        self.leave_href = f"{routes.FC_LEAVE}?niveau=fcplus&suite={quote(back, safe='')}"
