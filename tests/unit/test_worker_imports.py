"""What an app worker keeps in memory from its start (issue 18, idle RSS): libraries serving rare
actions (PDFs, the Excel export) are imported by those actions, not by the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.server import ROOT

RARE = ("fpdf", "fontTools", "openpyxl", "pypdf")


def test_the_app_imports_no_library_of_a_rare_action(tmp_path):
    code = (
        f"import json, sys\nimport portal_app.portal_app\nprint(json.dumps([m for m in {RARE!r} if m in sys.modules]))"
    )
    env = {**os.environ, "PORTAL_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
