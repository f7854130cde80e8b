"""The real app, built once for production and served on one port, for end-to-end tests.

    server = PortalServer(tmp_dir, smtp_port=sink.port)
    server.start()              # reflex db migrate, then python -m portal_app.serve (make serve's
                                # build, then the backend serving it on one port)
    server.base_url             # http://localhost:<free port>
    server.db_engine()          # SQLAlchemy engine on the same SQLite file
    server.cli("seed-demo")     # python -m portal_app.cli ... with the same environment
    server.python("print(1)")   # a snippet, as python -c runs it, in one process kept for them
    server.restart()            # kill and start again, same port and data (a backend restart;
                                # stop_signal=signal.SIGKILL for kill -9), serving the same build
    server.stop()               # kills the whole process group (tests/support/process.py)
    server.worker               # the job queue's worker started beside it (every mail goes through it)

The build goes into .web/ of the repository: two servers started from the same
checkout at once would overwrite each other's build. A lock file (per checkout, in the
temporary directory) makes a second test session wait for the first one to finish.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.support.app_shell import AppShell
from tests.support.process import ServerProcess, free_port, log_tail, port_in_use
from tests.support.worker import WorkerProcess

ROOT = Path(__file__).resolve().parents[2]

# Variables of the developer's shell that must not leak into the served app.
_DROPPED_ENV = (
    "PORTAL_DATABASE_URL",
    "PORTAL_REDIS_URL",
    "PORTAL_STATE_MANAGER",
    "PORTAL_SECRET_KEY",
    "REFLEX_ENV_MODE",
)


def app_env(data_dir: Path, smtp_port: int | None = None, **extra: str) -> dict[str, str]:
    """The environment the app's commands (reflex, portal_app.cli) run with in tests: this
    shell's minus the developer's own portal settings, the data in `data_dir`, mails to a
    local SMTP port (or the outbox), then `extra`."""
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED_ENV}
    env.pop("PORTAL_SMTP_HOST", None)
    env.pop("PORTAL_SMTP_PORT", None)
    env.update(
        PORTAL_DATA_DIR=str(data_dir),
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    if smtp_port is not None:
        env.update(PORTAL_SMTP_HOST="127.0.0.1", PORTAL_SMTP_PORT=str(smtp_port))
    env.update(extra)
    return env


def app_bin(name: str, root: Path = ROOT) -> str:
    """A script of the checkout's .venv, or of the running interpreter (CI without a .venv)."""
    candidate = root / ".venv" / "bin" / name
    return str(candidate if candidate.exists() else Path(sys.executable).parent / name)


