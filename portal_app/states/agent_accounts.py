"""Back office: suspected duplicate accounts to merge, and new agent accounts."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain.backoffice import agents, merge, views
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.wording import count_label
from portal_app.models import Role, User
from portal_app.models.base import as_utc
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires


@dataclass
class Pair:
    duplicate_id: int
    duplicate_name: str
    duplicate_email: str
    duplicate_created: str
    kept_id: int
    kept_name: str
    kept_email: str
    kept_created: str


class AgentAccountsState(FormErrors, rx.State):
    pairs: list[Pair] = []
    confirm_id: int = 0
    flash: str = ""
    error: str = ""
    created_email: str = ""

    def _reload(self) -> None:
        self.pairs = [
            Pair(
                d.id,
                views.full_name(d),
                d.email,
                paris_datetime(as_utc(d.created_at)),
                k.id,
                views.full_name(k),
                k.email,
                paris_datetime(as_utc(k.created_at)),
            )
            for d, k in merge.suspected_duplicates()
        ]

    @rx.event
    @requires(Role.AGENT)
    def load(self, _user: User):
        self.confirm_id = 0
        self.flash = self.error = self.created_email = ""
        self._clear_errors()
        self._reload()
        return

    @rx.event
    @requires(Role.AGENT)
    def ask_merge(self, _user: User, duplicate_id: int):
        self.confirm_id = int(duplicate_id)
        return focus_soon(f"confirmer-fusion-{int(duplicate_id)}")

    @rx.event
    def cancel_merge(self):
        self.confirm_id = 0

    @rx.event
    @requires(Role.AGENT)
    def merge(self, agent: User, duplicate_id: int, kept_id: int):
        try:
            result = merge.merge_accounts(agent.id, int(duplicate_id), int(kept_id))
            self.flash = (
                "Comptes fusionnés. Déplacés vers le compte conservé : "
                f"{count_label(result.moved.get('dossiers', 0), 'dossier')} et "
                f"{count_label(result.moved.get('documents', 0), 'document')}. Les deux adresses ont été prévenues."
            )
            self.error = ""
        except merge.MergeRefused as refused:
            self.error, self.flash = str(refused), ""
        self.confirm_id = 0
        self._reload()
        return focus_soon("message-fusion")

    @rx.event
    @requires(Role.AGENT)
    def create_agent(self, agent: User, form: dict):
        result = agents.create_agent(agent.id, form)
        if not result.ok:
            self.created_email = ""
            return self._set_errors(result.errors, agents.FIELDS)
        self._clear_errors()
        self.created_email = result.email
        return [
            rx.call_script("document.getElementById('form-nouvel-agent')?.reset()"),
            focus_soon("message-nouvel-agent"),
        ]
