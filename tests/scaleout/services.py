"""Throwaway PostgreSQL and Redis servers on 127.0.0.1, for the scale-out tests.

    pg = PostgresServer().start()     # initdb in a temp dir, postgres on a free port
    pg.url("portal")                  # postgresql+psycopg://portal:…@127.0.0.1:PORT/portal
    pg.create_database("portal")
    redis = RedisServer().start()     # redis-server on a free port, no persistence
    redis.url                         # redis://127.0.0.1:PORT/0
    pg.stop(); redis.stop()           # process group gone, temp dir removed

initdb and postgres refuse to run as root: when the tests run as root (CI does), both run as
the `postgres` system user (or `nobody`), in a temp dir that user owns. Each server runs in
its own process group, watched by a watchdog process: if the test process dies without
cleaning up (SIGKILL, OOM), the server is stopped and its temp dir removed; on SIGTERM/SIGHUP
the test process stops its servers itself.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from tests.support.server import _group_alive, free_port

PG_ROOT = Path("/usr/lib/postgresql")


class ServiceUnavailable(RuntimeError):
    """The server could not be found or started on this machine."""


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def postgres_bin_dir() -> Path | None:
    """Newest /usr/lib/postgresql/*/bin with initdb and postgres, else those on PATH."""
    for candidate in sorted(PG_ROOT.glob("*/bin"), key=lambda p: _version_key(p.parent.name), reverse=True):
        if (candidate / "initdb").is_file() and (candidate / "postgres").is_file():
            return candidate
    initdb, postgres = shutil.which("initdb"), shutil.which("postgres")
    if initdb and postgres and Path(initdb).resolve().parent == Path(postgres).resolve().parent:
        return Path(initdb).resolve().parent
    return None


def redis_server_binary() -> str | None:
    return shutil.which("redis-server") or next(
        (path for path in ("/usr/bin/redis-server", "/usr/local/bin/redis-server") if os.access(path, os.X_OK)), None
    )


def _unprivileged_user() -> pwd.struct_passwd | None:
    """None when we are not root (run as ourselves); else the account to run servers as."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise ServiceUnavailable("running as root and neither the 'postgres' nor the 'nobody' user exists")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))
    except FileNotFoundError:
        return "(no log)"


def _stop_group(proc: subprocess.Popen, first_signal: int, grace: float = 15) -> None:
    """first_signal to the whole process group, then SIGKILL if it is still there."""
    pgid = proc.pid  # start_new_session=True: the leader's pid is the group id
    for sig, wait in ((first_signal, grace), (signal.SIGKILL, 5)):
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


def processes_of(leader: int) -> list[int]:
    """Live (non-zombie) processes whose process group or parent is `leader`, leader included."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        # state ppid pgrp ...
        if len(fields) > 2 and fields[0] != "Z" and leader in (int(fields[1]), int(fields[2])):
            found.append(int(entry.name))
    return sorted(found)


# argv: test process pid, server pid (its group), first signal, temp dir to remove.
_WATCHDOG = """
import os, shutil, signal, sys, time
parent, group, first, directory = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def alive(kill):
    try:
        kill()
    except ProcessLookupError:
        return False
    return True
while alive(lambda: os.killpg(group, 0)):
    if not alive(lambda: os.kill(parent, 0)):
        for sig, wait in ((first, 15), (signal.SIGKILL, 0)):
            if not alive(lambda: os.killpg(group, sig)):
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and alive(lambda: os.killpg(group, 0)):
                time.sleep(0.2)
        time.sleep(1)
        shutil.rmtree(directory, ignore_errors=True)
        break
    time.sleep(1)
"""

_LIVE: set = set()
_HANDLED: dict[int, object] = {}


@atexit.register
def _stop_all() -> None:
    for service in list(_LIVE):
        service.stop()


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


