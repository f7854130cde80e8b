"""Mon compte's FranceConnect section: the certified identity, and unlinking (password needed)."""

from __future__ import annotations

import asyncio

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain.franceconnect import onboarding, places
from portal_app.models import User
from portal_app.states.guard import requires

GENDER = {"Mme": "Féminin", "M.": "Masculin"}


class FranceConnectAccountState(FormErrors, rx.State):
    linked: bool = False
    has_password: bool = False
    birthplace: str = ""
    gender: str = ""
    unlinked: bool = False

    def _fill(self, user: User) -> None:
        self.linked = user.franceconnect_linked
        self.has_password = bool(user.password_hash)
        self.gender = GENDER.get(user.civility, "")
        self.birthplace = places.place_name(user.birthplace, user.birth_country)

    @rx.event
    @requires()
    def load(self, user: User):
        self._clear_errors()
        self.unlinked = False
        self._fill(user)

    @rx.event
    @requires()
    async def unlink(self, user: User, form: dict):
        # bcrypt: in a thread, so the event loop serves others meanwhile.
        problem = await asyncio.to_thread(
            onboarding.unlink, user.id, str(form.get("fc_password", "")), self.router.session.client_token
        )
        if problem:
            return self._set_errors({"fc_password": problem})
        self._clear_errors()
        self.linked = False
        self.unlinked = True
        return None
