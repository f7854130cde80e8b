"""The real app, built once for production and served on one port, for end-to-end tests.

    server = PortalServer(tmp_dir, smtp_port=sink.port)
    server.start()              # reflex db migrate, then reflex run --env prod --single-port
    server.base_url             # http://localhost:<free port>
    server.db_engine()          # SQLAlchemy engine on the same SQLite file
    server.cli("seed-demo")     # python -m portal_app.cli ... with the same environment
    server.restart()            # kill and start again, same port and data (a backend restart)
    server.stop()               # kills the whole process group

`reflex run` compiles into .web/ of the repository: two servers started from the same
checkout at once would overwrite each other's build. A lock file (per checkout, in the
temporary directory) makes a second test session wait for the first one to finish.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Variables of the developer's shell that must not leak into the served app.
_DROPPED_ENV = ("PORTAL_DATABASE_URL", "PORTAL_REDIS_URL", "PORTAL_SECRET_KEY", "REFLEX_ENV_MODE")


def free_port() -> int:
    """A port free right now on every interface (Reflex binds 0.0.0.0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("", 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class PortalServer:
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
        self._proc: subprocess.Popen | None = None
        self._log_file = None
        self._lock_file = None
        self._engine = None
        self._watchdog: subprocess.Popen | None = None
        self._launched_at = 0.0
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
        env = {key: value for key, value in os.environ.items() if key not in _DROPPED_ENV}
        env.update(
            PORTAL_DATA_DIR=str(self.data_dir),
            PORTAL_PORT=str(self.port),
            PORTAL_BASE_URL=self.base_url,
            REFLEX_USE_SYSTEM_BUN="1",
            REFLEX_TELEMETRY_ENABLED="false",
            PYTHONUNBUFFERED="1",
        )
        if self.smtp_port is not None:
            env.update(PORTAL_SMTP_HOST="127.0.0.1", PORTAL_SMTP_PORT=str(self.smtp_port))
        else:
            env.pop("PORTAL_SMTP_HOST", None)
            env.pop("PORTAL_SMTP_PORT", None)
        env.update(self._extra_env)
        return env

    def _bin(self, name: str) -> str:
        candidate = self.root / ".venv" / "bin" / name
        if candidate.exists():
            return str(candidate)
        # Running from another interpreter (CI without a .venv): use the current one's scripts.
        return str(Path(sys.executable).parent / name)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> PortalServer:
        if self._proc is not None:
            return self
        self._acquire_build_lock()
        try:
            self._migrate()
            self._launch()
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _acquire_build_lock(self, timeout: float = 1800) -> None:
        holder = next(
            (other for other in _LIVE if other is not self and other.root == self.root and other._lock_file), None
        )
        if holder is not None:
            # The same process holds the lock: waiting would only end at the timeout.
            raise RuntimeError(
                f"another PortalServer of this process (port {holder.port}) still serves {self.root}; stop it first"
            )
        digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:12]
        path = Path(tempfile.gettempdir()) / f"portail-e2e-{digest}.lock"
        handle = open(path, "w")  # noqa: SIM115 (held while this server runs: closing it releases the flock)
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

    def _migrate(self) -> None:
        result = subprocess.run(
            [self._bin("reflex"), "db", "migrate"],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write("$ reflex db migrate\n" + result.stdout + result.stderr + "\n")
        if result.returncode != 0:
            raise RuntimeError(
                f"reflex db migrate failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )

    def _command(self) -> list[str]:
        return [self._bin("reflex"), "run", "--env", "prod", "--single-port", "--frontend-port", str(self.port)]

    def _ready_urls(self) -> list[str]:
        return [f"{self.base_url}/ping", f"{self.base_url}/"]

    def _ensure_free_ports(self) -> None:
        if _port_in_use(self.port):
            self.port = free_port()
            self.env = self._build_env()

    def _launch(self) -> None:
        self._ensure_free_ports()
        command = self._command()
        self._log_file = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 (the server writes to it until stop())
        self._log_file.write(f"$ {' '.join([Path(command[0]).name, *command[1:]])}\n")
        self._log_file.flush()
        self._launched_at = time.monotonic()
        self._proc = subprocess.Popen(
            command,
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            # Its own process group: stop() kills Reflex and every worker it forked.
            start_new_session=True,
        )
        _LIVE.add(self)
        _install_signal_handlers()
        # If this test process dies without cleaning up (SIGKILL, OOM), the watchdog takes
        # the server's whole process group down.
        self._watchdog = subprocess.Popen(
            [sys.executable, "-S", "-c", _WATCHDOG, str(os.getpid()), str(self._proc.pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        urls = self._ready_urls()
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"{self._command()[0]} exited with {self._proc.returncode} before answering:\n{self.log_tail()}"
                )
            if all(self._answers(url) for url in urls):
                self.ready_after = time.monotonic() - self._launched_at
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{urls} did not answer within {self.start_timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.5)

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _kill_group(proc)
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait(timeout=5)
        _LIVE.discard(self)
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self._lock_file is not None:
            self._lock_file.close()  # releases the flock
            self._lock_file = None

    def restart(self, while_down: Callable[[], None] | None = None) -> PortalServer:
        """Kill the serving process group and start it again on the same port and data
        directory, as an operator restarting the backend would; `while_down` runs in between
        (for example typing in a page while the server is gone)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            _kill_group(proc)
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait(timeout=5)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if while_down is not None:
            while_down()
        port = self.port
        self._launch()
        if self.port != port:
            raise RuntimeError(f"port {port} was taken while the server was down: pages cannot reconnect")
        self._wait_ready()
        return self

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, lines: int = 60) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return "".join(deque(handle, maxlen=lines))
        except FileNotFoundError:
            return "(no log)"

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
        """Run `python -c CODE` with the app's environment (its settings, its database)."""
        result = subprocess.run(
            [self._bin("python"), "-c", code],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"python -c failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def db_engine(self):
        """A SQLAlchemy engine on the served database (SQLite: WAL, foreign keys on, like the app)."""
        if self._engine is None:
            from portal_app.domain.core.db import make_engine

            self._engine = make_engine(self.database_url)
        return self._engine


def _kill_group(proc: subprocess.Popen, grace: float = 10) -> None:
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        pgid = proc.pid  # leader gone; its group may still hold workers
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            proc.poll()
            if not _group_alive(pgid):
                break
            time.sleep(0.1)
        else:
            continue
        break
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _group_alive(pgid: int) -> bool:
    """Any process of the group still running (zombies waiting for a reaper do not count)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after the last ')'.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


_WATCHDOG = """
import os, signal, sys, time
parent, group = int(sys.argv[1]), int(sys.argv[2])
def alive(kill):
    try:
        kill()
    except ProcessLookupError:
        return False
    return True
while alive(lambda: os.killpg(group, 0)):
    if not alive(lambda: os.kill(parent, 0)):
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 0)):
            if not alive(lambda: os.killpg(group, sig)):
                break
            time.sleep(wait)
        break
    time.sleep(1)
"""

# Safety nets: a test session that ends between start() and stop() (an exception escaping
# pytest, SIGTERM from a CI timeout, SIGHUP) still takes its servers down.
_LIVE: set[PortalServer] = set()
_HANDLED: dict[int, object] = {}


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop()


def _on_signal(signum, frame) -> None:
    _stop_all()
    previous = _HANDLED.get(signum)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_signal_handlers() -> None:
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signum not in _HANDLED:
            _HANDLED[signum] = signal.getsignal(signum)
            signal.signal(signum, _on_signal)