class _Service:
    name = "service"
    stop_signal = signal.SIGTERM

    def __init__(self, start_timeout: float = 60) -> None:
        self.start_timeout = start_timeout
        self.port: int | None = None
        self.dir: Path | None = None
        self.log_path: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._watchdog: subprocess.Popen | None = None
        self._log = None

    def _spawn(self, argv: list[str], **popen) -> None:
        self._log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 (the service writes to it until stop())
        self._log.write("$ " + " ".join(argv) + "\n")
        self._log.flush()
        self._proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **popen,
        )
        _LIVE.add(self)
        _install_signal_handlers()
        self._watchdog = subprocess.Popen(
            [
                sys.executable,
                "-S",
                "-c",
                _WATCHDOG,
                str(os.getpid()),
                str(self._proc.pid),
                str(int(self.stop_signal)),
                str(self.dir),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait_ready(self, probe) -> None:
        deadline = time.monotonic() + self.start_timeout
        last_error: Exception | None = None
        while True:
            if self._proc.poll() is not None:
                raise ServiceUnavailable(
                    f"{self.name} exited with {self._proc.returncode} before answering on port {self.port}:\n"
                    f"{_tail(self.log_path)}"
                )
            try:
                probe()
                return
            except Exception as exc:  # not up yet
                last_error = exc
            if time.monotonic() > deadline:
                raise ServiceUnavailable(
                    f"{self.name} did not answer on 127.0.0.1:{self.port} within {self.start_timeout:.0f} s "
                    f"({last_error}):\n{_tail(self.log_path)}"
                )
            time.sleep(0.2)

    def _start_on_free_port(self, launch, probe, attempts: int = 3) -> None:
        """Another process may grab the free port first: try again on another one."""
        for attempt in range(attempts):
            self.port = free_port()
            launch()
            try:
                self._wait_ready(probe)
                return
            except ServiceUnavailable:
                in_use = "already in use" in _tail(self.log_path).lower()
                self._stop_process()
                if not in_use or attempt == attempts - 1:
                    raise

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def pids(self) -> list[int]:
        """The server and its children, alive (PostgreSQL's children leave the process group
        with setsid, so they are found by parent)."""
        if self._proc is None:
            return []
        return processes_of(self._proc.pid)

    def _stop_process(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            children = processes_of(proc.pid)
            _stop_group(proc, self.stop_signal)
            # Children outside the group (PostgreSQL's) normally end with their parent.
            deadline = time.monotonic() + 5
            while (left := [pid for pid in children if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
                time.sleep(0.1)
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        self._stop_process()
        _LIVE.discard(self)
        directory, self.dir = self.dir, None
        if directory is not None and os.environ.get("PORTAIL_KEEP_SERVICE_DIRS") != "1":
            shutil.rmtree(directory, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self):  # pragma: no cover - overridden
        raise NotImplementedError


class PostgresServer(_Service):
    name = "PostgreSQL"
    # SIGINT is PostgreSQL's "fast" shutdown: it does not wait for pooled connections to close.
    stop_signal = signal.SIGINT

    def __init__(self, bin_dir: Path | None = None, user: str = "portal", start_timeout: float = 60) -> None:
        super().__init__(start_timeout)
        self.bin_dir = bin_dir or postgres_bin_dir()
        self.user = user
        self.password = secrets.token_hex(16)
        self.version = ""

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres", **kwargs):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=database,
            connect_timeout=5,
            **kwargs,
        )

    def create_database(self, name: str) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"unsafe database name {name!r}")
        with self.connect(autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")

    def start(self) -> PostgresServer:
        if self.running:
            return self
        if self.bin_dir is None:
            raise ServiceUnavailable(
                f"no PostgreSQL server binaries (initdb, postgres) in {PG_ROOT}/*/bin nor on PATH; "
                "`make system-deps` installs Debian's postgresql"
            )
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise ServiceUnavailable(f"the psycopg driver is not installed ({exc}); run `make install`") from exc
        account = _unprivileged_user()
        run_as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []} if account else {}
        try:
            self.dir = Path(tempfile.mkdtemp(prefix="portail-pg-"))
            self.log_path = self.dir / "postgres.log"
            pwfile = self.dir / "pwfile"
            pwfile.write_text(self.password + "\n")
            os.chmod(pwfile, 0o600)
            if account:
                for path in (self.dir, pwfile):
                    os.chown(path, account.pw_uid, account.pw_gid)
            env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
            env.update(LC_ALL="C", LANG="C")
            if account:
                env.update(HOME=str(self.dir), USER=account.pw_name, LOGNAME=account.pw_name)
            initdb = subprocess.run(
                [
                    str(self.bin_dir / "initdb"),
                    "--pgdata",
                    str(self.dir / "data"),
                    "--username",
                    self.user,
                    "--pwfile",
                    str(pwfile),
                    "--auth",
                    "scram-sha-256",
                    "--encoding",
                    "UTF8",
                    "--no-locale",
                    "--no-sync",
                ],
                cwd=self.dir,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                **run_as,
            )
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write("$ initdb\n" + initdb.stdout + initdb.stderr)
            if initdb.returncode != 0:
                raise ServiceUnavailable(
                    f"initdb failed ({initdb.returncode}) as {account.pw_name if account else 'current user'}:\n"
                    f"{initdb.stdout[-2000:]}\n{initdb.stderr[-2000:]}"
                )
            self.version = subprocess.run(
                [str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=False, **run_as
            ).stdout.strip()

            def launch() -> None:
                self._spawn(
                    [
                        str(self.bin_dir / "postgres"),
                        "-D",
                        str(self.dir / "data"),
                        "-p",
                        str(self.port),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "unix_socket_directories=",
                        "-c",
                        "max_connections=200",
                        # A throwaway cluster: durability buys nothing here.
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=off",
                        "-c",
                        "full_page_writes=off",
                    ],
                    cwd=self.dir,
                    env=env,
                    **run_as,
                )

            def probe() -> None:
                with self.connect() as conn:
                    conn.execute("SELECT 1")

            self._start_on_free_port(launch, probe)
        except BaseException:
            self.stop()
            raise
        return self


class RedisServer(_Service):
    name = "Redis"

    def __init__(self, binary: str | None = None, start_timeout: float = 30) -> None:
        super().__init__(start_timeout)
        self.binary = binary or redis_server_binary()
        self.version = ""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **kwargs):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=0, socket_timeout=5, **kwargs)

    def start(self) -> RedisServer:
        if self.running:
            return self
        if self.binary is None:
            raise ServiceUnavailable("no redis-server on PATH; `make system-deps` installs Debian's redis-server")
        try:
            import redis  # noqa: F401
        except ImportError as exc:
            raise ServiceUnavailable(f"the redis package is not installed ({exc}); run `make install`") from exc
        try:
            self.dir = Path(tempfile.mkdtemp(prefix="portail-redis-"))
            self.log_path = self.dir / "redis.log"
            self.version = subprocess.run(
                [self.binary, "--version"], capture_output=True, text=True, check=False
            ).stdout.strip()

            def launch() -> None:
                self._spawn(
                    [
                        self.binary,
                        "--port",
                        str(self.port),
                        "--bind",
                        "127.0.0.1",
                        "--protected-mode",
                        "yes",
                        # No persistence: nothing written to disk, nothing left behind.
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        str(self.dir),
                        "--daemonize",
                        "no",
                        "--logfile",
                        "",
                    ],
                    cwd=self.dir,
                )

            def probe() -> None:
                client = self.client()
                try:
                    client.ping()
                finally:
                    client.close()

            self._start_on_free_port(launch, probe)
        except BaseException:
            self.stop()
            raise
        return self
