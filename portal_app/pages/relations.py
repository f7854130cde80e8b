import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.confirm_panel import confirm_panel
from portal_app.components.forms import error_summary, form, notice, radio_group, submit_button, text_field
from portal_app.components.layout import page, protected
from portal_app.components.portal_page import portal_page
from portal_app.domain.relations.forms import COMPANY, LINKS, PERSON
from portal_app.models import Role
from portal_app.states.relations import RelationsState

S = RelationsState
E = RelationsState.errors
V = RelationsState.values


def _item(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.h3(item.name, class_name="relation-list__name"),
        rx.el.p(item.details, class_name="muted"),
        rx.el.div(
            rx.el.button(
                "Modifier",
                rx.el.span(" : ", item.name, class_name="sr-only"),
                type="button",
                on_click=S.open_edit(item.id),
                class_name="button button--secondary",
            ),
            rx.el.button(
                "Supprimer",
                rx.el.span(" : ", item.name, class_name="sr-only"),
                type="button",
                on_click=S.ask_delete(item.id),
                class_name="button button--secondary",
            ),
            class_name="doc-actions",
        ),
        class_name="card",
    )


def _person_fields() -> rx.Component:
    return rx.fragment(
        radio_group("link", "Votre lien avec cette personne", list(LINKS), E, default=V.get("link", "")),
        text_field("birth_name", "Nom de naissance", E, default_value=V.get("birth_name", "")),
        text_field(
            "usage_name",
            "Nom d'usage",
            E,
            optional=True,
            hint="Par exemple le nom d'époux ou d'épouse.",
            default_value=V.get("usage_name", ""),
        ),
        text_field("first_names", "Prénom(s)", E, default_value=V.get("first_names", "")),
        text_field(
            "birth_date",
            "Date de naissance",
            E,
            type="date",
            width="input--medium",
            default_value=V.get("birth_date", ""),
        ),
        text_field(
            "birthplace",
            "Lieu de naissance",
            E,
            hint="La commune, ou le pays pour une naissance à l'étranger.",
            default_value=V.get("birthplace", ""),
        ),
    )


def _company_fields() -> rx.Component:
    return rx.fragment(
        text_field(
            "siret",
            "Numéro SIRET",
            E,
            hint="14 chiffres.",
            width="input--medium",
            inputmode="numeric",
            default_value=V.get("siret", ""),
        ),
        text_field(
            "company_name", "Raison sociale", E, autocomplete="organization", default_value=V.get("company_name", "")
        ),
        text_field("address_line", "Numéro et voie", E, default_value=V.get("address_line", "")),
        text_field(
            "postal_code",
            "Code postal",
            E,
            width="input--short",
            inputmode="numeric",
            default_value=V.get("postal_code", ""),
        ),
        text_field("city", "Commune", E, default_value=V.get("city", "")),
        text_field(
            "holder_role",
            "Votre rôle dans cette structure",
            E,
            hint="Par exemple gérant, présidente, trésorier.",
            default_value=V.get("holder_role", ""),
        ),
    )


def _form() -> rx.Component:
    title = rx.cond(
        S.editing_id != 0,
        "Modifier une relation",
        rx.cond(S.mode == PERSON, "Ajouter une personne", "Ajouter une entreprise ou une association"),
    )
    return rx.el.section(
        rx.el.h2(title, id="formulaire-relation", tab_index=-1),
        rx.cond(
            S.then_demarche != "",
            rx.el.p("Une fois la relation enregistrée, votre démarche commencera pour elle."),
        ),
        rx.el.p("Tous les champs sont obligatoires, sauf ceux marqués « (facultatif) ».", class_name="muted"),
        error_summary(S.error_items),
        form(
            rx.cond(S.mode == PERSON, _person_fields(), _company_fields()),
            rx.el.div(
                submit_button("Enregistrer la relation"),
                rx.el.button("Annuler", type="button", on_click=S.close_form, class_name="button button--secondary"),
                class_name="form-actions",
            ),
            on_submit=S.save,
            key=S.form_key,
        ),
        aria_labelledby="formulaire-relation",
        class_name="card card--panel",
    )


def _delete_panel() -> rx.Component:
    return confirm_panel(
        rx.el.h2("Supprimer ", S.deleting_name, " de vos relations ?", id="titre-suppression-relation"),
        rx.el.p("Les dossiers déjà déposés pour cette relation restent inchangés."),
        confirm_label="Supprimer la relation",
        on_confirm=S.confirm_delete,
        on_cancel=S.cancel_delete,
        id="confirmer-suppression-relation",
        tab_index=-1,
        aria_labelledby="titre-suppression-relation",
    )


def _content() -> rx.Component:
    return rx.fragment(
        rx.el.p(
            "Vos relations sont les personnes (vos enfants, votre conjoint·e, vos parents…) et les structures "
            "(entreprise, association) pour lesquelles vous faites des démarches. Elles ne sont visibles que par vous.",
            class_name="lead",
        ),
        rx.cond(S.saved != "", notice(rx.el.p(S.saved), kind="success", id="relation-enregistree", tab_index=-1)),
        rx.cond(
            S.refusal != "", notice(rx.el.p(S.refusal), kind="error", role="alert", id="relation-refusee", tab_index=-1)
        ),
        rx.cond(S.deleting_id != 0, _delete_panel()),
        rx.cond(S.mode != "", _form()),
        rx.el.h2("Vos relations", id="titre-mes-relations", tab_index=-1),
        rx.cond(
            S.items.length() > 0,  # type: ignore[attr-defined]  # a Var of a list at run time (ArrayVar)
            rx.el.ul(rx.foreach(S.items, _item), class_name="relation-list", aria_labelledby="titre-mes-relations"),
            rx.el.p("Vous n'avez encore enregistré aucune relation."),
        ),
        rx.el.div(
            rx.el.button(
                "Ajouter une personne",
                type="button",
                on_click=S.open_add(PERSON),
                class_name="button button--primary",
            ),
            rx.el.button(
                "Ajouter une entreprise ou une association",
                type="button",
                on_click=S.open_add(COMPANY),
                class_name="button button--secondary",
            ),
            class_name="form-actions",
        ),
        rx.el.p(rx.el.a("Retour à mon compte", href=routes.ACCOUNT)),
    )


@portal_page(routes.RELATIONS, "Mes relations — Portail", role=Role.BENEFICIARY, on_load=S.load)
def mes_relations() -> rx.Component:
    return page(
        rx.el.h1("Mes relations"),
        protected(rx.cond(S.loaded, _content(), rx.el.p("Chargement…", class_name="loading", role="status"))),
    )
