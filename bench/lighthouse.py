"""Lighthouse (mobile preset) on the production build: performance score and layout shift.

    .venv/bin/python -m bench.lighthouse [--runs 3]

Serves the portal as the end-to-end tests do, opens a session for a beneficiary with a PTP
draft straight in the database, and runs Lighthouse 12.2.3 from npm (`make bench` installs it
under bench/node_modules) in Debian's Chromium against /connexion, then, with the session
cookie, /demarches, a PTP step and /porte-documents. Prints the median of RUNS runs per page:
performance score, cumulative layout shift (target < 0.1), largest contentful paint, total
blocking time. Lighthouse's simulated throttling (4× CPU, slow 4G) makes the score sensitive
to the machine's own load: compare runs made on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from tests.support.server import ROOT, PortalServer

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"

SEED = """
import json
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import drafts
from portal_app.models import User
from portal_app.models.base import utcnow
with session_scope() as db:
    user = User(email="lighthouse@exemple.fr", password_hash=hash_password("Tournesol-2024!"), role="beneficiary",
                civility="Madame", first_names="Camille", birth_name="Martin", is_active=True, activated_at=utcnow())
    db.add(user)
    db.flush()
    raw = sessions.open_session(db, user, "lighthouse")
    user_id = user.id
dossier = drafts.create_draft(user_id, "projet-transition-professionnelle")
print(json.dumps([raw, dossier.id]))
"""


def lighthouse(url: str, cookie: str | None) -> dict:
    argv = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        argv.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": CHROME}
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse {url} failed:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {
        "score": report["categories"]["performance"]["score"] * 100,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse is not installed ({LIGHTHOUSE}): `make bench` installs it from npm.")
        return 1
    with tempfile.TemporaryDirectory(prefix="portail-lighthouse-") as data_dir:
        server = PortalServer(Path(data_dir), smtp_port=None)
        server.start()
        try:
            raw, dossier_id = json.loads(server.python(SEED).stdout.strip().splitlines()[-1])
            cookie = f"portal_session={raw}"
            pages = [
                ("/connexion", None),
                ("/demarches (signed in)", cookie),
                ("PTP step (signed in)", cookie),
                ("/porte-documents (signed in)", cookie),
            ]
            paths = ["/connexion", "/demarches", f"/demarches/dossier/{dossier_id}?etape=projet", "/porte-documents"]
            results: dict[str, list[dict]] = {name: [] for name, _ in pages}
            for _run in range(args.runs):
                for (name, page_cookie), path in zip(pages, paths, strict=True):
                    results[name].append(lighthouse(server.base_url + path, page_cookie))
        finally:
            server.stop()
    print(f"Lighthouse 12.2.3, mobile preset, median of {args.runs} run(s)")
    print("| page | performance | CLS | LCP | TBT |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        med = {key: statistics.median(r[key] for r in runs) for key in ("score", "cls", "lcp", "tbt")}
        print(f"| {name} | {med['score']:.0f} | {med['cls']:.3f} | {med['lcp']:.0f} ms | {med['tbt']:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
