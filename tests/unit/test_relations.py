"""Mes relations: the form's rules, owner-only access, deletion while used, frozen copies."""

from __future__ import annotations

from datetime import date

import pytest

from portal_app.domain.dossiers import drafts, filing
from portal_app.domain.relations import forms, relations
from tests.support.demarche_data import PTP, attestation_answers, unique_siret
from tests.support.outbox import outbox_mails, text

ATTESTATION = "demande-attestation"
CHILD = {
    "link": "enfant",
    "birth_name": "Martin",
    "usage_name": "",
    "first_names": "Léa",
    "birth_date": "2012-06-01",
    "birthplace": "Lyon",
}


def company(siret: str | None = None) -> dict:
    return {
        "siret": siret or unique_siret(),
        "company_name": "Atelier Dupont",
        "address_line": "3 rue des Lilas",
        "postal_code": "69003",
        "city": "Lyon",
        "holder_role": "Gérante",
    }


def test_a_person_needs_link_names_birth_date_and_birthplace():
    _, errors = forms.clean(forms.PERSON, {})
    assert set(errors) == {"link", "birth_name", "first_names", "birth_date", "birthplace"}
    assert errors["link"] == "Indiquez votre lien avec cette personne."
    cleaned, errors = forms.clean(forms.PERSON, {**CHILD, "first_names": "  Léa   Anne "})
    assert errors == {} and cleaned["first_names"] == "Léa Anne" and cleaned["birth_date"] == date(2012, 6, 1)


def test_a_child_may_be_young_but_not_born_tomorrow():
    today = date(2026, 12, 2)
    assert forms.clean_person({**CHILD, "birth_date": "2026-12-01"}, today)[1] == {}
    assert forms.clean_person({**CHILD, "birth_date": "2026-12-03"}, today)[1] == {
        "birth_date": "La date de naissance ne peut pas être dans le futur."
    }
    assert "birth_date" in forms.clean_person({**CHILD, "birth_date": "01/06/2012"}, today)[1]
    assert "birth_name" in forms.clean_person({**CHILD, "birth_name": "M4rtin"}, today)[1]


def test_a_company_siret_is_checked_as_everywhere_else():
    assert forms.clean(forms.COMPANY, company())[1] == {}
    assert forms.clean(forms.COMPANY, company("12345678901234"))[1] == {
        "siret": "Le numéro SIRET n'est pas valide : vérifiez votre saisie."
    }
    _, errors = forms.clean(forms.COMPANY, {})
    assert set(errors) == {"siret", "company_name", "address_line", "postal_code", "city", "holder_role"}
    assert forms.clean("robot", {})[1] == {"kind": "Indiquez s'il s'agit d'une personne ou d'une entreprise."}


def test_relations_are_their_owner_s_only(make_user):
    owner, other = make_user(), make_user("autre@exemple.fr")
    child = relations.save(owner.id, forms.PERSON, CHILD).relation
    assert [r.id for r in relations.list_for(owner.id)] == [child.id]
    assert relations.list_for(other.id) == []
    for attempt in (
        lambda: relations.get_owned(other.id, child.id),
        lambda: relations.save(other.id, forms.PERSON, CHILD, child.id),
        lambda: relations.delete(other.id, child.id),
        lambda: relations.get_owned(owner.id, 10**6),
    ):
        with pytest.raises(relations.NotFound):
            attempt()
    # Nor may a draft be made for someone else's relation.
    with pytest.raises(drafts.NotFound):
        drafts.create_draft(other.id, ATTESTATION, relation_id=child.id)
    assert relations.get_owned(owner.id, child.id).first_names == "Léa"


def test_an_edit_keeps_the_kind_and_refuses_bad_values_whole(make_user):
    owner = make_user()
    child = relations.save(owner.id, forms.PERSON, CHILD).relation
    refused = relations.save(owner.id, forms.COMPANY, {**CHILD, "birthplace": ""}, child.id)
    assert refused.errors == {"birthplace": "Indiquez le lieu de naissance."}
    assert relations.get_owned(owner.id, child.id).birthplace == "Lyon"
    relations.save(owner.id, forms.COMPANY, {**CHILD, "first_names": "Léonie"}, child.id)
    edited = relations.get_owned(owner.id, child.id)
    assert edited.kind == forms.PERSON and edited.first_names == "Léonie"


def test_for_whom_decides_who_a_draft_may_be_for(make_user):
    owner = make_user()
    child = relations.save(owner.id, forms.PERSON, CHILD).relation
    with pytest.raises(drafts.Refused):
        drafts.create_draft(owner.id, PTP, relation_id=child.id)  # the PTP is for oneself only
    draft = drafts.create_draft(owner.id, ATTESTATION, relation_id=child.id)
    assert draft.relation_id == child.id and draft.for_whom["name"] == "Léa Martin"
    mine = drafts.create_draft(owner.id, ATTESTATION)
    assert mine.relation_id is None and mine.for_whom == {}


