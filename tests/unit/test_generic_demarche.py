"""A démarche declared here, in a test module, renders, validates and submits with no page
code of its own: the proof that the engine is generic."""

from __future__ import annotations

from datetime import date

import pytest

from portal_app import demarches as registry
from portal_app.components.draft_fields import RENDERERS
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import demarche as d
from portal_app.domain.dossiers import drafts, filing
from portal_app.states.draft_views import field_views, recap_views, step_values, step_views
from tests.support.demarche_data import VALID_NIR, VALID_SIRET

EVERY_KIND = d.Step(
    "tout",
    "Un champ de chaque sorte",
    fields=(
        d.FieldSpec("texte", "Texte", prefill="first_names"),
        d.FieldSpec("long", "Texte long", d.LONG_TEXT, max_length=50),
        d.FieldSpec("courriel", "Courriel", d.EMAIL, prefill="email"),
        d.FieldSpec("tel", "Téléphone", d.PHONE, required=False),
        d.FieldSpec("jour", "Jour", d.DATE),
        d.FieldSpec("nombre", "Nombre", d.NUMBER, min_value=1, max_value=10),
        d.FieldSpec("somme", "Somme", d.AMOUNT),
        d.FieldSpec("liste", "Liste", d.SELECT, options=(("a", "A"), ("b", "B"))),
        d.FieldSpec("choix", "Choix", d.RADIO, options=(("x", "X"), ("y", "Y"))),
        d.FieldSpec("cases", "Cases", d.CHECKBOX, required=False, options=(("p", "P"), ("q", "Q"))),
        d.FieldSpec("oui_non", "Oui ou non", d.YES_NO),
        d.FieldSpec("si_oui", "Précisez", visible_if=("oui_non", "oui")),
        d.FieldSpec("siret", "SIRET", d.SIRET),
        d.FieldSpec("nir", "NIR", d.NIR, prefill="nir"),
        d.FieldSpec("adresse", "Adresse", d.ADDRESS, prefill="address"),
    ),
)
LAST = d.Step("fin", "Fin", fields=(d.FieldSpec("remarque", "Remarque", d.LONG_TEXT, required=False),))

ESSAI = d.Demarche(
    code="essai-generique",
    title="Démarche d'essai",
    description="Déclarée dans un module de test.",
    audience=("beneficiary",),
    number_prefix="ESS",
    steps=(EVERY_KIND, LAST),
    statuses=(
        d.StatusSpec("brouillon", "Brouillon", "grey", owner_can_edit=True),
        d.StatusSpec("depose", "Déposé", "blue"),
        d.StatusSpec("reouvert", "Réouvert", "orange", owner_can_edit=True),
    ),
    transitions=(
        d.Transition("brouillon", "depose", ("owner",)),
        d.Transition("depose", "reouvert", ("agent",)),
        d.Transition("reouvert", "depose", ("owner",)),
    ),
)

VALID = {
    "texte": "Bonjour",
    "long": "Un texte court.",
    "courriel": "essai@exemple.fr",
    "jour": "2027-01-15",
    "nombre": "3",
    "somme": "12,50",
    "liste": "b",
    "choix": "x",
    "cases": ["q"],
    "oui_non": "non",
    "siret": VALID_SIRET,
    "nir": VALID_NIR,
    "adresse.line": "1 rue de la Paix",
    "adresse.postal_code": "75002",
    "adresse.city": "Paris",
}


@pytest.fixture
def essai():
    registry.register(ESSAI)
    yield ESSAI
    registry.unregister(ESSAI.code)


@pytest.fixture
def owner(make_user):
    return make_user(
        "essai@exemple.fr",
        first_names="Lou",
        birth_name="Essai",
        birth_date=date(1990, 1, 1),
        address_line="1 rue de la Paix",
        postal_code="75002",
    )


def test_the_form_page_has_a_branch_for_every_kind():
    rendered = [kind for kinds, _ in RENDERERS for kind in kinds]
    assert sorted(rendered) == sorted(d.KINDS)  # each kind once


