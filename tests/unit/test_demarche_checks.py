"""The checks at import: each mistake a designer makes in a démarche module is refused with an
error naming the démarche and the field, and `check-demarches` lists every problem at once."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date

import pytest

from portal_app import cli
from portal_app.domain.dossiers import demarche as d
from portal_app.domain.dossiers.catalogue_checks import catalogue_problems
from portal_app.domain.dossiers.drafts import profile_values
from portal_app.models import User

STATUSES = (
    d.StatusSpec("brouillon", "Brouillon", "grey", owner_can_edit=True),
    d.StatusSpec("depose", "Déposé", "blue"),
    d.StatusSpec("accepte", "Accepté", "green", terminal=True),
    d.StatusSpec("reouvert", "Réouvert", "orange", owner_can_edit=True),
)
TRANSITIONS = (
    d.Transition("brouillon", "depose", ("owner",)),
    d.Transition("depose", "accepte", ("agent",)),
    d.Transition("depose", "reouvert", ("agent",)),
    d.Transition("reouvert", "depose", ("owner",)),
)
FIELDS = (
    d.FieldSpec("nom", "Nom", prefill="birth_name"),
    d.FieldSpec("salarie", "Êtes-vous salarié ?", d.YES_NO),
    d.FieldSpec("employeur", "Employeur", visible_if=("salarie", "oui")),
    d.FieldSpec("adresse", "Adresse", d.ADDRESS, prefill="address"),
)
PIECES = (d.PieceSpec("identite", "Pièce d'identité"), d.PieceSpec("contrat", "Contrat", visible_if=("salarie", "oui")))


def declare(fields=FIELDS, statuses=STATUSES, transitions=TRANSITIONS, pieces=PIECES) -> d.Demarche:
    return d.Demarche(
        code="essai-checks",
        title="Essai",
        description="",
        audience=("beneficiary",),
        number_prefix="CHK",
        steps=(d.Step("un", "Un", fields=fields[:2]), d.Step("deux", "Deux", fields=fields[2:])),
        statuses=statuses,
        transitions=transitions,
        pieces=pieces,
    )


def refusal(**changes) -> d.DeclarationError:
    with pytest.raises(d.DeclarationError) as caught:
        declare(**changes)
    assert str(caught.value).startswith("démarche 'essai-checks': ")
    return caught.value


def test_a_consistent_declaration_passes():
    assert declare().code == "essai-checks"


def test_visible_if_on_an_unknown_field():
    error = refusal(fields=(*FIELDS, d.FieldSpec("detail", "Détail", visible_if=("salariee", "oui"))))
    assert error.problems == ["field 'detail': visible_if on unknown field 'salariee'"]


def test_a_piece_visible_if_on_an_unknown_field():
    error = refusal(pieces=(*PIECES, d.PieceSpec("rib", "RIB", visible_if=("banque", "oui"))))
    assert error.problems == ["piece 'rib': visible_if on unknown field 'banque'"]


def test_visible_if_on_a_value_the_field_never_takes():
    error = refusal(fields=(*FIELDS, d.FieldSpec("detail", "Détail", visible_if=("salarie", ("oui", "Oui")))))
    assert error.problems == ["field 'detail': visible_if value Oui is not an option of 'salarie'"]


def test_two_fields_with_one_name():
    error = refusal(fields=(*FIELDS, d.FieldSpec("nom", "Nom d'usage")))
    assert error.problems == ["field 'nom': two fields have this name (duplicated)"]


def test_a_transition_to_an_unknown_status():
    error = refusal(transitions=(*TRANSITIONS, d.Transition("depose", "acceptee", ("agent",))))
    assert error.problems == ["transition depose -> acceptee: unknown status"]


def test_an_unreachable_status():
    error = refusal(transitions=tuple(t for t in TRANSITIONS if t.target != "accepte"))
    assert error.problems == ["status 'accepte' is unreachable: no transition leads to it from 'brouillon'"]


def test_a_piece_code_used_twice():
    error = refusal(pieces=(*PIECES, d.PieceSpec("identite", "Passeport")))
    assert error.problems == ["piece 'identite': two pieces have this code (used twice)"]


@pytest.mark.parametrize(
    ("field", "wrong"),
    [
        (d.FieldSpec("prenom", "Prénom", prefill="first_name"), "first_name"),
        (d.FieldSpec("lieu", "Lieu", d.ADDRESS, prefill="adresse"), "adresse"),
        # An address part is a key of the profile, but a plain field cannot take the whole address.
        (d.FieldSpec("ville", "Ville", prefill="address"), "address"),
    ],
)
def test_a_prefill_key_the_profile_does_not_have(field, wrong):
    error = refusal(fields=(*FIELDS, field))
    assert len(error.problems) == 1
    assert error.problems[0].startswith(f"field {field.name!r}: prefill {wrong!r} is not in the profile")


def test_every_mistake_is_listed_at_once():
    error = refusal(
        fields=(*FIELDS, d.FieldSpec("nom", "Nom"), d.FieldSpec("x", "X", visible_if=("y", "oui"))),
        pieces=(*PIECES, d.PieceSpec("contrat", "Contrat")),
        transitions=TRANSITIONS[:1],
    )
    assert len(error.problems) == 5, error.problems


def test_the_prefill_keys_are_the_profiles():
    user = User(email="a@exemple.fr", role="beneficiary", password_hash="x", birth_date=date(1990, 1, 1))
    assert set(profile_values(user)) == d.PROFILE_KEYS


# ---------------------------------------------------------------- the command

_packages = itertools.count()

# A démarche module as a designer writes it: the usual statuses, then `{fields}` and `{transitions}`.
MODULE = """
from portal_app.demarches._common import BROUILLON, DEPOSE, REOUVERT, OWNER, AGENCY
from portal_app.domain.dossiers.demarche import Demarche, FieldSpec, Step, Transition

