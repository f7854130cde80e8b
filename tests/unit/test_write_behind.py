"""A draft answer written behind its event (states/draft.py _write_behind, saves_behind.py),
driven on the real DraftState of a fresh state tree with a real database. What is checked is
what a person would lose: the answer given in another tab must survive a write of this tab that
did not land, even when this tab's next save comes before it has read its draft again."""

from __future__ import annotations

import asyncio
import types

import pytest
from reflex.istate.data import RouterData
from reflex_base.event.context import EventContext
from sqlalchemy.exc import OperationalError

from portal_app.domain.dossiers import drafts
from portal_app.models import Role
from portal_app.states import guard, saves_behind
from portal_app.states.draft import DraftState
from tests.support.demarche_data import PTP
from tests.support.states import handle, state_of, visit

DRAFT_PAGE = "/demarches/dossier/[dossier_id]"
TAB = "tab-of-camille"


@pytest.fixture
def camille(make_user, monkeypatch):
    user = make_user("camille@exemple.fr")
    signed_in = types.SimpleNamespace(id=user.id, role=Role.BENEFICIARY)
    monkeypatch.setattr(guard, "check", lambda state, roles, **options: (signed_in, None))
    return user


def open_tab(dossier_id: int, state: DraftState | None = None) -> DraftState:
    """The draft page as a tab holds it once loaded (its load, then the replay of nothing)."""
    state = state or state_of(DraftState)
    visit(state, DRAFT_PAGE, dossier_id=dossier_id)
    root = state._get_root_state()
    root.router = RouterData.from_router_data({**root.router_data, "token": TAB})
    handle(state.load())
    handle(state.replay({}))
    assert state.ready and state.router.session.client_token == TAB
    return state


class Browser:
    """What the tab's event context sends: events to the page, events queued for the tab."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.queued: list[str] = []

    async def emit(self, token, *events):
        self.shown += [event.name for event in events]

    async def enqueue(self, token, *events):
        self.queued += [event.name for event in events]

    def context(self) -> EventContext:
        return EventContext(token=TAB, state_manager=None, enqueue_impl=self.enqueue, emit_event_impl=self.emit)


def next_event(state: DraftState):
    """What Reflex runs before any event of the tab: the app's middleware."""
    return saves_behind.SavesSettled().preprocess(None, state._get_root_state(), None)


def test_a_write_that_did_not_land_never_replaces_another_tabs_answer(camille, monkeypatch):
    draft = drafts.create_draft(camille.id, PTP)
    state = open_tab(draft.id)
    browser = Browser()
    write = drafts.write_prepared

    def disk_error(prepared):
        raise OperationalError("UPDATE dossiers", {}, Exception("disk I/O error"))

    async def scenario() -> None:
        EventContext.set(browser.context())
        monkeypatch.setattr(drafts, "write_prepared", disk_error)
        await state.save_field("metier_vise", "Infirmière")
        assert state._version == draft.version + 1  # answered at once, as if stored
        await saves_behind.settled(TAB)
        monkeypatch.setattr(drafts, "write_prepared", write)
        # Not said stored (the browser keeps its copy), and the tab will read its draft again.
        assert browser.shown == [] and [name.rsplit(".", 1)[-1] for name in browser.queued] == ["resync"]

        # Meanwhile another tab writes, and the database reaches the number this tab holds.
        other = drafts.save_answer(camille.id, draft.id, "poste", "Vendeuse", known_version=draft.version)
        assert other.version == draft.version + 1

        # This tab's next save comes before its resync.
        await next_event(state)
        await state.save_field("metier_vise", "Infirmière de bloc")
        await saves_behind.settled(TAB)

    asyncio.run(scenario())
    stored = drafts.get_owned(camille.id, draft.id)
    assert stored.answers["poste"] == "Vendeuse"
    assert stored.answers["metier_vise"] == "Infirmière de bloc"

    # The resyncs queued run: the tab holds the stored draft, told another tab changed it.
    assert [name.rsplit(".", 1)[-1] for name in browser.queued] == ["resync", "resync"]
    asyncio.run(next_event(state))
    handle(state.resync("metier_vise", True))
    assert state._version == stored.version and state.changed_elsewhere
    assert state._read_answers() == stored.answers


def test_a_landed_write_is_said_stored_and_leaves_no_doubt(camille):
    draft = drafts.create_draft(camille.id, PTP)
    state = open_tab(draft.id)
    browser = Browser()

    async def scenario() -> None:
        EventContext.set(browser.context())
        await state.save_field("metier_vise", "Infirmière")
        await saves_behind.settled(TAB)
        await next_event(state)

    asyncio.run(scenario())
    stored = drafts.get_owned(camille.id, draft.id)
    assert stored.answers["metier_vise"] == "Infirmière" and stored.version == state._version
    assert len(browser.shown) == 1 and browser.queued == []
    assert TAB not in saves_behind._doubted


def test_a_tab_gone_to_another_draft_keeps_that_drafts_version(camille, monkeypatch):
    first, second = drafts.create_draft(camille.id, PTP), drafts.create_draft(camille.id, PTP)
    drafts.save_answer(camille.id, second.id, "poste", "Vendeuse")
    state = open_tab(first.id)
    save_answer = drafts.save_answer

    def filed_meanwhile(*args, **kwargs):
        raise drafts.Locked("filed meanwhile")

    async def scenario() -> None:
        EventContext.set(Browser().context())
        monkeypatch.setattr(drafts, "write_prepared", lambda prepared: None)  # the row moved
        monkeypatch.setattr(drafts, "save_answer", filed_meanwhile)
        await state.save_field("metier_vise", "Infirmière")
        await saves_behind.settled(TAB)

    asyncio.run(scenario())
    assert saves_behind._doubted[TAB] == (first.id, first.version)
    monkeypatch.setattr(drafts, "save_answer", save_answer)
    open_tab(second.id, state)  # the next event, by then, is the other draft's load
    asyncio.run(next_event(state))
    assert TAB not in saves_behind._doubted
    assert state.dossier_ref == second.id
    assert state._version == drafts.get_owned(camille.id, second.id).version
