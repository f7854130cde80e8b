"""PTP dossiers made through the domain in the test's own process (unit tests)."""

from __future__ import annotations

from tests.support.demarche_data import PTP, ptp_answers
from tests.support.pieces import attach_required


def filled_draft(user_id: int):
    """A draft with every answer and every required piece, not filed."""
    from portal_app.domain.dossiers import drafts

    draft = drafts.create_draft(user_id, PTP)
    drafts.save_answers(user_id, draft.id, ptp_answers())
    attach_required(user_id, draft.id)
    return draft


def filed_dossier(user_id: int):
    """A valid PTP dossier, filed."""
    from portal_app.domain.dossiers import filing

    result = filing.submit(user_id, filled_draft(user_id).id, sworn=True)
    assert result.ok, result.errors
    return result.dossier
