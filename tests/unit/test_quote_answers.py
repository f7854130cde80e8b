"""The person's answers to a quote: to the version their page showed, and the withdrawal right,
which holds after the dossier is filed (from the dossier page as well as the training step)."""

from __future__ import annotations

import types
from datetime import timedelta

import pytest
from sqlmodel import select

from portal_app.domain.core import stored_files
from portal_app.domain.core.db import session_scope
from portal_app.domain.documents import wallet
from portal_app.domain.dossiers import drafts
from portal_app.domain.dossiers import pieces as dossier_pieces
from portal_app.domain.quotes import person, provider, views
from portal_app.domain.quotes import workflow as w
from portal_app.models import Document, Dossier, DossierPiece, QuoteEvent, QuoteRequest, Role
from portal_app.models.base import utcnow
from portal_app.states import guard
from portal_app.states.dossier_page import DossierPageState
from tests.support.outbox import outbox_mails, text
from tests.support.pdf_builder import document
from tests.support.quotes import asked, programme, quote_terms
from tests.support.states import handle, state_of, visit
from tests.support.users import PASSWORD


def test_the_person_answers_the_version_their_page_showed(make_user):
    owner = make_user().id
    dossier_id, request_id, raw = asked(owner)
    assert provider.send_quote(raw, quote_terms(), programme()) == ({}, "")
    shown = int(views.person_rows(owner, dossier_id)[0]["latest_version_id"])
    # The provider revises its quote while the person reads the first version.
    assert provider.send_quote(raw, quote_terms(price_teaching="9 900"), None) == ({}, "")
    assert person.accept(owner, dossier_id, request_id, PASSWORD, version_id=shown) == person.MSG_NEWER
    assert person.refuse(owner, dossier_id, request_id, "Trop cher", version_id=shown) == person.MSG_NEWER
    assert person.accept(owner, dossier_id, request_id, PASSWORD, version_id=0) == person.MSG_NEWER  # a forged form
    with session_scope() as db:
        assert db.get(QuoteRequest, request_id).status == w.QUOTED
    (row,) = views.person_rows(owner, dossier_id)
    latest = int(row["latest_version_id"])
    assert latest != shown and [v["latest"] for v in row["versions"]] == ["1", ""]
    assert person.accept(owner, dossier_id, request_id, PASSWORD, version_id=latest) is None
    (row,) = views.person_rows(owner, dossier_id)
    assert [v["accepted"] for v in row["versions"]] == ["1", ""]


def accepted_then_filed(owner: int) -> tuple[int, int, dict]:
    """A quote accepted, then the dossier filed within the withdrawal period: (dossier, request, answers)."""
    dossier_id, request_id, raw = asked(owner)
    assert provider.send_quote(raw, quote_terms(), programme()) == ({}, "")
    assert person.accept(owner, dossier_id, request_id, PASSWORD) is None
    with session_scope() as db:
        filed = db.get(Dossier, dossier_id)
        filed.status = "depose"  # filed: the owner edits it no more
        db.add(filed)
        return dossier_id, request_id, dict(filed.answers)


def test_the_withdrawal_right_holds_after_the_dossier_is_filed(make_user):
    owner = make_user().id
    dossier_id, request_id, answers = accepted_then_filed(owner)
    assert person.withdraw(owner, dossier_id, request_id) is None
    with session_scope() as db:
        assert db.get(QuoteRequest, request_id).status == w.QUOTED
        assert db.get(Dossier, dossier_id).answers == answers  # what was filed stays as filed
        event = db.exec(select(QuoteEvent).order_by(QuoteEvent.id.desc())).first()
    assert (event.kind, event.detail) == ("withdrawn", "après le dépôt du dossier")
    notice = next(m for m in reversed(outbox_mails()) if m["Subject"] == "Vous vous êtes rétracté(e)")
    assert "déjà déposé" in text(notice)
    # Anything else waits for the dossier to be editable again.
    with pytest.raises(drafts.Locked):
        person.accept(owner, dossier_id, request_id, PASSWORD)


