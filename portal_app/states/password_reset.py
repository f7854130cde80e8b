import reflex as rx

from portal_app import routes
from portal_app.components.forms import FormErrors
from portal_app.domain import accounts
from portal_app.domain.core.steady import steadily
from portal_app.domain.employer import credentials
from portal_app.states.guard import public
from portal_app.states.password import PasswordChecklist


class ResetState(FormErrors, PasswordChecklist, rx.State):
    # request: ask for a link; sent: link requested; choose: new password form;
    # invalid: dead link; done: password changed.
    step: str = "request"
    link_state: str = ""
    # Employers retype their identifier, and follow their own password rules.
    needs_identifier: bool = False
    _token: str = ""

    def _refresh(self) -> None:
        if not self.needs_identifier:
            return super()._refresh()
        self.checks = credentials.employer_checklist(self._password)
        return None

    @rx.event
    @public
    def load(self):
        self._clear_errors()
        self._token = self.router.url.query_parameters.get("jeton", "")
        if not self._token:
            self.step = "request"
            return
        self.link_state = accounts.reset_token_state(self._token).value
        self.step = "choose" if self.link_state == "valid" else "invalid"
        self.needs_identifier = self.step == "choose" and credentials.reset_needs_identifier(self._token)
        self._password = ""
        self._refresh()

    @rx.event
    async def request_link(self, form: dict):
        identifier = str(form.get("identifier", "")).strip()
        if not identifier:
            return self._set_errors({"identifier": "Indiquez votre adresse e-mail ou votre identifiant."})
        self._clear_errors()
        await steadily(accounts.request_password_reset, identifier, client_ip=self.router.session.client_ip or "")
        self.step = "sent"
        return None

    @rx.event
    @public
    def choose_password(self, form: dict):
        if credentials.reset_needs_identifier(self._token):
            errors = credentials.reset_password_errors(self._token, form)
            problem = credentials.reset_identifier_error(self._token, str(form.get("identifier", "")))
            if problem:
                errors = {"identifier": problem, **errors}
            if errors:
                return self._set_errors(errors, ("identifier", "password", "password_confirm"))
        result = accounts.reset_password(self._token, form, tab=self.router.session.client_token)
        if result.state.value != "valid":
            self.link_state = result.state.value
            self.step = "invalid"
            return None
        if result.errors:
            return self._set_errors(result.errors, ("password", "password_confirm"))
        self._clear_errors()
        self.step = "done"
        return None

    @rx.event
    def new_request(self):
        self._token = ""
        self.step = "request"
        return rx.redirect(routes.PASSWORD_RESET)
