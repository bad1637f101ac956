"""Walking and scoring a call.

`call_walk(definition, choices, notes=...)` follows the trainee's choices from the start node, refusing any
choice that is not offered at that node, and returns a `Transcript` (possibly unfinished, for a call in
progress). `call_score(definition, transcript)` scores it per axis, applies the critical-error gates, the
ordered-tag sequence checks and the required tags, and says for each poorer choice what the better one was.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .definition import (
    CRITICAL_CODES,
    PHI_TAG,
    QUALITY_FACTOR,
    VERIFY_TAG,
    Axis,
    CallDefinition,
    Node,
    Quality,
)


class IllegalChoice(ValueError):
    def __init__(self, call_id: str, node_id: str, choice_id: str, legal: list[str]):
        self.call_id, self.node_id, self.choice_id, self.legal = call_id, node_id, choice_id, legal
        super().__init__(f"{call_id}: {choice_id!r} is not a choice at node {node_id!r} (choose one of {legal})")


@dataclass(frozen=True)
class Turn:
    node_id: str
    caller_line: str
    choice_id: str = ""
    choice_text: str = ""
    note: str = ""


@dataclass(frozen=True)
class Transcript:
    call_id: str
    variant: str | None
    turns: tuple[Turn, ...]
    finished: bool
    current_node: str  # the end node if finished, else the node waiting for an answer
    outcome: str = ""


@dataclass(frozen=True)
class NodeFeedback:
    node_id: str
    chosen_id: str
    chosen_text: str
    quality: Quality
    feedback: str
    better_id: str
    better_text: str
    better_feedback: str


@dataclass(frozen=True)
class CriticalFinding:
    code: str
    node_id: str
    message: str


@dataclass(frozen=True)
class NoteResult:
    node_id: str
    found: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class CallResult:
    call_id: str
    complete: bool
    axes: dict[Axis, float | None]  # percent per axis, None when the path never touched the axis
    overall: float
    critical_errors: tuple[CriticalFinding, ...]
    sequence_failures: tuple[str, ...]
    missing_required: tuple[str, ...]
    feedback: tuple[NodeFeedback, ...]
    notes: tuple[NoteResult, ...] = ()
    office_actions: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return self.complete and not self.critical_errors and not self.sequence_failures and not self.missing_required

    def meets(self, minimums: Mapping[Axis | str, float]) -> bool:
        """Certification gate: passed, and each named axis at or above its minimum percent."""
        return self.passed and all((self.axes.get(Axis(axis)) or 0.0) >= minimum for axis, minimum in minimums.items())


@dataclass(frozen=True)
class Prompt:
    """What a screen shows at the node a transcript is waiting on."""

    node_id: str
    speaker: str
    line: str
    choices: tuple[tuple[str, str], ...]  # (choice id, rendered text), in display order
    note_prompt: str = ""


def call_prompt(definition: CallDefinition, transcript: Transcript, *, seed: str | int | None = None) -> Prompt | None:
    """The node the call is waiting on, rendered for the transcript's variant; None once the call has ended.
    With a seed (e.g. the attempt id) the choices are shuffled deterministically, so the best answer is not
    always first and a reload shows the same order."""
    if transcript.finished:
        return None
    node = definition.nodes[transcript.current_node]
    choices = [(choice.id, definition.render(choice.text, transcript.variant)) for choice in node.choices]
    if seed is not None:
        # Display order only, not a secret: a seeded PRNG is the right tool here.
        random.Random(f"{seed}:{definition.id}:{node.id}").shuffle(choices)  # noqa: S311
    note_prompt = definition.render(node.note.prompt, transcript.variant) if node.note else ""
    return Prompt(node.id, node.speaker, definition.render(node.line, transcript.variant), tuple(choices), note_prompt)


def call_walk(
    definition: CallDefinition,
    choices: Sequence[str],
    *,
    notes: Mapping[str, str] | None = None,
    variant: str | None = None,
) -> Transcript:
    """Follow `choices` (choice ids, in order) from the start; note nodes take their text from `notes`
    keyed by node id. Stops at an end node (finished) or when the answers run out (unfinished)."""
    definition.values(variant)  # unknown variant -> KeyError
    notes = notes or {}
    pending = list(choices)
    turns: list[Turn] = []
    node: Node = definition.nodes[definition.start]
    while not node.end:
        line = definition.render(node.line, variant)
        if node.note is not None:
            if node.id not in notes:
                return Transcript(definition.id, variant, tuple(turns), False, node.id)
            turns.append(Turn(node.id, line, note=str(notes[node.id])))
            node = definition.nodes[node.next]
            continue
        if not pending:
            return Transcript(definition.id, variant, tuple(turns), False, node.id)
        choice_id = pending.pop(0)
        choice = node.choice(choice_id)
        if choice is None:
            raise IllegalChoice(definition.id, node.id, choice_id, [c.id for c in node.choices])
        turns.append(Turn(node.id, line, choice.id, definition.render(choice.text, variant)))
        node = definition.nodes[choice.next]
    if pending:
        raise IllegalChoice(definition.id, node.id, pending[0], [])
    return Transcript(definition.id, variant, tuple(turns), True, node.id, definition.render(node.outcome, variant))


def ideal_path(definition: CallDefinition, variant: str | None = None) -> tuple[list[str], dict[str, str]]:
    """The model answer: the first optimal choice at each node, and each note node's example note."""
    choices: list[str] = []
    notes: dict[str, str] = {}
    node = definition.nodes[definition.start]
    while not node.end:
        if node.note is not None:
            notes[node.id] = definition.render(node.note.example, variant)
            node = definition.nodes[node.next]
            continue
        best = node.best_choice()
        choices.append(best.id)
        node = definition.nodes[best.next]
    return choices, notes


