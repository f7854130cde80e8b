"""A démarche declared as data: its steps and fields, pieces, statuses and transitions.

Rendering, validation and storage read these declarations only: a new démarche is one
module under portal_app/demarches/, never new page code. The rules that apply them to
answers live in portal_app/domain/dossiers/answers.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Field kinds. The form page renders each of them (tested: see RENDERERS in components/draft_fields.py).
TEXT = "text"
LONG_TEXT = "long_text"
EMAIL = "email"
PHONE = "phone"
DATE = "date"
NUMBER = "number"
AMOUNT = "amount"
SELECT = "select"
RADIO = "radio"
CHECKBOX = "checkbox"  # one or more boxes; the answer is the list of ticked values
YES_NO = "yes_no"
SIRET = "siret"
NIR = "nir"
ADDRESS = "address"  # three parts stored under "<name>.line", ".postal_code", ".city"

KINDS = (TEXT, LONG_TEXT, EMAIL, PHONE, DATE, NUMBER, AMOUNT, SELECT, RADIO, CHECKBOX, YES_NO, SIRET, NIR, ADDRESS)
CHOICE_KINDS = (SELECT, RADIO, CHECKBOX, YES_NO)
YES_NO_OPTIONS = (("oui", "Oui"), ("non", "Non"))
ADDRESS_PARTS = (("line", "Numéro et voie"), ("postal_code", "Code postal"), ("city", "Commune"))

DEFAULT_MAX_LENGTH = {TEXT: 200, LONG_TEXT: 2000}

# A validator gets the field's answer and every answer of the dossier (for rules such as
# "end after start"), and returns a French message or None. One marked with reading() says
# which other answers it reads; one that does not say is checked again after every answer.
Validator = Callable[[Any, Mapping[str, Any]], "str | None"]


def reading(*names: str) -> Callable[[Validator], Validator]:
    """Mark a validator as reading only these other answers (none: only its own field's)."""

    def mark(check: Validator) -> Validator:
        check.reads = frozenset(names)  # type: ignore[attr-defined]  # a function's own attribute
        return check

    return mark


def _reads(check: Validator, name: str) -> bool:
    names = getattr(check, "reads", None)
    return names is None or name in names


_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = TEXT
    required: bool = True
    help: str = ""
    options: tuple[tuple[str, str], ...] = ()
    # Shown only when another field's answer is this value (or one of these values).
    visible_if: tuple[str, str | tuple[str, ...]] | None = None
    validators: tuple[Validator, ...] = ()
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    unit: str = ""  # "heures", "mois", "%": shown after the value in the recap
    # Key of the profile value that fills a new draft (see dossiers.profile_values).
    prefill: str = ""
    # Message when a required answer is missing; a generic one is built from the label.
    missing: str = ""
    width: str = ""  # "short" or "medium" input, for values of known length
    autocomplete: str = ""

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return YES_NO_OPTIONS if self.kind == YES_NO else self.options

    @property
    def limit(self) -> int | None:
        return self.max_length or DEFAULT_MAX_LENGTH.get(self.kind)

    @property
    def keys(self) -> tuple[str, ...]:
        """Where the answer is stored: the name, or one key per address part."""
        if self.kind == ADDRESS:
            return tuple(f"{self.name}.{part}" for part, _ in ADDRESS_PARTS)
        return (self.name,)


@dataclass(frozen=True)
class Step:
    code: str  # in the URL: ?etape=<code>
    title: str
    fields: tuple[FieldSpec, ...] = ()
    help: str = ""
    # The step that lists the supporting documents of the démarche.
    shows_pieces: bool = False


@dataclass(frozen=True)
class PieceSpec:
    code: str
    label: str
    help: str = ""
    required: bool = True
    visible_if: tuple[str, str | tuple[str, ...]] | None = None
    # Porte-documents category of a file uploaded for this piece (documents.CATEGORIES).
    category: str = ""


@dataclass(frozen=True)
class StatusSpec:
    code: str
    label: str
    colour: str  # a design token: blue, green, red, orange, grey, purple
    terminal: bool = False
    icon: str = ""
    # What the owner reads; agents always see `label`.
    owner_label: str = ""
    # The owner may change the answers (draft, reopened).
    owner_can_edit: bool = False

    @property
    def label_for_owner(self) -> str:
        return self.owner_label or self.label


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    who: tuple[str, ...]  # "owner", "agent", "system"
    needs_motivation: bool = False


@dataclass(frozen=True)
class QuoteSpec:
    """The démarche funds a training on a provider's quote (domain/quotes): where it is asked,
    how long the withdrawal period lasts, and which answers an accepted quote fills."""

    step: str  # the step that shows "Demander un devis"
    withdrawal_days: int = 14
    # Quote value (domain/quotes/rules.ANSWER_VALUES) -> answer key it fills, read-only while accepted.
    fills: tuple[tuple[str, str], ...] = ()
    # Pieces an acceptance files: the quote PDF the portal generates and the provider's programme.
    quote_piece: str = ""
    programme_piece: str = ""


@dataclass(frozen=True)
class Demarche:
    code: str
    title: str
    description: str
    audience: tuple[str, ...]  # user roles that may file it
    steps: tuple[Step, ...]
    statuses: tuple[StatusSpec, ...]
    transitions: tuple[Transition, ...]
    number_prefix: str  # PTP -> PTP-2026-000042
    pieces: tuple[PieceSpec, ...] = ()
    draft_status: str = "brouillon"
    submitted_status: str = "depose"
    reopened_status: str = "reouvert"
    # Who it may be filed for: "self" (the account holder), "person" or "company" (one of
    # their relations, domain/relations). More than one: starting it asks for whom.
    for_whom: tuple[str, ...] = ("self",)
    # A draft unchanged this long is deleted, after a warning mail (domain/dossiers/expiry.py).
    draft_lifetime_days: int = 90
    # "eidas2": filing asks for a FranceConnect+ authentication less than 10 minutes old
    # (domain/franceconnect/assurance.py); "" for none beyond the portal's own login.
    assurance: str = ""
    sworn_statement: str = (
        "Je certifie sur l'honneur l'exactitude des informations déclarées et je m'engage à signaler "
        "tout changement de ma situation."
    )
    quotes: QuoteSpec | None = None
    # Someone without an account may file it, after confirming an address with a mailed code
    # (domain/guests); for themself only, and only a démarche without pieces or quotes.
    guest: bool = False
    _by_name: dict[str, FieldSpec] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Derived once, as a save asks them at every keystroke's event (issue 18).
    _fields: list[FieldSpec] = field(default_factory=list, init=False, repr=False, compare=False)
    _touches: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _field_controllers: set[str] = field(default_factory=set, init=False, repr=False, compare=False)
    _piece_controllers: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_declaration(self)
        self._fields.extend(spec for step in self.steps for spec in step.fields)
        self._by_name.update({spec.name: spec for spec in self._fields})
        for spec in self._fields:
            if any(self._controls(other, spec.name) for other in self._fields):
                self._field_controllers.add(spec.name)
            if any(self._controls(piece, spec.name) for piece in self.pieces):
                self._piece_controllers.add(spec.name)
        self._touches.update({spec.name: self._steps_reading(spec.name) for spec in self._fields})

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(self._fields)

    def _controls(self, item: FieldSpec | PieceSpec, name: str) -> bool:
        """Whether the answer `name` decides if `item` shows, directly or through the field
        `item` hangs on (a field under a hidden field is hidden too; the depth guards against a
        cycle, as in answers._condition_met)."""
        condition, depth = item.visible_if, 0
        while condition is not None and depth <= 10:
            if condition[0] == name:
                return True
            controller = self._by_name.get(condition[0])
            condition, depth = (controller.visible_if if controller else None), depth + 1
        return False

    def _steps_reading(self, name: str) -> frozenset[str]:
        return frozenset(
            step.code
            for step in self.steps
            if (step.shows_pieces and name in self._piece_controllers)
            or any(
                spec.name == name or self._controls(spec, name) or any(_reads(check, name) for check in spec.validators)
                for spec in step.fields
            )
        )

    def steps_touched_by(self, key: str) -> frozenset[str]:
        """The steps whose state (todo, done, errors) the answer at `key` can change: its own,
        those with a field or piece shown depending on it, and those with a validator reading
        it (or not saying what it reads)."""
        return self._touches.get(key.partition(".")[0], frozenset())

    def controls_fields(self, key: str) -> bool:
        """Whether the answer at `key` shows or hides a field."""
        return key.partition(".")[0] in self._field_controllers

    def controls_pieces(self, key: str) -> bool:
        """Whether the answer at `key` changes which pieces are asked."""
        return key.partition(".")[0] in self._piece_controllers

    def field_named(self, name: str) -> FieldSpec | None:
        return self._by_name.get(name)

    def field_for_key(self, key: str) -> FieldSpec | None:
        """The field owning a storage key ("adresse.city" belongs to "adresse")."""
        spec = self._by_name.get(key.partition(".")[0])
        return spec if spec is not None and key in spec.keys else None

    def step(self, code: str) -> Step | None:
        return next((step for step in self.steps if step.code == code), None)

    def step_index(self, code: str) -> int:
        return next((i for i, step in enumerate(self.steps) if step.code == code), 0)

    def status(self, code: str) -> StatusSpec | None:
        return next((status for status in self.statuses if status.code == code), None)

    def transition(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == source and t.target == target), None)


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"


