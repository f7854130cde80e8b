"""One renderer for every field of every démarche, chosen by kind (rx.match).

Inputs are uncontrolled: their first value comes from the draft, then the browser owns
the text, so a slow save never moves the caret or eats a keystroke. A text input saves when
it is left (blur) and, while typing, half a second after the last key: that pause is timed
per field by assets/draft_autosave.js, which then fires the input's blur handler. (Reflex
keys its own debounce timers by handler, shared by every input of this page: typing in a
second field within the delay would cancel the first one's save.) Choices save at once.
data-draft-key lets the script keep a copy of each value until the server has it.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from reflex.vars import Var

from portal_app.components.draft_hold import FORM_KEY, VALUES
from portal_app.domain.dossiers import demarche as d
from portal_app.states.draft import DraftState


@dataclass(frozen=True)
class FieldBinding:
    """Where the fields read their first values and send their changes: the draft's state, or
    nothing (the designers' preview and gallery draw the same fields from sample answers)."""

    values: Var  # answers by storage key
    form_key: Var
    saves: bool = True


DRAFT = FieldBinding(VALUES, FORM_KEY)


def _or_none(value: Var) -> Var:
    return rx.cond(value != "", value, None)


def _value(key: Var, bind: FieldBinding) -> Var:
    return bind.values[key].to(str)


def _save_props(key: Var, bind: FieldBinding) -> dict:
    if not bind.saves:
        return {}
    return {
        "on_blur": lambda value: DraftState.save_field(key, value),
        "on_focus": lambda _value: DraftState.check_version().throttle(5000),
        "custom_attrs": {"data-draft-key": key},
    }


def _label(field: Var, html_for: Var) -> rx.Component:
    return rx.el.label(
        field.label,
        rx.cond(field.optional, rx.el.span(" (facultatif)", class_name="field__optional")),
        html_for=html_for,
        class_name="field__label",
    )


def _hint(field: Var) -> rx.Component:
    return rx.cond(field.hint != "", rx.el.p(field.hint, id=field.fid + "-aide", class_name="field__hint"))


def _error(message: Var, fid: Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.el.p(rx.el.span("Erreur : ", class_name="sr-only"), message, id=fid + "-erreur", class_name="field__error"),
    )


def _input_class(base: str, error: Var, width: Var) -> Var:
    return rx.cond(error != "", f"{base} {base}--error ", f"{base} ") + width


def _text(field: Var, bind: FieldBinding) -> rx.Component:
    return rx.el.div(
        _label(field, field.fid),
        _hint(field),
        _error(field.error, field.fid),
        rx.el.input(
            id=field.fid,
            name=field.key,
            type=field.input_type,
            input_mode=field.input_mode,
            auto_complete=field.autocomplete,
            default_value=_value(field.key, bind),
            aria_describedby=_or_none(field.described_by),
            aria_invalid=rx.cond(field.error != "", "true", "false"),
            spell_check=field.spell_check,
            class_name=_input_class("input", field.error, field.width),
            **_save_props(field.key, bind),
        ),
    )


def _long_text(field: Var, bind: FieldBinding) -> rx.Component:
    return rx.el.div(
        _label(field, field.fid),
        _hint(field),
        _error(field.error, field.fid),
        rx.el.textarea(
            id=field.fid,
            name=field.key,
            default_value=_value(field.key, bind),
            rows=6,
            aria_describedby=_or_none(field.described_by),
            aria_invalid=rx.cond(field.error != "", "true", "false"),
            class_name=_input_class("textarea", field.error, ""),
            **{
                **_save_props(field.key, bind),
                "custom_attrs": {"data-draft-key": field.key, "data-max": field.max_length},
            },
        ),
        # Filled in by draft_autosave.js as the user types; read with the field.
        rx.el.p(id=field.fid + "-compteur", class_name="field__counter", aria_hidden="true"),
        rx.el.p(
            "Vous pouvez saisir jusqu'à ",
            field.max_length.to_string(),
            " caractères.",
            id=field.fid + "-compteur-annonce",
            class_name="sr-only",
            aria_live="polite",
        ),
    )


def _select(field: Var, bind: FieldBinding) -> rx.Component:
    return rx.el.div(
        _label(field, field.fid),
        _hint(field),
        _error(field.error, field.fid),
        rx.el.select(
            rx.el.option("Choisissez une réponse", value=""),
            rx.foreach(field.options, lambda option: rx.el.option(option.label, value=option.value)),
            id=field.fid,
            name=field.key,
            default_value=_value(field.key, bind),
            aria_describedby=_or_none(field.described_by),
            aria_invalid=rx.cond(field.error != "", "true", "false"),
            class_name=_input_class("select", field.error, ""),
            **_choice_props(field.key, bind, lambda: DraftState.check_version().throttle(5000)),
        ),
    )


def _choice_props(key: Var, bind: FieldBinding, on_focus) -> dict:
    if not bind.saves:
        return {}
    return {
        "on_change": lambda value: DraftState.save_field(key, value),
        "on_focus": on_focus,
        "custom_attrs": {"data-draft-key": key},
    }


def _fieldset(field: Var, *children, group_class: Var | str) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(
            field.label,
            rx.cond(field.optional, rx.el.span(" (facultatif)", class_name="field__optional")),
            class_name="field__label",
        ),
        _hint(field),
        _error(field.error, field.fid),
        rx.el.div(*children, class_name=group_class),
        id=field.fid,
        tab_index=-1,
        aria_describedby=_or_none(field.described_by),
        class_name="fieldset",
    )


