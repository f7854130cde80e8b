"""`make run` as a newcomer types it, in a copy of the checkout, for the development-server test.

    root = checkout_copy(tmp_dir / "portail")   # tracked + untracked-not-ignored files, .venv linked
    server = DevPortalServer(root)
    server.start()              # make -o install run: migrate, seed-demo, reflex run with hot reload
    server.base_url             # the pages, http://localhost:<PORTAL_PORT>
    server.backend_url          # the backend, http://localhost:<PORTAL_BACKEND_PORT>
    server.output()             # everything make run printed (the demo credentials, the ports)
    server.reloads()            # each backend restart the reloader logged, with the files behind it
    server.stop()               # kills the whole process group (PortalServer's watchdog included)

A copy, because the development server compiles into .web/ of its root, keeps its data in ./data
of it (the default layout is what is tested) and hot-reloads on changes the test makes to its code.
`-o install`: the venv is shared, make must not reinstall it (a fresh copy's requirements.txt may
look newer than .venv/.installed); everything else is the `run` target itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.support.process import free_port, port_in_use
from tests.support.server import ROOT, PortalServer, url_answers

# Set by `make test` for its own recipes: a nested make would take its variables (PORTAL_PORT=…)
# as command-line overrides of ours.
_MAKE_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
# The developer's own settings would hide the defaults under test.
_DEFAULTS_UNDER_TEST = (
    "PORTAL_DATA_DIR",
    "PORTAL_BASE_URL",
    "REFLEX_BACKEND_PORT",
    "REFLEX_FRONTEND_PORT",
    "REFLEX_HOT_RELOAD_OVERRIDE_PATHS",
    "REFLEX_HOT_RELOAD_INCLUDE_PATHS",
    "REFLEX_HOT_RELOAD_EXCLUDE_PATHS",
)

# Granian's reloader, shown from REFLEX_LOGLEVEL=info on: one line per restart, then one per file.
RELOAD_LINE = "[INFO] Changes detected, reloading workers.."
_CHANGED_FILE = re.compile(r"^\[INFO\] (?:Added|Modified|Deleted): (.+)$")
# Printed once a restarted worker has imported the app and serves again.
_WORKER_STARTED = re.compile(r"^\[INFO\] Started worker-\d+$")


def checkout_copy(dest: Path, source: Path = ROOT) -> Path:
    """Copy what a clone of the checkout would hold (with files not yet committed), mtimes kept,
    and link its .venv to the venv running the tests."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        origin = source / name
        if not os.path.lexists(origin):  # deleted, not yet committed
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target, follow_symlinks=False)
    venv = source / ".venv"
    (dest / ".venv").symlink_to(venv.resolve() if venv.exists() else Path(sys.prefix))
    return dest


class DevPortalServer(PortalServer):
    own_worker = False  # `make run` starts the job queue's worker beside the app

    def __init__(self, root: Path, smtp_port: int | None = None, *, start_timeout: float = 480) -> None:
        self.backend_port = free_port()
        self.fc_provider_port = free_port()
        # bun install and the first development compile of a fresh copy take longer than a
        # production rebuild of the checkout.
        super().__init__(Path(root) / "data", smtp_port, root=root, start_timeout=start_timeout)
        # Beside the copy, not in it: the log must not be a file the reloader could see.
        self.log_path = self.root.parent / f"{self.root.name}-make-run.log"

    @property
    def backend_url(self) -> str:
        return f"http://localhost:{self.backend_port}"

    def _build_env(self) -> dict[str, str]:
        env = super()._build_env()
        for key in (*_MAKE_ENV, *_DEFAULTS_UNDER_TEST):
            env.pop(key, None)
        env.update(
            PORTAL_BACKEND_PORT=str(self.backend_port),
            # make run starts the development FranceConnect provider too: on a port of its own.
            FC_PROVIDER_PORT=str(self.fc_provider_port),
            # Makes Granian log each restart and the files that caused it.
            REFLEX_LOGLEVEL="info",
        )
        return env

    def _migrate(self) -> None:
        pass  # make run migrates

    def _command(self) -> list[str]:
        return ["make", "-o", "install", "run"]

    def _ready_urls(self) -> list[str]:
        return [f"{self.backend_url}/ping", f"{self.base_url}/"]

    def _ensure_free_ports(self) -> None:
        while port_in_use(self.port) or port_in_use(self.backend_port) or self.port == self.backend_port:
            self.port, self.backend_port = free_port(), free_port()
        self.env = self._build_env()

    def restart(self, while_down=None):
        raise NotImplementedError("make run is started once")

    # ------------------------------------------------------------------ what it printed

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def reloads(self) -> list[list[str]]:
        """The restarts logged so far, each as the list of changed paths the reloader gave."""
        found: list[list[str]] = []
        for line in self.output().splitlines():
            if line.strip() == RELOAD_LINE:
                found.append([])
            elif found and (changed := _CHANGED_FILE.match(line.strip())):
                found[-1].append(changed.group(1))
        return found

    def wait_for_reload(self, path: Path, timeout: float = 30) -> list[list[str]]:
        """Wait until a logged restart names `path`; return every restart logged by then."""
        deadline = time.monotonic() + timeout
        while True:
            reloads = self.reloads()
            if any(str(path) in changed for changed in reloads):
                return reloads
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no backend restart for {path} within {timeout:.0f} s; restarts: {reloads}\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def wait_until_serving(self, timeout: float = 300) -> None:
        """Wait until the worker spawned after the last logged restart serves again: a restart
        that lands on one still starting kills it, and a page clicked meanwhile hangs."""
        deadline = time.monotonic() + timeout
        while True:
            lines = [line.strip() for line in self.output().splitlines()]
            last_reload = max((i for i, line in enumerate(lines) if line == RELOAD_LINE), default=-1)
            started = any(_WORKER_STARTED.match(line) for line in lines[last_reload + 1 :])
            if started and url_answers(f"{self.backend_url}/ping"):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the backend did not serve again within {timeout:.0f} s\n{self.log_tail()}")
            time.sleep(0.2)
