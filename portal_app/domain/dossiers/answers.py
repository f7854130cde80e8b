"""Generic rules applied to the answers of any démarche: visibility, validation, cleaning,
step states and the recap. Answers are a flat dict: field name -> str, or list[str] for
checkboxes; an address is stored as three keys "<name>.line", ".postal_code", ".city".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from portal_app.domain.core.formats import normalize_email, normalize_phone, normalize_siret
from portal_app.domain.core.nir import format_nir, masked_nir, normalize_nir
from portal_app.domain.dossiers import demarche as d
from portal_app.domain.dossiers.answer_checks import (
    address_errors,
    is_empty,
    kind_error,
    missing_message,
    parse_amount,
    parse_date,
    parse_integer,
)

# Step states shown by the stepper.
TODO, DONE, ERRORS = "todo", "done", "errors"
STATE_LABELS = {TODO: "À compléter", DONE: "Complété", ERRORS: "Erreurs à corriger"}

NOT_ANSWERED = "Non renseigné"
# No answer may grow a draft without bound, whatever its declared limit.
MAX_STORED_LENGTH = 10_000

Answers = Mapping[str, Any]


def answer_of(spec: d.FieldSpec, answers: Answers) -> Any:
    if spec.kind == d.ADDRESS:
        return {part: answers.get(key, "") or "" for (part, _), key in zip(d.ADDRESS_PARTS, spec.keys, strict=True)}
    value = answers.get(spec.name)
    if spec.kind == d.CHECKBOX:
        return list(value) if isinstance(value, (list, tuple)) else ([] if is_empty(value) else [str(value)])
    return "" if value is None else value


def _empty(spec: d.FieldSpec, answers: Answers) -> bool:
    value = answer_of(spec, answers)
    if spec.kind == d.ADDRESS:
        return all(is_empty(part) for part in value.values())
    return is_empty(value)


def _condition_met(demarche: d.Demarche, condition, answers: Answers, depth: int) -> bool:
    if condition is None:
        return True
    name, expected = condition
    controller = demarche.field_named(name)
    # A field shown under a hidden field is hidden too; the depth guards against cycles.
    if controller is None or depth > 10 or not _condition_met(demarche, controller.visible_if, answers, depth + 1):
        return False
    wanted = {expected} if isinstance(expected, str) else set(expected)
    value = answer_of(controller, answers)
    if isinstance(value, list):
        return bool(wanted & set(value))
    return str(value) in wanted


def is_visible(demarche: d.Demarche, item: d.FieldSpec | d.PieceSpec, answers: Answers) -> bool:
    return _condition_met(demarche, item.visible_if, answers, 0)


def visible_fields(demarche: d.Demarche, step: d.Step, answers: Answers) -> list[d.FieldSpec]:
    return [spec for spec in step.fields if is_visible(demarche, spec, answers)]


def visible_pieces(demarche: d.Demarche, answers: Answers) -> list[d.PieceSpec]:
    return [piece for piece in demarche.pieces if is_visible(demarche, piece, answers)]


def field_errors(spec: d.FieldSpec, answers: Answers) -> dict[str, str]:
    """Errors of one visible field, keyed by storage key."""
    if spec.kind == d.ADDRESS:
        return address_errors(spec, answer_of(spec, answers))
    if _empty(spec, answers):
        return {spec.name: missing_message(spec)} if spec.required else {}
    value = answer_of(spec, answers)
    problem = kind_error(spec, value)
    for validator in spec.validators:
        if problem:
            break
        problem = validator(value, answers)
    return {spec.name: problem} if problem else {}


def validate_step(demarche: d.Demarche, step: d.Step, answers: Answers) -> dict[str, str]:
    """Errors of the visible fields of a step, in the order of the form."""
    errors: dict[str, str] = {}
    for spec in visible_fields(demarche, step, answers):
        errors.update(field_errors(spec, answers))
    return errors


def validate_all(demarche: d.Demarche, answers: Answers) -> dict[str, dict[str, str]]:
    """Errors of every step that has some, keyed by step code."""
    result = {step.code: validate_step(demarche, step, answers) for step in demarche.steps}
    return {code: errors for code, errors in result.items() if errors}


def _normalized(spec: d.FieldSpec, value: Any) -> Any:
    if spec.kind == d.CHECKBOX:
        ticked = set(value)
        return [code for code, _ in spec.choices if code in ticked]
    text = str(value).strip()
    if spec.kind == d.SIRET:
        return normalize_siret(text)
    if spec.kind == d.NIR:
        return normalize_nir(text)
    if spec.kind == d.PHONE:
        return normalize_phone(text)
    if spec.kind == d.EMAIL:
        return normalize_email(text)
    if spec.kind == d.AMOUNT:
        amount = parse_amount(text)
        return f"{amount:.2f}" if amount is not None else text
    if spec.kind == d.NUMBER:
        number = parse_integer(text)
        return str(number) if number is not None else text
    return text


def clean_answers(demarche: d.Demarche, answers: Answers) -> dict[str, Any]:
    """The answers of visible fields only, normalised: what a submitted dossier keeps."""
    cleaned: dict[str, Any] = {}
    for step in demarche.steps:
        for spec in visible_fields(demarche, step, answers):
            if spec.kind == d.ADDRESS:
                for key in spec.keys:
                    text = str(answers.get(key, "") or "").strip()
                    cleaned[key] = "".join(text.split()) if key.endswith(".postal_code") else " ".join(text.split())
            elif not _empty(spec, answers):
                cleaned[spec.name] = _normalized(spec, answer_of(spec, answers))
    return cleaned


def has_answers(demarche: d.Demarche, step: d.Step, answers: Answers) -> bool:
    return any(not _empty(spec, answers) for spec in visible_fields(demarche, step, answers))


def step_states(
    demarche: d.Demarche,
    answers: Answers,
    checked: Iterable[str],
    pieces_missing: bool = False,
    only: Iterable[str] | None = None,
) -> dict[str, str]:
    """todo / done / errors per step (or per step of `only`). Errors show only on steps the
    user already tried to leave with "Continuer" (checked): a step being filled in is not yet
    wrong. The pieces step is not complete while a required piece is missing (the caller
    knows, from the database): submission would refuse it."""
    checked = set(checked)
    wanted = None if only is None else set(only)
    states: dict[str, str] = {}
    for step in demarche.steps:
        if wanted is not None and step.code not in wanted:
            continue
        errors = validate_step(demarche, step, answers)
        if errors or (step.shows_pieces and pieces_missing):
            states[step.code] = ERRORS if step.code in checked else TODO
        elif step.code in checked or (step.fields and has_answers(demarche, step, answers)):
            states[step.code] = DONE
        else:
            states[step.code] = TODO
    return states


# ---------------------------------------------------------------- display


def _french_number(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def display_value(spec: d.FieldSpec, answers: Answers) -> str:
    """The answer as the recap and the acknowledgement mail show it."""
    if _empty(spec, answers):
        return NOT_ANSWERED
    value = answer_of(spec, answers)
    labels = dict(spec.choices)
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.kind == d.ADDRESS:
        line, postal, city = (" ".join(str(value[part]).split()) for part, _ in d.ADDRESS_PARTS)
        return ", ".join(part for part in (line, f"{postal} {city}".strip()) if part)
    if spec.kind == d.CHECKBOX:
        return ", ".join(labels.get(code, code) for code in _normalized(spec, value))
    if spec.kind in (d.SELECT, d.RADIO, d.YES_NO):
        return labels.get(str(value), str(value))
    text = str(value).strip()
    if spec.kind == d.DATE:
        day = parse_date(text)
        return day.strftime("%d/%m/%Y") if day else text
    if spec.kind == d.AMOUNT:
        amount = parse_amount(text)
        if amount is None:
            return text
        euros, cents = f"{amount:.2f}".split(".")
        return f"{_french_number(int(euros))},{cents}\u00a0€"
    if spec.kind == d.NUMBER:
        number = parse_integer(text)
        return f"{_french_number(number)}{unit}" if number is not None else text
    if spec.kind == d.SIRET:
        siret = normalize_siret(text)
        return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else siret
    if spec.kind == d.NIR:
        return format_nir(text)
    if spec.kind == d.PHONE:
        return normalize_phone(text)
    return f"{text}{unit}"


@dataclass(frozen=True)
class RecapRow:
    key: str
    label: str
    value: str
    missing: bool  # a required answer not given yet


@dataclass(frozen=True)
class RecapStep:
    code: str
    title: str
    rows: tuple[RecapRow, ...]
    complete: bool
    pieces: tuple[str, ...] = ()


def recap(demarche: d.Demarche, answers: Answers) -> list[RecapStep]:
    """Every visible answer grouped by step; hidden fields are left out."""
    steps = []
    for step in demarche.steps:
        errors = validate_step(demarche, step, answers)
        rows = tuple(
            RecapRow(
                key=spec.name,
                label=spec.label,
                value=display_value(spec, answers),
                missing=spec.required and _empty(spec, answers),
            )
            for spec in visible_fields(demarche, step, answers)
        )
        pieces = tuple(p.label for p in visible_pieces(demarche, answers)) if step.shows_pieces else ()
        steps.append(RecapStep(step.code, step.title, rows, complete=not errors, pieces=pieces))
    return steps


def recap_text(demarche: d.Demarche, answers: Answers, filed_pieces: list[tuple[str, str]]) -> str:
    """The recap as plain text, for the acknowledgement mail: the NIR masked, and under the
    pieces step exactly the pieces filed, as (label, file name)."""
    nir_fields = {spec.name for step in demarche.steps for spec in step.fields if spec.kind == d.NIR}
    blocks = []
    for step in recap(demarche, answers):
        lines = [step.title.upper()]
        lines += [
            f"- {row.label} : {masked_nir(row.value) if row.key in nir_fields else row.value}" for row in step.rows
        ]
        if demarche.step(step.code) is not None and demarche.step(step.code).shows_pieces:
            lines += [f"- {label} : {name}" for label, name in filed_pieces] or ["- Aucune pièce jointe"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ---------------------------------------------------------------- what a draft may store


def storable_value(spec: d.FieldSpec, key: str, value: Any) -> str | list[str] | None:
    """The value to store for a key, or None when it cannot be an answer of this field.

    Any value the form can produce is accepted (validation comes later, never discarding
    input); anything else a tampered client might send is refused.
    """
    if key not in spec.keys:
        return None
    if spec.kind == d.CHECKBOX:
        if not isinstance(value, (list, tuple)):
            return None
        allowed = {code for code, _ in spec.choices}
        ticked = {str(item) for item in value}
        return [code for code, _ in spec.choices if code in ticked] if ticked <= allowed else None
    if value is None:
        value = ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    text = str(value)
    return text if len(text) <= MAX_STORED_LENGTH else None
