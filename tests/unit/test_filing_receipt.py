"""The filing receipt (attestation de dépôt): made at each filing, every name printed as typed
(DejaVu Sans embedded), attached to the acknowledgement, a new version per filing."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlmodel import select

from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import filing, receipt
from portal_app.models import FiledPiece
from tests.support.filing import filed_dossier, filled_draft
from tests.support.outbox import outbox_mails

FIRST_NAMES = "Éloïse Françoise Œlle Michał Désirée"
BIRTH_NAME = "Straße-Łukasiewicz"
USAGE_NAME = "Kővári-Straße Muñoz Başak Nguyễn Thị Ánh Tuyết"


def text_of(data: bytes) -> str:
    """The text of every page, lines joined (a long name may wrap) and spaces collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def fonts_of(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}


def test_the_receipt_prints_every_name_answer_and_piece_and_goes_with_the_acknowledgement(make_user):
    owner = make_user(first_names=FIRST_NAMES, birth_name=BIRTH_NAME, usage_name=USAGE_NAME)
    dossier = filed_dossier(owner.id)

    name, data = receipt.receipt_for(owner.id, dossier.id, 1)
    assert name == f"attestation-de-depot-{dossier.number}-v1.pdf"
    text = text_of(data)
    for expected in (
        "Portail",
        "Attestation de dépôt",
        "Projet de transition professionnelle",
        f"Dossier n° {dossier.number}",
        "Déposé le ",
        FIRST_NAMES,
        USAGE_NAME,
        owner.email,
    ):
        assert expected in text, expected
    # The PDF core fonts would have lost these; the names above hold every one.
    assert all(char in FIRST_NAMES + USAGE_NAME and char in text for char in "éçŒßłőñşễịÁ")
    assert all("DejaVu" in font for font in fonts_of(data)), fonts_of(data)
    with session_scope() as db:
        pieces = db.exec(select(FiledPiece).where(FiledPiece.dossier_id == dossier.id)).all()
    assert pieces
    for piece in pieces:
        assert f"SHA-256 : {piece.sha256}" in text and piece.name in text
    # Every step's answers; the social security number masked, as in the mail.
    assert "Intitulé de la formation" in text
    assert owner.nir and owner.nir not in text.replace(" ", "")

    (ack,) = [m for m in outbox_mails() if "déposé" in str(m["Subject"])]
    (attached,) = [part for part in ack.iter_attachments()]
    assert attached.get_filename() == name and attached.get_content_type() == "application/pdf"
    assert attached.get_content() == data


def test_filing_again_after_a_reopening_makes_a_new_version_and_keeps_the_old_one(make_user):
    owner = make_user()
    stranger = make_user("yann@exemple.fr")
    dossier = filed_dossier(owner.id)
    filing.reopen(None, dossier.id, "Le devis est illisible.")
    assert filing.submit(owner.id, dossier.id, sworn=True).ok

    assert [version for version, _ in receipt.receipt_dates(owner.id, dossier.id)] == [2, 1]
    first, second = receipt.receipt_for(owner.id, dossier.id, 1), receipt.receipt_for(owner.id, dossier.id, 2)
    assert first[1] != second[1] and "Version 2" in text_of(second[1])
    # Another account, a draft, or a version that does not exist: nothing.
    assert receipt.receipt_for(stranger.id, dossier.id, 1) is None
    assert receipt.receipt_dates(stranger.id, dossier.id) == []
    assert receipt.receipt_for(owner.id, dossier.id, 3) is None
    assert receipt.receipt_for(owner.id, filled_draft(owner.id).id, 1) is None


def test_the_accepted_quote_pdf_prints_any_name_too():
    """The quote PDF shares the receipt's embedded font: a provider named with ł, ő or ş prints."""
    import io
    from datetime import date

    from pypdf import PdfReader

    from portal_app.domain.quotes.pdf import quote_pdf
    from portal_app.models import QuoteRequest, QuoteVersion

    request = QuoteRequest(
        dossier_id=1,
        owner_id=1,
        provider_name="Szkoła Łódź Ödön Şahin",
        provider_siret="73282932000074",
        provider_email="devis@exemple.fr",
        token_hash="x",
        token_expires_at=date(2027, 1, 1),
        status="accepted",
    )
    version = QuoteVersion(
        request_id=1,
        number=2,
        title="Soudure – niveau ő",
        certification_code="RNCP35185",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 6, 30),
        hours_training=400,
        hours_company=70,
        location_line="3 rue des Lilas",
        location_postal_code="69003",
        location_city="Lyon",
        price_teaching=845000,
        price_extra=12000,
        valid_until=date(2027, 1, 31),
    )
    text = PdfReader(io.BytesIO(quote_pdf(request, version, "01/12/2026"))).pages[0].extract_text()
    assert "Szkoła Łódź Ödön Şahin" in text and "Soudure – niveau ő" in text
