"""Scale-out fixtures: a throwaway PostgreSQL and Redis, and the real app served on them.

Fixtures
    postgres        session   PostgresServer on 127.0.0.1 (database "portal" created)
    redis_server    session   RedisServer on 127.0.0.1, no persistence
    redis_client    function  redis.Redis on it
    portal          module    PortalServer with PORTAL_DATABASE_URL (PostgreSQL) and
                              PORTAL_REDIS_URL (Reflex's Redis state manager, several workers)
    browser         module    Debian's Chromium, as in tests/e2e
    new_context / context / page   desktop viewport only

If PostgreSQL or Redis cannot be started, the tests fail when CI is set (CI=true), and are
skipped otherwise, with the reason.

Two things exist once per test process: a served build of the app (PortalServer's lock: one
per checkout) and a sync Playwright (one per thread). tests/e2e keeps both for the whole
session, so the scale-out tests run before tests/e2e (after the unit tests) and close theirs
at the end of their module: `portal` and `browser` are module-scoped. As a safety net,
`portal` stops any other PortalServer of this process before building.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.scaleout.services import PostgresServer, RedisServer, ServiceUnavailable
from tests.support import server as server_module
from tests.support.browser import RESULTS_DIR, launch_chromium
from tests.support.browser import new_context as _new_context
from tests.support.server import PortalServer

SCALEOUT_DIR = Path(__file__).resolve().parent
FAILURES_DIR = RESULTS_DIR / "failures"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def unavailable(message: str):
    """No PostgreSQL/Redis here: a failure in CI, a skip on a developer's machine."""
    if in_ci():
        pytest.fail(f"scale-out: {message}", pytrace=False)
    pytest.skip(f"scale-out: {message} (this fails when CI=true)")


def _group(item) -> int:
    parts = set(Path(str(item.fspath)).parts)
    return 2 if "e2e" in parts else 1 if "scaleout" in parts else 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if SCALEOUT_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.scaleout)
    # After tests/conftest.py's sort (unit tests first): scale-out before e2e. Only one sync
    # Playwright may run in this thread and tests/e2e keeps its own for the whole session,
    # while ours (and our server) is closed at the end of our module.
    items.sort(key=_group)


def pytest_configure(config):
    config.addinivalue_line("markers", "scaleout: PostgreSQL + Redis (several Reflex workers)")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# ---------------------------------------------------------------- services

_FAILED_TO_START: dict[str, str] = {}


def _service(kind: str, factory):
    # A server that failed once is not retried for every test: same message each time.
    if kind in _FAILED_TO_START:
        unavailable(_FAILED_TO_START[kind])
    service = factory()
    try:
        service.start()
    except ServiceUnavailable as exc:
        _FAILED_TO_START[kind] = f"{kind} could not be started: {exc}"
        unavailable(_FAILED_TO_START[kind])
    return service


@pytest.fixture(scope="session")
def postgres():
    server = _service("PostgreSQL", PostgresServer)
    try:
        server.create_database("portal")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server():
    server = _service("Redis", RedisServer)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_client(redis_server):
    client = redis_server.client()
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="module")
def portal(postgres, redis_server, smtp_sink, tmp_path_factory):
    for other in list(server_module._LIVE):
        if other.root == server_module.ROOT:
            print(f"[scaleout] stopping the PortalServer on port {other.port}: one served build per checkout")
            other.stop()
    server = PortalServer(
        tmp_path_factory.mktemp("scaleout-data"),
        smtp_port=smtp_sink.port,
        extra_env={
            "PORTAL_DATABASE_URL": postgres.url("portal"),
            "PORTAL_REDIS_URL": redis_server.url,
        },
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------- browser (as tests/e2e, desktop only)


@pytest.fixture(scope="module")
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
    with contextlib.suppress(Exception):
        close()


@pytest.fixture
def viewport_name() -> str:
    return "desktop"


@pytest.fixture
def new_context(browser, portal, viewport_name):
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
def page(context, request, portal):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        name = "scaleout-" + request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        for index, open_page in enumerate(context.pages):
            with contextlib.suppress(Exception):
                open_page.screenshot(path=str(FAILURES_DIR / f"{name}-{index}.png"), full_page=True)
        if errors:
            print(f"browser errors in {request.node.name}:\n  " + "\n  ".join(errors[-20:]))
        print(f"server log tail:\n{portal.log_tail(40)}")
