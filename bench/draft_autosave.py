"""Time from the last keystroke in a draft field to the answer committed in the database.

    .venv/bin/python -m bench.draft_autosave [--runs 30]

Builds and serves the production app (as the end-to-end tests do), logs a user in with
Chromium at desktop size, opens a draft and types a new value in a text field RUNS times:
once pausing (the save fires SAVE_DELAY after the last key, measured from that key), once
leaving the field with Tab (the save fires at once, measured from the Tab key). The page records the time of the last input event; the database
is polled every 5 ms from this process, on the same clock.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from playwright.sync_api import sync_playwright

from tests.support.browser import (
    DEFAULT_PASSWORD,
    create_active_user,
    launch_chromium,
    login,
    new_context,
    unique_email,
)
from tests.support.drafts import dossier, expect_saved, open_draft, start_demarche
from tests.support.server import PortalServer

FIELD = "Métier visé"
KEY = "metier_vise"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def committed_at(engine, dossier_id: int, value: str, timeout: float = 10) -> float:
    """Wall-clock time (s) when the value was first seen committed."""
    deadline = time.monotonic() + timeout
    while True:
        row = dossier(engine, dossier_id)
        if (row.answers or {}).get(KEY) == value:
            return time.time()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{value!r} not committed after {timeout} s")
        time.sleep(0.005)


LAST_KEY = """() => { window.__lastKey = 0; window.__left = 0;
  document.addEventListener("input", () => { window.__lastKey = Date.now(); }, true);
  document.addEventListener("keydown", (e) => { if (e.key === "Tab") window.__left = Date.now(); }, true); }"""


def measure(page, engine, dossier_id: int, runs: int, leave: bool) -> list[float]:
    field = page.get_by_label(FIELD, exact=True)
    timings = []
    for run in range(runs):
        value = f"{'Tab' if leave else 'Pause'} {run:02d} aide-soignante"
        field.click()
        field.press("Control+a")
        field.press_sequentially(value, delay=40)
        if leave:
            field.press("Tab")
        seen = committed_at(engine, dossier_id, value)
        # Pausing: from the last key. Leaving: from the Tab key (the time the user took to
        # reach it is theirs, not the save's).
        timings.append(seen - page.evaluate("window.__left" if leave else "window.__lastKey") / 1000)
        expect_saved(page)
        page.wait_for_timeout(150)
    return timings


def report(name: str, timings: list[float]) -> str:
    ms = [t * 1000 for t in timings]
    return (
        f"{name:<32} n={len(ms):<3} median {statistics.median(ms):6.0f} ms   "
        f"p95 {percentile(ms, 0.95):6.0f} ms   min {min(ms):5.0f}   max {max(ms):5.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="portail-bench-") as data_dir:
        server = PortalServer(data_dir, smtp_port=None)
        server.start()
        try:
            user = create_active_user(server, unique_email("bench"))
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = new_context(browser, "desktop", server.base_url).new_page()
                login(page, server.base_url, user.email, DEFAULT_PASSWORD)
                dossier_id = start_demarche(page, server.base_url, "Projet de transition professionnelle")
                open_draft(page, server.base_url, dossier_id, "projet")
                page.evaluate(LAST_KEY)
                engine = server.db_engine()
                measure(page, engine, dossier_id, 3, leave=False)  # warm-up
                paused = measure(page, engine, dossier_id, args.runs, leave=False)
                left = measure(page, engine, dossier_id, args.runs, leave=True)
                browser.close()
        finally:
            server.stop()
    print("Last keystroke -> answer committed in the database (production build, SQLite, Chromium)")
    print(report("typing, then a pause", paused))
    print(report("typing, then Tab (from Tab)", left))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
