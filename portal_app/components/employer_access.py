"""The employer's way in: the first-login personalisation (identifier and password), the wait for the
mailed link, and the confirmation that opens the space."""

from __future__ import annotations

import reflex as rx

from portal_app.components.forms import checkbox_field, error_summary, form, notice, submit_button, text_field
from portal_app.components.outcome import button_link, dead_link, outcome_screen
from portal_app.components.password import new_password_pair, password_field
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.employer import ConfirmState, PersonaliseState

P = PersonaliseState
C = ConfirmState


def personalise_form() -> rx.Component:
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


def waiting_for_link() -> rx.Component:
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


def confirm_form() -> rx.Component:
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


def confirm_done() -> rx.Component:
    return outcome_screen(
        "Votre espace est prêt",
        "Votre accès est confirmé. Désormais, connectez-vous avec votre nouvel identifiant et votre mot de passe.",
        next_step=button_link("Accéder à mon espace personnel", "/employeur"),
    )


def confirm_invalid() -> rx.Component:
    return dead_link(
        C.outcome,
        used="Ce lien a déjà servi : votre accès est confirmé. Connectez-vous avec votre nouvel identifiant.",
        expired=f"Ce lien a expiré : il était valable {validity(Purpose.EMPLOYER_CONFIRMATION)} seulement. "
        "Connectez-vous pour en recevoir un nouveau.",
        next_step=button_link("Se connecter", "/connexion"),
    )
