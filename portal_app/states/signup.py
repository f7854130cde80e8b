from __future__ import annotations

import asyncio

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain import accounts
from portal_app.domain.accounts.signup_form import FIELD_ORDER, validate_registration
from portal_app.domain.core.formats import normalize_email
from portal_app.domain.core.steady import steadily
from portal_app.states.antirobot_gate import robot_gate
from portal_app.states.password import PasswordChecklist


class SignupState(FormErrors, PasswordChecklist, rx.State):
    done: bool = False
    sent_to: str = ""
    resent: bool = False
    loading: bool = False

    @rx.event
    def load(self):
        self.done = False
        self.resent = False
        self.sent_to = ""
        self._clear_errors()

    @rx.event
    async def submit(self, form: dict):
        stopped = await robot_gate(self, validate_registration(form), form, FIELD_ORDER)
        if stopped is not None:
            return stopped
        # bcrypt takes a quarter of a second of CPU: in a thread, so the event loop serves others.
        await asyncio.to_thread(accounts.register, form, client_ip=self.router.session.client_ip or "")
        self.sent_to = normalize_email(str(form.get("email", "")))
        self.done = True
        return rx.call_script("window.scrollTo(0, 0)")

    @rx.event
    async def resend(self):
        if self.sent_to:
            await steadily(accounts.resend_activation, self.sent_to, client_ip=self.router.session.client_ip or "")
        self.resent = True
