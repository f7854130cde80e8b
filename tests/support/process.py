"""The one way tests run a server process: the portal (PortalServer), `make run` (DevPortalServer),
PostgreSQL and Redis (tests/scaleout/services.py).

    proc = ServerProcess("Redis", argv, cwd=folder, env=env, log_path=folder / "redis.log")
    proc.start()                     # its own process group; stdout and stderr appended to log_path
    proc.wait_ready(probe, 30)       # until probe() answers; fails early if the process exits
    proc.log_tail()                  # the end of its log, for error messages
    proc.stop()                      # stop_signal to the whole group (and children that left it), then SIGKILL

If the test process dies without cleaning up (SIGKILL, OOM), a watchdog process stops the group
and removes `cleanup_dir`; at exit and on SIGTERM/SIGHUP the test process stops every live one.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path


class NotReady(RuntimeError):
    """The process exited before answering, or did not answer in time."""


def free_port() -> int:
    """A port free right now on every interface (Reflex binds 0.0.0.0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def log_tail(path: Path | None, lines: int = 60) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))
    except (FileNotFoundError, TypeError):
        return "(no log)"


def processes_of(leader: int) -> list[int]:
    """Live (non-zombie) processes whose process group or parent is `leader`, leader included."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after the last ')'.
            fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if len(fields) > 2 and fields[0] != "Z" and leader in (int(fields[1]), int(fields[2])):
            found.append(int(entry.name))
    return sorted(found)


def _group_alive(pgid: int) -> bool:
    """Any process of the group still running (zombies waiting for a reaper do not count)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


class ServerProcess:
    def __init__(
        self,
        name: str,
        argv: list[str],
        *,
        cwd: Path,
        log_path: Path,
        env: dict[str, str] | None = None,
        stop_signal: int = signal.SIGTERM,
        grace: float = 10,
        cleanup_dir: Path | None = None,
        **popen,
    ) -> None:
        self.name, self.argv, self.cwd, self.log_path, self.env = name, argv, cwd, Path(log_path), env
        self.stop_signal, self.grace, self.cleanup_dir, self.popen = stop_signal, grace, cleanup_dir, popen
        self._proc: subprocess.Popen | None = None
        self._watchdog: subprocess.Popen | None = None
        self._log = None
        self.started_at = 0.0

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def pids(self) -> list[int]:
        """The process and its children, alive (PostgreSQL's leave the group with setsid)."""
        return processes_of(self._proc.pid) if self._proc is not None else []

    def log_tail(self, lines: int = 60) -> str:
        return log_tail(self.log_path, lines)

    def start(self) -> ServerProcess:
        self._log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115  (the child writes to it until stop())
        self._log.write(f"$ {' '.join([Path(self.argv[0]).name, *self.argv[1:]])}\n")
        self._log.flush()
        self.started_at = time.monotonic()
        self._proc = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group: stop() reaches every worker it forks.
            start_new_session=True,
            **self.popen,
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
                str(self.grace),
                str(self.cleanup_dir or ""),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def wait_ready(self, probe: Callable[[], object], timeout: float, interval: float = 0.2) -> float:
        """Call probe() until it returns something true without raising; returns the seconds
        since start()."""
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while True:
            if self._proc.poll() is not None:
                raise NotReady(f"{self.name} exited with {self._proc.returncode} before answering:\n{self.log_tail()}")
            try:
                if probe():
                    return time.monotonic() - self.started_at
            except Exception as exc:  # not up yet
                last_error = exc
            if time.monotonic() > deadline:
                reason = f" ({last_error})" if last_error else ""
                raise NotReady(f"{self.name} did not answer within {timeout:.0f} s{reason}:\n{self.log_tail()}")
            time.sleep(interval)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            children = processes_of(proc.pid)
            _stop_group(proc, self.stop_signal, self.grace)
            # Children outside the group (PostgreSQL's) normally end with their parent.
            deadline = time.monotonic() + 5
            while (left := [pid for pid in children if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
                time.sleep(0.1)
            for pid in left:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None
        _LIVE.discard(self)


def _stop_group(proc: subprocess.Popen, first_signal: int, grace: float) -> None:
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
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# argv: test process pid, server pid (its group), first signal, grace, directory to remove ("" for none).
_WATCHDOG = """
import os, shutil, signal, sys, time
parent, group, first, grace, directory = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
def alive(kill):
    try:
        kill()
    except ProcessLookupError:
        return False
    return True
while alive(lambda: os.killpg(group, 0)):
    if not alive(lambda: os.kill(parent, 0)):
        for sig, wait in ((first, grace), (signal.SIGKILL, 0)):
            if not alive(lambda: os.killpg(group, sig)):
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and alive(lambda: os.killpg(group, 0)):
                time.sleep(0.2)
        if directory:
            time.sleep(1)
            shutil.rmtree(directory, ignore_errors=True)
        break
    time.sleep(1)
"""

# Safety nets: a test session that ends between start() and stop() (an exception escaping
# pytest, SIGTERM from a CI timeout, SIGHUP) still takes its processes down.
_LIVE: set[ServerProcess] = set()
_HANDLED: dict[int, object] = {}


@atexit.register
def _stop_all() -> None:
    for process in list(_LIVE):
        process.stop()


def _on_signal(signum, frame) -> None:
    _stop_all()
    previous = _HANDLED.get(signum)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_signal_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signum not in _HANDLED:
            _HANDLED[signum] = signal.getsignal(signum)
            signal.signal(signum, _on_signal)
