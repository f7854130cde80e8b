import reflex as rx

from portal_app.components.forms import checkbox_field, error_summary, form, notice, submit_button, text_field
from portal_app.components.layout import page, protected
from portal_app.components.password import new_password_pair, password_field
from portal_app.domain.core.tokens import Purpose, validity
from portal_app.states.account import AccountState
from portal_app.states.session import SessionState

S = AccountState
E = AccountState.errors

SECTIONS = (
    ("mes-informations", "Mes informations"),
    ("mot-de-passe", "Mot de passe"),
    ("adresse-e-mail", "Adresse e-mail"),
    ("notifications", "Notifications par e-mail"),
    ("appareils", "Appareils connectés"),
    ("supprimer-mon-compte", "Supprimer mon compte"),
)


def _section(anchor: str, *children) -> rx.Component:
    title = dict(SECTIONS)[anchor]
    return rx.el.section(
        rx.el.h2(title, id=f"titre-{anchor}"),
        *children,
        id=anchor,
        aria_labelledby=f"titre-{anchor}",
        class_name="card",
    )


def _summary(form: str) -> rx.Component:
    # Only the form submitted last has errors, so one summary at most is on the page.
    return rx.cond(S.form == form, error_summary(S.error_items))


def _saved(form: str, text: str) -> rx.Component:
    return rx.cond(S.saved == form, notice(rx.el.p(text), kind="success"))


def _section_nav() -> rx.Component:
    return rx.el.nav(
        rx.el.ul(
            *[
                rx.el.li(rx.el.a(title, href=f"#{anchor}"))
                for anchor, title in SECTIONS
                if anchor != "supprimer-mon-compte"
            ],
            rx.cond(S.can_delete, rx.el.li(rx.el.a("Supprimer mon compte", href="#supprimer-mon-compte"))),
            class_name="section-nav",
        ),
        aria_label="Sur cette page",
    )


def _row(term: str, *details) -> rx.Component:
    return rx.fragment(rx.el.dt(term), rx.el.dd(*details))


def _information() -> rx.Component:
    return _section(
        "mes-informations",
        rx.el.dl(
            _row(
                "Adresse e-mail",
                S.email,
                " ",
                rx.el.a("Modifier", rx.el.span(" l'adresse e-mail", class_name="sr-only"), href="#adresse-e-mail"),
            ),
            rx.cond(S.civility != "", _row("Civilité", S.civility)),
            rx.cond(S.birth_date != "", _row("Date de naissance", S.birth_date)),
            rx.cond(
                S.nir_display != "",
                _row(
                    "Numéro de sécurité sociale",
                    rx.el.span(S.nir_display, aria_hidden="true"),
                    rx.el.span(S.nir_spoken, class_name="sr-only"),
                ),
            ),
            class_name="definition",
        ),
        rx.el.p(
            "Votre civilité, votre date de naissance et votre numéro de sécurité sociale ne peuvent pas être "
            "modifiés en ligne. Si l'un d'eux est inexact, signalez-le à nos conseillers.",
            class_name="muted",
        ),
        rx.el.h3("Modifier mes coordonnées"),
        rx.el.p("Tous les champs sont obligatoires, sauf ceux marqués « (facultatif) ».", class_name="muted"),
        _summary("profile"),
        form(
            text_field("birth_name", "Nom de naissance", E, autocomplete="family-name", default_value=S.birth_name),
            text_field(
                "usage_name",
                "Nom d'usage",
                E,
                optional=True,
                default_value=S.usage_name,
                hint="Par exemple le nom d'époux ou d'épouse, s'il est différent du nom de naissance.",
            ),
            text_field(
                "first_names",
                "Prénom(s)",
                E,
                autocomplete="given-name",
                default_value=S.first_names,
                hint="Tous vos prénoms, dans l'ordre de l'état civil.",
            ),
            text_field(
                "phone",
                "Téléphone",
                E,
                type="tel",
                optional=True,
                autocomplete="tel",
                default_value=S.phone,
                hint="Format attendu : 06 12 34 56 78",
                width="input--medium",
            ),
            rx.el.fieldset(
                rx.el.legend("Adresse postale", class_name="field__label"),
                rx.el.p(
                    "Si vous indiquez une adresse, remplissez les trois champs.",
                    id="adresse-aide",
                    class_name="field__hint",
                ),
                text_field(
                    "address_line",
                    "Numéro et voie",
                    E,
                    optional=True,
                    autocomplete="street-address",
                    default_value=S.address_line,
                    hint="Par exemple : 12 rue des Lilas, appartement 3",
                ),
                text_field(
                    "postal_code",
                    "Code postal",
                    E,
                    optional=True,
                    autocomplete="postal-code",
                    default_value=S.postal_code,
                    width="input--short",
                    input_mode="numeric",
                    max_length=6,
                ),
                text_field(
                    "city",
                    "Commune",
                    E,
                    optional=True,
                    autocomplete="address-level2",
                    default_value=S.city,
                    width="input--medium",
                ),
                aria_describedby="adresse-aide",
                class_name="fieldset",
            ),
            rx.el.div(submit_button("Enregistrer mes informations"), class_name="form-actions"),
            on_submit=S.save_profile,
            no_validate=True,
            class_name="form",
        ),
        _saved("profile", "Vos informations ont été enregistrées."),
    )


def _password() -> rx.Component:
    return _section(
        "mot-de-passe",
        rx.el.p(
            "Une fois le mot de passe modifié, vous serez déconnecté de tous vos appareils, y compris celui-ci : "
            "vous vous reconnecterez avec le nouveau mot de passe."
        ),
        _summary("password"),
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
    return _section(
        "adresse-e-mail",
        rx.el.p("Adresse de connexion actuelle : ", rx.el.strong(S.email)),
        rx.el.p(
            "Nous enverrons un lien de confirmation à la nouvelle adresse. Votre adresse ne changera "
            f"qu'après avoir cliqué sur ce lien, valable {validity(Purpose.EMAIL_CHANGE)}."
        ),
        _summary("email"),
        form(
            text_field(
                "new_email",
                "Nouvelle adresse e-mail",
                E,
                type="email",
                autocomplete="email",
                hint="Format attendu : nom@exemple.fr",
                spell_check=False,
                auto_capitalize="none",
            ),
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
    return _section(
        "notifications",
        _summary("preferences"),
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
        _saved("preferences", "Vos préférences ont été enregistrées."),
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
    return _section(
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
        _summary("delete"),
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
    return _section(
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


def _content() -> rx.Component:
    return rx.fragment(
        _section_nav(),
        _information(),
        _password(),
        _email(),
        _notifications(),
        _devices(),
        rx.cond(S.can_delete, _delete()),
    )


@rx.page(route="/mon-compte", title="Mon compte — Portail", on_load=[SessionState.guard_any, AccountState.load])
def mon_compte() -> rx.Component:
    return page(
        rx.el.h1("Mon compte"),
        rx.cond(
            S.leaving != "",
            notice(rx.el.p(S.leaving), kind="success"),
            protected(rx.cond(S.loaded, _content(), rx.el.p("Chargement…", class_name="loading", role="status"))),
        ),
    )
