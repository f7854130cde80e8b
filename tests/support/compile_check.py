"""The app's compile, with every warning it logs, in a child process that runs beside the
other unit tests (it takes one core for most of a minute): tests/unit/conftest.py starts it
with the first unit test, tests/unit/test_compile_warnings.py waits for its answer.

    compile = AppCompile(tmp_dir).start()
    returncode, stdout, stderr = compile.result()   # stdout's last line: the warnings, as JSON
    compile.stop()                                  # kills it if still running

Its build files go to `tmp_dir`: the checkout's .web/ (an end-to-end session may be building it)
is left alone.
"""

from __future__ import annotations

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


class AppCompile:
    def __init__(self, tmp_dir: Path) -> None:
        self.tmp_dir = Path(tmp_dir)
        self.process: subprocess.Popen | None = None

    def start(self) -> AppCompile:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("PORTAL_", "REFLEX_"))}
        env.update(
            PORTAL_DATA_DIR=str(self.tmp_dir / "data"),
            REFLEX_WEB_WORKDIR=str(self.tmp_dir / "web"),
            REFLEX_STATES_WORKDIR=str(self.tmp_dir / "states"),
            REFLEX_TELEMETRY_ENABLED="false",
        )
        # To files, not pipes: nobody reads a pipe until the test runs, and a full one would
        # stop the compile until then.
        with open(self.tmp_dir / "stdout", "w") as stdout, open(self.tmp_dir / "stderr", "w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-c", COMPILE], cwd=ROOT, env=env, stdout=stdout, stderr=stderr, text=True
            )
        return self

    def result(self, timeout: float = 600) -> tuple[int, str, str]:
        assert self.process is not None, "AppCompile.start() first"
        returncode = self.process.wait(timeout=timeout)
        return returncode, self._output("stdout"), self._output("stderr")

    def _output(self, name: str) -> str:
        return (self.tmp_dir / name).read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
