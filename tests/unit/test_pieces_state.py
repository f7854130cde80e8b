"""Every handler of the Pièces justificatives step acts for the session's user only (IDOR):
Bob can neither attach Alice's document to his draft nor touch Alice's draft, whatever ids
he sends. Handlers run on a stand-in object, as in test_documents_state."""

from __future__ import annotations

import asyncio
import io
import types

import pytest

from portal_app.domain import dossiers, pieces
from portal_app.states import pieces as page_state
from portal_app.states.pieces import PiecesState
from tests.support import corpus
from tests.support.demarche_data import ptp_answers
from tests.support.pieces import store_pdf
from tests.unit.test_dossiers import PTP, make_user  # noqa: F401  (fixture)


class Caller:
    def __init__(self):
        self.items, self.documents, self.results, self._pending = [], [], [], []
        self.choices, self.errors = {}, {}
        self.upload_piece = self.flash = ""
        self.progress, self.uploading = 0, False

    def __getattr__(self, name):
        return types.MethodType(getattr(PiecesState, name), self)


def handler(name: str):
    return getattr(PiecesState, name).fn


class Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.size, self.file = name, len(data), io.BytesIO(data)


async def run_upload(state, files):
    async for _ in handler("upload")(state, files):
        pass


@pytest.fixture
def people(make_user, fast_hashing, monkeypatch):  # noqa: F811
    alice = make_user("alice@exemple.fr")
    bob = make_user("bob@exemple.fr", nir="190017512345687")
    caller = {"user": None, "dossier": 0}

    def fake_current_user(state, roles=()):
        return types.SimpleNamespace(id=caller["user"], role="beneficiary") if caller["user"] else None

    monkeypatch.setattr(page_state, "current_user", fake_current_user)
    monkeypatch.setattr(page_state, "to_login", lambda state, reason="expiree": "to_login")
    monkeypatch.setattr(page_state, "dossier_id_of", lambda state: caller["dossier"])
    return alice, bob, caller


def draft_of(user_id):
    draft = dossiers.create_draft(user_id, PTP)
    dossiers.save_answers(user_id, draft.id, ptp_answers())
    return draft.id


def test_bob_cannot_attach_alices_document_nor_touch_her_draft(people):
    alice, bob, caller = people
    alices_draft, bobs_draft = draft_of(alice.id), draft_of(bob.id)
    alices_document = store_pdf(alice.id, "passeport.pdf")
    pieces.attach(alice.id, alices_draft, "identite", alices_document)

    caller.update(user=bob.id, dossier=bobs_draft)
    state = Caller()
    handler("load")(state)
    assert state.documents == [] and len(state.items) == 5
    handler("choose")(state, "identite", str(alices_document))
    handler("attach")(state, "identite")
    assert state.errors["identite"] == pieces.GONE
    assert not pieces.pieces_status(bob.id, bobs_draft)[0].attached

    # Alice's draft by its id: nothing shown, nothing changed, nothing stored.
    caller["dossier"] = alices_draft
    handler("load")(state)
    assert state.items == []
    handler("choose")(state, "identite", str(alices_document))
    handler("attach")(state, "identite")
    handler("detach")(state, "identite")
    state.upload_piece = "rib"
    asyncio.run(run_upload(state, [Upload("rib.pdf", corpus.pdf())]))
    status = {s.code: s for s in pieces.pieces_status(alice.id, alices_draft)}
    assert status["identite"].attached and not status["rib"].attached
    from portal_app.domain import documents as docs

    assert docs.list_documents(bob.id) == []


def test_no_session_no_action(people):
    alice, _, caller = people
    caller.update(user=None, dossier=draft_of(alice.id))
    state = Caller()
    assert handler("load")(state) == "to_login"
    assert handler("attach")(state, "identite") == "to_login"
    assert handler("detach")(state, "identite") == "to_login"
    asyncio.run(run_upload(state, [Upload("rib.pdf", corpus.pdf())]))
    assert state.results == []


def test_upload_from_the_step_attaches_and_files_in_the_porte_documents(people):
    alice, _, caller = people
    caller.update(user=alice.id, dossier=draft_of(alice.id))
    state = Caller()
    handler("load")(state)
    assert state.upload_piece == "identite"
    handler("set_upload_piece")(state, "rib")
    asyncio.run(run_upload(state, [Upload("rib.pdf", corpus.pdf())]))
    from portal_app.domain import documents as docs

    [document] = docs.list_documents(alice.id)
    assert document.category == "rib"
    status = {s.code: s for s in pieces.pieces_status(alice.id, caller["dossier"])}
    assert status["rib"].attached and status["rib"].name == "rib.pdf"
    assert state.upload_piece == "identite"  # the next missing piece