def test_a_company_draft_takes_its_address_not_the_holder_s_identity(make_user):
    owner = make_user()
    firm = relations.save(owner.id, forms.COMPANY, company()).relation
    draft = drafts.create_draft(owner.id, ATTESTATION, relation_id=firm.id)
    assert draft.answers["adresse.city"] == "Lyon" and draft.answers["adresse.postal_code"] == "69003"
    assert draft.answers["email"] == owner.email  # the holder's contact stays
    assert draft.for_whom["description"].startswith("Atelier Dupont (SIRET ")


def test_a_relation_used_by_a_draft_cannot_be_deleted(make_user):
    owner = make_user()
    child = relations.save(owner.id, forms.PERSON, CHILD).relation
    draft = drafts.create_draft(owner.id, ATTESTATION, relation_id=child.id)
    with pytest.raises(relations.InUse) as refused:
        relations.delete(owner.id, child.id)
    assert "brouillon" in str(refused.value)
    drafts.delete_draft(owner.id, draft.id)
    relations.delete(owner.id, child.id)
    assert relations.list_for(owner.id) == []


def test_filing_freezes_the_relation_in_the_dossier(make_user, temp_db):
    owner = make_user()
    child = relations.save(owner.id, forms.PERSON, CHILD).relation
    draft = drafts.create_draft(owner.id, ATTESTATION, relation_id=child.id)
    # Edited while the draft is open: the draft follows.
    relations.save(owner.id, forms.PERSON, {**CHILD, "usage_name": "Durand"}, child.id)
    assert drafts.get_owned(owner.id, draft.id).for_whom["name"] == "Léa Durand"
    drafts.save_answers(owner.id, draft.id, attestation_answers())
    filed = filing.submit(owner.id, draft.id, sworn=True)
    assert filed.ok, filed.errors
    # The acknowledgement goes to the holder and says for whom.
    (ack,) = [m for m in outbox_mails() if "déposé" in m["subject"]]
    assert ack["to"] == owner.email and "« Demande d'attestation » pour Léa Durand a bien" in text(ack)
    # Edited, then deleted, after filing: the dossier keeps its copy.
    relations.save(owner.id, forms.PERSON, {**CHILD, "first_names": "Zoé"}, child.id)
    relations.delete(owner.id, child.id)
    dossier = drafts.get_owned(owner.id, draft.id)
    assert dossier.relation_id is None
    assert dossier.for_whom["name"] == "Léa Durand" and dossier.for_whom["birthplace"] == "Lyon"


def test_account_deletion_takes_the_relations(make_user):
    from portal_app.domain.accounts import deletion
    from tests.support.users import PASSWORD

    owner = make_user()
    child = relations.save(owner.id, forms.PERSON, CHILD).relation
    drafts.create_draft(owner.id, ATTESTATION, relation_id=child.id)
    assert deletion.delete_account(owner.id, PASSWORD).ok
    with pytest.raises(relations.NotFound):
        relations.get_owned(owner.id, child.id)


def test_the_agency_sees_for_whom_a_dossier_was_filed(make_user):
    from portal_app.domain.backoffice import views

    owner = make_user()
    firm = relations.save(owner.id, forms.COMPANY, company("73282932000074")).relation
    draft = drafts.create_draft(owner.id, ATTESTATION, relation_id=firm.id)
    drafts.save_answers(owner.id, draft.id, attestation_answers())
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    (row,) = views.search_dossiers(views.Filters()).rows
    assert row.for_whom == "pour Atelier Dupont"
    dossier = drafts.get_owned(owner.id, draft.id)
    assert dict(relations.snapshot_rows(dossier.for_whom)) == {
        "Raison sociale": "Atelier Dupont",
        "SIRET": "73282932000074",
        "Adresse": "3 rue des Lilas, 69003 Lyon",
        "Rôle du demandeur": "Gérante",
    }
    assert relations.snapshot_rows({}) == []


def test_suivi_names_a_relation_without_its_surname(make_user):
    owner = make_user()
    child = relations.save(owner.id, forms.PERSON, {**CHILD, "first_names": "Léa Anne"}).relation
    assert relations.for_whom_public(relations.snapshot(child)) == "pour Léa M."
    firm = relations.save(owner.id, forms.COMPANY, company()).relation
    assert relations.for_whom_public(relations.snapshot(firm)) == "pour Atelier Dupont"
    assert relations.for_whom_public({}) == ""
