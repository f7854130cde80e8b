"""Shared test setup: import path, a session-wide SMTP sink, and the browser fixtures that
tests/e2e and tests/scaleout both use.

Fixtures
    jobs_inline     function  (autouse) the job queue runs each task as it is queued
    smtp_sink       session   one real SMTP server; filter with wait_for(to=..., since=...)
    new_context     function  factory of BrowserContexts at `viewport_name` (closed at teardown)
    context         function  a fresh BrowserContext
    page            function  a Page of it; on failure: screenshots, browser errors, server log

`browser`, `portal` and `viewport_name` come from the folder's own conftest (their scopes
differ: tests/e2e keeps its Chromium for the session, tests/scaleout for its module).
"""

from __future__ import annotations

import sys
from contextlib import suppress
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The pytest script (unlike `python -m pytest`) does not put the repo on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.browser import RESULTS_DIR, quietly  # noqa: E402
from tests.support.browser import new_context as _new_context  # noqa: E402
from tests.support.smtp import SmtpSink  # noqa: E402

FAILURES_DIR = RESULTS_DIR / "failures"


@pytest.fixture(autouse=True)
def jobs_inline():
    """Tasks run as they are queued, in the test's process (Huey's immediate mode): domain tests
    see their mails at once. Tests of the queue itself use a real worker (tests/support/worker.py)
    and set `huey.immediate = False`."""
    from portal_app.jobs import huey

    huey.immediate = True
    yield huey
    huey.immediate = True


@pytest.fixture(scope="session")
def smtp_sink():
    """One real SMTP server for the session; filter with wait_for(to=..., since=...)."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


def pytest_collection_modifyitems(items):
    # Browser tests last: the session's Playwright keeps an event loop running in the main
    # thread, and unit tests that call asyncio.run() (Starlette's TestClient) would then fail.
    items.sort(key=lambda item: bool({"e2e", "scaleout"} & set(Path(str(item.fspath)).parts)))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Kept on the item, so that `page` knows at teardown whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


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
        quietly(context.close)


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
    if report is None or not report.failed:
        return
    FAILURES_DIR.mkdir(parents=True, exist_ok=True)
    folder = Path(str(request.node.fspath)).parent.name
    name = f"{folder}-" + request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    for index, open_page in enumerate(context.pages):
        with suppress(Exception):  # the page may be gone; the test report matters more
            open_page.screenshot(path=str(FAILURES_DIR / f"{name}-{index}.png"), full_page=True)
    if errors:
        print(f"browser errors in {request.node.name}:\n  " + "\n  ".join(errors[-20:]))
    print(f"server log tail:\n{portal.log_tail(40)}")
