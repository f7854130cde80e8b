"""The programme of a quote version: its person reads it before answering; nobody else reaches it."""

from __future__ import annotations

from starlette.testclient import TestClient

from portal_app import routes
from portal_app.api import build_api
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import MAX_RECORD_ID
from portal_app.domain.quotes import provider, views
from portal_app.models import User
from tests.support.pdf_builder import document
from tests.support.quotes import asked, programme, quote_terms


def client_of(user_id: int | None) -> TestClient:
    client = TestClient(build_api(), follow_redirects=False)
    if user_id is not None:
        with session_scope() as db:
            client.cookies.set(COOKIE_NAME, sessions.open_session(db, db.get(User, user_id)))
    return client


def quoted(user_id: int) -> tuple[dict, bytes]:
    """A draft whose quote request has one version with its programme: (its row, the PDF)."""
    dossier_id, _request_id, raw = asked(user_id)
    pdf = document()
    assert provider.send_quote(raw, quote_terms(), programme(pdf, "programme détaillé.pdf")) == ({}, "")
    (row,) = views.person_rows(user_id, dossier_id)
    return row["versions"][0], pdf


def test_the_person_downloads_the_programme_of_their_quote(make_user):
    owner = make_user()
    version, pdf = quoted(owner.id)
    assert version["programme_href"] == routes.quote_programme(version["id"])
    response = client_of(owner.id).get(version["programme_href"])
    assert response.status_code == 200 and response.content == pdf
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "programme%20d%C3%A9taill%C3%A9.pdf" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in response.headers["cache-control"]


def test_nobody_else_reaches_it(make_user):
    owner = make_user()
    other = make_user("dominique@exemple.fr")
    version, _pdf = quoted(owner.id)
    href = version["programme_href"]
    assert client_of(other.id).get(href).status_code == 404
    # Unknown, huge or malformed ids: the same 404.
    for wrong in ("999999", str(MAX_RECORD_ID), str(2**70), "abc"):
        assert client_of(owner.id).get(href.replace(version["id"], wrong)).status_code == 404
    # Without a session: to the login page, nothing read.
    response = client_of(None).get(href)
    assert response.status_code == 303 and response.headers["location"].startswith("/connexion")
