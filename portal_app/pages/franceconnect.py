import reflex as rx

from portal_app import routes
from portal_app.components.forms import checkbox_field, error_summary, form, notice, submit_button, text_field
from portal_app.components.layout import page
from portal_app.components.password import password_field
from portal_app.components.portal_page import portal_page
from portal_app.components.titles import page_title
from portal_app.states.franceconnect import FranceConnectState as S


def _identity() -> rx.Component:
    return rx.el.div(
        rx.el.h2("Informations transmises par FranceConnect"),
        rx.el.dl(
            rx.el.dt("Prénoms et nom de naissance"),
            rx.el.dd(S.full_name),
            rx.cond(S.usage_name != "", rx.fragment(rx.el.dt("Nom d'usage"), rx.el.dd(S.usage_name))),
            rx.el.dt("Date de naissance"),
            rx.el.dd(S.birth_date),
            rx.cond(S.birthplace != "", rx.fragment(rx.el.dt("Lieu de naissance"), rx.el.dd(S.birthplace))),
        ),
        class_name="certified",
    )


def _message() -> rx.Component:
    return rx.cond(S.message != "", notice(rx.el.p(S.message), kind="error", role="alert"))


def _confirm_form() -> rx.Component:
    return rx.fragment(
        rx.el.p(
            "Pour créer votre compte, confirmez l'adresse e-mail où le portail vous écrira, et acceptez les conditions."
        ),
        _identity(),
        _message(),
        error_summary(S.error_items),
        form(
            text_field(
                "email",
                "Adresse e-mail",
                S.errors,
                type="email",
                autocomplete="email",
                default_value=S.email,
                hint="Celle transmise par FranceConnect. Une autre adresse sera confirmée par un lien envoyé par e-mail.",
                spell_check=False,
                auto_capitalize="none",
            ),
            checkbox_field(
                "accept_terms",
                rx.fragment(
                    "J'ai lu et j'accepte les ",
                    rx.el.a("conditions générales d'utilisation", href=routes.TERMS, target="_blank"),
                    " (nouvelle fenêtre)",
                ),
                S.errors,
            ),
            rx.el.div(submit_button("Créer mon compte", "Création en cours…"), class_name="form-actions"),
            on_submit=S.confirm,
            key="fc-confirm",
        ),
    )


def _password_form() -> rx.Component:
    return rx.fragment(
        rx.el.p(
            "Un compte utilise déjà l'adresse ",
            rx.el.strong(S.email),
            ". Si c'est le vôtre, indiquez son mot de passe : votre identité FranceConnect lui sera reliée.",
        ),
        _message(),
        error_summary(S.error_items),
        form(
            password_field("password", "Mot de passe du compte", S.errors, autocomplete="current-password"),
            rx.el.p(rx.el.a("Mot de passe oublié ?", href=routes.PASSWORD_RESET)),
            rx.el.div(submit_button("Relier mon compte", "Vérification…"), class_name="form-actions"),
            on_submit=S.link,
            key="fc-link",
        ),
        rx.el.h2("Mot de passe oublié, ou compte sans mot de passe ?"),
        rx.el.p(
            "Recevez plutôt un lien à cette adresse : ouvert dans ce navigateur, il relie votre identité "
            "FranceConnect à ce compte."
        ),
        form(
            rx.el.div(
                rx.el.button("Recevoir un lien par e-mail", type="submit", class_name="button button--secondary"),
                class_name="form-actions",
            ),
            on_submit=S.mail_link,
            key="fc-link-mail",
        ),
    )


def _mailed() -> rx.Component:
    return notice(
        rx.el.p(
            "Un e-mail vient d'être envoyé à ",
            rx.el.strong(S.email),
            " : ouvrez le lien qu'il contient pour terminer, de préférence dans ce navigateur. "
            "Vous pourrez ensuite vous connecter avec FranceConnect.",
        ),
        kind="success",
    )


def _expired() -> rx.Component:
    return rx.fragment(
        notice(
            rx.el.p(
                "Aucune connexion FranceConnect n'est en cours, ou elle date de plus de 30 minutes. "
                "Recommencez depuis la page de connexion."
            ),
            kind="info",
        ),
        rx.el.p(rx.el.a("Aller à la page de connexion", href=routes.LOGIN)),
    )


@portal_page(
    routes.FC_CONFIRM,
    rx.cond(
        S.error_items.length() > 0,
        page_title("Votre compte avec FranceConnect", error=True),
        page_title("Votre compte avec FranceConnect"),
    ),
    guests_only=True,
    on_load=S.load,
)
def franceconnect_confirmation() -> rx.Component:
    return page(
        rx.el.h1("Votre compte avec FranceConnect"),
        rx.match(
            S.step,
            ("form", _confirm_form()),
            ("password", _password_form()),
            ("mailed", _mailed()),
            ("expired", _expired()),
            rx.fragment(),
        ),
    )
