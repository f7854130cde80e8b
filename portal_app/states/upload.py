"""The upload zone's behaviour, once for every page that takes files: progress, each file's
result, the per-request cap, the browser's own refusals, in the same French words.

Files go through uploads.pipeline.ingest (bounded read, checks in a bounded pool off the event
loop, per-file deadline, per-user limit). A page's state mixes UploadState in and says:
    UPLOAD_ROLE               who may upload here (the guard's own check, on every event)
    _upload_begins(uid, t)    True to go on, else False or an event: checked before reading
    _keeper(uid, t)           what to do with an accepted file (runs in a thread), or None
    _accepted_message(kept)   the line shown for a kept file
    _upload_done(uid, t, outcomes)   after each request
_upload_begins and _upload_done may ask the database: they run in a thread, never on the loop.
    _refused_by_browser(t, refusals)  what else to show when the browser refused files
`t` is the target the page binds to the handler: "" or e.g. a piece's code, a zone's id.

`POST /_upload` reaches the handler only with the session cookie the tab's state was made under
(api/upload_session.py); the handler still finds its caller through the guard on every request.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import reflex as rx

from portal_app.domain.uploads import pipeline
from portal_app.domain.uploads.checks import (
    MAX_FILE_BYTES,
    MAX_FILES_PER_REQUEST,
    MSG_FORMAT,
    Accepted,
    Refused,
    display_name,
    too_large_reason,
)
from portal_app.models import Role
from portal_app.states import guard


def too_many_reason(cap: int) -> str:
    if cap == 1:
        return "un seul fichier à la fois : envoyez les autres séparément."
    return f"trop de fichiers à la fois ({cap} au plus). Envoyez-les en plusieurs fois."


def browser_refusal(name: str, size, code: str, cap: int = MAX_FILES_PER_REQUEST) -> Refused:
    """What react-dropzone refused (its error code), in the words the server uses."""
    shown = display_name(name)
    if code == "file-too-large":
        return Refused(shown, too_large_reason(int(size or MAX_FILE_BYTES + 1)))
    if code == "too-many-files":
        return Refused(shown, too_many_reason(cap))
    if code == "file-too-small":
        return Refused(shown, "ce fichier est vide (0 octet).")
    return Refused(shown, MSG_FORMAT)


def _row(ok: bool, message: str) -> dict[str, str]:
    return {"ok": "1" if ok else "", "message": message}


class UploadState(rx.State, mixin=True):
    # Files one request may carry; the zone's max_files says the same to the browser.
    MAX_FILES: ClassVar[int] = MAX_FILES_PER_REQUEST

    progress: int = 0
    uploading: bool = False
    # One per file of the last sending: {"ok": "1" or "", "message": "name : what happened"}.
    results: list[dict[str, str]] = []
    # What the browser refused in the current drop: its upload request comes after, possibly empty.
    _browser_refused: list[dict[str, str]] = []

    # ------------------------------------------------------------ what a page says

    # The handlers are shared, so the role is a class constant rather than a @requires argument;
    # the check is the guard's own (session, role, employer readiness).
    UPLOAD_ROLE: ClassVar[Role] = Role.BENEFICIARY

    async def _upload_caller(self) -> tuple[int | None, Any]:
        """(the caller's id, None) when they may upload here, else (None, where to send them)."""
        user, refusal = await guard.check_off_loop(self, (self.UPLOAD_ROLE,))
        if refusal is not None or user is None:
            return None, guard.refuse(self, refusal)
        return user.id, None

    def _upload_begins(self, user_id: int, target: str) -> Any:
        return True

    def _keeper(self, user_id: int, target: str) -> Any:
        return None

    def _accepted_message(self, kept: Any) -> str:
        name = kept.safe_name if isinstance(kept, Accepted) else "Fichier"
        return f"{name} : accepté."

    def _upload_done(self, user_id: int, target: str, outcomes: list) -> Any:
        return None

    def _refused_by_browser(self, target: str, refusals: list[Refused]) -> Any:
        return None

    # ------------------------------------------------------------ handlers

    @rx.event
    async def upload_progress(self, progress: dict):
        if (await self._upload_caller())[0] is None:
            return None
        fraction = float(progress.get("progress", 0) or 0)
        self.progress = max(0, min(100, int(fraction * 100)))
        # The last report may arrive after the upload handler has finished: it must not
        # bring the "sending" state back.
        if fraction < 1:
            self.uploading = True
        return None

    @rx.event
    async def rejected(self, items: list, target: str = ""):
        """Files the browser already refused (type, size, count): the same words as the server."""
        user_id, refusal = await self._upload_caller()
        if user_id is None:
            return refusal
        refusals = [
            browser_refusal(str(item[0]), item[1], str(item[2]), self.MAX_FILES)
            for item in items[:50]
            if isinstance(item, (list, tuple)) and len(item) == 3
        ]
        self.results = [_row(False, refusal.message) for refusal in refusals]
        self._browser_refused = list(self.results)
        return self._refused_by_browser(str(target), refusals)

    @rx.event
    async def upload(self, files: list[rx.UploadFile], target: str = ""):
        user_id, refusal = await self._upload_caller()
        if user_id is None:
            # Nothing is read or stored.
            yield refusal
            return
        target = str(target)
        begun = await asyncio.to_thread(self._upload_begins, user_id, target)
        if begun is not True:
            if begun is not False and begun is not None:
                yield begun
            return
        # The browser sends its request even when it refused every file of the drop.
        self.results, self._browser_refused = list(self._browser_refused), []
        self.uploading = bool(files)
        keep = self._keeper(user_id, target)
        outcomes = []
        for index, upload in enumerate(files):
            name = upload.filename or "document"
            if index < self.MAX_FILES:
                outcome = await pipeline.ingest(user_id, name, upload.file, upload.size, keep)
            else:
                outcome = Refused(display_name(name), too_many_reason(self.MAX_FILES))
            outcomes.append(outcome)
            refused = isinstance(outcome, Refused)
            self.results.append(_row(not refused, outcome.message if refused else self._accepted_message(outcome)))
            yield
        self.uploading, self.progress = False, 0
        done = await asyncio.to_thread(self._upload_done, user_id, target, outcomes)
        if done is not None:
            yield done
