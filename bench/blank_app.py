"""A blank Reflex app of the portal's Reflex version, served like the portal: the floor that
bench/event_cost.py compares the portal's events with.

Its source (a counter and a controlled input, as `reflex init --template blank` gives plus
the input) is written to a cache folder, kept between runs so that its .web build is reused,
and built then served by `python -m portal_app.serve` (as `make serve` serves the portal: the
serving process never compiles the pages) through tests/support/process.py.
"""

from __future__ import annotations

import tempfile
from importlib.metadata import version
from pathlib import Path

from tests.support.process import ServerProcess, free_port
from tests.support.server import ROOT, app_bin, app_env, url_answers

CONFIG = """import reflex as rx

config = rx.Config(app_name="blank_app", telemetry_enabled=False, show_built_with_reflex=False)
"""

APP = """import reflex as rx


class CounterState(rx.State):
    count: int = 0
    text: str = ""

    @rx.event
    def increment(self):
        self.count += 1

    @rx.event
    def set_text(self, value: str):
        self.text = value


def index() -> rx.Component:
    return rx.container(
        rx.heading(CounterState.count),
        rx.button("+1", on_click=CounterState.increment),
        rx.input(value=CounterState.text, on_change=CounterState.set_text),
        rx.text(CounterState.text),
    )


app = rx.App()
app.add_page(index)
"""


def blank_app_dir() -> Path:
    """The blank app's folder (created or refreshed; its build cache kept)."""
    folder = Path(tempfile.gettempdir()) / f"portail-bench-blank-{version('reflex')}"
    (folder / "blank_app").mkdir(parents=True, exist_ok=True)
    for path, text in ((folder / "rxconfig.py", CONFIG), (folder / "blank_app" / "blank_app.py", APP)):
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    (folder / "blank_app" / "__init__.py").touch()
    return folder


class BlankServer:
    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None, start_timeout: float = 600) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.extra_env = dict(extra_env or {})
        self.start_timeout = start_timeout
        self.process: ServerProcess | None = None

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> BlankServer:
        folder = blank_app_dir()
        # The serving module is the portal's, the app (rxconfig.py, blank_app/) the folder's.
        env = app_env(self.data_dir, None, PYTHONPATH=str(ROOT), **self.extra_env)
        argv = [app_bin("python"), "-m", "portal_app.serve", "--port", str(self.port)]
        self.process = ServerProcess(
            "blank Reflex app", argv, cwd=folder, env=env, log_path=self.data_dir / "reflex.log"
        )
        self.process.start()
        self.process.wait_ready(
            lambda: url_answers(f"{self.base_url}/ping") and url_answers(f"{self.base_url}/"), self.start_timeout, 0.5
        )
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
