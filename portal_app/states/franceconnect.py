"""Back from FranceConnect with an identity no account knows yet: confirm the email and the
terms (a new account), or give the password of the account that already uses that email."""

from __future__ import annotations

import asyncio
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from portal_app import routes
from portal_app.components.forms import FormErrors
from portal_app.domain.core.steady import steadily
from portal_app.domain.franceconnect import link_mail, onboarding
from portal_app.domain.franceconnect.onboarding import Step
from portal_app.states.guard import public
from portal_app.states.session import full_load

TRIP_COOKIE = "portal_fc"  # api/franceconnect.TRIP_COOKIE: HttpOnly, read here from the socket's handshake


def trip_key(cookie_header: str) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(TRIP_COOKIE)
    return morsel.value if morsel else None


class FranceConnectState(FormErrors, rx.State):
    # "form", "password" (the address has an account), "mailed" (another address), "expired"
    step: str = ""
    full_name: str = ""
    usage_name: str = ""
    birth_date: str = ""
    birthplace: str = ""
    email: str = ""
    message: str = ""

    def _key(self) -> str | None:
        return trip_key(self.router.headers.cookie)

    @rx.event
    @public
    def load(self):
        self._clear_errors()
        self.message = ""
        identity = onboarding.pending(self._key())
        if identity is None:
            self.step = "expired"
            return
        self.step = "form"
        self.full_name = f"{identity.first_names} {identity.birth_name}"
        self.usage_name = identity.usage_name
        self.birth_date = identity.birth_date
        self.birthplace = identity.birthplace
        self.email = identity.email

    @rx.event
    async def confirm(self, form: dict):
        email = str(form.get("email", "")).strip()
        # Steadily: whether another address has an account must not show in the answer's time.
        result = await steadily(
            onboarding.confirm,
            self._key(),
            email,
            form.get("accept_terms") in ("on", True, "true"),
            client_ip=self.router.session.client_ip or "",
        )
        return self._follow(result, email)

    @rx.event
    async def mail_link(self):
        """The password step's other way: a link mailed to the account's address."""
        mailed = await steadily(link_mail.request_link, self._key(), self.router.session.client_ip or "")
        self._clear_errors()
        self.message = ""
        self.step = "mailed" if mailed else "expired"

    @rx.event
    async def link(self, form: dict):
        # bcrypt: in a thread, so the event loop serves others meanwhile.
        result = await asyncio.to_thread(
            onboarding.link_with_password, self._key(), str(form.get("password", "")), self.router.session.client_token
        )
        return self._follow(result, self.email)

    def _follow(self, result: onboarding.StepResult, email: str):
        self._clear_errors()
        self.email = email
        if result.step is Step.SIGNED_IN:
            return full_load(routes.FC_FINISH)
        if result.step is Step.ERROR:
            if result.field:
                return self._set_errors({result.field: result.message})
            self.message = result.message
            return None
        self.step = result.step.value
        return None