DEMARCHE = Demarche(
    code="essai-checks",
    title="Essai",
    description="",
    audience=("beneficiary",),
    number_prefix="CHK",
    steps=(Step("un", "Un", fields=({fields})),),
    statuses=(BROUILLON, DEPOSE, REOUVERT),
    transitions=({transitions}),
)
"""
GOOD = MODULE.format(
    fields='FieldSpec("nom", "Nom"),',
    transitions="Transition('brouillon', 'depose', (OWNER,)), Transition('depose', 'reouvert', AGENCY)",
)
BROKEN = MODULE.format(
    fields='FieldSpec("nom", "Nom"), FieldSpec("nom", "Nom")',
    transitions="Transition('brouillon', 'depose', (OWNER,)),",
)


def catalogue(tmp_path, monkeypatch, **modules: str) -> str:
    """A throwaway catalogue package holding these modules; its importable name."""
    name = f"catalogue_essai_{next(_packages)}"
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_the_shipped_catalogue_has_no_problem(capsys):
    assert cli.main(["check-demarches"]) == 0
    assert "aucun problème" in capsys.readouterr().out


def test_check_demarches_lists_every_problem_of_every_module(tmp_path, monkeypatch, capsys):
    package = catalogue(
        tmp_path,
        monkeypatch,
        casse=BROKEN,
        bonne=GOOD,
        sans_demarche="VALUE = 1\n",
        _aide="RAISE = 1 / 0\n",  # helpers are not démarches
        syntaxe="DEMARCHE = (\n",
    )
    found, problems = catalogue_problems(package)
    assert [item.code for item in found] == ["essai-checks"]
    assert problems[:2] == [
        "casse.py: démarche 'essai-checks': field 'nom': two fields have this name (duplicated)",
        "casse.py: démarche 'essai-checks': status 'reouvert' is unreachable: no transition leads to it from 'brouillon'",
    ]
    assert problems[2] == "sans_demarche.py: no DEMARCHE = Demarche(...) (a helper module's name starts with '_')"
    assert problems[3].startswith("syntaxe.py: SyntaxError")
    assert len(problems) == 4

    assert cli.main(["check-demarches", "--package", package]) == 1
    printed = capsys.readouterr().err
    assert all(problem in printed for problem in problems) and "4 problème(s)" in printed


def test_two_modules_declaring_one_code(tmp_path, monkeypatch):
    package = catalogue(tmp_path, monkeypatch, premiere=GOOD, seconde=GOOD)
    _, problems = catalogue_problems(package)
    assert problems == ["seconde.py: démarche 'essai-checks' reuses the code or number prefix of 'essai-checks'"]


def test_error_names_the_field_when_a_frozen_copy_changes_it():
    # dataclasses.replace goes through __post_init__ too: a démarche derived from another is checked.
    with pytest.raises(d.DeclarationError, match="field 'employeur': visible_if on unknown field 'salarie'"):
        dataclasses.replace(declare(), steps=(d.Step("deux", "Deux", fields=FIELDS[2:]),))
