"""Merging a duplicate account into the kept one; /suivi lookups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal_app.domain import accounts
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.backoffice import merge
from portal_app.domain.core import throttle
from portal_app.domain.dossiers import drafts, filed_pieces, filing, pieces, tracking
from portal_app.domain.dossiers.demarche import normalize_number
from portal_app.models import (
    AuditEntry,
    Document,
    Dossier,
    DossierHistory,
    DossierPiece,
    FiledPiece,
    LoginSession,
    Message,
    Notification,
    User,
)
from portal_app.models.base import utcnow
from tests.support.demarche_data import PTP, ptp_answers
from tests.support.filing import filed_dossier
from tests.support.outbox import outbox_mails
from tests.support.pieces import attach_required
from tests.support.users import PASSWORD

LOOKUPS = throttle.LIMITS[throttle.Kind.TRACKING_LOOKUP]


def test_merge_keeps_everything_and_closes_the_duplicate(make_user, temp_db):
    agent = make_user("agent@exemple.fr", role="agent")
    kept = make_user("camille@exemple.fr")
    twin = make_user("camille.bis@exemple.fr", duplicate_of_id=kept.id)
    kept_dossier, twin_dossier = filed_dossier(kept.id), filed_dossier(twin.id)
    twin_draft = drafts.create_draft(twin.id, PTP)
    with Session(temp_db) as db:
        db.add(
            Document(
                owner_id=twin.id,
                name="rib.pdf",
                original_name="rib.pdf",
                stored_name="abc",
                kind="pdf",
                size=3,
                sha256="0" * 64,
            )
        )
        db.add(Message(dossier_id=twin_dossier.id, author_id=twin.id, author_role="beneficiary", body="Bonjour"))
        db.add(Notification(user_id=twin.id, kind="status", dossier_id=twin_dossier.id, text="Votre dossier a changé"))
        twin_session = sessions.open_session(db, db.get(User, twin.id))
        db.commit()
    before = len(outbox_mails())

    result = merge.merge_accounts(agent.id, twin.id, kept.id)

    # The twin's documents: the RIB and the PDF given for its filed dossier's pieces.
    assert result.moved["dossiers"] == 2 and result.moved["documents"] == 2
    assert result.moved["messages"] == 1 and result.moved["notifications"] >= 1
    with Session(temp_db) as db:
        owners = {d.id: d.owner_id for d in db.exec(select(Dossier)).all()}
        assert owners == {kept_dossier.id: kept.id, twin_dossier.id: kept.id, twin_draft.id: kept.id}
        assert {doc.owner_id for doc in db.exec(select(Document)).all()} == {kept.id}
        assert db.exec(select(Message)).one().author_id == kept.id
        assert {n.user_id for n in db.exec(select(Notification)).all()} <= {kept.id}
        # The history stays with its dossiers and now names the kept account.
        actors = {
            h.actor_id
            for h in db.exec(select(DossierHistory).where(DossierHistory.dossier_id == twin_dossier.id)).all()
        }
        assert actors == {kept.id}
        closed = db.get(User, twin.id)
        assert closed.closed_at is not None and not closed.is_active and closed.duplicate_of_id is None
        assert all(
            s.revoked_at is not None for s in db.exec(select(LoginSession).where(LoginSession.user_id == twin.id)).all()
        )
        [entry] = db.exec(select(AuditEntry)).all()
        assert entry.action == "merge_accounts" and entry.agent_id == agent.id
        assert entry.details["duplicate_id"] == twin.id and entry.details["moved"]["dossiers"] == 2
    assert accounts.current_user(twin_session) is None
    assert accounts.authenticate("camille.bis@exemple.fr", PASSWORD, client_ip="198.51.100.7").status.value == "invalid"
    # Both addresses are told, each naming the other masked.
    sent = {m["To"]: m for m in outbox_mails()[before:]}
    assert set(sent) == {"camille@exemple.fr", "camille.bis@exemple.fr"}
    assert "c***@exemple.fr" in sent["camille@exemple.fr"].get_body(("plain",)).get_content()
    assert [d.id for d in drafts.list_for_owner(kept.id)]  # the kept owner opens them all
    drafts.get_owned(kept.id, twin_dossier.id)
    assert merge.suspected_duplicates() == []


def test_merge_moves_a_draft_s_pieces_which_still_resolve(make_user, temp_db, tmp_path):
    agent = make_user("agent@exemple.fr", role="agent")
    kept = make_user("camille@exemple.fr")
    twin = make_user("camille.bis@exemple.fr", duplicate_of_id=kept.id)
    draft = drafts.create_draft(twin.id, PTP)
    drafts.save_answers(twin.id, draft.id, ptp_answers())
    attach_required(twin.id, draft.id)

    result = merge.merge_accounts(agent.id, twin.id, kept.id)

    assert result.moved["dossier_pieces"] >= 1
    with Session(temp_db) as db:
        assert {p.owner_id for p in db.exec(select(DossierPiece)).all()} == {kept.id}
    assert pieces.missing_labels(kept.id, draft.id) == []
    assert all(s.attached for s in pieces.pieces_status(kept.id, draft.id) if s.required)
    # The kept account files the draft, then leaves: nothing of the merged draft stays behind.
    assert filing.submit(kept.id, draft.id, sworn=True).ok
    frozen = [v.id for v in filed_pieces.filings(kept.id, draft.id)[-1].pieces]
    assert frozen
    with Session(temp_db) as db:
        db.get(User, kept.id).password_hash = hash_password("Transition-Pro-2026")
        db.commit()
    assert accounts.delete_account(kept.id, "Transition-Pro-2026").ok
    with Session(temp_db) as db:
        assert db.exec(select(DossierPiece)).all() == [] and db.exec(select(FiledPiece)).all() == []
        assert db.exec(select(Document)).all() == []
    files = tmp_path / "files"
    assert not files.exists() or not [p for p in files.rglob("*") if p.is_file()]


def test_merge_refusals(make_user):
    agent = make_user("agent@exemple.fr", role="agent")
    kept = make_user("camille@exemple.fr")
    twin = make_user("camille.bis@exemple.fr", duplicate_of_id=kept.id)
    stranger = make_user("autre@exemple.fr", nir="195109912611100")
    assert [(d.id, k.id) for d, k in merge.suspected_duplicates()] == [(twin.id, kept.id)]
    with pytest.raises(merge.MergeRefused):
        merge.merge_accounts(kept.id, twin.id, kept.id)  # not an agent
    with pytest.raises(merge.MergeRefused):
        merge.merge_accounts(agent.id, stranger.id, kept.id)  # not flagged
    with pytest.raises(merge.MergeRefused):
        merge.merge_accounts(agent.id, twin.id, twin.id)
    with pytest.raises(merge.MergeRefused):
        merge.merge_accounts(agent.id, agent.id, kept.id)
    merge.merge_accounts(agent.id, twin.id, kept.id)
    with pytest.raises(merge.MergeRefused):
        merge.merge_accounts(agent.id, twin.id, kept.id)  # already closed


# ---------------------------------------------------------------- /suivi


def test_lookup_gives_a_short_read_only_view(make_user):
    owner = make_user("camille@exemple.fr")
    dossier = filed_dossier(owner.id)
    result = tracking.lookup(" Camille@Exemple.fr ", dossier.number.lower(), "10.0.0.1")
    assert result.ok
    seen = tracking.view(result.token)
    assert seen.number == dossier.number and seen.status_label == "Déposé"
    assert seen.demarche_title == "Projet de transition professionnelle"
    assert [step.label for step in seen.timeline] == ["Brouillon créé", "Dossier déposé"]
    # Nothing personal beyond the status: no answer, no name, no address.
    assert "Martin" not in repr(seen) and "camille" not in repr(seen)
    assert tracking.view(result.token, now=utcnow() + tracking.GRANT_TTL + timedelta(seconds=1)) is None
    assert tracking.view("made-up") is None and tracking.view("") is None


def test_every_mismatch_gets_the_same_error(make_user, temp_db):
    owner = make_user("camille@exemple.fr")
    other = make_user("autre@exemple.fr", nir="195109912611100")
    dossier = filed_dossier(owner.id)
    draft = drafts.create_draft(owner.id, PTP)
    assert draft.number is None
    cases = [
        ("camille@exemple.fr", "PTP-2026-999999", "10.0.0.1"),
        ("autre@exemple.fr", dossier.number, "10.0.0.2"),
        ("", dossier.number, "10.0.0.4"),
    ]
    for address, number, ip in cases:
        assert tracking.lookup(address, number, ip) == tracking.LookupResult(error=tracking.GENERIC_ERROR)
    with Session(temp_db) as db:
        user = db.get(User, owner.id)
        user.closed_at = utcnow()
        db.add(user)
        db.commit()
    assert tracking.lookup("camille@exemple.fr", dossier.number, "10.0.0.5").error == tracking.GENERIC_ERROR
    assert other  # used above


def test_rate_limit_per_address_and_per_ip(make_user):
    owner = make_user("camille@exemple.fr")
    dossier = filed_dossier(owner.id)
    for index in range(LOOKUPS.per_address):
        assert (
            tracking.lookup("camille@exemple.fr", "PTP-2026-000999", f"10.0.1.{index}").error == tracking.GENERIC_ERROR
        )
    # Even the right number is refused now, from a new IP.
    assert tracking.lookup("camille@exemple.fr", dossier.number, "10.0.2.1").error == tracking.RATE_LIMITED
    for index in range(LOOKUPS.per_ip):
        tracking.lookup(f"x{index}@exemple.fr", "PTP-2026-000999", "10.9.9.9")
    assert tracking.lookup("nouveau@exemple.fr", "PTP-2026-000998", "10.9.9.9").error == tracking.RATE_LIMITED
    # The window slides: later, both work again.
    later = utcnow() + LOOKUPS.window + timedelta(seconds=1)
    assert tracking.lookup("camille@exemple.fr", dossier.number, "10.9.9.9", now=later).ok


@pytest.mark.parametrize(
    "typed",
    ["ptp 2026 000001", "PTP-2026-000001", "ptp2026000001", " Ptp–2026–1 ", "PTP.2026.000001", "ptp 2026000001"],
)
def test_number_is_found_in_any_case_and_with_any_separator(typed):
    assert normalize_number(typed) == "PTP-2026-000001"


@pytest.mark.parametrize(
    "typed", ["", "X", "PTP-26-000001", "2026-000001", "PTP-2026-0000001", "PTP20261", "PTP-2026-00A001"]
)
def test_text_that_cannot_be_a_number_is_refused(typed):
    assert normalize_number(typed) is None


def test_lookup_finds_a_number_typed_loosely(make_user):
    owner = make_user("camille@exemple.fr")
    dossier = filed_dossier(owner.id)
    prefix, year, sequence = dossier.number.split("-")
    assert tracking.lookup("camille@exemple.fr", f" {prefix.lower()} {year} {sequence} ", "10.0.3.1").ok


def test_a_malformed_number_is_refused_without_counting(make_user):
    owner = make_user("camille@exemple.fr")
    dossier = filed_dossier(owner.id)
    for _ in range(LOOKUPS.per_address + 2):
        assert tracking.lookup("camille@exemple.fr", "PTP-2026", "10.0.4.1").error == tracking.MALFORMED_NUMBER
    # Well-formed but unknown: the generic answer, and it counts.
    for _ in range(LOOKUPS.per_ip - 1):
        assert tracking.lookup("camille@exemple.fr", "PTP-2026-999999", "10.0.4.1").error == tracking.GENERIC_ERROR
    assert tracking.lookup("camille@exemple.fr", dossier.number, "10.0.4.1").ok
    assert tracking.lookup("camille@exemple.fr", dossier.number, "10.0.4.1").error == tracking.RATE_LIMITED
