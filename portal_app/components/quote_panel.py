"""The training step's quotes: ask a provider, read its versions, accept, refuse, withdraw."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.forms import error_summary, field_id, form, notice, submit_button, text_field
from portal_app.components.franceconnect import franceconnect_button
from portal_app.components.quote_versions import quote_versions, withdrawal
from portal_app.states.quotes import QuotesState as Q

E = Q.errors


def _accept_form(request: Var) -> rx.Component:
    rid = request["id"].to(str)
    return form(
        rx.el.input(type="hidden", name="request_id", value=rid),
        # The version shown: a revision sent meanwhile is refused, to be read first (person._seen).
        rx.el.input(type="hidden", name="version_id", value=request["latest_version_id"].to(str)),
        rx.cond(
            Q.fcplus,
            rx.fragment(
                rx.el.p(
                    "Pour accepter ce devis, confirmez votre identité avec FranceConnect+ (moins de 10 minutes "
                    "avant), puis confirmez l'acceptation. Vous pourrez vous rétracter pendant le délai indiqué ensuite.",
                    id="devis-accept-" + rid,
                    tab_index=-1,
                ),
                franceconnect_button(href=Q.fcplus_href, label="FranceConnect+"),
            ),
            rx.fragment(
                rx.el.p(
                    "Pour accepter ce devis, confirmez votre identité en saisissant de nouveau votre mot de passe. "
                    "Vous pourrez vous rétracter pendant le délai indiqué ensuite.",
                    id="devis-accept-" + rid,
                    tab_index=-1,
                ),
                text_field("password", "Votre mot de passe", E, type="password", autocomplete="current-password"),
            ),
        ),
        rx.el.div(
            submit_button("Confirmer l'acceptation", "Vérification…"),
            rx.el.button("Annuler", type="button", on_click=Q.cancel_form, class_name="button button--secondary"),
            class_name="form-actions",
        ),
        on_submit=Q.accept,
    )


def _refuse_form(request: Var) -> rx.Component:
    rid = request["id"].to(str)
    return form(
        rx.el.input(type="hidden", name="request_id", value=rid),
        # The version shown: a revision sent meanwhile is refused, to be read first (person._seen).
        rx.el.input(type="hidden", name="version_id", value=request["latest_version_id"].to(str)),
        rx.el.div(
            rx.el.label(
                "Motif du refus",
                rx.el.span(" (facultatif)", class_name="field__optional"),
                html_for=field_id("reason"),
                class_name="field__label",
            ),
            rx.el.p(
                "L'organisme le lira et pourra vous proposer un devis révisé.",
                id="devis-refuse-" + rid,
                tab_index=-1,
                class_name="field__hint",
            ),
            rx.el.textarea(
                id=field_id("reason"),
                name="reason",
                rows=3,
                aria_describedby="devis-refuse-" + rid,
                class_name="textarea",
            ),
            class_name="field",
        ),
        rx.el.div(
            submit_button("Refuser ce devis", "Envoi…"),
            rx.el.button("Annuler", type="button", on_click=Q.cancel_form, class_name="button button--secondary"),
            class_name="form-actions",
        ),
        on_submit=Q.refuse,
    )


def _actions(request: Var) -> rx.Component:
    rid = request["id"].to(str)
    shown = (Q.accepting == rid) | (Q.refusing == rid)
    return rx.el.div(
        rx.cond(
            (request["may_answer"].to(str) != "") & ~shown,
            rx.fragment(
                rx.el.button(
                    "Accepter ce devis",
                    type="button",
                    on_click=Q.open_form(rid, "accept"),
                    class_name="button button--primary",
                ),
                rx.el.button(
                    "Refuser", type="button", on_click=Q.open_form(rid, "refuse"), class_name="button button--secondary"
                ),
            ),
        ),
        withdrawal(request, Q.withdrawing, Q.open_form, Q.withdraw, Q.cancel_form),
        rx.cond(
            (request["may_revoke"].to(str) != "") & ~shown,
            rx.el.button(
                "Annuler la demande", type="button", on_click=Q.revoke(rid), class_name="button button--secondary"
            ),
        ),
        class_name="quote-request__actions",
    )


def _request(request: Var) -> rx.Component:
    rid = request["id"].to(str)
    return rx.el.section(
        rx.el.h3(request["provider"].to(str)),
        rx.el.p(rx.el.strong(request["status_label"].to(str))),
        rx.cond(
            request["withdrawal_ends"].to(str) != "",
            rx.el.p("Vous pouvez vous rétracter jusqu'au ", request["withdrawal_ends"].to(str), "."),
        ),
        rx.cond(
            request["final_on"].to(str) != "",
            rx.el.p("Acceptation définitive depuis le ", request["final_on"].to(str), "."),
        ),
        rx.cond(
            request["expired"].to(str) != "",
            rx.el.p(
                "Ce devis n'est plus valable : demandez une nouvelle version à l'organisme.", class_name="field__error"
            ),
        ),
        rx.cond(request["decline_reason"].to(str) != "", rx.el.p("Motif : ", request["decline_reason"].to(str))),
        quote_versions(request["versions"].to(list[dict])),
        _actions(request),
        rx.cond(Q.accepting == rid, _accept_form(request)),
        rx.cond(Q.refusing == rid, _refuse_form(request)),
        class_name="quote-request",
    )


def _request_form() -> rx.Component:
    return form(
        rx.el.h3("Demander un devis à un organisme"),
        rx.el.p("L'organisme recevra par e-mail un lien personnel pour vous répondre, sans créer de compte."),
        text_field("provider_name", "Raison sociale de l'organisme", E, autocomplete="organization"),
        text_field(
            "provider_siret",
            "Numéro SIRET de l'organisme",
            E,
            hint="14 chiffres.",
            width="input--medium",
            input_mode="numeric",
        ),
        text_field("provider_email", "Adresse e-mail de contact de l'organisme", E, type="email", autocomplete="off"),
        rx.el.div(submit_button("Demander un devis"), class_name="form-actions"),
        on_submit=Q.request_quote,
        key=Q.form_key.to_string(),
    )


def quote_panel() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Devis de l'organisme de formation", id="devis"),
        rx.el.p(
            "Demandez un devis à l'organisme : une fois accepté, il remplit les informations de la formation "
            "ci-dessous et est joint à votre dossier avec le programme."
        ),
        error_summary(Q.error_items),
        rx.el.div(
            rx.cond(Q.flash != "", notice(rx.el.p(Q.flash), kind="success")),
            rx.cond(Q.problem != "", notice(rx.el.p(Q.problem), kind="error")),
            id="devis-message",
            tab_index=-1,
        ),
        rx.foreach(Q.requests, _request),
        rx.cond(
            Q.holds,
            notice(
                rx.el.p(
                    "Les informations de la formation ci-dessous viennent du devis accepté : elles ne sont pas "
                    "modifiables tant que ce devis reste accepté."
                )
            ),
            _request_form(),
        ),
        class_name="quote-panel",
    )
