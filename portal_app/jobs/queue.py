"""The one job queue (Huey): SQLite under PORTAL_DATA_DIR, or Redis when PORTAL_REDIS_URL is set.

The storage is opened on first use, not at import: importing the tasks (the app, the CLI, the
tests) creates no file, and a test that changes PORTAL_DATA_DIR gets its own queue.
"""

from __future__ import annotations

from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import MemoryStorage

from portal_app.settings import Settings, get_settings

QUEUE_NAME = "portal"


def queue_file(settings: Settings):
    # Under PORTAL_DATA_DIR, which the development server's reloader never watches (rxconfig.py).
    return settings.data_dir / "queue.db"


class PortalHuey(Huey):
    """A Huey whose storage follows the settings, chosen when first needed."""

    def __init__(self) -> None:
        self._storage = None
        # No results kept: tasks report through the database, and unread results would pile up.
        super().__init__(QUEUE_NAME, results=False, utc=True)

    def create_storage(self):
        return None  # chosen lazily by `storage`

    @property
    def storage(self):
        if self._storage is None:
            self._storage = self._open_storage()
        return self._storage

    @storage.setter
    def storage(self, value) -> None:
        self._storage = value

    def _open_storage(self):
        if self.immediate:
            return MemoryStorage(self.name)
        settings = get_settings()
        if settings.redis_url:
            return RedisHuey(self.name, url=settings.redis_url, results=False).storage
        path = queue_file(settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(self.name, filename=str(path), results=False).storage


huey = PortalHuey()
