"""Every handler of Mes relations and of the catalogue's "Pour qui" acts for the session's user
only (IDOR): a relation id of another account, sent by a crafted event, is a missing one. The
guard's check is replaced by a chosen user, exactly what states.guard.check finds from the cookie."""

from __future__ import annotations

import types

import pytest

from portal_app.domain.dossiers import drafts
from portal_app.domain.relations import forms, relations
from portal_app.models import Role
from portal_app.states import guard
from portal_app.states.catalogue import CatalogueState
from portal_app.states.relations import RelationsState
from tests.support.states import handle, state_of, visit

ATTESTATION = "demande-attestation"
CHILD = {
    "link": "enfant",
    "birth_name": "Martin",
    "first_names": "Léa",
    "birth_date": "2012-06-01",
    "birthplace": "Lyon",
}


@pytest.fixture
def people(make_user, monkeypatch):
    alice, bob = make_user("alice@exemple.fr").id, make_user("bob@exemple.fr").id
    caller = {"user": None}

    def fake_check(state, roles, onboarding_open=False):
        if caller["user"] is None:
            return None, "to_login"
        return types.SimpleNamespace(id=caller["user"], role=Role.BENEFICIARY, display_name="Bob"), None

    monkeypatch.setattr(guard, "check", fake_check)
    return alice, bob, caller


def test_bob_cannot_read_edit_or_delete_alices_relation(people):
    alice, bob, caller = people
    child = relations.save(alice, forms.PERSON, CHILD).relation
    caller["user"] = bob
    state = state_of(RelationsState)
    visit(state, "/mon-compte/relations")
    handle(state.load())
    assert state.items == []
    handle(state.open_edit(child.id))
    assert state.mode == "" and state.values == {}
    handle(state.ask_delete(child.id))
    assert state.deleting_id == 0 and state.deleting_name == ""
    # Even with the form open on a new relation, saving cannot land on Alice's.
    handle(state.open_add(forms.PERSON))
    state.editing_id = child.id  # what a tampered state would hold
    handle(state.save({**CHILD, "first_names": "Pris"}))
    state.deleting_id = child.id
    handle(state.confirm_delete())
    kept = relations.get_owned(alice, child.id)
    assert kept.first_names == "Léa"
    assert relations.list_for(bob) == []


def test_bob_cannot_start_a_demarche_for_alices_relation(people):
    alice, bob, caller = people
    child = relations.save(alice, forms.PERSON, CHILD).relation
    caller["user"] = bob
    state = state_of(CatalogueState)
    handle(state.start(ATTESTATION))
    assert state.asking_code == ATTESTATION
    assert [choice.value for choice in state.whom_choices] == ["self"]  # Alice's child is not offered
    handle(state.start_for({"pour": str(child.id)}))
    assert state.errors == {"pour": "Choisissez une personne de la liste."}
    assert drafts.list_for_owner(bob) == [] and drafts.list_for_owner(alice) == []


def test_the_owner_adds_then_starts_for_her_child(people):
    alice, _, caller = people
    caller["user"] = alice
    state = state_of(RelationsState)
    visit(state, "/mon-compte/relations", ajout="person", demarche=ATTESTATION)
    handle(state.load())
    assert state.mode == forms.PERSON and state.then_demarche == ATTESTATION
    handle(state.save({**CHILD, "birthplace": ""}))
    assert state.errors == {"birthplace": "Indiquez le lieu de naissance."}
    handle(state.save(CHILD))
    (draft,) = drafts.list_for_owner(alice)
    assert draft.demarche_code == ATTESTATION and draft.for_whom["name"] == "Léa Martin"
    # The draft holds the relation: deleting it is refused, in words.
    state.deleting_id, state.deleting_name = draft.relation_id, "Léa Martin"
    handle(state.confirm_delete())
    assert state.refusal == relations.IN_USE and len(state.items) == 1


def test_no_session_no_relation(people):
    alice, _, caller = people
    child = relations.save(alice, forms.PERSON, CHILD).relation
    state = state_of(RelationsState)
    for name, args in (("load", ()), ("open_edit", (child.id,)), ("ask_delete", (child.id,)), ("save", (CHILD,))):
        handle(getattr(state, name)(*args))
    assert state.items == [] and state.values == {} and len(relations.list_for(alice)) == 1
