import reflex as rx

from portal_app import routes
from portal_app.components.agent_dossier_record import (
    answers_section,
    attachment_link,
    documents_section,
    history_section,
    pieces_section,
)
from portal_app.components.agent_nav import agent_nav
from portal_app.components.confirm_panel import confirm_panel
from portal_app.components.dossier import dossier_header
from portal_app.components.forms import field_id, notice, select_field
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.components.quote_history import quote_history_section
from portal_app.components.status_badge import status_badge
from portal_app.components.upload_zone import _set_input
from portal_app.domain.dossiers.discussion import NO_ACCOUNT
from portal_app.models import Role
from portal_app.states.agent_dossier import UPLOAD_ID
from portal_app.states.agent_dossier import AgentDossierState as S


def _textarea(name: str, label: str, hint: str = "", required: bool = False, **props) -> rx.Component:
    fid = field_id(name)
    return rx.el.div(
        rx.el.label(
            label,
            *([] if required else [rx.el.span(" (facultatif)", class_name="field__optional")]),
            html_for=fid,
            class_name="field__label",
        ),
        rx.el.p(hint, id=f"{fid}-aide", class_name="field__hint") if hint else rx.fragment(),
        rx.el.textarea(
            id=fid,
            name=name,
            rows=4,
            class_name="input textarea",
            aria_describedby=f"{fid}-aide" if hint else None,
            **props,
        ),
        class_name="field",
    )


def _message(item) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(item.author), rx.el.span(" — ", item.date, class_name="muted")),
        rx.cond(item.body != "", rx.el.p(item.body, class_name="thread__body")),
        rx.cond(
            item.attachments.length() > 0,
            rx.el.ul(rx.foreach(item.attachments, attachment_link), class_name="bullets"),
        ),
        class_name=rx.cond(item.from_agency, "thread__message thread__message--agency", "thread__message"),
    )


def _discussion() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Discussion", id="discussion"),
        rx.cond(
            S.messages.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.ol(rx.foreach(S.messages, _message), class_name="thread"),
            rx.el.p(
                "Aucun échange pour l'instant. Votre premier message ouvre la discussion avec le demandeur.",
                class_name="muted",
            ),
        ),
        rx.cond(
            S.guest,
            rx.el.p(NO_ACCOUNT, class_name="notice notice--info"),
            rx.fragment(
                rx.el.div(
                    rx.el.label("Votre message au demandeur", html_for=field_id("message"), class_name="field__label"),
                    rx.el.textarea(
                        id=field_id("message"),
                        rows=4,
                        value=S.message_text,
                        on_change=S.set_message_text.debounce(300),
                        class_name="input textarea",
                    ),
                    class_name="field",
                ),
                rx.el.div(
                    _set_input(
                        rx.upload.root(
                            rx.el.div(
                                rx.el.button(
                                    "Joindre des documents", type="button", class_name="button button--secondary"
                                ),
                                rx.el.span(
                                    " PDF, PNG ou JPEG, 5 Mo au plus chacun, 5 documents au plus.", class_name="muted"
                                ),
                            ),
                            id=UPLOAD_ID,
                            multiple=True,
                            max_files=5,
                            accept={
                                "application/pdf": [".pdf"],
                                "image/png": [".png"],
                                "image/jpeg": [".jpg", ".jpeg"],
                            },
                            no_drag=True,
                            no_keyboard=True,
                        )
                    ),
                    rx.el.ul(
                        rx.foreach(rx.selected_files(UPLOAD_ID), lambda name: rx.el.li(name)), class_name="bullets"
                    ),
                    class_name="field",
                ),
                rx.el.button(
                    "Envoyer le message",
                    type="button",
                    on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID), UPLOAD_ID),
                    class_name="button button--primary",
                ),
            ),
        ),
    )


def _confirm_status() -> rx.Component:
    return confirm_panel(
        rx.el.p(
            "Confirmer : le dossier ",
            rx.el.span(S.number, class_name="nowrap"),
            " sera ",
            rx.el.strong(S.pending_label),
            ".",
            id="confirmation-statut-texte",
        ),
        rx.cond(S.pending_motivation != "", rx.el.p("Motif communiqué au demandeur : ", S.pending_motivation)),
        rx.el.p("Le demandeur en sera informé.", class_name="muted"),
        confirm_label="Confirmer",
        on_confirm=S.confirm_status,
        on_cancel=S.cancel_status,
        danger=False,
        class_name="notice notice--warning",
        id="confirmation-statut",
        aria_labelledby="confirmation-statut-texte",
        tab_index=-1,
    )


