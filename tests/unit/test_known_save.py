"""A tab's save of a draft nobody changed since it read it (drafts.Known): one UPDATE, no read
first (issue 18). Whatever the tab claims, the row decides: a draft that moved, was filed, is
another's, or an answer a dossier may hold, goes through the full save and its refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import Session

from portal_app.domain.dossiers import drafts, filing
from portal_app.models import Dossier
from tests.support.demarche_data import PTP
from tests.support.filing import filled_draft


def _known(dossier: Dossier) -> drafts.Known:
    return drafts.Known(dossier.version, dossier.demarche_code, dict(dossier.answers))


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2].split()[0].upper()))
    return seen


def test_a_tab_that_knows_the_draft_writes_it_in_one_statement(make_user, temp_db):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    seen = _statements(temp_db)

    result = drafts.save_answer(user.id, draft.id, "metier_vise", "Infirmière", known=_known(draft))

    assert seen == ["UPDATE"]
    assert result.version == draft.version + 1 and not result.changed_elsewhere
    assert result.answers == {**draft.answers, "metier_vise": "Infirmière"}
    stored = drafts.get_owned(user.id, draft.id)
    assert stored.answers == result.answers and stored.version == result.version


def test_a_draft_changed_by_another_tab_keeps_that_tabs_answer(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    stale = _known(draft)
    drafts.save_answer(user.id, draft.id, "poste", "Vendeuse", known=stale)

    result = drafts.save_answer(user.id, draft.id, "metier_vise", "Infirmière", known=stale)

    assert result.changed_elsewhere and result.version == draft.version + 2
    stored = drafts.get_owned(user.id, draft.id).answers
    assert stored["poste"] == "Vendeuse" and stored["metier_vise"] == "Infirmière"


def test_a_filed_dossier_is_locked_whatever_the_tab_knows(make_user):
    user = make_user()
    dossier = filled_draft(user.id)
    known = _known(drafts.get_owned(user.id, dossier.id))
    filing.submit(user.id, dossier.id, sworn=True)
    # The tab still holds the version it read before filing; the row moved (number, status).
    with pytest.raises(drafts.Locked):
        drafts.save_answer(user.id, dossier.id, "metier_vise", "Pirate", known=known)
    # Even a tab claiming the filed version: the status is not one its owner may change.
    filed = drafts.get_owned(user.id, dossier.id)
    with pytest.raises(drafts.Locked):
        drafts.save_answer(user.id, dossier.id, "metier_vise", "Pirate", known=_known(filed))
    assert drafts.get_owned(user.id, dossier.id).answers["metier_vise"] != "Pirate"


def test_another_persons_draft_is_not_found_even_with_its_exact_version(make_user):
    owner = make_user()
    intruder = make_user("intrus@exemple.fr")
    draft = drafts.create_draft(owner.id, PTP)
    with pytest.raises(drafts.NotFound):
        drafts.save_answer(intruder.id, draft.id, "metier_vise", "Pirate", known=_known(draft))
    assert "metier_vise" not in drafts.get_owned(owner.id, draft.id).answers


def test_a_certified_answer_stays_held_whatever_the_tab_knows(make_user, temp_db):
    user = make_user(fc_sub="fc-sub-known", birth_name="DUBOIS")
    draft = drafts.create_draft(user.id, PTP)
    result = drafts.save_answer(user.id, draft.id, "nom_naissance", "AUTRE", known=_known(draft))
    assert result.answers["nom_naissance"] == "DUBOIS"
    with Session(temp_db) as db:
        assert db.get(Dossier, draft.id).answers["nom_naissance"] == "DUBOIS"


def test_an_answer_the_demarche_does_not_ask_is_refused(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    with pytest.raises(drafts.Refused):
        drafts.save_answer(user.id, draft.id, "inconnu", "x", known=_known(draft))
    assert drafts.get_owned(user.id, draft.id).version == draft.version


def test_a_save_is_prepared_without_the_database_and_written_by_one_update(make_user, temp_db):
    """What the draft state answers at once (states/saves_behind.py) is computed with no
    statement; the write is the one UPDATE, and refuses a row that moved since."""
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    seen = _statements(temp_db)

    prepared = drafts.prepare_known(user.id, draft.id, {"metier_vise": "Infirmière"}, _known(draft))

    assert seen == []
    assert prepared is not None and prepared.result.version == draft.version + 1
    assert prepared.result.answers == {**draft.answers, "metier_vise": "Infirmière"}
    assert drafts.write_prepared(prepared) == prepared.result
    assert seen == ["UPDATE"]
    assert drafts.get_owned(user.id, draft.id).answers["metier_vise"] == "Infirmière"
    # The same write again finds the row one version on: it writes nothing.
    assert drafts.write_prepared(prepared) is None
    assert drafts.get_owned(user.id, draft.id).version == draft.version + 1


def test_nothing_is_prepared_for_what_only_the_full_save_decides(make_user):
    user = make_user()
    drafts.save_answer(user.id, drafts.create_draft(user.id, PTP).id, "poste", "Vendeuse")
    draft = drafts.list_for_owner(user.id)[0]
    known = _known(draft)
    assert drafts.prepare_known(user.id, draft.id, {"pas_une_question": "x"}, known) is None
    assert drafts.prepare_known(user.id, draft.id, {"poste": "Vendeuse"}, known) is None  # no change
    assert drafts.prepare_known(-user.id, draft.id, {"poste": "Vendeuse"}, known) is None
