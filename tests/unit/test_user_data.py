"""The data lifecycle registry (accounts/user_data.py) and the unit of work's after-commit hook."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlmodel import SQLModel

import portal_app.models  # noqa: F401  (registers every table)
from portal_app.domain.accounts import user_data
from portal_app.domain.core import mail
from portal_app.domain.core.db import session_scope


def user_columns(metadata: MetaData) -> set[tuple[str, str]]:
    """Every (table, column) holding a foreign key to users.id."""
    return {
        (table.name, column.name)
        for table in metadata.tables.values()
        for column in table.columns
        for key in column.foreign_keys
        if (key.column.table.name, key.column.name) == ("users", "id")
    }


def undeclared(metadata: MetaData) -> set[tuple[str, str]]:
    declared = {(rule.table, rule.name) for rule in user_data.RULES}
    return user_columns(metadata) - declared


def test_every_foreign_key_to_users_has_a_purger_and_a_mover():
    assert undeclared(SQLModel.metadata) == set()
    declared = [(rule.table, rule.name) for rule in user_data.RULES]
    assert len(declared) == len(set(declared)), "one rule per column"
    assert set(declared) <= user_columns(SQLModel.metadata), "a rule names a column that holds no user id"
    for rule in user_data.RULES:
        for step in (rule.purge, rule.move):
            assert callable(step) or (isinstance(step, user_data.Handled) and step.reason.strip()), rule


def test_a_new_table_naming_a_user_fails_the_check():
    metadata = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(metadata)
    Table("favourites", metadata, Column("id", Integer, primary_key=True), Column("user_id", ForeignKey("users.id")))
    assert undeclared(metadata) == {("favourites", "user_id")}


def test_after_commit_runs_once_committed_and_never_for_rolled_back_work(temp_db, monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr(mail, "send_mail", lambda to, template, **context: sent.append(to) or True)
    with session_scope() as db:
        delivery = mail.queue(db, "a@exemple.fr", "duplicate_notice", first_name="A")
        assert sent == [] and delivery.queued is None  # not before the commit
    assert sent == ["a@exemple.fr"] and delivery.queued is True

    undone: list[str] = []
    with pytest.raises(RuntimeError), session_scope() as db:
        mail.queue(db, "b@exemple.fr", "duplicate_notice", first_name="B")
        db.after_rollback(lambda: undone.append("files"))
        raise RuntimeError("the action failed")
    assert sent == ["a@exemple.fr"] and undone == ["files"]


def test_a_failing_after_commit_action_does_not_undo_or_stop_the_others(temp_db):
    ran: list[str] = []

    def broken():
        raise OSError("disk gone")

    with session_scope() as db:
        db.after_commit(broken)
        db.after_commit(lambda: ran.append("mail"))
    assert ran == ["mail"]
