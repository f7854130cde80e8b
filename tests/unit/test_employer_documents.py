"""Employer documents: categories as data, visibility by dossier, only one's own to change."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from sqlmodel import Session, select

from portal_app.domain.core import filestore
from portal_app.domain.employer import avis, document_categories, onboarding, reglement_import
from portal_app.domain.employer import employer_documents as docs
from portal_app.domain.uploads import pipeline
from portal_app.models import EmployerAccount

SIRET_A, SIRET_B = "73282932000074", "44202128000015"
HEADER = "siret;date;dossier;nom;prenom;formation;reglement;heures;debut;fin;montant"


def png(color=(0, 0, 145)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def setup(temp_db, fast_hashing):
    for name, siret, email in (("A", SIRET_A, "a@exemple.fr"), ("B", SIRET_B, "b@exemple.fr")):
        assert onboarding.create_employer(name, siret, email).errors == {}
    csv = "\n".join(
        [
            HEADER,
            f"{SIRET_A};05/10/2019;TP-1;DUPONT;Marie;CAP;900001;151,67;01/09/2019;30/09/2019;10,00",
            f"{SIRET_B};05/10/2019;TP-2;LEROY;Paul;BTS;900002;151,67;01/09/2019;30/09/2019;10,00",
        ]
    ).encode()
    assert reglement_import.import_reglements(csv, on_created=avis.file_avis_de_virement).ok
    with Session(temp_db) as s:
        a, b = (
            s.exec(select(EmployerAccount.user_id).where(EmployerAccount.siret == x)).one() for x in (SIRET_A, SIRET_B)
        )
    return a, b


def accepted():
    outcome = pipeline.check("photo.png", png())
    assert outcome.__class__.__name__ == "Accepted"
    return outcome


def test_categories_declare_their_fields():
    keys = [c.key for c in document_categories.EMPLOYER_CATEGORIES]
    assert "avis_virement" not in keys
    assert {"attestation_salaire", "bulletin_salaire", "contrat_travail", "justificatif_absence", "autre"} <= set(keys)
    for category in document_categories.CATEGORIES:
        assert category.instructions
        assert set(category.fields) <= {"dossier", "label", "period"}


def test_clean_fields(setup):
    a, b = setup
    assert docs.clean_fields(a, {"category": "avis_virement"})[1] == {"category": "Choisissez le type de document."}
    _, errors = docs.clean_fields(a, {"category": "attestation_salaire"})
    assert set(errors) == {"dossier", "period_start", "period_end"}
    _, errors = docs.clean_fields(
        a,
        {
            "category": "attestation_salaire",
            "dossier": "TP-2",
            "period_start": "2019-09-01",
            "period_end": "2019-09-30",
        },
    )
    assert set(errors) == {"dossier"}  # another employer's dossier
    values, errors = docs.clean_fields(
        a,
        {
            "category": "attestation_salaire",
            "dossier": "TP-1",
            "period_start": "2019-09-01",
            "period_end": "2019-09-30",
        },
    )
    assert errors == {}
    assert (values["dossier_number"], values["beneficiary_name"], values["period_start"]) == (
        "TP-1",
        "DUPONT Marie",
        date(2019, 9, 1),
    )
    _, errors = docs.clean_fields(a, {"category": "autre"})
    assert set(errors) == {"label"}
    values, errors = docs.clean_fields(
        a, {"category": "autre", "label": " Kbis  2025 ", "period_start": "2019-10-01", "period_end": "2019-09-01"}
    )
    assert set(errors) == {"period_end"}


def test_visibility_and_ownership(setup):
    a, b = setup
    general, _ = docs.clean_fields(a, {"category": "autre", "label": "Kbis"})
    on_dossier, _ = docs.clean_fields(a, {"category": "contrat_travail", "dossier": "TP-1"})
    general_id = docs.add_document(a, general, accepted())
    dossier_id = docs.add_document(a, on_dossier, accepted())

    assert [d.id for d in docs.general_documents(a)] == [general_id]
    in_dossier = docs.dossier_documents(a, "TP-1")
    assert {d.filed_by for d in in_dossier} == {"employer", "agency"}
    assert dossier_id in {d.id for d in in_dossier}
    assert docs.general_documents(b) == [] and docs.dossier_documents(b, "TP-1") == []
    assert docs.get_document(b, general_id) is None

    agency_doc = next(d for d in in_dossier if d.filed_by == "agency")
    assert not agency_doc.editable
    assert not docs.delete_document(a, agency_doc.id)
    assert not docs.update_document(a, agency_doc.id, {"label": "x"})
    assert not docs.delete_document(b, general_id)

    new_file = pipeline.check("autre.png", png((200, 0, 0)))
    assert docs.update_document(a, general_id, {"label": "Kbis 2026"}, new_file)
    row = docs.get_document(a, general_id)
    assert row.label == "Kbis 2026" and row.sha256 == new_file.sha256
    assert docs.read_file(row) == new_file.clean_bytes
    assert docs.delete_document(a, general_id)
    assert docs.get_document(a, general_id) is None


def test_refused_upload_uses_the_porte_documents_messages():
    outcome = pipeline.check("notes.txt", b"hello")
    assert outcome.__class__.__name__ == "Refused"
    assert "PNG, JPEG et PDF" in outcome.message


def test_account_deletion_takes_the_employer_data(setup, temp_db):
    from portal_app.domain import accounts
    from portal_app.domain.accounts.passwords import hash_password
    from portal_app.models import EmployerDocument, Reglement, User

    a, b = setup
    with Session(temp_db) as s:
        user = s.get(User, a)
        user.password_hash = hash_password("Menuiserie-Bois-2026!")
        s.add(user)
        s.commit()
        keys = {
            owner: [
                d.storage_key for d in s.exec(select(EmployerDocument).where(EmployerDocument.employer_id == owner))
            ]
            for owner in (a, b)
        }
    assert keys[a] and keys[b]
    assert accounts.delete_account(a, "Menuiserie-Bois-2026!").ok
    # The files go with their rows, and only theirs.
    assert not any(filestore.path_of(key).exists() for key in keys[a])
    assert all(filestore.path_of(key).exists() for key in keys[b])
    with Session(temp_db) as s:
        assert s.get(User, a) is None
        assert s.exec(select(Reglement).where(Reglement.employer_id == a)).all() == []
        assert s.exec(select(EmployerDocument).where(EmployerDocument.employer_id == a)).all() == []
        assert s.exec(select(Reglement).where(Reglement.employer_id == b)).all() != []


def test_the_avis_de_virement_prints_any_name():
    """The agency's import carries names as typed: Polish, Turkish, Hungarian letters print,
    where the PDF core fonts (Windows-1252) refused them and the import failed."""
    from decimal import Decimal

    from pypdf import PdfReader

    from portal_app.domain.employer.reglements import Line

    line = Line(
        id=1,
        number="900003",
        paid_on=date(2019, 10, 5),
        dossier_number="TP-3",
        beneficiary="Łucja Şahin-Gődör",
        formation="Œnologie – niveau 2",
        hours=Decimal("151.67"),
        period_start=date(2019, 9, 1),
        period_end=date(2019, 9, 30),
        amount=Decimal("1234.50"),
        pointed=False,
    )
    text = PdfReader(io.BytesIO(avis.avis_pdf(line, "Żabka Ołówki SARL", SIRET_A))).pages[0].extract_text()
    for expected in ("Łucja Şahin-Gődör", "Œnologie – niveau 2", "Żabka Ołówki SARL", "900003"):
        assert expected in text
