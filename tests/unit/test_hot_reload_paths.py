"""What `reflex run` (development) watches for hot reload, as computed by Reflex itself after
loading rxconfig.py: the code and the assets, never the runtime data, wherever PORTAL_DATA_DIR
points inside the checkout. tests/e2e/test_dev_server.py runs the real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# `reflex run` loads rxconfig.py first thing, long before its backend asks for the paths.
_PRINT_PATHS = (
    "import json; from reflex_base.config import get_config; from reflex.utils.exec import get_reload_paths; "
    "get_config(); print(json.dumps([str(p) for p in get_reload_paths()]))"
)


def reload_paths(**env: str) -> list[Path]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "REFLEX_HOT_RELOAD_"))}
    # A given key: loading the settings must not create a data directory in the checkout.
    clean.update(PORTAL_SECRET_KEY="test-hot-reload", **env)
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_PATHS], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [Path(p) for p in json.loads(result.stdout.strip().splitlines()[-1])]


def watched(paths: list[Path], target: Path) -> bool:
    return any(target == path or path in target.parents for path in paths)


@pytest.mark.parametrize("data_dir", [None, "var/portail", "data-dev"])
def test_data_is_never_watched_code_and_assets_are(data_dir):
    env = {"PORTAL_DATA_DIR": str(ROOT / data_dir)} if data_dir else {}
    paths = reload_paths(**env)
    data = ROOT / (data_dir or "data")
    for runtime in (
        data / "portal.db-wal",
        data / "portal.db-shm",
        data / "outbox" / "20261201-abcd.eml",
        data / "files" / "ab" / "abcdef",
        data / "secret_key",
        ROOT / "uploaded_files" / "x.pdf",
        ROOT / ".states" / "token",
        ROOT / ".web" / "app" / "root.jsx",
        ROOT / "test-results" / "screenshots" / "x.png",
    ):
        assert not watched(paths, runtime), f"{runtime} would restart the backend; watched: {paths}"
    for code in (
        ROOT / "portal_app" / "portal_app.py",
        ROOT / "portal_app" / "demarches" / "ptp.py",
        ROOT / "assets" / "portal.css",
        ROOT / "rxconfig.py",
    ):
        assert watched(paths, code), f"{code} would not hot-reload; watched: {paths}"
    assert not data.exists() or data_dir is None


def test_include_paths_still_add_to_the_watch(tmp_path):
    paths = reload_paths(REFLEX_HOT_RELOAD_INCLUDE_PATHS=str(tmp_path))
    assert tmp_path in paths and ROOT / "portal_app" in paths
