"""Documents of the employer space."""

import reflex as rx

from portal_app.components.backend import backend_href
from portal_app.components.employer import loading_or, search_field, space_header
from portal_app.components.forms import error_summary, field_error, field_id, form, notice, submit_button, text_field
from portal_app.components.layout import page
from portal_app.domain.uploads.checks import MAX_FILE_BYTES
from portal_app.states.employer_documents import ADD_UPLOAD, EDIT_UPLOAD, DocView, DossierView
from portal_app.states.employer_documents import EmployerDocumentsState as D
from portal_app.states.session import SessionState

ACCEPT = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "application/pdf": [".pdf"]}
RULES = "Formats acceptés : PNG, JPEG, PDF. Taille maximale : 5 Mo."


def _select(name: str, label: str, options, *, value=None, hint: str = "", **props) -> rx.Component:
    fid = field_id(name)
    has_error = D.errors.contains(name)
    return rx.el.div(
        rx.el.label(label, html_for=fid, class_name="field__label"),
        rx.el.p(hint, id=f"{fid}-aide", class_name="field__hint") if hint else rx.fragment(),
        field_error(name, D.errors),
        rx.el.select(
            *options,
            id=fid,
            name=name,
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=rx.cond(has_error, f"{fid}-erreur", f"{fid}-aide" if hint else None),
            class_name=rx.cond(has_error, "select input--error", "select"),
            **({"default_value": value} if value is not None else {}),
            **props,
        ),
        class_name=rx.cond(has_error, "field field--error", "field"),
    )


def _category_select(on_change, value=None) -> rx.Component:
    return _select(
        "category",
        "Type de document",
        [
            rx.el.option("Choisissez un type", value="", disabled=True),
            rx.foreach(D.categories, lambda c: rx.el.option(c["label"], value=c["key"])),
        ],
        value=value if value is not None else "",
        on_change=on_change,
    )


def _dossier_options(optional: bool) -> list:
    return [
        rx.el.option("Aucun dossier (document général)" if optional else "Choisissez un dossier", value=""),
        rx.foreach(D.form_dossiers, lambda d: rx.el.option(d.number + " – " + d.beneficiary, value=d.number)),
    ]


def _period_fields(required, values=None) -> rx.Component:
    if values is None:
        values = {}

    def dates(optional: bool) -> rx.Component:
        # "(facultatif)" once, on the legend, rather than on each date.
        return rx.el.div(
            text_field(
                "period_start", "Du", D.errors, type="date", optional=optional, default_value=values.get("period_start")
            ),
            text_field(
                "period_end", "Au", D.errors, type="date", optional=optional, default_value=values.get("period_end")
            ),
            class_name="search__grid search__grid--two period",
        )

    return rx.el.fieldset(
        rx.el.legend(rx.cond(required, "Période", "Période (facultatif)"), class_name="field__label"),
        rx.cond(required, dates(False), dates(True)),
        class_name="fieldset",
    )


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
        _category_select(D.choose_category, value=D.add_category),
        rx.cond(
            D.add_category != "",
            rx.fragment(
                notice(rx.el.p(f["instructions"]), kind="info", id="consignes-categorie"),
                rx.cond(
                    f["dossier"] != "",
                    rx.cond(
                        f["dossier"] == "required",
                        _select(
                            "dossier",
                            "Dossier concerné",
                            _dossier_options(False),
                            hint="Les dossiers pour lesquels vous avez reçu des règlements.",
                        ),
                        _select(
                            "dossier",
                            "Dossier concerné (facultatif)",
                            _dossier_options(True),
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
                rx.cond(f["period"] != "", _period_fields(f["period"] == "required")),
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
            _category_select(D.choose_edit_category, value=D.edit_category),
            rx.cond(
                f["dossier"] == "required",
                _select("dossier", "Dossier concerné", _dossier_options(False), value=D.edit_values["dossier"]),
                rx.cond(
                    f["dossier"] == "optional",
                    _select(
                        "dossier",
                        "Dossier concerné (facultatif)",
                        _dossier_options(True),
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
            rx.cond(f["period"] != "", _period_fields(f["period"] == "required", D.edit_values)),
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
    return rx.el.section(
        rx.el.h2("Supprimer ce document\u00a0?", id="suppression-titre", tab_index=-1),
        rx.el.p("« ", D.deleting_title, " » sera supprimé définitivement."),
        rx.el.div(
            rx.el.button(
                "Supprimer définitivement", type="button", on_click=D.confirm_delete, class_name="button button--danger"
            ),
            rx.el.button("Annuler", type="button", on_click=D.cancel_delete, class_name="button button--secondary"),
            class_name="form-actions",
        ),
        class_name="card panel panel--danger",
        role="alertdialog",
        aria_labelledby="suppression-titre",
    )


# ---------------------------------------------------------------- lists


def _document(doc: DocView) -> rx.Component:
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
            rx.el.a(
                "Télécharger",
                rx.el.span(" ", doc.title, class_name="sr-only"),
                href=backend_href(doc.href),
                download=True,
                reload_document=True,
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
        # Shown under the document itself, where the button was pressed (phones included).
        rx.cond(D.deleting_id == doc.id, _delete_panel()),
        rx.cond(D.editing_id == doc.id, _edit_panel()),
        class_name="document",
    )


def _document_list(items, empty: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.el.ul(rx.foreach(items, _document), class_name="documents"),
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


def _dossier_search() -> rx.Component:
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
                _document_list(D.dossier_docs, "Aucun document pour ce dossier."),
                class_name="card",
                aria_labelledby="dossier-ouvert",
            ),
        ),
        aria_labelledby="dossiers-titre",
    )


@rx.page(
    route="/employeur/documents",
    title="Documents — Espace employeur — Portail",
    on_load=[SessionState.guard_employer, D.load],
)
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
                _document_list(D.general, "Vous n'avez pas encore de document général."),
                aria_labelledby="generaux-titre",
            ),
            _dossier_search(),
        ),
        width="wide",
    )
