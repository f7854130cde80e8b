"""Throwaway PostgreSQL and Redis servers on 127.0.0.1, for the scale-out tests.

    pg = PostgresServer().start()     # initdb in a temp dir, postgres on a free port
    pg.url("portal")                  # postgresql+psycopg://portal:…@127.0.0.1:PORT/portal
    pg.create_database("portal")
    redis = RedisServer().start()     # redis-server on a free port, no persistence
    redis.url                         # redis://127.0.0.1:PORT/0
    pg.stop(); redis.stop()           # process group gone, temp dir removed

initdb and postgres refuse to run as root: when the tests run as root (CI does), both run as
the `postgres` system user (or `nobody`), in a temp dir that user owns. Each server is a
tests/support/process.ServerProcess: its own process group, a watchdog that stops it and
removes its temp dir if the test process dies without cleaning up.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tests.support.process import NotReady, ServerProcess, free_port

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


class _Service:
    name = "service"
    stop_signal = signal.SIGTERM

    def __init__(self, start_timeout: float = 60) -> None:
        self.start_timeout = start_timeout
        self.port: int | None = None
        self.dir: Path | None = None
        self.log_path: Path | None = None
        self.process: ServerProcess | None = None

    def _spawn(self, argv: list[str], *, env: dict[str, str] | None = None, **popen) -> None:
        self.process = ServerProcess(
            self.name,
            argv,
            cwd=self.dir,
            env=env,
            log_path=self.log_path,
            stop_signal=self.stop_signal,
            grace=15,
            cleanup_dir=self.dir,
            **popen,
        ).start()

    def _start_on_free_port(self, launch, probe, attempts: int = 3) -> None:
        """Another process may grab the free port first: try again on another one."""
        for attempt in range(attempts):
            self.port = free_port()
            launch()
            try:
                self.process.wait_ready(probe, self.start_timeout)
                return
            except NotReady as exc:
                in_use = "already in use" in self.process.log_tail().lower()
                self._stop_process()
                if not in_use or attempt == attempts - 1:
                    raise ServiceUnavailable(f"on 127.0.0.1:{self.port}: {exc}") from exc

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.running

    def pids(self) -> list[int]:
        """The server and its children, alive."""
        return self.process.pids() if self.process is not None else []

    def _stop_process(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.stop()

    def stop(self) -> None:
        self._stop_process()
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
                    env=env,
                    **run_as,
                )

            def probe() -> bool:
                with self.connect() as conn:
                    conn.execute("SELECT 1")
                return True

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
                )

            def probe() -> bool:
                client = self.client()
                try:
                    return client.ping()
                finally:
                    client.close()

            self._start_on_free_port(launch, probe)
        except BaseException:
            self.stop()
            raise
        return self
