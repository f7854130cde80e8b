"""The link mailed to an existing account (/connexion/franceconnect/lier?jeton=…): shows whose
FranceConnect identity would be linked to which account, and links it when the person confirms
(never on the page load alone: a mail scanner that opens links must not link anything)."""

from __future__ import annotations

import asyncio

import reflex as rx

from portal_app import routes
from portal_app.domain.franceconnect import link_mail
from portal_app.domain.franceconnect.onboarding import Step
from portal_app.states.franceconnect import trip_key
from portal_app.states.guard import public
from portal_app.states.session import full_load


class FranceConnectLinkState(rx.State):
    # "" while checking, "ready" (confirm), "problem" (a dead link, another browser)
    outcome: str = ""
    problem: str = ""
    full_name: str = ""
    email: str = ""
    _token: str = ""

    def _key(self) -> str | None:
        return trip_key(self.router.headers.cookie)

    @rx.event
    @public
    def load(self):
        self._token = self.router.url.query_parameters.get("jeton", "")
        found = link_mail.preview(self._key(), self._token)
        self.problem, self.full_name, self.email = found.problem, found.full_name, found.email
        self.outcome = "problem" if found.problem else "ready"

    @rx.event
    async def link(self):
        result = await asyncio.to_thread(link_mail.redeem, self._key(), self._token)
        if result.step is Step.SIGNED_IN:
            return full_load(routes.FC_FINISH)
        self.problem, self.outcome = result.message, "problem"
        return None
