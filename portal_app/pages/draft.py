import reflex as rx

from portal_app import routes
from portal_app.components.draft_fields import draft_field
from portal_app.components.draft_hold import FIELDS, FORM_SHOWN
from portal_app.components.draft_status import draft_status
from portal_app.components.forms import error_summary, form, notice
from portal_app.components.layout import page, protected
from portal_app.components.pieces_step import pieces_step
from portal_app.components.portal_page import portal_page
from portal_app.components.quote_panel import quote_panel
from portal_app.components.stepper import stepper
from portal_app.models import Role
from portal_app.states.draft import DraftState
from portal_app.states.quotes import QuotesState
from portal_app.states.session import SessionState


def not_found() -> rx.Component:
    return rx.fragment(
        rx.el.h1("Dossier introuvable"),
        rx.el.p("Ce dossier n'existe pas, a été supprimé, ou n'est pas rattaché à votre compte."),
        rx.el.p(rx.el.a("Retour à mes démarches", href="/demarches", class_name="button button--secondary")),
    )


def _changed_elsewhere() -> rx.Component:
    return rx.cond(
        DraftState.changed_elsewhere,
        notice(
            rx.el.p(
                "Ce brouillon a aussi été modifié dans un autre onglet ou sur un autre appareil. "
                "Pour chaque réponse, c'est la dernière saisie qui est enregistrée : les valeurs affichées ici "
                "peuvent ne plus être les plus récentes."
            ),
            rx.el.button(
                "Afficher les dernières valeurs",
                type="button",
                on_click=DraftState.reload_latest,
                class_name="button button--secondary",
            ),
            kind="warning",
            id="modifie-ailleurs",
        ),
    )


def _reopened() -> rx.Component:
    return rx.cond(
        DraftState.reopened,
        notice(
            rx.el.p(
                "Votre dossier a été réouvert : modifiez vos réponses, puis déposez-le de nouveau depuis le récapitulatif."
            ),
            kind="info",
        ),
    )


def _actions() -> rx.Component:
    return rx.el.div(
        draft_status(),
        rx.el.div(
            rx.cond(
                ~DraftState.is_first_step & ~DraftState.back_to_recap,
                rx.el.button(
                    "Étape précédente",
                    type="button",
                    on_click=DraftState.previous_step,
                    class_name="button button--secondary",
                ),
            ),
            rx.el.button(
                rx.cond(
                    DraftState.back_to_recap,
                    "Enregistrer et revenir au récapitulatif",
                    rx.cond(DraftState.is_last_step, "Continuer vers le récapitulatif", "Continuer"),
                ),
                type="submit",
                class_name="button button--primary",
            ),
            class_name="form-actions draft-actions__buttons",
        ),
        class_name="draft-actions",
        # Stuck to the bottom of the screen: assets/portal.js keeps focused fields above it.
        custom_attrs={"data-sticky-bottom": "true"},
    )


def _form() -> rx.Component:
    return rx.el.div(
        rx.el.div(stepper(), class_name="draft-layout__steps"),
        rx.el.div(
            _changed_elsewhere(),
            _reopened(),
            error_summary(DraftState.error_items),
            rx.el.p(
                DraftState.title,
                rx.cond(DraftState.for_whom != "", rx.el.span(" ", DraftState.for_whom, class_name="for-whom")),
                rx.el.span(" — étape ", DraftState.step_number.to_string(), " sur ", DraftState.step_count.to_string()),
                class_name="caption",
            ),
            rx.el.h1(DraftState.step_title, id="titre-etape", tab_index=-1),
            rx.cond(DraftState.step_help != "", rx.el.p(DraftState.step_help, class_name="lead")),
            rx.cond(
                FIELDS.length() > 0,  # type: ignore[attr-defined]  # guess_type gives an ArrayVar
                rx.el.p("Tous les champs sont obligatoires, sauf ceux marqués « (facultatif) ».", class_name="muted"),
            ),
            rx.cond(DraftState.shows_pieces, pieces_step()),
            rx.cond((QuotesState.step != "") & (DraftState.step_code == QuotesState.step), quote_panel()),
            form(
                rx.foreach(FIELDS, draft_field),
                _actions(),
                on_submit=DraftState.continue_step,
                custom_attrs={"data-draft-id": DraftState.dossier_ref},
            ),
            rx.el.p(
                rx.el.a(
                    "Voir le récapitulatif",
                    href="/demarches/dossier/" + DraftState.dossier_ref.to_string() + "/recapitulatif",
                ),
                # A guest (no account) has no "Mes démarches".
                rx.cond(~SessionState.guest, rx.fragment(" · ", rx.el.a("Mes démarches", href="/demarches"))),
                class_name="draft-links",
            ),
            class_name="draft-layout__main",
        ),
        class_name="draft-layout",
    )


@portal_page(
    routes.DRAFT,
    DraftState.page_title,
    role=Role.BENEFICIARY,
    guest_open=True,
    on_load=(DraftState.load, QuotesState.load),
)
def dossier_form() -> rx.Component:
    return page(
        # Held while the server rebuilds its state after a reconnection (components/draft_hold.py).
        rx.cond(
            FORM_SHOWN,
            _form(),
            protected(
                rx.cond(
                    ~DraftState.found,
                    not_found(),
                    rx.el.p("Chargement de votre brouillon…", class_name="loading", role="status"),
                ),
            ),
        ),
        # Not rx.script (react-helmet, UNSAFE_componentWillMount warnings): React 19 loads an
        # async script element once, into <head>, even when it appears after a client navigation.
        rx.el.script(src="/draft_autosave.js", async_=True),
        width="wide",
    )
