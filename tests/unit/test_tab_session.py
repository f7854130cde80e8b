"""A tab's state belongs to the session it was made under: the event middleware resets a state
presented under another session, and `POST /_upload` needs the tab's own session cookie."""

from __future__ import annotations

import asyncio

import pytest
from reflex.istate.data import RouterData
from starlette.testclient import TestClient

from portal_app.api.upload_session import REFUSED, same_session_uploads
from portal_app.domain.accounts.sessions import COOKIE_NAME, fingerprint
from portal_app.states.documents import DocumentsState
from portal_app.states.tab_session import SameSessionMiddleware, TabSession
from tests.support.states import state_of


def connect(state, cookie: str) -> None:
    """The router data of a websocket connection sending `cookie`."""
    root = state._get_root_state()
    root.router_data = {
        "headers": {"cookie": cookie, "origin": "http://localhost:3000"},
        "pathname": "/porte-documents",
    }
    root.router = RouterData.from_router_data(root.router_data)


def event(state) -> None:
    asyncio.run(SameSessionMiddleware().preprocess(None, state._get_root_state(), None))


def test_a_tab_made_under_one_session_is_fresh_under_any_other():
    documents = state_of(DocumentsState)
    connect(documents, f"{COOKIE_NAME}=jeton-de-alice")
    event(documents)
    documents.documents = [{"name": "bulletin-alice.pdf"}]
    documents.flash = "Alice Martin"
    # Later events of the same session keep the tab's state.
    event(documents)
    assert documents.documents and documents.flash == "Alice Martin"

    for other in ("", f"{COOKIE_NAME}=jeton-de-bob", f"autre=1; {COOKIE_NAME}=jeton-de-alicE"):
        documents.documents, documents.flash = [{"name": "bulletin-alice.pdf"}], "Alice Martin"
        connect(documents, f"{COOKIE_NAME}=jeton-de-alice")
        event(documents)
        connect(documents, other)
        event(documents)
        assert documents.documents == [] and documents.flash == "", other
        owner = documents._get_root_state().get_substate(TabSession.get_full_name().split("."))
        assert owner._session == fingerprint(other.rpartition("=")[2] if COOKIE_NAME in other else None)


def test_a_state_from_before_any_event_is_reset_too():
    """A state with no owner yet (stored by an older version, or made by a hand-made request)
    gives nothing to the first session that presents its token."""
    documents = state_of(DocumentsState)
    documents.flash = "Alice Martin"
    connect(documents, f"{COOKIE_NAME}=jeton-de-mallory")
    event(documents)
    assert documents.flash == ""


def upload_client(tab_sessions: dict[str, str | None]) -> tuple[TestClient, list]:
    reached = []

    async def reflex(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def session_of_tab(client_token: str) -> str | None:
        return tab_sessions.get(client_token)

    return TestClient(same_session_uploads(reflex, session_of_tab)), reached


@pytest.mark.parametrize(
    ("token", "cookie"),
    [
        ("tab-alice", None),  # a stolen tab token, no session
        ("tab-alice", "jeton-de-bob"),  # a stolen tab token, another account's session
        ("tab-inventee", "jeton-de-alice"),  # a made-up token: its state has no session yet
        ("", "jeton-de-alice"),
    ],
)
def test_an_upload_under_another_session_is_refused_before_its_body_is_read(token, cookie):
    client, reached = upload_client({"tab-alice": fingerprint("jeton-de-alice")})
    headers = {"Reflex-Client-Token": token, "Reflex-Event-Handler": "x.upload"}
    if cookie:
        headers["Cookie"] = f"{COOKIE_NAME}={cookie}"
    response = client.post("/_upload", content=b"--x--", headers=headers)
    assert response.status_code == 403 and response.text == REFUSED and reached == []


def test_an_upload_under_the_tabs_own_session_goes_through():
    client, reached = upload_client({"tab-alice": fingerprint("jeton-de-alice")})
    response = client.post(
        "/_upload",
        content=b"--x--",
        headers={"Reflex-Client-Token": "tab-alice", "Cookie": f"a=1; {COOKIE_NAME}=jeton-de-alice"},
    )
    assert response.status_code == 200 and reached == ["/_upload"]
    # Other paths are not concerned.
    assert client.get("/ping").status_code == 200
