"""`seed-demo` (what `make run` loads) shows a living portal: the demo beneficiary signs in with
the printed credentials and finds dossiers in several states, the agency's request in the
discussion, and the demo agent finds them in the back office.

The demo data goes into the session's shared server: its dossiers belong to the demo accounts
only, so the other modules (which make their own users and filter by number) are unaffected.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, expect

from tests.support.browser import goto, login, path_of, shot


def seed(portal) -> dict[str, tuple[str, str]]:
    """Run seed-demo (again when the other viewport ran first: it must stay idempotent) and
    read the credentials it prints."""
    out = portal.cli("seed-demo").stdout
    printed = re.findall(r"^\s+(bénéficiaire|agent)\s+: (\S+) / (\S+)$", out, re.MULTILINE)
    found = {role: (email, password) for role, email, password in printed}
    assert set(found) == {"bénéficiaire", "agent"}, out
    return found


def with_status(rows: Locator, label: str) -> Locator:
    return rows.filter(has=rows.page.locator(".status-badge").get_by_text(label, exact=True))


def test_the_demo_beneficiary_and_agent_see_real_dossiers(portal, page, new_context):
    credentials = seed(portal)
    email, password = credentials["bénéficiaire"]
    ptp = "Projet de transition professionnelle"

    login(page, portal.base_url, email, password)
    rows = page.locator(".dossier-row")
    expect(rows).to_have_count(4)
    completion = with_status(rows, "Des informations sont à compléter")
    expect(completion).to_contain_text(ptp)
    expect(completion).to_contain_text(re.compile(r"PTP-\d{4}-\d{6}"))
    expect(completion).to_contain_text("Répondre à l'agence")
    draft = with_status(rows, "Brouillon")
    expect(draft).to_contain_text("Pas encore déposé")
    expect(draft.get_by_role("link", name=f"Reprendre : {ptp}")).to_be_visible()
    filed = with_status(rows, "Déposé")
    expect(filed).to_contain_text(ptp)
    expect(filed).to_contain_text("Rien à faire : l'agence examine votre dossier")
    expect(with_status(rows, "Attestation envoyée")).to_contain_text("Demande d'attestation")
    shot(page, "demo-demarches")

    completion.get_by_role("link", name=re.compile("^Consulter")).click()
    expect(page.locator(".message--agency")).to_contain_text("le devis de l'organisme de formation n'est pas signé")
    expect(page.locator("#prochaine-etape")).to_have_text("Répondre à l'agence")
    expect(page.locator(".timeline__item").first).to_contain_text("Des informations sont à compléter")
    shot(page, "demo-dossier-a-completer")

    # The pieces filed with it: the frozen copies, downloadable from the recap.
    dossier_path = re.sub(r"/suivi$", "", path_of(page.url))
    goto(page, f"{portal.base_url}{dossier_path}/recapitulatif")
    quote = page.get_by_role("link", name="Télécharger devis-formation-electricien.pdf")
    expect(page.get_by_role("link", name="Télécharger piece-identite.png")).to_be_visible()
    with page.expect_download() as download:
        quote.click()
    assert download.value.suggested_filename == "devis-formation-electricien.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    agent_email, agent_password = credentials["agent"]
    agent_page = new_context().new_page()
    login(agent_page, portal.base_url, agent_email, agent_password, expect_path="/agent")
    agent_page.get_by_label("Nom du demandeur").fill(email)
    agent_page.get_by_role("button", name="Filtrer").click()
    listed = agent_page.locator("table.data-table tbody tr")
    expect(listed).to_have_count(3)  # the draft was never filed: the agency does not see it
    for status in ("Déposé", "À compléter", "Attestation envoyée"):
        expect(with_status(listed, status)).to_contain_text("MARTIN Camille")
    shot(agent_page, "demo-agent")
