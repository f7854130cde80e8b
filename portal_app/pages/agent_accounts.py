import reflex as rx

from portal_app import routes
from portal_app.components.agent_nav import agent_nav
from portal_app.components.confirm_panel import confirm_panel
from portal_app.components.forms import (
    error_summary,
    form,
    notice,
    submit_button,
    text_field,
)
from portal_app.components.layout import after_load, page, protected
from portal_app.components.portal_page import portal_page
from portal_app.domain.core.wording import duration
from portal_app.domain.employer.onboarding import PROVISIONAL_VALIDITY
from portal_app.models import Role
from portal_app.states.agent_accounts import AgentAccountsState as S
from portal_app.states.agent_employers import AgentEmployerState


def _account(title: str, name, email, created) -> rx.Component:
    return rx.el.div(
        rx.el.h3(title),
        rx.el.p(rx.el.strong(name)),
        rx.el.p(email, class_name="doc-name"),
        rx.el.p("Créé le ", created, class_name="muted"),
        class_name="merge__account",
    )


def _pair(pair) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            _account("Compte à fermer (doublon)", pair.duplicate_name, pair.duplicate_email, pair.duplicate_created),
            _account("Compte conservé", pair.kept_name, pair.kept_email, pair.kept_created),
            class_name="merge__accounts",
        ),
        rx.cond(
            S.confirm_id == pair.duplicate_id,
            confirm_panel(
                rx.el.p(
                    rx.el.strong("Fusionner ces comptes ?"),
                    " Les dossiers, documents et échanges du doublon passent au "
                    "compte conservé ; le doublon est fermé définitivement. Les deux adresses sont prévenues.",
                ),
                confirm_label="Oui, fusionner",
                on_confirm=S.merge(pair.duplicate_id, pair.kept_id),
                on_cancel=S.cancel_merge,
                class_name="notice notice--warning",
                id="confirmer-fusion-" + pair.duplicate_id.to_string(),
                aria_label="Confirmer la fusion",
                tab_index=-1,
            ),
            rx.el.button(
                "Fusionner dans le compte conservé",
                rx.el.span(" : ", pair.duplicate_email, class_name="sr-only"),
                type="button",
                on_click=S.ask_merge(pair.duplicate_id),
                class_name="button button--primary",
            ),
        ),
        class_name="card",
    )


def _duplicates() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Comptes en double à fusionner"),
        rx.el.p(
            "Ces comptes ont été créés avec un numéro de sécurité sociale déjà utilisé par un autre compte.",
            class_name="muted",
        ),
        rx.cond(S.flash != "", notice(rx.el.p(S.flash), kind="success", id="message-fusion", tab_index=-1)),
        rx.cond(S.error != "", notice(rx.el.p(S.error), kind="error", id="message-fusion", tab_index=-1, role="alert")),
        rx.cond(
            S.pairs.length() > 0,  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
            rx.el.ul(rx.foreach(S.pairs, _pair), class_name="dossier-list"),
            rx.el.p("Aucun compte en double à traiter.", class_name="card"),
        ),
    )


def _new_agent() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Créer un compte agent"),
        rx.el.p(
            "L'agent reçoit par e-mail un lien pour choisir son mot de passe : aucun mot de passe n'est envoyé.",
            class_name="muted",
        ),
        rx.cond(
            S.created_email != "",
            notice(
                rx.el.p(
                    "Compte agent créé. Un lien pour choisir son mot de passe a été envoyé à ",
                    rx.el.strong(S.created_email),
                    ".",
                ),
                kind="success",
                id="message-nouvel-agent",
                tab_index=-1,
            ),
        ),
        error_summary(S.error_items),
        form(
            text_field("email", "Adresse e-mail", S.errors, type="email", autocomplete="off", spell_check=False),
            text_field("first_names", "Prénom", S.errors, autocomplete="off"),
            text_field("birth_name", "Nom", S.errors, autocomplete="off"),
            rx.el.div(submit_button("Créer le compte agent", "Création en cours…"), class_name="form-actions"),
            on_submit=S.create_agent,
            id="form-nouvel-agent",
        ),
        class_name="narrow-section",
    )


def _new_employer() -> rx.Component:
    E = AgentEmployerState
    return rx.el.section(
        rx.el.h2("Créer un compte employeur"),
        rx.el.p(
            f"L'employeur reçoit par e-mail un identifiant et un mot de passe provisoires, valables {duration(PROVISIONAL_VALIDITY)} ; "
            "il les personnalise à sa première connexion. Vous ne voyez jamais ce mot de passe.",
            class_name="muted",
        ),
        rx.cond(
            E.created_company != "",
            notice(
                rx.el.p("Compte employeur créé pour ", rx.el.strong(E.created_company), "."),
                rx.cond(
                    E.mail_failed,
                    rx.el.p(
                        "L'e-mail n'a pas pu être envoyé : l'employeur pourra utiliser « Mot de passe oublié » "
                        "avec son adresse e-mail."
                    ),
                    rx.el.p("Ses identifiants provisoires lui ont été envoyés par e-mail."),
                ),
                kind="success",
                id="message-nouvel-employeur",
                tab_index=-1,
            ),
        ),
        error_summary(E.error_items),
        form(
            text_field("company_name", "Raison sociale", E.errors, autocomplete="off"),
            text_field(
                "siret",
                "Numéro SIRET",
                E.errors,
                autocomplete="off",
                hint="14 chiffres, espaces permis.",
                input_mode="numeric",
                width="input--medium",
            ),
            text_field(
                "employer_email",
                "Adresse e-mail de contact",
                E.errors,
                type="email",
                autocomplete="off",
                spell_check=False,
            ),
            rx.el.div(submit_button("Créer le compte employeur", "Création en cours…"), class_name="form-actions"),
            on_submit=E.create_employer,
            id="form-nouvel-employeur",
        ),
        class_name="narrow-section",
    )


@portal_page(
    routes.AGENT_ACCOUNTS, "Comptes — Back office — Portail", role=Role.AGENT, on_load=[S.load, AgentEmployerState.load]
)
def agent_comptes() -> rx.Component:
    return page(
        protected(
            after_load(
                rx.el.h1("Comptes"),
                agent_nav("/agent/comptes"),
                _duplicates(),
                _new_agent(),
                _new_employer(),
            )
        ),
        width="wide",
    )
