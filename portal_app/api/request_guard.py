"""Requests refused before Reflex sees them: stalled bodies and uploads to a non-upload handler.

- A request body that makes no progress for BODY_IDLE_TIMEOUT seconds is dropped (408, and the
  connection closed): a client announcing a body and sending nothing would hold a worker's
  request open for ever. Once the body is complete nothing is timed, so long downloads and the
  websocket are untouched.
- `POST /_upload` names its handler in `Reflex-Event-Handler`. Reflex answers 400 to an unknown
  name, but a real handler that takes no files (the login form's, say) makes it raise, after
  reading the body: a 500. Any name that is not an upload handler is refused here with 400,
  before a byte of the body is read and without running anything.
"""

from __future__ import annotations

import asyncio
import os

from reflex_base.event import resolve_upload_chunk_handler_param, resolve_upload_handler_param
from reflex_base.registry import RegistrationContext
from reflex_base.utils.exceptions import UploadTypeError, UploadValueError

from portal_app.api.upload_limit import UPLOAD_PATH, answer_plain

# Seconds a request body may go without a single byte; the e2e tests lower it.
BODY_IDLE_TIMEOUT = float(os.environ.get("PORTAL_BODY_IDLE_TIMEOUT", "30"))

_NOT_AN_UPLOAD = "Envoi refusé : ce formulaire ne reçoit pas de fichiers.".encode()
_TOO_SLOW = b"Envoi interrompu : plus rien n'arrivait depuis trop longtemps."


def is_upload_handler(name: str) -> bool:
    """Whether Reflex would run `name` as an upload handler (a list[rx.UploadFile] argument,
    or a background handler taking an upload chunk iterator)."""
    registered = RegistrationContext.get().event_handlers.get(name)
    if registered is None:
        return False
    handler = registered.handler
    for resolve in (resolve_upload_handler_param, resolve_upload_chunk_handler_param):
        try:
            resolve(handler)
        except (UploadTypeError, UploadValueError):
            continue
        return True
    return False


def guard_requests(app, idle_timeout: float | None = None):
    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if scope["path"] == UPLOAD_PATH and scope["method"] == "POST":
            name = dict(scope["headers"]).get(b"reflex-event-handler", b"").decode("latin-1")
            if not is_upload_handler(name):
                return await answer_plain(send, 400, _NOT_AN_UPLOAD)

        timeout = BODY_IDLE_TIMEOUT if idle_timeout is None else idle_timeout
        body_done = False
        stalled = False
        started = False

        async def patient_receive():
            nonlocal body_done, stalled
            if stalled:
                return {"type": "http.disconnect"}
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                # The app sees a client that went away and gives up; we answer 408 below.
                stalled = True
                return {"type": "http.disconnect"}
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def guarded_send(message):
            nonlocal started
            if stalled:
                return
            started = True
            await send(message)

        try:
            await app(scope, patient_receive, guarded_send)
        except Exception:
            if not stalled:
                raise
        if stalled and not started:
            await answer_plain(send, 408, _TOO_SLOW)

    return middleware
