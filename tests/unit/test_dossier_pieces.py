"""Pièces justificatives: attach, detach, ownership, submission, freezing, purge."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portal_app.domain.core import filestore
from portal_app.domain.documents import wallet as docs
from portal_app.domain.dossiers import drafts, filed_pieces, filing, pieces
from portal_app.models import DossierPiece, FiledPiece
from tests.support.demarche_data import PTP, ptp_answers
from tests.support.outbox import outbox_mails
from tests.support.pieces import attach_required, store_pdf

REQUIRED = ["identite", "bulletins", "devis", "programme", "rib"]


@pytest.fixture
def owner(make_user):
    return make_user()


@pytest.fixture
def intruder(make_user):
    return make_user("intrus@exemple.fr", nir="190017512345687")


def draft_of(user_id: int, **answers):
    draft = drafts.create_draft(user_id, PTP)
    drafts.save_answers(user_id, draft.id, {**ptp_answers(), **answers})
    return draft


def by_code(user_id, dossier_id):
    return {status.code: status for status in pieces.pieces_status(user_id, dossier_id)}


def test_required_pieces_follow_the_answers(owner):
    draft = draft_of(owner.id, contrat="cdi", autorisation_absence="non", enquete_metier="non")
    assert [s.code for s in pieces.pieces_status(owner.id, draft.id)] == REQUIRED
    drafts.save_answers(
        owner.id, draft.id, {"contrat": "cdd", "date_fin_contrat": "2027-01-31", "enquete_metier": "oui"}
    )
    status = by_code(owner.id, draft.id)
    assert status["contrats"].required and not status["enquete"].required
    assert not any(s.attached for s in status.values())


def test_attach_shows_the_live_document_then_detach(owner):
    draft = draft_of(owner.id)
    document_id = store_pdf(owner.id, "carte.pdf")
    assert pieces.attach(owner.id, draft.id, "identite", document_id) is None
    status = by_code(owner.id, draft.id)["identite"]
    assert status.attached and status.name == "carte.pdf" and not status.frozen
    # A draft follows the porte-documents: renamed there, renamed here.
    assert docs.rename(owner.id, document_id, "passeport") is None
    assert by_code(owner.id, draft.id)["identite"].name == "passeport.pdf"
    assert pieces.detach(owner.id, draft.id, "identite")
    assert not by_code(owner.id, draft.id)["identite"].attached
    with pytest.raises(drafts.Refused):
        pieces.attach(owner.id, draft.id, "inconnue", document_id)


def test_deleting_the_document_of_a_draft_makes_the_piece_missing(owner):
    draft = draft_of(owner.id)
    document_id = store_pdf(owner.id)
    pieces.attach(owner.id, draft.id, "rib", document_id)
    assert docs.delete(owner.id, document_id)
    assert not by_code(owner.id, draft.id)["rib"].attached


def test_another_users_document_or_dossier_is_refused(owner, intruder):
    draft = draft_of(owner.id)
    theirs = store_pdf(owner.id)
    mine = draft_of(intruder.id)
    # The intruder's own draft, the owner's document: "no longer exists", nothing linked.
    assert pieces.attach(intruder.id, mine.id, "identite", theirs) == pieces.GONE
    assert not by_code(intruder.id, mine.id)["identite"].attached
    # The owner's draft, whatever the document: not found, like a missing dossier.
    own_doc = store_pdf(intruder.id)
    with pytest.raises(drafts.NotFound):
        pieces.attach(intruder.id, draft.id, "identite", own_doc)
    with pytest.raises(drafts.NotFound):
        pieces.detach(intruder.id, draft.id, "identite")
    with pytest.raises(drafts.NotFound):
        pieces.pieces_status(intruder.id, draft.id)
    with pytest.raises(drafts.NotFound):
        pieces.check_attachable(intruder.id, draft.id, "identite")
    assert filed_pieces.frozen_piece(intruder.id, draft.id, "identite") is None
    assert pieces.attach(owner.id, draft.id, "identite", "not-a-number") == pieces.GONE


def test_submission_is_refused_while_a_required_piece_is_missing(owner):
    draft = draft_of(owner.id)
    document_id = store_pdf(owner.id)
    for code in REQUIRED[:-1]:
        pieces.attach(owner.id, draft.id, code, document_id)
    result = filing.submit(owner.id, draft.id, sworn=True)
    assert not result.ok
    assert result.errors == {
        "pieces": {"pieces": "Il manque une pièce justificative : Un relevé d'identité bancaire (RIB)."}
    }
    assert drafts.get_owned(owner.id, draft.id).number is None
    pieces.attach(owner.id, draft.id, "rib", document_id)
    assert filing.submit(owner.id, draft.id, sworn=True).ok


def test_the_frozen_copy_survives_the_deletion_of_the_document(owner):
    draft = draft_of(owner.id)
    document_id = attach_required(owner.id, draft.id)
    original = docs.get_document(owner.id, document_id)
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    assert docs.delete(owner.id, document_id)
    status = by_code(owner.id, draft.id)
    assert all(s.attached and s.frozen for s in status.values())
    row = filed_pieces.frozen_piece(owner.id, draft.id, "rib")
    assert row.name == original.name and row.sha256 == original.sha256
    assert len(filestore.read(row.stored_name)) == original.size
    # Filed: nothing may be attached or removed any more.
    with pytest.raises(drafts.Locked):
        pieces.detach(owner.id, draft.id, "rib")
    with pytest.raises(drafts.Locked):
        pieces.attach(owner.id, draft.id, "rib", store_pdf(owner.id))


def test_account_deletion_purges_pieces_and_frozen_files(owner, temp_db, monkeypatch):
    draft = draft_of(owner.id)
    attach_required(owner.id, draft.id)
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    frozen = [filed_pieces.frozen_piece(owner.id, draft.id, code).stored_name for code in REQUIRED]
    from portal_app.domain.core.db import session_scope

    with session_scope() as db:
        pieces.purge_user_pieces(db, owner.id)
    with Session(temp_db) as db:
        assert db.exec(select(DossierPiece).where(DossierPiece.owner_id == owner.id)).all() == []
    assert not any(filestore.path_of(name).exists() for name in frozen)


def test_deleting_a_draft_removes_its_pieces(owner, temp_db):
    draft = draft_of(owner.id)
    attach_required(owner.id, draft.id)
    drafts.delete_draft(owner.id, draft.id)
    with Session(temp_db) as db:
        assert db.exec(select(DossierPiece)).all() == []


def test_the_frozen_copy_is_served_to_its_owner_only(owner, intruder):
    from starlette.testclient import TestClient

    from portal_app.api import build_api
    from portal_app.domain.accounts import sessions
    from portal_app.domain.accounts.sessions import COOKIE_NAME
    from portal_app.domain.core.db import session_scope
    from portal_app.models import User
    from tests.support.corpus import pdf

    draft = draft_of(owner.id)
    document_id = attach_required(owner.id, draft.id, store_pdf(owner.id, "rib.pdf"))
    url = f"/_portal/dossiers/{draft.id}/pieces/rib"
    with session_scope() as db:
        tokens = {user.id: sessions.open_session(db, db.get(User, user.id)) for user in (owner, intruder)}

    def get(user_id):
        http = TestClient(build_api(), follow_redirects=False)
        if user_id:
            http.cookies.set(COOKIE_NAME, tokens[user_id])
        return http.get(url)

    assert get(owner.id).status_code == 404  # a draft has no frozen copy yet
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    docs.delete(owner.id, document_id)
    response = get(owner.id)
    assert response.status_code == 200 and response.content == pdf()
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-disposition"].startswith('attachment; filename="rib.pdf"')
    refused = get(intruder.id)
    assert refused.status_code == 404 and refused.text == "Document introuvable."
    assert get(None).status_code == 303


# ---------------------------------------------------------------- each filing's versions


def test_each_filing_keeps_its_versions_in_the_declared_order(owner, temp_db):
    draft = draft_of(owner.id)
    first = store_pdf(owner.id, "premier.pdf", corpus_pdf(1))
    # Attached in reverse order: what was filed reads in the démarche's order all the same.
    for code in reversed(REQUIRED):
        assert pieces.attach(owner.id, draft.id, code, first) is None
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    [filed] = filed_pieces.filings(owner.id, draft.id)
    assert [v.code for v in filed.pieces] == REQUIRED
    assert [v.label for v in filed.pieces][0] == "Une pièce d'identité en cours de validité"
    assert all(v.name == "premier.pdf" and not v.unchanged for v in filed.pieces)
    old_devis = filed.pieces[2]

    filing.reopen(None, draft.id, "Le devis est illisible.")
    second = store_pdf(owner.id, "devis-lisible.pdf", corpus_pdf(2))
    assert pieces.attach(owner.id, draft.id, "devis", second) is None
    assert filing.submit(owner.id, draft.id, sworn=True).ok

    before, after = filed_pieces.filings(owner.id, draft.id)
    assert before.filed_at < after.filed_at
    assert [v.code for v in after.pieces] == REQUIRED
    devis = after.pieces[2]
    assert devis.name == "devis-lisible.pdf" and not devis.unchanged
    assert all(v.unchanged for v in after.pieces if v.code != "devis")
    # The first filing's devis is still there, byte for byte.
    with Session(temp_db) as db:
        rows = {row.id: row for row in db.exec(select(FiledPiece)).all()}
    assert filestore.read(rows[old_devis.id].stored_name) == corpus_pdf(1)
    assert filestore.read(rows[devis.id].stored_name) == corpus_pdf(2)
    # The owner's download is the last filing's version.
    assert filed_pieces.frozen_piece(owner.id, draft.id, "devis").id == devis.id


def test_a_piece_no_longer_asked_stays_in_its_filing(owner):
    draft = draft_of(owner.id, contrat="cdd", date_fin_contrat="2027-01-31")
    attach_required(owner.id, draft.id)
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    filing.reopen(None, draft.id)
    drafts.save_answers(owner.id, draft.id, {"contrat": "cdi"})
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    before, after = filed_pieces.filings(owner.id, draft.id)
    assert "contrats" in [v.code for v in before.pieces]
    assert "contrats" not in [v.code for v in after.pieces]
    assert filed_pieces.frozen_piece(owner.id, draft.id, "contrats") is None


def test_account_deletion_removes_every_version(owner, temp_db):
    draft = draft_of(owner.id)
    attach_required(owner.id, draft.id)
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    filing.reopen(None, draft.id)
    pieces.attach(owner.id, draft.id, "rib", store_pdf(owner.id, "rib2.pdf", corpus_pdf(3)))
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    with Session(temp_db) as db:
        rows = db.exec(select(FiledPiece)).all()
    names = {row.stored_name for row in rows}
    # Two filings of five pieces; the four unchanged ones name the same copy twice.
    assert len(rows) == 10 and len(names) == 6
    from portal_app.domain.core.db import session_scope

    with session_scope() as db:
        pieces.purge_user_pieces(db, owner.id)
    with Session(temp_db) as db:
        assert db.exec(select(FiledPiece)).all() == []
    assert not any(filestore.path_of(name).exists() for name in names)


def test_the_acknowledgement_lists_the_filed_pieces_only_and_masks_the_nir(owner):
    # A job survey declared: its report is an optional piece, not given.
    draft = draft_of(owner.id, enquete_metier="oui", enquete_description="Deux journées en service.")
    attach_required(owner.id, draft.id, store_pdf(owner.id, "justificatif.pdf"))
    assert "enquete" in [s.code for s in pieces.pieces_status(owner.id, draft.id)]
    assert filing.submit(owner.id, draft.id, sworn=True).ok
    [sent] = outbox_mails()
    text = sent.get_body(("plain",)).get_content()
    html = sent.get_body(("html",)).get_content()
    for body in (text, html):
        assert "compte rendu de votre enquête métier" not in body
        assert "295109912611193" not in body and "2 95 10 99 126 111 93" not in body
        assert "• •• •• •• ••• 111 93" in body
        assert f"/demarches/dossier/{draft.id}/suivi" in body
    assert "- Le devis de l'organisme de formation : justificatif.pdf" in text
    assert text.count(": justificatif.pdf") == len(REQUIRED)


def test_agents_download_filed_versions_only_audited(owner, intruder, make_user, temp_db):
    from starlette.testclient import TestClient

    from portal_app.api import build_api
    from portal_app.domain.accounts import sessions
    from portal_app.domain.accounts.sessions import COOKIE_NAME
    from portal_app.domain.core.db import session_scope
    from portal_app.models import AuditEntry, User

    agent = make_user("agent@exemple.fr", role="agent", nir="190017512345687")
    draft = draft_of(owner.id)
    attach_required(owner.id, draft.id, store_pdf(owner.id, "rib.pdf", corpus_pdf(2)))
    other = draft_of(owner.id)
    attach_required(owner.id, other.id)  # never filed
    with session_scope() as db:
        tokens = {user.id: sessions.open_session(db, db.get(User, user.id)) for user in (owner, agent)}

    def get(user_id, url):
        http = TestClient(build_api(), follow_redirects=False)
        http.cookies.set(COOKIE_NAME, tokens[user_id])
        return http.get(url)

    assert filing.submit(owner.id, draft.id, sworn=True).ok
    version = filed_pieces.filings(owner.id, draft.id)[0].pieces[-1]
    url = f"/_portal/agent/dossiers/{draft.id}/pieces/{version.id}"
    response = get(agent.id, url)
    assert response.status_code == 200 and response.content == corpus_pdf(2)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-disposition"].startswith('attachment; filename="rib.pdf"')
    with Session(temp_db) as db:
        [entry] = db.exec(select(AuditEntry).where(AuditEntry.action == "download_document")).all()
    assert entry.agent_id == agent.id and entry.dossier_id == draft.id
    assert entry.details == {"name": "rib.pdf", "filed_piece_id": version.id, "piece": "rib"}
    # The owner is no agent; a version asked under another dossier's number; the draft's
    # pieces and documents have no filed version to ask for.
    assert get(owner.id, url).status_code == 404
    assert get(agent.id, f"/_portal/agent/dossiers/{other.id}/pieces/{version.id}").status_code == 404
    assert get(agent.id, f"/_portal/agent/dossiers/{draft.id}/pieces/999999").status_code == 404
    with Session(temp_db) as db:
        assert len(db.exec(select(AuditEntry)).all()) == 1


def corpus_pdf(pages: int) -> bytes:
    from tests.support.corpus import pdf

    return pdf(pages)


def test_missing_labels_say_which_required_pieces_the_stepper_waits_for(owner, intruder):
    draft = draft_of(owner.id, contrat="cdi", autorisation_absence="non", enquete_metier="non")
    assert len(pieces.missing_labels(owner.id, draft.id)) == 5
    attach_required(owner.id, draft.id)
    assert pieces.missing_labels(owner.id, draft.id) == []
    status = by_code(owner.id, draft.id)["rib"]
    assert status.added.startswith("ajouté le ") and " h " in status.added
    with pytest.raises(drafts.NotFound):
        pieces.missing_labels(intruder.id, draft.id)
