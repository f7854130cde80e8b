"""/_apercu/<code> (development only, see pages/designer.py): every step of a démarche and its
recap, drawn by the form page's own components from sample answers derived from the field
kinds, each conditional field shown and hidden. No account, no state: the page is compiled
from the démarche module, so `reflex run` redraws it when the module changes.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import reflex as rx

from portal_app import routes
from portal_app.components.draft_fields import FieldBinding, bound_field
from portal_app.components.forms import notice
from portal_app.components.layout import page
from portal_app.components.stepper import stepper
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import demarche as d
from portal_app.domain.dossiers.samples import sample_answers, step_variants
from portal_app.pages.recap import recap_step
from portal_app.states.draft_views import field_views, recap_views, step_values, step_views


def scoped(view, prefix: str):
    """A copy of a field view whose ids start with `prefix`: a step is drawn several times
    on the page, and ids (labels' targets, aria-describedby) must stay unique."""
    changes = {}
    for item in dataclasses.fields(view):
        value = getattr(view, item.name)
        if item.name in ("fid", "described_by") and value:
            changes[item.name] = " ".join(f"{prefix}-{token}" for token in value.split())
        elif item.name in ("options", "parts"):
            changes[item.name] = [scoped(child, prefix) for child in value]
    return dataclasses.replace(view, **changes)


def fields(views: list, prefix: str, bind: FieldBinding) -> rx.Component:
    """The fields of one form, drawn as the draft page draws them: one renderer looping over
    the views. (A renderer per field, each reading its own literal view, wrote that view into
    the page at every read: the preview of a long démarche weighed megabytes, and the
    development server took minutes to transform it.)"""
    return rx.foreach(rx.Var.create([scoped(view, prefix) for view in views]), lambda field: bound_field(field, bind))


def sample_steps(demarche: d.Demarche, answers: dict, current: str) -> SimpleNamespace:
    """What the stepper reads from the draft's state, for one step of sample answers; its
    buttons do nothing here."""
    views = step_views(demarche, answers, [step.code for step in demarche.steps], current)
    now = next(view for view in views if view.current)
    return SimpleNamespace(
        steps=rx.Var.create(views),
        step_number=rx.Var.create(now.number),
        step_count=rx.Var.create(len(views)),
        step_title=rx.Var.create(now.title),
        go_to_step=lambda _code: rx.noop(),
    )


def _variant(demarche: d.Demarche, step: d.Step, index: int, variant) -> rx.Component:
    prefix = f"apercu-{step.code}-{index}"
    values = step_values(step, variant.answers)
    bind = FieldBinding(rx.Var.create(values), rx.Var.create(prefix), saves=False)
    shown = [spec.label for spec in rules.visible_fields(demarche, step, variant.answers) if spec.visible_if]
    hidden = [spec.label for spec in step.fields if spec.visible_if and spec.label not in shown]
    return rx.el.section(
        rx.el.h3(variant.label, class_name="preview__variant-title"),
        rx.el.p("Champs conditionnels affichés : ", " ; ".join(shown), class_name="muted") if shown else "",
        rx.el.p("Champs conditionnels masqués : ", " ; ".join(hidden), class_name="muted") if hidden else "",
        # One form per variant: radio buttons of one name are one group per form.
        rx.el.form(
            fields(field_views(demarche, step, variant.answers, {}), prefix, bind),
            class_name="form",
            aria_label=f"{step.title} — {variant.label}",
        ),
        class_name="preview__variant",
    )


def _step(demarche: d.Demarche, step: d.Step) -> rx.Component:
    variants = step_variants(demarche, step)
    pieces = [piece.label for piece in rules.visible_pieces(demarche, variants[0].answers)]
    return rx.el.section(
        rx.el.h2(f"Étape {demarche.step_index(step.code) + 1} sur {len(demarche.steps)} — {step.title}"),
        stepper(sample_steps(demarche, variants[0].answers, step.code)),
        rx.el.p(step.help, class_name="lead") if step.help else "",
        rx.el.ul(*[rx.el.li(label) for label in pieces], class_name="recap-pieces") if step.shows_pieces else "",
        *[_variant(demarche, step, index, variant) for index, variant in enumerate(variants) if step.fields],
        id=f"etape-{step.code}",
        class_name="preview__step",
    )


def preview_page(demarche: d.Demarche):
    def render() -> rx.Component:
        answers = sample_answers(demarche)
        return page(
            rx.el.p("Aperçu de démarche — page de développement", class_name="caption"),
            rx.el.h1(demarche.title),
            notice(
                rx.el.p(
                    f"Toutes les étapes de « {demarche.code} » et son récapitulatif, remplis avec des réponses "
                    "d'exemple tirées de la sorte de chaque champ. Modifiez le module de la démarche : "
                    "cette page suit le fichier."
                ),
                kind="info",
            ),
            *[_step(demarche, step) for step in demarche.steps],
            rx.el.section(
                rx.el.h2("Récapitulatif"),
                *[
                    recap_step(
                        rx.Var.create(view),
                        rx.el.ul(*[rx.el.li(label) for label in view.pieces], class_name="recap-pieces"),
                        rx.Var.create(view.code if view.pieces else ""),
                        level=3,
                    )
                    for view in recap_views(demarche, answers, routes.preview(demarche.code))
                ],
                id="recapitulatif",
            ),
            width="wide",
        )

    render.__name__ = f"preview_{demarche.code.replace('-', '_')}"
    return render
