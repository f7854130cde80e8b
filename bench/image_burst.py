"""Memory of a burst of big images: `.venv/bin/python -m bench.image_burst [--server]`.

Six big images go at once through the real upload pipeline (`pipeline.ingest`: its thread pool,
its per-user slots, the image check and re-encode), from one account and from six accounts. Each
scenario runs in a fresh Python process that has imported the portal first (the backend's idle
footprint); the bench samples that process's RSS every 10 ms and reports the peak over idle, and
the RSS 2 s after the burst (does memory come back down?). The images are built here, once:

- 40 MP PNG: the issue's attack (7 744 x 5 164, RGB, well under the 5 MB file limit);
- 16 MP PNG: the largest PNG accepted now;
- 50 MP and 108 MP JPEG: phone "high resolution" modes, baseline like a camera writes them;
- 16 MP progressive JPEG: libjpeg keeps a progressive file's coefficients at full size.

With --server, the same images go to the production server instead (tests/support/server.py):
six browsers, six accounts, each uploads one copy from the porte-documents at once; the RSS is
the server's whole process group, sampled every 50 ms.

Target (issue 12): a burst costs under 300 MiB over idle, and after the burst RSS falls back to
within 100 MiB of idle.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MIB = 1024 * 1024
BURST = 6
TARGET_PEAK_MIB = 300
TARGET_AFTER_MIB = 100
SETTLE_SECONDS = 2.0


def _photo(width: int, height: int):
    """Three gradients: cheap to build, compresses well (so a big picture fits in 5 MB)."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((width, height))
    return Image.merge(
        "RGB",
        (
            gradient,
            gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            gradient.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
        ),
    )


def _save(image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


IMAGES = {
    "png-40mp": (".png", lambda: _save(_photo(7744, 5164), "PNG")),
    "png-16mp": (".png", lambda: _save(_photo(4618, 3464), "PNG")),
    "jpeg-50mp": (".jpg", lambda: _save(_photo(8160, 6120), "JPEG", quality=90)),
    "jpeg-108mp": (".jpg", lambda: _save(_photo(12000, 9000), "JPEG", quality=90)),
    "jpeg-16mp-progressive": (
        ".jpg",
        lambda: _save(_photo(4618, 3464), "JPEG", quality=90, progressive=True),
    ),
}


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def one_burst(path: Path, users: int) -> None:
    """Child process: import the backend, then send BURST copies of the file at once."""
    import portal_app.portal_app  # noqa: F401  (the backend's idle footprint)
    from portal_app.domain.uploads import pipeline
    from portal_app.domain.uploads.checks import Accepted

    name = path.stem + IMAGES[path.stem][0]
    data = path.read_bytes()
    idle = rss()
    peak, stop = [idle], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(0.01)

    async def burst():
        return await asyncio.gather(
            *(pipeline.ingest(f"user-{i % users}", name, io.BytesIO(data), len(data)) for i in range(BURST))
        )

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    outcomes = asyncio.run(burst())
    elapsed = time.perf_counter() - started
    time.sleep(SETTLE_SECONDS)
    stop.set()
    sampler.join()
    after = rss()
    first = outcomes[0]
    verdict = (
        f"stored {first.width} x {first.height}" if isinstance(first, Accepted) else f"refused ({first.reason[:60]}…)"
    )
    print(
        f"{path.stem:22} {len(data) / MIB:4.1f} MB, {users} user(s): {verdict}; {elapsed:4.1f} s; "
        f"idle {idle / MIB:.0f} MiB, peak {(peak[0] - idle) / MIB:+.0f} MiB, "
        f"after {(after - idle) / MIB:+.0f} MiB"
    )


def server(labels: list[str], folder: Path) -> None:
    from playwright.sync_api import sync_playwright
    from sqlmodel import Session

    from bench.uploads import group_rss
    from portal_app.domain.accounts import sessions
    from tests.support.browser import create_active_user, goto, launch_chromium, new_context, unique_email
    from tests.support.server import PortalServer

    with PortalServer(folder / "data", smtp_port=None) as portal, sync_playwright() as playwright:
        pgid = os.getpgid(portal.process.pid)
        browser = launch_chromium(playwright)
        pages = []
        for _ in range(BURST):
            user = create_active_user(portal, unique_email("burst"))
            with Session(portal.db_engine()) as db:
                token = sessions.open_session(db, user)
                db.commit()
            context = new_context(browser, "desktop", portal.base_url)
            context.add_cookies([{"name": sessions.COOKIE_NAME, "value": token, "url": portal.base_url}])
            page = context.new_page()
            goto(page, f"{portal.base_url}/porte-documents")
            page.get_by_text("Mes documents", exact=True).first.wait_for()
            pages.append(page)
        for label in labels:
            # One name per image: each burst waits for its own result line.
            name = label + IMAGES[label][0]
            path = folder / name
            path.write_bytes(IMAGES[label][1]())
            time.sleep(SETTLE_SECONDS)
            idle = group_rss(pgid)
            peak, stop = [idle], threading.Event()

            def sample(peak: list[int], stop: threading.Event) -> None:
                while not stop.is_set():
                    peak[0] = max(peak[0], group_rss(pgid))
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample, args=(peak, stop))
            sampler.start()
            started = time.perf_counter()
            for page in pages:
                page.locator("#porte-documents input[type=file]").set_input_files(str(path))
            for page in pages:
                page.locator("#resultat-envoi").get_by_text(f"{name} :").last.wait_for(timeout=180_000)
            elapsed = time.perf_counter() - started
            time.sleep(SETTLE_SECONDS)
            stop.set()
            sampler.join()
            after = group_rss(pgid)
            verdict = pages[0].locator("#resultat-envoi").get_by_text(f"{name} :").last.inner_text()
            print(
                f"server, {label:22} x {BURST} users: {verdict[:70]}; {elapsed:4.1f} s; idle {idle / MIB:.0f} MiB, "
                f"peak {(peak[0] - idle) / MIB:+.0f} MiB, after {(after - idle) / MIB:+.0f} MiB"
            )
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=list(IMAGES), choices=list(IMAGES))
    parser.add_argument("--child", nargs=2, metavar=("FILE", "USERS"), help=argparse.SUPPRESS)
    parser.add_argument("--server", action="store_true", help="upload to the production server from browsers")
    args = parser.parse_args()
    if args.server:
        with tempfile.TemporaryDirectory() as folder:
            server(args.only, Path(folder))
        return
    if args.child:
        one_burst(Path(args.child[0]), int(args.child[1]))
        return
    print(f"{BURST} uploads at once; target: peak under +{TARGET_PEAK_MIB} MiB, after under +{TARGET_AFTER_MIB} MiB")
    with tempfile.TemporaryDirectory() as folder:
        for label in args.only:
            path = Path(folder) / f"{label}.bin"
            path.write_bytes(IMAGES[label][1]())
            for users in (1, BURST):
                subprocess.run(
                    [sys.executable, "-m", "bench.image_burst", "--child", str(path), str(users)], check=True
                )


if __name__ == "__main__":
    main()
