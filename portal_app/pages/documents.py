import reflex as rx

from portal_app import routes
from portal_app.components.backend import backend_href, file_link
from portal_app.components.confirm_panel import confirm_panel
from portal_app.components.forms import error_summary, field_error, form, notice, select_field, submit_button
from portal_app.components.layout import page, protected
from portal_app.components.portal_page import portal_page
from portal_app.components.upload_zone import state_upload_zone
from portal_app.domain.documents.wallet import CATEGORIES
from portal_app.models import Role
from portal_app.states.documents import EDIT_NAME_ID
from portal_app.states.documents import DocumentsState as S

UPLOAD_ID = "porte-documents"


def _category_options() -> list[rx.Component]:
    return [rx.el.option(label, value=key) for key, label in CATEGORIES.items()]


def _upload_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Ajouter des documents", id="titre-ajout"),
        select_field(
            "categorie-envoi",
            "Catégorie des documents ajoutés",
            _category_options(),
            id="categorie-envoi",
            value=S.upload_category,
            on_change=S.set_upload_category,
            select_class="select input--medium",
        ),
        state_upload_zone(
            S,
            UPLOAD_ID,
            "Les photos sont nettoyées de leurs métadonnées (localisation, appareil, date) : vous en gardez une copie propre.",
        ),
        aria_labelledby="titre-ajout",
    )


def _edit_panel() -> rx.Component:
    errors = S.errors
    return rx.cond(
        S.editing.contains("id"),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
        rx.el.div(
            rx.el.h3("Modifier « ", S.editing["name"], " »"),
            error_summary(S.error_items),
            form(
                rx.el.input(type="hidden", name="document_id", value=S.editing["id"]),
                rx.el.div(
                    rx.el.label("Nom du document", html_for=EDIT_NAME_ID, class_name="field__label"),
                    rx.el.p(
                        "L'extension (.pdf, .jpg, .png) est ajoutée pour vous.",
                        id=f"{EDIT_NAME_ID}-aide",
                        class_name="field__hint",
                    ),
                    field_error("name", errors),
                    rx.el.input(
                        id=EDIT_NAME_ID,
                        name="name",
                        default_value=S.editing["name"],
                        key=S.editing["id"],
                        max_length=130,
                        aria_describedby=f"{EDIT_NAME_ID}-aide",
                        class_name="input",
                        required=True,
                    ),
                    class_name="field",
                ),
                select_field(
                    "category",
                    "Catégorie",
                    _category_options(),
                    errors,
                    default_value=S.editing["category"],
                    key=S.editing["id"] + "-categorie",
                    select_class="select input--medium",
                ),
                rx.el.div(
                    submit_button("Enregistrer", "Enregistrement…"),
                    rx.el.button("Annuler", type="button", on_click=S.cancel, class_name="button button--secondary"),
                    class_name="form-actions",
                ),
                on_submit=S.save_edit,
            ),
            class_name="card card--panel",
        ),
    )


def _delete_panel() -> rx.Component:
    return rx.cond(
        S.confirming.contains("id"),  # type: ignore[attr-defined]
        confirm_panel(
            rx.el.h3("Supprimer « ", S.confirming["name"], " » ?"),
            rx.el.p(
                "Le document sera effacé de votre porte-documents. Cette action est définitive. "
                "Les démarches déjà envoyées gardent leur propre copie."
            ),
            confirm_label="Oui, supprimer",
            on_confirm=S.confirm_delete(S.confirming["id"]),
            on_cancel=S.cancel,
            id="confirmation-suppression",
            aria_label="Confirmer la suppression",
            tab_index=-1,
        ),
    )


def _thumbnail(doc) -> rx.Component:
    return rx.cond(
        doc["thumbnail"] == "1",
        rx.el.img(
            src=backend_href("/_portal/documents/" + doc["id"] + "/apercu"),
            alt="",
            loading="lazy",
            width=64,
            height=64,
            class_name="doc-thumb",
        ),
        rx.el.span(
            rx.cond(doc["kind"] == "pdf", "PDF", "IMG"), class_name="doc-thumb doc-thumb--icon", aria_hidden="true"
        ),
    )


