"""Where a user may be sent back to after logging in."""

from urllib.parse import urlsplit

from portal_app.models import Role
from portal_app.routes import AGENT, EMPLOYER, MY_DOSSIERS


def safe_next(target: str | None, default: str = "/demarches") -> str:
    """Only a path of this site: never another host, never a scheme-relative URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


HOME_BY_ROLE = {Role.AGENT.value: AGENT, Role.EMPLOYER.value: EMPLOYER}


def home_for(role: str) -> str:
    return HOME_BY_ROLE.get(role, MY_DOSSIERS)
