"""A provider's tab, made under no session, may upload its programme to its own handler only."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from portal_app.api.request_guard import is_upload_handler
from portal_app.api.upload_session import REFUSED, same_session_uploads
from portal_app.domain.accounts.sessions import COOKIE_NAME, fingerprint
from portal_app.states.quote_provider import PROVIDER_UPLOADS

PROVIDER = next(iter(PROVIDER_UPLOADS))
TABS = {"tab-provider": fingerprint(None), "tab-alice": fingerprint("jeton-de-alice")}


def post(token: str, handler: str, cookie: str | None = None) -> tuple[int, str, list]:
    reached = []

    async def reflex(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def session_of_tab(client_token: str) -> str | None:
        return TABS.get(client_token)

    client = TestClient(same_session_uploads(reflex, session_of_tab, sessionless_handlers=PROVIDER_UPLOADS))
    headers = {"Reflex-Client-Token": token, "Reflex-Event-Handler": handler}
    if cookie:
        headers["Cookie"] = f"{COOKIE_NAME}={cookie}"
    response = client.post("/_upload", content=b"--x--", headers=headers)
    return response.status_code, response.text, reached


def test_the_provider_handler_is_a_real_upload_handler():
    import portal_app.pages.quote_provider  # noqa: F401  (registers the page's state)

    assert is_upload_handler(PROVIDER)


def test_a_sessionless_tab_reaches_the_provider_handler():
    assert post("tab-provider", PROVIDER) == (200, "ok", ["/_upload"])


@pytest.mark.parametrize(
    ("token", "handler", "cookie"),
    [
        ("tab-provider", "reflex___state____state.portal_app___states___documents____documents_state.upload", None),
        ("tab-alice", PROVIDER, None),  # a tab made under a session, its cookie left out
        ("tab-inventee", PROVIDER, None),  # a made-up token: no event made its state yet
        ("", PROVIDER, None),
    ],
)
def test_no_other_upload_goes_without_a_session(token, handler, cookie):
    assert post(token, handler, cookie) == (403, REFUSED, [])
