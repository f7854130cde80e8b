"""Size limit on Reflex's upload endpoint, which has none (Reflex 0.10.1 reads any body whole).

A body announced too large gets 413 before a byte of it is read; a body without a length (or
lying about it) is counted as it streams and cut at the limit. The limit is per request: each
file's own 5 Mo limit is checked by the upload handler. Reflex also serves its upload directory
publicly at /_upload/...; we store nothing there, so reading it is refused outright.
"""

from __future__ import annotations

from portal_app.domain.uploads.checks import MAX_FILE_BYTES, MAX_FILES_PER_REQUEST

UPLOAD_PATH = "/_upload"
# Every file at its maximum, plus room for the multipart headers and boundaries.
MAX_REQUEST_BYTES = MAX_FILES_PER_REQUEST * MAX_FILE_BYTES + 256 * 1024

_TOO_LARGE = "Envoi trop volumineux : 5 Mo au plus par fichier, 5 fichiers au plus à la fois.".encode()


async def answer_plain(send, status: int, body: bytes) -> None:
    """A short plain-text answer that closes the connection (the body may be left unread)."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def limit_upload_size(app, limit: int = MAX_REQUEST_BYTES):
    async def middleware(scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(UPLOAD_PATH + "/"):
            return await answer_plain(send, 404, b"Not Found")
        if path != UPLOAD_PATH or scope["method"] != "POST":
            return await app(scope, receive, send)

        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                return await answer_plain(send, 400, b"Bad Content-Length")
            if too_large:
                return await answer_plain(send, 413, _TOO_LARGE)

        received = 0
        overflow = False
        started = False

        async def counting_receive():
            nonlocal received, overflow
            if overflow:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Reflex sees a client that went away and gives up; we answer 413 below.
                    overflow = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            nonlocal started
            if overflow:
                return
            started = True
            await send(message)

        await app(scope, counting_receive, guarded_send)
        if overflow and not started:
            await answer_plain(send, 413, _TOO_LARGE)

    return middleware
