"""`new-demarche` writes a module that passes the checks and lint as it is, and files end to end
through the domain: draft, answers, piece, submission, instruction, decision."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from portal_app import cli
from portal_app import demarches as registry
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import drafts, filing, pieces, workflow
from portal_app.domain.dossiers.catalogue_checks import catalogue_problems
from portal_app.domain.dossiers.samples import sample_answers
from portal_app.domain.dossiers.scaffold import default_prefix
from tests.support.pieces import store_pdf

RUFF = Path(sys.executable).parent / "ruff"


@pytest.fixture
def package(tmp_path, monkeypatch, request):
    """An empty catalogue package of its own, importable for this test."""
    name = f"catalogue_{request.node.name[:40]}"
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def scaffold(package, capsys, *args) -> tuple[int, str]:
    code = cli.main(["new-demarche", *args, "--package", package])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_scaffolded_demarche_is_filed_end_to_end(package, capsys, make_user, tmp_path):
    code, printed = scaffold(package, capsys, "aide-mobilite", "Aide à la mobilité")
    assert code == 0, printed
    path = tmp_path / package / "aide_mobilite.py"
    assert f"Démarche créée : {path} (numéros AM-AAAA-000001)" in printed
    assert "/_apercu/aide-mobilite" in printed

    # As written: no problem for the checks, nothing for ruff to say.
    found, problems = catalogue_problems(package)
    assert problems == [] and [item.code for item in found] == ["aide-mobilite"]
    lint = subprocess.run([RUFF, "check", "--no-cache", path], capture_output=True, text=True)
    style = subprocess.run([RUFF, "format", "--check", "--no-cache", path], capture_output=True, text=True)
    assert lint.returncode == 0 and style.returncode == 0, lint.stdout + style.stdout

    demarche = importlib.import_module(f"{package}.aide_mobilite").DEMARCHE
    assert demarche.title == "Aide à la mobilité" and demarche.number_prefix == "AM"
    assert [step.code for step in demarche.steps] == ["demande", "pieces"] and len(demarche.pieces) == 1
    assert {status.code for status in demarche.statuses} == {
        "brouillon",
        "depose",
        "en_instruction",
        "accepte",
        "refuse",
        "reouvert",
    }

    registry.register(demarche)
    try:
        owner, agent = make_user(), make_user("agent@exemple.fr", role="agent", nir="190017512345687")
        draft = drafts.create_draft(owner.id, demarche.code)
        assert draft.answers == {"email": owner.email}  # prefilled from the profile
        answers = sample_answers(demarche)
        assert rules.validate_all(demarche, answers) == {}
        drafts.save_answers(owner.id, draft.id, answers)
        refused = filing.submit(owner.id, draft.id, sworn=True)
        assert not refused.ok  # the piece is missing
        assert pieces.attach(owner.id, draft.id, "justificatif", store_pdf(owner.id)) is None
        result = filing.submit(owner.id, draft.id, sworn=True)
        assert result.ok and result.dossier.number.startswith("AM-") and result.dossier.status == "depose"
        assert result.dossier.answers["precisions"] == answers["precisions"]
        workflow.change_status(agent.id, workflow.AGENT, draft.id, "en_instruction")
        assert workflow.change_status(agent.id, workflow.AGENT, draft.id, "accepte").status == "accepte"
    finally:
        registry.unregister(demarche.code)


def test_refusals_are_explained_and_write_nothing(package, capsys, tmp_path):
    assert scaffold(package, capsys, "aide-mobilite", "Aide")[0] == 0
    cases = [
        (("aide-mobilite", "Encore"), "La démarche « aide-mobilite » existe déjà."),
        (("autre-mobilite", "Autre", "--prefixe", "AM"), "Le préfixe AM est déjà celui de « aide-mobilite »"),
        (("Aide_Mobilite", "Aide"), "Code « Aide_Mobilite » : lettres minuscules"),
        (("velo", "   "), "Donnez un titre à la démarche."),
        (("velo", "Vélo", "--prefixe", "V1"), "Préfixe « V1 » : 2 à 6 lettres majuscules"),
    ]
    for args, message in cases:
        code, printed = scaffold(package, capsys, *args)
        assert code == 2 and message in printed, printed
    assert sorted(p.name for p in (tmp_path / package).glob("*.py")) == ["__init__.py", "aide_mobilite.py"]


def test_a_title_with_quotes_stays_a_python_string(package, capsys):
    assert scaffold(package, capsys, "velo", 'Aide "vélo" \\ """ fin', "--prefixe", "VELO")[0] == 0
    found, problems = catalogue_problems(package)
    assert problems == [] and found[0].title == 'Aide "vélo" \\ """ fin'


def test_default_prefix():
    assert default_prefix("aide-mobilite") == "AM"
    assert default_prefix("velo") == "VEL"
    assert default_prefix("demande-de-remboursement-des-frais-de-garde-enfant") == "DDRDFD"
