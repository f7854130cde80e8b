"""A fresh SQLite database per test, with the tables created from the models, and the user factory."""

from __future__ import annotations

import pathlib

import pytest
from sqlmodel import SQLModel

import portal_app.models  # noqa: F401  (registers the tables)
from portal_app import settings as settings_module
from portal_app.domain.accounts import passwords
from portal_app.domain.core import db as db_module
from portal_app.models import User
from tests.support.users import APPLICANT, add_user


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


def pytest_collection_modifyitems(items):
    # A handler called and never awaited did nothing: its test would pass without running it.
    # Python reports it while collecting the coroutine, as an unraisable warning: fail on it.
    here = pathlib.Path(__file__).parent
    for item in (item for item in items if here in item.path.parents):
        item.add_marker(pytest.mark.filterwarnings("error:coroutine .* was never awaited"))
        item.add_marker(pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"))
