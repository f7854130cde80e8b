""" "Télécharger mes données": the zip holds every part (profile, dossiers with answers, history,
messages and notifications, filed pieces, receipts, porte-documents), is mailed when ready, is
its owner's only, and is deleted after 24 hours."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

from sqlmodel import select

from portal_app.domain.accounts import data_export
from portal_app.domain.core import filestore
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import discussion, workflow
from portal_app.domain.relations import forms, relations
from portal_app.models import Document
from portal_app.models.base import utcnow
from portal_app.models.data_export import DataExport
from tests.support import corpus
from tests.support.filing import filed_dossier, filled_draft
from tests.support.outbox import outbox_mails, text

CHILD = {
    "link": "enfant",
    "birth_name": "Martin",
    "usage_name": "",
    "first_names": "Léa",
    "birth_date": "2012-06-01",
    "birthplace": "Lyon",
}


def test_the_zip_holds_every_part_and_is_mailed(make_user):
    owner = make_user(first_names="Élodie", birth_name="Martin")
    dossier = filed_dossier(owner.id)
    draft = filled_draft(owner.id)
    relations.save(owner.id, forms.PERSON, CHILD)
    agent = make_user("agent@exemple.fr", role="agent")
    workflow.change_status(agent.id, workflow.AGENT, dossier.id, "en_instruction")
    discussion.open_or_post_agent_message(
        agent.id, dossier.id, "Merci de préciser la date de début.", [("precisions.png", corpus.png())]
    )

    export = data_export.request_export(owner.id)  # the task runs inline in unit tests
    (ready,) = [m for m in outbox_mails() if "données sont prêtes" in str(m["Subject"])]
    link = re.search(r"https?://\S+/_portal/mes-donnees/(\d+)", text(ready))
    assert link and int(link.group(1)) == export.id
    data = data_export.export_for(owner.id, export.id)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()

    profile = json.loads(archive.read("profil.json"))
    assert profile["email"] == owner.email and profile["first_names"] == "Élodie"
    assert "notify_status" in profile and "password_hash" not in profile
    (child,) = json.loads(archive.read("relations.json"))
    assert child["first_names"] == "Léa" and child["birth_date"] == "2012-06-01" and child["link"] == "enfant"

    record = json.loads(archive.read(f"dossiers/{dossier.number}/dossier.json"))
    assert record["number"] == dossier.number and record["answers"]
    assert record["for_whom"] == {} and record["quotes"] == []
    assert [h["kind"] for h in record["history"]][:2] == ["created", "submitted"]
    assert any(h["to_status"] == "en_instruction" for h in record["history"])
    assert record["notifications"], "the status change notified the owner"
    (message,) = record["messages"]
    assert message["body"] == "Merci de préciser la date de début." and message["author_role"] == "agent"
    (attached,) = message["files"]
    assert attached.endswith("precisions.png") and archive.read(attached).startswith(b"\x89PNG")
    assert json.loads(archive.read(f"dossiers/brouillon-{draft.id}/dossier.json"))["number"] is None

    pieces = [n for n in names if n.startswith(f"dossiers/{dossier.number}/pieces/")]
    assert pieces and all(archive.read(n)[:4] == b"%PDF" for n in pieces)
    assert f"dossiers/{dossier.number}/attestation-de-depot-v1.pdf" in names
    with session_scope() as db:
        documents = db.exec(select(Document).where(Document.owner_id == owner.id)).all()
    assert documents
    for document in documents:
        assert archive.read(f"porte-documents/{document.id}-{document.name}") == filestore.read(document.stored_name)
    assert "notifications.json" in names


def test_only_its_owner_downloads_it_for_24_hours_then_it_is_deleted(make_user):
    owner = make_user()
    stranger = make_user("yann@exemple.fr")
    export = data_export.request_export(owner.id)
    assert data_export.export_for(owner.id, export.id)
    assert data_export.export_for(stranger.id, export.id) is None
    # Mon compte lists it for its owner alone, while it is valid.
    assert data_export.ready_export(owner.id).id == export.id
    assert data_export.ready_export(stranger.id) is None
    with session_scope() as db:
        db.get(DataExport, export.id).expires_at = utcnow() - timedelta(seconds=1)
    assert data_export.ready_export(owner.id) is None
    with session_scope() as db:
        db.get(DataExport, export.id).expires_at = utcnow() + timedelta(hours=24)
    with session_scope() as db:
        stored = db.get(DataExport, export.id).stored_name
    assert filestore.path_of(stored).exists()

    assert data_export.clean_up(now=utcnow() + timedelta(hours=23)) == 0
    assert data_export.clean_up(now=utcnow() + timedelta(hours=24, minutes=1)) == 1
    assert data_export.export_for(owner.id, export.id) is None
    assert not filestore.path_of(stored).exists()
