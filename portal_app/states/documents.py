"""The porte-documents page. Every handler asks who is calling before anything else.

The upload handler may run in a fresh state (Reflex accepts any client token on /_upload):
there it finds no session, stores nothing and answers nothing.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.wording import count_label
from portal_app.domain.documents import wallet as docs
from portal_app.domain.uploads.checks import (
    KIND_LABELS,
    MAX_FILE_BYTES,
    MAX_FILES_PER_REQUEST,
    MSG_FORMAT,
    Refused,
    display_name,
    format_size,
    too_large_reason,
)
from portal_app.models import Document, Role, User
from portal_app.models.base import as_utc
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires

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


def _rejected_in_browser(name: str, size, code: str) -> str:
    shown = display_name(name)
    if code == "file-too-large":
        return f"{shown} : {too_large_reason(int(size or MAX_FILE_BYTES + 1))}"
    if code == "too-many-files":
        return f"{shown} : trop de fichiers à la fois ({MAX_FILES_PER_REQUEST} au plus). Envoyez-les en plusieurs fois."
    if code == "file-too-small":
        return f"{shown} : ce fichier est vide (0 octet)."
    return f"{shown} : {MSG_FORMAT}"


def _outcome_row(outcome) -> dict[str, str]:
    if isinstance(outcome, Refused):
        return {"name": outcome.name, "ok": "", "message": outcome.message}
    document = outcome.document
    cleaned = " Photo nettoyée de ses métadonnées." if document.kind != "pdf" else ""
    return {"name": document.name, "ok": "1", "message": f"{document.name} : ajouté à votre porte-documents.{cleaned}"}


class DocumentsState(FormErrors, rx.State):
    documents: list[dict[str, str]] = []
    usage_label: str = ""
    upload_category: str = docs.DEFAULT_CATEGORY
    progress: int = 0
    uploading: bool = False
    results: list[dict[str, str]] = []
    editing: dict[str, str] = {}
    confirming: dict[str, str] = {}
    flash: str = ""
    # What the browser refused in the current drop: its upload request comes after, possibly empty.
    _pending: list[dict[str, str]] = []

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

    @rx.event
    @requires(Role.BENEFICIARY)
    def upload_progress(self, _user: User, progress: dict):
        fraction = float(progress.get("progress", 0) or 0)
        self.progress = max(0, min(100, int(fraction * 100)))
        # The last report may arrive after the upload handler has finished: it must not
        # bring the "sending" state back.
        if fraction < 1:
            self.uploading = True
        return None

    @rx.event
    @requires(Role.BENEFICIARY)
    async def upload(self, user: User, files: list[rx.UploadFile]):
        # The browser sends its request even when it refused every file of the drop.
        self.results, self._pending = list(self._pending), []
        if not files:
            self.uploading = False
            self.progress = 0
            return
        category = docs.clean_category(self.upload_category)
        self.uploading = True
        self.flash = ""
        for upload in files[:MAX_FILES_PER_REQUEST]:
            name = upload.filename or "document"
            if upload.size is not None and upload.size > MAX_FILE_BYTES:
                outcome = Refused(display_name(name), too_large_reason(upload.size))
            else:
                # Never more than the limit plus one byte in memory, whatever the part claims.
                data = upload.file.read(MAX_FILE_BYTES + 1)
                loop = asyncio.get_running_loop()
                outcome = await loop.run_in_executor(docs.INGEST_POOL, docs.inspect, name, data)
                if not isinstance(outcome, Refused):
                    outcome = await asyncio.to_thread(docs.store, user.id, outcome, category)
            self.results.append(_outcome_row(outcome))
            yield
        for upload in files[MAX_FILES_PER_REQUEST:]:
            self.results.append(
                {
                    "name": display_name(upload.filename or ""),
                    "ok": "",
                    "message": _rejected_in_browser(upload.filename or "", 0, "too-many-files"),
                }
            )
        self.uploading = False
        self.progress = 0
        self._refresh(user.id)

    @rx.event
    @requires(Role.BENEFICIARY)
    def rejected(self, _user: User, items: list):
        """Files the browser already refused (type, size, count): the same words as the server."""
        self.results = [
            {
                "name": display_name(str(item[0])),
                "ok": "",
                "message": _rejected_in_browser(str(item[0]), item[1], str(item[2])),
            }
            for item in items[:50]
            if isinstance(item, (list, tuple)) and len(item) == 3
        ]
        self._pending = list(self.results)
        self.flash = ""
        return None

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
