"""Typing through a backend crash: kill -9, start again, and what was typed is what is saved.

The person types without stopping while the server is killed, while it starts again, while the
page reconnects and while the server rebuilds the tab's state (a fresh state: its defaults come
first, then on_load and the replay of the browser's copies). The field must stay the same
element all along (it used to give way to "Chargement…" for about 400 ms, and the keys typed
then were lost: a hole in the middle of the saved text).
"""

from __future__ import annotations

import signal
import threading
import time

from playwright.sync_api import expect

from tests.support.browser import sign_in
from tests.support.drafts import expect_saved, open_draft, start_demarche, wait_for_answer

PTP_TITLE = "Projet de transition professionnelle"
FIELD_ID = "champ-motivations"
# The tab's draft state, as its deltas name it, once its form is ready again.
DRAFT_STATE = "draft____draft_state"
READY = '"ready_rx_state_":true'


class Sockets:
    """When the page's websockets opened and when the server's form was ready on each."""

    def __init__(self, page) -> None:
        self.opened: list[float] = []
        self.ready: list[float] = []
        page.on("websocket", self._opened)

    def _opened(self, socket) -> None:
        self.opened.append(time.monotonic())
        socket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, str) and DRAFT_STATE in payload and READY in payload:
            self.ready.append(time.monotonic())

    def ready_since(self, moment: float) -> bool:
        return any(when > moment for when in self.ready)


# Remembers the field typed into, and logs each time it leaves the page or comes back.
WATCH = f"""() => {{
  window.__typedInto = document.getElementById('{FIELD_ID}');
  window.__fieldLog = [];
  let present = true;
  new MutationObserver(() => {{
    const now = document.getElementById('{FIELD_ID}');
    if (!!now !== present || (now && now !== window.__typedInto && present)) {{
      present = !!now;
      const main = document.querySelector('main');
      window.__fieldLog.push([Math.round(performance.now()), present ? 'back' : 'gone',
                              main ? main.innerText.slice(0, 60) : '']);
    }}
  }}).observe(document.body, {{subtree: true, childList: true}});
}}"""


def words():
    """A long known text, a word at a time: "mot0001 mot0002 …"."""
    number = 0
    while True:
        number += 1
        yield f"mot{number:04d} "


def test_kill_9_while_typing_loses_nothing(portal, page, user):
    sign_in(page, portal, user.email)
    engine = portal.db_engine()
    dossier_id = start_demarche(page, portal.base_url, PTP_TITLE)
    open_draft(page, portal.base_url, dossier_id, "projet")
    sockets = Sockets(page)
    box = page.locator(f"#{FIELD_ID}")
    box.click()
    page.evaluate(WATCH)

    typed: list[str] = []
    text = words()

    def type_word() -> None:
        word = next(text)
        page.keyboard.type(word, delay=30)
        typed.append(word)

    for _ in range(5):
        type_word()
    killed_at = time.monotonic()
    restart = threading.Thread(target=portal.restart, kwargs={"stop_signal": signal.SIGKILL})
    restart.start()
    try:
        # Down, starting again, reconnecting, then the server's form ready again on a new socket:
        # typing goes on all along, and a few words more once it is over.
        while restart.is_alive() or not sockets.ready_since(killed_at):
            type_word()
            if len(typed) > 1000:  # 8 000 characters: the stored answer holds 10 000
                raise AssertionError("the page did not get its form back from the restarted server")
        for _ in range(3):
            type_word()
    finally:
        restart.join()
    assert portal.running, portal.log_tail()

    expected = "".join(typed)
    # The very element typed into at the start: never unmounted, never replaced.
    same = page.evaluate(f"window.__typedInto === document.getElementById('{FIELD_ID}')")
    assert same, f"the field was replaced: {page.evaluate('window.__fieldLog')}"
    expect_saved(page, timeout=30_000)
    wait_for_answer(engine, dossier_id, "motivations", expected, timeout=30)
    expect(box).to_have_value(expected)
    # Nothing left waiting in the browser once the server has it.
    page.wait_for_function(f"localStorage.getItem('portail-brouillon-{dossier_id}') === null")
