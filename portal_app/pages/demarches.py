import reflex as rx
from reflex.vars import Var

from portal_app.components.forms import notice
from portal_app.components.layout import after_load, page, protected
from portal_app.pages.dossier_recap import status_tag
from portal_app.states.my_dossiers import MyDossiersState
from portal_app.states.session import SessionState


def _confirm(row: Var) -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.strong("Supprimer définitivement ce brouillon ?"), " Vos réponses seront effacées ; cette action ne peut pas être annulée."),
        rx.el.div(
            rx.el.button(
                "Oui, supprimer le brouillon", type="button", on_click=MyDossiersState.delete(row.id),
                class_name="button button--danger",
            ),
            rx.el.button("Annuler", type="button", on_click=MyDossiersState.cancel_delete, class_name="button button--secondary"),
            class_name="form-actions",
        ),
        id="confirmer-suppression-" + row.id.to_string(),
        role="alertdialog",
        aria_label="Confirmer la suppression",
        tab_index=-1,
        class_name="notice notice--warning dossier-row__confirm",
    )


def _row(row: Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.h2(row.title, class_name="dossier-row__title"),
            status_tag(row.status_label, row.status_colour),
            class_name="dossier-row__head",
        ),
        rx.el.p(
            rx.cond(row.number != "", rx.el.span("Dossier ", rx.el.strong(row.number), " · "), ""),
            "Modifié le ", row.updated,
            class_name="muted",
        ),
        rx.cond(
            MyDossiersState.confirm_id == row.id,
            _confirm(row),
            rx.el.div(
                rx.el.a(row.action, rx.el.span(" : ", row.title, class_name="sr-only"), href=row.href, class_name="button button--primary"),
                rx.cond(
                    row.deletable,
                    rx.el.button(
                        "Supprimer", rx.el.span(" le brouillon : ", row.title, class_name="sr-only"),
                        type="button", on_click=MyDossiersState.ask_delete(row.id), class_name="button button--secondary",
                    ),
                ),
                class_name="form-actions",
            ),
        ),
        class_name="card dossier-row",
    )


@rx.page(route="/demarches", title="Mes démarches — Portail", on_load=[SessionState.guard_beneficiary, MyDossiersState.load])
def mes_demarches() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.el.h1("Mes démarches"),
                rx.el.p("Bonjour ", SessionState.display_name, "."),
                rx.cond(
                    MyDossiersState.message != "",
                    notice(rx.el.p(MyDossiersState.message), id="message-demarches", tab_index=-1),
                ),
                rx.el.p(rx.el.a("Commencer une démarche", href="/demarches/nouvelle", class_name="button button--primary")),
                rx.cond(
                    MyDossiersState.rows.length() > 0,  # type: ignore[attr-defined]
                    rx.el.ul(rx.foreach(MyDossiersState.rows, _row), class_name="dossier-list"),
                    rx.cond(
                        MyDossiersState.loaded,
                        rx.el.div(rx.el.p("Vous n'avez pas encore de démarche en cours."), class_name="card"),
                    ),
                ),
            )
        ),
    )
