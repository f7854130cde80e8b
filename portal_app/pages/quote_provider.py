"""/devis?jeton=…: a training provider answers a quote request through its private link."""

import reflex as rx

from portal_app import routes
from portal_app.components.forms import error_summary, field_error, field_id, form, notice, submit_button, text_field
from portal_app.components.layout import after_load, page
from portal_app.components.portal_page import portal_page
from portal_app.components.quote_versions import quote_versions
from portal_app.components.titles import page_title
from portal_app.components.upload_zone import describe_rejections, upload_results, upload_zone
from portal_app.domain.quotes.rules import FORM_FIELDS
from portal_app.states.quote_provider import QuoteProviderState as S

E = S.errors
UPLOAD_ID = "programme-devis"
RULES_ID = "programme-devis-regles"
DATES = ("start_date", "end_date", "valid_until")
HINTS = {
    "certification_code": "Par exemple RNCP35185 ou RS5487.",
    "hours_training": "Nombre entier d'heures.",
    "hours_company": "Stage ou période en entreprise ; 0 s'il n'y en a pas.",
    "price_teaching": "Toutes taxes comprises, par exemple 8 450,00.",
    "price_extra": "Transport, hébergement, matériel ; 0 s'il n'y en a pas.",
}
WIDTHS = {"location_postal_code": "input--short", "hours_training": "input--short", "hours_company": "input--short"}


def _wished() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Ce que la personne demande"),
        rx.el.dl(
            rx.foreach(
                S.wished,
                lambda row: rx.el.div(
                    rx.el.dt(row[0], class_name="summary-list__key"),
                    rx.el.dd(row[1], class_name="summary-list__value"),
                    class_name="summary-list__row",
                ),
            ),
            class_name="summary-list",
        ),
    )


def _quote_form() -> rx.Component:
    return form(
        rx.el.h2(rx.cond(S.versions.length() > 0, "Envoyer un devis révisé", "Votre devis")),
        rx.el.p(
            rx.cond(
                S.versions.length() > 0,
                "Le formulaire reprend votre dernière version : modifiez ce qui change. Tous les champs sont obligatoires.",
                "Tous les champs sont obligatoires.",
            )
        ),
        *[
            text_field(
                name,
                label,
                E,
                type="date" if name in DATES else "text",
                hint=HINTS.get(name, ""),
                width=WIDTHS.get(name, ""),
                input_mode="decimal" if name.startswith("price") else ("numeric" if "hours" in name else None),
                default_value=S.form_values[name].to(str),
            )
            for name, label in FORM_FIELDS
        ],
        rx.el.div(
            rx.el.h3("Programme détaillé de la formation", id=field_id("programme")),
            rx.el.p(
                rx.cond(
                    S.versions.length() > 0,
                    "Un fichier PDF de 5 Mo au plus. Sans nouveau fichier, le programme de la version précédente est repris.",
                    "Un fichier PDF de 5 Mo au plus.",
                ),
                id=RULES_ID,
                class_name="field__hint",
            ),
            field_error("programme", E),
            upload_zone(
                UPLOAD_ID,
                on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=S.upload_progress), UPLOAD_ID),
                on_drop_rejected=lambda rejected: S.rejected(describe_rejections(rejected)),
                uploading=S.uploading,
                progress=S.progress,
                multiple=False,
                rules_id=RULES_ID,
            ),
            upload_results(S.results),
            rx.cond(S.programme_name != "", rx.el.p("Programme prêt à être joint : ", S.programme_name)),
            class_name="field",
        ),
        rx.el.div(submit_button("Envoyer le devis"), class_name="form-actions"),
        on_submit=S.send,
        reset_on_submit=False,
        # Drawn again with the latest version's values once a version is sent.
        key=S.versions.length().to_string(),
    )


def _decline_form() -> rx.Component:
    return form(
        rx.el.h2("Ne pas donner suite"),
        rx.el.div(
            rx.el.label("Motif", html_for=field_id("reason"), class_name="field__label"),
            rx.el.p(
                "La personne le lira, pour s'adresser à un autre organisme.",
                id=field_id("reason") + "-aide",
                class_name="field__hint",
            ),
            field_error("reason", E),
            rx.el.textarea(
                id=field_id("reason"),
                name="reason",
                rows=4,
                aria_describedby=field_id("reason") + "-aide",
                class_name="textarea",
            ),
            class_name="field",
        ),
        rx.el.div(
            rx.el.button("Décliner la demande", type="submit", class_name="button button--secondary"),
            class_name="form-actions",
        ),
        on_submit=S.decline,
    )


def _open() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Demande de devis de formation"),
        rx.el.p("Adressée à ", rx.el.strong(S.provider_name), "."),
        notice(rx.el.p(S.status_label)),
        rx.cond(S.problem != "", notice(rx.el.p(S.problem), kind="warning")),
        error_summary(S.error_items),
        _wished(),
        rx.cond(S.versions.length() > 0, rx.el.section(rx.el.h2("Vos devis envoyés"), quote_versions(S.versions))),
        rx.cond(S.may_quote, rx.fragment(_quote_form(), _decline_form())),
    )


def _sent() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Votre devis est envoyé"),
        notice(
            rx.el.p("La personne est prévenue par e-mail. Vous serez prévenu(e) de sa réponse."),
            kind="success",
        ),
        rx.el.button("Revoir la demande", type="button", on_click=S.revise, class_name="button button--secondary"),
    )


def _declined() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Demande déclinée"),
        notice(rx.el.p("La personne est prévenue par e-mail de votre réponse."), kind="success"),
    )


def _invalid() -> rx.Component:
    return rx.fragment(rx.el.h1("Ce lien ne fonctionne pas"), notice(rx.el.p(S.problem), kind="warning"))


@portal_page(
    routes.QUOTE_PROVIDER,
    rx.match(
        S.step,
        ("invalid", page_title("Lien plus valable", "Demande de devis")),
        ("sent", page_title("Devis envoyé", "Demande de devis")),
        ("declined", page_title("Demande déclinée", "Demande de devis")),
        page_title("Demande de devis de formation"),
    ),
    on_load=S.load,
)
def devis() -> rx.Component:
    return page(
        after_load(
            rx.match(
                S.step,
                ("invalid", _invalid()),
                ("sent", _sent()),
                ("declined", _declined()),
                ("open", _open()),
                rx.el.p("Chargement…", class_name="loading", role="status"),
            )
        )
    )
