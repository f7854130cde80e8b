"""The Pièces justificatives step: one card per piece (its state, a list of the
porte-documents to pick from, Retirer), then one upload zone with the piece it is for.

One zone rather than one per piece: on a phone, eight drop zones make a very long page and
the photo button would repeat eight times; a select says which piece the file is for.
"""

from __future__ import annotations

import reflex as rx

from portal_app.components.upload_zone import describe_rejections, upload_results, upload_zone
from portal_app.states.pieces import PiecesState as P

UPLOAD_ID = "piece-envoi"


def _state(item) -> rx.Component:
    return rx.cond(
        item.attached,
        rx.el.p(
            rx.el.span("Ajouté", class_name="tag tag--green"),
            " ",
            rx.el.span(item.name, class_name="piece__name"),
            rx.el.span(" (", item.size_label, ")", class_name="muted"),
            class_name="piece__state",
        ),
        rx.el.p(
            rx.el.span(rx.cond(item.required, "Manquant", "Facultatif"), class_name=rx.cond(item.required, "tag tag--orange", "tag tag--grey")),
            rx.el.span(" Aucun document joint.", class_name="muted"),
            class_name="piece__state",
        ),
    )


def _picker(item) -> rx.Component:
    error_id = item.select_id + "-erreur"
    return rx.cond(
        P.documents.length() > 0,  # type: ignore[attr-defined]
        rx.el.div(
            rx.el.label(
                "Choisir dans mon porte-documents",
                rx.el.span(" : ", item.label, class_name="sr-only"),
                html_for=item.select_id,
                class_name="field__label",
            ),
            rx.cond(
                P.errors.contains(item.code),  # type: ignore[attr-defined]
                rx.el.p(P.errors[item.code], id=error_id, class_name="field__error"),
            ),
            rx.el.div(
                rx.el.select(
                    rx.el.option("— Choisir un document —", value=""),
                    rx.foreach(P.documents, lambda doc: rx.el.option(doc["label"], value=doc["id"])),
                    id=item.select_id,
                    value=P.choices.get(item.code, ""),  # type: ignore[attr-defined]
                    on_change=lambda value: P.choose(item.code, value),
                    aria_describedby=rx.cond(P.errors.contains(item.code), error_id, ""),  # type: ignore[attr-defined]
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
            class_name=rx.cond(P.errors.contains(item.code), "field field--error", "field"),  # type: ignore[attr-defined]
        ),
    )


def _piece(item) -> rx.Component:
    return rx.el.li(
        rx.el.h3(item.label, rx.cond(item.required, "", " (facultatif)"), class_name="piece__title"),
        rx.cond(item.help != "", rx.el.p(item.help, class_name="field__hint")),
        _state(item),
        rx.cond(
            item.attached,
            rx.el.button(
                "Retirer",
                rx.el.span(" : ", item.label, class_name="sr-only"),
                type="button",
                on_click=P.detach(item.code),
                class_name="button button--small button--secondary-danger",
            ),
        ),
        # Attached: Retirer first, then pick another; keeps a phone page short.
        rx.cond(item.attached, rx.fragment(), _picker(item)),
        id="piece-" + item.code,
        class_name=rx.cond(item.attached, "piece piece--attached", "piece"),
    )


def _upload() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Ajouter un document depuis cet appareil", id="titre-envoi-piece", class_name="h3"),
        rx.el.p("Il est joint à la pièce choisie et rangé dans votre porte-documents.", class_name="muted"),
        rx.el.div(
            rx.el.label("Pour la pièce", html_for="piece-envoi-cible", class_name="field__label"),
            rx.el.select(
                rx.foreach(P.items, lambda item: rx.el.option(item.label, value=item.code)),
                id="piece-envoi-cible",
                value=P.upload_piece,
                on_change=P.set_upload_piece,
                class_name="select piece__select",
            ),
            class_name="field",
        ),
        upload_zone(
            UPLOAD_ID,
            on_drop=P.upload(rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=P.upload_progress)),
            photo_on_drop=P.upload(rx.upload_files(upload_id=f"{UPLOAD_ID}-photo", on_upload_progress=P.upload_progress)),
            on_drop_rejected=lambda rejected: P.rejected(describe_rejections(rejected)),
            uploading=P.uploading,
            progress=P.progress,
            multiple=False,
        ),
        upload_results(P.results),
        aria_labelledby="titre-envoi-piece",
        class_name="card",
    )


def pieces_step() -> rx.Component:
    """Drawn outside the step's form: its buttons act at once, they do not submit the step."""
    return rx.el.div(
        rx.el.p(P.flash, role="status", class_name=rx.cond(P.flash != "", "notice notice--success", "sr-only")),
        rx.el.h2("Documents à fournir", class_name="h3"),
        rx.el.ul(rx.foreach(P.items, _piece), class_name="piece-list"),
        rx.cond(
            P.documents.length() == 0,  # type: ignore[attr-defined]
            rx.el.p(
                "Votre ",
                rx.el.a("porte-documents", href="/porte-documents"),
                " est vide : ajoutez vos documents ci-dessous, ils y seront rangés.",
                class_name="muted",
            ),
        ),
        _upload(),
        rx.el.p(
            "Vous pouvez aussi préparer vos documents dans votre ",
            rx.el.a("porte-documents", href="/porte-documents", target="_blank"),
            " (nouvel onglet : votre brouillon reste ouvert ici).",
            class_name="muted",
        ),
        on_mount=P.load,
        class_name="pieces-step",
    )
