"""Hostile use of the session machinery, against the production build: a login ticket URL opened
by another browser or from another site (login CSRF), and a tab's client token used by another
browser for an upload or a reconnection (tab tokens as bearer credentials)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.support import corpus
from tests.support.browser import (
    create_applicant,
    expect_signed_in_as,
    goto,
    login,
    login_sessions,
    logout_from_menu,
    path_of,
    session_cookie,
    submit_login,
    tab_token,
)

OTHER_SITE = "http://site-malveillant.test"


def applicant(portal, marker: str):
    """A beneficiary whose name and address appear nowhere else: what must not leak."""
    return create_applicant(portal, marker, first_names=f"Zephyrine{marker}", birth_name=f"Kowalczyk{marker}")


def ticket_url_of(new_context, portal, user) -> str:
    """The attacker logs into their own account and keeps the ticket URL instead of following it."""
    context = new_context()
    captured: list[str] = []

    def keep(route):
        captured.append(route.request.url)
        route.abort()

    context.route("**/_portal/session/start*", keep)
    page = context.new_page()
    goto(page, f"{portal.base_url}/connexion")
    submit_login(page, user.email, "Tournesol-2024!", wait_reply=False)
    for _ in range(300):
        if captured:
            break
        page.wait_for_timeout(50)
    assert captured, "the login page sent no ticket URL"
    context.close()
    return captured[0]


def on_other_site(page, url: str) -> None:
    """Open `url` as a visitor would from another site: a link on a page of another origin."""
    page.route(
        f"{OTHER_SITE}/**",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body=f'<!doctype html><html lang="fr"><title>Gagnez</title><a id="piege" href="{url}">Gagnez</a></html>',
        ),
    )
    page.goto(f"{OTHER_SITE}/gagnez")
    page.locator("#piege").click()


@pytest.fixture
def attacker(portal):
    return applicant(portal, "att" + uuid.uuid4().hex[:8])


def test_a_ticket_url_from_another_site_or_browser_signs_nobody_into_its_account(
    portal, new_context, attacker, viewport_name
):
    victim_account = applicant(portal, "vic" + uuid.uuid4().hex[:8])
    victim_name = f"{victim_account.first_names} {victim_account.birth_name}"

    # (1) A logged-out visitor clicks the attacker's ticket link on another site.
    visitor = new_context().new_page()
    on_other_site(visitor, ticket_url_of(new_context, portal, attacker))
    visitor.wait_for_url(lambda url: path_of(url) in ("/connexion", "/demarches"))
    assert path_of(visitor.url) == "/connexion", "the visitor was signed into the attacker's account"
    expect(visitor.locator("main")).to_contain_text("un lien venant d'un autre site ne peut pas vous connecter")
    assert session_cookie(visitor.context) is None

    # (2) A visitor signed into their own account, same trap.
    victim = new_context().new_page()
    login(victim, portal.base_url, victim_account.email, "Tournesol-2024!")
    victim_cookie = session_cookie(victim.context)["value"]
    on_other_site(victim, ticket_url_of(new_context, portal, attacker))
    victim.wait_for_url(lambda url: path_of(url) in ("/connexion", "/demarches"))
    assert session_cookie(victim.context)["value"] == victim_cookie
    goto(victim, f"{portal.base_url}/demarches")
    expect_signed_in_as(victim, victim_name)

    # (3) The ticket URL typed or pasted into another browser (no cross-site mark at all): it is
    # bound to the browser that asked for it.
    pasted = new_context().new_page()
    pasted.goto(ticket_url_of(new_context, portal, attacker))
    pasted.wait_for_url(lambda url: path_of(url) in ("/connexion", "/demarches"))
    assert path_of(pasted.url) == "/connexion", "the other browser was signed into the attacker's account"
    expect(pasted.locator("main")).to_contain_text("Ce lien de connexion n'est plus valable")
    assert session_cookie(pasted.context) is None

    assert login_sessions(portal, attacker.id) == [], "a session was opened for the attacker's account"

    # The attacker (anyone) still logs in normally, the ticket cookie gone afterwards.
    own = new_context().new_page()
    login(own, portal.base_url, attacker.email, "Tournesol-2024!")
    expect_signed_in_as(own, f"{attacker.first_names} {attacker.birth_name}")
    assert [c for c in own.context.cookies() if c["name"] == "portal_ticket"] == []
    assert len(login_sessions(portal, attacker.id)) == 1


# ---------------------------------------------------------------- tab tokens


def documents_of(portal, user_id: int) -> list:
    from portal_app.models import Document

    with Session(portal.db_engine()) as db:
        return list(db.exec(select(Document).where(Document.owner_id == user_id)).all())


def upload_handler_name() -> str:
    from portal_app.states.documents import DocumentsState

    return f"{DocumentsState.get_full_name()}.upload"


@pytest.mark.viewports("desktop")
def test_an_upload_with_another_tabs_token_stores_nothing(portal, new_context, attacker):
    victim_account = applicant(portal, "vic" + uuid.uuid4().hex[:8])
    victim = new_context().new_page()
    login(victim, portal.base_url, victim_account.email, "Tournesol-2024!")
    goto(victim, f"{portal.base_url}/porte-documents")
    expect(victim.get_by_role("heading", name="Porte-documents", level=1)).to_be_visible()
    stolen = tab_token(victim)

    headers = {"Reflex-Client-Token": stolen, "Reflex-Event-Handler": upload_handler_name()}
    multipart = {"files": {"name": "depot-piege.pdf", "mimeType": "application/pdf", "buffer": corpus.pdf()}}
    # From the attacker's own signed-in browser (its session cookie goes along)...
    mallory = new_context().new_page()
    login(mallory, portal.base_url, attacker.email, "Tournesol-2024!")
    signed_in = mallory.request.post(f"{portal.base_url}/_upload", headers=headers, multipart=multipart)
    # ... and from a script with no session at all.
    anonymous = httpx.post(
        f"{portal.base_url}/_upload",
        headers=headers,
        files={"files": ("depot-piege.pdf", corpus.pdf(), "application/pdf")},
        timeout=30,
    )
    assert signed_in.status == 403 and "Envoi refusé" in signed_in.text()
    assert anonymous.status_code == 403
    assert documents_of(portal, victim_account.id) == [] and documents_of(portal, attacker.id) == []

    # The tab's owner still uploads from their page.
    upload = corpus.png()
    victim.locator("#porte-documents input[type=file]").set_input_files(
        files=[{"name": "attestation.png", "mimeType": "image/png", "buffer": upload}]
    )
    expect(victim.locator("#resultat-envoi")).to_contain_text("attestation.png : ajouté à votre porte-documents.")
    assert [d.name for d in documents_of(portal, victim_account.id)] == ["attestation.png"]


def closed_tab(new_context, portal, owner) -> str:
    """The owner's tab on /mon-compte, showing their names and address, then closed: its token."""
    page = new_context().new_page()
    login(page, portal.base_url, owner.email, "Tournesol-2024!")
    goto(page, f"{portal.base_url}/mon-compte")
    expect(page.get_by_label("Nom de naissance")).to_have_value(owner.birth_name)
    expect(page.locator("main")).to_contain_text(owner.email)
    token = tab_token(page)
    page.close()
    return token


