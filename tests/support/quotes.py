"""Training quotes driven through the domain, in a unit test's database (mails in its outbox).

dossier_id, request_id, raw = asked(user_id)          # a PTP draft and a quote request
provider.send_quote(raw, quote_terms(), programme())  # the provider answers through its link
"""

from __future__ import annotations

import re
from datetime import timedelta

PTP = "projet-transition-professionnelle"
# A SIRET that passes the Luhn check.
SIRET = "73282932000074"


def quote_terms(**changes: str) -> dict[str, str]:
    """The provider's form, complete and valid (starting in 60 days, valid 30 days)."""
    from portal_app.domain.core.formats import today_in_france

    start = today_in_france() + timedelta(days=60)
    return {
        "title": "Titre professionnel Développeur web",
        "certification_code": "RNCP37674",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=200)).isoformat(),
        "hours_training": "700",
        "hours_company": "280",
        "location_line": "12 rue des Écoles",
        "location_postal_code": "75005",
        "location_city": "Paris",
        "price_teaching": "8 450",
        "price_extra": "320",
        "valid_until": (today_in_france() + timedelta(days=30)).isoformat(),
        **changes,
    }


def programme(data: bytes | None = None, name: str = "programme.pdf"):
    """A programme PDF as the upload pipeline hands it to provider.keep_programme (stored)."""
    from portal_app.domain.quotes import provider
    from portal_app.domain.uploads.checks import Accepted
    from tests.support.pdf_builder import document

    data = data if data is not None else document()
    return provider.keep_programme(
        Accepted(kind="pdf", clean_bytes=data, safe_name=name, sha256="0" * 64, size=len(data))
    )


def asked(user_id: int) -> tuple[int, int, str]:
    """A new PTP draft of `user_id` with a quote request: (dossier id, request id, the provider's raw
    token as its mailed link carries it)."""
    from sqlmodel import select

    from portal_app.domain.core.db import session_scope
    from portal_app.domain.dossiers import drafts
    from portal_app.domain.quotes import person
    from portal_app.models import QuoteRequest
    from tests.support.outbox import outbox_mails, text

    dossier = drafts.create_draft(user_id, PTP)
    data = {"provider_name": "École du Web", "provider_siret": SIRET, "provider_email": "contact@formation.fr"}
    assert person.request_quote(user_id, dossier.id, data) == {}
    mail = next(m for m in reversed(outbox_mails()) if m["Subject"].startswith("Demande de devis"))
    raw = re.search(r"jeton=([A-Za-z0-9_\-%]+)", text(mail)).group(1)
    with session_scope() as db:
        request_id = db.exec(select(QuoteRequest.id).order_by(QuoteRequest.id.desc())).first()
    return dossier.id, request_id, raw