def _actions(doc) -> rx.Component:
    return rx.el.div(
        file_link(
            "Télécharger",
            rx.el.span(" ", doc["name"], class_name="sr-only"),
            href="/_portal/documents/" + doc["id"],
            download=doc["name"],
            class_name="button button--small button--secondary",
        ),
        rx.el.button(
            "Modifier",
            rx.el.span(" ", doc["name"], class_name="sr-only"),
            type="button",
            on_click=S.start_edit(doc["id"]),
            class_name="button button--small button--secondary",
        ),
        rx.el.button(
            "Supprimer",
            rx.el.span(" ", doc["name"], class_name="sr-only"),
            type="button",
            on_click=S.ask_delete(doc["id"]),
            class_name="button button--small button--secondary-danger",
        ),
        class_name="doc-actions",
    )


def _table() -> rx.Component:
    return rx.el.table(
        rx.el.caption("Mes documents", class_name="sr-only"),
        rx.el.thead(
            rx.el.tr(
                rx.el.th(rx.el.span("Aperçu", class_name="sr-only"), scope="col"),
                *[
                    rx.el.th(title, scope="col")
                    for title in ("Nom", "Catégorie", "Type", "Taille", "Ajouté le", "Actions")
                ],
            )
        ),
        rx.el.tbody(
            rx.foreach(
                S.documents,
                lambda doc: rx.el.tr(
                    rx.el.td(_thumbnail(doc)),
                    rx.el.td(rx.el.span(doc["name"], class_name="doc-name")),
                    rx.el.td(doc["category_label"]),
                    rx.el.td(doc["kind_label"]),
                    rx.el.td(doc["size_label"], class_name="nowrap"),
                    rx.el.td(doc["date_label"]),
                    rx.el.td(_actions(doc)),
                ),
            )
        ),
        class_name="doc-table",
    )


def _cards() -> rx.Component:
    return rx.el.ul(
        rx.foreach(
            S.documents,
            lambda doc: rx.el.li(
                rx.el.div(
                    _thumbnail(doc),
                    rx.el.div(
                        rx.el.p(doc["name"], class_name="doc-name"),
                        rx.el.p(
                            doc["category_label"],
                            " · ",
                            doc["kind_label"],
                            " · ",
                            doc["size_label"],
                            class_name="muted",
                        ),
                        rx.el.p("Ajouté le ", doc["date_label"], class_name="muted"),
                    ),
                    class_name="doc-card__head",
                ),
                _actions(doc),
                class_name="doc-card",
            ),
        ),
        class_name="doc-cards",
        aria_label="Mes documents",
    )


def _documents_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Mes documents", id="titre-documents"),
        rx.el.p(S.usage_label, class_name="muted"),
        rx.cond(S.flash != "", notice(rx.el.p(S.flash), kind="success")),
        _edit_panel(),
        _delete_panel(),
        rx.cond(
            S.documents.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.fragment(_table(), _cards()),
            rx.el.p("Votre porte-documents est vide pour l'instant.", class_name="card"),
        ),
        aria_labelledby="titre-documents",
    )


@portal_page(routes.DOCUMENTS, "Porte-documents — Portail", role=Role.BENEFICIARY, on_load=S.load)
def porte_documents() -> rx.Component:
    return page(
        protected(
            rx.el.h1("Porte-documents"),
            rx.el.p(
                "Gardez ici les justificatifs demandés dans vos démarches, pour les joindre sans les chercher à chaque fois. "
                "Votre porte-documents est privé : les agents ne le voient pas. "
                "Un document joint à une démarche envoyée y reste tel quel, même si vous le modifiez ou le supprimez ici.",
                class_name="lead",
            ),
            _upload_section(),
            _documents_section(),
        ),
        width="wide",
    )
