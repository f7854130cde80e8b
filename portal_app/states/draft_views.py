"""What the generic form, stepper and recap draw, built from a démarche and its answers.

Plain dataclasses (Reflex sends them to the page as they are), so the rendering of any
démarche can be tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from portal_app.components.forms import field_id
from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import demarche as d

# Input attributes per kind: (type, inputmode, width class).
_INPUTS = {
    d.TEXT: ("text", "text", ""),
    d.EMAIL: ("email", "email", ""),
    d.PHONE: ("tel", "tel", "input--medium"),
    d.DATE: ("date", "text", "input--medium"),
    d.NUMBER: ("text", "numeric", "input--short"),
    d.AMOUNT: ("text", "decimal", "input--medium"),
    d.SIRET: ("text", "numeric", "input--medium"),
    d.NIR: ("text", "text", "input--medium"),
}
_WIDTHS = {"short": "input--short", "medium": "input--medium"}
_PART_AUTOCOMPLETE = {"line": "street-address", "postal_code": "postal-code", "city": "address-level2"}
_PART_WIDTHS = {"line": "", "postal_code": "input--short", "city": "input--medium"}


@dataclass
class OptionView:
    value: str
    label: str
    fid: str


@dataclass
class PartView:
    key: str
    fid: str
    label: str
    autocomplete: str
    width: str
    error: str
    described_by: str


@dataclass
class FieldView:
    key: str
    fid: str
    kind: str
    label: str
    hint: str
    optional: bool
    visible: bool
    error: str
    described_by: str
    input_type: str = "text"
    input_mode: str = "text"
    width: str = ""
    autocomplete: str = "on"
    spell_check: bool = False
    max_length: int = 0
    unit: str = ""
    options: list[OptionView] = field(default_factory=list)
    parts: list[PartView] = field(default_factory=list)
    # Why the answer is shown but not editable ("" when it is): given by an accepted quote,
    # or certified by FranceConnect (domain/dossiers/held.py).
    held: str = ""


@dataclass
class StepView:
    code: str
    number: int
    title: str
    state: str  # todo / done / errors
    state_label: str
    current: bool


@dataclass
class RecapRowView:
    key: str
    label: str
    value: str
    missing: bool


@dataclass
class RecapStepView:
    code: str
    number: int
    title: str
    complete: bool
    edit_href: str
    rows: list[RecapRowView]
    pieces: list[str]


def french_spacing(text: str) -> str:
    """No line break before ? ! : ; » nor after «, as French typography wants."""
    for mark in ("?", "!", ":", ";", "»"):
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text.replace("« ", "«\u00a0")


def _described_by(fid: str, hint: str, error: str, extra: str = "") -> str:
    ids = [f"{fid}-aide" if hint else "", extra, f"{fid}-erreur" if error else ""]
    return " ".join(part for part in ids if part)


def field_view(demarche: d.Demarche, spec: d.FieldSpec, answers: rules.Answers, errors: dict[str, str]) -> FieldView:
    fid = field_id(spec.name)
    error = errors.get(spec.name, "")
    hint = spec.help
    input_type, input_mode, width = _INPUTS.get(spec.kind, ("text", "text", ""))
    view = FieldView(
        key=spec.name,
        fid=fid,
        kind=spec.kind,
        label=french_spacing(spec.label),
        hint=french_spacing(hint),
        optional=not spec.required,
        visible=rules.is_visible(demarche, spec, answers),
        error=error,
        described_by="",
        input_type=input_type,
        input_mode=input_mode,
        width=_WIDTHS.get(spec.width, width),
        autocomplete=spec.autocomplete or "on",
        spell_check=spec.kind in (d.TEXT, d.LONG_TEXT),
        max_length=(spec.limit or 0) if spec.kind == d.LONG_TEXT else 0,
        unit=spec.unit,
    )
    counter = f"{fid}-compteur" if spec.kind == d.LONG_TEXT else ""
    view.described_by = _described_by(fid, hint, error, counter)
    if spec.kind in d.CHOICE_KINDS:
        view.options = [
            OptionView(value=code, label=french_spacing(label), fid=f"{fid}-{index}")
            for index, (code, label) in enumerate(spec.choices)
        ]
    if spec.kind == d.ADDRESS:
        for (part, part_label), key in zip(d.ADDRESS_PARTS, spec.keys, strict=True):
            part_id = field_id(key)
            part_error = errors.get(key, "")
            view.parts.append(
                PartView(
                    key=key,
                    fid=part_id,
                    label=part_label,
                    autocomplete=_PART_AUTOCOMPLETE[part],
                    width=_PART_WIDTHS[part],
                    error=part_error,
                    described_by=f"{part_id}-erreur" if part_error else "",
                )
            )
        # Each part shows its own error beside its input; the group keeps only an error about
        # the address as a whole (keyed by its name), or the same sentence would show twice.
    return view


def step_values(step: d.Step, answers: rules.Answers) -> dict[str, str | list[str]]:
    """The first value of each input of the step (every key present: the page reads them all)."""
    values: dict[str, str | list[str]] = {}
    for spec in step.fields:
        value = rules.answer_of(spec, answers)
        if spec.kind == d.ADDRESS:
            values.update({key: str(value[part]) for (part, _), key in zip(d.ADDRESS_PARTS, spec.keys, strict=True)})
        elif spec.kind == d.CHECKBOX:
            values[spec.name] = [str(v) for v in value]
        else:
            values[spec.name] = str(value)
    return values


def field_views(demarche: d.Demarche, step: d.Step, answers: rules.Answers, errors: dict[str, str]) -> list[FieldView]:
    """Every field of the step, hidden ones included (they stay mounted, only hidden)."""
    return [field_view(demarche, spec, answers, errors) for spec in step.fields]


def step_views(
    demarche: d.Demarche, answers: rules.Answers, checked: list[str], current: str, pieces_missing: bool = False
) -> list[StepView]:
    states = rules.step_states(demarche, answers, checked, pieces_missing)
    return [
        StepView(
            code=step.code,
            number=index,
            title=step.title,
            state=states[step.code],
            state_label=rules.STATE_LABELS[states[step.code]],
            current=step.code == current,
        )
        for index, step in enumerate(demarche.steps, start=1)
    ]


def refreshed_step_views(
    demarche: d.Demarche,
    views: list[StepView],
    answers: rules.Answers,
    checked: list[str],
    pieces_missing: bool,
    key: str,
) -> list[StepView] | None:
    """The stepper after the answer at `key` changed, or None when no step's state moved:
    only the steps that answer can touch are checked again (a save comes with every pause in
    typing, and checking every step was most of its time on the event loop, issue 18)."""
    states = rules.step_states(demarche, answers, checked, pieces_missing, only=demarche.steps_touched_by(key))
    if all(view.state == states[view.code] for view in views if view.code in states):
        return None
    return [
        replace(view, state=states[view.code], state_label=rules.STATE_LABELS[states[view.code]])
        if view.code in states
        else view
        for view in views
    ]


def recap_views(demarche: d.Demarche, answers: rules.Answers, form_href: str) -> list[RecapStepView]:
    return [
        RecapStepView(
            code=step.code,
            number=index,
            title=step.title,
            complete=step.complete,
            edit_href=f"{form_href}?etape={step.code}&retour=recapitulatif",
            rows=[RecapRowView(row.key, french_spacing(row.label), row.value, row.missing) for row in step.rows],
            pieces=piece_labels(demarche, answers) if step.pieces else [],
        )
        for index, step in enumerate(rules.recap(demarche, answers), start=1)
    ]


def piece_labels(demarche: d.Demarche, answers: rules.Answers) -> list[str]:
    return [
        piece.label + ("" if piece.required else " (facultatif)") for piece in rules.visible_pieces(demarche, answers)
    ]
