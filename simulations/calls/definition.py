"""Call definitions: the YAML schema, the loader and its validator.

A call is a graph of nodes. A choice node has the caller's line and 2+ choices for the representative; a
note node asks for a short free-text note checked against required elements; an end node closes the call.
`call_load(path)` parses and validates one file; every error names the file and line. See
content/calls/README.md for the schema.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .source import DefinitionError, LineDict, line_of, yaml_load_file


class Axis(StrEnum):
    COMPLIANCE = "compliance"  # privacy and safety
    ACCURACY = "accuracy"  # facts: balances, deductibles, scheduling rules
    SERVICE = "service"  # HEAT / AIDET behaviour
    EFFICIENCY = "efficiency"  # resolved without needless transfers or repeats


class Quality(StrEnum):
    OPTIMAL = "optimal"
    ACCEPTABLE = "acceptable"
    POOR = "poor"
    CRITICAL = "critical"


QUALITY_FACTOR = {Quality.OPTIMAL: 1.0, Quality.ACCEPTABLE: 0.5, Quality.POOR: 0.0, Quality.CRITICAL: 0.0}

# Critical choices fail the call whatever the points (PRACTICE_OFFICE.md, "Proposed scoring").
CRITICAL_CODES = {
    "phi_before_verification": "PHI disclosed before the caller's identity was verified.",
    "phi_to_unentitled": "PHI disclosed to someone not entitled to it.",
    "medical_advice": "Medical advice or triage given by non-clinical staff.",
    "arguing_blaming": "Arguing with or blaming the caller.",
    "promising_outcome": "Promised an outcome the office cannot guarantee.",
    "missed_emergency": "A red-flag emergency was handled as a routine request.",
    "co_billed_to_patient": "Told the patient they owe a contractual (CO) amount the practice must write off.",
}

PHI_TAG = "disclose_phi"
VERIFY_TAG = "verify_identity"


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    next: str
    quality: Quality
    weights: dict[Axis, float]
    tags: tuple[str, ...] = ()
    feedback: str = ""
    critical: str = ""
    office_action: str = ""
    line: int | None = None


@dataclass(frozen=True)
class NoteElement:
    element: str
    patterns: tuple[re.Pattern, ...]

    def found_in(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.patterns)


@dataclass(frozen=True)
class NoteSpec:
    prompt: str
    required: tuple[NoteElement, ...]
    weights: dict[Axis, float]
    example: str = ""


@dataclass(frozen=True)
class Node:
    id: str
    speaker: str = "caller"
    line: str = ""
    choices: tuple[Choice, ...] = ()
    note: NoteSpec | None = None
    next: str = ""  # note nodes only
    end: bool = False
    outcome: str = ""  # end nodes: what happened
    source_line: int | None = None

    def choice(self, choice_id: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.id == choice_id), None)

    def best_choice(self) -> Choice | None:
        return next((choice for choice in self.choices if choice.quality is Quality.OPTIMAL), None)

    def max_weight(self, axis: Axis) -> float:
        return max((choice.weights.get(axis, 0.0) for choice in self.choices), default=0.0)


@dataclass(frozen=True)
class SequenceCheck:
    before: str
    then: str
    message: str
    citation: str = ""


@dataclass(frozen=True)
class RequiredTag:
    tag: str
    message: str


@dataclass(frozen=True)
class CallDefinition:
    id: str
    title: str
    task: str
    summary: str
    start: str
    nodes: dict[str, Node]
    variables: dict[str, str] = field(default_factory=dict)
    variants: dict[str, dict[str, str]] = field(default_factory=dict)
    sequence_checks: tuple[SequenceCheck, ...] = ()
    required_tags: tuple[RequiredTag, ...] = ()
    citations: tuple[str, ...] = ()
    # False where the caller is never entitled to PHI whoever they are (a family member without permission):
    # a disclosure there is phi_to_unentitled, flagged by the choice, not "before verification".
    phi_requires_verification: bool = True
    source: str = ""

    def values(self, variant: str | None = None) -> dict[str, str]:
        if variant is not None and variant not in self.variants:
            raise KeyError(f"{self.id}: no variant {variant!r}")
        return {**self.variables, **(self.variants.get(variant, {}) if variant else {})}

    def render(self, text: str, variant: str | None = None) -> str:
        return text.format_map(self.values(variant))


TOP_KEYS = {
    "id",
    "title",
    "task",
    "summary",
    "start",
    "nodes",
    "variables",
    "variants",
    "sequence_checks",
    "required_tags",
    "default_weights",
    "citations",
    "phi_requires_verification",
}
NODE_KEYS = {"speaker", "line", "choices", "note", "next", "end", "outcome", "weights"}
CHOICE_KEYS = {"id", "text", "next", "quality", "weights", "tags", "feedback", "critical", "office_action"}
NOTE_KEYS = {"prompt", "required", "weights", "example"}


class _Parser:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: Any, message: str, key: str | None = None) -> DefinitionError:
        return DefinitionError(self.source, line_of(where, key), message)

    def mapping(self, data: Any, what: str, allowed: set[str], required: tuple[str, ...] = ()) -> LineDict:
        if not isinstance(data, dict):
            raise self.fail(data, f"{what}: expected a mapping")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(data, f"{what}: unknown key {unknown[0]!r}", unknown[0])
        for key in required:
            if data.get(key) in (None, ""):
                raise self.fail(data, f"{what}: missing {key!r}")
        return data

    def weights(self, data: Any, what: str, default: dict[Axis, float]) -> dict[Axis, float]:
        if data is None:
            return dict(default)
        if not isinstance(data, dict):
            raise self.fail(data, f"{what}: weights must be a mapping of axis to number")
        result: dict[Axis, float] = {}
        for key, value in data.items():
            if key not in Axis.__members__.values():
                raise self.fail(data, f"{what}: unknown axis {key!r} (use {', '.join(Axis)})", key)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise self.fail(data, f"{what}: weight for {key!r} must be a number >= 0", key)
            result[Axis(key)] = float(value)
        return result

    def choice(self, data: Any, node_id: str, default: dict[Axis, float]) -> Choice:
        data = self.mapping(data, f"node {node_id!r} choice", CHOICE_KEYS, ("id", "text", "next", "quality"))
        what = f"node {node_id!r} choice {data['id']!r}"
        if data["quality"] not in Quality.__members__.values():
            raise self.fail(data, f"{what}: quality must be one of {', '.join(Quality)}", "quality")
        quality = Quality(data["quality"])
        critical = str(data.get("critical") or "")
        if quality is Quality.CRITICAL and critical not in CRITICAL_CODES:
            raise self.fail(data, f"{what}: a critical choice needs critical: one of {', '.join(CRITICAL_CODES)}")
        if quality is not Quality.CRITICAL and critical:
            raise self.fail(data, f"{what}: only a quality: critical choice may name a critical error", "critical")
        tags = data.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise self.fail(data, f"{what}: tags must be a list of words", "tags")
        return Choice(
            id=str(data["id"]),
            text=str(data["text"]),
            next=str(data["next"]),
            quality=quality,
            weights=self.weights(data.get("weights"), what, default),
            tags=tuple(tags),
            feedback=str(data.get("feedback") or ""),
            critical=critical,
            office_action=str(data.get("office_action") or ""),
            line=line_of(data),
        )

    def note(self, data: Any, node_id: str, default: dict[Axis, float]) -> NoteSpec:
        data = self.mapping(data, f"node {node_id!r} note", NOTE_KEYS, ("prompt", "required"))
        elements = []
        if not isinstance(data["required"], list) or not data["required"]:
            raise self.fail(data, f"node {node_id!r} note: required must be a non-empty list", "required")
        for item in data["required"]:
            item = self.mapping(item, f"node {node_id!r} note element", {"element", "any"}, ("element", "any"))
            patterns = item["any"] if isinstance(item["any"], list) else [item["any"]]
            compiled = []
            for pattern in patterns:
                try:
                    compiled.append(re.compile(str(pattern), re.IGNORECASE))
                except re.error as exc:
                    raise self.fail(item, f"node {node_id!r} note: bad pattern {pattern!r}: {exc}", "any") from exc
            elements.append(NoteElement(str(item["element"]), tuple(compiled)))
        spec = NoteSpec(
            prompt=str(data["prompt"]),
            required=tuple(elements),
            weights=self.weights(data.get("weights"), f"node {node_id!r} note", default),
            example=str(data.get("example") or ""),
        )
        missing = [e.element for e in spec.required if spec.example and not e.found_in(spec.example)]
        if missing:
            raise self.fail(data, f"node {node_id!r} note: the example lacks {', '.join(missing)}", "example")
        return spec

    def node(self, node_id: str, data: Any, default: dict[Axis, float], key_line: int | None = None) -> Node:
        data = self.mapping(data, f"node {node_id!r}", NODE_KEYS)
        here = key_line or line_of(data)
        kinds = [key for key in ("choices", "note", "end") if data.get(key)]
        if len(kinds) != 1:
            raise DefinitionError(
                self.source, here, f"node {node_id!r}: needs exactly one of choices, note or end: true"
            )
        node_default = self.weights(data.get("weights"), f"node {node_id!r}", default)
        if kinds == ["end"]:
            return Node(
                node_id,
                line=str(data.get("line") or ""),
                end=True,
                outcome=str(data.get("outcome") or ""),
                speaker=str(data.get("speaker") or "caller"),
                source_line=line_of(data),
            )
        if kinds == ["note"]:
            if not data.get("next"):
                raise DefinitionError(self.source, here, f"node {node_id!r}: a note node needs next")
            return Node(
                node_id,
                line=str(data.get("line") or ""),
                note=self.note(data["note"], node_id, node_default),
                next=str(data["next"]),
                speaker=str(data.get("speaker") or "caller"),
                source_line=line_of(data),
            )
        raw_choices = data["choices"]
        if not isinstance(raw_choices, list) or len(raw_choices) < 2:
            raise self.fail(data, f"node {node_id!r}: a choice node needs at least two choices", "choices")
        choices = tuple(self.choice(item, node_id, node_default) for item in raw_choices)
        ids = [choice.id for choice in choices]
        duplicate = next((cid for cid in ids if ids.count(cid) > 1), None)
        if duplicate:
            raise self.fail(raw_choices, f"node {node_id!r}: duplicate choice id {duplicate!r}")
        node = Node(
            node_id,
            speaker=str(data.get("speaker") or "caller"),
            line=str(data.get("line") or ""),
            choices=choices,
            source_line=line_of(data),
        )
        optimal = [choice for choice in choices if choice.quality is Quality.OPTIMAL]
        if not optimal:
            raise DefinitionError(self.source, here, f"node {node_id!r}: no optimal choice")
        for choice in optimal:
            for axis in Axis:
                if choice.weights.get(axis, 0.0) < node.max_weight(axis):
                    raise DefinitionError(
                        self.source,
                        choice.line,
                        f"node {node_id!r} choice {choice.id!r}: an optimal choice must carry the node's highest "
                        f"{axis} weight, or the ideal path cannot score 100%",
                    )
        return node


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def call_parse(data: Any, source: str) -> CallDefinition:
    """Validate parsed YAML (LineDict/LineList from source.yaml_load) and build the definition."""
    parser = _Parser(source)
    data = parser.mapping(data, "call", TOP_KEYS, ("id", "title", "start", "nodes"))
    default = parser.weights(data.get("default_weights"), "default_weights", dict.fromkeys(Axis, 1.0))
    raw_nodes = data["nodes"]
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        raise parser.fail(data, "nodes: expected a mapping of node id to node", "nodes")
    key_lines = getattr(raw_nodes, "key_lines", {})
    nodes = {
        str(node_id): parser.node(str(node_id), raw, default, key_lines.get(node_id))
        for node_id, raw in raw_nodes.items()
    }
    node_lines = {str(node_id): key_lines.get(node_id) for node_id in raw_nodes}

    def fail_at(node_id: str, message: str) -> DefinitionError:
        return DefinitionError(source, node_lines.get(node_id), message)

    if data["start"] not in nodes:
        raise parser.fail(data, f"start: no node {data['start']!r}", "start")
    for node in nodes.values():
        for choice in node.choices:
            if choice.next not in nodes:
                raise DefinitionError(
                    source, choice.line, f"node {node.id!r} choice {choice.id!r}: next {choice.next!r} is not a node"
                )
        if node.note and node.next not in nodes:
            raise fail_at(node.id, f"node {node.id!r}: next {node.next!r} is not a node")

    def successors(node: Node) -> list[str]:
        return [choice.next for choice in node.choices] + ([node.next] if node.note else [])

    # Every path ends: the graph is acyclic, so each walk reaches an end node.
    state: dict[str, int] = {}

    def visit(node_id: str, trail: list[str]) -> None:
        state[node_id] = 1
        for target in successors(nodes[node_id]):
            if state.get(target) == 1:
                loop = " -> ".join([*trail[trail.index(target) :], target]) if target in trail else target
                raise fail_at(target, f"node {target!r}: the call can loop forever ({loop})")
            if target not in state:
                visit(target, [*trail, target])
        state[node_id] = 2

    visit(data["start"], [data["start"]])
    unreachable = [node_id for node_id in nodes if node_id not in state]
    if unreachable:
        raise fail_at(unreachable[0], f"node {unreachable[0]!r} cannot be reached from start")
    if not any(node.end for node in nodes.values()):
        raise parser.fail(data, "the call has no end node", "nodes")

    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise parser.fail(data, "variables: expected a mapping", "variables")
    variables = {str(key): str(value) for key, value in variables.items()}
    variants: dict[str, dict[str, str]] = {}
    for item in data.get("variants") or []:
        item = parser.mapping(item, "variant", {"id", "values"}, ("id",))
        values = item.get("values") or {}
        unknown = sorted(set(values) - set(variables))
        if unknown:
            raise parser.fail(item, f"variant {item['id']!r}: {unknown[0]!r} is not in variables")
        if item["id"] in variants:
            raise parser.fail(item, f"duplicate variant id {item['id']!r}", "id")
        variants[str(item["id"])] = {str(key): str(value) for key, value in values.items()}
    for node in nodes.values():
        texts = [
            node.line,
            node.outcome,
            *(choice.text for choice in node.choices),
            *(choice.feedback for choice in node.choices),
        ]
        if node.note:
            texts += [node.note.prompt, node.note.example]
        for text in texts:
            try:
                names = _placeholders(text)
            except ValueError as exc:
                raise fail_at(node.id, f"node {node.id!r}: bad placeholder in {text[:40]!r}: {exc}") from exc
            missing = sorted(names - set(variables))
            if missing:
                raise fail_at(node.id, f"node {node.id!r}: placeholder {{{missing[0]}}} is not in variables")

    all_tags = {tag for node in nodes.values() for choice in node.choices for tag in choice.tags}
    checks = []
    for item in data.get("sequence_checks") or []:
        item = parser.mapping(
            item, "sequence check", {"before", "then", "message", "citation"}, ("before", "then", "message")
        )
        for key in ("before", "then"):
            if item[key] not in all_tags:
                raise parser.fail(item, f"sequence check: no choice is tagged {item[key]!r}", key)
        checks.append(
            SequenceCheck(str(item["before"]), str(item["then"]), str(item["message"]), str(item.get("citation") or ""))
        )
    required = []
    for item in data.get("required_tags") or []:
        item = parser.mapping(item, "required tag", {"tag", "message"}, ("tag", "message"))
        if item["tag"] not in all_tags:
            raise parser.fail(item, f"required tag: no choice is tagged {item['tag']!r}", "tag")
        required.append(RequiredTag(str(item["tag"]), str(item["message"])))

    return CallDefinition(
        id=str(data["id"]),
        title=str(data["title"]),
        task=str(data.get("task") or ""),
        summary=str(data.get("summary") or ""),
        start=str(data["start"]),
        nodes=nodes,
        variables=variables,
        variants=variants,
        sequence_checks=tuple(checks),
        required_tags=tuple(required),
        citations=tuple(str(c) for c in data.get("citations") or ()),
        phi_requires_verification=bool(data.get("phi_requires_verification", True)),
        source=source,
    )


def call_load(path: Path | str) -> CallDefinition:
    """Load and validate one call file."""
    return call_parse(yaml_load_file(path), str(path))


CALLS_DIR = Path(__file__).resolve().parents[2] / "content" / "calls"


def calls_load_all(directory: Path | str = CALLS_DIR) -> dict[str, CallDefinition]:
    """Every *.yaml call in the directory, by call id; duplicate ids are an error."""
    calls: dict[str, CallDefinition] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        definition = call_load(path)
        if definition.id in calls:
            raise DefinitionError(
                str(path), None, f"call id {definition.id!r} already used in {calls[definition.id].source}"
            )
        calls[definition.id] = definition
    return calls
