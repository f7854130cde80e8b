"""Every handler of the Pièces justificatives step acts for the session's user only (IDOR):
Bob can neither attach Alice's document to his draft nor touch Alice's draft, whatever ids
he sends. Handlers run on a stand-in object, as in test_documents_state."""

from __future__ import annotations

import asyncio
import io
import types

import pytest

from portal_app.domain.dossiers import drafts, pieces
from portal_app.models import Role
from portal_app.states import guard
from portal_app.states import pieces as page_state
from portal_app.states.pieces import PiecesState
from tests.support import corpus
from tests.support.demarche_data import ptp_answers
from tests.support.pieces import store_pdf
from tests.unit.test_dossiers import PTP, make_user  # noqa: F401  (fixture)


class Caller:
    def __init__(self):
        self.items, self.documents = [], []
        self.choices, self.errors = {}, {}
        self.uploading_piece = self.flash = ""
        self.progress, self.uploading = 0, False
        self.results, self._browser_refused = [], []
        self.MAX_FILES = PiecesState.MAX_FILES

    def __getattr__(self, name):
        return types.MethodType(getattr(PiecesState, name), self)


def handler(name: str):
    return getattr(PiecesState, name).fn


class Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.size, self.file = name, len(data), io.BytesIO(data)


async def run_upload(state, files, code):
    async for _ in handler("upload")(state, files, code):
        pass


@pytest.fixture
def people(make_user, fast_hashing, monkeypatch):  # noqa: F811
    alice = make_user("alice@exemple.fr")
    bob = make_user("bob@exemple.fr", nir="190017512345687")
    caller = {"user": None, "dossier": 0}

    def fake_check(state, roles, onboarding_open=False):
        if caller["user"] is None:
            return None, "to_login"
        return types.SimpleNamespace(id=caller["user"], role=Role.BENEFICIARY), None

    monkeypatch.setattr(guard, "check", fake_check)
    monkeypatch.setattr(page_state, "dossier_id_of", lambda state: caller["dossier"])
    return alice, bob, caller


def draft_of(user_id):
    draft = drafts.create_draft(user_id, PTP)
    drafts.save_answers(user_id, draft.id, ptp_answers())
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
    asyncio.run(run_upload(state, [Upload("rib.pdf", corpus.pdf())], "rib"))
    status = {s.code: s for s in pieces.pieces_status(alice.id, alices_draft)}
    assert status["identite"].attached and not status["rib"].attached
    from portal_app.domain.documents import wallet as docs

    assert docs.list_documents(bob.id) == []


def test_no_session_no_action(people):
    alice, _, caller = people
    caller.update(user=None, dossier=draft_of(alice.id))
    state = Caller()
    assert handler("load")(state) == "to_login"
    assert handler("attach")(state, "identite") == "to_login"
    assert handler("detach")(state, "identite") == "to_login"
    asyncio.run(run_upload(state, [Upload("rib.pdf", corpus.pdf())], "rib"))
    assert state.errors == {} and state.flash == ""


def test_upload_from_the_step_attaches_and_files_in_the_porte_documents(people):
    alice, _, caller = people
    caller.update(user=alice.id, dossier=draft_of(alice.id))
    state = Caller()
    handler("load")(state)
    asyncio.run(run_upload(state, [Upload("rib.pdf", corpus.pdf())], "rib"))
    from portal_app.domain.documents import wallet as docs

    [document] = docs.list_documents(alice.id)
    assert document.category == "rib"
    status = {s.code: s for s in pieces.pieces_status(alice.id, caller["dossier"])}
    assert status["rib"].attached and status["rib"].name == "rib.pdf"
    # The file went to the piece of the row it was sent from, and only to it.
    assert [s.code for s in status.values() if s.attached] == ["rib"]
    rib = next(item for item in state.items if item.code == "rib")
    assert rib.attached and rib.added.startswith("ajouté le ")
    assert (
        state.flash
        == "Un relevé d'identité bancaire (RIB) : « rib.pdf » est joint et rangé dans votre porte-documents."
    )
    assert state.uploading_piece == ""


def test_a_refused_upload_is_said_under_its_piece_and_attaches_nothing(people):
    alice, _, caller = people
    caller.update(user=alice.id, dossier=draft_of(alice.id))
    state = Caller()
    handler("load")(state)
    asyncio.run(run_upload(state, [Upload("devis.pdf", b"%PDF-1.4 not really")], "devis"))
    assert set(state.errors) == {"devis"} and state.errors["devis"].startswith("devis.pdf : ")
    assert not any(s.attached for s in pieces.pieces_status(alice.id, caller["dossier"]))
    # A piece the answers do not ask for: nothing is read or stored.
    asyncio.run(run_upload(state, [Upload("autre.pdf", corpus.pdf())], "inconnue"))
    from portal_app.domain.documents import wallet as docs

    assert docs.list_documents(alice.id) == []


def test_the_browser_refusal_is_said_under_its_piece(people):
    alice, _, caller = people
    caller.update(user=alice.id, dossier=draft_of(alice.id))
    state = Caller()
    handler("load")(state)
    handler("rejected")(state, [["rib.exe", 10, "file-invalid-type"]], "rib")
    assert set(state.errors) == {"rib"} and state.errors["rib"].startswith("rib.exe : ")
    handler("rejected")(state, [["x.exe", 10, "file-invalid-type"]], "pas-une-piece")
    assert set(state.errors) == {"rib"}


def test_the_picker_tells_apart_two_files_of_the_same_name(people):
    alice, _, caller = people
    caller.update(user=alice.id, dossier=draft_of(alice.id))
    store_pdf(alice.id, "scan.pdf", corpus.pdf(1))
    store_pdf(alice.id, "scan.pdf", corpus.pdf(3))
    state = Caller()
    handler("load")(state)
    labels = [doc["label"] for doc in state.documents]
    assert len(labels) == 2 and len(set(labels)) == 2
    assert all(label.startswith("scan.pdf (Autre, ") and ", ajouté le " in label for label in labels)
