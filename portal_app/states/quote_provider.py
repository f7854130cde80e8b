"""The provider's page (/devis?jeton=…): no account, its private link is its only credential.

The raw token stays in a private var (never sent to the browser after the URL it came in, never
logged); every event resolves it again, so a revoked or expired link stops working at once.
The programme PDF goes through the one upload pipeline: the uploader is this link's request
("devis:<id>"), not a user (UploadState._upload_caller is overridden for that).
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any, ClassVar

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain.quotes import provider
from portal_app.domain.quotes.rules import FORM_FIELDS
from portal_app.domain.uploads.checks import Accepted, Refused
from portal_app.states.upload import UploadState

FORM_ORDER = tuple(name for name, _ in FORM_FIELDS) + ("programme", "reason")
MSG_NOT_PDF = "le programme doit être un fichier PDF."


class QuoteProviderState(FormErrors, UploadState, rx.State):
    MAX_FILES: ClassVar[int] = 1

    # loading, invalid (the link does not open), open, sent, declined
    step: str = "loading"
    problem: str = ""
    provider_name: str = ""
    status_label: str = ""
    may_quote: bool = False
    wished: list[list[str]] = []
    versions: list[dict[str, Any]] = []
    form_values: dict[str, str] = {}
    programme_name: str = ""
    _token: str = ""
    _programme: dict[str, Any] = {}

    def _show(self, view: provider.ProviderView | None, problem: str) -> None:
        if view is None:
            self.step, self.problem, self.may_quote = "invalid", problem, False
            self.wished, self.versions = [], []
            return
        self.problem = ""
        self.provider_name, self.status_label, self.may_quote = view.provider_name, view.status_label, view.may_quote
        self.wished = [list(item) for item in view.wished]
        self.versions = view.versions
        self.form_values = view.form_values

    @rx.event
    async def load(self):
        self._clear_errors()
        self._token = self.router.url.query_parameters.get("jeton", "")
        # The page loaded again: the programme the tab held unsent is forgotten, so it goes.
        await self._discard_held()
        view, problem = await asyncio.to_thread(provider.open_link, self._token)
        self._show(view, problem)
        if view is not None:
            self.step = "open"

    async def _discard_held(self) -> None:
        """Delete the programme this tab holds unsent (nothing names it) and forget it."""
        if self._programme:
            await asyncio.to_thread(provider.discard_programme, provider.Programme(**self._programme))
        self._programme, self.programme_name, self.results = {}, "", []

    # ------------------------------------------------------------ programme upload

    async def _upload_caller(self) -> tuple[str | None, Any]:
        view, problem = await asyncio.to_thread(provider.open_link, self._token)
        if view is None:
            self._show(None, problem)
            return None, None
        return f"devis:{view.request_id}", None

    def _keeper(self, user_id: Any, target: str) -> Any:
        def keep(accepted: Accepted) -> provider.Programme | Refused:
            if accepted.kind != "pdf":
                return Refused(accepted.safe_name, MSG_NOT_PDF)
            return provider.keep_programme(accepted)

        return keep

    def _accepted_message(self, kept: Any) -> str:
        return f"{kept.name} : reçu, il sera joint à votre devis."

    def _upload_done(self, user_id: Any, target: str, outcomes: list) -> Any:
        kept = [outcome for outcome in outcomes if isinstance(outcome, provider.Programme)]
        if kept:
            # The file it replaces was never sent: nothing names it, it goes now.
            replaced = [provider.Programme(**self._programme)] if self._programme else []
            for programme in replaced + kept[:-1]:
                provider.discard_programme(programme)  # this hook runs in a thread (UploadState)
            self._programme, self.programme_name = asdict(kept[-1]), kept[-1].name
            self._set_errors({key: value for key, value in self.errors.items() if key != "programme"}, FORM_ORDER)
        return None

    # ------------------------------------------------------------ the quote

    @rx.event
    async def send(self, form: dict):
        programme = provider.Programme(**self._programme) if self._programme else None
        errors, problem = await asyncio.to_thread(provider.send_quote, self._token, form, programme)
        if problem:
            return await self._refresh(problem)
        if errors:
            if errors.get("programme") == provider.MSG_PROGRAMME_GONE:
                self._programme, self.programme_name, self.results = {}, "", []
            return self._set_errors(errors, FORM_ORDER)
        self._clear_errors()
        self._programme, self.programme_name, self.results = {}, "", []
        self.step = "sent"
        return await self._refresh("")

    @rx.event
    async def decline(self, form: dict):
        errors, problem = await asyncio.to_thread(provider.decline, self._token, str(form.get("reason", "")))
        if problem:
            return await self._refresh(problem)
        if errors:
            return self._set_errors(errors, FORM_ORDER)
        self._clear_errors()
        # Declined: the programme uploaded for a quote that will not come is not kept.
        await self._discard_held()
        self.step = "declined"
        return await self._refresh("")

    @rx.event
    def revise(self):
        self.step = "open"

    async def _refresh(self, problem: str):
        view, link_problem = await asyncio.to_thread(provider.open_link, self._token)
        self._show(view, link_problem)
        if problem and view is not None:
            # The link opens but the request no longer waits for a quote (accepted meanwhile).
            self.problem, self.step = problem, "open"
        return None


# The one upload handler a tab made under no session may reach (api/upload_session.py).
PROVIDER_UPLOADS = frozenset({f"{QuoteProviderState.get_full_name()}.upload"})
