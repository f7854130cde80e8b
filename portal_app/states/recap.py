"""The récapitulatif ("check your answers"), the submission, and the read-only view of a
filed dossier."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from portal_app import routes
from portal_app.components.forms import FormErrors, field_id, focus_error_summary
from portal_app.components.titles import page_title
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.dossiers import drafts, filing, pieces
from portal_app.models import Dossier, Role, User
from portal_app.models.base import as_utc
from portal_app.states import draft_scripts as js
from portal_app.states import filing_assurance
from portal_app.states.draft_form import OwnedDossier, dossier_id_of
from portal_app.states.draft_views import RecapStepView, recap_views
from portal_app.states.guard import requires, session_token

SWORN_FIELD = "attestation_honneur"

HISTORY_LABELS = {
    "created": "Brouillon créé",
    "submitted": "Dossier déposé",
    "reopened": "Dossier réouvert pour modification",
}


@dataclass
class RecapPieceView:
    code: str
    label: str
    attached: bool
    missing: bool  # required and not attached
    name: str
    size_label: str
    href: str  # the frozen copy, once filed


@dataclass
class HistoryView:
    label: str
    at: str
    motivation: str


class RecapState(OwnedDossier, FormErrors, rx.State):
    status_label: str = ""
    status_colour: str = ""
    editable: bool = False
    reopened: bool = False
    complete: bool = False
    steps: list[RecapStepView] = []
    sworn_statement: str = ""
    history: list[HistoryView] = []
    pieces_step: str = ""
    pieces: list[RecapPieceView] = []
    submitted_on: str = ""
    loading: bool = False

    @rx.var
    def page_title(self) -> str:
        if not self.found:
            return page_title("Dossier introuvable")
        if self.editable or not self.number:
            return page_title("Vérifiez vos réponses", self.title, error=bool(self.error_items))
        return page_title(f"Dossier {self.number}", "Récapitulatif")

    def _show(self, user_id: int, dossier: Dossier) -> None:
        demarche = self._name_dossier(dossier)
        status = demarche.status(dossier.status)
        self.status_label = status.label_for_owner if status else dossier.status
        self.status_colour = status.colour if status else "grey"
        self.editable = drafts.owner_can_edit(dossier)
        self.reopened = dossier.status == demarche.reopened_status
        steps = recap_views(demarche, dossier.answers or {}, routes.draft(self.dossier_ref))
        self.pieces_step = pieces.pieces_step(demarche)
        self.pieces = [
            RecapPieceView(
                code=p.code,
                label=p.label + ("" if p.required else " (facultatif)"),
                attached=p.attached,
                missing=p.required and not p.attached,
                name=p.name,
                size_label=p.size_label,
                href=f"/_portal/dossiers/{self.dossier_ref}/pieces/{p.code}" if p.frozen else "",
            )
            for p in pieces.pieces_status(user_id, self.dossier_ref)
        ]
        if any(p.missing for p in self.pieces):
            for step in steps:
                if step.code == self.pieces_step:
                    step.complete = False
        self.steps = steps
        self.complete = all(step.complete for step in self.steps)
        self.sworn_statement = demarche.sworn_statement
        rows = drafts.history(user_id, self.dossier_ref)
        self.history = [
            HistoryView(HISTORY_LABELS.get(row.kind, row.kind), paris_datetime(as_utc(row.at)), row.motivation)
            for row in rows
            if row.kind in HISTORY_LABELS
        ]
        self.submitted_on = paris_datetime(as_utc(dossier.submitted_at)) if dossier.submitted_at else ""

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def load(self, user: User):
        self._clear_errors()
        self.loading = False
        dossier = self._owned(user.id)
        if dossier is None:
            return None
        if dossier.number is not None and not drafts.owner_can_edit(dossier):
            # One page for a filed dossier, however it is reached (old mails, bookmarks); a
            # guest's has only its confirmation, then /suivi.
            if dossier.owner_id is None:
                return rx.redirect(routes.dossier_filed(dossier.id))
            return rx.redirect(routes.dossier_page(dossier.id))
        self._show(user.id, dossier)
        self.ready = True
        return None

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    async def submit(self, user: User, form: dict):
        dossier_id = dossier_id_of(self)
        sworn = str((form or {}).get(SWORN_FIELD, "")) == "oui"
        gate = await asyncio.to_thread(filing_assurance.refusal, user.id, dossier_id, session_token(self))
        if gate:
            self.error_items = [["franceconnect-plus", gate]]
            return focus_error_summary()
        try:
            # The filing builds the receipt PDF (embedded fonts: CPU work): in a thread, so the
            # event loop serves others; its transaction and after-commit mails are unchanged.
            result = await asyncio.to_thread(filing.submit, user.id, dossier_id, sworn=sworn)
        except drafts.NotFound:
            self.found = False
            return None
        except drafts.Locked:
            # Filed meanwhile (a double click, another tab): show what was filed.
            return rx.redirect(routes.dossier_filed(dossier_id))
        if not result.ok:
            titles = {step.code: step.title for step in self.steps}
            items = [
                [
                    f"recap-{code}",
                    result.errors[code].get("pieces")
                    or f"L'étape « {titles.get(code, code)} » est incomplète : complétez-la avant de déposer votre dossier.",
                ]
                for code in titles
                if code in result.errors
            ]
            if "" in result.errors:
                items.append([field_id(SWORN_FIELD), result.errors[""]["sworn"]])
            if result.dossier is not None:
                await asyncio.to_thread(self._show, user.id, result.dossier)
            self.errors = {SWORN_FIELD: result.errors[""]["sworn"]} if "" in result.errors else {}
            self.error_items = items
            return focus_error_summary()
        return [
            rx.call_script(js.drop_pending(dossier_id)),
            rx.redirect(routes.dossier_filed(dossier_id)),
        ]


class ConfirmationState(OwnedDossier, rx.State):
    submitted_on: str = ""
    email: str = ""
    # Filed without an account (domain/guests): followed on /suivi, not in "Mes démarches".
    guest: bool = False

    @rx.var
    def page_title(self) -> str:
        if not self.found:
            return page_title("Dossier introuvable")
        return page_title(f"Dossier {self.number} déposé" if self.number else "Dossier déposé")

    @rx.event
    @requires(Role.BENEFICIARY, guest_open=True)
    def load(self, user: User):
        dossier = self._owned(user.id)
        if dossier is None:
            return None
        if dossier.number is None or drafts.owner_can_edit(dossier):
            return rx.redirect(routes.draft(dossier.id))
        self._name_dossier(dossier)
        self.submitted_on = paris_datetime(as_utc(dossier.submitted_at)) if dossier.submitted_at else ""
        self.email = user.email
        self.guest = dossier.owner_id is None
        self.ready = True
        return None
