"""The download routes and the upload size limit, as plain ASGI (no Reflex server needed)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from portal_app.api import build_api
from portal_app.api.documents import content_disposition
from portal_app.api.upload_limit import MAX_REQUEST_BYTES, limit_upload_size
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core.db import session_scope
from portal_app.domain.documents import wallet
from portal_app.models import User
from tests.support import corpus


@pytest.fixture
def alice_bob(make_user):
    alice, bob = make_user("alice@exemple.fr").id, make_user("bob@exemple.fr").id
    tokens = {}
    with session_scope() as db:
        for user_id in (alice, bob):
            tokens[user_id] = sessions.open_session(db, db.get(User, user_id))
    return alice, bob, tokens


def client(token: str | None = None) -> TestClient:
    test_client = TestClient(build_api(), follow_redirects=False)
    if token:
        test_client.cookies.set(COOKIE_NAME, token)
    return test_client


def test_owner_downloads_as_an_attachment(alice_bob):
    alice, _, tokens = alice_bob
    document = wallet.ingest(alice, "relevé d'identité.pdf", corpus.pdf()).document
    response = client(tokens[alice]).get(f"/_portal/documents/{document.id}")
    assert response.status_code == 200
    assert response.content == corpus.pdf()
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"relev_ d'identit_.pdf\"; filename*=UTF-8''relev%C3%A9%20d%27identit%C3%A9.pdf"
    )


def test_thumbnail_for_the_owner_only(alice_bob):
    alice, bob, tokens = alice_bob
    document = wallet.ingest(alice, "photo.jpg", corpus.jpeg()).document
    owner = client(tokens[alice]).get(f"/_portal/documents/{document.id}/apercu")
    assert owner.status_code == 200 and owner.headers["content-type"] == "image/jpeg"
    assert client(tokens[bob]).get(f"/_portal/documents/{document.id}/apercu").status_code == 404


def test_other_user_gets_the_same_404_as_a_missing_document(alice_bob):
    alice, bob, tokens = alice_bob
    document = wallet.ingest(alice, "passeport.pdf", corpus.pdf()).document
    theirs = client(tokens[bob]).get(f"/_portal/documents/{document.id}")
    missing = client(tokens[bob]).get("/_portal/documents/999999")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_no_session_goes_to_login(alice_bob):
    alice, _, _ = alice_bob
    document = wallet.ingest(alice, "a.pdf", corpus.pdf()).document
    for token in (None, "made-up-token"):
        response = client(token).get(f"/_portal/documents/{document.id}")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/connexion")


def test_content_disposition_neutralises_quotes_and_controls():
    header = content_disposition("attachment", 'a"b;c\\d.pdf')
    assert header.startswith("attachment; filename=\"a_b_c_d.pdf\"; filename*=UTF-8''a%22b%3Bc%5Cd.pdf")


# ---------------------------------------------------------------- upload size limit


class Recorder:
    """A stand-in for Reflex's upload endpoint: reads the whole body, then answers 200."""

    def __init__(self):
        self.called = False
        self.read = 0

    async def __call__(self, scope, receive, send):
        self.called = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                # What Starlette does on a disconnect: give up, answer something.
                break
            self.read += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def run(app, path="/_upload", method="POST", headers=(), chunks=(b"",)):
    sent, received = [], list(chunks)
    pulled = 0

    async def receive():
        nonlocal pulled
        pulled += 1
        if not received:
            return {"type": "http.disconnect"}
        body = received.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(received)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": method, "headers": list(headers)}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], pulled


def test_declared_too_large_is_refused_before_reading():
    inner = Recorder()
    status, pulled = run(limit_upload_size(inner), headers=[(b"content-length", str(50 * 1024 * 1024).encode())])
    assert status == 413 and pulled == 0 and not inner.called


def test_undeclared_body_is_cut_at_the_limit():
    inner = Recorder()
    chunk = b"x" * (1024 * 1024)
    status, pulled = run(limit_upload_size(inner), chunks=[chunk] * 60)
    assert status == 413
    assert inner.read <= MAX_REQUEST_BYTES and pulled <= MAX_REQUEST_BYTES // len(chunk) + 2


def test_body_within_the_limit_passes():
    inner = Recorder()
    status, _ = run(limit_upload_size(inner), headers=[(b"content-length", b"3")], chunks=[b"abc"])
    assert status == 200 and inner.read == 3


def test_reflex_public_upload_directory_is_closed():
    inner = Recorder()
    status, _ = run(limit_upload_size(inner), path="/_upload/secret.pdf", method="GET")
    assert status == 404 and not inner.called


def test_other_paths_are_untouched():
    inner = Recorder()
    status, _ = run(limit_upload_size(inner), path="/_event", headers=[(b"content-length", str(10**9).encode())])
    assert status == 200 and inner.called
