"""After a save, the stepper checks again only the steps the answer can touch
(Demarche.steps_touched_by, draft_views.refreshed_step_views; issue 18). Whatever the answer,
the stepper must come out as a check of every step would draw it."""

from __future__ import annotations

import itertools

import pytest

from portal_app import demarches
from portal_app.domain.dossiers import demarche as d
from portal_app.domain.dossiers.answer_checks import date_after
from portal_app.states.draft_views import refreshed_step_views, step_views
from tests.support.demarche_data import attestation_answers, ptp_answers

_ATT = demarches.get("demande-attestation")


def _unmarked(value, answers):
    """A designer's validator that does not say it reads "a"."""
    return "Pas avec « oui »." if answers.get("a") == "oui" and value else None


def _essai(*steps: d.Step) -> d.Demarche:
    return d.Demarche(
        code="essai",
        title="Essai",
        description="",
        audience=("beneficiary",),
        steps=steps,
        statuses=_ATT.statuses,
        transitions=_ATT.transitions,
        number_prefix="ESS",
    )


# What the shipped démarches do not (yet): a field shown, and dates compared, across steps.
ACROSS = _essai(
    d.Step("un", "Un", (d.FieldSpec("a", "A", d.YES_NO), d.FieldSpec("e", "Début", d.DATE))),
    d.Step(
        "deux",
        "Deux",
        (
            d.FieldSpec("b", "B", visible_if=("a", "oui")),
            d.FieldSpec("f", "Fin", d.DATE, required=False, validators=(date_after("e", "Le début"),)),
        ),
    ),
    d.Step("trois", "Trois", (d.FieldSpec("g", "G", required=False, validators=(_unmarked,)),)),
)

CASES = [
    (demarches.get("projet-transition-professionnelle"), ptp_answers()),
    (_ATT, attestation_answers()),
    (ACROSS, {"a": "non", "e": "2020-01-01", "f": "2021-01-01", "g": "x"}),
]


def _values(spec: d.FieldSpec) -> list:
    """Answers that move a step's state: none, a wrong one, and the possible ones."""
    if spec.kind == d.CHECKBOX:
        return [[], [code for code, _ in spec.choices[:1]], [code for code, _ in spec.choices]]
    if spec.kind in d.CHOICE_KINDS:
        return ["", "pas-une-option", *(code for code, _ in spec.choices)]
    return ["", "x", "2019-01-01", "2020-01-01", "2999-12-31", "1"]


@pytest.mark.parametrize(("demarche", "filled"), CASES, ids=lambda value: getattr(value, "code", ""))
def test_the_refreshed_stepper_is_the_full_one(demarche, filled):
    codes = [step.code for step in demarche.steps]
    checked_sets = [[], codes]
    for spec, start, checked, pieces_missing in itertools.product(
        demarche.fields, ({}, filled), checked_sets, (False, True)
    ):
        before = step_views(demarche, start, checked, codes[0], pieces_missing)
        for key in spec.keys:
            for value in _values(spec):
                after_answers = {**start, key: value}
                expected = step_views(demarche, after_answers, checked, codes[0], pieces_missing)
                got = refreshed_step_views(demarche, before, after_answers, checked, pieces_missing, key)
                assert (got if got is not None else before) == expected, (demarche.code, key, value)


def test_an_answer_touches_its_step_and_the_steps_that_depend_on_it():
    ptp = demarches.get("projet-transition-professionnelle")
    # The contract decides whether its end date is asked (same step) and a piece (pieces step).
    assert ptp.steps_touched_by("contrat") == {"situation", "pieces"}
    # The training's start date is read by the end date's validator, on the same step.
    assert ptp.steps_touched_by("date_debut") == {"formation"}
    assert ptp.steps_touched_by("metier_vise") == {"projet"}
    assert ptp.controls_pieces("contrat") and not ptp.controls_pieces("metier_vise")
    assert ptp.controls_fields("contrat") and not ptp.controls_fields("metier_vise")


def test_a_validator_that_does_not_say_what_it_reads_is_asked_after_every_answer():
    assert ACROSS.steps_touched_by("a") == {"un", "deux", "trois"}
    assert ACROSS.steps_touched_by("e") == {"un", "deux", "trois"}
    assert ACROSS.steps_touched_by("b") == {"deux", "trois"}
