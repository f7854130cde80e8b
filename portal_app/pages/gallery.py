"""/_galerie (development only, see pages/designer.py): every shared component of the design
system in each of its states, drawn by the components themselves from sample values, so a
change to assets/portal.css or to a component shows here at once. Nothing on it sends anything.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import reflex as rx

from portal_app import demarches as registry
from portal_app.components.draft_fields import FieldBinding
from portal_app.components.forms import error_summary, notice
from portal_app.components.layout import header, page
from portal_app.components.status_badge import glyph, status_badge
from portal_app.components.stepper import stepper
from portal_app.components.upload_zone import upload_results, upload_zone
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import demarche as d
from portal_app.pages.preview import fields
from portal_app.states.draft_views import StepView, field_view, step_values

# One field of each kind a designer restyles most, with the answer it shows when filled.
FIELDS = (
    (d.FieldSpec("texte", "Nom de l'organisme"), "Institut de formation"),
    (d.FieldSpec("date", "Date de début", d.DATE), "2027-09-01"),
    (d.FieldSpec("liste", "Certification visée", d.SELECT, options=(("rncp", "Titre RNCP"), ("cqp", "CQP"))), "rncp"),
    (
        d.FieldSpec(
            "choix", "Modalité", d.RADIO, options=(("presentiel", "En présentiel"), ("distance", "À distance"))
        ),
        "distance",
    ),
    (
        d.FieldSpec("cases", "Autres financements", d.CHECKBOX, options=(("cpf", "CPF"), ("region", "La région"))),
        ["cpf"],
    ),
    (
        d.FieldSpec("adresse", "Adresse", d.ADDRESS),
        {"line": "8 rue des Tanneurs", "postal_code": "69001", "city": "Lyon"},
    ),
    (d.FieldSpec("montant", "Coût pédagogique", d.AMOUNT, width="medium"), "8 450,00"),
)
HINT = "Un texte d'aide, sous le libellé, pour dire ce qui est attendu."
ERROR = "Le message d'erreur dit quoi corriger."
FIELD_STATES = (("rempli", "Rempli"), ("aide", "Avec une aide"), ("erreur", "En erreur"))


def _answers(spec: d.FieldSpec, value) -> dict:
    if spec.kind == d.ADDRESS:
        return {f"{spec.name}.{part}": text for part, text in value.items()}
    return {spec.name: value}


def _column(state: str) -> rx.Component:
    specs = [dataclasses.replace(spec, help=HINT if state == "aide" else "") for spec, _ in FIELDS]
    answers = {key: text for spec, value in FIELDS for key, text in _answers(spec, value).items()}
    answers = answers if state == "rempli" else {}
    # The address's error is drawn beside its last part.
    errors = {spec.keys[-1] if spec.kind == d.ADDRESS else spec.name: ERROR for spec in specs}
    # No démarche: a field without visible_if is visible whatever the démarche says.
    views = [field_view(None, spec, answers, errors if state == "erreur" else {}) for spec in specs]  # type: ignore[arg-type]
    values = rx.Var.create(step_values(d.Step("galerie", "Galerie", fields=tuple(specs)), answers))
    prefix = f"galerie-{state}"
    return fields(views, prefix, FieldBinding(values, rx.Var.create(prefix), saves=False))


def _fields() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Champs de formulaire"),
        rx.el.p("Chaque sorte de champ, remplie, avec une aide et en erreur.", class_name="muted"),
        rx.el.div(
            *[
                rx.el.form(
                    rx.el.h3(title),
                    _column(state),
                    class_name="form gallery__column",
                    aria_label=f"Champs : {title.lower()}",
                )
                for state, title in FIELD_STATES
            ],
            class_name="gallery__grid",
        ),
        rx.el.h3("Résumé des erreurs"),
        error_summary(
            rx.Var.create([["galerie-erreur-champ-texte", ERROR], ["galerie-erreur-champ-montant", ERROR]]),
            level=4,
        ),
        id="champs",
    )


def sample_steps(current: int) -> SimpleNamespace:
    titles = ("Votre situation", "Votre projet", "La formation", "Pièces justificatives")
    states = (rules.DONE, rules.ERRORS, rules.TODO, rules.TODO)
    steps = [
        StepView(f"etape-{n}", n, title, state, rules.STATE_LABELS[state], n == current)
        for n, (title, state) in enumerate(zip(titles, states, strict=True), start=1)
    ]
    return SimpleNamespace(
        steps=rx.Var.create(steps),
        step_number=rx.Var.create(current),
        step_count=rx.Var.create(len(steps)),
        step_title=rx.Var.create(titles[current - 1]),
        go_to_step=lambda _code: rx.noop(),
    )


def _steppers() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Étapes d'une démarche"),
        rx.el.div(
            *[rx.el.div(rx.el.h3(f"Étape {n} en cours"), stepper(sample_steps(n))) for n in range(1, 5)],
            class_name="gallery__grid",
        ),
        id="etapes",
    )


def _badges() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Statuts des dossiers"),
        *[
            rx.el.div(
                rx.el.h3(demarche.title),
                rx.el.ul(
                    *[
                        rx.el.li(
                            status_badge(status.label, status.colour, glyph(status.icon)),
                            rx.el.span(f" vu par le titulaire : « {status.label_for_owner} »", class_name="muted")
                            if status.owner_label
                            else "",
                        )
                        for status in demarche.statuses
                    ],
                    class_name="gallery__list",
                ),
            )
            for demarche in registry.all_demarches()
        ],
        id="statuts",
    )


def _zone(upload_id: str, uploading: bool) -> rx.Component:
    return upload_zone(
        upload_id,
        on_drop=rx.noop(),
        on_drop_rejected=rx.noop(),
        photo_on_drop=rx.noop(),
        uploading=rx.Var.create(uploading),
        progress=rx.Var.create(40),
        hint="Les fichiers déposés ici ne sont envoyés nulle part.",
    )


def _uploads() -> rx.Component:
    results = [
        {"ok": "1", "message": "devis.pdf : ajouté à votre porte-documents."},
        {"ok": "0", "message": "photo.heic : ce format n'est pas accepté (PNG, JPEG ou PDF)."},
    ]
    return rx.el.section(
        rx.el.h2("Zone d'envoi de fichiers"),
        rx.el.div(
            rx.el.div(rx.el.h3("Au repos"), _zone("galerie-envoi-repos", False)),
            rx.el.div(rx.el.h3("Envoi en cours"), _zone("galerie-envoi-en-cours", True)),
            rx.el.div(
                rx.el.h3("Avec des résultats"),
                _zone("galerie-envoi-resultats", False),
                upload_results(rx.Var.create(results), level=4),
            ),
            class_name="gallery__grid",
        ),
        id="envoi",
    )


def _alerts_and_buttons() -> rx.Component:
    kinds = (("info", "Information"), ("success", "Succès"), ("warning", "Avertissement"), ("error", "Erreur"))
    buttons = (
        ("button button--primary", "Principal"),
        ("button button--secondary", "Secondaire"),
        ("button button--danger", "Danger"),
        ("button button--secondary-danger", "Danger secondaire"),
        ("button button--primary button--small", "Petit"),
        ("link-button", "Bouton lien"),
    )
    return rx.el.section(
        rx.el.h2("Messages"),
        *[notice(rx.el.p(f"{title} : un message de ce genre."), kind=kind) for kind, title in kinds],
        rx.el.h2("Boutons"),
        rx.el.div(
            *[rx.el.button(text, type="button", class_name=classes) for classes, text in buttons],
            rx.el.button("Désactivé", type="button", disabled=True, class_name="button button--primary"),
            class_name="form-actions",
        ),
        id="messages",
    )


def _headers() -> rx.Component:
    def session(signed_in: bool) -> SimpleNamespace:
        return SimpleNamespace(
            signed_in=rx.Var.create(signed_in),
            role=rx.Var.create("beneficiary"),
            display_name=rx.Var.create("Camille Martin"),
            unread_notifications=rx.Var.create(2),
            unread_words=rx.Var.create("2 notifications non lues"),
            logout=rx.noop(),
        )

    return rx.el.section(
        rx.el.h2("En-tête"),
        rx.el.h3("Visiteur non connecté"),
        rx.el.div(header(session(False)), class_name="gallery__frame"),
        rx.el.h3("Bénéficiaire connecté"),
        rx.el.div(header(session(True)), class_name="gallery__frame"),
        id="en-tete",
    )


def gallery() -> rx.Component:
    return page(
        rx.el.p("Système de conception — page de développement", class_name="caption"),
        rx.el.h1("Galerie des composants"),
        rx.el.p(
            "Les composants partagés du portail dans chacun de leurs états. Les couleurs, espacements, "
            "rayons et tailles de texte viennent des jetons en tête de assets/portal.css.",
            class_name="lead",
        ),
        _fields(),
        _steppers(),
        _badges(),
        _uploads(),
        _alerts_and_buttons(),
        _headers(),
        width="wide",
    )
