"""Helpers for the end-to-end tests: Chromium set-up, users straight in the database,
login through the real form (or a session straight in the database), screenshots and axe checks."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.support.server import ROOT, PortalServer
from tests.support.users import APPLICANT, PASSWORD, add_user

CHROMIUM = "/usr/bin/chromium"
# Debian's chromium, never a downloaded one (see /work/shared/FACTS.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 1,
    },
    "desktop": {
        "viewport": {"width": 1280, "height": 800},
        "is_mobile": False,
        "has_touch": False,
        "device_scale_factor": 1,
    },
}

RESULTS_DIR = ROOT / "test-results"
SCREENSHOTS_DIR = RESULTS_DIR / "screenshots"

SESSION_COOKIE = "portal_session"
DEFAULT_PASSWORD = PASSWORD


# ---------------------------------------------------------------- browser


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@contextmanager
def running_chromium() -> Iterator[Browser]:
    """A sync Playwright and its Chromium, both closed at the end (one per thread at a time)."""
    playwright = sync_playwright().start()
    try:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            quietly(browser.close)
    finally:
        quietly(playwright.stop)


def quietly(close: Callable[[], object]) -> None:
    """Close without burying the real report: after Ctrl-C the driver is often gone already."""
    with suppress(Exception):
        close()


def new_context(browser: Browser, viewport_name: str, base_url: str, **overrides: Any) -> BrowserContext:
    """A fresh context (no cookies, no storage) at one of VIEWPORTS, in French, in Paris."""
    options = {
        **VIEWPORTS[viewport_name],
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "base_url": base_url,
        **overrides,
    }
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    context.on("page", track_socket)
    return context


# Per page: how many Socket.IO event frames ("42...") the server has sent so far.
_FRAMES: WeakKeyDictionary = WeakKeyDictionary()


def track_socket(page: Page) -> None:
    """Count Reflex's state updates received by the page (every websocket it opens)."""
    if page in _FRAMES:
        return
    counter = _FRAMES[page] = [0]

    def on_frame(payload) -> None:
        if isinstance(payload, str) and payload.startswith("42"):
            counter[0] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))


@contextmanager
def server_reply(page: Page, timeout: float = 15_000) -> Iterator[None]:
    """`with server_reply(page): button.click()` returns once the backend has answered the
    event (a state update arrived), even when the answer changes nothing visible."""
    counter = _FRAMES.get(page)
    if counter is None:
        raise RuntimeError("server_reply needs a page made by a context of new_context()")
    start = counter[0]
    yield
    deadline = time.monotonic() + timeout / 1000
    while counter[0] <= start:
        if time.monotonic() > deadline:
            raise AssertionError(f"no reply from the server within {timeout / 1000:.0f} s on {page.url}")
        page.wait_for_timeout(25)


def viewport_name_of(page: Page) -> str:
    width = (page.viewport_size or {}).get("width")
    for name, spec in VIEWPORTS.items():
        if spec["viewport"]["width"] == width:
            return name
    return f"{width}px"


def path_of(url: str) -> str:
    """/demarches/ and /demarches are the same page to us."""
    return urlsplit(url).path.rstrip("/") or "/"


def wait_hydrated(page: Page, timeout: float = 15_000) -> None:
    """Wait until React has taken over the page, so on_submit/on_click handlers exist.

    Events sent before the websocket is up are queued by Reflex and sent once it connects,
    but a click before hydration would do whatever the bare HTML does (submit a form by GET).
    """
    page.wait_for_function(
        """() => {
            const main = document.getElementById('contenu');
            return !!main && Object.keys(main).some(k => k.startsWith('__react'));
        }""",
        timeout=timeout,
    )


def goto(page: Page, path: str) -> None:
    """Full page load of a path of the app, then wait for hydration."""
    page.goto(path)
    wait_hydrated(page)


# ---------------------------------------------------------------- data


