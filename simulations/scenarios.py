"""Scenario definitions (YAML) → validated data, and the per-shift rendering of one variant.

A scenario names its checks by the grader's registry (simulations/grading/), so a new scenario needs
no code. `{placeholders}` in the brief, setup, inbox and check parameters are filled from the variant
chosen by the shift's seed; see content/FORMAT.md ("Scenarios").
"""

import inspect
import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

from .office import OfficeError, parse_date

CHECK_KINDS = {
    "E": "End state",
    "P": "Process",
    "C": "Computation",
    "A": "Artefact",
    "X": "Critical error",
}
INBOX_KINDS = {
    "phone": "Phone call",
    "order": "Physician order",
    "fax": "Fax",
    "walk-in": "Walk-in",
    "incident": "Privacy incident",
    "message": "Message",
}


class ScenarioError(ValueError):
    pass


@dataclass
class ScenarioDef:
    key: str
    title: str
    task_ids: list[str]
    today: datetime
    brief: str
    variants: list[dict]
    inbox: list[dict]
    checks: list[dict]
    setup: dict = field(default_factory=dict)
    # The most a shift with a failed critical-error check can score (percent): 0 = the X fails it outright.
    x_cap: int = 0


def _need(item, keys: list[str], where: str) -> None:
    if not isinstance(item, dict):
        raise ScenarioError(f"{where}: expected a mapping")
    missing = [k for k in keys if item.get(k) in (None, "", [])]
    if missing:
        raise ScenarioError(f"{where}: missing {', '.join(missing)}")


def _check_params(check: dict, where: str) -> None:
    from .grading import CHECKS

    function = CHECKS.get(check["check"])
    if function is None:
        raise ScenarioError(f"{where}: unknown check {check['check']!r}; known: {', '.join(sorted(CHECKS))}")
    accepted = set(inspect.signature(function).parameters) - {"g"}
    unknown = set(check.get("params") or {}) - accepted
    if unknown:
        raise ScenarioError(f"{where}: {check['check']} has no parameter(s) {sorted(unknown)}")


# ---- privacy setup (H1, H2): the work queue and the break-the-glass limit ---------------------------


def _privacy_setup(setup: dict) -> None:
    """`work_queue`: the patient keys whose charts open normally (others need break-the-glass);
    `break_glass_limit`: minutes of office time a grant lasts, or "end-of-shift"."""
    queue = setup.get("work_queue")
    if queue is not None and (not isinstance(queue, list) or not queue or not all(isinstance(k, str) for k in queue)):
        raise ScenarioError("setup.work_queue: give a list of patient keys")
    limit = setup.get("break_glass_limit")
    if limit is not None and limit != "end-of-shift" and not (isinstance(limit, int) and 0 < limit <= 24 * 60):
        raise ScenarioError('setup.break_glass_limit: minutes (1-1440) or "end-of-shift"')


def scenario_parse(text: str) -> ScenarioDef:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"invalid YAML: {exc}") from exc
    _need(data, ["key", "title", "today", "brief", "variants", "inbox", "checks"], "scenario")
    try:
        today = datetime.fromisoformat(str(data["today"]))
    except ValueError as exc:
        raise ScenarioError(f"today must be 'YYYY-MM-DD HH:MM', not {data['today']!r}") from exc
    if not isinstance(data["variants"], list) or len(data["variants"]) < 2:
        raise ScenarioError("give at least two variants, so answers cannot be copied between trainees")
    for number, variant in enumerate(data["variants"], start=1):
        if not isinstance(variant, dict):
            raise ScenarioError(f"variant {number}: expected a mapping")
    for number, item in enumerate(data["inbox"], start=1):
        _need(item, ["kind", "title", "text"], f"inbox item {number}")
        if item["kind"] not in INBOX_KINDS:
            raise ScenarioError(f"inbox item {number}: kind must be one of {', '.join(INBOX_KINDS)}")
    ids: set[str] = set()
    for number, check in enumerate(data["checks"], start=1):
        where = f"check {check.get('id', number) if isinstance(check, dict) else number}"
        _need(check, ["id", "kind", "check", "pass", "fail", "rule"], where)
        if check["id"] in ids:
            raise ScenarioError(f"{where}: duplicate id")
        ids.add(check["id"])
        if check["kind"] not in CHECK_KINDS:
            raise ScenarioError(f"{where}: kind must be one of {', '.join(CHECK_KINDS)}")
        weight = check.get("weight", 0 if check["kind"] == "X" else 1)
        if not isinstance(weight, int | float) or weight < 0:
            raise ScenarioError(f"{where}: weight must be a number ≥ 0")
        check["weight"] = weight
        _check_params(check, where)
    if not any(c["weight"] for c in data["checks"]):
        raise ScenarioError("at least one check must carry weight")
    _privacy_setup(data.get("setup") or {})
    _records_setup_check(data)
    x_cap = int(data.get("x_cap", 0))
    if not 0 <= x_cap <= 100:
        raise ScenarioError("x_cap is a percentage")
    return ScenarioDef(
        key=str(data["key"]),
        title=str(data["title"]),
        task_ids=list(data.get("task_ids") or []),
        today=today,
        brief=str(data["brief"]),
        variants=data["variants"],
        inbox=data["inbox"],
        checks=data["checks"],
        setup=data.get("setup") or {},
        x_cap=x_cap,
    )


