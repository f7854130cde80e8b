"""Back office domain: filtered, paged lists of filed dossiers; one dossier for an agent;
the audit trail; agent creation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from portal_app.domain.backoffice import agents, views
from portal_app.domain.core import audit
from portal_app.domain.dossiers import drafts, filing
from portal_app.models import AuditEntry, Dossier, User
from tests.support.demarche_data import PTP
from tests.support.filing import filed_dossier
from tests.support.outbox import outbox_mails


def test_drafts_are_never_listed_nor_opened(make_user):
    owner = make_user("camille@exemple.fr")
    draft = drafts.create_draft(owner.id, PTP)
    one = filed_dossier(owner.id)
    page = views.search_dossiers(views.Filters())
    assert [row.id for row in page.rows] == [one.id]
    assert page.rows[0].beneficiary == "MARTIN Camille"
    assert page.rows[0].status_label == "Déposé"
    assert page.rows[0].demarche_title == "Projet de transition professionnelle"
    with pytest.raises(views.NotFound):
        views.dossier_for_agent(draft.id)
    # An id past what the database holds is a missing dossier, not an overflow in the driver.
    for hostile in ("abc", 2**63, str(2**70), "10" * 20, "-1", "0", "١٢", " 1e3"):
        with pytest.raises(views.NotFound):
            views.dossier_for_agent(hostile)
    seen = views.dossier_for_agent(one.id)
    assert seen.owner.id == owner.id and seen.dossier.number == one.number
    assert [row.kind for row in seen.history] == ["created", "submitted"]
    assert any(row.label == "Métier visé" for step in seen.recap for row in step.rows)


def test_filters_and_paging(make_user, temp_db):
    camille = make_user("camille@exemple.fr")
    yann = make_user("yann@exemple.fr", first_names="Yann", birth_name="Le Goff", usage_name="", nir="195109912611100")
    mine = [filed_dossier(camille.id) for _ in range(3)]
    his = filed_dossier(yann.id)
    # One of Camille's was filed long ago.
    with Session(temp_db) as db:
        old = db.get(Dossier, mine[0].id)
        old.submitted_at = datetime(2026, 1, 15, 10, tzinfo=UTC)
        db.add(old)
        db.commit()
    filing.reopen(None, mine[1].id, "Le devis est illisible.")

    search = views.search_dossiers
    assert search(views.Filters(name="goff")).total == 1
    assert search(views.Filters(name="CAMILLE")).total == 3
    assert [r.id for r in search(views.Filters(number=his.number[-6:])).rows] == [his.id]
    assert [r.id for r in search(views.Filters(status="reouvert")).rows] == [mine[1].id]
    assert search(views.Filters(demarche=PTP)).total == 4
    assert search(views.Filters(demarche="attestation-employeur")).total == 0
    assert [r.id for r in search(views.Filters(filed_to=date(2026, 1, 31))).rows] == [mine[0].id]
    assert search(views.Filters(filed_from=date(2026, 1, 16))).total == 3

    first = search(views.Filters(), page=1, per_page=3)
    second = search(views.Filters(), page=2, per_page=3)
    assert first.total == 4 and first.pages == 2 and len(first.rows) == 3 and len(second.rows) == 1
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}
    # Newest filing first.
    assert second.rows[0].id == mine[0].id


def test_audit_rows_are_written_and_actions_checked(make_user):
    agent = make_user("agent@exemple.fr", role="agent")
    audit.record_now(agent.id, "view_dossier", dossier_id=7, note="")
    with pytest.raises(ValueError):
        audit.record_now(agent.id, "drop_tables")
    rows = audit.entries(agent_id=agent.id)
    assert [(r.action, r.dossier_id, r.details) for r in rows] == [("view_dossier", 7, {})]


def test_create_agent_mails_a_password_link_and_is_audited(make_user, temp_db):
    from portal_app.domain import accounts

    creator = make_user("chef@exemple.fr", role="agent")
    result = agents.create_agent(
        creator.id, {"email": " Nouvel.Agent@Exemple.fr ", "first_names": "Alex", "birth_name": "Durand"}
    )
    assert result.ok and result.email == "nouvel.agent@exemple.fr"
    [sent] = outbox_mails()
    body = sent.get_body(("plain",)).get_content()
    assert sent["To"] == "nouvel.agent@exemple.fr" and "/mot-de-passe-oublie?jeton=" in body
    assert "Tournesol" not in body  # no password in the mail
    with Session(temp_db) as db:
        created = db.exec(select(User).where(User.email == "nouvel.agent@exemple.fr")).one()
        assert created.role == "agent" and not created.is_active
        [entry] = db.exec(select(AuditEntry).where(AuditEntry.action == "create_agent")).all()
        assert entry.agent_id == creator.id and entry.target_user_id == created.id
    # The link sets the password and opens the account.
    raw = body.split("jeton=")[1].split()[0]
    assert accounts.reset_password(raw, {"password": "Nouvel-Agent-2026!", "password_confirm": "Nouvel-Agent-2026!"}).ok
    assert (
        accounts.authenticate("nouvel.agent@exemple.fr", "Nouvel-Agent-2026!", client_ip="198.51.100.7").status.value
        == "ok"
    )

    again = agents.create_agent(creator.id, {"email": "nouvel.agent@exemple.fr", "first_names": "A", "birth_name": "B"})
    assert "existe déjà" in again.errors["email"]
    assert set(agents.create_agent(creator.id, {}).errors) == {"email", "first_names", "birth_name"}
    beneficiary = make_user("camille@exemple.fr")
    assert not agents.create_agent(beneficiary.id, {"email": "x@exemple.fr", "first_names": "A", "birth_name": "B"}).ok


def test_the_create_agent_command_makes_an_active_agent_once(temp_db, fast_hashing, capsys):
    """`python -m portal_app.cli create-agent` (the e2e tests make their agents straight in the
    database: this is where the command itself is proven)."""
    from portal_app import cli
    from portal_app.domain.accounts.passwords import verify_password

    password = "Agence-Test-2026!"
    args = ["create-agent", "--email", "Dominique.Agent@Exemple.fr", "--first-name", "Dominique"]
    args += ["--last-name", "Agent", "--password", password]
    assert cli.main(args) == 0
    assert "Agent créé : dominique.agent@exemple.fr" in capsys.readouterr().out
    with Session(temp_db) as db:
        (agent,) = db.exec(select(User)).all()
    assert (agent.email, agent.role, agent.is_active) == ("dominique.agent@exemple.fr", "agent", True)
    assert (agent.first_names, agent.birth_name, agent.civility) == ("Dominique", "Agent", "")
    assert agent.activated_at is not None and verify_password(password, agent.password_hash)
    # A second run changes nothing and says so.
    assert cli.main([*args[:-1], "Autre-Mot-2026!"]) == 1
    assert "existe déjà" in capsys.readouterr().err
    with Session(temp_db) as db:
        assert verify_password(password, db.exec(select(User)).one().password_hash)
