"""The employer space: règlements (home), first-login personalisation and confirmation."""

import reflex as rx

from portal_app.components.backend import file_link
from portal_app.components.employer import loading_or, search_field, space_header
from portal_app.components.forms import checkbox_field, error_summary, form, notice, submit_button, text_field
from portal_app.components.layout import page
from portal_app.components.password import new_password_pair, password_field
from portal_app.components.titles import page_title
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.employer import ConfirmState, MonthView, PersonaliseState, ReglementsState, RowView
from portal_app.states.session import SessionState

R = ReglementsState


def _search_form() -> rx.Component:
    return form(
        rx.el.fieldset(
            rx.el.legend("Rechercher des règlements", class_name="search__legend"),
            rx.el.div(
                search_field("start", "Réglés à partir du", R.errors, type="date"),
                search_field("end", "Réglés jusqu'au", R.errors, type="date"),
                search_field("dossier", "N° de dossier", R.errors, spell_check=False),
                search_field("number", "N° de règlement", R.errors, input_mode="numeric"),
                class_name="search__grid",
            ),
            checkbox_field("unpointed", "Non pointés seulement", R.errors),
            rx.el.div(
                submit_button("Rechercher", "Recherche…"),
                rx.el.a(
                    "Effacer les critères",
                    href="/employeur",
                    reload_document=True,
                    class_name="button button--secondary",
                ),
                class_name="form-actions",
            ),
            class_name="fieldset",
        ),
        on_submit=R.search,
        no_validate=True,
        class_name="form search card",
        role="search",
        aria_label="Rechercher des règlements",
    )


def _row(row: RowView) -> rx.Component:
    checkbox_id = "pointer-" + row.id.to(str)
    return rx.el.li(
        rx.el.div(
            rx.el.p(
                rx.el.span(row.paid_on, class_name="reglement__date"),
                rx.el.span(" – Dossier ", row.dossier),
                rx.el.span(" – ", row.beneficiary),
                class_name="reglement__head",
            ),
            rx.el.p(row.formation, class_name="reglement__formation"),
            rx.el.p(row.detail, class_name="reglement__detail"),
            rx.cond(
                row.avis_href != "",
                file_link(
                    "Avis de virement",
                    rx.el.span(" du règlement n°", row.number, " (PDF)", class_name="sr-only"),
                    href=row.avis_href,
                    class_name="reglement__avis",
                ),
            ),
            class_name="reglement__main",
        ),
        rx.el.div(
            rx.el.p(row.amount, class_name="reglement__amount"),
            rx.el.div(
                rx.el.input(
                    id=checkbox_id,
                    type="checkbox",
                    checked=row.pointed,
                    on_change=lambda checked: R.toggle_pointed(row.id, checked),
                    class_name="checkbox__input",
                ),
                rx.el.label(
                    "Pointé",
                    rx.el.span(" : règlement n°", row.number, class_name="sr-only"),
                    html_for=checkbox_id,
                    class_name="checkbox__label",
                ),
                class_name="checkbox",
            ),
            class_name="reglement__side",
        ),
        class_name=rx.cond(row.pointed, "reglement reglement--pointed", "reglement"),
    )


def _month(month: MonthView) -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.h3(month.label, id=month.heading_id),
            rx.el.p(month.count, " – total ", rx.el.strong(month.total), class_name="month__total"),
            class_name="month__head",
        ),
        rx.el.ul(rx.foreach(month.rows, _row), class_name="reglements"),
        aria_labelledby=month.heading_id,
        class_name="month",
    )


def _results() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.h2("Vos règlements", class_name="results__title"),
            rx.cond(
                R.months.length() > 0,
                file_link("Exporter (Excel)", href=R.export_href, class_name="button button--secondary"),
            ),
            class_name="results__head",
        ),
        rx.el.p(R.summary, class_name="results__summary", aria_live="polite", id="resultats-resume"),
        rx.cond(
            R.months.length() > 0,
            rx.foreach(R.months, _month),
            notice(
                rx.cond(
                    R.has_any,
                    rx.el.p("Aucun règlement ne correspond à votre recherche. Modifiez ou effacez les critères."),
                    rx.el.p("Vous n'avez encore reçu aucun règlement."),
                ),
                kind="info",
            ),
        ),
    )


@rx.page(
    route="/employeur", title="Règlements — Espace employeur — Portail", on_load=[SessionState.guard_employer, R.load]
)
def employeur() -> rx.Component:
    return page(
        loading_or(
            R.ready,
            space_header(R.company_name, R.siret, "/employeur"),
            rx.el.p(
                "Les règlements que l'agence vous a versés, regroupés par mois. Cochez « Pointé » "
                "quand vous avez rapproché un règlement de vos comptes : c'est enregistré aussitôt.",
            ),
            error_summary(R.error_items),
            _search_form(),
            _results(),
        ),
        width="wide",
    )


# ---------------------------------------------------------------- personalisation

P = PersonaliseState


