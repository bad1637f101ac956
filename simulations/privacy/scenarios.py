"""The HIPAA request scenario bank as data (content/privacy/scenarios.yaml).

`scenarios_load(path)` returns one `RequestCase` per scenario and per variant, ready to run through
`evaluate_request`. A variant copies its scenario, applies `set` (dotted paths such as
`request.requester_name` or `patient.authorizations`) and replaces the listed keys of `expect`.
Errors name the file and line.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from simulations.calls.source import DefinitionError, line_of, yaml_load_file

from .authorization import AuthorizationForm
from .rules import (
    Ask,
    Authorization,
    Channel,
    Content,
    Outcome,
    Part2Consent,
    PatientFacts,
    PersonalRepresentative,
    Purpose,
    Request,
    Requester,
    Step,
    Verification,
)

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "content" / "privacy" / "scenarios.yaml"


@dataclass(frozen=True)
class Expected:
    decision: Outcome
    steps: tuple[Step, ...]
    citations: tuple[str, ...]
    scope: frozenset[Content] | None = None  # None = not asserted
    due: date | None = None


@dataclass(frozen=True)
class RequestCase:
    id: str
    row: int
    title: str
    prompt: str
    request: Request
    patient: PatientFacts
    verification: Verification
    expected: Expected
    variant_of: str = ""
    source: str = ""
    line: int | None = None


def _build(cls, data: Any, source: str, converters: dict[str, Any]):
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DefinitionError(source, line_of(data), f"{cls.__name__}: expected a mapping")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise DefinitionError(source, line_of(data, unknown[0]), f"{cls.__name__}: unknown field(s) {unknown}")
    values = {}
    for key, value in data.items():
        try:
            values[key] = converters[key](value) if key in converters else value
        except (ValueError, TypeError, KeyError) as exc:
            raise DefinitionError(source, line_of(data, key), f"{cls.__name__}.{key}: {exc}") from exc
    return cls(**values)


def _request(data: Any, source: str) -> Request:
    return _build(
        Request,
        data,
        source,
        {
            "requester": Requester,
            "ask": Ask,
            "channel": Channel,
            "purpose": Purpose,
            "dates_requested": tuple,
        },
    )


def _form(data: Any, source: str) -> AuthorizationForm | None:
    """An authorization form, field by field (164.508(c)); dates as ISO."""
    if data is None:
        return None
    return _build(AuthorizationForm, data, source, {"expiration": _date, "signed_on": _date})


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _patient(data: Any, source: str) -> PatientFacts:
    def reps(items):
        return tuple(_build(PersonalRepresentative, item, source, {}) for item in items or ())

    def auths(items):
        return tuple(
            _build(
                Authorization,
                item,
                source,
                {"covers": lambda v: frozenset(Ask(x) for x in v), "form": lambda v: _form(v, source)},
            )
            for item in items or ()
        )

    return _build(
        PatientFacts,
        data,
        source,
        {
            "personal_representatives": reps,
            "authorizations": auths,
            "authorized_contacts": tuple,
            "part2_consent": lambda v: _build(Part2Consent, v, source, {}) if v else None,
            "no_messages": lambda v: tuple(Channel(x) for x in v),
        },
    )


def _verification(data: Any, source: str) -> Verification:
    return _build(Verification, data, source, {"identifiers_checked": frozenset, "documents_seen": frozenset})


def _expected(data: Any, source: str) -> Expected:
    for key in ("decision", "steps", "citations"):
        if not isinstance(data, dict) or key not in data:
            raise DefinitionError(source, line_of(data), f"expect: missing {key!r}")
    return _build(
        Expected,
        data,
        source,
        {
            "decision": Outcome,
            "steps": lambda v: tuple(Step(x) for x in v),
            "citations": tuple,
            "scope": lambda v: frozenset(Content(x) for x in v),
        },
    )


def _set_path(data: dict, path: str, value: Any, source: str, line: int | None) -> None:
    head, _, key = path.partition(".")
    if head not in ("request", "patient", "verification") or not key:
        raise DefinitionError(
            source, line, f"variant set: {path!r} must start with request., patient. or verification."
        )
    data.setdefault(head, {})
    data[head][key] = value


def _case(raw: dict, source: str, variant: dict | None = None) -> RequestCase:
    data = {key: copy.deepcopy(raw.get(key) or {}) for key in ("request", "patient", "verification")}
    expect = dict(raw.get("expect") or {})
    case_id, variant_of = raw["id"], ""
    line = line_of(raw)
    if variant is not None:
        if "id" not in variant:
            raise DefinitionError(source, line_of(variant), "variant: missing 'id'")
        case_id, variant_of, line = f"{raw['id']}/{variant['id']}", raw["id"], line_of(variant)
        changes = variant.get("set") or {}
        for path, value in changes.items():
            _set_path(data, path, copy.deepcopy(value), source, line_of(changes, path))
        expect.update(variant.get("expect") or {})
        if "expect" in variant and "decision" in variant["expect"] and "scope" not in variant["expect"]:
            expect.pop("scope", None)  # a flipped decision releases something else
        if "expect" in variant and "decision" in variant["expect"] and "due" not in variant["expect"]:
            expect.pop("due", None)
    return RequestCase(
        id=case_id,
        row=int(raw.get("row", 0)),
        title=str(raw.get("title", "")),
        prompt=str(variant.get("prompt", raw.get("prompt", "")) if variant else raw.get("prompt", "")),
        request=_request(data["request"], source),
        patient=_patient(data["patient"], source),
        verification=_verification(data["verification"], source),
        expected=_expected(expect, source),
        variant_of=variant_of,
        source=source,
        line=line,
    )


def scenarios_load(path: Path | str = DEFAULT_PATH) -> list[RequestCase]:
    """Every scenario and every variant in the file, in file order."""
    data = yaml_load_file(path)
    source = str(path)
    items = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise DefinitionError(source, line_of(data), "expected a non-empty 'scenarios' list")
    cases: list[RequestCase] = []
    seen: set[str] = set()
    for raw in items:
        if not isinstance(raw, dict) or "id" not in raw:
            raise DefinitionError(source, line_of(raw), "scenario: missing 'id'")
        if raw["id"] in seen:
            raise DefinitionError(source, line_of(raw, "id"), f"duplicate scenario id {raw['id']!r}")
        seen.add(raw["id"])
        cases.append(_case(raw, source))
        for variant in raw.get("variants") or ():
            cases.append(_case(raw, source, variant))
    return cases


@cache
def _cases_by_id(path: str) -> dict[str, RequestCase]:
    return {case.id: case for case in scenarios_load(path)}


def scenario_case(case_id: str, path: Path | str = DEFAULT_PATH) -> RequestCase:
    """One case of the bank by id (`row05-...` or `row05-.../variant`); the file is read once per process.
    Raises ValueError naming the id if there is no such case."""
    try:
        return _cases_by_id(str(path))[case_id]
    except KeyError:
        raise ValueError(f"unknown case {case_id!r} in {path}") from None
