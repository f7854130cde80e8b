"""The app compiles without a single warning: every deprecation Reflex reports at compile time
(props it will drop, None passed to a Var that is not Optional, ...) fails this test, before it
becomes an error in the next Reflex release.

The compilation runs in a child process, as `reflex compile --dry` does, with its build files in
a temporary directory: the checkout's .web/ (an end-to-end session may be building it) is left alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Every record of level WARNING or more, from Reflex's loggers and from Python's warnings module
# (DeprecationWarning included), printed as one JSON list on the last line.
COMPILE = """
import json, logging, warnings
logging.captureWarnings(True)
warnings.simplefilter("default")
records = []
class Keep(logging.Handler):
    def emit(self, record):
        records.append(f"{record.name}: {record.getMessage()}")
keep = Keep(logging.WARNING)
logging.getLogger().addHandler(keep)
logging.getLogger("reflex").addHandler(keep)  # Reflex's loggers do not propagate to the root
from reflex.utils import prerequisites
# Twice, as `reflex run --env prod` does in one process: the second must not add a page again.
for _ in range(2):
    prerequisites.get_compiled_app(dry_run=True, use_rich=False)
print(json.dumps(sorted(set(records))))  # the root and Reflex handlers may both see one
"""


def test_the_app_compiles_without_warnings(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PORTAL_", "REFLEX_"))}
    env.update(
        PORTAL_DATA_DIR=str(tmp_path / "data"),
        REFLEX_WEB_WORKDIR=str(tmp_path / "web"),
        REFLEX_STATES_WORKDIR=str(tmp_path / "states"),
        REFLEX_TELEMETRY_ENABLED="false",
    )
    result = subprocess.run(
        [sys.executable, "-c", COMPILE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    warnings = json.loads(result.stdout.splitlines()[-1])
    assert warnings == []
