"""`python -m portal_app.serve --skip-build` serves only a build made for its port: the pages
call back the address they were built with, so another port's build would load and never
connect."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.server import ROOT


def serve_skipping_build(tmp_path, port: int) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "REFLEX_WEB_WORKDIR": str(tmp_path / "web"),
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    command = [sys.executable, "-m", "portal_app.serve", "--port", str(port), "--skip-build"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def write_build(tmp_path, port: int) -> None:
    client = tmp_path / "web" / "build" / "client"
    client.mkdir(parents=True)
    (client / "index.html").write_text("<!doctype html>")
    (tmp_path / "web" / "env.json").write_text(json.dumps({"EVENT": f"ws://localhost:{port}/_event"}))


def test_without_a_build_it_says_how_to_make_one(tmp_path):
    result = serve_skipping_build(tmp_path, 45123)
    assert result.returncode != 0
    assert "no build in .web/ for ws://localhost:45123/_event" in result.stderr
    assert "python -m portal_app.serve --port 45123" in result.stderr


def test_a_build_for_another_port_is_not_served(tmp_path):
    write_build(tmp_path, 45124)
    result = serve_skipping_build(tmp_path, 45123)
    assert result.returncode != 0
    assert "no build in .web/ for ws://localhost:45123/_event" in result.stderr
