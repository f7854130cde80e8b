"""The designers' pages: added only in development, and the preview's sample answers show every
conditional field of every shipped démarche both shown and hidden."""

from __future__ import annotations

import pytest

from portal_app import demarches, routes
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers.samples import sample_answers, step_variants
from portal_app.pages.designer import add_designer_pages


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
