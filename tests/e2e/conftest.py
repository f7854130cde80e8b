"""End-to-end fixtures: ONE production build of the app and ONE Chromium for the whole session.

Fixtures
    portal          session   PortalServer (base_url, db_engine(), cli(...), log_tail())
    browser         session   Playwright Chromium (Debian's /usr/bin/chromium)
    viewport_name   function  "phone" (390x844, mobile, touch) or "desktop" (1280x800)
    base_url        session   portal.base_url
    fc_provider     session   the development FranceConnect provider the portal points at (arm, add_identity)
    user            function  an activated beneficiary with a full profile (create_applicant)
    context, page, new_context (tests/conftest.py): at viewport_name, fr-FR, Europe/Paris; tests
                    using them run once per viewport

Tests run at both viewports unless marked `@pytest.mark.viewports("desktop")` (or "phone").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.support.browser import VIEWPORTS, create_applicant, running_chromium
from tests.support.franceconnect import FcProvider
from tests.support.server import PortalServer

E2E_DIR = Path(__file__).resolve().parent

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


@pytest.fixture(scope="session")
def fc_provider(tmp_path_factory):
    """The development FranceConnect provider with its test hooks; the portal points at it."""
    provider = FcProvider(tmp_path_factory.mktemp("fc-provider"))
    try:
        yield provider
    finally:
        provider.stop()


# Seconds a request body may make no progress before the server drops it (30 in production): the
# stalled-body test waits this long; a real upload from the browser never pauses for seconds.
BODY_IDLE_TIMEOUT = "8"


@pytest.fixture(scope="session")
def portal(smtp_sink, tmp_path_factory, fc_provider):
    server = PortalServer(
        tmp_path_factory.mktemp("portal-data"),
        smtp_port=smtp_sink.port,
        extra_env={**fc_provider.portal_env(), "PORTAL_BODY_IDLE_TIMEOUT": BODY_IDLE_TIMEOUT},
    )
    try:
        server.start()
        fc_provider.start(server.base_url)
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
    with running_chromium() as chromium:
        yield chromium


@pytest.fixture
def user(portal, request):
    """An activated beneficiary whose profile fills a PTP's identity step (create_applicant),
    its address named after the test module."""
    return create_applicant(portal, request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_"))


@pytest.fixture(autouse=True)
def each_test_its_own_per_ip_allowances(request):
    """Every test reaches the portal from 127.0.0.1: the per-IP allowances (5 /suivi lookups in
    15 minutes, guest codes…) would otherwise be spent by whichever tests ran before, and a test
    would pass or fail by the order of the suite. A test that exercises a throttle counts within
    itself; between two tests, the counters are forgotten."""
    yield
    if "portal" not in request.fixturenames:
        return
    portal = request.getfixturevalue("portal")
    if portal.running:
        with portal.db_engine().begin() as db:
            db.execute(text("DELETE FROM throttle_counters"))
