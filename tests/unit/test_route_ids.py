"""Ids past 64 bits in /_portal/... paths: the same 404 as a missing id, never a 500."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from portal_app.api import build_api, employer_files
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import MAX_RECORD_ID as MAX_ID
from portal_app.models import User

# Every route with an id in its path, and the role whose session reaches the database lookup.
ROUTES = [
    ("/_portal/documents/{}", "beneficiary"),
    ("/_portal/documents/{}/apercu", "beneficiary"),
    ("/_portal/pieces/{}", "beneficiary"),
    ("/_portal/dossiers/{}/pieces/identite", "beneficiary"),
    ("/_portal/employeur/documents/{}", "employer"),
    ("/_portal/agent/pieces-jointes/{}", "agent"),
    ("/_portal/agent/dossiers/{}/pieces/1", "agent"),
    ("/_portal/agent/dossiers/1/pieces/{}", "agent"),
    ("/_portal/devis/versions/{}/programme", "beneficiary"),
]


@pytest.fixture
def clients(make_user, monkeypatch):
    found = {}
    for role in ("beneficiary", "employer", "agent"):
        fields = {} if role == "beneficiary" else {"nir": ""}
        user = make_user(f"{role}@exemple.fr", role=role, **fields)
        with session_scope() as db:
            token = sessions.open_session(db, db.get(User, user.id))
        client = TestClient(build_api(), follow_redirects=False)
        client.cookies.set(COOKIE_NAME, token)
        found[role] = client
        if role == "employer":
            # Onboarding is not what this test is about: the employer is taken as ready.
            monkeypatch.setattr(employer_files, "_employer_id", lambda request, user_id=user.id: user_id)
    return found


def test_every_route_with_a_live_role_is_reached(clients):
    # The largest id the database holds is looked up (nothing there): the handler's own 404.
    for template, role in ROUTES:
        response = clients[role].get(template.format(MAX_ID))
        assert response.status_code == 404, template


@pytest.mark.parametrize("huge", [2**63, 2**70, 10**40, "0" * 5 + str(2**64)])
def test_ids_past_64_bits_answer_404(clients, huge):
    for template, role in ROUTES:
        response = clients[role].get(template.format(huge))
        assert response.status_code == 404, template
