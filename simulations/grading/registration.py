"""Registration checks: coverages and the coordination of benefits (task R2)."""

from ..cob import CobUndecided, cob_order
from .core import GradingInput, Outcome, _loose, check, resolve_patient

SUBSCRIBER_FIELDS = [
    "subscriber_first_name",
    "subscriber_last_name",
    "subscriber_dob",
    "subscriber_sex",
    "relationship",
]


def _registered(g: GradingInput, patient) -> dict | None:
    if isinstance(patient, dict):
        rows = [
            row
            for row in g.patients.values()
            if row.get("registered_in_shift") and all(_loose(row.get(k)) == _loose(v) for k, v in patient.items())
        ]
        if len(rows) == 1:
            return rows[0]
    key = resolve_patient(g, patient)
    return g.patients.get(key) if key else None


def _same_plan(row: dict, expected: dict) -> bool:
    return _loose(row.get("payer_key")) == _loose(expected.get("payer_key")) and _loose(row.get("member_id")) == _loose(
        expected.get("member_id")
    )


def _explain(primary: dict, secondary: dict, parents_together: bool, court_ordered: str) -> str:
    """The rule's own explanation of the key's order (simulations/cob.py), for the feedback."""
    from ..registration import cob_plan

    plans = [
        cob_plan(
            p, key=str(p.get("payer_key")), court_ordered=bool(court_ordered) and p.get("member_id") == court_ordered
        )
        for p in (primary, secondary)
    ]
    try:
        return cob_order(*plans, parents_together=parents_together).reason
    except (CobUndecided, TypeError):
        return ""


def _plan_name(g: GradingInput, plan: dict) -> str:
    return f"{g.rules['payers'].get(plan.get('payer_key'), {}).get('name', plan.get('payer_key'))} ({plan.get('member_id')})"


@check
def coverage_order(
    g: GradingInput,
    patient,
    primary: dict,
    secondary: dict,
    fields: list[str] | None = None,
    parents_together: bool = True,
    court_ordered: str = "",
) -> Outcome:
    """The patient has exactly two coverages, `primary` first and `secondary` second (each matched by payer
    and member id, loosely). With `fields`, each plan's listed fields (e.g. the subscriber's date of birth
    and sex, box 11a / loop 2010BA) must also match the key. `parents_together` and `court_ordered` (the
    member id of the plan a court decree names) let the feedback explain the order with simulations/cob.py.
    """
    row = _registered(g, patient)
    if row is None:
        return Outcome(False, "No single new registration matches this patient.")
    have = row.get("coverages") or []
    reason = _explain(primary, secondary, parents_together, court_ordered)
    if len(have) != 2:
        return Outcome(False, f"{len(have)} coverage(s) entered; the patient has two plans. {reason}".strip())
    if _same_plan(have[0], secondary) and _same_plan(have[1], primary):
        return Outcome(
            False,
            f"The plans are in the wrong order: {_plan_name(g, primary)} is primary. {reason}".strip(),
        )
    if not (_same_plan(have[0], primary) and _same_plan(have[1], secondary)):
        return Outcome(
            False,
            f"Expected {_plan_name(g, primary)} as primary and {_plan_name(g, secondary)} as secondary; "
            "a payer or member id does not match the cards.",
        )
    wrong = [
        f"{label} {name.replace('_', ' ')}"
        for label, got, want in (("primary", have[0], primary), ("secondary", have[1], secondary))
        for name in fields or []
        if _loose(got.get(name)) != _loose(want.get(name))
    ]
    if wrong:
        return Outcome(False, f"Fields that differ from the cards and the intake form: {', '.join(wrong)}.")
    return Outcome(True, reason)
