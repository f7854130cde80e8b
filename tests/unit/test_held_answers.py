"""Held answers (domain/dossiers/held.py): a FranceConnect account's own draft keeps the
identity FranceConnect certified, whatever a crafted event sends; anything else stays editable."""

from __future__ import annotations

from sqlmodel import Session

from portal_app import demarches as registry
from portal_app.domain.dossiers import drafts, held
from portal_app.domain.relations import forms, relations
from portal_app.models import Dossier

PTP = "projet-transition-professionnelle"
IDENTITY = {"nom_naissance": "AUTRE", "prenoms": "Autre", "date_naissance": "1990-01-01"}


def test_a_crafted_save_cannot_change_the_certified_identity(make_user, temp_db):
    user = make_user(fc_sub="fc-sub-held", birth_name="DUBOIS", first_names="Angela")
    dossier = drafts.create_draft(user.id, PTP)
    before = {key: dossier.answers[key] for key in IDENTITY}
    assert before["nom_naissance"] == "DUBOIS" and before["date_naissance"]

    result = drafts.save_answers(user.id, dossier.id, {**IDENTITY, "nom_usage": "Leroy"})

    assert {key: result.answers[key] for key in IDENTITY} == before
    assert result.answers["nom_usage"] == "Leroy"  # not certified: still the person's to change
    with Session(temp_db) as db:
        stored = db.get(Dossier, dossier.id).answers
    assert {key: stored[key] for key in IDENTITY} == before
    reasons = held.step_reasons(dossier.id, registry.get(PTP))
    assert reasons == dict.fromkeys(IDENTITY, held.CERTIFIED)


def test_without_franceconnect_the_prefilled_identity_stays_editable(make_user):
    user = make_user()
    dossier = drafts.create_draft(user.id, PTP)
    result = drafts.save_answers(user.id, dossier.id, IDENTITY)
    assert {key: result.answers[key] for key in IDENTITY} == IDENTITY
    assert held.step_reasons(dossier.id, registry.get(PTP)) == {}


def test_a_draft_for_a_relation_holds_nothing_certified(make_user, temp_db):
    user = make_user(fc_sub="fc-sub-relation")
    dossier = drafts.create_draft(user.id, PTP)
    child = {"link": "enfant", "birth_name": "Martin", "first_names": "Léa", "birth_date": "2012-06-01"}
    relation = relations.save(user.id, forms.PERSON, {**child, "usage_name": "", "birthplace": "Lyon"}).relation
    with Session(temp_db) as db:
        stored = db.get(Dossier, dossier.id)
        # PTP is filed for oneself only; as if it were for the child, whom the certificate says nothing of.
        stored.relation_id = relation.id
        db.add(stored)
        db.commit()
    assert held.step_reasons(dossier.id, registry.get(PTP)) == {}


def test_only_steps_with_a_certified_prefill_read_the_dossier():
    ptp = registry.get(PTP)
    assert held.may_hold(ptp, ptp.steps[0])
    attestation = registry.get("demande-attestation")
    assert not any(held.may_hold(attestation, step) for step in attestation.steps)
