"""What an app worker keeps in memory from its start (issue 18, idle RSS): libraries serving rare
actions (PDFs, the Excel export, image uploads, a FranceConnect sign-in, the job queue, database
migrations) are imported by those actions, not by the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.server import ROOT

RARE = (
    "fpdf",  # receipts and exports: domain/core/pdf.new_document
    "fontTools",
    "openpyxl",  # the employer's Excel export
    "pypdf",
    "PIL",  # Pillow: domain/uploads/checks imports images.py with the first image to check
    "httpx",  # FranceConnect: domain/franceconnect/client.py, at the first sign-in
    "joserfc",
    "authlib",
    "huey",  # the job queue: domain/core/mail imports it with the first mail
    "psycopg",  # huey.storage imports it for a PostgreSQL storage the portal never uses
    "reflex.model",  # Reflex's database module, which imports Alembic
    "alembic",
    "mako",
)


def run_in_app(tmp_path, code: str) -> object:
    """The JSON printed last by `code`, run in a fresh interpreter after importing the app."""
    env = {**os.environ, "PORTAL_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    script = f"import json, sys\nimport portal_app.portal_app\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_app_imports_no_library_of_a_rare_action(tmp_path):
    assert run_in_app(tmp_path, f"print(json.dumps([m for m in {RARE!r} if m in sys.modules]))") == []


def test_reflex_db_still_sees_every_table_without_a_registration_by_the_app(tmp_path):
    # `reflex db` and the schema check of `reflex run` import reflex.model after the app: its
    # rx.Model shares SQLModel.metadata, so every portal table reaches Alembic.
    code = (
        "from sqlmodel import SQLModel\nfrom reflex.model import ModelRegistry\n"
        "print(json.dumps([sorted(ModelRegistry.get_metadata().tables), sorted(SQLModel.metadata.tables)]))"
    )
    seen_by_reflex, portal_tables = run_in_app(tmp_path, code)
    assert "users" in portal_tables
    assert seen_by_reflex == portal_tables
