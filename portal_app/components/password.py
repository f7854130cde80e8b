"""Password fields: one component for every password input, with its "Afficher" button, and
the live checklist shown while the user types."""

import reflex as rx
from reflex.vars import Var

from portal_app.components.forms import _described_by, field_error, field_id, label_text
from portal_app.states.password import PasswordVisibility

CHECKLIST_ID = "regles-mot-de-passe"


def password_field(
    name: str,
    label: str,
    errors: Var,
    *,
    autocomplete: str,
    hint: str = "",
    described_by: str = "",
    **input_props,
) -> rx.Component:
    """A labelled password input and its "Afficher" button. Only the input's type changes, on
    the same element, so the typed value (never sent to the server by the toggle) stays."""
    fid = field_id(name)
    has_error = errors.contains(name)  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
    shown = PasswordVisibility.shown.contains(fid)  # type: ignore[attr-defined]  # Reflex: a state var read on the class is a Var
    return rx.el.div(
        rx.el.label(*label_text(label, False), html_for=fid, class_name="field__label"),
        rx.el.p(hint, id=f"{fid}-aide", class_name="field__hint") if hint else rx.fragment(),
        field_error(name, errors),
        rx.el.div(
            rx.el.input(
                id=fid,
                name=name,
                type=rx.cond(shown, "text", "password"),
                auto_complete=autocomplete,
                # Stops phones capitalising or "correcting" the first letter once it is shown.
                auto_capitalize="none",
                spell_check=False,
                aria_describedby=_described_by(name, errors, hint, described_by),
                aria_invalid=rx.cond(has_error, "true", "false"),
                required=True,
                class_name=rx.cond(has_error, "input input--error password__input", "input password__input"),
                **input_props,
            ),
            # Its name says what a press does: "Afficher le mot de passe", then "Masquer le mot de passe".
            rx.el.button(
                rx.cond(shown, "Masquer", "Afficher"),
                rx.el.span(" le mot de passe", class_name="sr-only"),
                type="button",
                aria_controls=fid,
                on_click=PasswordVisibility.toggle(fid),
                on_mount=PasswordVisibility.hide(fid),
                class_name="button button--secondary password__toggle",
            ),
            class_name="password",
        ),
        class_name=rx.cond(has_error, "field field--error", "field"),
    )


def password_checklist(checks: Var, list_id: str = CHECKLIST_ID) -> rx.Component:
    """checks: list of {label, state} dicts kept by the state as the user types; state is
    "neutral" before the first keystroke (nothing is met or missed yet), then "ok" or "ko"."""
    return rx.el.div(
        rx.el.p("Votre mot de passe doit contenir :", class_name="field__hint"),
        rx.el.ul(
            rx.foreach(
                checks,
                lambda check: rx.el.li(
                    check["label"],
                    rx.el.span(
                        rx.match(check["state"], ("ok", " (respecté)"), ("ko", " (non respecté)"), ""),
                        class_name="sr-only",
                    ),
                    class_name=check["state"].to(str),
                ),
            ),
            class_name="checklist",
        ),
        id=list_id,
        # Polite: announced between keystrokes without interrupting.
        aria_live="polite",
    )


def new_password_pair(
    errors: Var,
    checks: Var,
    on_typed,
    *,
    label: str,
    confirm_label: str,
    hint: str = "",
    boxed_checklist: bool = False,
) -> rx.Component:
    """The new password, its live checklist and its confirmation: signup, reset, Mon compte and
    the employer's personalisation. on_typed: the state's handler that recomputes `checks`."""
    checklist = password_checklist(checks)
    return rx.fragment(
        password_field(
            "password",
            label,
            errors,
            autocomplete="new-password",
            hint=hint,
            on_change=on_typed.debounce(150),
            described_by=CHECKLIST_ID,
        ),
        rx.el.div(checklist, class_name="checklist-block") if boxed_checklist else checklist,
        password_field("password_confirm", confirm_label, errors, autocomplete="new-password"),
    )
