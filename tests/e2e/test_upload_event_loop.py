"""A slow PDF being checked holds no one up (issue 11): from each of the five upload entry
points, while the PDF checker runs, /ping and another user's event answer in under 200 ms.

The PDF is made here to keep the checker busy for seconds (arrays of many small objects).
The uploader drives the real page in Chromium; meanwhile this test times /ping over HTTP and,
in a second browser context, a round trip of another user's event (a category chosen on the
porte-documents, until its state update arrives on that user's websocket), measured in the
page. Every measure is taken while the checker's process is alive. Before the pipeline, the
employer and agent entry points ran the check on the event loop: /ping then waited seconds.
"""

from __future__ import annotations

import re
import statistics
import time
import urllib.request
import uuid
from collections.abc import Callable

import psutil
import pytest
from playwright.sync_api import Page, expect

from tests.support import corpus
from tests.support.browser import (
    create_active_user,
    create_applicant,
    goto,
    sign_in,
    unique_email,
)
from tests.support.demarche_data import ptp_answers
from tests.support.dossiers import agent_message, create_agent, submitted_ptp_dossier
from tests.support.drafts import PTP, open_draft, put_answers
from tests.support.users import add_ready_employer

pytestmark = pytest.mark.viewports("desktop")

BOUND_MS = 200
# Each measure is the median of SAMPLES taken while the check runs: on a machine whose cores
# other processes keep busy, one sample now and then waits for the scheduler, not for us. A loop
# held by the check holds the sample in flight for seconds: no sample may take HELD_MS.
SAMPLES = 5
HELD_MS = 1000
PDF_NAME = "lent.pdf"

# Counts the Socket.IO event frames ("42…": Reflex's state updates) the page receives.
REPLY_COUNTER = """
(() => {
  const Native = window.WebSocket;
  window.__replies = 0;
  function Counted(...args) {
    const socket = new Native(...args);
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string" && event.data.startsWith("42")) window.__replies += 1;
    });
    return socket;
  }
  Counted.prototype = Native.prototype;
  Object.assign(Counted, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Counted;
})();
"""

# Choose a category, then wait for the state update: the event's round trip, in milliseconds.
EVENT_ROUND_TRIP = """
async (value) => {
  const select = document.getElementById("categorie-envoi");
  const before = window.__replies;
  const started = performance.now();
  Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set.call(select, value);
  select.dispatchEvent(new Event("change", { bubbles: true }));
  while (window.__replies === before) {
    if (performance.now() - started > 60000) return -1;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}
"""


@pytest.fixture(scope="module")
def slow_pdf() -> bytes:
    # Six arrays of 62 000 numbers (740 KB): over two million objects for the checker to
    # walk, a few seconds of its child process on this kind of machine.
    return corpus.memory_hungry_pdf(6)


@pytest.fixture
def observer(portal, new_context) -> Page:
    """Another user on the porte-documents, with its websocket replies counted."""
    context = new_context()
    context.add_init_script(REPLY_COUNTER)
    page = context.new_page()
    user = create_active_user(portal, unique_email("observateur"))
    sign_in(page, portal, user.email)
    goto(page, "/porte-documents")
    return page


def _checker(portal) -> psutil.Process | None:
    """The PDF checker's child process of this test's server, if one is running."""
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "pdf_worker.py" in " ".join(process.info["cmdline"] or ()) and process.environ().get(
                "PORTAL_DATA_DIR"
            ) == str(portal.data_dir):
                return process
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return None


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _ping_ms(portal) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"{portal.base_url}/ping", timeout=120) as answer:
        answer.read()
    return (time.perf_counter() - started) * 1000


def assert_nobody_waits(portal, observer: Page, start_upload: Callable[[], None]) -> None:
    start_upload()
    deadline = time.monotonic() + 60
    checker = _checker(portal)
    while checker is None:
        assert time.monotonic() < deadline, "the PDF check never started"
        time.sleep(0.02)
        checker = _checker(portal)
    pings, events = [], []
    for index in range(SAMPLES):
        pings.append(_ping_ms(portal))
        events.append(observer.evaluate(EVENT_ROUND_TRIP, "rib" if index % 2 == 0 else "autre"))
        measured = f"/ping {pings} ms, another user's event {events} ms, while a PDF was being checked"
        assert max(pings) < HELD_MS and 0 <= max(events) < HELD_MS, measured
    # Otherwise the measures above say nothing: make the PDF slower.
    assert _alive(checker), "the PDF check ended before the measures did"
    assert statistics.median(pings) < BOUND_MS and statistics.median(events) < BOUND_MS, measured


