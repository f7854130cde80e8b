"""A fresh SQLite database per test, with the tables created from the models, the user factory,
and the app's compile check started with the first unit test."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import SQLModel

import portal_app.models  # noqa: F401  (registers the tables)
from portal_app import settings as settings_module
from portal_app.domain.accounts import passwords
from portal_app.domain.core import db as db_module
from portal_app.models import User
from tests.support.compile_check import AppCompile
from tests.support.users import APPLICANT, add_user

UNIT_DIR = Path(__file__).resolve().parent


@pytest.fixture
def temp_db(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    monkeypatch.delenv("PORTAL_SMTP_HOST", raising=False)
    settings_module.get_settings.cache_clear()
    db_module.engine_for.cache_clear()
    engine = db_module.get_engine()
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()
    settings_module.get_settings.cache_clear()
    db_module.engine_for.cache_clear()


@pytest.fixture
def fast_hashing(monkeypatch):
    """bcrypt at its real cost makes each test slow; the cost itself is tested in test_passwords."""
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def make_user(temp_db, fast_hashing):
    """make_user(email="camille@exemple.fr", role="beneficiary", **fields) -> an activated User
    (password tests.support.users.PASSWORD) whose profile fills a PTP's identity step."""

    def factory(email: str = "camille@exemple.fr", **fields) -> User:
        return add_user(temp_db, email, **{**APPLICANT, **fields})

    return factory


@pytest.fixture(scope="session")
def app_compile(tmp_path_factory):
    """The app's compile check, running in a child process (tests/support/compile_check.py)."""
    compile_check = AppCompile(tmp_path_factory.mktemp("compile")).start()
    yield compile_check
    compile_check.stop()


@pytest.fixture(scope="session", autouse=True)
def compile_beside_the_unit_tests(request):
    """Start the compile check with the first unit test when it is selected: it takes a core for
    most of a minute, and runs on the other one meanwhile (its test is the last unit test)."""
    if any("app_compile" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("app_compile")


def pytest_collection_modifyitems(items):
    # The compile check last among the unit tests, so that it has run beside them by then; the
    # other conftests' sorts (unit tests first, then scale-out, then e2e) are stable.
    compile_checks = [item for item in items if "app_compile" in getattr(item, "fixturenames", ())]
    rest = [item for item in items if item not in compile_checks]
    last_unit = max(
        (index for index, item in enumerate(rest) if UNIT_DIR in Path(str(item.fspath)).parents), default=-1
    )
    items[:] = rest[: last_unit + 1] + compile_checks + rest[last_unit + 1 :]
    # A handler called and never awaited did nothing: its test would pass without running it.
    # Python reports it while collecting the coroutine, as an unraisable warning: fail on it.
    for item in (item for item in items if UNIT_DIR in Path(str(item.fspath)).parents):
        item.add_marker(pytest.mark.filterwarnings("error:coroutine .* was never awaited"))
        item.add_marker(pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"))
