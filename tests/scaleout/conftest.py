"""Scale-out fixtures: a throwaway PostgreSQL and Redis, and the real app served on them.

Fixtures
    postgres        session   PostgresServer on 127.0.0.1 (database "portal" created)
    redis_server    session   RedisServer on 127.0.0.1, no persistence
    redis_client    function  redis.Redis on it
    portal          module    PortalServer with PORTAL_DATABASE_URL (PostgreSQL) and
                              PORTAL_REDIS_URL (Reflex's Redis state manager, several workers)
    browser         module    Debian's Chromium, as in tests/e2e
    viewport_name   function  "desktop": new_context / context / page (tests/conftest.py) at it

If PostgreSQL or Redis cannot be started, the tests fail when CI is set (CI=true), and are
skipped otherwise, with the reason.

Two things exist once per test process: a served build of the app (PortalServer's lock: one
per checkout) and a sync Playwright (one per thread). tests/e2e keeps both for the whole
session, so the scale-out tests run before tests/e2e (after the unit tests) and close theirs
at the end of their module: `portal` and `browser` are module-scoped. As a safety net,
`portal` stops any other PortalServer of this process before building.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.scaleout.services import PostgresServer, RedisServer, ServiceUnavailable
from tests.support.browser import running_chromium
from tests.support.server import PortalServer, live_servers

SCALEOUT_DIR = Path(__file__).resolve().parent


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
    for other in live_servers():
        print(f"[scaleout] stopping the PortalServer on port {other.port}: one served build per checkout")
        other.stop()
    server = PortalServer(
        tmp_path_factory.mktemp("scaleout-data"),
        smtp_port=smtp_sink.port,
        extra_env={
            "PORTAL_DATABASE_URL": postgres.url("portal"),
            "PORTAL_REDIS_URL": redis_server.url,
            # Each lock wait and release notice in the server log: a stall (seen once, never
            # reproduced) then shows which lock it waited for.
            "REFLEX_STATE_MANAGER_REDIS_DEBUG": "1",
            "REFLEX_LOGLEVEL": "debug",
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
    with running_chromium() as chromium:
        yield chromium


@pytest.fixture
def viewport_name() -> str:
    return "desktop"
