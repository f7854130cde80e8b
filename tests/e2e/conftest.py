"""End-to-end fixtures: ONE production build of the app and ONE Chromium for the whole session.

Fixtures
    portal          session   PortalServer (base_url, db_engine(), cli(...), log_tail())
    browser         session   Playwright Chromium (Debian's /usr/bin/chromium)
    viewport_name   function  "phone" (390x844, mobile, touch) or "desktop" (1280x800)
    context         function  a fresh BrowserContext at viewport_name, fr-FR, Europe/Paris
    page            function  a Page of that context; tests using it run once per viewport
    new_context     function  factory for more contexts at the same viewport (closed at teardown)
    base_url        session   portal.base_url

Tests run at both viewports unless marked `@pytest.mark.viewports("desktop")` (or "phone").
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.support.browser import RESULTS_DIR, VIEWPORTS, launch_chromium
from tests.support.browser import new_context as _new_context
from tests.support.server import PortalServer

E2E_DIR = Path(__file__).resolve().parent
FAILURES_DIR = RESULTS_DIR / "failures"

expect.set_options(timeout=10_000)


def pytest_configure(config):
    config.addinivalue_line("markers", "viewports(*names): run only at these viewports (phone, desktop)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def pytest_generate_tests(metafunc):
    if "viewport_name" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("viewports")
    names = list(marker.args) if marker else list(VIEWPORTS)
    unknown = set(names) - set(VIEWPORTS)
    if unknown:
        raise pytest.UsageError(f"unknown viewport(s) {sorted(unknown)}; known: {sorted(VIEWPORTS)}")
    metafunc.parametrize("viewport_name", names)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def portal(smtp_sink, tmp_path_factory):
    server = PortalServer(tmp_path_factory.mktemp("portal-data"), smtp_port=smtp_sink.port)
    try:
        server.start()
        yield server
    finally:
        server.stop()
    # What Reflex says it will remove, printed while the tests drove the app (RouterData.page...).
    log = server.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    deprecated = [line for line in log if "deprecated" in line.lower()]
    assert not deprecated, "\n".join(deprecated)


@pytest.fixture(scope="session")
def base_url(portal) -> str:
    return portal.base_url


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    try:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            _quietly(chromium.close)
    finally:
        _quietly(playwright.stop)


def _quietly(close) -> None:
    # After Ctrl-C the driver is often gone already: closing must not bury the real report.
    with contextlib.suppress(Exception):
        close()


@pytest.fixture
def new_context(browser, portal, viewport_name):
    """new_context(**overrides) -> a fresh BrowserContext, closed after the test."""
    made = []

    def factory(**overrides):
        context = _new_context(browser, viewport_name, portal.base_url, **overrides)
        made.append(context)
        return context

    yield factory
    for context in made:
        _quietly(context.close)


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        for index, open_page in enumerate(context.pages):
            # The page may be gone; the test report matters more.
            with contextlib.suppress(Exception):
                open_page.screenshot(path=str(FAILURES_DIR / f"{name}-{index}.png"), full_page=True)
        if errors:
            print(f"browser errors in {request.node.name}:\n  " + "\n  ".join(errors[-20:]))
