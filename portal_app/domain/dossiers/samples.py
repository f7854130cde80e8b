"""Sample answers derived from the field kinds: what the preview (/_apercu/<code>) fills a
démarche with, and what the scaffold's test files it with.

Each field takes the first of its kind's candidates that its own checks (kind, bounds,
validators against the answers so far) accept, so a date "after the start date" or "not in the
future" gets one that passes; a field no candidate satisfies keeps the first (the preview then
shows its error, which is what the designer needs to see).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal_app.domain.dossiers import answers as rules
from portal_app.domain.dossiers import demarche as d

_CANDIDATES: dict[str, tuple[str, ...]] = {
    d.TEXT: ("Exemple de réponse",),
    d.LONG_TEXT: ("Un exemple de réponse plus longue, pour voir le champ rempli sur plusieurs lignes.",),
    d.EMAIL: ("camille.martin@exemple.fr",),
    d.PHONE: ("06 12 34 56 78",),
    d.DATE: ("2020-03-02", "2027-09-01", "2028-06-30", "2031-01-15"),
    d.NUMBER: ("12", "1", "80", "600", "0"),
    d.AMOUNT: ("1 250,00", "12,50", "100 000,00"),
    d.SIRET: ("73282932000074",),
    d.NIR: ("295109912611193",),
}
_ADDRESS = {"line": "8 rue des Tanneurs", "postal_code": "69001", "city": "Lyon"}


def _candidates(spec: d.FieldSpec) -> list[Any]:
    if spec.kind == d.ADDRESS:
        return [{f"{spec.name}.{part}": value for part, value in _ADDRESS.items()}]
    values = [value for value, _ in spec.choices]
    if spec.kind == d.CHECKBOX:
        return [{spec.name: values[:1]}]
    if spec.kind in d.CHOICE_KINDS:
        return [{spec.name: value} for value in values]
    limited = [value[: spec.limit] if spec.limit else value for value in _CANDIDATES.get(spec.kind, ("Exemple",))]
    if spec.kind == d.NUMBER and spec.min_value is not None:
        limited.append(str(int(spec.min_value)))
    return [{spec.name: value} for value in limited]


def sample_answers(demarche: d.Demarche, chosen: dict[str, Any] | None = None) -> dict[str, Any]:
    """An answer for every field of the démarche; `chosen` fixes some (the preview sets the
    field a condition depends on), the others are derived from their kind in form order."""
    answers: dict[str, Any] = dict(chosen or {})
    for spec in demarche.fields:
        if spec.name in answers:
            continue
        candidates = _candidates(spec)
        accepted = next(
            (option for option in candidates if not rules.field_errors(spec, {**answers, **option})), candidates[0]
        )
        answers.update(accepted)
    return answers


@dataclass(frozen=True)
class Variant:
    label: str
    answers: dict[str, Any]


def _option_label(spec: d.FieldSpec, value: str) -> str:
    return next((label for code, label in spec.choices if code == value), value)


def step_variants(demarche: d.Demarche, step: d.Step) -> list[Variant]:
    """The sample answers to draw a step with, so each conditional field of the step is seen
    shown and hidden: one variant per answer that reveals something new, then one where the
    answers hide every conditional field they can."""
    conditional = [spec for spec in step.fields if spec.visible_if is not None]
    variants: list[Variant] = []
    seen: set[frozenset[str]] = set()

    def add(label: str, chosen: dict[str, Any]) -> None:
        answers = sample_answers(demarche, chosen)
        shown = frozenset(spec.name for spec in rules.visible_fields(demarche, step, answers))
        if shown not in seen:
            seen.add(shown)
            variants.append(Variant(label, answers))

    if not conditional:
        add("Réponses d'exemple", {})
    hiding: dict[str, Any] = {}
    for spec in conditional:
        name, expected = spec.visible_if  # type: ignore[misc]  # not None: filtered above
        wanted = (expected,) if isinstance(expected, str) else tuple(expected)
        controller = demarche.field_named(name)
        if controller is None:  # refused at import; kept total for a démarche built in a test
            continue
        chosen = [wanted[0]] if controller.kind == d.CHECKBOX else wanted[0]
        add(f"Si « {controller.label} » : {_option_label(controller, wanted[0])}", {name: chosen})
        others = [code for code, _ in controller.choices if code not in wanted and code != hiding.get(name)]
        if name not in hiding or hiding[name] in wanted:
            hiding[name] = (others[:1] if controller.kind == d.CHECKBOX else others[0]) if others else ""
    if conditional:
        add("Réponses qui masquent les champs conditionnels", hiding)
    return variants
