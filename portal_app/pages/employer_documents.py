"""Documents of the employer space."""

import reflex as rx

from portal_app import routes
from portal_app.components.confirm_panel import confirm_panel
from portal_app.components.employer import loading_or, space_header
from portal_app.components.employer_document_fields import (
    category_select,
    document_select,
    dossier_options,
    period_fields,
)
from portal_app.components.employer_document_list import document_list, dossier_search
from portal_app.components.forms import error_summary, form, notice, submit_button, text_field
from portal_app.components.layout import page
from portal_app.components.portal_page import portal_page
from portal_app.domain.uploads.checks import MAX_FILE_BYTES
from portal_app.models import Role
from portal_app.states.employer_document_views import DocView
from portal_app.states.employer_documents import ADD_UPLOAD, EDIT_UPLOAD
from portal_app.states.employer_documents import EmployerDocumentsState as D

ACCEPT = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "application/pdf": [".pdf"]}
RULES = "Formats acceptés : PNG, JPEG, PDF. Taille maximale : 5 Mo."


def _labelled(upload: rx.Component, label: str) -> rx.Component:
    # rx.upload builds its hidden <input type="file"> itself, without a name for assistive tech.
    zone = upload.children[0]
    zone.children[0].custom_attrs["aria-label"] = label
    return upload


def _upload_zone(upload_id: str, handler, button: str) -> rx.Component:
    rules_id = f"{upload_id}-regles"
    return rx.el.div(
        rx.el.p(RULES, id=rules_id, class_name="field__hint"),
        _labelled(
            rx.upload.root(
                rx.el.div(
                    rx.el.button(button, type="button", class_name="button button--primary", aria_describedby=rules_id),
                    rx.el.span("ou glissez-le ici", class_name="upload-zone__drop-text"),
                    class_name="upload-zone__inner",
                ),
                id=upload_id,
                accept=ACCEPT,
                max_size=MAX_FILE_BYTES,
                min_size=1,
                max_files=1,
                multiple=False,
                no_keyboard=True,
                on_drop=handler(rx.upload_files(upload_id=upload_id), upload_id),
                on_drop_rejected=D.browser_refused,
                class_name="upload-zone__drop",
            ),
            button,
        ),
        rx.cond(
            D.upload_message != "",
            notice(rx.el.p(D.upload_message), kind="error", role="alert"),
        ),
        class_name="upload-zone",
    )


# ---------------------------------------------------------------- add


def _add_fields() -> rx.Component:
    f = D.add_fields
    return form(
        category_select(D.choose_category, value=D.add_category),
        rx.cond(
            D.add_category != "",
            rx.fragment(
                notice(rx.el.p(f["instructions"]), kind="info", id="consignes-categorie"),
                rx.cond(
                    f["dossier"] != "",
                    rx.cond(
                        f["dossier"] == "required",
                        document_select(
                            "dossier",
                            "Dossier concerné",
                            dossier_options(False),
                            hint="Les dossiers pour lesquels vous avez reçu des règlements.",
                        ),
                        document_select(
                            "dossier",
                            "Dossier concerné (facultatif)",
                            dossier_options(True),
                            hint="Les dossiers pour lesquels vous avez reçu des règlements.",
                        ),
                    ),
                ),
                rx.cond(
                    f["label_field"] == "required",
                    text_field("label", "Libellé", D.errors, hint="Par exemple : Attestation URSSAF 2025."),
                    rx.cond(
                        f["label_field"] == "optional",
                        text_field("label", "Libellé", D.errors, optional=True, hint="Pour le retrouver facilement."),
                    ),
                ),
                rx.cond(f["period"] != "", period_fields(f["period"] == "required")),
                rx.el.div(
                    submit_button("Continuer"),
                    rx.el.button(
                        "Annuler", type="button", on_click=D.cancel_add, class_name="button button--secondary"
                    ),
                    class_name="form-actions",
                ),
            ),
            rx.el.div(
                rx.el.button("Annuler", type="button", on_click=D.cancel_add, class_name="button button--secondary"),
                class_name="form-actions",
            ),
        ),
        on_submit=D.submit_fields,
        no_validate=True,
        class_name="form",
        key=D.add_category,
    )