def unique_email(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@exemple.fr"


def create_active_user(portal: PortalServer, email: str, password: str = DEFAULT_PASSWORD, **fields: Any):
    """An activated beneficiary written straight into the served database. Returns the User row."""
    return add_user(portal.db_engine(), email, password=password, **fields)


def create_applicant(portal: PortalServer, prefix: str, **fields: Any):
    """An activated beneficiary whose profile fills a PTP's identity step (name, birth date, a
    unique NIR, phone, address): the usual owner of a dossier in tests."""
    return create_active_user(portal, unique_email(prefix), **{**APPLICANT, "nir": unique_nir(), **fields})


def get_user(portal: PortalServer, email: str):
    from sqlmodel import Session, select

    from portal_app.models import User

    with Session(portal.db_engine(), expire_on_commit=False) as db:
        return db.exec(select(User).where(User.email == email.strip().lower())).one()


def update_user(portal: PortalServer, email: str, **values: Any):
    from sqlmodel import Session, select

    from portal_app.models import User

    with Session(portal.db_engine(), expire_on_commit=False) as db:
        user = db.exec(select(User).where(User.email == email.strip().lower())).one()
        for key, value in values.items():
            setattr(user, key, value)
        db.add(user)
        db.commit()
        db.refresh(user)
        return user


def login_sessions(portal: PortalServer, user_id: int) -> list:
    from sqlmodel import Session, select

    from portal_app.models import LoginSession

    with Session(portal.db_engine(), expire_on_commit=False) as db:
        return list(
            db.exec(select(LoginSession).where(LoginSession.user_id == user_id).order_by(LoginSession.id)).all()
        )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---------------------------------------------------------------- pages


def submit_login(page: Page, identifier: str, password: str, wait_reply: bool = True) -> None:
    """Fill and send the form of the /connexion page already shown; by default return once
    the server has answered (then the database holds the outcome)."""
    wait_hydrated(page)
    page.get_by_label("Adresse e-mail ou identifiant").fill(identifier)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    button = page.get_by_role("button", name="Se connecter")
    if wait_reply and page in _FRAMES:
        with server_reply(page):
            button.click()
    else:
        button.click()


def login(
    page: Page,
    base_url: str,
    identifier: str,
    password: str,
    expect_path: str | None = "/demarches",
    timeout: float = 20_000,
) -> None:
    """Log in through /connexion and wait to land on expect_path (None: do not wait)."""
    goto(page, f"{base_url.rstrip('/')}/connexion")
    submit_login(page, identifier, password)
    if expect_path is not None:
        wanted = expect_path.rstrip("/") or "/"
        page.wait_for_url(lambda url: path_of(url) == wanted, timeout=timeout)
        wait_hydrated(page)


def sign_in(page: Page, portal: PortalServer, identifier: str) -> None:
    """Signed in without the login form, for tests about what comes after it (the form itself is
    tests/e2e/test_login.py's): a session opened in the served database the way the login
    route opens it, its cookie given to the page's browser as that route sets it, then a full
    load of the user's home page, where login() lands."""
    from sqlmodel import Session

    from portal_app.domain.accounts import sessions
    from portal_app.domain.accounts.users import find_login
    from portal_app.domain.core.navigation import home_for

    user_agent = page.evaluate("() => navigator.userAgent")
    with Session(portal.db_engine(), expire_on_commit=False) as db:
        user = find_login(db, identifier)
        assert user is not None and user.is_active, f"no active account for {identifier}"
        token = sessions.open_session(db, user, user_agent)
        db.commit()
    page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "url": portal.base_url, "httpOnly": True, "sameSite": "Lax"}]
    )
    home = home_for(user.role)
    goto(page, f"{portal.base_url}{home}")
    wait_for_path(page, home)


def open_account_menu(page: Page, signed_in_as: str | re.Pattern | None = None) -> None:
    """Make the header menu usable: on a phone, open the <details> menu (its button says "Menu";
    the panel names who is signed in); on a desktop the links are inline, beside the user's name."""
    details = page.locator("header details")
    if not details.is_visible():
        inline = page.locator("header nav.nav-inline")
        expect(inline).to_be_visible()
        if signed_in_as is not None:
            expect(inline.locator(".nav-inline__user")).to_have_text(signed_in_as)
        return
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    if signed_in_as is not None:
        expect(details.locator(".nav__user-name")).to_have_text(signed_in_as)


def session_cookie(context: BrowserContext) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == SESSION_COOKIE), None)


def tab_token(page: Page) -> str:
    """The client token Reflex keeps for this tab (its server-side state's name)."""
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token
    return token


# ---------------------------------------------------------------- evidence


def shot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save test-results/screenshots/<name>-<viewport>.png and return its path."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}-{viewport_name_of(page)}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


_AXE = None
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page: Page, context: Any = None, options: dict | None = None) -> list[dict]:
    """Every axe-core violation on the page as it is now."""
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    results = _AXE.run(page, context=context, options=options or {"resultTypes": ["violations"]})
    return list(results.response.get("violations", []))


def axe_check(page: Page, context: Any = None, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[dict]:
    """Fail on any violation of the given impacts; return the milder ones for information."""
    violations = axe_violations(page, context)
    failing = [v for v in violations if v.get("impact") in impacts]
    if failing:
        lines = [f"axe: {len(failing)} serious/critical violation(s) on {page.url} ({viewport_name_of(page)})"]
        for violation in failing:
            lines.append(
                f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation.get('helpUrl', '')})"
            )
            for node in violation.get("nodes", [])[:10]:
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                lines.append(f"    target {node.get('target')}: {summary[:300]}")
        raise AssertionError("\n".join(lines))
    return [v for v in violations if v.get("impact") not in impacts]


# ---------------------------------------------------------------- sign-up, mail links, logout


def unique_nir(sex: str = "2", year: int = 95, month: int = 10, department: str = "75") -> str:
    """A valid NIR (key included, no spaces) that no other test uses: its commune and order
    numbers are random. Accounts sharing a NIR are flagged as duplicates, so every test
    that does not test that needs its own number."""
    from portal_app.domain.core.nir import nir_key

    serial = uuid.uuid4().int % 1_000_000
    body = f"{sex}{year:02d}{month:02d}{department}{serial:06d}"
    return f"{body}{nir_key(body):02d}"


