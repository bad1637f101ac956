"""Which plan a claim goes to, and the patient's other coverage: the two places where the claim
follow-up screens read coverage (tasks B5, B6, P4).

`other_coverage` is the ONE function that knows where a patient's secondary insurance lives: the
registered secondary Coverage row, or else the scenario's `setup.other_coverage` (see content/FORMAT.md).
"""

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

from .billing.plans import PlanRules
from .billing_services import plan_rules
from .models import Patient, Shift


def other_coverage(*, shift: Shift, patient: Patient) -> dict | None:
    """The patient's other (secondary) plan: {payer, member_id, group_number, relationship}, or None.

    The registered secondary Coverage (simulations/models/coverage.py) when there is one; otherwise a
    scenario's `setup.other_coverage` (plans the scenario adds for this shift only)."""
    from .registration import secondary_coverage

    registered = secondary_coverage(patient)
    if registered is not None:
        return {
            "payer": registered.payer_key,
            "member_id": registered.member_id,
            "group_number": registered.group_number,
            "relationship": registered.relationship,
        }
    for item in shift.variant.get("setup", {}).get("other_coverage") or []:
        if item.get("patient") == patient.key:
            return {
                "payer": item["payer"],
                "member_id": item.get("member_id", ""),
                "group_number": item.get("group_number", ""),
                "relationship": item.get("relationship", "self"),
            }
    return None


def claim_plan(*, shift: Shift, payer_key: str, member_id: str) -> PlanRules | None:
    """The payer's plan for this member (None: self-pay); `member_id` is the number the payer knows
    (registration's, not the claim's: a claim with a mistyped one is denied CO-16). With the scenario's plan overrides applied
    (`setup.plans.<payer>`: cob_order, effective_to, timely_filing_days, supporting_diagnoses,
    auth_required)."""
    plan = plan_rules(rules=shift.office, patient=SimpleNamespace(payer_key=payer_key, member_id=member_id))
    if plan is None:
        return None
    overrides = (shift.variant.get("setup", {}).get("plans") or {}).get(payer_key) or {}
    changes: dict = {}
    if "cob_order" in overrides:
        changes["cob_order"] = int(overrides["cob_order"])
    if overrides.get("timely_filing_days"):
        changes["timely_filing_days"] = int(overrides["timely_filing_days"])
    if overrides.get("effective_to"):
        changes["effective_to"] = date.fromisoformat(str(overrides["effective_to"]))
    if overrides.get("supporting_diagnoses"):
        changes["supporting_diagnoses"] = {k: tuple(v) for k, v in overrides["supporting_diagnoses"].items()}
    if overrides.get("auth_required"):
        changes["auth_required_codes"] = frozenset(overrides["auth_required"])
    return replace(plan, **changes) if changes else plan
