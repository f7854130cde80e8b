import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from portal_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="portal_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    # Reflex echoes any origin with credentials by default: only our own origin may call us.
    cors_allowed_origins=[settings.base_origin],
    frontend_port=settings.port,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # No sitemap: the pages of a personal space are not for search engines.
    disable_plugins=[SitemapPlugin],
)
