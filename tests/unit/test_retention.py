"""Retention: closed dossiers deleted with their files after the retention period, others
kept; the audit trail of a deleted account kept but pseudonymised."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from portal_app.domain.accounts import deletion
from portal_app.domain.core import audit, filestore
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import retention, workflow
from portal_app.models import AuditEntry, Dossier, FiledPiece
from portal_app.models.base import clock_set_back, utcnow
from tests.support.filing import filed_dossier
from tests.support.users import PASSWORD


def test_a_closed_dossier_goes_with_its_files_after_the_retention_period(make_user):
    owner = make_user()
    agent = make_user("agent@exemple.fr", role="agent")
    five_years = retention.retention()
    with clock_set_back(five_years + timedelta(days=1)):
        old = filed_dossier(owner.id)
        workflow.change_status(agent.id, workflow.AGENT, old.id, "en_instruction")
        workflow.change_status(agent.id, workflow.AGENT, old.id, "refuse", "Formation non éligible.")
        still_open = filed_dossier(owner.id)
    with clock_set_back(five_years - timedelta(days=1)):
        recent = filed_dossier(owner.id)
        workflow.change_status(agent.id, workflow.AGENT, recent.id, "en_instruction")
        workflow.change_status(agent.id, workflow.AGENT, recent.id, "refuse", "Formation non éligible.")
    with session_scope() as db:
        files = [p.stored_name for p in db.exec(select(FiledPiece).where(FiledPiece.dossier_id == old.id))]
    assert files and all(filestore.path_of(name).exists() for name in files)

    assert retention.purge_closed() == 1
    with session_scope() as db:
        assert db.get(Dossier, old.id) is None
        assert db.get(Dossier, still_open.id) is not None and db.get(Dossier, recent.id) is not None
    assert not any(filestore.path_of(name).exists() for name in files)
    assert retention.purge_closed(now=utcnow() + timedelta(days=2)) == 1  # the recent one's turn


def test_the_audit_trail_of_a_deleted_account_is_kept_pseudonymised(make_user):
    owner = make_user()
    agent = make_user("agent@exemple.fr", role="agent")
    dossier = filed_dossier(owner.id)
    with session_scope() as db:
        audit.record(db, agent.id, "download_document", dossier_id=dossier.id, name="bulletin-martin.pdf", files=1)
        audit.record(db, agent.id, "merge_accounts", target_user_id=owner.id, email=owner.email)

    assert deletion.delete_account(owner.id, PASSWORD).ok

    with session_scope() as db:
        rows = db.exec(select(AuditEntry).where(AuditEntry.agent_id == agent.id)).all()
    assert len(rows) == 2
    details = [row.details for row in rows]
    assert {"name": audit.PSEUDONYM, "files": 1} in details
    assert {"email": audit.PSEUDONYM} in details
    assert owner.email not in str(details) and "martin" not in str(details)
