"""The porte-documents domain: storage on disk, owner checks (IDOR), quota, freeze, purge."""

from __future__ import annotations

from datetime import UTC

import pytest

from portal_app.domain import accounts
from portal_app.domain.core import filestore
from portal_app.domain.core.db import session_scope
from portal_app.domain.documents import wallet
from portal_app.domain.uploads.checks import Refused
from portal_app.models import Document, User
from portal_app.settings import get_settings
from tests.support import corpus
from tests.support.users import PASSWORD


@pytest.fixture
def two_users(make_user):
    return make_user("alice@exemple.fr").id, make_user("bob@exemple.fr").id


def stored_files() -> list:
    root = get_settings().files_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def add(user_id: int, name: str = "releve.pdf", data: bytes | None = None, category: str = "rib") -> Document:
    outcome = wallet.ingest(user_id, name, data if data is not None else corpus.pdf(), category)
    assert isinstance(outcome, wallet.Stored), outcome
    return outcome.document


def test_store_writes_a_random_name_outside_anything_served(two_users):
    alice, _ = two_users
    document = add(alice, "../../etc/passwd.pdf")
    assert document.name == "passwd.pdf" and document.category == "rib" and document.kind == "pdf"
    path = filestore.path_of(document.stored_name)
    assert path.is_relative_to(get_settings().files_dir)
    assert "passwd" not in str(path)
    assert path.read_bytes() == corpus.pdf()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert len(document.sha256) == 64


def test_images_get_a_thumbnail_stored_beside(two_users):
    alice, _ = two_users
    document = add(alice, "photo.jpg", corpus.jpeg(gps=True))
    assert document.thumbnail_name
    assert filestore.path_of(document.thumbnail_name).read_bytes().startswith(b"\xff\xd8")
    assert len(stored_files()) == 2


def test_refused_file_stores_nothing(two_users):
    alice, _ = two_users
    outcome = wallet.ingest(alice, "page.pdf", corpus.html())
    assert isinstance(outcome, Refused)
    assert wallet.list_documents(alice) == [] and stored_files() == []


def test_unknown_category_falls_back_to_other(two_users):
    alice, _ = two_users
    assert add(alice, category="<script>").category == "autre"


def test_owner_lists_renames_recategorises_and_deletes(two_users):
    alice, _ = two_users
    first = add(alice, "a.pdf")
    second = add(alice, "b.png", corpus.png())
    assert [d.id for d in wallet.list_documents(alice)] == [second.id, first.id]
    assert wallet.rename(alice, first.id, "Mon RIB") is None
    assert wallet.get_document(alice, first.id).name == "Mon RIB.pdf"
    assert wallet.get_document(alice, first.id).original_name == "a.pdf"
    assert wallet.rename(alice, first.id, "   ") == "Indiquez un nom."
    assert wallet.recategorise(alice, first.id, "salaire") is None
    assert wallet.recategorise(alice, first.id, "nimporte") == "Choisissez une catégorie de la liste."
    assert wallet.delete(alice, second.id) is True
    assert [d.id for d in wallet.list_documents(alice)] == [first.id]
    assert len(stored_files()) == 1


def test_second_user_cannot_reach_the_first_users_document(two_users):
    alice, bob = two_users
    document = add(alice, "passeport.pdf")
    for document_id in (document.id, str(document.id), f"{document.id} ", "1 OR 1=1", None):
        assert wallet.get_document(bob, document_id) is None
        assert wallet.read_file(bob, document_id) is None
        assert wallet.freeze(bob, document_id) is None
        assert wallet.delete(bob, document_id) is False
        assert wallet.rename(bob, document_id, "pris") == "Ce document n'existe plus."
        assert wallet.recategorise(bob, document_id, "autre") == "Ce document n'existe plus."
    assert wallet.list_documents(bob) == []
    unchanged = wallet.get_document(alice, document.id)
    assert (unchanged.name, unchanged.category) == ("passeport.pdf", "rib")
    assert filestore.path_of(unchanged.stored_name).exists()


