"""The job queue's worker (`python -m portal_app.worker`) as a real process, for tests.

worker = WorkerProcess(root, env, data_dir / "worker.log").start()   # waits until it listens
worker.stop()                              # SIGTERM, or stop_signal=signal.SIGKILL for kill -9
"""

from __future__ import annotations

import signal
from pathlib import Path

from tests.support.process import ServerProcess, log_tail

READY_LINE = "portal worker ready"


class WorkerProcess:
    def __init__(self, root: Path, env: dict[str, str], log_path: Path, python: str) -> None:
        self.root, self.env, self.log_path, self.python = root, env, Path(log_path), python
        self.process: ServerProcess | None = None

    def start(self, timeout: float = 60) -> WorkerProcess:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.process = ServerProcess(
            "portal worker",
            [self.python, "-m", "portal_app.worker"],
            cwd=self.root,
            env=self.env,
            log_path=self.log_path,
        ).start()
        self.process.wait_ready(lambda: READY_LINE in self._log_since(offset), timeout)
        return self

    def _log_since(self, offset: int) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            handle.seek(offset)
            return handle.read()

    def stop(self, stop_signal: int = signal.SIGTERM) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.stop_signal = stop_signal
            process.stop()

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)
