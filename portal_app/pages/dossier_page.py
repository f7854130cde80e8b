"""The owner's dossier page (/demarches/dossier/<id>/suivi): summary, timeline of statuses
with dates and motivations, the answers (read-only unless editable), the documents and the
discussion. Sections reached by links: on a phone they follow one another."""

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.anchors import in_page_link
from portal_app.components.backend import file_link
from portal_app.components.dossier import dossier_header
from portal_app.components.dossier_record import answers_section, filed_pieces_list, summary_section, timeline_section
from portal_app.components.forms import error_summary, field_error, form, notice, submit_button
from portal_app.components.layout import page, protected
from portal_app.components.portal_page import portal_page
from portal_app.components.quote_versions import quotes_section
from portal_app.components.upload_zone import state_upload_zone
from portal_app.models import Role
from portal_app.states.dossier_page import DossierPageState

S = DossierPageState
UPLOAD_ID = "pieces-reponse"
REPLY_FORM_ID = "formulaire-reponse"
SECTIONS = (
    ("resume", "Résumé"),
    ("historique", "Historique"),
    ("reponses", "Réponses"),
    ("documents", "Documents"),
    ("discussion", "Discussion"),
)


def _tabs() -> rx.Component:
    return rx.el.nav(
        rx.el.ul(
            *[rx.el.li(in_page_link(label, href=f"#{code}")) for code, label in SECTIONS], class_name="section-links"
        ),
        aria_label="Sections du dossier",
    )


def _attachment(item: Var) -> rx.Component:
    return rx.el.li(
        file_link("Télécharger ", item.name, href=item.href, download=item.name),
        rx.el.span(" (", item.size, ")", class_name="muted"),
    )


def _receipt(item: Var) -> rx.Component:
    return rx.el.li(file_link("Télécharger l'", item.label, href=item.href, download=item.file_name))


def _documents() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Documents", id="documents"),
        rx.el.h3("Pièces justificatives", id="pieces-deposees"),
        filed_pieces_list(),
        rx.cond(
            S.receipts.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.fragment(
                rx.el.h3("Attestations de dépôt", id="attestations"),
                rx.el.ul(rx.foreach(S.receipts, _receipt), class_name="attachments"),
            ),
        ),
        rx.el.h3("Documents échangés avec l'agence"),
        rx.cond(
            S.attachments.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.ul(rx.foreach(S.attachments, _attachment), class_name="attachments"),
            rx.el.p("Aucun document n'a encore été échangé avec l'agence.", class_name="muted"),
        ),
    )


def _message(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            rx.el.strong(item.author),
            " — ",
            item.at,
            rx.cond(item.new, rx.el.span(" Nouveau", class_name="tag tag--blue message__new")),
            class_name="message__head",
        ),
        rx.el.p(item.body, class_name="message__body"),
        rx.cond(
            item.attachments.length() > 0,  # type: ignore[attr-defined]  # Reflex: a field of a foreach item is a Var
            rx.el.ul(rx.foreach(item.attachments, _attachment), class_name="attachments"),
        ),
        class_name=rx.cond(item.from_agency, "message message--agency", "message message--owner"),
    )


def _pick(item: Var) -> rx.Component:
    box_id = "piece-" + item.id.to_string()
    return rx.el.li(
        rx.el.input(
            type="checkbox",
            id=box_id,
            checked=S.picked.contains(item.id),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            on_change=S.toggle_pick(item.id),
            class_name="checkbox__input",
        ),
        rx.el.label(item.name, html_for=box_id, class_name="checkbox__label"),
        class_name="checkbox",
    )


def _reply() -> rx.Component:
    """The message first, then what to attach, then the one button (outside the form, tied
    to it by its id): attachments upload on their own, the message goes with the submit."""
    return rx.el.div(
        rx.el.h3("Répondre à l'agence", id="titre-reponse"),
        error_summary(S.error_items),
        form(
            rx.el.div(
                rx.el.label("Votre message", html_for="champ-message", class_name="field__label"),
                field_error("message", S.errors),
                rx.el.textarea(
                    id="champ-message",
                    name="message",
                    rows=5,
                    max_length=5000,
                    class_name="textarea",
                    on_change=S.message_typed.debounce(400),
                    aria_invalid=rx.cond(S.errors.contains("message"), "true", "false"),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
                    aria_describedby=rx.cond(S.errors.contains("message"), "champ-message-erreur", ""),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
                ),
                class_name=rx.cond(S.errors.contains("message"), "field field--error", "field"),  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            ),
            id=REPLY_FORM_ID,
            on_submit=S.reply,
            reset_on_submit=False,
            key=S.reply_key.to_string(),
        ),
        rx.el.h4("Joindre des documents", rx.el.span(" (facultatif)", class_name="field__optional")),
        state_upload_zone(S, UPLOAD_ID, "Les fichiers ajoutés sont aussi gardés dans votre porte-documents."),
        rx.cond(
            S.picks.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.fieldset(
                rx.el.legend("Documents de votre porte-documents à joindre"),
                rx.el.ul(rx.foreach(S.picks, _pick), class_name="picks"),
                class_name="fieldset",
            ),
        ),
        rx.el.div(submit_button("Envoyer ma réponse", form=REPLY_FORM_ID), class_name="form-actions"),
        class_name="reply",
    )


def _discussion() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Discussion", id="discussion"),
        rx.cond(S.flash != "", notice(rx.el.p(S.flash), kind="success", id="reponse-envoyee", tab_index=-1)),
        rx.cond(
            S.messages.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.ol(rx.foreach(S.messages, _message), class_name="thread"),
            rx.el.p(
                "L'agence ne vous a pas encore écrit au sujet de ce dossier. "
                "Si elle a besoin d'informations, son message apparaîtra ici et vous recevrez un e-mail.",
                class_name="muted",
            ),
        ),
        rx.cond(S.can_reply, _reply()),
    )


def _not_found() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Dossier introuvable"),
        rx.el.p("Ce dossier n'existe pas ou n'est pas le vôtre."),
        rx.el.p(rx.el.a("Retour à mes démarches", href="/demarches")),
    )


@portal_page(routes.DOSSIER_PAGE, DossierPageState.page_title, role=Role.BENEFICIARY, on_load=DossierPageState.load)
def dossier_suivi() -> rx.Component:
    return page(
        protected(
            rx.cond(
                S.ready & rx.State.is_hydrated,
                rx.cond(
                    S.found,
                    rx.fragment(
                        dossier_header(
                            rx.cond(S.number != "", S.number, "en brouillon"),
                            rx.el.a("Mes démarches", href="/demarches"),
                            " › ",
                            S.title,
                            rx.cond(S.for_whom != "", rx.el.span(" ", S.for_whom, class_name="for-whom")),
                        ),
                        _tabs(),
                        summary_section(),
                        timeline_section(),
                        answers_section(),
                        quotes_section(
                            S.quotes,
                            S.quote_message,
                            (S.withdrawing, S.confirm_withdrawal, S.withdraw_quote, S.keep_acceptance),
                        ),
                        _documents(),
                        _discussion(),
                    ),
                    _not_found(),
                ),
                rx.el.p("Chargement…", class_name="loading", role="status"),
            )
        ),
    )