def _personalise_form() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Personnalisez votre accès"),
        rx.el.p(
            "Pour votre première connexion, choisissez l'identifiant et le mot de passe que vous utiliserez "
            "désormais. Votre identifiant et votre mot de passe provisoires cesseront alors de fonctionner."
        ),
        error_summary(P.error_items),
        form(
            text_field(
                "identifier",
                "Votre nouvel identifiant",
                P.errors,
                hint="De 6 à 40 caractères : lettres sans accent, chiffres, points, tirets. Par exemple : boulangerie-dupont.",
                autocomplete="username",
                spell_check=False,
                auto_capitalize="none",
                width="input--medium",
            ),
            new_password_pair(
                P.errors,
                P.checks,
                P.password_typed,
                label="Votre nouveau mot de passe",
                confirm_label="Confirmez votre nouveau mot de passe",
                boxed_checklist=True,
                hint=(
                    "Vous connaissez peut-être la règle de l'ancien espace employeur : 8 caractères, une majuscule "
                    "et un caractère spécial. Elle reste valable, et le Portail demande en plus au moins 12 caractères "
                    "et 3 types de caractères."
                ),
            ),
            rx.el.div(submit_button("Enregistrer"), class_name="form-actions"),
            on_submit=P.submit,
            no_validate=True,
            class_name="form",
        ),
    )


def _waiting() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Consultez votre messagerie"),
        notice(
            rx.el.p(
                "Votre identifiant et votre mot de passe sont enregistrés. Nous avons envoyé à ",
                rx.el.strong(P.email_hint),
                " un e-mail qui rappelle votre ancien et votre nouvel identifiant, avec un lien de confirmation.",
            ),
            rx.el.p(
                f"Ouvrez ce lien pour accéder à votre espace. Il est valable {validity(Purpose.EMPLOYER_CONFIRMATION)} et ne sert qu'une fois."
            ),
            kind="success",
        ),
        rx.cond(
            P.resent,
            notice(
                rx.el.p("Un nouveau lien vient de vous être envoyé : seul le dernier reçu fonctionne."), kind="info"
            ),
            rx.el.button(
                "Recevoir un nouveau lien", type="button", on_click=P.resend, class_name="button button--secondary"
            ),
        ),
    )


@rx.page(
    route="/employeur/personnalisation",
    title=rx.cond(
        P.stage == "confirm", page_title("Consultez votre messagerie"), page_title("Personnalisez votre accès")
    ),
    on_load=[SessionState.guard_employer, P.load],
)
def personnalisation() -> rx.Component:
    return page(
        rx.match(
            P.stage,
            ("personalise", _personalise_form()),
            ("confirm", _waiting()),
            rx.el.p("Chargement…", class_name="loading", role="status"),
        )
    )


# ---------------------------------------------------------------- confirmation

C = ConfirmState


def _confirm_form() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Confirmez l'accès à votre espace"),
        rx.el.p(
            "Dernière étape : saisissez une fois encore le mot de passe que vous venez de choisir, et acceptez la politique de confidentialité."
        ),
        error_summary(C.error_items),
        form(
            password_field("password", "Votre nouveau mot de passe", C.errors, autocomplete="current-password"),
            checkbox_field(
                "accept_privacy",
                rx.fragment(
                    "J'ai lu et j'accepte la ",
                    rx.el.a("politique de confidentialité", href="/donnees-personnelles", target="_blank"),
                    rx.el.span(" (s'ouvre dans un nouvel onglet)", class_name="sr-only"),
                ),
                C.errors,
            ),
            rx.el.div(submit_button("Confirmer"), class_name="form-actions"),
            on_submit=C.submit,
            no_validate=True,
            class_name="form",
        ),
    )


def _confirm_done() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Votre espace est prêt"),
        notice(
            rx.el.p(
                "Votre accès est confirmé. Désormais, connectez-vous avec votre nouvel identifiant et votre mot de passe."
            ),
            kind="success",
        ),
        rx.el.a("Accéder à mon espace personnel", href="/employeur", class_name="button button--primary"),
    )


def _confirm_invalid() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Ce lien n'est plus valable"),
        notice(
            rx.match(
                C.outcome,
                (
                    "used",
                    rx.el.p(
                        "Ce lien a déjà servi : votre accès est confirmé. Connectez-vous avec votre nouvel identifiant."
                    ),
                ),
                (
                    "expired",
                    rx.el.p(
                        f"Ce lien a expiré : il était valable {validity(Purpose.EMPLOYER_CONFIRMATION)} seulement. Connectez-vous pour en recevoir un nouveau."
                    ),
                ),
                (
                    "superseded",
                    rx.el.p("Un lien plus récent vous a été envoyé : seul le dernier lien reçu fonctionne."),
                ),
                rx.el.p("Ce lien est incomplet ou inconnu. Vérifiez que vous avez copié l'adresse en entier."),
            ),
            kind="warning",
        ),
        rx.el.a("Se connecter", href="/connexion", class_name="button button--primary"),
    )


@rx.page(
    route="/employeur/confirmation",
    title=rx.match(
        C.outcome,
        ("done", page_title("Votre espace est prêt")),
        ("", page_title("Confirmez l'accès à votre espace")),
        ("valid", page_title("Confirmez l'accès à votre espace")),
        page_title("Lien plus valable", "Espace employeur"),
    ),
    on_load=[SessionState.load_visitor, C.load],
)
def confirmation() -> rx.Component:
    return page(
        rx.match(
            C.outcome,
            ("", rx.el.p("Chargement…", class_name="loading", role="status")),
            ("valid", _confirm_form()),
            ("done", _confirm_done()),
            _confirm_invalid(),
        )
    )
