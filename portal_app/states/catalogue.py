"""/demarches/nouvelle: the démarches this user may start, one click to a new draft."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from portal_app import demarches as registry
from portal_app import routes
from portal_app.components.forms import FormErrors
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.wording import count_label
from portal_app.domain.dossiers import drafts
from portal_app.domain.relations import relations
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


@dataclass
class WhomChoice:
    value: str  # "self" or a relation id
    label: str


class CatalogueState(FormErrors, rx.State):
    items: list[CatalogueItem] = []
    # "Pour qui faites-vous cette démarche ?", asked for a démarche with more than one for_whom.
    asking_code: str = ""
    whom_choices: list[WhomChoice] = []
    can_add_person: bool = False
    can_add_company: bool = False
    # Who the démarche being started is for: None for the holder, else a relation id.
    _relation_id: int | None = None
    # "You already have a draft of this démarche": resume it rather than make a twin.
    offer_code: str = ""
    offer_href: str = ""
    offer_updated: str = ""

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self.offer_code = ""
        self.asking_code = ""
        self._relation_id = None
        self._clear_errors()
        self.items = [
            CatalogueItem(item.code, item.title, item.description, count_label(len(item.steps), "étape"))
            for item in registry.for_role(user.role)
        ]
        return None

    def _create(self, user_id: int, code: str):
        try:
            draft = drafts.create_draft(user_id, code, relation_id=self._relation_id)
        except drafts.DossierError:
            return None
        return rx.redirect(routes.draft(draft.id))

    @rx.event
    @requires(Role.BENEFICIARY)
    def start(self, user: User, code: str):
        demarche = registry.get(code)
        self.offer_code = ""
        self._relation_id = None
        self._clear_errors()
        if demarche is not None and len(demarche.for_whom) > 1:
            self.asking_code = code
            kinds = tuple(kind for kind in demarche.for_whom if kind != "self")
            self.whom_choices = (
                [WhomChoice("self", f"Moi-même ({user.display_name})")] if "self" in demarche.for_whom else []
            ) + [WhomChoice(str(r.id), relations.description(r)) for r in relations.list_for(user.id, kinds)]
            self.can_add_person = "person" in kinds
            self.can_add_company = "company" in kinds
            return focus_soon("pour-qui")
        return self._offer_or_create(user, code)

    @rx.event
    @requires(Role.BENEFICIARY)
    def start_for(self, user: User, form_data: dict):
        code, choice = self.asking_code, str(form_data.get("pour", ""))
        if not choice:
            return self._set_errors({"pour": "Indiquez pour qui vous faites cette démarche."})
        if choice == "self":
            self._relation_id = None
        else:
            try:
                self._relation_id = relations.get_owned(user.id, int(choice)).id
            except (relations.NotFound, ValueError):
                return self._set_errors({"pour": "Choisissez une personne de la liste."})
        self.asking_code = ""
        self._clear_errors()
        return self._offer_or_create(user, code)

    @rx.event
    @requires(Role.BENEFICIARY)
    def cancel_for(self, _user: User):
        self.asking_code = ""
        self._clear_errors()

    def _offer_or_create(self, user: User, code: str):
        existing = [d for d in drafts.drafts_of(user.id, code) if d.relation_id == self._relation_id]
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
        # The choice made for this démarche's "Pour qui" (if it was asked), else the holder.
        if self.offer_code != code:
            self._relation_id = None
        return self._create(user.id, code)
