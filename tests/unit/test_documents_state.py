"""Every handler of the porte-documents page acts for the session's user only (IDOR), and
refuses without a session. Handlers run on the real DocumentsState of a fresh state tree; the
guard's check is replaced by a chosen user, exactly what states.guard.check finds from the
cookie."""

from __future__ import annotations

import asyncio
import types

import pytest

from portal_app.domain.documents import wallet
from portal_app.models import Role
from portal_app.states import guard
from portal_app.states.documents import DocumentsState
from tests.support import corpus
from tests.support.states import drain, handle, state_of, upload_file


@pytest.fixture
def people(make_user, monkeypatch):
    alice, bob = make_user("alice@exemple.fr").id, make_user("bob@exemple.fr").id
    caller = {"user": None}

    def fake_check(state, roles, onboarding_open=False):
        if caller["user"] is None:
            return None, "to_login"
        return types.SimpleNamespace(id=caller["user"], role=Role.BENEFICIARY), None

    monkeypatch.setattr(guard, "check", fake_check)
    return alice, bob, caller


def test_bob_cannot_touch_alices_document_through_any_handler(people):
    alice, bob, caller = people
    document = wallet.ingest(alice, "passeport.pdf", corpus.pdf(), "identite").document
    caller["user"] = bob
    state = state_of(DocumentsState)
    handle(state.load())
    assert state.documents == []
    handle(state.start_edit(str(document.id)))
    assert state.editing == {}
    handle(state.save_edit({"document_id": str(document.id), "name": "pris", "category": "autre"}))
    assert state.errors == {"name": "Ce document n'existe plus."}
    handle(state.ask_delete(str(document.id)))
    assert state.confirming == {}
    handle(state.confirm_delete(str(document.id)))
    assert state.flash == "Ce document n'existe plus."
    kept = wallet.get_document(alice, document.id)
    assert (kept.name, kept.category) == ("passeport.pdf", "identite")


def test_no_session_means_no_action_and_nothing_stored(people):
    alice, _, caller = people
    document = wallet.ingest(alice, "passeport.pdf", corpus.pdf()).document
    caller["user"] = None
    state = state_of(DocumentsState)
    for name, args in [
        ("load", ()),
        ("start_edit", (str(document.id),)),
        ("save_edit", ({"document_id": str(document.id), "name": "x", "category": "autre"},)),
        ("ask_delete", (str(document.id),)),
        ("confirm_delete", (str(document.id),)),
        ("set_upload_category", ("rib",)),
        ("rejected", ([["a.pdf", 1, "file-too-large"]],)),
    ]:
        assert handle(getattr(state, name)(*args)) == "to_login", name
    asyncio.run(drain(state.upload([upload_file("releve.pdf", corpus.pdf())])))
    assert state.results == [] and state.documents == []
    assert [d.name for d in wallet.list_documents(alice)] == ["passeport.pdf"]
    assert wallet.get_document(alice, document.id).name == "passeport.pdf"


def test_upload_stores_for_the_session_user_with_each_outcome(people):
    alice, bob, caller = people
    caller["user"] = alice
    state = state_of(DocumentsState)
    state.upload_category = "salaire"
    files = [
        upload_file("bulletin.pdf", corpus.pdf()),
        upload_file("page.pdf", corpus.html()),
        upload_file("gros.pdf", corpus.exactly(6 * 1024 * 1024)),
    ]
    asyncio.run(drain(state.upload(files)))
    assert [r["ok"] for r in state.results] == ["1", "", ""]
    assert state.results[1]["message"].startswith("page.pdf : Ce fichier n'est pas un PDF lisible")
    assert state.results[2]["message"] == "gros.pdf : Fichier trop volumineux (6 Mo) : 5 Mo maximum."
    assert [(d.name, d.category) for d in wallet.list_documents(alice)] == [("bulletin.pdf", "salaire")]
    assert wallet.list_documents(bob) == []
    assert state.uploading is False and len(state.documents) == 1


def test_browser_refusals_are_kept_when_the_empty_upload_follows(people):
    alice, _, caller = people
    caller["user"] = alice
    state = state_of(DocumentsState)
    handle(state.rejected([["photo.heic", 123, "file-invalid-type"], ["film.pdf", 7 * 1024 * 1024, "file-too-large"]]))
    asyncio.run(drain(state.upload([])))
    assert [r["message"] for r in state.results] == [
        "photo.heic : Format non accepté : seuls les fichiers PNG, JPEG et PDF sont acceptés.",
        "film.pdf : Fichier trop volumineux (7 Mo) : 5 Mo maximum.",
    ]


def test_files_past_the_page_cap_are_refused_and_not_stored(people):
    alice, _, caller = people
    caller["user"] = alice
    state = state_of(DocumentsState)
    files = [upload_file(f"f{n}.pdf", corpus.pdf()) for n in range(DocumentsState.MAX_FILES + 1)]
    asyncio.run(drain(state.upload(files)))
    assert [r["ok"] for r in state.results] == ["1"] * DocumentsState.MAX_FILES + [""]
    assert state.results[-1]["message"] == (
        "f5.pdf : trop de fichiers à la fois (5 au plus). Envoyez-les en plusieurs fois."
    )
    assert len(wallet.list_documents(alice)) == DocumentsState.MAX_FILES
