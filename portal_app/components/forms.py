"""Form building blocks: every input has a visible label tied to it, a hint, and its error beside it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.anchors import in_page_link
from portal_app.components.headings import heading

ERROR_SUMMARY_ID = "resume-erreurs"


def field_id(name: str) -> str:
    return f"champ-{name.replace('_', '-')}"


class FormErrors(rx.State, mixin=True):
    """Errors of one form: a message per field, and the same in form order for the summary."""

    errors: dict[str, str] = {}
    error_items: list[list[str]] = []

    def _set_errors(self, errors: dict[str, str], order: tuple[str, ...] = ()):
        ordered = [key for key in order if key in errors] + [key for key in errors if key not in order]
        self.errors = dict(errors)
        self.error_items = [[field_id(key), errors[key]] for key in ordered]
        if errors:
            return focus_error_summary()
        return None

    def _clear_errors(self) -> None:
        self.errors = {}
        self.error_items = []


def form(*children, **props) -> rx.Component:
    """A form handled by its event handler. method=post: if it is sent before the page is
    interactive (slow phone), the browser must not put the password in the URL."""
    props.setdefault("method", "post")
    props.setdefault("no_validate", True)
    props.setdefault("class_name", "form")
    return rx.el.form(*children, **props)


def focus_error_summary():
    # Focus moves to the summary once React has drawn it, unless the user acted first (assets/portal.js).
    return rx.call_script(f"window.portail && window.portail.focusErrorSummary('{ERROR_SUMMARY_ID}')")


def error_summary(items: Var, title: str = "Le formulaire contient des erreurs", level: int = 2) -> rx.Component:
    """`level`: the title's heading level, 2 on a form's page (the gallery nests it deeper)."""
    return rx.cond(
        items.length() > 0,  # type: ignore[attr-defined]  # a Var of a list at run time (ArrayVar)
        rx.el.div(
            heading(level, title, class_name="error-summary__title"),
            rx.el.p("Corrigez les champs suivants :"),
            rx.el.ul(
                rx.foreach(items, lambda item: rx.el.li(in_page_link(item[1], href="#" + item[0].to(str)))),
            ),
            id=ERROR_SUMMARY_ID,
            role="alert",
            tab_index=-1,
            class_name="error-summary",
        ),
    )


def _described_by(name: str, errors: Var, hint: str, extra: str = "") -> Var | str:
    fid = field_id(name)
    ids = " ".join(part for part in (f"{fid}-aide" if hint else "", extra) if part)
    with_error = f"{ids} {fid}-erreur".strip()
    return rx.cond(errors.contains(name), with_error, ids or None)  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)


def field_error(name: str, errors: Var) -> rx.Component:
    return rx.cond(
        errors.contains(name),  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
        rx.el.p(
            rx.el.span("Erreur : ", class_name="sr-only"),
            errors[name],
            id=f"{field_id(name)}-erreur",
            class_name="field__error",
        ),
    )


def label_text(label: str, optional: bool) -> list:
    return [label, rx.el.span(" (facultatif)", class_name="field__optional")] if optional else [label]


def text_field(
    name: str,
    label: str,
    errors: Var,
    *,
    type: str = "text",
    hint: str = "",
    optional: bool = False,
    autocomplete: str | None = None,
    default_value: Var | str | None = None,
    width: str = "",
    described_by: str = "",
    **input_props,
) -> rx.Component:
    fid = field_id(name)
    has_error = errors.contains(name)  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
    props = {"auto_complete": autocomplete} if autocomplete else {}
    if default_value is not None:
        props["default_value"] = default_value
    return rx.el.div(
        rx.el.label(*label_text(label, optional), html_for=fid, class_name="field__label"),
        rx.el.p(hint, id=f"{fid}-aide", class_name="field__hint") if hint else rx.fragment(),
        field_error(name, errors),
        rx.el.input(
            id=fid,
            name=name,
            type=type,
            aria_describedby=_described_by(name, errors, hint, described_by),
            aria_invalid=rx.cond(has_error, "true", "false"),
            required=not optional,
            class_name=rx.cond(has_error, f"input input--error {width}", f"input {width}"),
            **props,
            **input_props,
        ),
        class_name=rx.cond(has_error, "field field--error", "field"),
    )


EMAIL_FORMAT = "Format attendu : nom@exemple.fr"


def email_field(
    errors: Var, name: str = "email", label: str = "Adresse e-mail", hint: str = EMAIL_FORMAT, **props
) -> rx.Component:
    """An email address: the phone's email keyboard, no spelling fix nor capital letter."""
    return text_field(
        name,
        label,
        errors,
        type="email",
        autocomplete="email",
        hint=hint,
        spell_check=False,
        auto_capitalize="none",
        **props,
    )