def test_quota_in_files(two_users, monkeypatch):
    alice, bob = two_users
    monkeypatch.setattr(wallet, "QUOTA_FILES", 2)
    add(alice)
    add(alice)
    refused = wallet.ingest(alice, "trois.pdf", corpus.pdf())
    assert isinstance(refused, Refused)
    assert refused.message == (
        "trois.pdf : Votre porte-documents contient déjà 2 documents, le maximum : "
        "supprimez ceux dont vous n'avez plus besoin, puis réessayez."
    )
    assert len(stored_files()) == 2
    add(bob)  # the quota is per user


def test_quota_in_bytes(two_users, monkeypatch):
    alice, _ = two_users
    big = corpus.pdf_5mb()
    monkeypatch.setattr(wallet, "QUOTA_BYTES", len(big) + 1000)
    add(alice, "scan.pdf", big)
    refused = wallet.ingest(alice, "encore.pdf", corpus.pdf_5mb())
    assert isinstance(refused, Refused)
    assert "Votre porte-documents est plein (4,5 Mo utilisés sur 4,5 Mo)" in refused.reason
    assert len(stored_files()) == 1


def test_frozen_copy_survives_deletion_and_rename(two_users):
    alice, _ = two_users
    document = add(alice, "contrat.pdf")
    frozen = wallet.freeze(alice, document.id)
    assert (frozen.name, frozen.kind, frozen.sha256, frozen.source_document_id) == (
        "contrat.pdf",
        "pdf",
        document.sha256,
        document.id,
    )
    assert frozen.stored_name != document.stored_name
    wallet.rename(alice, document.id, "autre nom")
    wallet.delete(alice, document.id)
    assert filestore.read(frozen.stored_name) == corpus.pdf()


def test_account_deletion_purges_rows_and_files(two_users):
    alice, bob = two_users
    add(alice, "a.pdf")
    add(alice, "b.jpg", corpus.jpeg())
    kept = add(bob, "c.pdf")
    assert accounts.delete_account(alice, PASSWORD).ok
    with session_scope() as db:
        assert db.get(User, alice) is None
    assert wallet.list_documents(alice) == []
    assert stored_files() == [filestore.path_of(kept.stored_name)]


def test_failed_account_deletion_keeps_the_files(two_users):
    alice, _ = two_users
    add(alice)
    assert not accounts.delete_account(alice, "wrong password").ok
    assert len(stored_files()) == 1 and len(wallet.list_documents(alice)) == 1


def test_stored_names_are_checked(temp_db):
    for bad in ("../../etc/passwd", "", "a" * 10, "x/y" * 20):
        with pytest.raises(ValueError):
            filestore.path_of(bad)


def test_french_long_dates_in_paris_time():
    from datetime import datetime

    from portal_app.domain.core.dates import paris_long

    assert paris_long(datetime(2026, 3, 3, 13, 5, tzinfo=UTC)) == "3 mars 2026 à 14 h 05"
    assert paris_long(datetime(2026, 8, 1, 7, 0, tzinfo=UTC)) == "1er août 2026 à 9 h 00"


def test_choice_label_tells_apart_two_files_of_the_same_name():
    from datetime import datetime

    first = Document(
        owner_id=1,
        name="scan.pdf",
        original_name="scan.pdf",
        stored_name="a",
        kind="pdf",
        size=1_258_291,
        sha256="",
        category="rib",
        created_at=datetime(2026, 3, 3, 13, 5),
    )
    second = Document(
        owner_id=1,
        name="scan.pdf",
        original_name="scan.pdf",
        stored_name="b",
        kind="pdf",
        size=20_000,
        sha256="",
        category="autre",
        created_at=datetime(2026, 3, 4, 8, 0),
    )
    assert wallet.choice_label(first) == "scan.pdf (RIB, 1,2 Mo, ajouté le 3 mars 2026 à 14 h 05)"
    assert wallet.choice_label(second) == "scan.pdf (Autre, 20 Ko, ajouté le 4 mars 2026 à 9 h 00)"
