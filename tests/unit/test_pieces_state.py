"""Every handler of the Pièces justificatives step acts for the session's user only (IDOR):
Bob can neither attach Alice's document to his draft nor touch Alice's draft, whatever ids
he sends. Handlers run on the real PiecesState of a fresh state tree, as in test_documents_state."""

from __future__ import annotations

import asyncio
import types

import pytest

from portal_app.domain.dossiers import drafts, pieces
from portal_app.models import Role
from portal_app.states import guard
from portal_app.states.pieces import PiecesState
from tests.support import corpus
from tests.support.demarche_data import PTP, ptp_answers
from tests.support.pieces import store_pdf
from tests.support.states import drain, handle, state_of, upload_file, visit

DRAFT_PAGE = "/demarches/dossier/[dossier_id]"


@pytest.fixture
def people(make_user, monkeypatch):
    alice = make_user("alice@exemple.fr")
    bob = make_user("bob@exemple.fr", nir="190017512345687")
    caller = {"user": None}

    def fake_check(state, roles, onboarding_open=False):
        if caller["user"] is None:
            return None, "to_login"
        return types.SimpleNamespace(id=caller["user"], role=Role.BENEFICIARY), None

    monkeypatch.setattr(guard, "check", fake_check)
    return alice, bob, caller


def on_draft(dossier_id: int) -> PiecesState:
    """The step's state as the draft page of `dossier_id` holds it."""
    state = state_of(PiecesState)
    visit(state, DRAFT_PAGE, dossier_id=dossier_id)
    return state


def draft_of(user_id):
    draft = drafts.create_draft(user_id, PTP)
    drafts.save_answers(user_id, draft.id, ptp_answers())
    return draft.id


def test_bob_cannot_attach_alices_document_nor_touch_her_draft(people):
    alice, bob, caller = people
    alices_draft, bobs_draft = draft_of(alice.id), draft_of(bob.id)
    alices_document = store_pdf(alice.id, "passeport.pdf")
    pieces.attach(alice.id, alices_draft, "identite", alices_document)

    caller["user"] = bob.id
    state = on_draft(bobs_draft)
    handle(state.load())
    assert state.documents == [] and len(state.items) == 5
    handle(state.choose("identite", str(alices_document)))
    handle(state.attach("identite"))
    assert state.errors["identite"] == pieces.GONE
    assert not pieces.pieces_status(bob.id, bobs_draft)[0].attached

    # Alice's draft by its id: nothing shown, nothing changed, nothing stored.
    visit(state, DRAFT_PAGE, dossier_id=alices_draft)
    handle(state.load())
    assert state.items == []
    handle(state.choose("identite", str(alices_document)))
    handle(state.attach("identite"))
    handle(state.detach("identite"))
    asyncio.run(drain(state.upload([upload_file("rib.pdf", corpus.pdf())], "rib")))
    status = {s.code: s for s in pieces.pieces_status(alice.id, alices_draft)}
    assert status["identite"].attached and not status["rib"].attached
    from portal_app.domain.documents import wallet as docs

    assert docs.list_documents(bob.id) == []


def test_no_session_no_action(people):
    alice, _, caller = people
    caller["user"] = None
    state = on_draft(draft_of(alice.id))
    assert handle(state.load()) == "to_login"
    assert handle(state.attach("identite")) == "to_login"
    assert handle(state.detach("identite")) == "to_login"
    asyncio.run(drain(state.upload([upload_file("rib.pdf", corpus.pdf())], "rib")))
    assert state.errors == {} and state.flash == ""


def test_upload_from_the_step_attaches_and_files_in_the_porte_documents(people):
    alice, _, caller = people
    caller["user"] = alice.id
    dossier_id = draft_of(alice.id)
    state = on_draft(dossier_id)
    handle(state.load())
    asyncio.run(drain(state.upload([upload_file("rib.pdf", corpus.pdf())], "rib")))
    from portal_app.domain.documents import wallet as docs

    [document] = docs.list_documents(alice.id)
    assert document.category == "rib"
    status = {s.code: s for s in pieces.pieces_status(alice.id, dossier_id)}
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
    caller["user"] = alice.id
    dossier_id = draft_of(alice.id)
    state = on_draft(dossier_id)
    handle(state.load())
    asyncio.run(drain(state.upload([upload_file("devis.pdf", b"%PDF-1.4 not really")], "devis")))
    assert set(state.errors) == {"devis"} and state.errors["devis"].startswith("devis.pdf : ")
    assert not any(s.attached for s in pieces.pieces_status(alice.id, dossier_id))
    # A piece the answers do not ask for: nothing is read or stored.
    asyncio.run(drain(state.upload([upload_file("autre.pdf", corpus.pdf())], "inconnue")))
    from portal_app.domain.documents import wallet as docs

    assert docs.list_documents(alice.id) == []


def test_the_browser_refusal_is_said_under_its_piece(people):
    alice, _, caller = people
    caller["user"] = alice.id
    dossier_id = draft_of(alice.id)
    state = on_draft(dossier_id)
    handle(state.load())
    handle(state.rejected([["rib.exe", 10, "file-invalid-type"]], "rib"))
    assert set(state.errors) == {"rib"} and state.errors["rib"].startswith("rib.exe : ")
    handle(state.rejected([["x.exe", 10, "file-invalid-type"]], "pas-une-piece"))
    assert set(state.errors) == {"rib"}


def test_the_picker_tells_apart_two_files_of_the_same_name(people):
    alice, _, caller = people
    caller["user"] = alice.id
    dossier_id = draft_of(alice.id)
    store_pdf(alice.id, "scan.pdf", corpus.pdf(1))
    store_pdf(alice.id, "scan.pdf", corpus.pdf(3))
    state = on_draft(dossier_id)
    handle(state.load())
    labels = [doc["label"] for doc in state.documents]
    assert len(labels) == 2 and len(set(labels)) == 2
    assert all(label.startswith("scan.pdf (Autre, ") and ", ajouté le " in label for label in labels)
