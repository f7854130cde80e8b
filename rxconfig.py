import os
from pathlib import Path

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from portal_app.page_shells import DynamicPageShells
from portal_app.settings import get_settings

settings = get_settings()

# `reflex run` (development) restarts its backend on any change under the app root it does not
# ignore by name, and it ignores neither SQLite's -wal/-shm files nor the outbox's .eml nor the
# porte-documents' files: every database write restarted the backend. So the reloader watches
# only what a change of behaviour can come from: the code (démarches included) and the assets.
# Reflex reads this variable after loading this file, so plain `reflex run` gets it too; paths
# in REFLEX_HOT_RELOAD_INCLUDE_PATHS are still watched, a REFLEX_HOT_RELOAD_OVERRIDE_PATHS of
# your own wins. Keep PORTAL_DATA_DIR out of these folders.
_ROOT = Path(__file__).resolve().parent
_WATCHED = [_ROOT / "portal_app", _ROOT / "assets", _ROOT / "rxconfig.py"]
_included = [path for path in os.environ.get("REFLEX_HOT_RELOAD_INCLUDE_PATHS", "").split(":") if path]
os.environ.setdefault("REFLEX_HOT_RELOAD_OVERRIDE_PATHS", ":".join(map(str, [*_WATCHED, *_included])))

config = rx.Config(
    app_name="portal_app",
    db_url=settings.database_url,
    # The state manager is chosen per deployment (README, "State manager"): memory for one
    # worker (the default: Reflex's own default, disk, pickles every tab's state on each
    # event), redis for several workers, disk only where tab state must outlive a restart.
    # Reflex runs several workers whenever it has a Redis URL: it gets one only for "redis".
    state_manager_mode=settings.state_manager,
    redis_url=settings.redis_url if settings.state_manager == "redis" else None,
    # Reflex echoes any origin with credentials by default: only our own origin may call us.
    # In development the pages (PORTAL_PORT) call the backend (PORTAL_BACKEND_PORT): that
    # origin is still the pages' one, PORTAL_BASE_URL's.
    cors_allowed_origins=[settings.base_origin],
    frontend_port=settings.port,
    # No backend_port here: `reflex run --env prod --single-port` refuses one that differs from
    # frontend_port. `make run` passes PORTAL_BACKEND_PORT as --backend-port.
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # No sitemap: the pages of a personal space are not for search engines.
    disable_plugins=[SitemapPlugin],
    # A prerendered shell for each dynamic route (portal_app/page_shells.py: a first paint before hydration).
    plugins=[DynamicPageShells()],
)