def _actions() -> rx.Component:
    return rx.el.div(
        rx.cond(S.flash != "", notice(rx.el.p(S.flash), kind="success", id="message-action", tab_index=-1)),
        rx.cond(S.error != "", notice(rx.el.p(S.error), kind="error", id="message-action", tab_index=-1, role="alert")),
        rx.cond(
            S.targets.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.form(
                rx.el.h2("Changer le statut"),
                # No status is chosen for the agent: a decision is never one click away.
                select_field(
                    "target",
                    "Nouveau statut",
                    [
                        rx.el.option("Choisissez…", value=""),
                        rx.foreach(
                            S.targets,
                            lambda t: rx.el.option(t[1], rx.cond(t[2] != "", " (motif obligatoire)", ""), value=t[0]),
                        ),
                    ],
                    default_value="",
                    on_change=S.target_changed,
                    select_class="input select",
                ),
                _textarea(
                    "motivation",
                    "Motif",
                    required=True,
                    hint="Obligatoire pour un refus ou un classement ; il est communiqué au demandeur.",
                ),
                rx.cond(
                    S.pending_target != "",
                    _confirm_status(),
                    rx.el.button("Changer le statut", type="submit", class_name="button button--primary"),
                ),
                on_submit=S.change_status,
                reset_on_submit=False,
                no_validate=True,
                class_name="card",
                key="statut-" + S.status_form_key.to_string(),
            ),
        ),
        rx.cond(
            S.can_ask_completion,
            rx.el.form(
                rx.el.h2("Demander des compléments"),
                _textarea(
                    "completion_message",
                    "Ce que le demandeur doit compléter",
                    required=True,
                    hint="Ce message est envoyé au demandeur et ouvre la discussion.",
                ),
                rx.el.button("Demander des compléments", type="submit", class_name="button button--primary"),
                on_submit=S.ask_completion,
                reset_on_submit=True,
                no_validate=True,
                class_name="card",
            ),
        ),
        rx.cond(
            S.can_reopen,
            rx.el.form(
                rx.el.h2("Réouvrir pour modification"),
                rx.el.p(
                    "Le demandeur pourra modifier ses réponses, puis déposer de nouveau son dossier.",
                    class_name="muted",
                ),
                _textarea("reopen_motivation", "Motif communiqué au demandeur"),
                rx.el.button("Réouvrir le dossier", type="submit", class_name="button button--secondary"),
                on_submit=S.reopen,
                reset_on_submit=True,
                no_validate=True,
                class_name="card",
            ),
        ),
        class_name="agent-actions",
    )


def _found() -> rx.Component:
    return rx.fragment(
        dossier_header(S.number, rx.el.a("← Retour à la liste des dossiers", href="/agent"), caption_class=""),
        rx.el.dl(
            rx.el.dt("Démarche"),
            rx.el.dd(S.demarche_title),
            rx.el.dt("Demandeur"),
            rx.el.dd(S.beneficiary, " — ", S.beneficiary_email),
            rx.cond(
                S.for_whom != "",
                rx.fragment(
                    rx.el.dt("Dossier fait"),
                    rx.el.dd(
                        rx.el.span(S.for_whom, id="dossier-pour"),
                        rx.el.ul(rx.foreach(S.for_whom_rows, lambda row: rx.el.li(row.label, " : ", row.value))),
                    ),
                ),
            ),
            rx.el.dt("Déposé le"),
            rx.el.dd(S.submitted),
            rx.el.dt("Statut"),
            rx.el.dd(status_badge(S.status_label, S.status_colour, S.status_icon), id="statut-dossier"),
            class_name="definition card",
        ),
        rx.el.div(
            # Actions first: on a phone they come right under the status, not after every answer.
            _actions(),
            rx.el.div(
                pieces_section(),
                documents_section(),
                _discussion(),
                history_section(),
                quote_history_section(),
                answers_section(),
                class_name="agent-layout__main",
            ),
            class_name="agent-layout",
        ),
    )


@portal_page(routes.AGENT_DOSSIER, S.page_title, role=Role.AGENT, on_load=S.load)
def agent_dossier() -> rx.Component:
    return page(
        protected(
            after_load(
                agent_nav(""),
                rx.cond(
                    S.found,
                    _found(),
                    rx.fragment(
                        rx.el.h1("Dossier introuvable"),
                        rx.el.p(
                            "Ce dossier n'existe pas ou n'a pas encore été déposé. ",
                            rx.el.a("Retour à la liste", href="/agent"),
                        ),
                    ),
                ),
            )
        ),
        width="wide",
    )