def spaced_nir(nir: str) -> str:
    """'295107512345618' -> '2 95 10 75 123 456 18', as printed on a carte Vitale."""
    from portal_app.domain.core.nir import format_nir

    return format_nir(nir)


def solve_altcha(page: Page, timeout: float = 20_000) -> None:
    """Tick "Je ne suis pas un robot" and wait until the proof of work is done (about 1 s).

    The widget's check-mark <svg> sits over its checkbox, so Playwright refuses to click the
    box itself ("svg intercepts pointer events"); a click on its label is what a user does too."""
    widget = page.locator("altcha-widget")
    widget.locator("label", has_text="Je ne suis pas un robot").click()
    expect(widget.locator(".altcha")).to_have_attribute("data-state", "verified", timeout=timeout)
    expect(widget.locator('input[type="hidden"][name="altcha"]')).not_to_have_value("")


def link_in(msg, base_url: str, path: str) -> str:
    """The first link of the mail's text part that goes to path (its query string included)."""
    from tests.support.smtp import SmtpSink

    links = SmtpSink.links_in(msg)
    prefix = f"{base_url.rstrip('/')}{path}"
    for candidate in links:
        if candidate == prefix or candidate.startswith(prefix + "?") or candidate.startswith(prefix + "/"):
            return candidate
    raise AssertionError(f"no link to {prefix} in mail {msg['Subject']!r}: {links}")


def mails_to(sink, to: str, since: int = 0) -> list:
    """Every mail received from index `since` on addressed to `to` (no waiting)."""
    to = to.lower()
    return [
        msg for msg in sink.messages[since:] if to in {addr.strip().lower() for addr in str(msg["To"] or "").split(",")}
    ]


def users_with_email(portal: PortalServer, email: str) -> list:
    from sqlmodel import Session, select

    from portal_app.models import User

    with Session(portal.db_engine(), expire_on_commit=False) as db:
        return list(db.exec(select(User).where(User.email == email.strip().lower())).all())


def wait_for_path(page: Page, path: str, timeout: float = 20_000) -> None:
    wanted = path.rstrip("/") or "/"
    page.wait_for_url(lambda url: path_of(url) == wanted, timeout=timeout)


def logout_from_menu(page: Page) -> None:
    """Se déconnecter from the header (menu on a phone, inline on a desktop); wait for /connexion."""
    open_account_menu(page)
    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    wait_for_path(page, "/connexion")


def expect_signed_in_as(page: Page, name: str) -> None:
    """The header names the user: inline on a desktop; on a phone, the "Menu" button tells
    screen readers (its visible text stays "Menu", a name cut short would name nobody)."""
    details = page.locator("header details.nav__details")
    if details.is_visible():
        summary = details.locator("summary")
        expect(summary).to_have_text(f"Menu, connecté·e en tant que {name}", use_inner_text=False)
        shown = summary.evaluate(
            "(s) => [...s.childNodes].filter((n) => !(n.classList && n.classList.contains('sr-only')))"
            ".map((n) => n.textContent).join('').trim()"
        )
        assert shown == "Menu", shown
    else:
        expect(page.locator("header .nav-inline__user")).to_have_text(name)


def expect_page(page: Page, title: str | re.Pattern, heading: str | re.Pattern) -> None:
    """What a person gets after any page change (a link, a full load, a form that leads on):
    the tab's title names this very page, and focus is on its <h1>, which screen readers read."""
    h1 = page.locator("main h1")
    expect(h1).to_have_text(heading)
    expect(page).to_have_title(title)
    expect(h1).to_be_focused()


def _axe_lines(page: Page, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}] on {page.url} ({viewport_name_of(page)}): {violation['help']}"
        )
        for node in violation.get("nodes", [])[:10]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    target {node.get('target')}: {summary[:300]}")
    return lines


def axe_note(page: Page, found: list[str]) -> None:
    """axe_check that does not stop the test: serious/critical violations are added to `found`;
    call assert_no_axe(found) at the end, once the rest of the journey has been checked."""
    failing = [v for v in axe_violations(page) if v.get("impact") in FAILING_IMPACTS]
    found.extend(_axe_lines(page, failing))


def assert_no_axe(found: list[str]) -> None:
    assert not found, "serious/critical axe violation(s):\n" + "\n".join(found)


def goto_new_tab(page: Page, path: str) -> None:
    """goto() as if the URL were opened in a new tab (a link from a mail, say).

    Reflex keys the server-side state by a per-tab token in sessionStorage: a reload in the
    same tab gets the previous step drawn again (for one round trip) before the page's on_load
    resets it, so "the heading says X" may still be the old X. Dropping the token first (what
    the app's own full_load does) starts from a fresh state, with nothing stale to match."""
    if page.url.startswith(("http://", "https://")):
        page.evaluate("() => { try { sessionStorage.removeItem('token'); } catch (e) {} }")
    goto(page, path)
