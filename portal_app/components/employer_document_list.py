"""The employer's documents as listed: general documents, the dossiers and their search, a dossier's documents."""

from __future__ import annotations

import reflex as rx

from portal_app.components.backend import file_link
from portal_app.components.employer import search_field
from portal_app.components.forms import form, notice, submit_button
from portal_app.states.employer_document_views import DocView, DossierView
from portal_app.states.employer_documents import EmployerDocumentsState as D


def _document(doc: DocView, under) -> rx.Component:
    """under(doc): what is shown under the document (its edit and delete panels)."""
    return rx.el.li(
        rx.el.div(
            rx.el.p(rx.el.strong(doc.title), class_name="document__title"),
            rx.el.p(
                doc.category,
                rx.cond(doc.period != "", rx.fragment(" – ", doc.period)),
                class_name="document__meta",
            ),
            rx.cond(doc.dossier != "", rx.el.p("Dossier ", doc.dossier, class_name="document__meta")),
            rx.el.p(
                "Déposé par ", doc.filed_by, " le ", doc.created_on, " – ", doc.file, class_name="document__meta muted"
            ),
            class_name="document__main",
        ),
        rx.el.div(
            file_link(
                "Télécharger",
                rx.el.span(" ", doc.title, class_name="sr-only"),
                href=doc.href,
                class_name="button button--secondary button--small",
            ),
            rx.cond(
                doc.editable,
                rx.fragment(
                    rx.el.button(
                        "Modifier",
                        rx.el.span(" ", doc.title, class_name="sr-only"),
                        type="button",
                        on_click=D.start_edit(doc.id),
                        class_name="button button--secondary button--small",
                    ),
                    rx.el.button(
                        "Supprimer",
                        rx.el.span(" ", doc.title, class_name="sr-only"),
                        type="button",
                        on_click=D.ask_delete(doc.id),
                        class_name="button button--secondary button--small",
                    ),
                ),
            ),
            class_name="document__actions",
        ),
        under(doc),
        class_name="document",
    )


def document_list(items, empty: str, under) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.el.ul(rx.foreach(items, lambda doc: _document(doc, under)), class_name="documents"),
        rx.el.p(empty, class_name="muted"),
    )


def _dossier(d: DossierView) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.el.strong(d.beneficiary), " – dossier ", d.number),
        rx.el.button(
            "Voir les documents",
            rx.el.span(" du dossier ", d.number, class_name="sr-only"),
            type="button",
            on_click=D.open(d.number),
            class_name="button button--secondary button--small",
        ),
        class_name="dossier",
    )


def dossier_search(under) -> rx.Component:
    return rx.el.section(
        rx.el.h2("Documents d'un dossier", id="dossiers-titre"),
        rx.el.p(
            "Les documents liés à un dossier (le vôtre, celui de l'agence, de l'organisme de formation ou du salarié) s'affichent quand vous ouvrez ce dossier."
        ),
        form(
            rx.el.div(
                search_field("query", "N° de dossier ou nom du salarié", D.errors, spell_check=False),
                submit_button("Rechercher", "Recherche…"),
                class_name="inline-search",
            ),
            on_submit=D.search,
            no_validate=True,
            role="search",
            aria_label="Rechercher un dossier",
        ),
        rx.cond(
            D.searched,
            rx.cond(
                D.dossiers.length() > 0,
                rx.el.ul(rx.foreach(D.dossiers, _dossier), class_name="dossiers", aria_label="Dossiers trouvés"),
                notice(rx.el.p("Aucun dossier ne correspond à « ", D.query, " »."), kind="info"),
            ),
        ),
        rx.cond(
            D.open_dossier != "",
            rx.el.section(
                rx.el.div(
                    rx.el.h3(D.open_dossier_title, id="dossier-ouvert", tab_index=-1),
                    rx.el.button(
                        "Fermer le dossier", type="button", on_click=D.close_dossier, class_name="link-button"
                    ),
                    class_name="dossier-card__head",
                ),
                document_list(D.dossier_docs, "Aucun document pour ce dossier.", under),
                class_name="card",
                aria_labelledby="dossier-ouvert",
            ),
        ),
        aria_labelledby="dossiers-titre",
    )
