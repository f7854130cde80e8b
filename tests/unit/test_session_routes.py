"""The session routes as plain ASGI: the login ticket is bound to the browser that asked for it,
and neither route acts on a request another site started (login CSRF)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from portal_app.api import build_api
from portal_app.domain import accounts
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.sessions import COOKIE_NAME, TICKET_COOKIE
from portal_app.settings import get_settings
from tests.support.users import PASSWORD

EMAIL = "attaquant@exemple.fr"


@pytest.fixture
def login(make_user):
    """A successful login of the attacker's own account: its ticket and browser key."""
    make_user(EMAIL)
    result = accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7")
    assert result.ticket and result.browser_key
    return result


def browser(ticket_cookie: str | None = None, session: str | None = None) -> TestClient:
    client = TestClient(build_api(), base_url=get_settings().base_url, follow_redirects=False)
    if ticket_cookie is not None:
        client.cookies.set(TICKET_COOKIE, ticket_cookie, path="/_portal/session/start")
    if session is not None:
        client.cookies.set(COOKIE_NAME, session)
    return client


def start(client: TestClient, ticket: str, **headers: str):
    return client.get("/_portal/session/start", params={"ticket": ticket}, headers=headers)


def sets_session(response) -> bool:
    return any(
        header.startswith(f"{COOKIE_NAME}=") and "Max-Age=0" not in header
        for header in response.headers.get_list("set-cookie")
    )


def test_the_browser_that_asked_gets_its_session_and_loses_its_ticket_cookie(login):
    response = start(browser(login.browser_key), login.ticket, **{"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303 and response.headers["location"].endswith("/demarches")
    assert sets_session(response)
    cleared = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{TICKET_COOKIE}=")]
    assert cleared and "Max-Age=0" in cleared[0] and "Path=/_portal/session/start" in cleared[0]


@pytest.mark.parametrize("victim_cookie", [None, "", "la-cle-de-la-victime"])
def test_a_ticket_url_opened_in_another_browser_signs_nobody_in(login, victim_cookie):
    response = start(browser(victim_cookie), login.ticket, **{"Sec-Fetch-Site": "none"})
    assert response.headers["location"].endswith("/connexion?motif=lien")
    assert not sets_session(response)
    # The refusal did not spend the ticket of the browser that asked for it.
    assert sets_session(start(browser(login.browser_key), login.ticket))


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "Cross-Site"},
        {"Origin": "https://attaquant.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost:3000"},
    ],
)
def test_a_request_from_another_site_opens_no_session_even_with_the_right_cookie(login, headers):
    response = start(browser(login.browser_key), login.ticket, **headers)
    assert response.headers["location"].endswith("/connexion?motif=autre-site")
    assert not sets_session(response)
    # Nothing was used up: the same browser, from the portal itself, still gets in.
    assert sets_session(start(browser(login.browser_key), login.ticket, **{"Sec-Fetch-Site": "same-site"}))


def test_logout_from_another_site_does_nothing(make_user):
    user = make_user("victime@exemple.fr")
    from portal_app.domain.core.db import session_scope
    from portal_app.models import User

    with session_scope() as db:
        token = sessions.open_session(db, db.get(User, user.id))
    refused = browser(session=token).get("/_portal/session/end", headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 303 and not any(
        h.startswith(f"{COOKIE_NAME}=") for h in refused.headers.get_list("set-cookie")
    )
    assert accounts.current_user(token) is not None
    # From the portal's own pages (same site under `make run`), it logs out.
    done = browser(session=token).get("/_portal/session/end", headers={"Sec-Fetch-Site": "same-site"})
    assert done.headers["location"].endswith("/connexion?motif=deconnexion")
    assert accounts.current_user(token) is None
