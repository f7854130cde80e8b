"""The production server against hostile HTTP: a Content-Security-Policy that names each page's
inline scripts and bites, redirects that ignore a forged Host, no server banner, 404 for ids past
64 bits, 400 for uploads to a handler that takes no files, and a stalled body dropped."""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import re
import socket
import time
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    SESSION_COOKIE,
    goto,
    session_cookie,
    sign_in,
    solve_altcha,
    tab_token,
    unique_email,
)
from tests.support.dossiers import create_agent, submitted_ptp_dossier
from tests.support.users import add_ready_employer

pytestmark = pytest.mark.viewports("desktop")

LOGIN_SUBMIT = "reflex___state____state.portal_app___states___login____login_state.submit"
DOCUMENTS_UPLOAD = "reflex___state____state.portal_app___states___documents____documents_state.upload"
PUBLIC_PAGES = ["/", "/connexion/", "/inscription/", "/mot-de-passe-oublie/", "/suivi/", "/mentions-legales/", "/nope/"]
SIGNED_IN_PAGES = ["/demarches/", "/porte-documents/", "/demarches/dossier/1/suivi/", "/agent/", "/employeur/"]
ID_PATHS = [
    "/_portal/documents/{}",
    "/_portal/documents/{}/apercu",
    "/_portal/pieces/{}",
    "/_portal/dossiers/{}/pieces/identite",
    "/_portal/employeur/documents/{}",
    "/_portal/agent/pieces-jointes/{}",
    "/_portal/agent/dossiers/{}/pieces/1",
    "/_portal/agent/dossiers/1/pieces/{}",
]


def request(base_url: str, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None):
    """One raw request (no redirect followed): status, headers (lower-case names), decoded body."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Accept-Encoding": "gzip", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        found = {name.lower(): value for name, value in response.getheaders()}
        if found.get("content-encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, found, data
    finally:
        connection.close()


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def inline_scripts(html: bytes) -> list[bytes]:
    found = re.findall(rb"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL | re.IGNORECASE)
    return [text for attributes, text in found if b"src=" not in attributes]


def check_page_headers(base_url: str, path: str) -> None:
    status, headers, html = request(base_url, path)
    assert status in (200, 404) and headers["content-type"].startswith("text/html"), path
    policy = directives(headers["content-security-policy"])
    for name, wanted in (
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
        ("form-action", ["'self'"]),
    ):
        assert policy[name] == wanted, (path, name)
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "*" not in scripts and "data:" not in scripts, path
    assert inline_scripts(html), path  # the production build has some: each must be hashed
    for text in inline_scripts(html):
        digest = base64.b64encode(hashlib.sha256(text).digest()).decode()
        assert f"'sha256-{digest}'" in scripts, (path, text[:80])
    assert not headers.get("server"), path  # no banner (Granian's is blanked)
    assert "strict-transport-security" not in headers  # http here; under https see the unit test


def test_every_page_kind_has_a_policy_naming_its_inline_scripts(portal):
    for path in PUBLIC_PAGES + SIGNED_IN_PAGES:
        check_page_headers(portal.base_url, path)


def test_a_forged_host_gets_no_redirect(portal):
    # A page is answered at its own address (api/page_paths.py), where the static files used to
    # redirect to its trailing slash from the Host header; a redirect they still build is put
    # back on PORTAL_BASE_URL (tests/unit/test_security_headers.py).
    for path in ("/connexion", "/inscription?x=1", "/demarches"):
        status, headers, body = request(portal.base_url, path, headers={"Host": "evil.example"})
        assert status == 200 and "location" not in headers, (path, status)
        assert b"evil.example" not in body, path


@pytest.mark.parametrize("huge", [2**63, 2**70])
def test_ids_past_64_bits_are_not_found(portal, huge):
    for template in ID_PATHS:
        status, _, _ = request(portal.base_url, template.format(huge))
        assert status == 404, template


def raw_post(base_url: str, headers: dict[str, str], first_bytes: bytes, wait: float) -> tuple[bytes, float]:
    """Send a POST's headers and `first_bytes` of a much longer announced body, then nothing;
    return what the server answered within `wait` seconds and how long it took to close."""
    parts = urlsplit(base_url)
    lines = ["POST /_upload HTTP/1.1", f"Host: {parts.netloc}", "Content-Length: 1000000"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    started = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + first_bytes)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
    return answer, time.monotonic() - started


def test_uploads_to_a_handler_without_files_are_refused_before_the_body(portal):
    for name in (LOGIN_SUBMIT, "reflex___state____state.inconnu.upload", "n'importe quoi"):
        headers = {"Reflex-Client-Token": str(uuid.uuid4()), "Reflex-Event-Handler": name}
        answer, _ = raw_post(portal.base_url, headers, b"--x\r\n", wait=15)
        assert answer.startswith(b"HTTP/1.1 400"), (name, answer[:200])
        assert "ne reçoit pas de fichiers" in answer.decode("utf-8", "replace")


@pytest.mark.viewports("desktop")
def test_a_stalled_body_is_dropped_after_its_idle_timeout(portal, page, user):
    # A real signed-in tab's upload, so that nothing but the stall can refuse it.
    sign_in(page, portal, user.email)
    goto(page, f"{portal.base_url}/porte-documents")
    expect(page.get_by_role("heading", name="Porte-documents", level=1)).to_be_visible()
    headers = {
        "Reflex-Client-Token": tab_token(page),
        "Reflex-Event-Handler": DOCUMENTS_UPLOAD,
        "Content-Type": "multipart/form-data; boundary=x",
        "Cookie": f"{SESSION_COOKIE}={session_cookie(page.context)['value']}",
    }
    # The session's server waits PORTAL_BODY_IDLE_TIMEOUT (lower than the production 30 s, which
    # tests/unit/test_request_guard.py checks), not a second less.
    idle = float(portal.env["PORTAL_BODY_IDLE_TIMEOUT"])
    answer, took = raw_post(portal.base_url, headers, b"--x\r\n", wait=idle + 30)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert idle - 1 <= took < idle + 30
    # The server stayed responsive meanwhile.
    assert request(portal.base_url, "/ping")[0] == 200


# ---------------------------------------------------------------- in the browser

# Records every CSP violation of the page from the first script on.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) =>
    window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


def violations(page: Page, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__csp"), *console]


def watch(page: Page) -> list[str]:
    console: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    return console


def check_policy_bites(page: Page) -> None:
    ran = page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.__injected = true';
            document.body.appendChild(script);
            return window.__injected === true;
        }"""
    )
    assert not ran
    page.wait_for_function("window.__csp.some((v) => v.startsWith('script-src'))")
    page.evaluate("window.__csp = []")