# As people copy a number from a mail or read it out: any case, spaces, dashes or dots, or
# nothing, between its parts. Without a separator the 6-digit sequence is needed to tell the
# year from the sequence; with one, "ptp 2026 42" is PTP-2026-000042.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015./_]+")
_NUMBER_PARTS = re.compile(r"([A-Z]{2,6}) ?(\d{4}) (\d{1,6})|([A-Z]{2,6})(\d{4})(\d{6})")


def normalize_number(text: str) -> str | None:
    """The dossier number in its canonical form (PTP-2026-000042), or None when the text
    cannot be one."""
    spaced = _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().upper()
    match = _NUMBER_PARTS.fullmatch(spaced) or _NUMBER_PARTS.fullmatch(spaced.replace(" ", ""))
    if match is None:
        return None
    prefix, year, sequence = (part for part in match.groups() if part is not None)
    return format_number(prefix, int(year), int(sequence))


class DeclarationError(ValueError):
    """A démarche module is inconsistent: caught at import, not in front of a user.

    `problems` lists each one ("field 'x': ..."), for `python -m portal_app.cli check-demarches`."""

    def __init__(self, code: str, problems: list[str]) -> None:
        super().__init__(f"démarche {code!r}: " + "; ".join(problems))
        self.code = code
        self.problems = problems


