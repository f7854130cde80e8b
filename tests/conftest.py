"""Shared test setup: import path and a session-wide SMTP sink."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The pytest script (unlike `python -m pytest`) does not put the repo on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.smtp import SmtpSink  # noqa: E402


@pytest.fixture(scope="session")
def smtp_sink():
    """One real SMTP server for the session; filter with wait_for(to=..., since=...)."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


def pytest_collection_modifyitems(config, items):
    """Unit tests first: the end-to-end session keeps Playwright's event loop running in the
    main thread until the session ends, and unit tests calling asyncio.run() would then fail."""
    items.sort(key=lambda item: "/tests/e2e/" in str(item.fspath).replace("\\", "/"))
