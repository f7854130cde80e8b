"""Drafts straight from the served database, and the form's fields by label, for the
end-to-end tests and the autosave benchmark."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.browser import wait_hydrated

PTP = "projet-transition-professionnelle"
SAVED = "Brouillon enregistré à"


def dossiers_of(engine, user_id: int) -> list:
    from sqlmodel import Session, select

    from portal_app.models import Dossier

    with Session(engine, expire_on_commit=False) as db:
        return list(db.exec(select(Dossier).where(Dossier.owner_id == user_id).order_by(Dossier.id)).all())


def dossier(engine, dossier_id: int):
    from sqlmodel import Session

    from portal_app.models import Dossier

    with Session(engine, expire_on_commit=False) as db:
        return db.get(Dossier, dossier_id)


def put_answers(engine, dossier_id: int, answers: dict[str, Any]) -> None:
    """Merge answers into a draft as if they had been typed (version bumped)."""
    from sqlmodel import Session

    from portal_app.models import Dossier

    with Session(engine, expire_on_commit=False) as db:
        row = db.get(Dossier, dossier_id)
        row.answers = {**row.answers, **answers}
        row.version += 1
        db.add(row)
        db.commit()


def wait_for_answer(engine, dossier_id: int, key: str, value: Any, timeout: float = 15) -> float:
    """Poll the database until the answer is committed; seconds waited."""
    start = time.monotonic()
    while True:
        row = dossier(engine, dossier_id)
        if row is not None and (row.answers or {}).get(key) == value:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            found = (row.answers or {}).get(key) if row is not None else "(no dossier)"
            raise AssertionError(f"dossier {dossier_id}: {key!r} is {found!r}, not {value!r}, after {timeout} s")
        time.sleep(0.01)


def open_draft(page: Page, base_url: str, dossier_id: int, step: str = "") -> None:
    page.goto(f"{base_url}/demarches/dossier/{dossier_id}" + (f"?etape={step}" if step else ""))
    wait_hydrated(page)
    expect(page.locator("#titre-etape")).to_be_visible()


def start_demarche(page: Page, base_url: str, title: str, *, beside_draft: bool = False) -> int:
    """From the catalogue, "Commencer" a démarche; returns the new draft's id. beside_draft: the
    user already has a draft of it (the demo beneficiary does), so the catalogue offers to resume
    it first; a new dossier is started all the same."""
    page.goto(f"{base_url}/demarches/nouvelle")
    wait_hydrated(page)
    page.get_by_role("button", name=f"Commencer : {title}").click()
    if beside_draft:
        page.get_by_role("button", name="Commencer un nouveau dossier").click()
    expect(page.locator("#titre-etape")).to_be_visible()
    return int(page.evaluate("location.pathname").rstrip("/").rsplit("/", 1)[1])


def expect_saved(page: Page, timeout: float = 10_000) -> None:
    expect(page.locator("#etat-brouillon-enregistre")).to_be_visible(timeout=timeout)
    expect(page.locator("#etat-brouillon-en-cours")).to_be_hidden(timeout=timeout)
