"""The grader's core: the input a check sees, the registry of checks and the scoring rule."""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class GradingInput:
    """Everything a check may look at, as plain data (built by selectors.grading_input)."""

    rules: dict
    now: datetime
    patients: dict[str, dict]
    appointments: list[dict]
    chart: list[dict]
    log: list[dict]
    # claims, remittances and ledger entries (selectors.billing_grading_data); empty for non-billing shifts
    billing: dict = field(default_factory=dict)
    # receipts, payment plans, statements, deposit counts (accounts_selectors.accounts_grading_data);
    # empty unless the scenario uses a patient-account check
    accounts: dict = field(default_factory=dict)
    # provider blocks (calendar_selectors.calendar_grading_data); appointments carry their "series" id
    calendar: dict = field(default_factory=dict)
    # claim follow-up: claims by scenario key, denial work, links, defect marks (claims_selectors.claims_grading_data)
    claims: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    passed: bool
    detail: str = ""
    diff: list[tuple[str, str]] = field(default_factory=list)


CHECKS: dict[str, Callable[..., Outcome]] = {}


def check(function: Callable[..., Outcome]) -> Callable[..., Outcome]:
    CHECKS[function.__name__] = function
    return function


# ---- helpers -------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Whitespace-normalised text: the only difference a verbatim order may have."""
    return " ".join(str(text).split())


def _loose(value) -> str:
    """For registration fields: case, spaces, dashes and dots do not matter (R1 normalisation)."""
    return re.sub(r"[\s\-./()]", "", str(value or "")).lower()


def word_diff(expected: str, actual: str) -> list[tuple[str, str]]:
    """A word-level diff: [("same"|"removed"|"added", words)] from `expected` to `actual`."""
    a, b = normalise(expected).split(" "), normalise(actual).split(" ")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            out.append(("removed", " ".join(a[i1:i2])))
        if op in ("replace", "insert"):
            out.append(("added", " ".join(b[j1:j2])))
    return out


def resolve_patient(g: GradingInput, ref) -> str | None:
    """A patient key from a reference: a key, or {field: value} matched (loosely) against the rows."""
    if isinstance(ref, str):
        return ref if ref in g.patients else None
    if isinstance(ref, dict):
        for key, row in g.patients.items():
            if all(_loose(row.get(name)) == _loose(value) for name, value in ref.items()):
                return key
    return None


# ---- scoring -------------------------------------------------------------------------------------


def grade(g: GradingInput, checks: list[dict], *, pass_mark: int, x_cap: int = 0) -> dict:
    """Run every check; score = Σ weight × pass / Σ weight (percent), then the X-gates.

    A failed X check fails the shift and caps its score at `x_cap` (0 by default).
    """
    items = []
    for spec in checks:
        outcome = CHECKS[spec["check"]](g, **(spec.get("params") or {}))
        items.append(
            {
                "id": spec["id"],
                "kind": spec["kind"],
                "weight": spec["weight"],
                "passed": outcome.passed,
                "feedback": spec["pass"] if outcome.passed else spec["fail"],
                "detail": outcome.detail,
                "diff": outcome.diff,
                "rule": spec["rule"],
            }
        )
    total = sum(Decimal(str(i["weight"])) for i in items)
    earned = sum(Decimal(str(i["weight"])) for i in items if i["passed"])
    score = (Decimal(100) * earned / total) if total else Decimal(0)
    x_failed = [i["id"] for i in items if i["kind"] == "X" and not i["passed"]]
    if x_failed:
        score = min(score, Decimal(x_cap))
    score = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {
        "items": items,
        "score": str(score),
        "critical_errors": x_failed,
        "passed": not x_failed and score >= pass_mark,
        "pass_mark": pass_mark,
    }