def _radios(field: Var, bind: FieldBinding) -> rx.Component:
    return _fieldset(
        field,
        rx.foreach(
            field.options,
            lambda option: rx.el.div(
                rx.el.input(
                    id=option.fid,
                    name=field.key,
                    type="radio",
                    value=option.value,
                    default_checked=_value(field.key, bind) == option.value,
                    class_name="radio__input",
                    **_choice_props(field.key, bind, lambda _value: DraftState.check_version().throttle(5000)),
                ),
                rx.el.label(option.label, html_for=option.fid, class_name="radio__label"),
                class_name="radio",
            ),
        ),
        group_class=rx.cond(
            field.kind == d.YES_NO, "radio-group radio-group--inline", "radio-group radio-group--stacked"
        ),
    )


def _checkboxes(field: Var, bind: FieldBinding) -> rx.Component:
    # No name: the form's data would keep one box only; each tick is saved on its own.
    return _fieldset(
        field,
        rx.foreach(
            field.options,
            lambda option: rx.el.div(
                rx.el.input(
                    id=option.fid,
                    type="checkbox",
                    value=option.value,
                    default_checked=bind.values[field.key].to(list).contains(option.value),
                    class_name="checkbox__input",
                    **(
                        {
                            "on_change": lambda checked: DraftState.toggle_option(field.key, option.value, checked),
                            "custom_attrs": {"data-draft-key": field.key},
                        }
                        if bind.saves
                        else {}
                    ),
                ),
                rx.el.label(option.label, html_for=option.fid, class_name="checkbox__label"),
                class_name="checkbox",
            ),
        ),
        group_class="checkbox-group",
    )


def _address(field: Var, bind: FieldBinding) -> rx.Component:
    return _fieldset(
        field,
        rx.foreach(
            field.parts,
            lambda part: rx.el.div(
                rx.el.label(part.label, html_for=part.fid, class_name="field__label"),
                _error(part.error, part.fid),
                rx.el.input(
                    id=part.fid,
                    name=part.key,
                    type="text",
                    auto_complete=part.autocomplete,
                    default_value=_value(part.key, bind),
                    aria_describedby=_or_none(part.described_by),
                    aria_invalid=rx.cond(part.error != "", "true", "false"),
                    input_mode=rx.cond(part.autocomplete == "postal-code", "numeric", "text"),
                    class_name=_input_class("input", part.error, part.width),
                    **_save_props(part.key, bind),
                ),
                class_name=rx.cond(part.error != "", "field field--error address__part", "field address__part"),
            ),
        ),
        group_class="address",
    )


# The renderer of each kind; every kind the engine declares has one (tested).
RENDERERS = (
    ((d.TEXT, d.EMAIL, d.PHONE, d.DATE, d.NUMBER, d.AMOUNT, d.SIRET, d.NIR), _text),
    ((d.LONG_TEXT,), _long_text),
    ((d.SELECT,), _select),
    ((d.RADIO, d.YES_NO), _radios),
    ((d.CHECKBOX,), _checkboxes),
    ((d.ADDRESS,), _address),
)


def draft_field(field: Var) -> rx.Component:
    """Every field of the step is drawn; the hidden ones keep their place (and React key)."""
    return bound_field(field, DRAFT)


def bound_field(field: Var, bind: FieldBinding) -> rx.Component:
    """A field of any kind, reading its value from `bind` (rx.foreach hands draft_field an index
    when its render function takes two arguments: hence two names)."""
    return rx.el.div(
        # A disabled fieldset makes every input of a held field (domain/dossiers/held.py) read-only.
        rx.el.fieldset(
            rx.match(field.kind, *((*kinds, render(field, bind)) for kinds, render in RENDERERS)),
            rx.cond(field.held != "", rx.el.p(field.held, class_name="field__held-note")),
            disabled=field.held != "",
            # A group only when held (its name says why the inputs are locked); else no role at all.
            role=rx.cond(field.held != "", "group", "none"),
            aria_label=rx.cond(field.held != "", field.held, None),
            class_name="field__held",
        ),
        key=bind.form_key + "-" + field.key,
        hidden=~field.visible,
        class_name=rx.cond((field.error != "") & (field.kind != d.ADDRESS), "field field--error", "field"),
    )
