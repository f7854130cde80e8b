"""The sweep of stored files no row names (core/stored_files.py), and a provider's unsent
programme: replaced, it goes at once; abandoned, the sweep takes it a day later."""

from __future__ import annotations

import os
import re
from datetime import timedelta

from sqlmodel import SQLModel, select

import portal_app.models  # noqa: F401  (registers every table)
from portal_app.domain.accounts import data_export
from portal_app.domain.core import filestore, stored_files
from portal_app.domain.core.db import session_scope
from portal_app.domain.documents import wallet
from portal_app.domain.quotes import person, provider
from portal_app.models import QuoteVersion
from portal_app.models.base import utcnow
from portal_app.states.quote_provider import QuoteProviderState
from tests.support import corpus
from tests.support.pdf_builder import document
from tests.support.quotes import asked, programme, quote_terms
from tests.support.states import handle, state_of, upload_file, visit
from tests.support.users import PASSWORD

LATER = timedelta(days=30)
# A column holds a stored file's name when it is called so (filestore names, never a path).
FILE_NAME_COLUMN = re.compile(r"(.*_)?stored_name|thumbnail_name|storage_key")


def on_disk() -> set[str]:
    return set(filestore.old_files(float("inf")))


def age(name: str, delta: timedelta) -> None:
    """Make a stored file look last written `delta` ago."""
    moment = (utcnow() - delta).timestamp()
    os.utime(filestore.path_of(name), (moment, moment))


def test_every_column_holding_a_stored_file_is_listed_once():
    named = {
        (table.name, column.name)
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if FILE_NAME_COLUMN.fullmatch(column.name)
    }
    listed = [(column.class_.__tablename__, column.key) for column in stored_files.FILE_COLUMNS]
    assert len(listed) == len(set(listed))
    assert set(listed) == named


def test_a_file_a_row_names_is_never_swept_whatever_its_age(make_user):
    user = make_user()
    dossier_id, request_id, raw = asked(user.id)
    assert provider.send_quote(raw, quote_terms(), programme()) == ({}, "")
    assert provider.send_quote(raw, quote_terms(), None) == ({}, "")  # a revision: its own copy of the programme
    # The acceptance files the quote PDF and the programme in the porte-documents.
    assert person.accept(user.id, dossier_id, request_id, PASSWORD) is None
    assert isinstance(wallet.ingest(user.id, "photo.png", corpus.png()), wallet.Stored)  # a thumbnail too
    data_export.request_export(user.id)  # built inline in unit tests
    names = on_disk()
    # 2 programmes (a version each), the filed quote PDF and programme, the photo and its thumbnail, the export.
    assert len(names) == 7
    for name in names:
        age(name, timedelta(days=400))

    assert stored_files.sweep_orphans(utcnow()) == 0
    assert on_disk() == names


def test_an_unnamed_file_is_kept_while_young_and_swept_when_old(temp_db):
    young, old = filestore.write(b"young"), filestore.write(b"old")
    age(old, stored_files.SAFE_AGE + timedelta(minutes=1))
    age(young, stored_files.SAFE_AGE - timedelta(minutes=5))
    # A write a crash interrupted leaves its temporary file: swept when old as well.
    leftover = filestore.path_of(young).with_name(f".{filestore.new_name()}.tmp")
    leftover.write_bytes(b"half")
    moment = (utcnow() - timedelta(days=2)).timestamp()
    os.utime(leftover, (moment, moment))

    assert stored_files.sweep_orphans(utcnow()) == 2
    assert filestore.path_of(young).exists() and not filestore.path_of(old).exists() and not leftover.exists()
    # The clock moved a day on: the young one is old now.
    assert stored_files.sweep_orphans(utcnow() + timedelta(days=1)) == 1
    assert on_disk() == set()


def test_a_copy_is_young_even_when_its_source_is_old(temp_db):
    source = filestore.write(b"frozen")
    age(source, timedelta(days=10))
    copied = filestore.copy(source)
    linked = os.path.samefile(filestore.path_of(source), filestore.path_of(copied))
    # Nothing names either yet (a filing about to commit): the copy is spared; a hard link shares
    # the source's inode, so the source is young again too, a real copy leaves it old.
    assert stored_files.sweep_orphans(utcnow()) == (0 if linked else 1)
    assert filestore.path_of(copied).exists()


def test_an_unsent_programme_is_swept_a_day_later_and_the_provider_told_to_send_it_again(make_user):
    user = make_user()
    _dossier_id, _request_id, raw = asked(user.id)
    unsent = programme()
    assert stored_files.sweep_orphans(utcnow()) == 0  # an upload in progress is never swept
    assert stored_files.sweep_orphans(utcnow() + LATER) == 1
    errors, problem = provider.send_quote(raw, quote_terms(), unsent)
    assert problem == "" and errors == {"programme": provider.MSG_PROGRAMME_GONE}
    with session_scope() as db:
        assert db.exec(select(QuoteVersion)).all() == []


def test_sending_makes_an_old_upload_young_again(make_user):
    user = make_user()
    _dossier_id, _request_id, raw = asked(user.id)
    unsent = programme()
    age(unsent.stored_name, timedelta(hours=23, minutes=59))
    assert provider.send_quote(raw, quote_terms(), unsent) == ({}, "")
    assert stored_files.sweep_orphans(utcnow() + timedelta(hours=23)) == 0
    assert filestore.path_of(unsent.stored_name).exists()


def test_a_replaced_or_declined_programme_goes_at_once(make_user):
    user = make_user()
    _dossier_id, _request_id, raw = asked(user.id)
    state = state_of(QuoteProviderState)
    visit(state, "/devis", jeton=raw)
    handle(state.load())
    assert state.step == "open"

    def upload() -> str:
        handle(state.upload([upload_file("programme.pdf", document())], "programme-devis"))
        return state._programme["stored_name"]

    first = upload()
    second = upload()
    assert first != second and on_disk() == {second}
    # A page loaded again forgets what it held: that file goes too.
    handle(state.load())
    assert on_disk() == set() and state.programme_name == ""
    third = upload()
    handle(state.decline({"reason": "Session complète"}))
    assert state.step == "declined" and not filestore.path_of(third).exists()


def test_discarding_never_deletes_a_sent_programme(make_user):
    user = make_user()
    _dossier_id, _request_id, raw = asked(user.id)
    unsent = programme()
    assert provider.send_quote(raw, quote_terms(), unsent) == ({}, "")
    provider.discard_programme(unsent)
    assert filestore.path_of(unsent.stored_name).exists()
