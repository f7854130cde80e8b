"""The designers' pages: /_galerie and /_apercu/<code> exist under `make run` only.

Under the development server (a copy of the checkout, as test_dev_server runs it) they render
without a console warning or error, pass axe at both viewports and their headings nest (one h1,
no level skipped); a démarche scaffolded by `new-demarche` gets its preview, which follows its file
as it is edited. The production build the other end-to-end tests drive has neither route, not even
in its route manifest.

Cost: one `make run` for the module, both viewports against it, and one code change (each change
makes the development server recompile every page): the démarche is scaffolded into the copy
before `make run` starts, so the only reload is the edit that proves the preview follows its file.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import ROOT, axe_check, new_context, shot, wait_hydrated
from tests.support.devserver import DevPortalServer, checkout_copy

DESIGNER_PAGES = {
    "/_galerie": "Galerie des composants",
    "/_apercu/demande-attestation": "Demande d'attestation",
    "/_apercu/projet-transition-professionnelle": "Projet de transition professionnelle",
}
SCAFFOLDED = ("aide-velo", "Aide au vélo")
# The development server recompiles every page after a change to the code (85 pages, about a
# minute on the 2-core machine under the other builds' load): that is the condition waited for.
RECOMPILED = 300_000
# Vite transforms a page's modules on its first request (seconds each, more under load).
FIRST_VISIT = 120_000
HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(heading => heading.checkVisibility())
    .map(heading => [Number(heading.tagName[1]), heading.textContent.trim()])"""


@pytest.fixture(scope="module")
def dev_portal(tmp_path_factory):
    server = DevPortalServer(checkout_copy(tmp_path_factory.mktemp("designers") / "portail"))
    # As a designer does it, with the command the README gives; before `make run`, which then
    # compiles its preview with the others (no second recompile for a new module).
    code, title = SCAFFOLDED
    result = server.cli("new-demarche", code, title)
    assert str(server.root / "portal_app" / "demarches" / f"{code.replace('-', '_')}.py") in result.stdout
    try:
        server.start()
        yield server
    finally:
        server.stop()


def listen(page: Page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console", lambda msg: messages.append(f"{msg.type}: {msg.text}") if msg.type in ("warning", "error") else None
    )
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    return messages


def open_designer_page(page: Page, path: str, heading: str, timeout: float = FIRST_VISIT) -> None:
    # The development server transforms a page's modules on its first request: the condition
    # is the page's heading, not the load event of a server still transforming.
    page.goto(path, wait_until="commit")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading, timeout=timeout)
    wait_hydrated(page)


@pytest.mark.viewports("desktop")
def test_the_production_build_has_no_designer_page(portal, page):
    for path in DESIGNER_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    routes = page.evaluate("Object.values(window.__reactRouterManifest.routes).map(route => route.path || '')")
    assert routes and not [route for route in routes if re.search(r"_galerie|_apercu", route)]
    built = [path for path in (ROOT / ".web" / "build").rglob("*") if re.search(r"galerie|apercu", path.name)]
    assert built == []


def headings(page: Page) -> list[list]:
    """The page's visible headings in document order, as [level, text]."""
    return page.evaluate(HEADINGS)


def assert_nested(outline: list[list], path: str) -> None:
    levels = [level for level, _ in outline]
    assert levels[:1] == [1] and levels.count(1) == 1, (path, outline)
    skipped = [(before, after) for before, after in zip(outline, outline[1:], strict=False) if after[0] > before[0] + 1]
    assert skipped == [], (path, outline)


