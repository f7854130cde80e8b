"""The démarche engine: declarations, conditional fields, validation, recap, transitions."""

from __future__ import annotations

import pytest

from portal_app import demarches
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import demarche as d
from portal_app.domain.dossiers.answer_checks import date_after, parse_amount
from tests.support.demarche_data import VALID_SIRET, attestation_answers, ptp_answers

PTP = demarches.get("projet-transition-professionnelle")
ATT = demarches.get("demande-attestation")


def step(demarche, code):
    return demarche.step(code)


def test_registry_discovers_both_shipped_demarches():
    codes = {item.code for item in demarches.all_demarches()}
    assert {"projet-transition-professionnelle", "demande-attestation"} <= codes
    assert [item.code for item in demarches.for_role("beneficiary")]
    assert demarches.for_role("employer") == []


def test_ptp_declares_the_five_steps_and_the_life_cycle():
    assert [s.code for s in PTP.steps] == ["situation", "projet", "formation", "financement", "pieces"]
    assert PTP.number_prefix == "PTP"
    assert {s.code for s in PTP.statuses} >= {
        "brouillon",
        "depose",
        "en_instruction",
        "accepte",
        "refuse",
        "classe_sans_suite",
        "a_completer",
        "reouvert",
    }
    assert PTP.transition("en_instruction", "refuse").needs_motivation
    assert PTP.transition("en_instruction", "classe_sans_suite").needs_motivation
    assert not PTP.transition("en_instruction", "accepte").needs_motivation
    assert PTP.transition("brouillon", "accepte") is None
    assert "owner" in PTP.transition("reouvert", "depose").who
    assert [s.code for s in PTP.statuses if s.terminal] == ["accepte", "refuse", "classe_sans_suite"]


def test_complete_answers_are_valid():
    assert rules.validate_all(PTP, ptp_answers()) == {}
    assert rules.validate_all(ATT, attestation_answers()) == {}


def test_required_fields_are_reported_in_form_order():
    errors = rules.validate_step(PTP, step(PTP, "formation"), {})
    assert list(errors)[:3] == ["formation_intitule", "organisme_nom", "organisme_siret"]
    assert errors["formation_intitule"] == "Renseignez « Intitulé de la formation »."
    assert errors["certification"] == "Choisissez une réponse pour « Certification visée »."
    assert "code_certification" not in errors  # optional


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("123", "Le numéro SIRET doit comporter 14 chiffres."),
        ("73282932000075", "Le numéro SIRET n'est pas valide : vérifiez votre saisie."),
        ("732 829 320 00074", None),
    ],
)
def test_siret_fields_use_the_luhn_check(value, message):
    answers = {**ptp_answers(), "employeur_siret": value}
    assert rules.validate_step(PTP, step(PTP, "situation"), answers).get("employeur_siret") == message


def test_training_must_end_after_it_starts():
    answers = {**ptp_answers(), "date_debut": "2027-09-01", "date_fin": "2027-09-01"}
    errors = rules.validate_step(PTP, step(PTP, "formation"), answers)
    assert errors == {"date_fin": "La date doit être postérieure à la date de début de la formation."}
    answers["date_fin"] = "2027-08-31"
    assert "date_fin" in rules.validate_step(PTP, step(PTP, "formation"), answers)
    answers["date_debut"] = "pas une date"
    errors = rules.validate_step(PTP, step(PTP, "formation"), answers)
    # The end date cannot be compared with an invalid start: only the start is wrong.
    assert list(errors) == ["date_debut"]


@pytest.mark.parametrize(
    ("kind_value", "ok"),
    [("8 450,00", True), ("8450.5", True), ("8 450 €", True), ("8,455", False), ("-3", False), ("huit", False)],
)
def test_amounts_in_euros(kind_value, ok):
    answers = {**ptp_answers(), "cout_pedagogique": kind_value}
    assert ("cout_pedagogique" not in rules.validate_step(PTP, step(PTP, "formation"), answers)) is ok


def test_numbers_are_whole_and_within_bounds():
    answers = {**ptp_answers(), "duree_heures": "12,5"}
    assert "nombre entier" in rules.validate_step(PTP, step(PTP, "formation"), answers)["duree_heures"]
    answers["duree_heures"] = "6000"
    assert rules.validate_step(PTP, step(PTP, "formation"), answers)["duree_heures"] == (
        "« Durée de la formation » doit être compris entre 1 et 5000 heures."
    )