# What FieldSpec.prefill may name: the keys of drafts.profile_values (a unit test keeps both
# equal). An address field names the prefix ("address") of its three parts.
PROFILE_KEYS = frozenset(
    {"civility", "birth_name", "usage_name", "first_names", "birth_date", "birthplace", "nir", "email", "phone"}
    | {f"address.{part}" for part, _ in ADDRESS_PARTS}
)


def check_declaration(demarche: Demarche) -> None:
    problems: list[str] = []
    if not re.fullmatch(r"[a-z][a-z0-9-]*", demarche.code):
        problems.append(f"code {demarche.code!r}: lower-case letters, digits and hyphens")
    if not re.fullmatch(r"[A-Z]{2,6}", demarche.number_prefix):
        problems.append(f"number prefix {demarche.number_prefix!r}: 2 to 6 capital letters")
    if not demarche.steps:
        problems.append("no step")
    seen_steps: set[str] = set()
    names: dict[str, FieldSpec] = {}
    for step in demarche.steps:
        if step.code in seen_steps or not re.fullmatch(r"[a-z][a-z0-9-]*", step.code):
            problems.append(f"step code {step.code!r} duplicated or not a slug")
        seen_steps.add(step.code)
        for spec in step.fields:
            if spec.name in names:
                problems.append(f"field {spec.name!r}: two fields have this name (duplicated)")
            elif not _NAME.fullmatch(spec.name):
                problems.append(f"field {spec.name!r}: its name must be snake_case")
            names[spec.name] = spec
            if spec.kind not in KINDS:
                problems.append(f"field {spec.name!r}: unknown kind {spec.kind!r}")
            if spec.kind in (SELECT, RADIO, CHECKBOX) and not spec.options:
                problems.append(f"field {spec.name!r}: a {spec.kind} needs options")
    for spec in list(names.values()) + list(demarche.pieces):
        if spec.visible_if is not None and spec.visible_if[0] not in names:
            what = f"piece {spec.code!r}" if isinstance(spec, PieceSpec) else f"field {spec.name!r}"
            problems.append(f"{what}: visible_if on unknown field {spec.visible_if[0]!r}")
    if not demarche.for_whom or not set(demarche.for_whom) <= {"self", "person", "company"}:
        problems.append(f"for_whom {demarche.for_whom!r}: one or more of self, person, company")
    if demarche.guest and (demarche.pieces or demarche.quotes is not None or demarche.assurance):
        problems.append("guest: a démarche filed without an account asks no piece, quote nor FranceConnect+")
    if demarche.quotes is not None:
        piece_codes = {piece.code for piece in demarche.pieces}
        if demarche.quotes.step not in seen_steps:
            problems.append(f"quotes: unknown step {demarche.quotes.step!r}")
        for _source, key in demarche.quotes.fills:
            if key.partition(".")[0] not in names:
                problems.append(f"quotes: fills unknown answer {key!r}")
        for code in (demarche.quotes.quote_piece, demarche.quotes.programme_piece):
            if code and code not in piece_codes:
                problems.append(f"quotes: unknown piece {code!r}")
    codes = {status.code for status in demarche.statuses}
    for needed in (demarche.draft_status, demarche.submitted_status, demarche.reopened_status):
        if needed not in codes:
            problems.append(f"status {needed!r} is not declared")
    for transition in demarche.transitions:
        if transition.source not in codes or transition.target not in codes:
            problems.append(f"transition {transition.source} -> {transition.target}: unknown status")
    problems += _more_problems(demarche, names)
    if problems:
        raise DeclarationError(demarche.code, problems)


