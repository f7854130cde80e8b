"""/demarches/nouvelle: the démarches this user may start, one click to a new draft."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from portal_app import demarches as registry
from portal_app import routes
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.wording import count_label
from portal_app.domain.dossiers import drafts
from portal_app.models import Role, User
from portal_app.models.base import as_utc
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires


@dataclass
class CatalogueItem:
    code: str
    title: str
    description: str
    steps_label: str  # "3 étapes"


class CatalogueState(rx.State):
    items: list[CatalogueItem] = []
    # "You already have a draft of this démarche": resume it rather than make a twin.
    offer_code: str = ""
    offer_href: str = ""
    offer_updated: str = ""

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self.offer_code = ""
        self.items = [
            CatalogueItem(item.code, item.title, item.description, count_label(len(item.steps), "étape"))
            for item in registry.for_role(user.role)
        ]
        return None

    def _create(self, user_id: int, code: str):
        try:
            draft = drafts.create_draft(user_id, code)
        except drafts.Refused:
            return None
        return rx.redirect(routes.draft(draft.id))

    @rx.event
    @requires(Role.BENEFICIARY)
    def start(self, user: User, code: str):
        existing = drafts.drafts_of(user.id, code)
        if not existing:
            return self._create(user.id, code)
        latest = existing[0]
        self.offer_code = code
        self.offer_href = routes.draft(latest.id)
        self.offer_updated = paris_datetime(as_utc(latest.updated_at))
        return focus_soon("brouillon-existant")

    @rx.event
    @requires(Role.BENEFICIARY)
    def start_new(self, user: User, code: str):
        return self._create(user.id, code)