def test_the_filed_dossier_page_offers_the_withdrawal_to_its_owner_only(make_user, monkeypatch):
    owner = make_user().id
    other = make_user("dominique@exemple.fr").id
    dossier_id, request_id, _answers = accepted_then_filed(owner)
    caller = {"id": other}
    monkeypatch.setattr(
        guard, "check", lambda state, roles, **_: (types.SimpleNamespace(id=caller["id"], role=Role.BENEFICIARY), None)
    )
    state = state_of(DossierPageState)
    visit(state, "/demarches/dossier/[dossier_id]/suivi", dossier_id=dossier_id)

    handle(state.withdraw_quote(str(request_id)))  # another account: nothing happens
    assert state.quote_message == "Cette demande de devis n'existe plus."
    with session_scope() as db:
        assert db.get(QuoteRequest, request_id).status == w.ACCEPTED

    caller["id"] = owner
    handle(state.load())
    (row,) = state.quotes
    assert row["may_withdraw"] == "1"
    handle(state.withdraw_quote(str(request_id)))
    assert state.quote_message == "Vous vous êtes rétracté(e) : l'organisme est prévenu."
    assert state.quotes[0]["may_withdraw"] == "" and state.quotes[0]["status"] == w.QUOTED


def test_a_withdrawal_takes_back_the_pieces_the_acceptance_filed(make_user):
    owner = make_user().id
    own = wallet.ingest(owner, "mon programme.pdf", document())  # given by the person, before
    dossier_id, request_id, raw = asked(owner)
    assert provider.send_quote(raw, quote_terms(), programme()) == ({}, "")
    assert person.accept(owner, dossier_id, request_id, PASSWORD) is None

    def pieces() -> dict[str, int]:
        with session_scope() as db:
            rows = db.exec(select(DossierPiece).where(DossierPiece.dossier_id == dossier_id)).all()
            return {row.piece_code: row.document_id for row in rows}

    filed = pieces()
    assert set(filed) == {"devis", "programme"}
    # The person puts their own programme instead: that piece is theirs, the withdrawal leaves it.
    assert dossier_pieces.attach(owner, dossier_id, "programme", own.document.id) is None
    assert person.withdraw(owner, dossier_id, request_id) is None
    assert pieces() == {"programme": own.document.id}
    # The quote PDF the acceptance put in the porte-documents goes with its piece, file included:
    # accepting again does not pile copies up. The programme copy, no piece since the person
    # replaced it, is left to them, as is their own document.
    with session_scope() as db:
        assert db.get(Document, filed["devis"]) is None
    assert {document.id for document in wallet.list_documents(owner)} == {own.document.id, filed["programme"]}
    assert stored_files.sweep_orphans(utcnow() + timedelta(days=2)) == 0  # no file left behind
    assert person.accept(owner, dossier_id, request_id, PASSWORD) is None
    assert len(wallet.list_documents(owner)) == 4


def test_a_revision_starts_from_the_latest_version(make_user):
    owner = make_user().id
    _dossier_id, _request_id, raw = asked(owner)
    view, _ = provider.open_link(raw)
    assert set(view.form_values.values()) == {""}  # a first quote starts empty
    sent = quote_terms(price_teaching="8 450,5", certification_code="rs 5487", hours_company="0")
    assert provider.send_quote(raw, sent, programme()) == ({}, "")
    view, _ = provider.open_link(raw)
    values = view.form_values
    assert values["price_teaching"] == "8450,50" and values["certification_code"] == "RS5487"
    assert values["start_date"] == sent["start_date"] and values["hours_company"] == "0"
    # Sent back unchanged, the form gives the same quote: version 2 says nothing changed.
    assert provider.send_quote(raw, values, None) == ({}, "")
    view, _ = provider.open_link(raw)
    assert view.versions[0]["number"] == "2" and view.versions[0]["changes"] == []


def test_accepting_again_after_a_withdrawal_does_not_pile_up_copies(make_user):
    owner = make_user().id
    dossier_id, request_id, raw = asked(owner)
    assert provider.send_quote(raw, quote_terms(), programme()) == ({}, "")
    for _ in range(2):
        assert person.accept(owner, dossier_id, request_id, PASSWORD) is None
        assert len(wallet.list_documents(owner)) == 2
        assert person.withdraw(owner, dossier_id, request_id) is None
        assert wallet.list_documents(owner) == []
    # Their files went after the commit: nothing is left for the sweep.
    assert stored_files.sweep_orphans(utcnow() + timedelta(days=2)) == 0
