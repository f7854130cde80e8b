"""/mon-compte/email: the link mailed to a new address confirms the change."""

from __future__ import annotations

import reflex as rx

from portal_app.domain import accounts
from portal_app.states.guard import public


class EmailConfirmState(rx.State):
    """The link mailed to the new address: the token is the proof, no session is needed."""

    # "" while checking, then valid | taken | used | expired | superseded | unknown.
    outcome: str = ""
    new_email: str = ""
    _token: str = ""

    @rx.event
    @public
    def confirm(self):
        raw = self.router.url.query_parameters.get("jeton", "")
        # A second load of the same link (page reloaded, on_load run twice) keeps the first
        # answer instead of reporting the link it just used as "already used".
        if raw and raw == self._token and self.outcome:
            return
        self._token = raw
        self.outcome = ""
        self.new_email = ""
        result = accounts.confirm_email_change(raw)
        if result.ok:
            self.new_email = result.new_email
            self.outcome = "valid"
        elif result.errors:
            self.outcome = "taken"
        else:
            self.outcome = result.state.value
