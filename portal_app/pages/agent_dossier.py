import reflex as rx

from portal_app.components.agent_nav import agent_nav
from portal_app.components.backend import backend_href
from portal_app.components.forms import field_id, notice
from portal_app.components.layout import after_load, page, protected
from portal_app.components.status_badge import status_badge
from portal_app.components.upload_zone import _set_input
from portal_app.states.agent_dossier import UPLOAD_ID
from portal_app.states.agent_dossier import AgentDossierState as S
from portal_app.states.session import SessionState


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


def _answers() -> rx.Component:
    return rx.fragment(
        rx.el.h2("Réponses"),
        rx.foreach(
            S.steps,
            lambda step: rx.el.section(
                rx.el.h3(step.title),
                rx.el.dl(
                    rx.foreach(
                        step.rows,
                        lambda row: rx.el.div(
                            rx.el.dt(row.label, class_name="summary-list__key"),
                            rx.el.dd(row.value, class_name="summary-list__value"),
                            class_name="summary-list__row",
                        ),
                    ),
                    class_name="summary-list",
                ),
            ),
        ),
    )


def _attachment_link(item) -> rx.Component:
    return rx.el.li(
        # A file is a real request to the backend route, not a client-side page change.
        rx.el.a(item.name, href=backend_href(item.href), download=item.name, custom_attrs={"reloadDocument": True}),
        rx.el.span(" (", item.size, ")", class_name="muted"),
    )


def _filed_piece(item) -> rx.Component:
    return _piece_row(item, dated=True)


def _grouped_piece(item) -> rx.Component:
    # Under a "Dépôt du …" heading the date is said once, by the heading.
    return _piece_row(item, dated=False)


def _piece_row(item, dated: bool) -> rx.Component:
    return rx.el.li(
        rx.el.span(item.label, class_name="recap-pieces__label"),
        rx.el.a(
            item.name,
            href=backend_href(item.href),
            download=item.name,
            custom_attrs={"reloadDocument": True},
            class_name="filed-piece__file",
        ),
        rx.el.span(
            " — ",
            item.size,
            *([" — déposé le ", item.date] if dated else []),
            rx.cond(item.unchanged, " — identique au dépôt précédent", ""),
            class_name="muted",
        ),
        class_name="filed-piece",
    )


def _filing(filing) -> rx.Component:
    return rx.el.section(
        rx.el.h3(
            filing.title,
            rx.cond(filing.latest, rx.el.span(" ", rx.el.span("Le plus récent", class_name="tag tag--blue"))),
        ),
        rx.el.ul(rx.foreach(filing.pieces, _grouped_piece), class_name="recap-pieces"),
        class_name="filing",
    )


def _pieces() -> rx.Component:
    """Every piece as filed, in the démarche's order; several filings each under its date,
    the latest first."""
    return rx.el.section(
        rx.el.h2("Pièces justificatives", id="pieces-justificatives"),
        rx.cond(
            S.filings.length() > 1,  # type: ignore[attr-defined]
            rx.fragment(
                rx.el.p(
                    "Le dossier a été déposé plusieurs fois : chaque dépôt garde les pièces qu'il contenait.",
                    class_name="muted",
                ),
                rx.foreach(S.filings, _filing),
            ),
            rx.cond(
                S.filings.length() == 1,  # type: ignore[attr-defined]
                rx.foreach(
                    S.filings, lambda f: rx.el.ul(rx.foreach(f.pieces, _filed_piece), class_name="recap-pieces")
                ),
                rx.el.p("Aucune pièce justificative n'a été déposée avec ce dossier.", class_name="muted"),
            ),
        ),
    )


def _documents() -> rx.Component:
    return rx.fragment(
        rx.el.h2("Documents de la discussion"),
        rx.cond(
            S.attachments.length() > 0,  # type: ignore[attr-defined]
            rx.el.ul(rx.foreach(S.attachments, _attachment_link), class_name="bullets"),
            rx.el.p("Aucun document n'a été échangé dans la discussion.", class_name="muted"),
        ),
    )


def _history() -> rx.Component:
    return rx.fragment(
        rx.el.h2("Historique"),
        rx.el.ol(
            rx.foreach(
                S.history,
                lambda item: rx.el.li(
                    rx.el.p(rx.el.strong(item.text), rx.el.span(" — ", item.date, class_name="muted")),
                    rx.cond(
                        item.motivation != "", rx.el.p("Motif : ", item.motivation, class_name="timeline__motivation")
                    ),
                    class_name="timeline__item",
                ),
            ),
            class_name="timeline",
        ),
    )


