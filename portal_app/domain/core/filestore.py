"""User files on disk, under settings.files_dir (outside anything served), by random name.

A stored file is never changed in place: renaming a document only changes the database. So a
frozen copy (a dossier attachment) can be a hard link, which costs no space and survives the
deletion of the original name.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
from pathlib import Path

from portal_app.settings import get_settings

log = logging.getLogger("portal.files")

_NAME = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_name() -> str:
    return secrets.token_urlsafe(24)


def path_of(stored_name: str) -> Path:
    if not _NAME.fullmatch(stored_name or ""):
        # Names come from the database only; anything else is a bug or an attack.
        raise ValueError("invalid stored file name")
    root = get_settings().files_dir
    return root / stored_name[:2] / stored_name


def write(data: bytes) -> str:
    """Write atomically (temporary file, fsync, rename) and return the new stored name."""
    name = new_name()
    target = path_of(name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_name(f".{name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return name


def read(stored_name: str) -> bytes:
    return path_of(stored_name).read_bytes()


def copy(stored_name: str) -> str:
    """A frozen copy under a new name: a hard link when possible, else a real copy."""
    name = new_name()
    source, target = path_of(stored_name), path_of(name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    # A link keeps the source's age: made young, the new name is never swept before its row commits.
    touch(name)
    return name


def touch(stored_name: str) -> bool:
    """Make a stored file young again (the sweep spares it a day); False when it is gone."""
    try:
        os.utime(path_of(stored_name))
    except FileNotFoundError:
        return False
    return True


def old_files(older_than: float) -> dict[str, Path]:
    """Stored files, and temporary files a crashed write left, last changed before `older_than`
    (a POSIX time): {name: path}. The store's layout is known here only."""
    found: dict[str, Path] = {}
    root = get_settings().files_dir
    if not root.is_dir():
        return found
    for shard in os.scandir(root):
        if not shard.is_dir(follow_symlinks=False):
            continue
        for entry in os.scandir(shard.path):
            stored = _NAME.fullmatch(entry.name) and entry.name.startswith(shard.name)
            leftover = entry.name.startswith(".") and entry.name.endswith(".tmp")
            candidate = (stored or leftover) and entry.is_file(follow_symlinks=False)
            if candidate and entry.stat(follow_symlinks=False).st_mtime < older_than:
                found[entry.name] = Path(entry.path)
    return found


def remove_if_old(path: Path, older_than: float) -> bool:
    """Delete a file found by old_files unless it was touched since (a copy, a quote sent); True if deleted."""
    try:
        if path.stat().st_mtime >= older_than:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def delete(*stored_names: str | None) -> None:
    for name in stored_names:
        if not name:
            continue
        try:
            path_of(name).unlink(missing_ok=True)
        except OSError:
            # The row is gone already: the log tells an operator which file to remove.
            log.exception("could not delete stored file %s", name)