def migrate(root: Path, env: dict[str, str], log_path: Path | None = None) -> str:
    """`reflex db migrate` with that environment; returns its output, raises when it fails."""
    result = subprocess.run(
        [app_bin("reflex", root), "db", "migrate"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    output = result.stdout + result.stderr
    if log_path is not None:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write("$ reflex db migrate\n" + output + "\n")
    if result.returncode != 0:
        raise RuntimeError(f"reflex db migrate failed ({result.returncode}):\n{output[-6000:]}")
    return output


def live_servers(root: Path = ROOT) -> list[PortalServer]:
    """The PortalServers of this process serving `root` (one build per checkout at a time)."""
    return [server for server in _SERVING if server.root == root]


class PortalServer:
    # Whether this harness starts the job queue's worker itself (`make run` starts its own).
    own_worker = True

    def __init__(
        self,
        data_dir: Path | str,
        smtp_port: int | None,
        *,
        root: Path = ROOT,
        port: int | None = None,
        extra_env: dict[str, str] | None = None,
        start_timeout: float = 240,
    ) -> None:
        self.root = Path(root)
        self.data_dir = Path(data_dir).resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.smtp_port = smtp_port
        self.port = port or free_port()
        self.start_timeout = start_timeout
        self.log_path = self.data_dir / "reflex.log"
        self.db_path = self.data_dir / "portal.db"
        self._extra_env = dict(extra_env or {})
        self.process: ServerProcess | None = None
        self.worker: WorkerProcess | None = None
        self._lock_file = None
        self._engine = None
        self._shell: AppShell | None = None
        self.ready_after: float | None = None  # seconds from launch to the first answer
        self.env = self._build_env()

    # ------------------------------------------------------------------ environment

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def database_url(self) -> str:
        # extra_env may point the app at another database (PostgreSQL in tests/scaleout).
        return self._extra_env.get("PORTAL_DATABASE_URL") or f"sqlite:///{self.db_path}"

    def _build_env(self) -> dict[str, str]:
        return app_env(
            self.data_dir, self.smtp_port, PORTAL_PORT=str(self.port), PORTAL_BASE_URL=self.base_url, **self._extra_env
        )

    def _bin(self, name: str) -> str:
        return app_bin(name, self.root)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> PortalServer:
        if self.process is not None:
            return self
        self._acquire_build_lock()
        try:
            self._migrate()
            self._launch()
        except BaseException:
            self.stop()
            raise
        return self

    def _acquire_build_lock(self, timeout: float = 1800) -> None:
        holder = next((other for other in live_servers(self.root) if other is not self), None)
        if holder is not None:
            # The same process holds the lock: waiting would only end at the timeout.
            raise RuntimeError(
                f"another PortalServer of this process (port {holder.port}) still serves {self.root}; stop it first"
            )
        digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:12]
        path = Path(tempfile.gettempdir()) / f"portail-e2e-{digest}.lock"
        handle = open(path, "w")  # noqa: SIM115  (held, and the lock with it, until stop())
        deadline = time.monotonic() + timeout
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced:
                    print(f"[portal] another e2e session builds in {self.root}; waiting for {path}", file=sys.stderr)
                    announced = True
                if time.monotonic() > deadline:
                    handle.close()
                    raise RuntimeError(f"could not get {path}: another e2e session holds it") from None
                time.sleep(1)
        self._lock_file = handle
        _SERVING.add(self)

    def _migrate(self) -> None:
        migrate(self.root, self.env, self.log_path)

    def _command(self) -> list[str]:
        # What `make serve` runs: build, then serve the build.
        return [self._bin("python"), "-m", "portal_app.serve", "--port", str(self.port)]

    def _restart_command(self) -> list[str]:
        """The backend again, on the build the first start made."""
        return [*self._command(), "--skip-build"]

    def _ready_urls(self) -> list[str]:
        return [f"{self.base_url}/ping", f"{self.base_url}/"]

    def _ensure_free_ports(self) -> None:
        if port_in_use(self.port):
            self.port = free_port()
            self.env = self._build_env()

    def _launch(self, command: list[str] | None = None) -> None:
        """Start the server process (`command`, by default _command()) and wait until every
        ready URL answers."""
        self._ensure_free_ports()
        command = command or self._command()
        # The job queue's worker, as `make serve` starts it: without it no mail leaves.
        if self.own_worker:
            self.worker = WorkerProcess(self.root, self.env, self.data_dir / "worker.log", self._bin("python")).start()
        self.process = ServerProcess(
            Path(command[0]).name, command, cwd=self.root, env=self.env, log_path=self.log_path
        ).start()
        urls = self._ready_urls()
        self.ready_after = self.process.wait_ready(
            lambda: all(url_answers(url) for url in urls), self.start_timeout, interval=0.5
        )

    def _halt(self, stop_signal: int | None = None) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()
        process, self.process = self.process, None
        if process is not None:
            if stop_signal is not None:
                process.stop_signal = stop_signal
            process.stop()

    def stop(self) -> None:
        self._halt()
        if self._shell is not None:
            self._shell.stop()
            self._shell = None
        _SERVING.discard(self)
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._lock_file is not None:
            self._lock_file.close()  # releases the flock
            self._lock_file = None

    def restart(self, while_down: Callable[[], None] | None = None, stop_signal: int | None = None) -> PortalServer:
        """Kill the serving process group and start it again on the same port and data
        directory, as an operator restarting the backend would; `while_down` runs in between
        (for example typing in a page while the server is gone). stop_signal: SIGKILL for a
        crash (nothing flushed), SIGTERM (the default) for a clean stop. The frontend build of
        the first start is served again, not rebuilt: the restart is the backend's."""
        self._halt(stop_signal)
        if while_down is not None:
            while_down()
        port = self.port
        if port_in_use(port):
            raise RuntimeError(f"port {port} was taken while the server was down: pages cannot reconnect")
        self._launch(self._restart_command())
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.running

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, lines: int = 60) -> str:
        return log_tail(self.log_path, lines)

    # ------------------------------------------------------------------ same database, same env

    def cli(
        self, *args: str, check: bool = True, input: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """`python -m portal_app.cli ARGS` against the served database and mail settings."""
        result = subprocess.run(
            [self._bin("python"), "-m", "portal_app.cli", *map(str, args)],
            cwd=self.root,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"portal_app.cli {' '.join(map(str, args))} exited with {result.returncode}\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
            )
        return result

    def python(self, code: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run CODE as `python -c CODE` would, with the app's environment (its settings, its
        database), in one process kept for this server's snippets (tests/support/app_shell.py)."""
        if self._shell is None or not self._shell.running or self._shell.env != self.env:
            if self._shell is not None:
                self._shell.stop()
            self._shell = AppShell(self.root, self.env, self.data_dir / "app-shell.log", self._bin("python")).start()
        result = self._shell.run(code, timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"python -c failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def db_engine(self):
        """A SQLAlchemy engine on the served database (SQLite: WAL, foreign keys on, like the app)."""
        if self._engine is None:
            from portal_app.domain.core.db import make_engine

            self._engine = make_engine(self.database_url)
        return self._engine


def url_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


# The servers of this process holding their checkout's build lock.
_SERVING: set[PortalServer] = set()
