"""Upload pipeline benchmark: `.venv/bin/python -m bench.uploads [--runs N] [--no-server]`.

1. Validate and store, in process: a 5 MB PDF and a 12-megapixel JPEG (median and p95).
2. The real server (production build): peak memory of its process group, PDF checkers
   included, while 10 browsers upload at once (10 PDFs, then 10 photos).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests.support import corpus

MIB = 1024 * 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pipeline(runs: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["PORTAL_DATA_DIR"] = data_dir
        os.environ.pop("PORTAL_DATABASE_URL", None)
        from sqlmodel import SQLModel

        from portal_app.domain.core.db import get_engine, session_scope
        from portal_app.domain.documents import wallet
        from portal_app.models import User

        SQLModel.metadata.create_all(get_engine())
        with session_scope() as db:
            user = User(email="bench@exemple.fr", password_hash="x", is_active=True)
            db.add(user)
            db.flush()
            user_id = user.id
        wallet.QUOTA_BYTES = wallet.QUOTA_FILES = 10**12
        for label, name, data in (
            (f"PDF {len(corpus.pdf_5mb()) / MIB:.1f} MB", "scan.pdf", corpus.pdf_5mb()),
            (f"JPEG 4000x3000 {len(corpus.photo_12mp()) / MIB:.1f} MB", "photo.jpg", corpus.photo_12mp()),
        ):
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                outcome = wallet.ingest(user_id, name, data)
                timings.append(time.perf_counter() - started)
                assert isinstance(outcome, wallet.Stored), outcome
            print(
                f"validate+store {label}: median {statistics.median(timings) * 1000:.0f} ms, "
                f"p95 {percentile(timings, 0.95) * 1000:.0f} ms ({runs} runs)"
            )


def group_rss(pgid: int) -> int:
    import psutil

    total = 0
    for proc in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(proc.pid) == pgid:
                total += proc.memory_info().rss
        except (psutil.Error, ProcessLookupError, PermissionError):
            continue
    return total


def server(concurrency: int) -> None:
    from playwright.sync_api import sync_playwright
    from sqlmodel import Session

    from portal_app.domain.accounts import sessions
    from tests.support.browser import create_active_user, goto, launch_chromium, new_context, unique_email
    from tests.support.server import PortalServer

    with tempfile.TemporaryDirectory() as data_dir, PortalServer(Path(data_dir), smtp_port=None) as portal:
        pgid = os.getpgid(portal.process.pid)
        files = Path(data_dir) / "bench-files"
        files.mkdir()
        (files / "scan.pdf").write_bytes(corpus.pdf_5mb())
        (files / "photo.jpg").write_bytes(corpus.photo_12mp())
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            pages = []
            for _ in range(concurrency):
                user = create_active_user(portal, unique_email("bench"))
                with Session(portal.db_engine()) as db:
                    token = sessions.open_session(db, user)
                    db.commit()
                context = new_context(browser, "desktop", portal.base_url)
                context.add_cookies([{"name": sessions.COOKIE_NAME, "value": token, "url": portal.base_url}])
                page = context.new_page()
                goto(page, f"{portal.base_url}/porte-documents")
                page.get_by_text("Mes documents", exact=True).first.wait_for()
                pages.append(page)
            time.sleep(2)
            idle = group_rss(pgid)
            print(f"server idle, {concurrency} pages open: {idle / MIB:.0f} MiB RSS (process group)")
            for name in ("scan.pdf", "photo.jpg"):
                peak, stop = [idle], threading.Event()

                def sample(peak: list[int], stop: threading.Event) -> None:
                    while not stop.is_set():
                        peak[0] = max(peak[0], group_rss(pgid))
                        time.sleep(0.05)

                sampler = threading.Thread(target=sample, args=(peak, stop))
                sampler.start()
                started = time.perf_counter()
                for page in pages:
                    page.locator("#porte-documents input[type=file]").set_input_files(str(files / name))
                for page in pages:
                    page.locator("#resultat-envoi").get_by_text(f"{name} : ajouté").wait_for(timeout=120_000)
                elapsed = time.perf_counter() - started
                stop.set()
                sampler.join()
                print(
                    f"{concurrency} x {name} at once: all stored in {elapsed:.1f} s, "
                    f"peak {peak[0] / MIB:.0f} MiB RSS (+{(peak[0] - idle) / MIB:.0f} MiB over idle)"
                )
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--no-server", action="store_true")
    args = parser.parse_args()
    pipeline(args.runs)
    if not args.no_server:
        server(args.concurrency)


if __name__ == "__main__":
    main()