def call_score(definition: CallDefinition, transcript: Transcript) -> CallResult:
    if transcript.call_id != definition.id:
        raise ValueError(f"transcript of {transcript.call_id!r} scored against {definition.id!r}")
    variant = transcript.variant
    earned = dict.fromkeys(Axis, 0.0)
    possible = dict.fromkeys(Axis, 0.0)
    tags: list[str] = []
    tag_turn: list[str] = []
    feedback: list[NodeFeedback] = []
    criticals: list[CriticalFinding] = []
    note_results: list[NoteResult] = []
    actions: list[str] = []
    for turn in transcript.turns:
        node = definition.nodes[turn.node_id]
        if node.note is not None:
            found = tuple(e.element for e in node.note.required if e.found_in(turn.note))
            missing = tuple(e.element for e in node.note.required if e.element not in found)
            share = len(found) / len(node.note.required)
            for axis, weight in node.note.weights.items():
                earned[axis] += weight * share
                possible[axis] += weight
            note_results.append(NoteResult(node.id, found, missing))
            continue
        choice = node.choice(turn.choice_id)
        for axis in Axis:
            earned[axis] += choice.weights.get(axis, 0.0) * QUALITY_FACTOR[choice.quality]
            possible[axis] += node.max_weight(axis)
        for tag in choice.tags:
            tags.append(tag)
            tag_turn.append(node.id)
        if choice.office_action:
            actions.append(choice.office_action)
        if choice.quality is Quality.CRITICAL:
            criticals.append(
                CriticalFinding(
                    choice.critical,
                    node.id,
                    definition.render(choice.feedback, variant) or CRITICAL_CODES[choice.critical],
                )
            )
        if choice.quality is not Quality.OPTIMAL:
            better = node.best_choice()
            feedback.append(
                NodeFeedback(
                    node_id=node.id,
                    chosen_id=choice.id,
                    chosen_text=definition.render(choice.text, variant),
                    quality=choice.quality,
                    feedback=definition.render(choice.feedback, variant),
                    better_id=better.id,
                    better_text=definition.render(better.text, variant),
                    better_feedback=definition.render(better.feedback, variant),
                )
            )
    # Safety net whatever the content author tagged as critical: PHI before identity verification.
    phi_early = (
        definition.phi_requires_verification
        and PHI_TAG in tags
        and (VERIFY_TAG not in tags or tags.index(VERIFY_TAG) > tags.index(PHI_TAG))
    )
    if phi_early and not any(c.code == "phi_before_verification" for c in criticals):
        node_id = tag_turn[tags.index(PHI_TAG)]
        criticals.append(CriticalFinding("phi_before_verification", node_id, CRITICAL_CODES["phi_before_verification"]))
    failures = []
    for check in definition.sequence_checks:
        if check.then in tags:
            first_then = tags.index(check.then)
            if check.before not in tags[:first_then]:
                cite = f" ({check.citation})" if check.citation else ""
                failures.append(f"{check.message}{cite}")
    missing_required = tuple(item.message for item in definition.required_tags if item.tag not in tags)
    axes = {axis: (round(100 * earned[axis] / possible[axis], 1) if possible[axis] else None) for axis in Axis}
    total_possible = sum(possible.values())
    overall = round(100 * sum(earned.values()) / total_possible, 1) if total_possible else 0.0
    return CallResult(
        call_id=definition.id,
        complete=transcript.finished,
        axes=axes,
        overall=overall,
        critical_errors=tuple(criticals),
        sequence_failures=tuple(failures),
        missing_required=missing_required,
        feedback=tuple(feedback),
        notes=tuple(note_results),
        office_actions=tuple(actions),
        tags=tuple(tags),
    )
