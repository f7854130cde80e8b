"""Placeholder store for employer files until the porte-documents store is merged.

Files live under settings.files_dir (never served by Reflex), named by a random key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from portal_app.settings import get_settings


def _path(key: str) -> Path:
    if not key or "/" in key or "\\" in key or key.startswith("."):
        raise ValueError("invalid storage key")
    return get_settings().files_dir / "employeurs" / key


def save(data: bytes) -> str:
    key = secrets.token_hex(16)
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{key}.part")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return key


def read(key: str) -> bytes:
    return _path(key).read_bytes()


def delete(key: str) -> None:
    _path(key).unlink(missing_ok=True)
