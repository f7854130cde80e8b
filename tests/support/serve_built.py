"""The backend half of `reflex run --env prod --single-port --frontend-port PORT`, serving the
build already in .web/: what PortalServer.restart() starts.

    python -m tests.support.serve_built PORT      # from the checkout, with the app's environment

`reflex run --env prod` compiles the app and builds the frontend again at every start (about 20 s
here, most of a restart) although nothing changed since the session's first start. A restart test
is about the backend going away and coming back on the same port and data, which this does by
the same calls as `reflex run` after its build (Reflex's own run_backend_prod, the compiled
frontend mounted on the backend's port), minus the build.
"""

from __future__ import annotations

import sys

from reflex.utils import exec as reflex_exec
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment


def serve(port: int) -> None:
    environment.REFLEX_COMPILE_CONTEXT.set(constants.CompileContext.RUN)
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    # What `reflex run` leaves for its backend: both ports the same, nothing compiled again.
    config = get_config()
    config._set_persistent(frontend_port=port, backend_port=port)
    environment.REFLEX_SKIP_COMPILE.set(True)
    reflex_exec.notify_app_running()
    reflex_exec.run_backend_prod(
        config.backend_host, port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True
    )


if __name__ == "__main__":
    serve(int(sys.argv[1]))
