"""The upload zone of the design system: formats and limit always written beside it, a real
button for keyboards, a "Prendre une photo" button on phones, progress, and each file's outcome.

The browser's checks (accept, max_size, max_files) only give an instant message: the server
checks everything again.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from portal_app.components.headings import heading
from portal_app.domain.uploads.checks import MAX_FILE_BYTES, MAX_FILES_PER_REQUEST

ACCEPT = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "application/pdf": [".pdf"]}
PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]}
RULES = "Formats acceptés : PNG, JPEG, PDF. Taille maximale : 5 Mo par fichier."


def describe_rejections(rejected: Var) -> Var:
    """[name, size, first error code] per file refused by the browser: File objects themselves
    do not survive the trip to the server (their size is a getter)."""
    items = rejected.to(list[dict[str, Any]])

    def describe(item: Var) -> list[Var]:
        file = item["file"].to(dict[str, Any])
        first_error = item["errors"].to(list[dict[str, Any]])[0].to(dict[str, Any])
        return [file["name"], file["size"], first_error["code"]]

    return items.map(describe)


def _set_input(upload: rx.Component, capture: str | None = None) -> rx.Component:
    # rx.upload builds its <input type="file"> itself, with no prop for `capture`. react-dropzone
    # hides it visually but not from screen readers: our visible button is the one control.
    file_input = upload.children[0].children[0]
    file_input.custom_attrs["aria-hidden"] = "true"
    if capture:
        file_input.capture = Var.create(capture)
    return upload


def upload_zone(
    upload_id: str | Var,
    *,
    on_drop,
    on_drop_rejected,
    photo_on_drop=None,
    uploading: Var,
    progress: Var,
    hint: str = "",
    multiple: bool = True,
    button_label: str = "",
    button_detail: Var | str = "",
    rules_id: Var | str = "",
) -> rx.Component:
    """`on_drop=State.handler(rx.upload_files(upload_id=upload_id, ...))`; photo_on_drop likewise
    with upload_id + "-photo" (None: no photo button).

    For one zone per row of a list (upload_id a Var): `button_detail` is read after the button
    label by screen readers only (which row it is for), and `rules_id` names a paragraph drawn
    by the row that holds the formats and limit (the zone then draws none)."""
    own_rules = not (isinstance(rules_id, Var) or rules_id)
    rules_id = upload_id + "-regles" if own_rules else rules_id
    zone = _set_input(
        rx.upload.root(
            rx.el.div(
                rx.el.button(
                    button_label or ("Choisir des fichiers" if multiple else "Choisir un fichier"),
                    rx.el.span(button_detail, class_name="sr-only")
                    if isinstance(button_detail, Var) or button_detail
                    else rx.fragment(),
                    type="button",
                    class_name="button button--secondary",
                    aria_describedby=rules_id,
                    disabled=uploading,
                ),
                rx.el.span(
                    "ou glissez-les ici" if multiple else "ou glissez-le ici", class_name="upload-zone__drop-text"
                ),
                class_name="upload-zone__inner",
            ),
            id=upload_id,
            accept=ACCEPT,
            max_size=MAX_FILE_BYTES,
            min_size=1,
            max_files=MAX_FILES_PER_REQUEST if multiple else 1,
            multiple=multiple,
            no_keyboard=True,
            on_drop=on_drop,
            on_drop_rejected=on_drop_rejected,
            class_name="upload-zone__drop",
            drag_active_style={"border_color": "var(--blue)", "background": "var(--blue-light)"},
        )
    )
    photo = rx.fragment()
    if photo_on_drop is not None:
        photo = _set_input(
            rx.upload.root(
                rx.el.button(
                    "Prendre une photo",
                    type="button",
                    class_name="button button--secondary",
                    aria_describedby=rules_id,
                    disabled=uploading,
                ),
                id=upload_id + "-photo",
                accept=PHOTO_ACCEPT,
                max_size=MAX_FILE_BYTES,
                min_size=1,
                multiple=False,
                no_keyboard=True,
                no_drag=True,
                on_drop=photo_on_drop,
                on_drop_rejected=on_drop_rejected,
                class_name="upload-zone__photo",
            ),
            "environment",
        )
    rules = rx.el.div(
        rx.el.p(RULES, class_name="upload-zone__rules-main"),
        rx.el.p(((f"{MAX_FILES_PER_REQUEST} fichiers au plus à la fois. " if multiple else "") + hint).strip()),
        id=rules_id,
        class_name="upload-zone__rules",
    )
    progress_id = upload_id + "-progression"
    return rx.el.div(
        rules if own_rules else rx.fragment(),
        zone,
        photo,
        rx.cond(
            uploading,
            rx.el.div(
                rx.el.label("Envoi en cours", html_for=progress_id),
                rx.el.progress(
                    value=progress,
                    max=100,
                    id=progress_id,
                    class_name="upload-zone__progress",
                ),
                rx.el.span(progress.to_string() + " %", class_name="muted"),
                class_name="upload-zone__status",
                role="status",
            ),
        ),
        class_name="upload-zone" if own_rules else "upload-zone upload-zone--row",
    )


def upload_results(results: Var, level: int = 2) -> rx.Component:
    """Each file of the last sending: accepted (✓) or refused with its reason; `level`: its
    title's heading level, 2 on a page (the gallery nests it deeper).

    The status region is always in the page, empty until a result: a live region announces
    only what changes inside it. assets/portal.js brings a new result into view."""
    return rx.el.div(
        rx.cond(
            results.length() > 0,  # type: ignore[attr-defined]  # a Var of a list at run time (ArrayVar)
            rx.el.div(
                heading(level, "Résultat de l'envoi", class_name="upload-results__title"),
                rx.el.ul(
                    rx.foreach(
                        results,
                        lambda item: rx.el.li(
                            rx.el.span(
                                rx.cond(item["ok"] == "1", "Ajouté", "Refusé"), class_name="upload-results__tag"
                            ),
                            rx.el.span(item["message"]),
                            class_name=rx.cond(
                                item["ok"] == "1",
                                "upload-results__item upload-results__item--ok",
                                "upload-results__item upload-results__item--refused",
                            ),
                        ),
                    ),
                    class_name="upload-results__list",
                ),
                class_name="upload-results__box",
            ),
        ),
        id="resultat-envoi",
        role="status",
        tab_index=-1,
        class_name="upload-results",
    )


def state_upload_zone(state: Any, upload_id: str, hint: str) -> rx.Component:
    """The zone of a page whose state mixes in UploadState (target: the zone's id), and its results."""

    def files(zone_id: str) -> Var:
        return rx.upload_files(upload_id=zone_id, on_upload_progress=state.upload_progress)

    return rx.fragment(
        upload_zone(
            upload_id,
            on_drop=state.upload(files(upload_id), upload_id),
            photo_on_drop=state.upload(files(f"{upload_id}-photo"), upload_id),
            on_drop_rejected=lambda rejected: state.rejected(describe_rejections(rejected)),
            uploading=state.uploading,
            progress=state.progress,
            hint=hint,
        ),
        upload_results(state.results),
    )
