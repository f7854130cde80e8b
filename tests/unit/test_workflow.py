"""Status changes, notifications and the discussion, against a temporary SQLite database."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portal_app.domain import accounts
from portal_app.domain.core import audit
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import discussion, drafts, filing, notifications, workflow
from portal_app.models import AuditEntry, Dossier, DossierHistory, Message, MessageAttachment, Notification, User
from tests.support.filing import filled_draft
from tests.support.outbox import outbox_mails
from tests.support.pieces import attach_required

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"


@pytest.fixture
def filed(make_user):
    user = make_user()
    agent = make_user("agent@exemple.fr", role="agent", nir="")
    draft = filled_draft(user.id)
    attach_required(user.id, draft.id)
    filing.submit(user.id, draft.id, sworn=True)
    return user, agent, draft.id


def _status(dossier_id):
    from portal_app.domain.core.db import session_scope

    with session_scope() as db:
        return db.get(Dossier, dossier_id).status


# ---------------------------------------------------------------- transition table

ALLOWED = [
    ("depose", "en_instruction", "agent", ""),
    ("depose", "en_instruction", "system", ""),
    ("en_instruction", "a_completer", "agent", "Le devis manque."),
    ("a_completer", "en_instruction", "owner", ""),
    ("a_completer", "en_instruction", "agent", ""),
    ("en_instruction", "accepte", "agent", ""),
    ("en_instruction", "refuse", "agent", "Formation non éligible."),
    ("en_instruction", "classe_sans_suite", "agent", "Demande retirée."),
    ("depose", "reouvert", "agent", ""),
    ("reouvert", "depose", "owner", ""),
    ("brouillon", "depose", "owner", ""),
]
REFUSED = [
    ("depose", "accepte", "agent", ""),  # not instructed yet
    ("depose", "en_instruction", "owner", ""),
    ("en_instruction", "accepte", "owner", ""),
    ("en_instruction", "refuse", "agent", ""),  # motivation missing
    ("en_instruction", "classe_sans_suite", "agent", "   "),
    ("accepte", "en_instruction", "agent", ""),  # terminal
    ("refuse", "reouvert", "agent", ""),
    ("brouillon", "en_instruction", "agent", ""),
]


@pytest.mark.parametrize("source,target,role,motivation", ALLOWED)
def test_declared_moves_are_allowed(source, target, role, motivation):
    from portal_app import demarches

    ptp = demarches.get("projet-transition-professionnelle")
    assert workflow.check_transition(ptp, source, target, role, motivation).target == target


@pytest.mark.parametrize("source,target,role,motivation", REFUSED)
def test_other_moves_are_refused_with_a_french_message(source, target, role, motivation):
    from portal_app import demarches

    ptp = demarches.get("projet-transition-professionnelle")
    with pytest.raises(workflow.TransitionRefused) as error:
        workflow.check_transition(ptp, source, target, role, motivation)
    assert "statut" in str(error.value)


def test_allowed_targets_by_role(filed):
    user, _agent, dossier_id = filed
    dossier = drafts.get_owned(user.id, dossier_id)
    assert {s.code for s in workflow.allowed_targets(dossier, "agent")} == {
        "en_instruction",
        "classe_sans_suite",
        "reouvert",
    }
    assert workflow.allowed_targets(dossier, "owner") == []


def test_change_status_writes_history_and_checks_the_actor(filed, make_user):
    user, agent, dossier_id = filed
    other = make_user("other@exemple.fr", nir="")
    with pytest.raises(workflow.TransitionRefused):
        workflow.change_status(user.id, "agent", dossier_id, "en_instruction")  # not an agent
    with pytest.raises(drafts.NotFound):
        workflow.change_status(other.id, "owner", dossier_id, "depose")
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    workflow.change_status(agent.id, "agent", dossier_id, "refuse", "Formation non éligible.")
    rows = drafts.history(user.id, dossier_id)
    assert [(r.kind, r.from_status, r.to_status) for r in rows] == [
        ("created", "", "brouillon"),
        ("submitted", "brouillon", "depose"),
        ("status", "depose", "en_instruction"),
        ("status", "en_instruction", "refuse"),
    ]
    assert rows[-1].actor_id == agent.id and rows[-1].motivation == "Formation non éligible."
    assert _status(dossier_id) == "refuse"


# ---------------------------------------------------------------- notifications


def test_status_change_notifies_in_app_and_by_mail(filed):
    user, agent, dossier_id = filed
    before = len(outbox_mails())
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    assert notifications.unread_count(user.id) == 1
    [note] = notifications.list_for(user.id)
    assert note.kind == "status" and note.dossier_id == dossier_id and "En cours d'examen" in note.text
    mails = outbox_mails()[before:]
    assert len(mails) == 1 and "PTP-" in mails[0]["Subject"]
    assert f"/demarches/dossier/{dossier_id}/suivi" in mails[0].get_body(preferencelist=("plain",)).get_content()
    assert notifications.mark_read(user.id) == 1 and notifications.unread_count(user.id) == 0


def test_preferences_turn_mails_off_but_not_the_bell(filed):
    user, agent, dossier_id = filed
    accounts.update_preferences(user.id, notify_status=False, notify_messages=False)
    before = len(outbox_mails())
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    discussion.open_or_post_agent_message(agent.id, dossier_id, "Bonjour, une question.")
    assert len(outbox_mails()) == before
    assert [n.kind for n in notifications.list_for(user.id)] == ["message", "status"]


def test_message_mail_only_when_messages_are_wanted(filed):
    user, agent, dossier_id = filed
    accounts.update_preferences(user.id, notify_status=False, notify_messages=True)
    before = len(outbox_mails())
    discussion.open_or_post_agent_message(agent.id, dossier_id, "Bonjour, une question.")
    mails = outbox_mails()[before:]
    assert len(mails) == 1 and "nouveau message" in mails[0]["Subject"]


def test_the_owners_own_submission_is_not_a_notification(filed):
    user, _agent, _dossier_id = filed
    assert notifications.unread_count(user.id) == 0


def test_mark_one_read_only_for_its_owner(filed, make_user):
    user, agent, dossier_id = filed
    other = make_user("other@exemple.fr", nir="")
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    [note] = notifications.list_for(user.id)
    assert notifications.mark_read(other.id, note.id) == 0
    assert notifications.mark_read(user.id, note.id) == 1


# ---------------------------------------------------------------- discussion


def test_only_an_agent_opens_the_discussion(filed):
    user, agent, dossier_id = filed
    with pytest.raises(discussion.DiscussionError):
        discussion.post_owner_reply(user.id, dossier_id, "Bonjour")
    with pytest.raises(discussion.DiscussionError):
        discussion.open_or_post_agent_message(user.id, dossier_id, "Bonjour")


def test_completion_round_trip_with_a_pdf(filed):
    user, agent, dossier_id = filed
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    workflow.ask_completion(agent.id, dossier_id, "Merci de joindre le devis signé.")
    assert _status(dossier_id) == "a_completer"
    assert discussion.unread_by_dossier_for_owner(user.id) == {dossier_id: 1}
    assert discussion.awaits_reply(user.id, dossier_id)
    # One notification for the request (status), its mail quoting the message.
    assert [n.kind for n in notifications.list_for(user.id)] == ["status", "status"]
    assert "Merci de joindre le devis" in outbox_mails()[-1].get_body(preferencelist=("plain",)).get_content()

    assert discussion.mark_read(user.id, "owner", dossier_id) == 1
    assert discussion.unread_by_dossier_for_owner(user.id) == {}
    reply = discussion.post_owner_reply(user.id, dossier_id, "Voici le devis.", upload_files=[("devis.pdf", PDF)])
    assert _status(dossier_id) == "en_instruction"
    entries = discussion.thread(agent.id, "agent", dossier_id)
    assert [e.author_name for e in entries] == ["L'agence", "Camille Martin"]
    [attachment] = entries[-1].attachments
    assert attachment.kind == "pdf" and attachment.name == "devis.pdf"
    found = discussion.attachment_for(agent.id, attachment.id)
    assert found is not None and found[1].startswith(b"%PDF")
    assert discussion.attachment_for(user.id, attachment.id) is not None
    assert discussion.mark_read(agent.id, "agent", dossier_id) == 1  # the reply, read now
    assert discussion.mark_read(agent.id, "agent", dossier_id) == 0
    assert reply.author_role == "beneficiary"
    history = drafts.history(user.id, dossier_id)
    assert history[-1].actor_id == user.id and history[-1].to_status == "en_instruction"


class Injected(Exception):
    """A failure planted between two parts of one action."""


def _fail(*_args, **_kwargs):
    raise Injected


def _stored(dossier_id: int) -> tuple:
    """What an action may have written: status, messages, attachments, history, audit, notifications."""
    from portal_app.domain.core.db import session_scope

    with session_scope() as db:
        counts = tuple(
            len(db.exec(select(model)).all())
            for model in (Message, MessageAttachment, DossierHistory, AuditEntry, Notification)
        )
        return (db.get(Dossier, dossier_id).status, *counts)


@pytest.mark.parametrize("step", ["message", "audit"])
def test_a_completion_request_is_stored_whole_or_not_at_all(filed, tmp_path, monkeypatch, step):
    user, agent, dossier_id = filed
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    before, mails = _stored(dossier_id), len(outbox_mails(tmp_path))
    # The status is written first: failing at the message or at the audit entry must undo it.
    monkeypatch.setattr(*((discussion, "_add") if step == "message" else (audit, "record")), _fail)
    with pytest.raises(Injected):
        workflow.ask_completion(agent.id, dossier_id, "Merci de joindre le devis signé.")
    assert _stored(dossier_id) == before
    assert len(outbox_mails(tmp_path)) == mails  # no mail about a request that does not exist
    monkeypatch.undo()
    workflow.ask_completion(agent.id, dossier_id, "Merci de joindre le devis signé.")
    status, messages, attachments, history, entries, bell = before
    assert _stored(dossier_id) == ("a_completer", messages + 1, attachments, history + 1, entries + 1, bell + 1)
    assert len(outbox_mails(tmp_path)) == mails + 1


@pytest.mark.parametrize("reopen", [False, True])
def test_an_agent_s_move_and_its_audit_entry_are_one_action(filed, tmp_path, monkeypatch, reopen):
    user, agent, dossier_id = filed
    target = "reouvert" if reopen else "en_instruction"
    if reopen:
        workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    before, mails = _stored(dossier_id), len(outbox_mails(tmp_path))
    monkeypatch.setattr(audit, "record", _fail)
    with pytest.raises(Injected):
        workflow.change_status_by_agent(agent.id, dossier_id, target, "Pièce illisible.", reopen=reopen)
    assert _stored(dossier_id) == before
    assert len(outbox_mails(tmp_path)) == mails
    monkeypatch.undo()
    workflow.change_status_by_agent(agent.id, dossier_id, target, "Pièce illisible.", reopen=reopen)
    status, messages, attachments, history, entries, bell = before
    assert _stored(dossier_id) == (target, messages, attachments, history + 1, entries + 1, bell + 1)
    with session_scope() as db:
        entry = db.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == ("reopen" if reopen else "change_status")


def test_a_reply_and_the_status_it_changes_are_one_action(filed, monkeypatch):
    from portal_app.domain.core import filestore

    user, agent, dossier_id = filed
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    workflow.ask_completion(agent.id, dossier_id, "Merci de joindre le devis signé.")
    before = _stored(dossier_id)
    written = []
    real_write = filestore.write
    monkeypatch.setattr(filestore, "write", lambda data: written.append(real_write(data)) or written[-1])
    # The message is written first: failing at the status change must undo it, file included.
    monkeypatch.setattr(workflow, "apply", _fail)
    with pytest.raises(Injected):
        discussion.post_owner_reply(user.id, dossier_id, "Voici le devis.", upload_files=[("devis.pdf", PDF)])
    assert _stored(dossier_id) == before
    assert written and not any(filestore.path_of(name).exists() for name in written)
    monkeypatch.undo()
    discussion.post_owner_reply(user.id, dossier_id, "Voici le devis.", upload_files=[("devis.pdf", PDF)])
    status, messages, attachments, history, entries, bell = before
    assert _stored(dossier_id) == ("en_instruction", messages + 1, attachments + 1, history + 1, entries, bell)


def test_a_stranger_reads_neither_thread_nor_attachment(filed, make_user):
    user, agent, dossier_id = filed
    other = make_user("other@exemple.fr", nir="")
    message = discussion.open_or_post_agent_message(agent.id, dossier_id, "Le RIB", files=[("rib.pdf", PDF)])
    entry = discussion.thread(user.id, "owner", dossier_id)[0]
    assert entry.message.id == message.id
    with pytest.raises(drafts.NotFound):
        discussion.thread(other.id, "owner", dossier_id)
    with pytest.raises(drafts.NotFound):
        discussion.thread(other.id, "agent", dossier_id)  # claims a role it does not have
    assert discussion.attachment_for(other.id, entry.attachments[0].id) is None
    assert discussion.attachment_for(other.id, "abc") is None


def test_a_refused_file_refuses_the_reply(filed):
    user, agent, dossier_id = filed
    discussion.open_or_post_agent_message(agent.id, dossier_id, "Bonjour")
    with pytest.raises(discussion.DiscussionError):
        discussion.post_owner_reply(user.id, dossier_id, "Voici", upload_files=[("virus.exe", b"MZ\x90\x00" * 10)])
    assert len(discussion.thread(user.id, "owner", dossier_id)) == 1


def test_account_deletion_purges_notifications(filed, temp_db, monkeypatch):
    user, agent, dossier_id = filed
    workflow.change_status(agent.id, "agent", dossier_id, "en_instruction")
    with Session(temp_db) as db:
        notifications.purge_user_notifications(db, user.id)
        db.commit()
        assert db.exec(select(Notification).where(Notification.user_id == user.id)).all() == []


def test_piece_route_for_owner_and_agent_only(filed, make_user):
    from starlette.testclient import TestClient

    from portal_app.api import build_api
    from portal_app.domain.accounts import sessions
    from portal_app.domain.accounts.sessions import COOKIE_NAME
    from portal_app.domain.core.db import session_scope

    user, agent, dossier_id = filed
    other = make_user("other@exemple.fr", nir="")
    message = discussion.open_or_post_agent_message(agent.id, dossier_id, "Le courrier", files=[("courrier.pdf", PDF)])
    attachment = discussion.thread(agent.id, "agent", dossier_id)[0].attachments[0]
    assert attachment.message_id == message.id

    def get(who):
        api = TestClient(build_api(), follow_redirects=False)
        if who is not None:
            with session_scope() as db:
                api.cookies.set(COOKIE_NAME, sessions.open_session(db, db.get(User, who.id)))
        return api.get(f"/_portal/pieces/{attachment.id}")

    for who in (user, agent):
        response = get(who)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "private, no-store"
        assert response.headers["content-disposition"].startswith("attachment;")
    assert get(other).status_code == 404
    assert get(None).status_code == 303
