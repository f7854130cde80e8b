"""The request guard as plain ASGI: stalled bodies dropped, uploads to non-upload handlers refused."""

from __future__ import annotations

import asyncio
import contextlib

import portal_app.portal_app  # noqa: F401  (registers every page's state and its handlers)
from portal_app.api.request_guard import BODY_IDLE_TIMEOUT, guard_requests, is_upload_handler

LOGIN_SUBMIT = "reflex___state____state.portal_app___states___login____login_state.submit"
DOCUMENTS_UPLOAD = "reflex___state____state.portal_app___states___documents____documents_state.upload"


def run(app, scope, messages, timeout=None):
    """Drive `app` with a receive that hands out `messages` then never returns; the sent messages."""
    sent = []
    pending = list(messages)

    async def receive():
        if pending:
            return pending.pop(0)
        await asyncio.Event().wait()  # a client that sends nothing more and stays connected

    async def send(message):
        sent.append(message)

    async def main():
        await asyncio.wait_for(guard_requests(app, timeout)(scope, receive, send), 10)

    asyncio.run(main())
    return sent


def http(path="/", method="POST", headers=()):
    return {"type": "http", "path": path, "method": method, "headers": list(headers)}


def reading_app(calls):
    async def app(scope, receive, send):
        calls.append(scope["path"])
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ConnectionResetError("client went away")
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    return app


def test_the_default_wait_is_thirty_seconds():
    assert BODY_IDLE_TIMEOUT == 30


def test_a_body_that_stops_coming_is_dropped_with_408():
    calls = []
    sent = run(reading_app(calls), http(), [{"type": "http.request", "body": b"abc", "more_body": True}], timeout=0.2)
    assert calls == ["/"]
    assert sent[0]["status"] == 408 and (b"connection", b"close") in sent[0]["headers"]
    assert "plus rien n'arrivait" in sent[1]["body"].decode()


def test_a_body_that_never_starts_is_dropped_too():
    sent = run(reading_app([]), http(), [], timeout=0.2)
    assert sent[0]["status"] == 408


def test_a_complete_body_is_not_timed_afterwards():
    # After the body, an app may wait on receive() for the client to leave (streaming responses).
    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(receive(), 0.5)
        await send({"type": "http.response.body", "body": b"ok"})

    sent = run(app, http(), [{"type": "http.request", "body": b"x", "more_body": False}], timeout=0.1)
    assert [m.get("status") for m in sent] == [200, None] and sent[1]["body"] == b"ok"


def test_only_upload_handlers_are_upload_handlers():
    assert is_upload_handler(DOCUMENTS_UPLOAD)
    assert not is_upload_handler(LOGIN_SUBMIT)
    assert not is_upload_handler("reflex___state____state.nope.upload")
    assert not is_upload_handler("")


def test_upload_to_a_non_upload_handler_is_refused_unread():
    for name in (LOGIN_SUBMIT, "inconnu", ""):
        calls = []
        headers = [(b"reflex-client-token", b"t"), (b"reflex-event-handler", name.encode())]
        sent = run(reading_app(calls), http("/_upload", headers=headers), [])
        assert calls == [] and sent[0]["status"] == 400, name
        assert "ne reçoit pas de fichiers" in sent[1]["body"].decode()


def test_upload_to_an_upload_handler_goes_through():
    calls = []
    headers = [(b"reflex-client-token", b"t"), (b"reflex-event-handler", DOCUMENTS_UPLOAD.encode())]
    sent = run(reading_app(calls), http("/_upload", headers=headers), [{"type": "http.request", "body": b"files"}])
    assert calls == ["/_upload"] and sent[0]["status"] == 200 and sent[1]["body"] == b"files"
