"""The person's training quotes in the step that asks for them (Demarche.quotes.step)."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import reflex as rx

from portal_app import routes
from portal_app.components.forms import FormErrors
from portal_app.domain.core.formats import record_id
from portal_app.domain.dossiers import drafts
from portal_app.domain.quotes import person, views
from portal_app.domain.quotes.workflow import HOLDS_ANSWERS
from portal_app.models import Role, User
from portal_app.states.draft import DraftState
from portal_app.states.draft_form import dossier_id_of
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires, session_token

REQUEST_ORDER = ("provider_name", "provider_siret", "provider_email")


class QuotesState(FormErrors, rx.State):
    dossier_ref: int = 0
    # The step that shows the quotes ("" when the démarche takes none).
    step: str = ""
    requests: list[dict[str, Any]] = []
    # The request whose acceptance (password) or refusal (reason) form is open.
    accepting: str = ""
    refusing: str = ""
    # The request whose withdrawal waits for its confirmation.
    withdrawing: str = ""
    flash: str = ""
    problem: str = ""
    form_key: int = 0

    # An accepted quote gives the training's answers: the form shows them read-only.
    holds: bool = False
    # Acceptance asks FranceConnect+ rather than the password (person.accepts_with_fcplus),
    # through this link that comes back to the quotes' step.
    fcplus: bool = False
    fcplus_href: str = ""

    def _reload(self, user_id: int) -> None:
        self.requests = views.person_rows(user_id, self.dossier_ref)
        self.holds = any(row["status"] in HOLDS_ANSWERS for row in self.requests)

    def _refused(self) -> None:
        self.requests, self.step, self.dossier_ref = [], "", 0

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)  # drawn on every draft page, a guest's too (no quotes there)
    def load(self, user: User):
        self._clear_errors()
        self.accepting = self.refusing = self.withdrawing = self.flash = self.problem = ""
        dossier_id = dossier_id_of(self)
        try:
            dossier = drafts.get_owned(user.id, dossier_id)
        except drafts.NotFound:
            return self._refused()
        quotes = drafts.demarche_of(dossier).quotes
        self.dossier_ref, self.step = dossier_id, quotes.step if quotes else ""
        if self.step:
            self._reload(user.id)
            self.fcplus = person.accepts_with_fcplus(user)
            back = f"{routes.draft(dossier_id)}?etape={self.step}"
            self.fcplus_href = f"{routes.FC_LEAVE}?niveau=fcplus&suite={quote(back, safe='')}"
        return None

    @staticmethod
    def _call(action, *args) -> str | None:
        """A person.* action; a dossier filed or deleted meanwhile (another tab) is a message, not a crash."""
        try:
            return action(*args)
        except drafts.Locked:
            return "Ce dossier n'est plus modifiable : il a été déposé entre-temps."
        except drafts.NotFound:
            return "Cette demande de devis n'existe plus."

    def _act(self, user: User, message: str | None, done: str):
        try:
            self._reload(user.id)
        except drafts.NotFound:
            self._refused()
            return None
        self.accepting = self.refusing = self.withdrawing = ""
        self._clear_errors()
        self.flash, self.problem = ("", message) if message else (done, "")
        return focus_soon("devis-message")

    @rx.event
    @requires(Role.BENEFICIARY)
    def request_quote(self, user: User, form: dict):
        try:
            errors = person.request_quote(user.id, self.dossier_ref, form)
        except (drafts.Locked, drafts.NotFound):
            return self._act(user, "Ce dossier n'est plus modifiable : il a été déposé entre-temps.", "")
        if errors:
            return self._set_errors(errors, REQUEST_ORDER)
        self.form_key += 1  # the emptied form for another request
        return self._act(user, None, "Votre demande de devis est envoyée à l'organisme.")

    @rx.event
    @requires(Role.BENEFICIARY)
    def open_form(self, user: User, request_id: str, kind: str):
        self._clear_errors()
        self.accepting = request_id if kind == "accept" else ""
        self.refusing = request_id if kind == "refuse" else ""
        self.withdrawing = request_id if kind == "withdraw" else ""
        return focus_soon(f"devis-{kind}-{request_id}")

    @rx.event
    @requires(Role.BENEFICIARY)
    def cancel_form(self, user: User):
        self.accepting = self.refusing = self.withdrawing = ""
        self._clear_errors()

    @rx.event
    @requires(Role.BENEFICIARY)
    def revoke(self, user: User, request_id: str):
        message = self._call(person.revoke, user.id, self.dossier_ref, record_id(request_id) or 0)
        return self._act(user, message, "La demande est annulée : le lien de l'organisme ne fonctionne plus.")

    @rx.event
    @requires(Role.BENEFICIARY)
    def refuse(self, user: User, form: dict):
        request_id = record_id(form.get("request_id")) or 0
        reason, version_id = str(form.get("reason", "")), record_id(form.get("version_id")) or 0
        message = self._call(person.refuse, user.id, self.dossier_ref, request_id, reason, version_id)
        return self._act(user, message, "Le devis est refusé ; l'organisme est prévenu.")

    @rx.event
    @requires(Role.BENEFICIARY)
    async def accept(self, user: User, form: dict):
        password = str(form.get("password", ""))
        if not password and not self.fcplus:
            return self._set_errors({"password": "Saisissez votre mot de passe pour confirmer."})
        request_id = record_id(form.get("request_id")) or 0
        # The password check runs bcrypt: off the event loop.
        message = await asyncio.to_thread(
            self._call,
            person.accept,
            user.id,
            self.dossier_ref,
            request_id,
            password,
            self.router.session.client_token,
            session_token(self),
            record_id(form.get("version_id")) or 0,
        )
        if message and "mot de passe" in message:
            return self._set_errors({"password": message})
        events = await asyncio.to_thread(
            self._act, user, message, "Devis accepté. Les informations de la formation sont reprises du devis."
        )
        return events if message else [events, DraftState.reload_latest]

    @rx.event
    @requires(Role.BENEFICIARY)
    def withdraw(self, user: User, request_id: str):
        message = self._call(person.withdraw, user.id, self.dossier_ref, record_id(request_id) or 0)
        events = self._act(
            user, message, "Vous vous êtes rétracté(e) : les informations de la formation sont modifiables."
        )
        return events if message else [events, DraftState.reload_latest]
