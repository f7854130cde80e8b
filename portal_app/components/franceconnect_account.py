"""Mon compte: the FranceConnect section (certified identity, unlink)."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import error_summary, form, notice, submit_button
from portal_app.components.password import password_field
from portal_app.states.franceconnect_account import FranceConnectAccountState as F


def _linked() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            rx.el.h3("Informations transmises par FranceConnect"),
            rx.el.p(
                "Votre nom de naissance, vos prénoms, votre date de naissance, votre lieu de naissance et votre sexe "
                "sont certifiés par FranceConnect : ils ne peuvent pas être modifiés ici."
            ),
            rx.el.dl(
                rx.cond(F.gender != "", rx.fragment(rx.el.dt("Sexe"), rx.el.dd(F.gender))),
                rx.cond(F.birthplace != "", rx.fragment(rx.el.dt("Lieu de naissance"), rx.el.dd(F.birthplace))),
                class_name="definition",
            ),
            class_name="certified",
        ),
        rx.el.h3("Délier FranceConnect"),
        rx.cond(
            F.has_password,
            rx.fragment(
                rx.el.p("Vous vous connecterez ensuite avec votre adresse e-mail et votre mot de passe."),
                error_summary(F.error_items),
                form(
                    password_field(
                        "fc_password",
                        "Votre mot de passe, pour délier FranceConnect",
                        F.errors,
                        autocomplete="current-password",
                    ),
                    rx.el.div(
                        submit_button("Délier FranceConnect", "Vérification…"),
                        class_name="form-actions",
                    ),
                    on_submit=F.unlink,
                    key="fc-unlink",
                ),
            ),
            rx.el.p(
                "Pour délier FranceConnect, choisissez d'abord un mot de passe (",
                rx.el.a("Mot de passe oublié", href=routes.PASSWORD_RESET),
                ") : sans lui, vous ne pourriez plus vous connecter.",
            ),
        ),
    )


def franceconnect_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("FranceConnect", id="titre-franceconnect"),
        rx.cond(
            F.linked,
            _linked(),
            rx.el.p(
                "Votre compte n'est pas relié à FranceConnect. Pour le relier, connectez-vous avec FranceConnect : "
                "si l'adresse e-mail transmise est celle de ce compte, son mot de passe vous sera demandé."
            ),
        ),
        rx.cond(F.unlinked, notice(rx.el.p("FranceConnect est délié de votre compte."), kind="success")),
        id="franceconnect",
        aria_labelledby="titre-franceconnect",
        class_name="card",
    )