def _add_panel() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Ajouter un fichier", id="ajout-titre", tab_index=-1),
        rx.match(
            D.add_step,
            (
                "fields",
                rx.fragment(
                    rx.el.p("Étape 1 sur 2 : le type de document et ses informations.", class_name="muted"),
                    error_summary(D.error_items),
                    _add_fields(),
                ),
            ),
            (
                "file",
                rx.fragment(
                    rx.el.p("Étape 2 sur 2 : le fichier.", class_name="muted"),
                    rx.el.p("Choisissez le fichier : il est envoyé dès que vous l'avez choisi."),
                    _upload_zone(ADD_UPLOAD, D.upload, "Choisir le fichier"),
                    rx.el.div(
                        rx.el.button(
                            "Revenir aux informations",
                            type="button",
                            on_click=D.back_to_fields,
                            class_name="button button--secondary",
                        ),
                        rx.el.button("Annuler", type="button", on_click=D.cancel_add, class_name="link-button"),
                        class_name="form-actions",
                    ),
                ),
            ),
            (
                "done",
                rx.fragment(
                    notice(
                        rx.el.p("Votre document « ", D.added_title, " » est ajouté."),
                        kind="success",
                        id="ajout-confirmation",
                        tab_index=-1,
                    ),
                    rx.el.div(
                        rx.el.button(
                            "Ajouter un autre fichier",
                            type="button",
                            on_click=D.start_add,
                            class_name="button button--secondary",
                        ),
                        rx.el.button("Fermer", type="button", on_click=D.cancel_add, class_name="link-button"),
                        class_name="form-actions",
                    ),
                ),
            ),
        ),
        class_name="card panel",
        aria_labelledby="ajout-titre",
    )


# ---------------------------------------------------------------- edit and delete


def _edit_panel() -> rx.Component:
    f = D.edit_fields
    return rx.el.section(
        rx.el.h2("Modifier « ", D.edit_title, " »", id="modification-titre", tab_index=-1),
        error_summary(D.error_items),
        form(
            category_select(D.choose_edit_category, value=D.edit_category),
            rx.cond(
                f["dossier"] == "required",
                document_select("dossier", "Dossier concerné", dossier_options(False), value=D.edit_values["dossier"]),
                rx.cond(
                    f["dossier"] == "optional",
                    document_select(
                        "dossier",
                        "Dossier concerné (facultatif)",
                        dossier_options(True),
                        value=D.edit_values["dossier"],
                    ),
                ),
            ),
            rx.cond(
                f["label_field"] != "",
                rx.cond(
                    f["label_field"] == "required",
                    text_field("label", "Libellé", D.errors, default_value=D.edit_values["label"]),
                    text_field("label", "Libellé", D.errors, optional=True, default_value=D.edit_values["label"]),
                ),
            ),
            rx.cond(f["period"] != "", period_fields(f["period"] == "required", D.edit_values)),
            rx.el.div(
                submit_button("Enregistrer les modifications"),
                rx.el.button("Annuler", type="button", on_click=D.cancel_edit, class_name="button button--secondary"),
                class_name="form-actions",
            ),
            on_submit=D.submit_edit,
            no_validate=True,
            class_name="form",
            key=D.editing_id.to(str) + D.edit_category,
        ),
        rx.el.h3("Remplacer le fichier"),
        _upload_zone(EDIT_UPLOAD, D.upload, "Choisir un nouveau fichier"),
        class_name="card panel",
        aria_labelledby="modification-titre",
    )


def _delete_panel() -> rx.Component:
    return confirm_panel(
        rx.el.h2("Supprimer ce document\u00a0?", id="suppression-titre", tab_index=-1),
        rx.el.p("« ", D.deleting_title, " » sera supprimé définitivement."),
        confirm_label="Supprimer définitivement",
        on_confirm=D.confirm_delete,
        on_cancel=D.cancel_delete,
        class_name="card panel panel--danger",
        aria_labelledby="suppression-titre",
    )


def _panels(doc: DocView) -> rx.Component:
    # Shown under the document itself, where the button was pressed (phones included).
    return rx.fragment(
        rx.cond(D.deleting_id == doc.id, _delete_panel()),
        rx.cond(D.editing_id == doc.id, _edit_panel()),
    )


@portal_page(routes.EMPLOYER_DOCUMENTS, "Documents — Espace employeur — Portail", role=Role.EMPLOYER, on_load=D.load)
def employeur_documents() -> rx.Component:
    return page(
        loading_or(
            D.ready,
            space_header(D.company_name, D.siret, "/employeur/documents"),
            rx.cond(D.flash != "", notice(rx.el.p(D.flash), kind="success")),
            rx.cond(
                D.add_step != "",
                _add_panel(),
                rx.el.div(
                    rx.el.button(
                        "Ajouter un fichier", type="button", on_click=D.start_add, class_name="button button--primary"
                    ),
                    class_name="form-actions",
                ),
            ),
            rx.el.section(
                rx.el.h2("Documents généraux", id="generaux-titre"),
                rx.el.p(
                    "Les documents qui ne concernent ni un dossier ni un salarié en particulier.", class_name="muted"
                ),
                document_list(D.general, "Vous n'avez pas encore de document général.", _panels),
                aria_labelledby="generaux-titre",
            ),
            dossier_search(_panels),
        ),
        width="wide",
    )
