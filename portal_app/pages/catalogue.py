import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.forms import error_summary, field_error, form, submit_button
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.models import Role
from portal_app.states.catalogue import CatalogueState

S = CatalogueState


def _offer(item: Var) -> rx.Component:
    return rx.el.div(
        rx.el.p(
            "Vous avez déjà commencé cette démarche (brouillon modifié le ",
            CatalogueState.offer_updated,
            "). Voulez-vous le reprendre ?",
        ),
        rx.el.div(
            rx.el.a("Reprendre mon brouillon", href=CatalogueState.offer_href, class_name="button button--primary"),
            rx.el.button(
                "Commencer un nouveau dossier",
                type="button",
                on_click=CatalogueState.start_new(item.code),
                class_name="button button--secondary",
            ),
            class_name="form-actions",
        ),
        id="brouillon-existant",
        role="status",
        tab_index=-1,
        class_name="notice notice--info",
    )


def _whom_option(choice: Var, index: int) -> rx.Component:
    option_id = f"pour-qui-choix-{index}"
    return rx.el.div(
        rx.el.input(
            id=option_id,
            name="pour",
            type="radio",
            value=choice.value,
            class_name="radio__input",
            aria_describedby=rx.cond(S.errors.contains("pour"), "champ-pour-erreur", None),
        ),
        rx.el.label(choice.label, html_for=option_id, class_name="radio__label"),
        class_name="radio",
    )


def _for_whom(item: Var) -> rx.Component:
    """ "Pour qui faites-vous cette démarche ?": me, one of my relations, or one added on the way."""
    add_link = routes.RELATIONS + "?demarche=" + item.code.to(str)
    return rx.el.div(
        error_summary(S.error_items),
        form(
            rx.el.fieldset(
                rx.el.legend("Pour qui faites-vous cette démarche ?", class_name="field__label"),
                field_error("pour", S.errors),
                rx.el.div(rx.foreach(S.whom_choices, _whom_option), class_name="radio-group"),
                id="champ-pour",
                tab_index=-1,
                class_name=rx.cond(S.errors.contains("pour"), "field field--error fieldset", "field fieldset"),
            ),
            rx.el.p(
                "Vous la faites pour une personne ou une structure qui n'est pas dans la liste ? ",
                rx.cond(S.can_add_person, rx.el.a("Ajouter une personne", href=add_link + "&ajout=person")),
                rx.cond(S.can_add_person & S.can_add_company, " ou ", ""),
                rx.cond(S.can_add_company, rx.el.a("ajouter une entreprise", href=add_link + "&ajout=company")),
                ".",
            ),
            rx.el.div(
                submit_button("Continuer"),
                rx.el.button("Annuler", type="button", on_click=S.cancel_for, class_name="button button--secondary"),
                class_name="form-actions",
            ),
            on_submit=S.start_for,
        ),
        id="pour-qui",
        tab_index=-1,
        class_name="card card--panel",
    )


def _card(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.h2(item.title, class_name="catalogue__title"),
        rx.el.p(item.description),
        rx.el.p(item.steps_label, " · vos réponses sont enregistrées au fil de la saisie.", class_name="muted"),
        rx.cond(
            S.asking_code == item.code,
            _for_whom(item),
            rx.cond(
                CatalogueState.offer_code == item.code,
                _offer(item),
                rx.el.button(
                    "Commencer",
                    rx.el.span(" : ", item.title, class_name="sr-only"),
                    type="button",
                    on_click=CatalogueState.start(item.code),
                    class_name="button button--primary",
                ),
            ),
        ),
        class_name="card catalogue__item",
    )


@portal_page(routes.CATALOGUE, "Commencer une démarche — Portail", role=Role.BENEFICIARY, on_load=CatalogueState.load)
def demarche_catalogue() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.el.h1("Commencer une démarche"),
                rx.el.p("Choisissez la démarche qui correspond à votre demande.", class_name="lead"),
                rx.el.ul(rx.foreach(CatalogueState.items, _card), class_name="catalogue"),
                rx.el.p(rx.el.a("Retour à mes démarches", href="/demarches")),
            )
        ),
    )