def ready_employer(portal) -> str:
    login_id = f"emp-{uuid.uuid4().hex[:10]}"
    add_ready_employer(portal.db_engine(), unique_email("employeur"), login_id, company_name="Scierie Test")
    return login_id


def test_public_pages_and_the_signup_altcha_run_without_violation(portal, page):
    console = watch(page)
    for path in PUBLIC_PAGES:
        goto(page, portal.base_url + path)
        assert violations(page, console) == [], path
    goto(page, portal.base_url + "/connexion")
    # An empty form: the error summary gets the focus through rx.call_script.
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#resume-erreurs, [role=alert]").first).to_be_visible()
    goto(page, portal.base_url + "/inscription")
    solve_altcha(page)
    assert violations(page, console) == []
    check_policy_bites(page)


def test_signed_in_pages_run_without_violation(portal, page, new_context, user):
    console = watch(page)
    dossier_id, _ = submitted_ptp_dossier(portal, user)
    sign_in(page, portal, user.email)
    for path in ("/demarches", "/porte-documents", f"/demarches/dossier/{dossier_id}/suivi"):
        goto(page, portal.base_url + path)
        assert violations(page, console) == [], path
    check_policy_bites(page)

    agent_page = new_context().new_page()
    agent_console = watch(agent_page)
    agent_email, password, _ = create_agent(portal)
    sign_in(agent_page, portal, agent_email)
    goto(agent_page, f"{portal.base_url}/agent/dossiers/{dossier_id}")
    assert violations(agent_page, agent_console) == []

    employer_page = new_context().new_page()
    employer_console = watch(employer_page)
    sign_in(employer_page, portal, ready_employer(portal))
    assert violations(employer_page, employer_console) == []
    check_policy_bites(employer_page)
