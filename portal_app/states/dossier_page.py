"""The owner's dossier page: summary, timeline, answers, documents and the discussion.

Every handler checks the session first; another owner's dossier is "not found"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from portal_app import routes
from portal_app.api.receipts import receipt_url
from portal_app.components.forms import FormErrors
from portal_app.components.status_badge import glyph
from portal_app.components.titles import page_title
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.formats import record_id
from portal_app.domain.documents import wallet as docs
from portal_app.domain.dossiers import discussion, drafts, filed_pieces, notifications, pieces, receipt, workflow
from portal_app.domain.quotes import person as quote_person
from portal_app.domain.quotes import views as quote_views
from portal_app.domain.uploads.checks import (
    format_size,
)
from portal_app.models import Dossier, Role, User
from portal_app.models.base import as_utc
from portal_app.states.draft_form import OwnedDossier, dossier_id_of
from portal_app.states.draft_views import RecapStepView, recap_views
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires
from portal_app.states.my_dossiers import _next_step
from portal_app.states.session import SessionState
from portal_app.states.upload import UploadState

EVENT_LABELS = {"created": "Brouillon créé", "submitted": "Dossier déposé"}


@dataclass
class TimelineItem:
    label: str
    at: str
    motivation: str
    colour: str
    icon: str
    motivation_label: str


@dataclass
class AttachmentView:
    name: str
    href: str
    size: str


@dataclass
class ReceiptView:
    label: str
    href: str
    file_name: str


@dataclass
class FiledPieceView:
    label: str
    name: str
    href: str
    size: str


@dataclass
class MessageView:
    id: int
    author: str
    at: str
    body: str
    from_agency: bool
    new: bool  # an agency message unread when the page opened
    attachments: list[AttachmentView]


@dataclass
class PickView:
    id: int
    name: str


class DossierPageState(OwnedDossier, FormErrors, UploadState, rx.State):
    @rx.var
    def page_title(self) -> str:
        if not self.found:
            return page_title("Dossier introuvable")
        if not self.ready:
            return page_title("Dossier")
        return page_title(
            f"Dossier {self.number}" if self.number else "Dossier en brouillon", "" if self.number else self.title
        )

    status_label: str = ""
    status_colour: str = "grey"
    status_icon: str = ""
    next_step: str = ""
    editable: bool = False
    # Filed, not editable, not decided: the page says how to have it reopened.
    can_be_reopened: bool = False
    submitted_on: str = ""
    timeline: list[TimelineItem] = []
    steps: list[RecapStepView] = []
    messages: list[MessageView] = []
    attachments: list[AttachmentView] = []
    # The pieces of the last filing, in the démarche's order, and when it was filed.
    filed_pieces: list[FiledPieceView] = []
    # Training quotes of the dossier (domain/quotes/views.person_rows): read here, answered in
    # the training step; only a withdrawal can be made here, filed or not (person.withdraw).
    quotes: list[dict[str, Any]] = []
    quote_message: str = ""
    withdrawing: str = ""  # the quote request whose withdrawal waits for its confirmation
    pieces_filed_on: str = ""
    # The filing receipts (PDF), latest first: one per filing.
    receipts: list[ReceiptView] = []
    pieces_step: str = ""
    can_reply: bool = False
    picks: list[PickView] = []
    picked: list[int] = []
    flash: str = ""
    reply_key: int = 0  # a new key empties the reply form after sending
    _reply_text: str = ""  # what the message box holds, to tell when an error is fixed

    def _show(self, user_id: int, dossier: Dossier, mark: bool) -> None:
        demarche = self._name_dossier(dossier)
        status = demarche.status(dossier.status)
        self.status_label = status.label_for_owner if status else dossier.status
        self.status_colour = status.colour if status else "grey"
        self.status_icon = glyph(status.icon if status else "")
        self.editable = drafts.owner_can_edit(dossier)
        self.can_be_reopened = bool(dossier.number) and not self.editable and not (status and status.terminal)
        self.submitted_on = paris_datetime(as_utc(dossier.submitted_at)) if dossier.submitted_at else ""
        timeline = []
        for row in drafts.history(user_id, self.dossier_ref):
            target = demarche.status(row.to_status)
            label = EVENT_LABELS.get(row.kind) or (target.label_for_owner if target else row.to_status)
            # "À compléter" carries the agency's request; other moves a motivation.
            asked = row.to_status == workflow.COMPLETION_STATUS
            timeline.append(
                TimelineItem(
                    label,
                    paris_datetime(as_utc(row.at)),
                    row.motivation,
                    target.colour if target else "grey",
                    glyph(target.icon if target else ""),
                    "Demande de l'agence : " if asked else "Motif : ",
                )
            )
        self.timeline = list(reversed(timeline))  # newest first
        self.steps = recap_views(demarche, dossier.answers or {}, routes.draft(self.dossier_ref))
        self.pieces_step = pieces.pieces_step(demarche)
        self.quotes = quote_views.person_rows(user_id, self.dossier_ref) if demarche.quotes else []
        filings = filed_pieces.filings(user_id, self.dossier_ref)
        last = filings[-1] if filings else None
        self.pieces_filed_on = paris_datetime(last.filed_at) if last else ""
        self.filed_pieces = [
            FiledPieceView(v.label, v.name, f"/_portal/dossiers/{self.dossier_ref}/pieces/{v.code}", v.size_label)
            for v in (last.pieces if last else ())
        ]
        self.receipts = [
            ReceiptView(
                f"attestation de dépôt du {paris_datetime(filed_at)} (version {version})",
                receipt_url(self.dossier_ref, version),
                receipt.receipt_file_name(self.number, version),
            )
            for version, filed_at in receipt.receipt_dates(user_id, self.dossier_ref)
        ]
        entries = discussion.thread(user_id, "owner", self.dossier_ref)
        views, files = [], []
        for entry in entries:
            message = entry.message
            attached = [
                AttachmentView(a.name, f"/_portal/pieces/{a.id}", format_size(a.size)) for a in entry.attachments
            ]
            files += attached
            views.append(
                MessageView(
                    message.id or 0,
                    entry.author_name,
                    paris_datetime(as_utc(message.created_at)),
                    message.body,
                    message.author_role == Role.AGENT,
                    message.author_role == Role.AGENT and message.read_by_owner_at is None,
                    attached,
                )
            )
        self.messages, self.attachments = views, files
        self.can_reply = any(view.from_agency for view in views)
        awaits = bool(views) and views[-1].from_agency
        self.next_step = _next_step(dossier, demarche, status, awaits)
        self.picks = [PickView(d.id or 0, d.name) for d in docs.list_documents(user_id)]
        self.picked = [i for i in self.picked if any(p.id == i for p in self.picks)]
        if mark:
            discussion.mark_read(user_id, "owner", self.dossier_ref)
            notifications.mark_read_for_dossier(user_id, self.dossier_ref)

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self._clear_errors()
        self.quote_message = self.withdrawing = ""
        self.flash, self.results, self.picked, self.uploading = "", [], [], False
        dossier = self._owned(user.id)
        if dossier is None:
            return None
        self._show(user.id, dossier, mark=True)
        self.ready = True
        return SessionState.refresh_bell

    def _recheck(self) -> None:
        """The reply's error goes as soon as the reply would be accepted (text, or a file)."""
        if not self.errors:
            return
        try:
            discussion.check_reply(self._reply_text, has_files=bool(self.picked))
        except discussion.DiscussionError:
            return
        self._clear_errors()

    @rx.event
    @requires(Role.BENEFICIARY)
    def message_typed(self, _user: User, value: str):
        self._reply_text = str(value)[: discussion.BODY_MAX + 1]
        self._recheck()
        return None

    @rx.event
    @requires(Role.BENEFICIARY)
    def toggle_pick(self, user: User, document_id: int):
        document_id = int(document_id)
        if document_id in self.picked:
            self.picked = [i for i in self.picked if i != document_id]
        elif any(p.id == document_id for p in self.picks):
            self.picked = [*self.picked, document_id]
        self._recheck()
        return None

    # ---------------------------------------------------------------- upload (UploadState)
    # Files for the reply are kept in the porte-documents and ticked for the reply.

    def _keeper(self, user_id: int, target: str):
        return lambda accepted: docs.store(user_id, accepted)

    def _accepted_message(self, kept: docs.Stored) -> str:
        return f"{kept.document.name} : ajouté à votre porte-documents et joint à votre réponse."

    def _upload_done(self, user_id: int, target: str, outcomes: list):
        stored = [outcome.document.id for outcome in outcomes if isinstance(outcome, docs.Stored)]
        self.picked = [*self.picked, *stored]
        if stored:
            self.picks = [PickView(d.id or 0, d.name) for d in docs.list_documents(user_id)]
        self._recheck()

    @rx.event
    @requires(Role.BENEFICIARY)
    def reply(self, user: User, form: dict):
        body = str((form or {}).get("message", ""))
        self._reply_text = body
        try:
            discussion.post_owner_reply(user.id, dossier_id_of(self), body, document_ids=list(self.picked))
        except drafts.NotFound:
            self.found = False
            return None
        except discussion.DiscussionError as error:
            return self._set_errors({"message": str(error)})
        self._clear_errors()
        self.picked, self.results, self._reply_text = [], [], ""
        self.reply_key += 1
        self.flash = "Votre réponse a été envoyée à l'agence."
        dossier = self._owned(user.id)
        if dossier is not None:
            self._show(user.id, dossier, mark=True)
        return focus_soon("reponse-envoyee")

    @rx.event
    @requires(Role.BENEFICIARY)
    def confirm_withdrawal(self, _user: User, request_id: str, _kind: str = "withdraw"):
        self.withdrawing = str(request_id)
        return focus_soon(f"devis-withdraw-{request_id}")

    @rx.event
    @requires(Role.BENEFICIARY)
    def keep_acceptance(self, _user: User):
        self.withdrawing = ""

    @rx.event
    @requires(Role.BENEFICIARY)
    def withdraw_quote(self, user: User, request_id: str):
        try:
            problem = quote_person.withdraw(user.id, dossier_id_of(self), record_id(request_id) or 0)
        except drafts.NotFound:
            problem = "Cette demande de devis n'existe plus."
        self.quote_message = problem or "Vous vous êtes rétracté(e) : l'organisme est prévenu."
        self.withdrawing = ""
        dossier = self._owned(user.id)
        if dossier is not None:
            self._show(user.id, dossier, mark=False)
        return focus_soon("devis-message")
