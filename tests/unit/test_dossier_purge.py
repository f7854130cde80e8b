"""Deleting an account takes its dossiers, drafts and filed ones, and what hangs on them."""

from sqlmodel import Session, select

from portal_app.domain import accounts
from portal_app.domain.dossiers import discussion, drafts, filing
from portal_app.models import Dossier, DossierHistory, DossierPiece, Message, MessageAttachment, Notification, User
from tests.support.corpus import pdf
from tests.support.demarche_data import PTP, ptp_answers
from tests.support.pieces import attach_required
from tests.support.users import PASSWORD


def test_account_deletion_removes_dossiers_and_their_discussion(make_user, temp_db):
    owner = make_user("camille@exemple.fr")
    agent = make_user("agent@exemple.fr", role="agent")
    other = make_user("autre@exemple.fr")
    draft = drafts.create_draft(owner.id, PTP)
    drafts.save_answers(owner.id, draft.id, ptp_answers())
    attach_required(owner.id, draft.id)
    filed = filing.submit(owner.id, draft.id, sworn=True).dossier
    drafts.create_draft(owner.id, PTP)
    kept = drafts.create_draft(other.id, PTP)
    discussion.open_or_post_agent_message(agent.id, filed.id, "Merci d'ajouter votre RIB.", files=[("rib.pdf", pdf())])

    assert accounts.delete_account(owner.id, PASSWORD).ok

    with Session(temp_db) as db:
        assert db.get(User, owner.id) is None
        assert [d.id for d in db.exec(select(Dossier)).all()] == [kept.id]
        for model in (Message, MessageAttachment, DossierPiece):
            assert db.exec(select(model)).all() == [], model.__name__
        assert db.exec(select(Notification).where(Notification.dossier_id == filed.id)).all() == []
        assert {h.dossier_id for h in db.exec(select(DossierHistory)).all()} == {kept.id}
