"""The birth place FranceConnect certifies (COG codes): named, prefilled where a démarche asks
for it, and held read-only in the holder's own draft; nothing for an account without it."""

from __future__ import annotations

from portal_app import demarches as registry
from portal_app.domain.dossiers import drafts, held
from portal_app.domain.franceconnect.places import place_name

BANK = "coordonnees-bancaires"


def test_a_place_is_named_from_its_codes_and_an_unknown_code_is_never_guessed():
    assert place_name("33063", "99100") == "Bordeaux (33)"
    assert place_name("75107", "99100") == "Paris 7e Arrondissement (75)"
    assert place_name("97411", "99100") == "Commune n° 97411 (974)"
    assert place_name("", "99134") == "Espagne"
    assert place_name("", "99999") == "Pays n° 99999"
    assert place_name("", "") == ""


def test_the_certified_birth_place_is_prefilled_and_held(make_user):
    user = make_user(fc_sub="fc-sub-place", birthplace="13055", birth_country="99100")
    dossier = drafts.create_draft(user.id, BANK)
    assert dossier.answers["lieu_naissance"] == "Marseille (13)"
    assert held.step_reasons(dossier.id, registry.get(BANK)) == {"lieu_naissance": held.CERTIFIED}
    saved = drafts.save_answers(user.id, dossier.id, {"lieu_naissance": "Ailleurs", "titulaire": "K. Haddad"})
    assert saved.answers["lieu_naissance"] == "Marseille (13)" and saved.answers["titulaire"] == "K. Haddad"


def test_born_abroad_the_country_is_prefilled_and_held(make_user):
    user = make_user(fc_sub="fc-sub-abroad", birthplace="", birth_country="99134")
    dossier = drafts.create_draft(user.id, BANK)
    assert dossier.answers["lieu_naissance"] == "Espagne"
    assert held.step_reasons(dossier.id, registry.get(BANK)) == {"lieu_naissance": held.CERTIFIED}


def test_without_franceconnect_the_birth_place_is_the_persons_to_type(make_user):
    user = make_user()
    dossier = drafts.create_draft(user.id, BANK)
    assert "lieu_naissance" not in dossier.answers
    assert held.step_reasons(dossier.id, registry.get(BANK)) == {}
    saved = drafts.save_answers(user.id, dossier.id, {"lieu_naissance": "Lyon"})
    assert saved.answers["lieu_naissance"] == "Lyon"
