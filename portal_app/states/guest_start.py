"""/demarches/sans-compte/<code>: an address, the anti-robot check and a mailed code, then the
guest's draft (domain/guests). Thin: the domain decides, this state only shows."""

from __future__ import annotations

import asyncio

import reflex as rx

from portal_app import demarches as registry
from portal_app import routes
from portal_app.components.forms import FormErrors
from portal_app.components.titles import page_title
from portal_app.domain.core import antirobot
from portal_app.domain.core.formats import email_error, normalize_email
from portal_app.domain.core.steady import steadily
from portal_app.domain.guests import access
from portal_app.states.antirobot_gate import robot_gate
from portal_app.states.focus import focus_soon
from portal_app.states.session import full_load

EMAIL_ORDER = ("email", antirobot.FIELD_NAME)
NOTICES = {
    "lien": "Ce lien ne fonctionne plus : il a expiré ou un lien plus récent l'a remplacé. "
    "Indiquez votre adresse e-mail pour recevoir un code et reprendre votre demande.",
    "expiree": "Votre session sans compte a pris fin (elle dure 2 heures). Votre demande est "
    "enregistrée : indiquez votre adresse e-mail pour recevoir un nouveau code et la reprendre.",
}


class GuestStartState(FormErrors, rx.State):
    found: bool = True
    demarche_title: str = ""
    # "email": asking the address; "code": the code was (or would have been) sent.
    stage: str = "email"
    email: str = ""
    # Why the visitor is back here (an old link, a session that ended), from ?motif=.
    notice: str = ""

    @rx.var
    def page_title(self) -> str:
        if not self.found:
            return page_title("Démarche introuvable")
        what = "Saisissez le code reçu" if self.stage == "code" else "Faire une démarche sans compte"
        return page_title(what, error=bool(self.error_items))

    def _demarche_code(self) -> str:
        return str(self.demarche_code)  # type: ignore[attr-defined]  # the route arg: Reflex adds it to rx.State

    @rx.event
    def load(self):
        demarche = registry.get(self._demarche_code())
        self.found = demarche is not None and demarche.guest
        self.demarche_title = demarche.title if demarche is not None else ""
        self.stage = "email"
        self.notice = NOTICES.get(self.router.url.query_parameters.get("motif", ""), "")
        self._clear_errors()

    @rx.event
    async def request_code(self, form: dict):
        email = str((form or {}).get("email", "")).strip()
        problem = "Indiquez votre adresse e-mail." if not email else email_error(email)
        stopped = await robot_gate(self, {"email": problem} if problem else {}, form, EMAIL_ORDER)
        if stopped is not None:
            return stopped
        # The same answer, in the same time, whether a mail left or the throttle held it.
        await steadily(access.request_code, email, self.router.session.client_ip or "")
        self.email = normalize_email(email)
        self.stage = "code"
        self.notice = ""
        return focus_soon("titre-page")

    @rx.event
    async def confirm_code(self, form: dict):
        if self.stage != "code" or not self.email:
            return None
        code = str((form or {}).get("code", ""))
        result = await asyncio.to_thread(access.confirm_code, self.email, code, self._demarche_code())
        if result.error:
            return self._set_errors({"code": result.error}, ("code",))
        self._clear_errors()
        return full_load(f"{routes.GUEST_OPEN}?jeton={result.ticket}")

    @rx.event
    def new_code(self):
        """Back to the address (kept), to pass the anti-robot check again."""
        self._clear_errors()
        self.stage = "email"
        return focus_soon("titre-page")
