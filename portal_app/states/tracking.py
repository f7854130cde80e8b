"""/suivi: follow a request with an email, a dossier number and the anti-robot check."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from portal_app.components.altcha import reset_altcha
from portal_app.components.forms import FormErrors
from portal_app.components.status_badge import glyph
from portal_app.domain.core import antirobot
from portal_app.domain.core.dates import paris_datetime, paris_time
from portal_app.domain.dossiers import tracking
from portal_app.domain.dossiers.demarche import normalize_number
from portal_app.states.antirobot_gate import robot_gate
from portal_app.states.focus import focus_soon

FIELD_ORDER = ("email", "number", antirobot.FIELD_NAME)


@dataclass
class TimelineStep:
    date: str
    label: str
    motivation: str


class TrackingState(FormErrors, rx.State):
    # The grant lives server side only: a backend var never reaches the browser.
    _token: str = ""
    found: bool = False
    expired: bool = False
    message: str = ""
    demarche_title: str = ""
    for_whom: str = ""  # "pour Léa M.", "" for the account holder's own dossier
    number: str = ""
    status_label: str = ""
    status_colour: str = "grey"
    status_icon: str = ""
    valid_until: str = ""
    timeline: list[TimelineStep] = []

    @rx.event
    async def load(self):
        self._clear_errors()
        self.message = ""
        self.expired = False
        # A reload shows the view again while the grant lasts, never longer.
        if self._token:
            await self._show()
        else:
            self.found = False

    async def _show(self) -> None:
        # The database in a thread: a public page's lookups never hold the event loop.
        seen = await asyncio.to_thread(tracking.view, self._token)
        if seen is None:
            self._token = ""
            self.found = False
            self.expired = True
            return
        self.found = True
        self.demarche_title = seen.demarche_title
        self.for_whom = seen.for_whom
        self.number = seen.number
        self.status_label = seen.status_label
        self.status_colour = seen.status_colour
        self.status_icon = glyph(seen.status_icon)
        self.valid_until = paris_time(seen.expires_at)[:5]
        self.timeline = [
            TimelineStep(paris_datetime(step.at), step.label, step.motivation) for step in reversed(seen.timeline)
        ]

    @rx.event
    async def submit(self, form: dict):
        email = str(form.get("email", "")).strip()
        number = str(form.get("number", "")).strip()
        errors: dict[str, str] = {}
        if not email:
            errors["email"] = "Indiquez l'adresse e-mail de votre compte."
        if not number:
            errors["number"] = "Indiquez le numéro du dossier, par exemple PTP-2026-000042."
        elif normalize_number(number) is None:
            # Before the anti-robot check and the lookup: a slip costs neither the solved
            # challenge nor one of the few tries allowed.
            errors["number"] = tracking.MALFORMED_NUMBER
        self.message = ""
        self.expired = False
        stopped = await robot_gate(self, errors, form, FIELD_ORDER)
        if stopped is not None:
            return stopped
        result = await asyncio.to_thread(tracking.lookup, email, number, self.router.session.client_ip or "")
        if not result.ok:
            self.message = result.error
            return [reset_altcha(), focus_soon("message-suivi")]
        self._token = result.token
        await self._show()
        return rx.call_script("window.scrollTo(0, 0)")

    @rx.event
    async def refresh(self):
        await self._show()

    @rx.event
    def new_search(self):
        self._token = ""
        self.found = False
        self.timeline = []
