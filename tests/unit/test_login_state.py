"""The login page's state, driven as Reflex drives it: its on_load (`load`) normally runs
before the form can be sent, but a quick user on a busy server can send it first."""

from __future__ import annotations

import asyncio

from portal_app.states.login import REASONS, LoginState
from tests.support.states import state_of, visit

EMPTY_FORM = {"identifier": "", "password": ""}


def on_login_page(**params) -> LoginState:
    state = state_of(LoginState)
    visit(state, "/connexion", **params)
    return state


def test_a_new_visit_starts_without_the_previous_errors():
    state = on_login_page()
    state.load()
    state.parent_state.is_hydrated = True  # Reflex's flag once the on_load handlers have run
    asyncio.run(state.submit(EMPTY_FORM))
    assert [key for key, _ in state.error_items] == ["champ-identifier", "champ-password"]

    state.load()  # back to /connexion later in the same tab
    assert state.error_items == [] and state.errors == {}


def test_errors_of_a_form_sent_before_the_on_load_are_kept():
    state = on_login_page(motif="expiree")
    asyncio.run(state.submit(EMPTY_FORM))  # not hydrated yet: its on_load comes after
    state.load()
    assert [key for key, _ in state.error_items] == ["champ-identifier", "champ-password"]
    assert state.info == REASONS["expiree"]

    state.parent_state.is_hydrated = True
    state.load()  # the next visit is clean again
    assert state.error_items == []
