"""The one guard (states/guard.py), driven through the app's real State classes: a real session
cookie in the router headers, real users and sessions in a fresh database."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from reflex.istate.data import RouterData
from reflex.state import State

import portal_app.portal_app  # noqa: F401  (registers every page and state)
from portal_app import routes
from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.accounts.sessions import COOKIE_NAME, open_session
from portal_app.domain.core.db import session_scope
from portal_app.domain.documents import wallet
from portal_app.models import EmployerAccount, Role, User
from portal_app.models.base import utcnow
from portal_app.states.agent_list import AgentListState
from portal_app.states.documents import DocumentsState
from portal_app.states.employer import PersonaliseState, ReglementsState
from portal_app.states.session import SessionState
from tests.support import corpus

PATH = "/porte-documents?categorie=rib"
LOGIN_HERE = "/connexion?motif=expiree&suite=%2Fporte-documents%3Fcategorie%3Drib"


def make(role: Role, email: str, *, employer_stage: str = "") -> str:
    """A user of `role` and a live session: the raw cookie value."""
    with session_scope() as db:
        user = User(email=email, password_hash=hash_password("x"), is_active=True, first_names="Camille", role=role)
        db.add(user)
        db.flush()
        if role is Role.EMPLOYER:
            now = utcnow()
            db.add(
                EmployerAccount(
                    user_id=user.id,
                    company_name="Boulangerie",
                    siret=f"{user.id:014d}",
                    personalised_at=now if employer_stage in ("confirm", "ready") else None,
                    confirmed_at=now if employer_stage == "ready" else None,
                )
            )
        return open_session(db, user)


@pytest.fixture
def people(temp_db, fast_hashing):
    return {
        "alice": make(Role.BENEFICIARY, "alice@exemple.fr"),
        "bob": make(Role.BENEFICIARY, "bob@exemple.fr"),
        "agent": make(Role.AGENT, "agent@exemple.fr"),
        "new_employer": make(Role.EMPLOYER, "new@exemple.fr"),
        "employer": make(Role.EMPLOYER, "ready@exemple.fr", employer_stage="ready"),
    }


def state_of(cls, cookie: str | None, path: str = PATH):
    """A real instance of `cls` in a real state tree, as an event from this browser sees it."""
    root = State(_reflex_internal_init=True)
    headers = {"cookie": f"{COOKIE_NAME}={cookie}"} if cookie else {}
    root.router = RouterData.from_router_data({"headers": headers, "pathname": path, "asPath": path, "query": {}})
    return root.get_substate(cls.get_full_name().split(".")[1:])


def run(cls, name: str, state, *args):
    """Call the handler as Reflex does: its function, with the state and the event's arguments."""
    result = cls.event_handlers[name].fn(state, *args)
    if inspect.isasyncgen(result):

        async def drain():
            return [update async for update in result]

        return asyncio.run(drain())
    if inspect.iscoroutine(result):
        return asyncio.run(result)
    return result


def redirect_path(spec) -> str:
    """Where an rx.redirect event spec sends the browser."""
    if isinstance(spec, list):
        (spec,) = [s for s in spec if s is not None]
    assert spec.handler.fn.__qualname__ == "_redirect"
    return dict((name._js_expr, value._var_value) for name, value in spec.args)["path"]


def test_no_session_goes_to_login_with_the_current_path(people):
    for cookie in (None, "forged-or-expired"):
        state = state_of(DocumentsState, cookie)
        assert redirect_path(run(DocumentsState, "cancel", state)) == LOGIN_HERE


def test_each_kind_of_handler_is_guarded_sync_async_and_generator(people):
    # Sync (cancel), async generator (upload), async (employer load): none runs without a session.
    state = state_of(DocumentsState, None)
    state.editing = {"name": "kept"}
    run(DocumentsState, "cancel", state)
    assert state.editing == {"name": "kept"}
    updates = run(DocumentsState, "upload", state, [])
    assert [redirect_path(u) for u in updates] == [LOGIN_HERE]
    assert redirect_path(run(ReglementsState, "load", state_of(ReglementsState, None))) == LOGIN_HERE


def test_right_role_runs_the_handler_with_its_own_user(people):
    with session_scope() as db:
        alice_id = db.exec(User.__table__.select().where(User.email == "alice@exemple.fr")).first().id
    wallet.ingest(alice_id, "passeport.pdf", corpus.pdf(), "identite")

    alice = state_of(DocumentsState, people["alice"])
    assert run(DocumentsState, "load", alice) is None
    assert [d["name"] for d in alice.documents] == ["passeport.pdf"]

    bob = state_of(DocumentsState, people["bob"])
    assert run(DocumentsState, "load", bob) is None
    assert bob.documents == []


def test_wrong_role_goes_to_its_own_home(people):
    assert redirect_path(run(DocumentsState, "cancel", state_of(DocumentsState, people["agent"]))) == routes.AGENT
    assert redirect_path(run(AgentListState, "load", state_of(AgentListState, people["alice"]))) == routes.MY_DOSSIERS
    refused = run(DocumentsState, "cancel", state_of(DocumentsState, people["employer"]))
    assert redirect_path(refused) == routes.EMPLOYER


def test_employer_not_ready_is_sent_to_personalisation_except_there(people):
    state = state_of(ReglementsState, people["new_employer"], routes.EMPLOYER)
    assert redirect_path(run(ReglementsState, "load", state)) == routes.EMPLOYER_PERSONALISE
    assert state.ready is False

    ready = state_of(ReglementsState, people["employer"], routes.EMPLOYER)
    assert run(ReglementsState, "load", ready) is None
    assert ready.ready is True and ready.company_name == "Boulangerie"

    # The personalisation handlers alone are open before the account is ready.
    personalise = state_of(PersonaliseState, people["new_employer"], routes.EMPLOYER_PERSONALISE)
    assert run(PersonaliseState, "load", personalise) is None
    assert personalise.stage == "personalise"


def test_event_specs_do_not_see_the_user_argument():
    spec = DocumentsState.start_edit("12")
    assert [name._js_expr for name, _ in spec.args] == ["document_id"]
    assert list(inspect.signature(DocumentsState.event_handlers["start_edit"].fn).parameters) == ["self", "document_id"]


def test_a_guarded_page_runs_its_loads_only_once_the_visitor_is_let_in(people):
    refused = state_of(SessionState, None, routes.DOCUMENTS)
    assert redirect_path(run(SessionState, "enter", refused, routes.DOCUMENTS)) == (
        "/connexion?motif=expiree&suite=%2Fporte-documents"
    )
    assert refused.signed_in is False

    let_in = state_of(SessionState, people["alice"], routes.DOCUMENTS)
    assert run(SessionState, "enter", let_in, routes.DOCUMENTS) == [DocumentsState.load]
    assert let_in.signed_in is True and let_in.role == Role.BENEFICIARY

    wrong = state_of(SessionState, people["alice"], routes.AGENT)
    assert redirect_path(run(SessionState, "enter", wrong, routes.AGENT)) == routes.MY_DOSSIERS

    onboarding = state_of(SessionState, people["new_employer"], routes.EMPLOYER_PERSONALISE)
    assert run(SessionState, "enter", onboarding, routes.EMPLOYER_PERSONALISE) == [PersonaliseState.load]
