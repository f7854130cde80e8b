"""The designers' pages: added only in development, the preview's sample answers show every
conditional field of every shipped démarche both shown and hidden, and each page's headings nest:
one h1 first, no level skipped (the e2e test checks the drawn pages too)."""

from __future__ import annotations

import json

import pytest

from portal_app import demarches, routes
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers.samples import sample_answers, step_variants
from portal_app.pages.designer import add_designer_pages
from portal_app.pages.gallery import gallery
from portal_app.pages.preview import preview_page


class RecordingApp:
    def __init__(self) -> None:
        self.routes: list[str] = []

    def add_page(self, _render, *, route: str, **_options) -> None:
        self.routes.append(route)


@pytest.mark.parametrize("mode", ["prod", "preview"])
def test_no_designer_page_outside_development(monkeypatch, mode):
    monkeypatch.setenv("REFLEX_ENV_MODE", mode)
    app = RecordingApp()
    add_designer_pages(app)  # type: ignore[arg-type]
    assert app.routes == []


def test_development_gets_the_gallery_and_one_preview_per_demarche(monkeypatch):
    monkeypatch.setenv("REFLEX_ENV_MODE", "dev")
    app = RecordingApp()
    add_designer_pages(app)  # type: ignore[arg-type]
    assert app.routes == [routes.GALLERY] + [routes.preview(item.code) for item in demarches.all_demarches()]


@pytest.mark.parametrize("demarche", demarches.all_demarches(), ids=lambda item: item.code)
def test_sample_answers_pass_and_every_conditional_field_is_seen_both_ways(demarche):
    assert rules.validate_all(demarche, sample_answers(demarche)) == {}
    for step in demarche.steps:
        seen = [
            {spec.name for spec in rules.visible_fields(demarche, step, variant.answers)}
            for variant in step_variants(demarche, step)
        ]
        for spec in step.fields:
            if spec.visible_if is not None:
                assert any(spec.name in shown for shown in seen), (step.code, spec.name)
                assert any(spec.name not in shown for shown in seen), (step.code, spec.name)


def heading_levels(node) -> list[int]:
    """The heading levels of a rendered component tree, in document order (both branches of a
    condition: each must fit the outline)."""
    if isinstance(node, list):
        return [level for child in node for level in heading_levels(child)]
    if not isinstance(node, dict):
        return []
    name = str(node.get("name", "")).strip('"')
    own = [int(name[1])] if len(name) == 2 and name[0] == "h" and name[1] in "123456" else []
    return own + [level for value in node.values() for level in heading_levels(value)]


def assert_nested(levels: list[int]) -> None:
    assert levels[0] == 1 and levels.count(1) == 1, levels
    skips = [(before, after) for before, after in zip(levels, levels[1:], strict=False) if after > before + 1]
    assert skips == [], levels


def test_the_gallery_headings_nest():
    levels = heading_levels(gallery().render())
    assert_nested(levels)
    # The error summary and the upload results sit under their h3, not beside the sections.
    assert levels.count(4) == 2, levels


def texts(node) -> set[str]:
    """The literal texts of a rendered component tree (each a JSON string)."""
    if isinstance(node, list):
        return {text for child in node for text in texts(child)}
    if not isinstance(node, dict):
        return set()
    own = node.get("contents")
    found = {json.loads(own)} if isinstance(own, str) and own.startswith('"') else set()
    return found.union(*(texts(value) for value in node.values()))


def test_the_gallery_shows_every_status_of_every_demarche():
    drawn = texts(gallery().render())
    missing = [
        (demarche.code, status.label)
        for demarche in demarches.all_demarches()
        for status in demarche.statuses
        if status.label not in drawn
    ]
    assert missing == []


@pytest.mark.parametrize("demarche", demarches.all_demarches(), ids=lambda item: item.code)
def test_the_preview_headings_nest(demarche):
    levels = heading_levels(preview_page(demarche)().render())
    assert_nested(levels)
    # The recap's steps are h3 under the preview's "Récapitulatif" h2, as the steps' variants are.
    recap = len(levels) - 1 - levels[::-1].index(2)
    assert levels[recap + 1 :] == [3] * len(demarche.steps), levels
