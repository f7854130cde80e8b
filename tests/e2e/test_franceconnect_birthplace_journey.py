"""The birth place FranceConnect certifies, named from its COG codes: on the confirmation page,
in Mon compte, and prefilled read-only where a démarche asks for it (bank details)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import axe_check, goto, shot, wait_for_path, wait_hydrated
from tests.support.drafts import dossier, start_demarche
from tests.support.franceconnect import leave_for_franceconnect, pick


def test_a_birth_place_abroad_is_named_and_held_in_the_draft(portal, fc_provider, page):
    identity = fc_provider.add_identity(birthplace="", birthcountry="99134")
    leave_for_franceconnect(page, portal.base_url)
    pick(page, identity)
    wait_for_path(page, "/connexion/franceconnect")
    wait_hydrated(page)
    certified = page.locator(".certified")
    expect(certified).to_contain_text("Lieu de naissance")
    expect(certified).to_contain_text("Espagne")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    wait_for_path(page, "/demarches")

    goto(page, portal.base_url + "/mon-compte")
    expect(page.locator("#franceconnect")).to_contain_text("Espagne")

    dossier_id = start_demarche(page, portal.base_url, "Changement de coordonnées bancaires")
    field = page.get_by_label("Lieu de naissance du titulaire")
    expect(field).to_be_disabled()
    expect(field).to_have_value("Espagne")
    expect(page.get_by_role("group", name="Informations transmises par FranceConnect")).to_be_visible()
    expect(page.get_by_label("Titulaire du compte")).to_be_enabled()
    assert not axe_check(page)
    shot(page, "fc-lieu-naissance-brouillon")
    assert dossier(portal.db_engine(), dossier_id).answers["lieu_naissance"] == "Espagne"
