"""Back office: one filed dossier (answers, filed pieces, attachments, history, discussion) and
the agent's actions on it. Status changes go through domain/workflow.py, messages through
domain/discussion.py; each action is written to the audit trail once it has succeeded. A
decisive status (one the démarche declares terminal: accepted, refused, closed) is asked
twice: the first submit names the outcome, "Confirmer" applies it."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from portal_app.components.status_badge import glyph
from portal_app.components.titles import page_title
from portal_app.domain.backoffice import views
from portal_app.domain.core import audit
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.dossiers import discussion, workflow
from portal_app.domain.dossiers.drafts import DossierError
from portal_app.domain.quotes import views as quote_views
from portal_app.domain.relations.relations import for_whom_suffix, snapshot_rows
from portal_app.domain.uploads.checks import Refused
from portal_app.models import Role, User
from portal_app.models.base import as_utc
from portal_app.states.agent_dossier_views import (
    HISTORY_KINDS,
    AnswerRow,
    AnswerStep,
    Attachment,
    FilingItem,
    HistoryItem,
    MessageItem,
    attachment_item,
    filing_items,
)
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires
from portal_app.states.upload import UploadState

UPLOAD_ID = "pieces-message-agent"
# Moves with their own form: asking for completion needs a message, reopening its own words.
DEDICATED = (workflow.COMPLETION_STATUS, "reouvert")


class AgentDossierState(UploadState, rx.State):
    # A message carries at most this many files.
    MAX_FILES: ClassVar[int] = discussion.FILES_MAX

    found: bool = False
    dossier_id: int = 0
    number: str = ""
    demarche_title: str = ""
    status_label: str = ""
    status_colour: str = "grey"
    status_icon: str = ""
    beneficiary: str = ""
    beneficiary_email: str = ""
    # Filed for one of the holder's relations: "pour Léa Martin" and its frozen copy, row by row.
    for_whom: str = ""
    for_whom_rows: list[AnswerRow] = []
    submitted: str = ""
    steps: list[AnswerStep] = []

    @rx.var
    def page_title(self) -> str:
        return page_title(f"Dossier {self.number}" if self.found else "Dossier introuvable", "Back office")

    history: list[HistoryItem] = []
    messages: list[MessageItem] = []
    attachments: list[Attachment] = []
    filings: list[FilingItem] = []
    # Training quotes: [when, who, what, provider, detail] (domain/quotes/views.history).
    quote_history: list[list[str]] = []
    # [code, label, "1" when a motivation is required]
    targets: list[list[str]] = []
    # A decisive status waiting for "Confirmer": its code, label and the motivation typed.
    pending_target: str = ""
    pending_label: str = ""
    pending_motivation: str = ""
    # A new key empties the status form once a change is made.
    status_form_key: int = 0
    can_ask_completion: bool = False
    # Filed without an account (domain/guests): no discussion.
    guest: bool = False
    can_reopen: bool = False
    flash: str = ""
    error: str = ""
    message_text: str = ""

    def _id(self) -> str:
        return str(self.id)  # type: ignore[attr-defined]  # the route arg: Reflex adds it to rx.State

    def _reload(self, agent_id: int, dossier_id) -> None:
        seen = views.dossier_for_agent(dossier_id)
        dossier, demarche = seen.dossier, seen.demarche
        status = seen.status
        self.found = True
        self.dossier_id = dossier.id
        self.number = dossier.number or ""
        self.demarche_title = demarche.title
        self.status_label = status.label if status else dossier.status
        self.status_colour = status.colour if status else "grey"
        self.status_icon = glyph(status.icon if status else "")
        # A guest's dossier (domain/guests): "Sans compte — <the address they confirmed>".
        self.beneficiary = views.full_name(seen.owner) if dossier.owner_id else "Sans compte"
        self.beneficiary_email = seen.owner.email if seen.owner else ""
        self.for_whom = for_whom_suffix(dossier.for_whom).strip()
        self.for_whom_rows = [AnswerRow(label, value) for label, value in snapshot_rows(dossier.for_whom)]
        self.submitted = paris_datetime(as_utc(dossier.submitted_at)) if dossier.submitted_at else ""
        self.steps = [
            AnswerStep(step.title, [AnswerRow(row.label, row.value) for row in step.rows])
            for step in seen.recap
            if step.rows
        ]
        self.history = [
            HistoryItem(
                paris_datetime(row.at),
                HISTORY_KINDS.get(row.kind, "")
                if row.kind != "status"
                else f"Statut : {row.to_label}" + ("" if row.by_agency else " (réponse du demandeur)"),
                row.motivation,
            )
            for row in reversed(seen.history)
        ]
        targets = workflow.allowed_targets(dossier, workflow.AGENT)
        self.guest = dossier.owner_id is None
        # A guest has no discussion to answer in (discussion.NO_ACCOUNT).
        self.can_ask_completion = not self.guest and any(t.code == workflow.COMPLETION_STATUS for t in targets)
        self.can_reopen = any(t.code == demarche.reopened_status for t in targets)
        self.targets = [
            [t.code, t.label, "1" if workflow.needs_motivation(dossier, t.code) else ""]
            for t in targets
            if t.code not in (workflow.COMPLETION_STATUS, demarche.reopened_status)
        ]
        entries = discussion.thread(agent_id, workflow.AGENT, dossier.id)
        self.messages = [
            MessageItem(
                e.author_name,
                paris_datetime(as_utc(e.message.created_at)),
                e.message.body,
                e.message.author_role == workflow.AGENT,
                [attachment_item(a) for a in e.attachments],
            )
            for e in entries
        ]
        self.attachments = [attachment_item(a) for e in entries for a in e.attachments]
        self.filings = filing_items(dossier.id, seen.filings)
        self.quote_history = quote_views.history_of(dossier.id)
        discussion.mark_read(agent_id, workflow.AGENT, dossier.id)

    @rx.event
    @requires(Role.AGENT)
    def load(self, agent: User):
        self.flash = self.error = self.message_text = ""
        self._clear_pending()
        try:
            self._reload(agent.id, self._id())
        except (views.NotFound, DossierError):
            self.found = False
            return
        audit.record_now(agent.id, "view_dossier", dossier_id=self.dossier_id)
        return

    def _done(self, agent_id: int, text: str):
        self.flash, self.error = text, ""
        self._reload(agent_id, self.dossier_id)
        return focus_soon("message-action")

    def _failed(self, error: Exception):
        self.error, self.flash = str(error), ""
        return focus_soon("message-action")

    def _clear_pending(self) -> None:
        self.pending_target = self.pending_label = self.pending_motivation = ""

    @rx.event
    @requires(Role.AGENT)
    def change_status(self, agent: User, form: dict):
        """First submit: checked like the move itself; a decisive outcome then waits for
        "Confirmer" (the panel names it), any other is made at once."""
        self._clear_pending()
        target, motivation = str(form.get("target", "")), str(form.get("motivation", ""))
        if not target:
            return self._failed(ValueError("Choisissez le nouveau statut du dossier."))
        if target in DEDICATED:
            return self._failed(ValueError("Utilisez le formulaire dédié à cette action."))
        try:
            seen = views.dossier_for_agent(self.dossier_id)
            workflow.check_transition(seen.demarche, seen.dossier.status, target, workflow.AGENT, motivation)
        except (DossierError, views.NotFound) as error:
            return self._failed(error)
        status = seen.demarche.status(target)
        if status is not None and status.terminal:
            self.pending_target, self.pending_label, self.pending_motivation = target, status.label, motivation.strip()
            self.flash = self.error = ""
            return focus_soon("confirmation-statut")
        return self._apply_status(agent.id, target, motivation)

    @rx.event
    @requires(Role.AGENT)
    def confirm_status(self, agent: User):
        if not self.pending_target:
            return None
        target, motivation = self.pending_target, self.pending_motivation
        self._clear_pending()
        return self._apply_status(agent.id, target, motivation)

    @rx.event
    @requires(Role.AGENT)
    def cancel_status(self, _user: User):
        self._clear_pending()
        return focus_soon("champ-target")

    @rx.event
    def target_changed(self, _value: str):
        # Another choice after the confirmation was asked: that confirmation no longer holds.
        self._clear_pending()

    def _apply_status(self, agent_id: int, target: str, motivation: str):
        try:
            workflow.change_status_by_agent(agent_id, self.dossier_id, target, motivation)
        except DossierError as error:
            return self._failed(error)
        self.status_form_key += 1
        return self._done(agent_id, "Le statut du dossier a été modifié ; le demandeur en est informé.")

    @rx.event
    @requires(Role.AGENT)
    def ask_completion(self, agent: User, form: dict):
        message = str(form.get("completion_message", ""))
        try:
            workflow.ask_completion(agent.id, self.dossier_id, message)
        except DossierError as error:
            return self._failed(error)
        return self._done(agent.id, "La demande de compléments a été envoyée au demandeur.")

    @rx.event
    @requires(Role.AGENT)
    def reopen(self, agent: User, form: dict):
        motivation = str(form.get("reopen_motivation", ""))
        try:
            seen = views.dossier_for_agent(self.dossier_id)
            workflow.change_status_by_agent(
                agent.id, self.dossier_id, seen.demarche.reopened_status, motivation, reopen=True
            )
        except (DossierError, views.NotFound) as error:
            return self._failed(error)
        return self._done(
            agent.id, "Le dossier a été réouvert : le demandeur peut le modifier et le déposer de nouveau."
        )

    @rx.event
    def set_message_text(self, value: str):
        self.message_text = str(value)[: discussion.BODY_MAX + 1]

    # ------------------------------------------------------------ message (UploadState)
    UPLOAD_ROLE: ClassVar[Role] = Role.AGENT

    # "Envoyer le message" sends the message with its files: every file is checked first, one
    # refused file refuses the message, then it is posted with the accepted ones.

    def _upload_begins(self, agent_id: int, target: str) -> bool:
        return bool(self.dossier_id)

    def _upload_done(self, agent_id: int, target: str, outcomes: list):
        refused = next((outcome for outcome in outcomes if isinstance(outcome, Refused)), None)
        if refused is not None:
            return self._failed(ValueError(refused.message))
        try:
            discussion.open_or_post_agent_message(agent_id, self.dossier_id, self.message_text, outcomes)
        except DossierError as error:
            return self._failed(error)
        self.message_text = ""
        return [rx.clear_selected_files(UPLOAD_ID), self._done(agent_id, "Votre message a été envoyé au demandeur.")]