def _pdf(data: bytes) -> list[dict]:
    return [{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": data}]


# ---------------------------------------------------------------- the five entry points


def test_porte_documents(portal, page, observer, slow_pdf):
    user = create_active_user(portal, unique_email("porte-documents"))
    sign_in(page, portal, user.email)
    goto(page, "/porte-documents")
    zone = page.locator("#porte-documents input[type=file]")
    assert_nobody_waits(portal, observer, lambda: zone.set_input_files(files=_pdf(slow_pdf)))
    expect(page.locator("#resultat-envoi")).to_contain_text(f"{PDF_NAME} : ", timeout=60_000)


def test_pieces(portal, page, observer, slow_pdf):
    user = create_applicant(portal, "pieces")
    result = portal.python(
        f"from portal_app.domain.dossiers import drafts; print(drafts.create_draft({user.id}, {PTP!r}).id)"
    )
    dossier_id = int(result.stdout.strip().splitlines()[-1])
    put_answers(portal.db_engine(), dossier_id, ptp_answers())
    sign_in(page, portal, user.email)
    open_draft(page, portal.base_url, dossier_id, "pieces")
    row = page.locator("#piece-rib")
    zone = row.locator("input[type=file]")
    assert_nobody_waits(portal, observer, lambda: zone.set_input_files(files=_pdf(slow_pdf)))
    expect(row).to_contain_text(PDF_NAME, timeout=60_000)


def test_dossier_discussion(portal, page, observer, slow_pdf):
    user = create_applicant(portal, "discussion")
    dossier_id, _number = submitted_ptp_dossier(portal, user)
    _email, _password, agent_id = create_agent(portal)
    agent_message(portal, agent_id, dossier_id, "Merci de joindre le devis signé.")
    sign_in(page, portal, user.email)
    goto(page, f"/demarches/dossier/{dossier_id}/suivi")
    zone = page.locator("#pieces-reponse input[type=file]")
    assert_nobody_waits(portal, observer, lambda: zone.set_input_files(files=_pdf(slow_pdf)))
    expect(page.locator("#resultat-envoi")).to_contain_text(f"{PDF_NAME} : ", timeout=60_000)


def _ready_employer(portal) -> tuple[str, str]:
    login_id, password = f"emp-{uuid.uuid4().hex[:10]}", "Menuiserie-Bois-2026!"
    add_ready_employer(
        portal.db_engine(), unique_email("employeur"), login_id, password=password, company_name="Menuiserie Lente"
    )
    return login_id, password


def test_employer_documents(portal, page, observer, slow_pdf):
    login_id, password = _ready_employer(portal)
    sign_in(page, portal, login_id)
    goto(page, "/employeur/documents")
    page.get_by_role("button", name="Ajouter un fichier").click()
    page.get_by_label("Type de document").select_option(label="Autre")
    page.get_by_label(re.compile("^Libellé")).fill("Attestation lente")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Étape 2 sur 2")).to_be_visible()
    zone = page.locator("#ajout-fichier input[type=file]")
    assert_nobody_waits(portal, observer, lambda: zone.set_input_files(files=_pdf(slow_pdf)))
    expect(page.get_by_text(re.compile(rf"est ajouté|{re.escape(PDF_NAME)} : "))).to_be_visible(timeout=60_000)


def test_agent_message(portal, page, observer, slow_pdf):
    owner = create_applicant(portal, "message-agent")
    dossier_id, _number = submitted_ptp_dossier(portal, owner)
    email, password, _agent_id = create_agent(portal)
    sign_in(page, portal, email)
    goto(page, f"/agent/dossiers/{dossier_id}")
    page.get_by_label("Votre message au demandeur").fill("Voici le courrier.")
    page.locator("#pieces-message-agent input[type=file]").set_input_files(files=_pdf(slow_pdf))
    expect(page.locator(".bullets", has_text=PDF_NAME)).to_be_visible()
    send = page.get_by_role("button", name="Envoyer le message")
    assert_nobody_waits(portal, observer, send.click)
    expect(page.locator("#message-action")).to_be_visible(timeout=60_000)
