"""Settings read once from the environment, with safe defaults.

No reflex import here: the domain, the CLI and the tests use it too.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class OidcClient:
    """One FranceConnect client registration: the provider's issuer and our credentials there."""

    issuer: str
    client_id: str
    client_secret: str


def _oidc_client(prefix: str) -> OidcClient | None:
    """PORTAL_FC_* or PORTAL_FCPLUS_*: all three set, else that sign-in is not offered."""
    values = [os.environ.get(f"{prefix}_{name}", "").strip() for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")]
    return OidcClient(values[0].rstrip("/"), values[1], values[2]) if all(values) else None


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    base_url: str
    smtp_host: str | None
    smtp_port: int
    secret_key: str
    redis_url: str | None
    port: int
    mail_from: str
    # How long a mail being sent is reserved to one worker (longer than the SMTP timeout); a
    # worker killed mid-send delays that mail by this much.
    mail_claim_seconds: int = 120
    # Closed dossiers are deleted, with their files, this long after closing (dossiers/retention.py).
    retention_years: float = 5
    # Where Reflex keeps each tab's state: "memory" (one worker), "redis" (several workers),
    # "disk" (tab state kept across a restart). README, Configuration.
    state_manager: str = "memory"
    franceconnect: OidcClient | None = None
    franceconnect_plus: OidcClient | None = None
    # Where the backend's own routes answer the public (FranceConnect's return addresses):
    # PORTAL_BACKEND_URL, else PORTAL_BASE_URL (one port in production). Never the request's Host.
    backend_url: str = ""

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def files_dir(self) -> Path:
        # Outside anything Reflex serves: user files must never be public.
        return self.data_dir / "files"

    @property
    def base_origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


def _secret_key(data_dir: Path) -> str:
    """Use PORTAL_SECRET_KEY, else a key generated once into the data directory."""
    given = os.environ.get("PORTAL_SECRET_KEY")
    if given:
        return given
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two workers starting together must agree on one key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


STATE_MANAGERS = ("memory", "disk", "redis")


def _state_manager(redis_url: str | None) -> str:
    """PORTAL_STATE_MANAGER, else redis when PORTAL_REDIS_URL is set, else memory."""
    chosen = (os.environ.get("PORTAL_STATE_MANAGER") or ("redis" if redis_url else "memory")).strip().lower()
    if chosen not in STATE_MANAGERS:
        raise ValueError(f"PORTAL_STATE_MANAGER={chosen!r}: one of {', '.join(STATE_MANAGERS)}")
    if chosen == "redis" and not redis_url:
        raise ValueError("PORTAL_STATE_MANAGER=redis needs PORTAL_REDIS_URL")
    return chosen


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("PORTAL_DATA_DIR", "./data")).resolve()
    port = int(os.environ.get("PORTAL_PORT", "3000"))
    database_url = os.environ.get("PORTAL_DATABASE_URL") or f"sqlite:///{data_dir / 'portal.db'}"
    smtp_host = os.environ.get("PORTAL_SMTP_HOST") or None
    redis_url = os.environ.get("PORTAL_REDIS_URL") or None
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        base_url=os.environ.get("PORTAL_BASE_URL", f"http://localhost:{port}").rstrip("/"),
        smtp_host=smtp_host,
        smtp_port=int(os.environ.get("PORTAL_SMTP_PORT", "25")),
        secret_key=_secret_key(data_dir),
        redis_url=redis_url,
        port=port,
        mail_from=os.environ.get("PORTAL_MAIL_FROM", "Portail <ne-pas-repondre@portail.localhost>"),
        mail_claim_seconds=int(os.environ.get("PORTAL_MAIL_CLAIM_SECONDS", "120")),
        retention_years=float(os.environ.get("PORTAL_RETENTION_YEARS", "5")),
        state_manager=_state_manager(redis_url),
        franceconnect=_oidc_client("PORTAL_FC"),
        franceconnect_plus=_oidc_client("PORTAL_FCPLUS"),
        backend_url=(
            os.environ.get("PORTAL_BACKEND_URL") or os.environ.get("PORTAL_BASE_URL") or f"http://localhost:{port}"
        ).rstrip("/"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