def phone_field(errors: Var, **props) -> rx.Component:
    """The optional phone number, the same at sign-up and in Mon compte."""
    return text_field(
        "phone",
        "Téléphone",
        errors,
        type="tel",
        optional=True,
        autocomplete="tel",
        hint="Format attendu : 06 12 34 56 78",
        width="input--medium",
        **props,
    )


def select_field(
    name: str,
    label: str,
    options: list,
    errors: Var | None = None,
    *,
    hint: str = "",
    select_class: str = "select",
    id: str = "",
    **select_props,
) -> rx.Component:
    """A labelled drop-down list; options: rx.el.option components (or an rx.foreach of them).
    With errors: its error shown above it, as text_field does. select_props go to the <select>
    (default_value, value and on_change, key...)."""
    fid = id or field_id(name)
    if errors is None:
        aria, select_class_name, field_class = {}, select_class, "field"
    else:
        has_error = errors.contains(name)  # type: ignore[attr-defined]
        aria = {
            "aria_describedby": _described_by(name, errors, hint),
            "aria_invalid": rx.cond(has_error, "true", "false"),
        }
        select_class_name = rx.cond(has_error, f"{select_class} input--error", select_class)
        field_class = rx.cond(has_error, "field field--error", "field")
    return rx.el.div(
        rx.el.label(label, html_for=fid, class_name="field__label"),
        rx.el.p(hint, id=f"{fid}-aide", class_name="field__hint") if hint else rx.fragment(),
        field_error(name, errors) if errors is not None else rx.fragment(),
        rx.el.select(*options, id=fid, name=name, class_name=select_class_name, **aria, **select_props),
        class_name=field_class,
    )


def checkbox_field(name: str, label: rx.Component | str, errors: Var, *, default_checked=None, **props) -> rx.Component:
    fid = field_id(name)
    has_error = errors.contains(name)  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
    if default_checked is not None:
        props["default_checked"] = default_checked
    return rx.el.div(
        field_error(name, errors),
        rx.el.div(
            rx.el.input(
                id=fid,
                name=name,
                type="checkbox",
                aria_describedby=_described_by(name, errors, ""),
                aria_invalid=rx.cond(has_error, "true", "false"),
                class_name="checkbox__input",
                **props,
            ),
            rx.el.label(label, html_for=fid, class_name="checkbox__label"),
            class_name="checkbox",
        ),
        class_name=rx.cond(has_error, "field field--error", "field"),
    )


def radio_group(name: str, legend: str, options: list[tuple[str, str]], errors: Var, *, default=None) -> rx.Component:
    fid = field_id(name)
    has_error = errors.contains(name)  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="field__label"),
        field_error(name, errors),
        rx.el.div(
            *[
                rx.el.div(
                    rx.el.input(
                        id=f"{fid}-{index}",
                        name=name,
                        type="radio",
                        value=value,
                        class_name="radio__input",
                        aria_describedby=rx.cond(has_error, f"{fid}-erreur", None),
                        **({"default_checked": default == value} if default is not None else {}),
                    ),
                    rx.el.label(text, html_for=f"{fid}-{index}", class_name="radio__label"),
                    class_name="radio",
                )
                for index, (value, text) in enumerate(options)
            ],
            class_name="radio-group",
        ),
        id=fid,
        tab_index=-1,
        class_name=rx.cond(has_error, "field field--error fieldset", "field fieldset"),
    )


def submit_button(text: str, busy_text: str = "Envoi en cours…", loading: Var | bool = False, **props) -> rx.Component:
    return rx.el.button(
        rx.cond(loading, busy_text, text),
        type="submit",
        disabled=loading,
        class_name="button button--primary",
        **props,
    )


def notice(*children, kind: str = "info", **props) -> rx.Component:
    """A message block; role=status so it is announced without stealing focus."""
    return rx.el.div(*children, class_name=f"notice notice--{kind}", role=props.pop("role", "status"), **props)
