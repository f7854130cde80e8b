"""The programme of a quote version: its person reads it before answering; nobody else reaches it."""

from __future__ import annotations

import re
from datetime import timedelta

from starlette.testclient import TestClient

from portal_app import routes
from portal_app.api import build_api
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import MAX_RECORD_ID, today_in_france
from portal_app.domain.dossiers import drafts
from portal_app.domain.quotes import person, provider, views
from portal_app.domain.uploads.checks import Accepted
from portal_app.models import User
from tests.support.outbox import outbox_mails, text
from tests.support.pdf_builder import document

PTP = "projet-transition-professionnelle"


def client_of(user_id: int | None) -> TestClient:
    client = TestClient(build_api(), follow_redirects=False)
    if user_id is not None:
        with session_scope() as db:
            client.cookies.set(COOKIE_NAME, sessions.open_session(db, db.get(User, user_id)))
    return client


def quoted(user_id: int) -> tuple[dict, bytes]:
    """A draft whose quote request has one version with its programme: (its row, the PDF)."""
    dossier = drafts.create_draft(user_id, PTP)
    data = {"provider_name": "École du Web", "provider_siret": "73282932000074", "provider_email": "of@formation.fr"}
    assert person.request_quote(user_id, dossier.id, data) == {}
    raw = re.search(r"jeton=([A-Za-z0-9_\-%]+)", text(outbox_mails()[-2])).group(1)
    pdf = document()
    programme = provider.keep_programme(
        Accepted(kind="pdf", clean_bytes=pdf, safe_name="programme détaillé.pdf", sha256="0" * 64, size=len(pdf))
    )
    start = today_in_france() + timedelta(days=60)
    terms = {
        "title": "Développeur web",
        "certification_code": "RNCP37674",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=200)).isoformat(),
        "hours_training": "700",
        "hours_company": "0",
        "location_line": "12 rue des Écoles",
        "location_postal_code": "75005",
        "location_city": "Paris",
        "price_teaching": "8 450",
        "price_extra": "0",
        "valid_until": (today_in_france() + timedelta(days=30)).isoformat(),
    }
    assert provider.send_quote(raw, terms, programme) == ({}, "")
    (row,) = views.person_rows(user_id, dossier.id)
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
