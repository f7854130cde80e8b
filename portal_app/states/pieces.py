"""The Pièces justificatives step of a draft: each piece asked by the answers, attached from
the porte-documents or uploaded from its own row (then filed in the porte-documents too).

Every handler asks who is calling first; the domain refuses another owner's dossier (as
missing) and another owner's document (as no longer existing), whatever id is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from portal_app import routes
from portal_app.domain.documents import wallet as docs
from portal_app.domain.dossiers import drafts, pieces
from portal_app.domain.uploads.checks import Refused
from portal_app.models import Role, User
from portal_app.states.draft import DraftState
from portal_app.states.draft_form import dossier_id_of
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires
from portal_app.states.upload import UploadState


@dataclass
class PieceView:
    code: str
    label: str
    help: str
    required: bool
    attached: bool
    name: str
    size_label: str
    added: str
    select_id: str


def piece_views(statuses: list[pieces.PieceStatus]) -> list[PieceView]:
    return [
        PieceView(
            code=s.code,
            label=s.label,
            help=s.help,
            required=s.required,
            attached=s.attached,
            name=s.name,
            size_label=s.size_label,
            added=s.added,
            select_id=f"choix-piece-{s.code}",
        )
        for s in statuses
    ]


class PiecesState(UploadState, rx.State):
    # One document per piece: the zone takes one file.
    MAX_FILES: ClassVar[int] = 1

    items: list[PieceView] = []
    # Porte-documents documents to choose from: [{"id", "label"}]; the label tells apart two
    # files of the same name (category, size, date added).
    documents: list[dict[str, str]] = []
    # Piece code -> the document id chosen in its list, not yet attached.
    choices: dict[str, str] = {}
    # Piece code -> the French message shown under it.
    errors: dict[str, str] = {}
    # The piece whose file is being sent (its row shows the progress).
    uploading_piece: str = ""
    flash: str = ""

    def _refresh(self, user_id: int, dossier_id: int) -> None:
        self.items = piece_views(pieces.pieces_status(user_id, dossier_id))
        self.documents = [{"id": str(d.id), "label": docs.choice_label(d)} for d in docs.list_documents(user_id)]

    def _guarded(self, action):
        """Run a domain call; a filed dossier goes to its recap, another's shows nothing."""
        dossier_id = dossier_id_of(self)
        try:
            return action(dossier_id), None
        except drafts.Locked:
            return None, rx.redirect(routes.recap(dossier_id))
        except (drafts.NotFound, drafts.Refused):
            self.items = []
            return None, None

    @rx.event
    @requires(Role.BENEFICIARY)
    def load(self, user: User):
        self.choices, self.errors, self.flash = {}, {}, ""
        self.uploading_piece, self.progress = "", 0
        _, redirect = self._guarded(lambda dossier_id: self._refresh(user.id, dossier_id))
        return redirect

    @rx.event
    @requires(Role.BENEFICIARY)
    def choose(self, _user: User, code: str, document_id: str):
        self.choices = {**self.choices, str(code): str(document_id)}
        return None

    @rx.event
    @requires(Role.BENEFICIARY)
    def attach(self, user: User, code: str):
        code = str(code)
        chosen = self.choices.get(code, "")
        if not chosen:
            self.errors = {**self.errors, code: "Choisissez un document dans la liste, ou téléversez un fichier."}
            return None
        problem, redirect = self._guarded(lambda dossier_id: pieces.attach(user.id, dossier_id, code, chosen))
        if redirect is not None:
            return redirect
        self._after_change(user.id, code, problem, "est joint")
        return DraftState.pieces_changed

    def _after_change(self, user_id: int, code: str, problem: str | None, verb: str) -> None:
        errors = {k: v for k, v in self.errors.items() if k != code}
        if problem:
            errors[code] = problem
        self.errors = errors
        self.choices = {k: v for k, v in self.choices.items() if k != code}
        self._guarded(lambda dossier_id: self._refresh(user_id, dossier_id))
        item = next((i for i in self.items if i.code == code), None)
        if problem:
            self.flash = ""
        elif item is not None:
            self.flash = (
                f"{item.label} : « {item.name} » {verb}." if item.attached else f"{item.label} : document retiré."
            )

    @rx.event
    @requires(Role.BENEFICIARY)
    def detach(self, user: User, code: str):
        code = str(code)
        _, redirect = self._guarded(lambda dossier_id: pieces.detach(user.id, dossier_id, code))
        if redirect is not None:
            return redirect
        self._after_change(user.id, code, None, "")
        return [
            DraftState.pieces_changed,
            focus_soon(f"choix-piece-{code}"),
        ]

    @rx.event
    @requires(Role.BENEFICIARY)
    def upload_started(self, _user: User, code: str):
        """Sent with the file of a piece's row: that row shows the progress."""
        self.uploading_piece, self.progress = str(code), 0
        self.errors = {k: v for k, v in self.errors.items() if k != code}
        self.flash = ""
        return None

    # ---------------------------------------------------------------- upload (UploadState)

    def _upload_begins(self, user_id: int, code: str):
        """`code` comes from the browser: the piece must be asked of this user's editable
        draft before anything is read (a filed dossier or another's stores nothing)."""
        if not code:
            self.uploading_piece, self.progress = "", 0
            return False
        dossier_id = dossier_id_of(self)
        try:
            pieces.check_attachable(user_id, dossier_id, code)
        except drafts.Locked:
            self.uploading_piece = ""
            return rx.redirect(routes.recap(dossier_id))
        except (drafts.NotFound, drafts.Refused):
            self.uploading_piece = ""
            return False
        self.uploading_piece, self.flash = code, ""
        return True

    def _keeper(self, user_id: int, code: str):
        dossier_id = dossier_id_of(self)

        def file_and_attach(accepted):
            try:
                return pieces.upload_and_attach(user_id, dossier_id, code, accepted)
            except drafts.DossierError:
                return Refused(accepted.safe_name, "Ce dossier ne peut plus être modifié.")

        return file_and_attach

    def _refused_by_browser(self, code: str, refusals: list):
        """A file the browser already refused (type, size): said under its piece."""
        if refusals and any(item.code == code for item in self.items):
            self.errors = {**self.errors, code: " ".join(refusal.message for refusal in refusals[:5])}
        self.uploading_piece, self.flash = "", ""

    def _upload_done(self, user_id: int, code: str, outcomes: list):
        """The piece's row says what happened: attached, or why not."""
        self.uploading_piece, self.progress = "", 0
        if not outcomes or all(item.code != code for item in self.items):
            return None
        refused = [outcome.message for outcome in outcomes if isinstance(outcome, Refused)]
        problem = " ".join(refused) if len(refused) == len(outcomes) else None
        self._after_change(user_id, code, problem, "est joint et rangé dans votre porte-documents")
        return DraftState.pieces_changed
