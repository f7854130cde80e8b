"""The porte-documents page. Every handler asks who is calling before anything else.

Uploads: UploadState (states/upload.py); an accepted file is stored here with the chosen category.
"""

from __future__ import annotations

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.wording import count_label
from portal_app.domain.documents import wallet as docs
from portal_app.domain.uploads.checks import (
    KIND_LABELS,
    format_size,
)
from portal_app.models import Document, Role, User
from portal_app.models.base import as_utc
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires
from portal_app.states.upload import UploadState

EDIT_NAME_ID = "champ-document-nom"


def _row(document: Document) -> dict[str, str]:
    return {
        "id": str(document.id),
        "name": document.name,
        "category": document.category,
        "category_label": docs.CATEGORIES.get(document.category, "Autre"),
        "kind": document.kind,
        "kind_label": KIND_LABELS[document.kind],
        "size_label": format_size(document.size),
        "date_label": paris_datetime(as_utc(document.created_at)),
        "thumbnail": "1" if document.thumbnail_name else "",
        "original_name": document.original_name if document.original_name != document.name else "",
    }


class DocumentsState(FormErrors, UploadState, rx.State):
    documents: list[dict[str, str]] = []
    usage_label: str = ""
    upload_category: str = docs.DEFAULT_CATEGORY
    editing: dict[str, str] = {}
    confirming: dict[str, str] = {}
    flash: str = ""

    def _refresh(self, user_id: int) -> None:
        self.documents = [_row(document) for document in docs.list_documents(user_id)]
        used_bytes, used_files = docs.usage(user_id)
        self.usage_label = (
            f"Espace utilisé : {format_size(used_bytes)} sur {format_size(docs.QUOTA_BYTES)} "
            f"({count_label(used_files, 'document')} sur {docs.QUOTA_FILES} au plus)."
        )

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self.results = []
        self.editing = {}
        self.confirming = {}
        self.flash = ""
        self.progress = 0
        self.uploading = False
        self._clear_errors()
        self._refresh(user.id)
        return None

    @rx.event
    @requires(Role.BENEFICIARY)
    def set_upload_category(self, _user: User, value: str):
        self.upload_category = docs.clean_category(value)
        return None

    # ---------------------------------------------------------------- upload (UploadState)

    def _upload_begins(self, user_id: int, target: str) -> bool:
        self.flash = ""
        return True

    def _keeper(self, user_id: int, target: str):
        category = docs.clean_category(self.upload_category)
        return lambda accepted: docs.store(user_id, accepted, category)

    def _accepted_message(self, kept: docs.Stored) -> str:
        document = kept.document
        cleaned = " Photo nettoyée de ses métadonnées." if document.kind != "pdf" else ""
        return f"{document.name} : ajouté à votre porte-documents.{cleaned}"

    def _upload_done(self, user_id: int, target: str, outcomes: list):
        self._refresh(user_id)

    def _refused_by_browser(self, target: str, refusals: list):
        self.flash = ""

    # ---------------------------------------------------------------- edit and delete

    @rx.event
    @requires(Role.BENEFICIARY)
    def start_edit(self, user: User, document_id: str):
        document = docs.get_document(user.id, document_id)
        self.confirming = {}
        self.flash = ""
        self._clear_errors()
        if document is None:
            self._refresh(user.id)
            return None
        self.editing = _row(document)
        return focus_soon(EDIT_NAME_ID)

    @rx.event
    @requires(Role.BENEFICIARY)
    def cancel(self, _user: User):
        self.editing = {}
        self.confirming = {}
        self._clear_errors()
        return None

    @rx.event
    @requires(Role.BENEFICIARY)
    def save_edit(self, user: User, form: dict):
        document_id = str(form.get("document_id", ""))
        error = docs.rename(user.id, document_id, str(form.get("name", "")))
        if error is None:
            error = docs.recategorise(user.id, document_id, str(form.get("category", "")))
            field = "category"
        else:
            field = "name"
        if error:
            return self._set_errors({field: error}, ("name", "category"))
        self._clear_errors()
        self.editing = {}
        self._refresh(user.id)
        self.flash = "Vos modifications sont enregistrées."
        return None

    @rx.event
    @requires(Role.BENEFICIARY)
    def ask_delete(self, user: User, document_id: str):
        document = docs.get_document(user.id, document_id)
        self.editing = {}
        self.flash = ""
        self.confirming = _row(document) if document else {}
        return focus_soon("confirmation-suppression")

    @rx.event
    @requires(Role.BENEFICIARY)
    def confirm_delete(self, user: User, document_id: str):
        name = self.confirming.get("name", "")
        deleted = docs.delete(user.id, document_id)
        self.confirming = {}
        self._refresh(user.id)
        self.flash = f"« {name} » est supprimé." if deleted else "Ce document n'existe plus."
        return None