def test_conditional_field_is_shown_validated_and_kept_only_when_its_condition_holds():
    answers = {**ptp_answers(), "temps_travail": "plein", "quotite": "abc"}
    situation = step(PTP, "situation")
    assert "quotite" not in [f.name for f in rules.visible_fields(PTP, situation, answers)]
    assert "quotite" not in rules.validate_step(PTP, situation, answers)
    assert "quotite" not in rules.clean_answers(PTP, answers)
    assert "quotite" not in [row.key for s in rules.recap(PTP, answers) for row in s.rows]

    answers["temps_travail"] = "partiel"
    assert "quotite" in [f.name for f in rules.visible_fields(PTP, situation, answers)]
    assert "entier" in rules.validate_step(PTP, situation, answers)["quotite"]
    answers["quotite"] = "80"
    assert rules.clean_answers(PTP, answers)["quotite"] == "80"


def test_condition_on_a_checkbox_list_and_on_several_values():
    financement = step(PTP, "financement")
    answers = {**ptp_answers(), "cofinancements": ["employeur"]}
    assert "montant_cpf" not in [f.name for f in rules.visible_fields(PTP, financement, answers)]
    answers["cofinancements"] = ["employeur", "cpf"]
    assert rules.validate_step(PTP, financement, answers) == {
        "montant_cpf": "Renseignez « Montant mobilisé sur votre CPF »."
    }
    answers["contrat"] = "interim"
    assert "date_fin_contrat" in rules.validate_step(PTP, step(PTP, "situation"), answers)


def test_a_field_under_a_hidden_field_is_hidden_too():
    base = d.Step(
        "a",
        "A",
        fields=(
            d.FieldSpec("first", "First", d.YES_NO),
            d.FieldSpec("second", "Second", d.YES_NO, visible_if=("first", "oui")),
            d.FieldSpec("third", "Third", visible_if=("second", "oui")),
        ),
    )
    demarche = d.Demarche(
        code="chain",
        title="Chain",
        description="",
        audience=("beneficiary",),
        steps=(base,),
        number_prefix="CHN",
        statuses=(
            d.StatusSpec("brouillon", "B", "grey"),
            d.StatusSpec("depose", "D", "blue"),
            d.StatusSpec("reouvert", "R", "orange"),
        ),
        transitions=(
            d.Transition("brouillon", "depose", ("owner",)),
            d.Transition("depose", "reouvert", ("agent",)),
        ),
    )
    answers = {"first": "non", "second": "oui"}
    assert [f.name for f in rules.visible_fields(demarche, base, answers)] == ["first"]


def test_address_is_checked_part_by_part():
    formation = step(PTP, "formation")
    answers = {
        **ptp_answers(),
        "modalite": "mixte",
        "lieu_formation.line": "3 rue Haute",
        "lieu_formation.postal_code": "7501",
    }
    errors = rules.validate_step(PTP, formation, answers)
    assert errors == {
        "lieu_formation.postal_code": "Le code postal doit comporter 5 chiffres, par exemple 75001.",
        "lieu_formation.city": "Indiquez la commune pour « Lieu de la formation ».",
    }


def test_long_text_limit_and_checkbox_values():
    projet = step(PTP, "projet")
    answers = {**ptp_answers(), "motivations": "x" * 1501}
    assert rules.validate_step(PTP, projet, answers) == {
        "motivations": "« Vos motivations » ne doit pas dépasser 1500 caractères."
    }
    assert rules.storable_value(PTP.field_named("cofinancements"), "cofinancements", ["cpf", "pirate"]) is None
    assert rules.storable_value(PTP.field_named("cofinancements"), "cofinancements", ["region", "cpf"]) == [
        "cpf",
        "region",
    ]
    assert rules.storable_value(PTP.field_named("poste"), "poste", {"nested": 1}) is None
    assert rules.storable_value(PTP.field_named("poste"), "poste", "x" * 20_000) is None


def test_clean_answers_normalises_what_is_kept():
    answers = {
        **ptp_answers(),
        "employeur_siret": "732 829 320 00074",
        "telephone": "+33612345678",
        "cout_pedagogique": "8 450,5",
    }
    cleaned = rules.clean_answers(PTP, answers)
    assert cleaned["employeur_siret"] == VALID_SIRET
    assert cleaned["telephone"] == "06 12 34 56 78"
    assert cleaned["cout_pedagogique"] == "8450.50"
    assert parse_amount(cleaned["cout_pedagogique"]) == parse_amount("8 450,50")