def _message(item) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(item.author), rx.el.span(" — ", item.date, class_name="muted")),
        rx.cond(item.body != "", rx.el.p(item.body, class_name="thread__body")),
        rx.cond(
            item.attachments.length() > 0,
            rx.el.ul(rx.foreach(item.attachments, _attachment_link), class_name="bullets"),
        ),
        class_name=rx.cond(item.from_agency, "thread__message thread__message--agency", "thread__message"),
    )


def _discussion() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Discussion", id="discussion"),
        rx.cond(
            S.messages.length() > 0,  # type: ignore[attr-defined]
            rx.el.ol(rx.foreach(S.messages, _message), class_name="thread"),
            rx.el.p(
                "Aucun échange pour l'instant. Votre premier message ouvre la discussion avec le demandeur.",
                class_name="muted",
            ),
        ),
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
                        rx.el.button("Joindre des documents", type="button", class_name="button button--secondary"),
                        rx.el.span(" PDF, PNG ou JPEG, 5 Mo au plus chacun, 5 documents au plus.", class_name="muted"),
                    ),
                    id=UPLOAD_ID,
                    multiple=True,
                    max_files=5,
                    accept={"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
                    no_drag=True,
                    no_keyboard=True,
                )
            ),
            rx.el.ul(rx.foreach(rx.selected_files(UPLOAD_ID), lambda name: rx.el.li(name)), class_name="bullets"),
            class_name="field",
        ),
        rx.el.button(
            "Envoyer le message",
            type="button",
            on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID), UPLOAD_ID),
            class_name="button button--primary",
        ),
    )


def _confirm_status() -> rx.Component:
    return rx.el.div(
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
        rx.el.div(
            rx.el.button("Confirmer", type="button", on_click=S.confirm_status, class_name="button button--primary"),
            rx.el.button("Annuler", type="button", on_click=S.cancel_status, class_name="button button--secondary"),
            class_name="form-actions",
        ),
        id="confirmation-statut",
        role="alertdialog",
        aria_labelledby="confirmation-statut-texte",
        tab_index=-1,
        class_name="notice notice--warning",
    )


def _actions() -> rx.Component:
    return rx.el.div(
        rx.cond(S.flash != "", notice(rx.el.p(S.flash), kind="success", id="message-action", tab_index=-1)),
        rx.cond(S.error != "", notice(rx.el.p(S.error), kind="error", id="message-action", tab_index=-1, role="alert")),
        rx.cond(
            S.targets.length() > 0,  # type: ignore[attr-defined]
            rx.el.form(
                rx.el.h2("Changer le statut"),
                rx.el.div(
                    rx.el.label("Nouveau statut", html_for=field_id("target"), class_name="field__label"),
                    # No status is chosen for the agent: a decision is never one click away.
                    rx.el.select(
                        rx.el.option("Choisissez…", value=""),
                        rx.foreach(
                            S.targets,
                            lambda t: rx.el.option(t[1], rx.cond(t[2] != "", " (motif obligatoire)", ""), value=t[0]),
                        ),
                        id=field_id("target"),
                        name="target",
                        default_value="",
                        on_change=S.target_changed,
                        class_name="input select",
                    ),
                    class_name="field",
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
        rx.el.p(rx.el.a("← Retour à la liste des dossiers", href="/agent")),
        rx.el.h1("Dossier ", rx.el.span(S.number, class_name="nowrap")),
        rx.el.dl(
            rx.el.dt("Démarche"),
            rx.el.dd(S.demarche_title),
            rx.el.dt("Demandeur"),
            rx.el.dd(S.beneficiary, " — ", S.beneficiary_email),
            rx.el.dt("Déposé le"),
            rx.el.dd(S.submitted),
            rx.el.dt("Statut"),
            rx.el.dd(status_badge(S.status_label, S.status_colour, S.status_icon), id="statut-dossier"),
            class_name="definition card",
        ),
        rx.el.div(
            # Actions first: on a phone they come right under the status, not after every answer.
            _actions(),
            rx.el.div(_pieces(), _documents(), _discussion(), _history(), _answers(), class_name="agent-layout__main"),
            class_name="agent-layout",
        ),
    )


@rx.page(route="/agent/dossiers/[id]", title=S.page_title, on_load=[SessionState.guard_agent, S.load])
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
