import reflex as rx

from portal_app import routes
from portal_app.components.account_sections import SECTIONS, account_section, form_summary, information, saved_notice
from portal_app.components.anchors import in_page_link
from portal_app.components.forms import checkbox_field, email_field, form, notice, submit_button
from portal_app.components.franceconnect_account import franceconnect_section
from portal_app.components.layout import page, protected
from portal_app.components.password import new_password_pair, password_field
from portal_app.components.portal_page import portal_page
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.account import AccountState
from portal_app.states.data_export import DataExportState
from portal_app.states.franceconnect_account import FranceConnectAccountState
from portal_app.states.guard import ANY_ROLE

S = AccountState
E = AccountState.errors


def _section_nav() -> rx.Component:
    return rx.el.nav(
        rx.el.ul(
            *[
                rx.el.li(in_page_link(title, href=f"#{anchor}"))
                for anchor, title in SECTIONS
                if anchor != "supprimer-mon-compte"
            ],
            rx.cond(S.can_delete, rx.el.li(in_page_link("Supprimer mon compte", href="#supprimer-mon-compte"))),
            # The people and companies a beneficiary files for have their own page.
            rx.cond(S.can_delete, rx.el.li(rx.el.a("Mes relations", href=routes.RELATIONS))),
            class_name="section-nav",
        ),
        aria_label="Sur cette page",
    )


def _password() -> rx.Component:
    return account_section(
        "mot-de-passe",
        rx.el.p(
            "Une fois le mot de passe modifié, vous serez déconnecté de tous vos appareils, y compris celui-ci : "
            "vous vous reconnecterez avec le nouveau mot de passe."
        ),
        form_summary("password"),
        form(
            # Lets password managers file the new password under the right account.
            rx.el.input(
                type="text",
                name="username",
                auto_complete="username",
                default_value=S.email,
                hidden=True,
                read_only=True,
            ),
            password_field("current_password", "Mot de passe actuel", E, autocomplete="current-password"),
            new_password_pair(
                E,
                S.checks,
                S.password_typed,
                label="Nouveau mot de passe",
                confirm_label="Confirmation du nouveau mot de passe",
            ),
            rx.el.div(submit_button("Modifier mon mot de passe"), class_name="form-actions"),
            on_submit=S.change_password,
            no_validate=True,
            class_name="form",
        ),
    )


def _email() -> rx.Component:
    return account_section(
        "adresse-e-mail",
        rx.el.p("Adresse de connexion actuelle : ", rx.el.strong(S.email)),
        rx.el.p(
            "Nous enverrons un lien de confirmation à la nouvelle adresse. Votre adresse ne changera "
            f"qu'après avoir cliqué sur ce lien, valable {validity(Purpose.EMAIL_CHANGE)}."
        ),
        form_summary("email"),
        form(
            email_field(E, "new_email", "Nouvelle adresse e-mail"),
            password_field(
                "email_password",
                "Mot de passe",
                E,
                autocomplete="current-password",
                hint="Par sécurité, saisissez votre mot de passe actuel.",
            ),
            rx.el.div(submit_button("Recevoir le lien de confirmation"), class_name="form-actions"),
            on_submit=S.request_email_change,
            no_validate=True,
            id="formulaire-adresse-e-mail",
            class_name="form",
        ),
        rx.cond(
            S.saved == "email",
            notice(
                rx.el.p(
                    "Un lien de confirmation a été envoyé à la nouvelle adresse. Votre adresse de connexion "
                    "ne changera qu'après avoir cliqué sur ce lien."
                ),
                rx.el.p("Adresse indiquée : ", rx.el.strong(S.email_sent_to)),
                rx.el.p("Si vous faites plusieurs demandes, seul le lien du dernier e-mail reçu fonctionne."),
                kind="success",
            ),
        ),
    )


def _notifications() -> rx.Component:
    return account_section(
        "notifications",
        form_summary("preferences"),
        form(
            rx.el.fieldset(
                rx.el.legend("M'envoyer un e-mail pour :", class_name="field__label"),
                checkbox_field(
                    "notify_status", "Les changements de statut de mes démarches", E, default_checked=S.notify_status
                ),
                checkbox_field(
                    "notify_messages", "Les nouveaux messages de l'agence", E, default_checked=S.notify_messages
                ),
                class_name="fieldset",
            ),
            rx.el.p(
                "Les e-mails de sécurité (connexion, mot de passe, adresse e-mail) vous sont toujours envoyés.",
                class_name="muted",
            ),
            rx.el.div(submit_button("Enregistrer mes préférences"), class_name="form-actions"),
            on_submit=S.save_preferences,
            no_validate=True,
            class_name="form",
        ),
        saved_notice("preferences", "Vos préférences ont été enregistrées."),
    )