def reconnect_with(new_context, portal, token: str, signed_in_as=None) -> tuple[object, list[str]]:
    """A browser that presents `token` as its own from the first script on, every frame it receives."""
    context = new_context()
    if signed_in_as is not None:
        login(context.new_page(), portal.base_url, signed_in_as.email, "Tournesol-2024!")
    for _attempt in range(20):
        page = context.new_page()
        frames: list[str] = []
        page.on("websocket", lambda ws, frames=frames: ws.on("framereceived", lambda p: frames.append(str(p))))
        page.add_init_script(f"window.sessionStorage.setItem('token', {token!r})")
        goto(page, f"{portal.base_url}/mon-compte")
        expect(page.locator("main h1")).to_be_visible()
        # While the closed tab's socket is not yet forgotten, Reflex hands out a new token.
        if tab_token(page) == token:
            return page, frames
        page.close()
    raise AssertionError("the closed tab's token was never accepted")


@pytest.mark.viewports("desktop")
@pytest.mark.parametrize("who", ["nobody", "another account"])
def test_a_closed_tabs_token_brings_none_of_its_state(portal, new_context, attacker, who):
    owner = applicant(portal, "own" + uuid.uuid4().hex[:8])
    token = closed_tab(new_context, portal, owner)
    page, frames = reconnect_with(new_context, portal, token, attacker if who == "another account" else None)
    if who == "nobody":
        page.wait_for_url(lambda url: path_of(url) == "/connexion")
    else:
        expect(page.get_by_label("Nom de naissance")).to_have_value(attacker.birth_name)
    received = "\n".join(frames)
    assert frames, "no frame received"
    for secret in (owner.email, owner.birth_name, owner.first_names):
        assert secret not in received, f"{secret!r} reached the other browser"
    expect(page.locator("body")).not_to_contain_text(owner.email)


def test_a_tab_left_under_an_older_session_is_told_why_its_upload_is_refused(portal, new_context, attacker):
    """The person logs out and back in (here as another account) in a second tab, then uploads from
    the first one: nothing is stored, the tab says why and reloads under the current session."""
    other = applicant(portal, "oth" + uuid.uuid4().hex[:8])
    context = new_context()
    first = context.new_page()
    login(first, portal.base_url, attacker.email, "Tournesol-2024!")
    goto(first, f"{portal.base_url}/porte-documents")
    expect(first.get_by_role("heading", name="Porte-documents", level=1)).to_be_visible()

    second = context.new_page()
    goto(second, f"{portal.base_url}/mon-compte")
    logout_from_menu(second)
    login(second, portal.base_url, other.email, "Tournesol-2024!")
    second.close()

    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    first.on("dialog", answer)
    first.locator("#porte-documents input[type=file]").set_input_files(
        files=[{"name": "vieil-onglet.png", "mimeType": "image/png", "buffer": corpus.png()}]
    )
    expect_signed_in_as(first, f"{other.first_names} {other.birth_name}")
    assert dialogs and dialogs[0].startswith("Envoi refusé : cette page n'est plus liée à votre session.")
    assert documents_of(portal, attacker.id) == [] and documents_of(portal, other.id) == []
