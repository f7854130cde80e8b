"""Back office: employer accounts are created by the agency (employers cannot sign up)."""

from __future__ import annotations

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain.employer import onboarding
from portal_app.models import Role, User
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires

# Form field names, distinct from the agent form's on the same page.
FIELDS = {"company_name": "company_name", "siret": "siret", "email": "employer_email"}


class AgentEmployerState(FormErrors, rx.State):
    created_company: str = ""
    mail_failed: bool = False

    @rx.event
    def load(self):
        self.created_company = ""
        self.mail_failed = False
        self._clear_errors()

    @rx.event
    @requires(Role.AGENT)
    def create_employer(self, agent: User, form: dict):
        result = onboarding.create_employer(
            str(form.get("company_name", "")),
            str(form.get("siret", "")),
            str(form.get("employer_email", "")),
            agent_id=agent.id,
        )
        if result.errors:
            self.created_company = ""
            errors = {FIELDS.get(key, key): message for key, message in result.errors.items()}
            return self._set_errors(errors, tuple(FIELDS.values()))
        self._clear_errors()
        company = " ".join(str(form.get("company_name", "")).split())
        self.created_company = company
        self.mail_failed = not result.mailed
        return [
            rx.call_script("document.getElementById('form-nouvel-employeur')?.reset()"),
            focus_soon("message-nouvel-employeur"),
        ]
