"""Documents of the employer space: general list, dossier search, add, edit, delete.

Every handler is declared @requires(Role.EMPLOYER) (a ready employer only);
ownership of each document is checked again by the domain.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain.employer import employer_documents as docs
from portal_app.domain.employer import onboarding, reglements
from portal_app.domain.uploads.checks import Refused
from portal_app.models import Role, User
from portal_app.states.employer import EmployerPage, show_company
from portal_app.states.employer_document_views import DocView, DossierView, document_row
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires
from portal_app.states.upload import UploadState

ADD_UPLOAD = "ajout-fichier"
EDIT_UPLOAD = "remplacement-fichier"
MSG_BROWSER_REFUSED = "Ce fichier n'est pas accepté : choisissez un fichier PNG, JPEG ou PDF de 5 Mo au plus."


class EmployerDocumentsState(FormErrors, EmployerPage, UploadState, rx.State):
    # Each zone (ADD_UPLOAD, EDIT_UPLOAD: the upload handler's target) takes one file.
    MAX_FILES: ClassVar[int] = 1

    categories: list[dict[str, str]] = docs.category_choices()
    general: list[DocView] = []
    dossiers: list[DossierView] = []
    query: str = ""
    searched: bool = False
    open_dossier: str = ""
    open_dossier_title: str = ""
    dossier_docs: list[DocView] = []
    # The dossiers the add form offers: this employer's, from its règlements.
    form_dossiers: list[DossierView] = []

    # add: "" (closed) | fields | file | done
    add_step: str = ""
    add_category: str = ""
    added_title: str = ""
    upload_message: str = ""
    _pending: dict = {}

    editing_id: int = 0
    edit_title: str = ""
    edit_values: dict[str, str] = {}
    edit_category: str = ""
    deleting_id: int = 0
    deleting_title: str = ""
    flash: str = ""

    @rx.var
    def add_fields(self) -> dict[str, str]:
        return next((c for c in self.categories if c["key"] == self.add_category), {})

    @rx.var
    def edit_fields(self) -> dict[str, str]:
        return next((c for c in self.categories if c["key"] == self.edit_category), {})

    def _refresh(self, employer_id: int) -> None:
        self.general = [document_row(v) for v in docs.general_documents(employer_id)]
        if self.open_dossier:
            self.dossier_docs = [document_row(v) for v in docs.dossier_documents(employer_id, self.open_dossier)]
        if self.searched:
            self.dossiers = [
                DossierView(d.number, d.beneficiary) for d in reglements.dossiers_of(employer_id, self.query)
            ]

    # ------------------------------------------------------------ page

    @rx.event
    @requires(Role.EMPLOYER)
    async def load(self, user: User):
        self.ready = False
        view = await asyncio.to_thread(onboarding.view, user.id)
        await show_company(self, view)
        self._show_employer(view)
        self._clear_errors()
        self.query, self.searched, self.dossiers = "", False, []
        self.open_dossier, self.open_dossier_title, self.dossier_docs = "", "", []
        self.add_step, self.add_category, self.upload_message, self.flash = "", "", "", ""
        self.editing_id, self.deleting_id = 0, 0
        self._pending = {}
        dossiers = await asyncio.to_thread(reglements.dossiers_of, user.id)
        self.form_dossiers = [DossierView(d.number, d.beneficiary) for d in dossiers]
        await asyncio.to_thread(self._refresh, user.id)
        return None

    @rx.event
    @requires(Role.EMPLOYER)
    def search(self, user: User, form: dict):
        self.query = " ".join(str(form.get("query", "")).split())[:100]
        self.searched = True
        self.open_dossier, self.dossier_docs = "", []
        self._refresh(user.id)
        return None

    @rx.event
    @requires(Role.EMPLOYER)
    def open(self, user: User, number: str):
        dossier = reglements.dossier_of(user.id, str(number))
        if dossier is None:
            return None
        self.open_dossier = dossier.number
        self.open_dossier_title = f"Dossier {dossier.number} – {dossier.beneficiary}"
        self.dossier_docs = [document_row(v) for v in docs.dossier_documents(user.id, dossier.number)]
        return focus_soon("dossier-ouvert")

    @rx.event
    @requires(Role.EMPLOYER)
    def close_dossier(self, user: User):
        self.open_dossier, self.dossier_docs = "", []

    # ------------------------------------------------------------ add

    @rx.event
    @requires(Role.EMPLOYER)
    def start_add(self, user: User):
        self._clear_errors()
        self.add_step, self.add_category, self.upload_message, self.flash = "fields", "", "", ""
        self.editing_id, self.deleting_id = 0, 0
        return focus_soon("ajout-titre")

    @rx.event
    @requires(Role.EMPLOYER)
    def cancel_add(self, user: User):
        self.add_step, self._pending, self.upload_message = "", {}, ""
        self._clear_errors()

    @rx.event
    @requires(Role.EMPLOYER)
    def choose_category(self, user: User, value: str):
        self.add_category = value

    @rx.event
    @requires(Role.EMPLOYER)
    def submit_fields(self, user: User, form: dict):
        values, errors = docs.clean_fields(user.id, form)
        if errors:
            return self._set_errors(errors, docs.FIELD_ORDER)
        self._clear_errors()
        # Kept server side only; checked again when the file arrives.
        self._pending = {**form}
        self.add_step, self.upload_message = "file", ""
        return None

    @rx.event
    @requires(Role.EMPLOYER)
    def back_to_fields(self, user: User):
        self.add_step, self.upload_message = "fields", ""

    @rx.event
    @requires(Role.EMPLOYER)
    def browser_refused(self, _user: User, _rejections: list):
        self.upload_message = MSG_BROWSER_REFUSED

    # ------------------------------------------------------------ edit

    @rx.event
    @requires(Role.EMPLOYER)
    def start_edit(self, user: User, document_id: int):
        row = docs.get_document(user.id, int(document_id))
        if row is None or row.filed_by != Role.EMPLOYER:
            return None
        self._clear_errors()
        self.add_step, self.deleting_id, self.flash, self.upload_message = "", 0, "", ""
        self.editing_id = row.id
        self.edit_title = row.label or docs.category_label(row.category)
        self.edit_category = row.category
        self.edit_values = {
            "label": row.label,
            "period_start": row.period_start.isoformat() if row.period_start else "",
            "period_end": row.period_end.isoformat() if row.period_end else "",
            "dossier": row.dossier_number,
        }
        return focus_soon("modification-titre")

    @rx.event
    @requires(Role.EMPLOYER)
    def choose_edit_category(self, user: User, value: str):
        self.edit_category = value

    @rx.event
    @requires(Role.EMPLOYER)
    def cancel_edit(self, user: User):
        self.editing_id, self.upload_message = 0, ""
        self._clear_errors()

    @rx.event
    @requires(Role.EMPLOYER)
    def submit_edit(self, user: User, form: dict):
        row = docs.get_document(user.id, self.editing_id)
        if row is None or row.filed_by != Role.EMPLOYER:
            self.editing_id = 0
            return None
        values, errors = docs.clean_fields(user.id, form)
        if errors:
            return self._set_errors(errors, docs.FIELD_ORDER)
        self._clear_errors()
        docs.update_document(user.id, row.id, values)
        self.flash = "Vos modifications sont enregistrées."
        self.editing_id = 0
        self._refresh(user.id)
        return None

    # ------------------------------------------------------------ upload (UploadState)
    UPLOAD_ROLE: ClassVar[Role] = Role.EMPLOYER

    def _upload_begins(self, employer_id: int, target: str):
        if target == EDIT_UPLOAD:
            return bool(self.editing_id)
        if target != ADD_UPLOAD or self.add_step != "file":
            return False
        # The fields were checked at the first step; the dossier may have gone since.
        _values, errors = docs.clean_fields(employer_id, self._pending)
        if errors:
            self.add_step = "fields"
            return self._set_errors(errors, docs.FIELD_ORDER) or False
        return True

    def _keeper(self, employer_id: int, target: str):
        if target == EDIT_UPLOAD:
            document_id = self.editing_id
            return lambda accepted: accepted if docs.update_document(employer_id, document_id, {}, accepted) else None
        fields = dict(self._pending)

        def add(accepted):
            values, _errors = docs.clean_fields(employer_id, fields)
            docs.add_document(employer_id, values, accepted)
            return values

        return add

    def _upload_done(self, employer_id: int, target: str, outcomes: list):
        if not outcomes:
            return None  # every file refused by the browser: browser_refused said so
        refused = next((outcome for outcome in outcomes if isinstance(outcome, Refused)), None)
        if refused is not None:
            self.upload_message = refused.message
            return None
        kept = outcomes[0]
        if target == EDIT_UPLOAD:
            if kept is not None:
                self.upload_message = f"Le fichier est remplacé par {kept.safe_name}."
            self._refresh(employer_id)
            return None
        self.added_title = kept["label"] or docs.category_label(kept["category"])
        self.add_step, self._pending, self.upload_message = "done", {}, ""
        self._refresh(employer_id)
        return focus_soon("ajout-confirmation")

    # ------------------------------------------------------------ delete

    @rx.event
    @requires(Role.EMPLOYER)
    def ask_delete(self, user: User, document_id: int):
        row = docs.get_document(user.id, int(document_id))
        if row is None or row.filed_by != Role.EMPLOYER:
            return None
        self.add_step, self.editing_id, self.flash = "", 0, ""
        self.deleting_id = row.id
        self.deleting_title = f"{row.label or docs.category_label(row.category)} ({row.file_name})"
        return focus_soon("suppression-titre")

    @rx.event
    @requires(Role.EMPLOYER)
    def cancel_delete(self, user: User):
        self.deleting_id = 0

    @rx.event
    @requires(Role.EMPLOYER)
    def confirm_delete(self, user: User):
        if self.deleting_id and docs.delete_document(user.id, self.deleting_id):
            self.flash = f"Le document « {self.deleting_title} » est supprimé."
        self.deleting_id = 0
        self._refresh(user.id)
        return None