def _more_problems(demarche: Demarche, names: dict[str, FieldSpec]) -> list[str]:
    """Mistakes a designer makes that would otherwise surface in front of a user: a status no
    transition reaches, a piece code used twice, a prefill the profile cannot give, a
    visible_if value the controlling field never takes."""
    problems: list[str] = []
    reached, frontier = {demarche.draft_status}, [demarche.draft_status]
    while frontier:
        source = frontier.pop()
        for transition in demarche.transitions:
            if transition.source == source and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    for status in demarche.statuses:
        if status.code not in reached:
            problems.append(
                f"status {status.code!r} is unreachable: no transition leads to it from {demarche.draft_status!r}"
            )
    seen_pieces: set[str] = set()
    for piece in demarche.pieces:
        if piece.code in seen_pieces:
            problems.append(f"piece {piece.code!r}: two pieces have this code (used twice)")
        seen_pieces.add(piece.code)
    for spec in names.values():
        wanted = [f"{spec.prefill}.{part}" for part, _ in ADDRESS_PARTS] if spec.kind == ADDRESS else [spec.prefill]
        if spec.prefill and not PROFILE_KEYS.issuperset(wanted):
            known = sorted({key.partition(".")[0] for key in PROFILE_KEYS})
            problems.append(
                f"field {spec.name!r}: prefill {spec.prefill!r} is not in the profile (known: {', '.join(known)})"
            )
    for item in list(names.values()) + list(demarche.pieces):
        controller = names.get(item.visible_if[0]) if item.visible_if else None
        if controller is None or not controller.choices:
            continue
        expected = item.visible_if[1]
        values = {expected} if isinstance(expected, str) else set(expected)
        unknown = sorted(values - {value for value, _ in controller.choices})
        if unknown:
            what = f"piece {item.code!r}" if isinstance(item, PieceSpec) else f"field {item.name!r}"
            problems.append(f"{what}: visible_if value {', '.join(unknown)} is not an option of {controller.name!r}")
    return problems
