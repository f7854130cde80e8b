"""The production server on one port: build, then serve the build (`make serve`).

    python -m portal_app.serve [--port P]               # build .web/, then serve it on P
    python -m portal_app.serve --port P --skip-build    # serve the build already in .web/ (a restart)

Run from the app's folder (rxconfig.py). Reflex's own `reflex run --env prod --single-port`
compiles the whole app inside the process that then forks the backend's workers: every worker
started with every page's component tree resident (about 38 MiB here, README "Idle worker
memory"). Here the build is Reflex's own `reflex export --frontend-only --no-zip` in a child
process (the same compile and frontend build as `reflex run --env prod`, for the same port),
and this process then serves with the same calls as `reflex run --env prod` after its build
(run_backend_prod, the compiled frontend mounted on the backend's port, nothing compiled again):
it imports the app, never compiles it. Nothing here is specific to the portal: the benchmark
serves its blank Reflex app with it too, so both are served alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from reflex.utils import exec as reflex_exec
from reflex.utils import prerequisites
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment


def build(port: int) -> None:
    """Compile the app and build its frontend into .web/ for `port` (the pages call back the
    address they were built with), in a child process: the compiled pages stay out of this one."""
    # The frontend's backend URL comes from the backend port, as `reflex run --single-port` sets it.
    env = {**os.environ, "REFLEX_FRONTEND_PORT": str(port), "REFLEX_BACKEND_PORT": str(port)}
    command = [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"]
    subprocess.run(command, env=env, check=True)


def built_for() -> str | None:
    """The event URL the build in .web/ calls, or None without a complete build."""
    web = prerequisites.get_web_dir()
    if not (web / constants.Dirs.STATIC / "index.html").exists():
        return None
    try:
        return json.loads((web / constants.Dirs.ENV_JSON).read_text())["EVENT"]
    except (OSError, ValueError, KeyError):
        return None


def serve(port: int) -> None:
    environment.REFLEX_COMPILE_CONTEXT.set(constants.CompileContext.RUN)
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    # What `reflex run` leaves for its backend: both ports the same, nothing compiled again.
    config = get_config()
    config._set_persistent(frontend_port=port, backend_port=port)
    expected = constants.Endpoint.EVENT.get_url()
    if built_for() != expected:
        raise SystemExit(f"no build in .web/ for {expected}: run `python -m portal_app.serve --port {port}`")
    environment.REFLEX_SKIP_COMPILE.set(True)
    reflex_exec.notify_app_running()
    reflex_exec.notify_frontend(f"http://{config.backend_host}:{port}", backend_present=True)
    reflex_exec.run_backend_prod(
        config.backend_host, port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="the one port (default: rxconfig's frontend_port, PORTAL_PORT)")
    parser.add_argument("--skip-build", action="store_true", help="serve the build already in .web/")
    args = parser.parse_args(argv)
    port = args.port or get_config().frontend_port or constants.DefaultPorts.FRONTEND_PORT
    if not args.skip_build:
        build(port)
    serve(port)


if __name__ == "__main__":
    main()
