"""One Python process with the served app's environment, for the snippets a test runs in it
(PortalServer.python): a fresh interpreter importing the app took about 2 s per snippet, and
the end-to-end tests run over a hundred of them (dossiers filed, statuses changed, tasks queued).

    shell = AppShell(root, env, log_path, python).start()
    result = shell.run("print(1)", timeout=120)    # CompletedProcess: returncode, stdout, stderr
    shell.stop()

Each snippet runs as `python -c` runs it: in fresh globals named __main__, its stdout and stderr
captured; an exception gives return code 1 and its traceback, SystemExit its code. What stays
between snippets is what an app process keeps: imported modules, cached settings, database
connections. Anything the process itself writes to its file descriptors (a child process it
starts, say) goes to `log_path`, never into the answers.
"""

from __future__ import annotations

import json
import select
import subprocess
import threading
from contextlib import suppress
from pathlib import Path

# Answers go to a duplicate of fd 1 made first; fd 1 and 2 then point at the log.
_LOOP = r"""
import contextlib, io, json, os, sys, traceback
answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
log = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
os.dup2(log, 1)
os.dup2(log, 2)
sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True)
sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", buffering=0), write_through=True)
for line in sys.stdin:
    code = json.loads(line)
    out, err = io.StringIO(), io.StringIO()
    returncode = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            exec(compile(code, "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                returncode = stop.code or 0
            else:
                print(stop.code, file=err)
                returncode = 1
        except BaseException:
            traceback.print_exc(file=err)
            returncode = 1
    answers.write(json.dumps([returncode, out.getvalue(), err.getvalue()]) + "\n")
    answers.flush()
"""


class AppShell:
    def __init__(self, root: Path, env: dict[str, str], log_path: Path, python: str) -> None:
        self.root, self.env, self.log_path, self.python = Path(root), dict(env), Path(log_path), python
        self.process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def start(self) -> AppShell:
        self.process = subprocess.Popen(
            [self.python, "-c", _LOOP, str(self.log_path)],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def run(self, code: str, timeout: float) -> subprocess.CompletedProcess:
        with self._lock:
            process = self.process
            if process is None or process.poll() is not None:
                raise RuntimeError(f"the app shell is not running; its log:\n{self._log_tail()}")
            process.stdin.write(json.dumps(code) + "\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], timeout)
            answer = process.stdout.readline() if ready else ""
            if not answer:
                # Stuck or dead: no later snippet may read this one's answer.
                self.stop()
                raise subprocess.TimeoutExpired(["python", "-c", code], timeout, output=self._log_tail())
            returncode, stdout, stderr = json.loads(answer)
            return subprocess.CompletedProcess(["python", "-c", code], returncode, stdout, stderr)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        with suppress(OSError):  # already gone: nothing to tell it
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    def _log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except FileNotFoundError:
            return "(no log)"