def check_gallery(page: Page) -> None:
    main = page.locator("main")
    # Each field kind in its three states, every status of every démarche, both headers.
    for column in ("Rempli", "Avec une aide", "En erreur"):
        expect(main.get_by_role("heading", name=column, exact=True)).to_be_visible()
    # Six fields in error, and the address's part (its error is drawn beside the part).
    expect(main.locator(".field--error")).to_have_count(7)
    for label in ("Brouillon", "Attestation envoyée", "Classé sans suite", "Réouvert pour modification"):
        expect(main.locator(".status-badge", has_text=label).first).to_be_visible()
    expect(main.locator(".stepper__item--current")).to_have_count(8)  # 4 steppers, compact and full lists
    expect(main.locator("header").nth(1)).to_contain_text("Camille Martin")
    expect(main.locator("#resume-erreurs")).to_be_visible()
    # The error summary and the upload results nest under the gallery's h3 that shows them.
    outline = headings(page)
    for shown_under, nested in (
        ("Résumé des erreurs", "Le formulaire contient des erreurs"),
        ("Avec des résultats", "Résultat de l'envoi"),
    ):
        index = outline.index([3, shown_under])
        assert outline[index + 1] == [4, nested], outline


def test_designer_pages_render_clean_under_make_run(dev_portal, browser, viewport_name):
    context = new_context(browser, viewport_name, dev_portal.base_url)
    try:
        page = context.new_page()
        messages = listen(page)
        for path, heading in DESIGNER_PAGES.items():
            open_designer_page(page, path, heading)
            expect(page).to_have_title(
                re.compile(rf"^(Galerie des composants|Aperçu : {re.escape(heading)}) — Portail$")
            )
            expect(page.get_by_role("heading", level=1)).to_be_focused()
            assert_nested(headings(page), path)
            if path == "/_galerie":
                check_gallery(page)
            axe_check(page)
            # Usable at 390 px: nothing wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            shot(page, "galerie" if path == "/_galerie" else path.rsplit("/", 1)[-1])
        assert messages == []
    finally:
        context.close()


@pytest.mark.viewports("desktop")
def test_preview_shows_every_step_both_states_and_follows_the_file(dev_portal, browser, viewport_name):
    code, title = SCAFFOLDED
    module = dev_portal.root / "portal_app" / "demarches" / f"{code.replace('-', '_')}.py"
    context = new_context(browser, viewport_name, dev_portal.base_url)
    try:
        page = context.new_page()
        messages = listen(page)
        open_designer_page(page, f"/_apercu/{code}", title)
        main = page.locator("main")
        # Each step (h2) with its sample variants (h3), then the recap (h2) and its steps (h3).
        assert headings(page) == [
            [1, title],
            [2, "Étape 1 sur 2 — Votre demande"],
            [3, "Si « Souhaitez-vous apporter des précisions ? » : Oui"],
            [3, "Réponses qui masquent les champs conditionnels"],
            [2, "Étape 2 sur 2 — Pièces justificatives"],
            [2, "Récapitulatif"],
            [3, "1. Votre demande"],
            [3, "2. Pièces justificatives"],
        ]
        # The conditional field once shown, once hidden; sample answers from the kinds.
        details = main.locator("#etape-demande form")
        expect(details).to_have_count(2)
        expect(details.nth(0).get_by_label("Vos précisions")).to_be_visible()
        expect(details.nth(1).get_by_label("Vos précisions")).to_be_hidden()
        expect(details.nth(0).get_by_label("Adresse e-mail")).to_have_value("camille.martin@exemple.fr")
        expect(main.locator("#etape-pieces")).to_contain_text("Un justificatif")
        expect(main.locator("#recapitulatif")).to_contain_text("Exemple de réponse")
        axe_check(page)
        assert messages == []

        # The module's one change: every page is recompiled once.
        module.write_text(
            module.read_text(encoding="utf-8").replace('"Objet de votre demande"', '"Objet de la demande d\'aide"'),
            encoding="utf-8",
        )
        dev_portal.wait_for_reload(module)
        # No reload by the test: the development server redraws the open page.
        expect(main.get_by_label("Objet de la demande d'aide").first).to_be_visible(timeout=RECOMPILED)
        expect(main.get_by_label("Objet de votre demande")).to_have_count(0)
        # The backend restarted under the open page: only its socket's reconnection is reported.
        assert [message for message in messages if "WebSocket connection to" not in message] == []
    finally:
        context.close()