def _device(device) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            rx.el.strong(device["agent"]),
            rx.cond(device["current"] == "1", rx.el.span(" — cet appareil")),
        ),
        rx.el.p(
            "Connecté le ",
            device["since"],
            ", dernière activité le ",
            device["last_used"],
            class_name="muted",
        ),
    )


def _devices() -> rx.Component:
    return account_section(
        "appareils",
        rx.el.p("Votre compte est actuellement ouvert sur ces appareils (heure de Paris) :"),
        rx.el.ul(rx.foreach(S.devices, _device)),
        rx.el.p(
            "Vous ne reconnaissez pas un appareil ? Déconnectez-vous de tous les appareils, puis changez votre "
            "mot de passe. Vous serez aussi déconnecté de cet appareil."
        ),
        rx.el.button(
            "Se déconnecter de tous les appareils",
            type="button",
            on_click=S.logout_everywhere,
            class_name="button button--secondary",
        ),
    )


def _delete_form() -> rx.Component:
    return rx.fragment(
        form_summary("delete"),
        form(
            password_field(
                "delete_password",
                "Pour confirmer, saisissez votre mot de passe",
                E,
                autocomplete="current-password",
            ),
            rx.el.div(
                rx.el.button("Supprimer définitivement mon compte", type="submit", class_name="button button--danger"),
                rx.el.button("Annuler", type="button", on_click=S.cancel_delete, class_name="button button--secondary"),
                class_name="form-actions",
            ),
            on_submit=S.delete_account,
            no_validate=True,
            class_name="form",
        ),
    )


def _delete() -> rx.Component:
    return account_section(
        "supprimer-mon-compte",
        notice(
            rx.el.p(rx.el.strong("La suppression de votre compte est définitive : elle ne peut pas être annulée.")),
            rx.el.p("Seront supprimés :"),
            rx.el.ul(
                rx.el.li("vos informations personnelles (identité, coordonnées, préférences) ;"),
                rx.el.li("vos brouillons de démarches ;"),
                rx.el.li("les documents de votre porte-documents ;"),
                rx.el.li("vos connexions ouvertes sur tous vos appareils."),
            ),
            rx.el.p("Un e-mail vous confirmera la suppression."),
            kind="warning",
            role="note",
        ),
        rx.cond(
            S.confirm_delete,
            _delete_form(),
            rx.el.button(
                "Supprimer mon compte",
                type="button",
                on_click=S.ask_delete,
                id="bouton-supprimer-compte",
                class_name="button button--danger",
            ),
        ),
    )


def _my_data() -> rx.Component:
    return account_section(
        "mes-donnees",
        rx.el.p(
            "Téléchargez un fichier (zip) de tout ce que le portail garde sur vous : votre profil et vos "
            "préférences, vos dossiers avec leurs réponses, leur historique, leurs messages et notifications, "
            "vos pièces déposées et les documents de votre porte-documents."
        ),
        rx.el.p(
            "Nous le préparons en quelques minutes et vous envoyons un e-mail quand il est prêt. "
            "Le lien est valable 24 heures ; ensuite le fichier est supprimé.",
            class_name="muted",
        ),
        rx.cond(
            DataExportState.export_message != "",
            notice(rx.el.p(DataExportState.export_message), kind="success", id="message-mes-donnees", tab_index=-1),
        ),
        rx.cond(
            DataExportState.ready_link != "",
            rx.el.p(
                "Vos données sont prêtes : ",
                rx.el.a("télécharger le fichier zip", href=DataExportState.ready_link, id="lien-mes-donnees"),
                " (disponible jusqu'au ",
                DataExportState.ready_until,
                ").",
            ),
        ),
        rx.el.button(
            "Télécharger mes données",
            type="button",
            on_click=DataExportState.ask_export,
            class_name="button button--secondary",
        ),
    )


def _content() -> rx.Component:
    return rx.fragment(
        _section_nav(),
        information(),
        franceconnect_section(),
        _password(),
        _email(),
        _notifications(),
        _devices(),
        _my_data(),
        rx.cond(S.can_delete, _delete()),
    )


@portal_page(
    routes.ACCOUNT,
    "Mon compte — Portail",
    role=ANY_ROLE,
    on_load=[AccountState.load, FranceConnectAccountState.load, DataExportState.load],
)
def mon_compte() -> rx.Component:
    return page(
        rx.el.h1("Mon compte"),
        rx.cond(
            S.leaving != "",
            notice(rx.el.p(S.leaving), kind="success"),
            protected(rx.cond(S.loaded, _content(), rx.el.p("Chargement…", class_name="loading", role="status"))),
        ),
    )