def _records_setup_check(data: dict) -> None:
    """Records desk: `setup.records.case` names a case of the HIPAA request bank, usually `"{case}"` with
    each variant giving `case:`; every named case must exist."""
    spec = (data.get("setup") or {}).get("records")
    if spec is None:
        return
    if not isinstance(spec, dict) or not spec.get("case"):
        raise ScenarioError("setup.records: give `case:` (a case id of content/privacy/scenarios.yaml)")
    from .records_setup import bank_case

    named = [spec["case"]] if "{" not in str(spec["case"]) else [v.get("case") for v in data["variants"]]
    for number, case in enumerate(named, start=1):
        try:
            bank_case(str(case))
        except ValueError as exc:
            raise ScenarioError(f"variant {number}: {exc}") from exc


def _us_date(value) -> str:
    return parse_date(value).strftime("%m/%d/%Y")


def _context(values: dict, patients: dict[str, dict], rules: dict) -> dict:
    """The variant's values plus derived names: for a value naming a patient or a provider,
    `{x_name}`, `{x_first}`, `{x_last}`, `{x_dob}` (MM/DD/YYYY) or the provider's `{x_name}`."""
    context = dict(values)
    for name, value in values.items():
        if isinstance(value, str) and value in patients:
            p = patients[value]
            context[f"{name}_name"] = f"{p['first_name']} {p['last_name']}"
            context[f"{name}_first"], context[f"{name}_last"] = p["first_name"], p["last_name"]
            context[f"{name}_dob"] = _us_date(p["dob"])
        elif isinstance(value, str) and value in rules["providers"]:
            context[f"{name}_name"] = rules["providers"][value]["name"]
        elif isinstance(value, date):
            context[name] = value.isoformat()
            context[f"{name}_us"] = _us_date(value)
    return context


def _fill(obj, context: dict):
    if isinstance(obj, str):
        names = [n for _, n, _, _ in string.Formatter().parse(obj) if n]
        if len(names) == 1 and obj == "{" + names[0] + "}" and not isinstance(context.get(names[0], ""), str):
            return context[names[0]]
        try:
            return obj.format_map(context)
        except (KeyError, IndexError, ValueError) as exc:
            raise ScenarioError(f"placeholder in {obj[:60]!r} cannot be filled: {exc}") from exc
    if isinstance(obj, list):
        return [_fill(item, context) for item in obj]
    if isinstance(obj, dict):
        return {key: _fill(value, context) for key, value in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def scenario_render(definition: ScenarioDef, *, seed: str, patients: dict[str, dict], rules: dict) -> dict:
    """The scenario as this shift sees it: the variant picked by `seed`, every placeholder filled.

    Pure and deterministic: the same seed gives the same shift (which is what makes grading
    reproducible and a replay faithful).
    """
    rng = random.Random(f"{definition.key}:{seed}")  # noqa: S311 - reproducible variant, not security
    index = rng.randrange(len(definition.variants))
    values: dict = {}
    for name, value in definition.variants[index].items():
        # {choose: [...]} offers choices: the seed picks one (e.g. the time of tomorrow's appointment).
        is_choice = isinstance(value, dict) and set(value) == {"choose"}
        values[name] = rng.choice(value["choose"]) if is_choice else value
    try:
        context = _context(values, patients, rules)
        rendered = _fill(
            {
                "brief": definition.brief,
                "inbox": definition.inbox,
                "setup": definition.setup,
                "checks": definition.checks,
            },
            context,
        )
    except OfficeError as exc:
        raise ScenarioError(str(exc)) from exc
    for number, item in enumerate(rendered["inbox"], start=1):
        item.setdefault("key", f"item-{number}")
    return {
        "variant": index,
        "values": _fill(values, context),
        "today": definition.today.isoformat(),
        "x_cap": definition.x_cap,
        **rendered,
    }