def test_recap_groups_by_step_with_not_answered_and_incomplete_steps():
    answers = ptp_answers()
    del answers["poste"]
    recap = rules.recap(PTP, answers)
    assert [s.title for s in recap] == [s.title for s in PTP.steps]
    situation = recap[0]
    assert not situation.complete
    rows = {row.key: row for row in situation.rows}
    assert rows["poste"].value == rules.NOT_ANSWERED and rows["poste"].missing
    assert rows["nom_usage"].value == rules.NOT_ANSWERED and not rows["nom_usage"].missing
    assert rows["employeur_siret"].value == "732 829 320 00074"
    assert rows["contrat"].value == "Contrat à durée indéterminée (CDI)"
    assert rows["adresse"].value == "12 rue des Lilas, 75011 Paris"
    formation = {row.key: row.value for row in recap[2].rows}
    assert formation["date_debut"] == "01/09/2027"
    assert formation["cout_pedagogique"] == "8\u00a0450,00\u00a0€"
    assert formation["duree_heures"] == "4\u00a0200 heures"
    assert recap[4].pieces and "Le devis de l'organisme de formation" in recap[4].pieces
    # Pieces follow the answers too.
    assert "L'autorisation d'absence signée par votre employeur" not in recap[4].pieces
    text = rules.recap_text(PTP, answers, [("Le devis de l'organisme de formation", "devis.pdf")])
    assert "LA FORMATION" in text and "- Poste occupé : Non renseigné" in text
    # Only what was filed, with its file name; never the pieces merely asked for.
    assert "- Le devis de l'organisme de formation : devis.pdf" in text
    assert "Un relevé d'identité bancaire" not in text
    assert "- Aucune pièce jointe" in rules.recap_text(PTP, answers, [])


def test_step_states():
    answers = {"nom_naissance": "Martin"}
    states = rules.step_states(PTP, answers, checked=[])
    assert states == {
        "situation": "todo",
        "projet": "todo",
        "formation": "todo",
        "financement": "todo",
        "pieces": "todo",
    }
    states = rules.step_states(PTP, answers, checked=["situation", "pieces"])
    assert states["situation"] == "errors" and states["pieces"] == "done"
    states = rules.step_states(PTP, ptp_answers(), checked=[])
    assert states["formation"] == "done" and states["pieces"] == "todo"
    # The pieces step waits for the required pieces, whatever the answers say.
    states = rules.step_states(PTP, ptp_answers(), checked=["pieces"], pieces_missing=True)
    assert states["pieces"] == "errors" and states["formation"] == "done"
    assert rules.step_states(PTP, ptp_answers(), checked=[], pieces_missing=True)["pieces"] == "todo"


def test_inconsistent_declarations_are_refused_at_import():
    statuses = (
        d.StatusSpec("brouillon", "B", "grey"),
        d.StatusSpec("depose", "D", "blue"),
        d.StatusSpec("reouvert", "R", "orange"),
    )
    with pytest.raises(d.DeclarationError, match="visible_if on unknown field"):
        d.Demarche(
            code="broken",
            title="B",
            description="",
            audience=(),
            number_prefix="BRK",
            statuses=statuses,
            transitions=(),
            steps=(d.Step("a", "A", fields=(d.FieldSpec("x", "X", visible_if=("nope", "oui")),)),),
        )
    with pytest.raises(d.DeclarationError, match="duplicated"):
        d.Demarche(
            code="broken",
            title="B",
            description="",
            audience=(),
            number_prefix="BRK",
            statuses=statuses,
            transitions=(),
            steps=(
                d.Step("a", "A", fields=(d.FieldSpec("x", "X"),)),
                d.Step("b", "B", fields=(d.FieldSpec("x", "X"),)),
            ),
        )
    with pytest.raises(d.DeclarationError, match="unknown status"):
        d.Demarche(
            code="broken",
            title="B",
            description="",
            audience=(),
            number_prefix="BRK",
            statuses=statuses,
            transitions=(d.Transition("brouillon", "nulle-part", ("owner",)),),
            steps=(d.Step("a", "A"),),
        )
    with pytest.raises(d.DeclarationError, match="needs options"):
        d.Demarche(
            code="broken",
            title="B",
            description="",
            audience=(),
            number_prefix="BRK",
            statuses=statuses,
            transitions=(),
            steps=(d.Step("a", "A", fields=(d.FieldSpec("x", "X", d.RADIO),)),),
        )


def test_date_after_ignores_missing_dates():
    check = date_after("start", "La date de début")
    assert check("2027-01-01", {}) is None
    assert check("2027-01-01", {"start": "2027-01-02"}) == "La date doit être postérieure à la date de début."


def test_number_format():
    assert d.format_number("PTP", 2026, 42) == "PTP-2026-000042"
