"""The Pièces justificatives step: one row per piece, in the démarche's order. Each row says
what is expected (help, formats, 5 Mo), its state (the file joined, its size and date, with
Retirer), and has its own controls: choose in the porte-documents, or upload a file that is
attached to that piece directly (as demarches-simplifiees does).
"""

from __future__ import annotations

import reflex as rx

from portal_app.components.upload_zone import RULES, describe_rejections, upload_zone
from portal_app.states.pieces import PiecesState as P


def _error_id(item) -> rx.Var:
    return item.select_id + "-erreur"


def _state(item) -> rx.Component:
    return rx.cond(
        item.attached,
        rx.el.p(
            rx.el.span("Ajouté", class_name="tag tag--green"),
            " ",
            rx.el.span(item.name, class_name="piece__name"),
            rx.el.span(" (", item.size_label, ", ", item.added, ")", class_name="muted"),
            class_name="piece__state",
        ),
        rx.el.p(
            rx.el.span(
                rx.cond(item.required, "Manquant", "Facultatif"),
                class_name=rx.cond(item.required, "tag tag--orange", "tag tag--grey"),
            ),
            rx.el.span(" Aucun document joint.", class_name="muted"),
            class_name="piece__state",
        ),
    )


def _picker(item) -> rx.Component:
    return rx.cond(
        P.documents.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
        rx.el.div(
            rx.el.label(
                "Choisir dans mon porte-documents",
                rx.el.span(" : ", item.label, class_name="sr-only"),
                html_for=item.select_id,
                class_name="field__label",
            ),
            rx.el.div(
                rx.el.select(
                    rx.el.option("— Choisir —", value=""),
                    rx.foreach(P.documents, lambda doc: rx.el.option(doc["label"], value=doc["id"])),
                    id=item.select_id,
                    value=P.choices.get(item.code, ""),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
                    on_change=lambda value: P.choose(item.code, value),
                    aria_describedby=rx.cond(P.errors.contains(item.code), _error_id(item), ""),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
                    class_name="select piece__select",
                ),
                rx.el.button(
                    "Joindre",
                    rx.el.span(" : ", item.label, class_name="sr-only"),
                    type="button",
                    on_click=P.attach(item.code),
                    class_name="button button--secondary",
                ),
                class_name="piece__pick",
            ),
            class_name="field piece__control",
        ),
    )


@rx.memo
def piece_upload(code: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    """A piece's own upload control. A memo component: react-dropzone is a hook, and a hook
    must belong to one component instance per row, not to the list drawing the rows. Keyed
    by the code where it is used: its callbacks keep the code they were created with."""
    upload_id = upload_id_of(code)
    return rx.el.div(
        rx.el.p("Ou depuis cet appareil :", class_name="piece__or"),
        upload_zone(
            upload_id,
            on_drop=[
                P.upload_started(code),
                P.upload(rx.upload_files(upload_id=upload_id, on_upload_progress=P.upload_progress), code),
            ],
            on_drop_rejected=lambda rejected: P.rejected(describe_rejections(rejected), code),
            uploading=P.uploading_piece == code,
            progress=P.progress,
            multiple=False,
            button_label="Téléverser un fichier",
            button_detail=" : " + label,
            rules_id=upload_id + "-regles",
        ),
        class_name="piece__control",
    )


def upload_id_of(code) -> rx.Var:
    return "piece-envoi-" + code


def _piece(item) -> rx.Component:
    return rx.el.li(
        rx.el.h3(item.label, rx.cond(item.required, "", " (facultatif)"), class_name="piece__title"),
        rx.cond(item.help != "", rx.el.p(item.help, class_name="field__hint")),
        rx.el.p(RULES, id=upload_id_of(item.code) + "-regles", class_name="field__hint piece__rules"),
        _state(item),
        rx.cond(
            P.errors.contains(item.code),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.p(P.errors[item.code], id=_error_id(item), role="alert", class_name="field__error"),
        ),
        rx.cond(
            item.attached,
            # Attached: Retirer first, then choose or upload another; keeps a phone page short.
            rx.el.button(
                "Retirer",
                rx.el.span(" : ", item.label, class_name="sr-only"),
                type="button",
                on_click=P.detach(item.code),
                class_name="button button--small button--secondary-danger",
            ),
            rx.el.div(
                _picker(item),
                piece_upload(code=item.code, label=item.label),
                # Keyed by the code: another code at this place mounts a fresh upload control.
                key=item.code,
                class_name="piece__controls",
            ),
        ),
        id="piece-" + item.code,
        class_name=rx.cond(
            P.errors.contains(item.code),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            "piece piece--error",
            rx.cond(item.attached, "piece piece--attached", "piece"),
        ),
    )


def pieces_step() -> rx.Component:
    """Drawn outside the step's form: its buttons act at once, they do not submit the step."""
    return rx.el.div(
        rx.el.p(P.flash, role="status", class_name=rx.cond(P.flash != "", "notice notice--success", "sr-only")),
        rx.el.h2("Documents à fournir", class_name="h3"),
        rx.cond(
            P.documents.length() == 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.p(
                "Votre ",
                rx.el.a("porte-documents", href="/porte-documents"),
                " est vide : téléversez chaque document sur sa ligne, il y sera rangé.",
                class_name="muted",
            ),
            rx.el.p(
                "Pour chaque document, choisissez-le dans votre porte-documents ou téléversez-le : "
                "un fichier téléversé est aussi rangé dans votre porte-documents.",
                class_name="muted",
            ),
        ),
        rx.el.ul(rx.foreach(P.items, _piece), class_name="piece-list"),
        rx.el.p(
            "Vous pouvez aussi préparer vos documents dans votre ",
            rx.el.a("porte-documents", href="/porte-documents", target="_blank"),
            " (nouvel onglet : votre brouillon reste ouvert ici).",
            class_name="muted",
        ),
        on_mount=P.load,
        class_name="pieces-step",
    )
