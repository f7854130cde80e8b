from __future__ import annotations

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain import accounts, antirobot
from portal_app.domain.fields import normalize_email
from portal_app.domain.registration import FIELD_ORDER, validate_registration
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
    def submit(self, form: dict):
        errors = validate_registration(form)
        # The proof of work is spent only when it is the last thing standing,
        # so a typo elsewhere does not make the user solve it again.
        robot = antirobot.verify(str(form.get("altcha", "")), consume=not errors)
        if robot:
            errors["altcha"] = robot
        if errors:
            return self._set_errors(errors, FIELD_ORDER)
        self._clear_errors()
        accounts.register(form)
        self.sent_to = normalize_email(str(form.get("email", "")))
        self.done = True
        return rx.call_script("window.scrollTo(0, 0)")

    @rx.event
    def resend(self):
        if self.sent_to:
            accounts.resend_activation(self.sent_to)
        self.resent = True