def test_it_is_in_the_catalogue_once_registered(essai):
    assert registry.get("essai-generique") is essai
    assert essai in registry.for_role("beneficiary")
    with pytest.raises(ValueError):
        registry.register(essai)  # the same code twice


def test_it_renders(essai):
    views = {view.key: view for view in field_views(essai, EVERY_KIND, {"oui_non": "non"}, {"nombre": "Trop grand."})}
    assert list(views) == [spec.name for spec in EVERY_KIND.fields]  # hidden ones too, in order
    assert not views["si_oui"].visible and views["texte"].visible
    assert views["courriel"].input_type == "email" and views["tel"].input_type == "tel"
    assert views["jour"].input_type == "date" and views["nombre"].input_mode == "numeric"
    assert views["somme"].input_mode == "decimal"
    assert views["long"].max_length == 50 and views["long"].described_by == "champ-long-compteur"
    assert [o.label for o in views["oui_non"].options] == ["Oui", "Non"]
    values = step_values(EVERY_KIND, {"oui_non": "non", "cases": ["q"], "adresse.city": "Paris"})
    assert values["oui_non"] == "non" and values["cases"] == ["q"] and values["texte"] == ""
    assert values["adresse.city"] == "Paris" and values["adresse.line"] == ""
    assert views["nombre"].error == "Trop grand." and views["nombre"].described_by == "champ-nombre-erreur"
    assert views["tel"].optional and not views["texte"].optional
    assert [p.key for p in views["adresse"].parts] == ["adresse.line", "adresse.postal_code", "adresse.city"]
    assert views["adresse"].parts[1].autocomplete == "postal-code"
    steps = step_views(essai, {}, [], "tout")
    assert [(s.number, s.title, s.current) for s in steps] == [(1, "Un champ de chaque sorte", True), (2, "Fin", False)]


def test_an_address_error_is_shown_once_beside_its_part(essai):
    errors = {"adresse.postal_code": "Le code postal a 5 chiffres.", "nombre": "Trop grand."}
    views = {view.key: view for view in field_views(essai, EVERY_KIND, {}, errors)}
    address = views["adresse"]
    assert [p.error for p in address.parts] == ["", "Le code postal a 5 chiffres.", ""]
    assert address.parts[1].described_by == "champ-adresse.postal-code-erreur"
    # Not repeated on the group: the sentence would be read and shown twice.
    assert address.error == ""


def test_it_validates(essai):
    errors = rules.validate_step(essai, EVERY_KIND, {**VALID, "nombre": "42", "siret": "123", "oui_non": "oui"})
    assert errors == {
        "nombre": "« Nombre » doit être compris entre 1 et 10.",
        "si_oui": "Renseignez « Précisez ».",
        "siret": "Le numéro SIRET doit comporter 14 chiffres.",
    }
    assert rules.validate_all(essai, VALID) == {}


def test_it_is_saved_and_submitted(essai, owner):
    draft = drafts.create_draft(owner.id, essai.code)
    # Prefilled from the profile, address included.
    assert draft.answers["texte"] == "Lou" and draft.answers["adresse.city"] == "Paris"
    for key, value in VALID.items():
        drafts.save_answer(owner.id, draft.id, key, value)
    drafts.save_answer(owner.id, draft.id, "si_oui", "caché, donc pas gardé")
    result = filing.submit(owner.id, draft.id, sworn=True)
    assert result.ok
    assert result.dossier.number.startswith("ESS-") and result.dossier.status == "depose"
    assert "si_oui" not in result.dossier.answers
    recap = recap_views(essai, result.dossier.answers, "/demarches/dossier/1")
    rows = {row.key: row.value for step in recap for row in step.rows}
    assert rows["somme"] == "12,50\u00a0€" and rows["cases"] == "Q" and rows["tel"] == rules.NOT_ANSWERED
    assert recap[0].edit_href == "/demarches/dossier/1?etape=tout&retour=recapitulatif"
