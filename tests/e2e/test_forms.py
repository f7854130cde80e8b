"""Small form fixes of issue 10: password fields, /suivi numbers, plurals, address errors,
and démarche pages that log no React warning."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    DEFAULT_PASSWORD,
    create_active_user,
    login,
    unique_email,
    unique_nir,
)
from tests.support.drafts import open_draft, start_demarche

PTP_TITLE = "Projet de transition professionnelle"


@pytest.fixture
def user(portal):
    return create_active_user(
        portal,
        unique_email("forms"),
        birth_name="Martin",
        first_names="Camille",
        birth_date=date(1990, 4, 12),
        nir=unique_nir(),
        phone="06 12 34 56 78",
        address_line="12 rue des Lilas",
        postal_code="75011",
        city="Paris",
    )


def test_demarche_steps_log_no_react_warning_nor_error(portal, page, user):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}") if msg.type in ("warning", "error") else None)
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)  # a client-side navigation
    # The autosave script came as a plain element (react-helmet, behind the warning, marks its tags).
    page.wait_for_function("() => !!window.portailDraft")
    open_draft(page, portal.base_url, dossier_id, "situation")  # a full load
    page.wait_for_function("() => !!window.portailDraft")
    assert page.locator("[data-react-helmet]").count() == 0
    assert page.locator('script[src="/draft_autosave.js"]').count() == 1
    assert page.locator('script[src="/portal.js"]').count() == 1
    assert messages == []
