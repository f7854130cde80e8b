"""`seed-demo` (run by `make run` on every start): demo accounts, the demo beneficiary's dossiers
made through the real journeys, and the demo employer's règlements, all idempotent."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from sqlmodel import Session, select

from portal_app import cli, employer_cli
from portal_app.domain.core import filestore
from portal_app.models import (
    AuditEntry,
    Document,
    Dossier,
    DossierHistory,
    DossierPiece,
    Message,
    Notification,
    Reglement,
    User,
)
from tests.support.outbox import outbox_mails


def _rows(engine, model, *where):
    with Session(engine, expire_on_commit=False) as db:
        return list(db.exec(select(model).where(*where).order_by(model.id)).all())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """Seeded twice into one fresh database, shared by this module's tests (a seed takes
    seconds: every PDF goes through the real validation child process)."""
    import contextlib
    import io

    from sqlmodel import SQLModel

    from portal_app import settings as settings_module
    from portal_app.domain.accounts import passwords
    from portal_app.domain.core import db as db_module

    data_dir = tmp_path_factory.mktemp("seed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_DATA_DIR", str(data_dir))
        patch.delenv("PORTAL_DATABASE_URL", raising=False)
        # A relay nobody listens on: the journeys' mails must go to the outbox all the same.
        patch.setenv("PORTAL_SMTP_HOST", "127.0.0.1")
        patch.setenv("PORTAL_SMTP_PORT", "9")
        patch.setattr(passwords, "BCRYPT_ROUNDS", 4)
        settings_module.get_settings.cache_clear()
        db_module.engine_for.cache_clear()
        engine = db_module.get_engine()
        SQLModel.metadata.create_all(engine)
        outputs = []
        for _ in range(2):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert cli.main(["seed-demo"]) == 0
            outputs.append(out.getvalue())
        yield engine, *outputs, data_dir
        engine.dispose()
        settings_module.get_settings.cache_clear()
        db_module.engine_for.cache_clear()


def test_twice_prints_the_credentials_and_duplicates_nothing(seeded):
    engine, first, second, _ = seeded
    for out in (first, second):
        assert f"{cli.DEMO_EMAIL} / {cli.DEMO_PASSWORD}" in out
        assert f"{cli.DEMO_AGENT_EMAIL} / {cli.DEMO_AGENT_PASSWORD}" in out
        assert f"{employer_cli.DEMO_EMPLOYER_LOGIN} / {employer_cli.DEMO_EMPLOYER_PASSWORD}" in out
    assert "4 dossiers de démonstration créés" in first
    assert "dossiers de démonstration" not in second
    assert len(_rows(engine, User, User.email == cli.DEMO_EMAIL)) == 1
    assert len(_rows(engine, Dossier)) == 4
    assert len(_rows(engine, Message)) == 1


def test_the_demo_beneficiary_has_a_draft_a_filed_dossier_one_to_complete_and_a_decision(seeded):
    engine, *_ = seeded
    owner = _rows(engine, User, User.email == cli.DEMO_EMAIL)[0]
    by_status = {d.status: d for d in _rows(engine, Dossier, Dossier.owner_id == owner.id)}
    assert sorted(by_status) == ["a_completer", "brouillon", "delivree", "depose"]

    draft = by_status["brouillon"]
    assert draft.number is None and draft.current_step == "formation"
    assert draft.checked_steps == ["situation", "projet"]
    assert draft.answers["metier_vise"] == "Aide-soignante"
    assert draft.answers["nir"] == "290049912611148"  # from the profile

    filed, completion, attestation = by_status["depose"], by_status["a_completer"], by_status["delivree"]
    assert filed.number.startswith("PTP-") and completion.number.startswith("PTP-")
    assert attestation.number.startswith("ATT-")
    assert filed.answers["employeur_siret"] == employer_cli.DEMO_EMPLOYER_SIRET
    assert date.fromisoformat(filed.answers["date_debut"]) > date.today()

    histories = {
        d.status: [(h.kind, h.to_status) for h in _rows(engine, DossierHistory, DossierHistory.dossier_id == d.id)]
        for d in by_status.values()
    }
    assert histories["depose"] == [("created", "brouillon"), ("submitted", "depose")]
    assert histories["a_completer"] == [
        ("created", "brouillon"),
        ("submitted", "depose"),
        ("status", "en_instruction"),
        ("status", "a_completer"),
    ]
    assert histories["delivree"][-1] == ("status", "delivree")


def test_filed_pieces_are_frozen_copies_on_disk(seeded):
    engine, *_ = seeded
    by_status = {d.status: d for d in _rows(engine, Dossier)}
    for status, expected in (
        (
            "depose",
            {
                "identite": "piece-identite.png",
                "bulletins": "bulletins-de-salaire.pdf",
                "rib": "rib.pdf",
                "devis": "devis-formation-developpeur-web.pdf",
                "programme": "programme-developpeur-web.pdf",
                "autorisation": "autorisation-absence.pdf",
                "enquete": "compte-rendu-enquete-metier.pdf",
            },
        ),
        (
            "a_completer",
            {
                "identite": "piece-identite.png",
                "bulletins": "bulletins-de-salaire.pdf",
                "rib": "rib.pdf",
                "devis": "devis-formation-electricien.pdf",
                "programme": "programme-electricien.pdf",
            },
        ),
    ):
        rows = _rows(engine, DossierPiece, DossierPiece.dossier_id == by_status[status].id)
        assert {row.piece_code: row.name for row in rows} == expected
        for row in rows:
            assert row.frozen_at is not None and row.stored_name
            data = filestore.read(row.stored_name)
            assert len(data) == row.size > 0
            assert data.startswith(b"\x89PNG" if row.kind == "png" else b"%PDF-")
    # Uploaded once through the porte-documents, picked from it for the second dossier.
    assert len(_rows(engine, Document)) == 9
    assert len(_rows(engine, DossierPiece, DossierPiece.dossier_id == by_status["brouillon"].id)) == 0


def test_the_agency_asked_for_completion_in_the_discussion(seeded):
    engine, *_ = seeded
    agent = _rows(engine, User, User.email == cli.DEMO_AGENT_EMAIL)[0]
    completion = _rows(engine, Dossier, Dossier.status == "a_completer")[0]
    (message,) = _rows(engine, Message)
    assert message.dossier_id == completion.id and message.author_id == agent.id and message.author_role == "agent"
    assert "devis" in message.body and "signé" in message.body
    actions = [e.action for e in _rows(engine, AuditEntry, AuditEntry.dossier_id == completion.id)]
    assert actions == ["view_dossier", "change_status", "ask_completion"]
    texts = [n.text for n in _rows(engine, Notification, Notification.user_id == completion.owner_id)]
    assert any("compléter" in text for text in texts)


def test_mails_of_the_journeys_go_to_the_outbox_even_with_a_relay(seeded):
    *_, data_dir = seeded
    mails = outbox_mails(data_dir)
    assert {m["To"] for m in mails} == {cli.DEMO_EMAIL}
    subjects = [m["Subject"] for m in mails]
    # Three acknowledgements (the draft is not filed), and the agency's moves the owner hears of.
    assert sum("PTP-" in s or "ATT-" in s for s in subjects) >= 3, subjects
    assert len(mails) == 3 + 2 + 2, subjects  # attestation: 2 moves; à compléter: 2 moves


def test_no_demo_reglement_is_dated_in_the_future(seeded):
    engine, *_ = seeded
    rows = _rows(engine, Reglement)
    today = date.today()
    assert rows and all(r.paid_on < today and r.period_end < today for r in rows)
    assert min(r.paid_on for r in rows) >= date(today.year - 1, today.month, 1)


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2027, 1, 7), date(2027, 3, 31), date(2028, 2, 29)])
def test_demo_reglements_run_from_a_year_back_to_last_month(today):
    lines = employer_cli.demo_csv(today).decode().splitlines()[1:]
    paid = [date(int(d[6:]), int(d[3:5]), int(d[:2])) for d in (line.split(";")[1] for line in lines)]
    last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    assert max(paid) < today and max(paid) >= last_month
    assert min(paid) >= date(today.year - 1, today.month, 1)


def test_the_journeys_are_dated_over_the_past_weeks(seeded):
    from datetime import datetime, timedelta

    from portal_app.models.base import as_utc, utcnow

    engine, *_ = seeded
    now = datetime.now(UTC)
    moments = [as_utc(row.at) for row in _rows(engine, DossierHistory)]
    # The newest, the completion request, is dated 3 days ago in Paris: over 2 days at any hour.
    assert all(moment < now - timedelta(days=2) for moment in moments)
    assert max(moments) - min(moments) > timedelta(days=30)
    assert timedelta(days=2) < now - as_utc(_rows(engine, Message)[0].created_at) < timedelta(days=4)
    # Mes démarches lists the last changed first: the dossier to complete, then the draft.
    latest = sorted(_rows(engine, Dossier), key=lambda d: as_utc(d.updated_at), reverse=True)
    assert [d.status for d in latest] == ["a_completer", "brouillon", "depose", "delivree"]
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=5)  # the clock is real again
