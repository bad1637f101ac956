"""The denial work queue's oracle (task P4): for each adjustment on a remittance, which front-office
actions are right, why, and by when.

The table is PRACTICE_OFFICE.md's "Denial -> action oracle"; the CARC *values* are X12's, every
description and rule text here is our own wording (X12's code descriptions are copyrighted, see
"Standards, code sets and licensing"). The oracle answers with the six actions a trainee can take
on the work-queue screen; ``codes.Action`` (the finer-grained posting guidance) maps onto them.

Appeal windows (the deadline shown on the appeal form is the remittance date + the window):

* commercial group plans: at least 180 days from the adverse benefit determination for internal
  appeals (29 CFR 2560.503-1(h)(3)(i); 45 CFR 147.136(b)(2) for non-grandfathered plans);
* Medicare (and Medicare Advantage reconsideration): 120 days for a redetermination (42 CFR 405.942)
  and 65 days for a plan reconsideration (42 CFR 422.582) -- we use 60 days, the older MA limit, as
  the practice's safe internal deadline;
* Medicaid: set by each state (42 CFR 431.221(d) allows up to 90 days); the fictional StateCare uses 90.

A payer in the office template may override its window with ``plan.appeal_days``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from .codes import CARCS, Action, GroupCode, PatientOwes


class QueueAction(enum.StrEnum):
    """What the trainee does about one denied line on the work-queue screen."""

    CORRECT_RESUBMIT = "correct_resubmit"
    APPEAL = "appeal"
    BILL_SECONDARY = "bill_secondary"
    BILL_PATIENT = "bill_patient"
    WRITE_OFF = "write_off"
    VERIFY_ELIGIBILITY = "verify_eligibility"

    @property
    def label(self) -> str:
        return QUEUE_ACTION_LABELS[self]


QUEUE_ACTION_LABELS = {
    QueueAction.CORRECT_RESUBMIT: "Correct the claim and resubmit it (replacement, frequency 7)",
    QueueAction.APPEAL: "Appeal with documentation",
    QueueAction.BILL_SECONDARY: "Bill the other payer (secondary, or the right primary under COB)",
    QueueAction.BILL_PATIENT: "Bill the patient (patient-responsibility amount only)",
    QueueAction.WRITE_OFF: "Write off (adjustment with a reason)",
    QueueAction.VERIFY_ELIGIBILITY: "Verify eligibility and coverage dates",
}

# codes.Action (posting guidance) -> the work-queue action that carries it out.
_FROM_GUIDANCE = {
    Action.BILL_PATIENT: QueueAction.BILL_PATIENT,
    Action.CONTRACTUAL_WRITE_OFF: QueueAction.WRITE_OFF,
    Action.WRITE_OFF: QueueAction.WRITE_OFF,
    Action.CORRECT_AND_RESUBMIT: QueueAction.CORRECT_RESUBMIT,
    # A duplicate is verified against the first claim and never sent again: the duplicate charge is
    # written off once the first claim is seen paid.
    Action.VERIFY_DUPLICATE: QueueAction.WRITE_OFF,
    Action.UPDATE_COB_BILL_PRIMARY: QueueAction.BILL_SECONDARY,
    Action.VERIFY_ELIGIBILITY: QueueAction.VERIFY_ELIGIBILITY,
    Action.APPEAL: QueueAction.APPEAL,
    Action.SEND_TO_CORRECT_PAYER: QueueAction.BILL_SECONDARY,
    Action.OBTAIN_AUTHORIZATION: QueueAction.APPEAL,
    Action.NONE_PRIOR_PAYER: QueueAction.WRITE_OFF,  # never queued (see is_denial)
}


@dataclass(frozen=True)
class DenialRule:
    """The oracle's answer for one group-reason pair."""

    group: GroupCode
    carc: str
    description: str  # our plain-language meaning of the CARC
    actions: frozenset[QueueAction]  # every action that is right
    best: QueueAction  # the one the queue suggests
    patient_owes: PatientOwes
    rule: str  # why, in our words, with the source to cite

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


# Rule text per CARC (our words); the CARC values are X12's.
_RULE_TEXT = {
    "1": "Deductible is the patient's share under the plan: bill the patient (statement).",
    "2": "Coinsurance is the patient's share under the plan: bill the patient (statement).",
    "3": "The copay is the patient's share: collect it or bill the patient.",
    "4": "A modifier is missing or wrong: correct the coding from the documentation and send a replacement claim.",
    "7": "The service and the recorded sex disagree: fix registration or coding and send a replacement claim.",
    "10": "The diagnosis and the recorded sex disagree: fix registration or coding and send a replacement claim.",
    "11": "The diagnosis does not support the service: correct the pointers/codes from the chart and resubmit.",
    "14": "Date of birth after the date of service is a registration error: correct it and resubmit.",
    "15": "Authorization missing or invalid: obtain a retro-authorization and appeal with it.",
    "16": "Information missing or wrong: read the remark, correct the claim and resubmit as a replacement.",
    "18": "Duplicate: verify the first claim's status and do not resubmit; the duplicate charge is written off.",
    "22": "Another plan is primary (coordination of benefits): update COB and bill the right payer.",
    "26": "Service before coverage began: verify eligibility, then bill the right plan or the patient per policy.",
    "27": "Coverage had ended: verify eligibility, then bill the other plan or the patient per policy.",
    "29": "Filed after the payer's limit: a practice error, written off (appeal only with proof of timely filing).",
    "45": "Charge above the contracted fee: contractual write-off; never billed to the patient.",
    "50": "Not medically necessary: appeal with the documentation; the patient owes it only with a signed ABN.",
    "96": "Non-covered: a PR amount is billed to the patient, a CO amount is written off.",
    "97": "Bundled into another paid service: write off, unless the coding was wrong (then correct it).",
    "109": "Not this payer's claim: send it to the right payer.",
    "119": "Benefit limit reached: CO is written off, PR is billed to the patient.",
    "197": "Precertification/authorization absent: obtain a retro-authorization and appeal.",
}
SOURCE = "PRACTICE_OFFICE.md denial-action oracle; X12 CARC values (descriptions are ours)"

# Pairs where more than one action is right (the first is the suggestion).
_ALSO_RIGHT: dict[tuple[GroupCode, str], tuple[QueueAction, ...]] = {
    (GroupCode.CO, "97"): (QueueAction.CORRECT_RESUBMIT,),
    (GroupCode.CO, "27"): (QueueAction.BILL_SECONDARY,),
    (GroupCode.CO, "26"): (QueueAction.BILL_SECONDARY,),
}


def denial_rule(group: GroupCode | str, carc: str) -> DenialRule:
    """The oracle's rule for one adjustment; ValueError for a pair this simulation does not use."""
    try:
        group = GroupCode(group)
        carc_def = CARCS[carc]
        guidance, owes = carc_def.actions[group]
    except (KeyError, ValueError):
        raise ValueError(f"{group}-{carc} is not a group-reason pair this office uses") from None
    best = _FROM_GUIDANCE[guidance]
    actions = frozenset({best, *_ALSO_RIGHT.get((group, carc), ())})
    return DenialRule(
        group=group,
        carc=carc,
        description=carc_def.description,
        actions=actions,
        best=best,
        patient_owes=owes,
        rule=_RULE_TEXT.get(carc, carc_def.note or carc_def.description),
    )


def action_is_right(group: GroupCode | str, carc: str, action: QueueAction | str) -> bool:
    return QueueAction(action) in denial_rule(group, carc).actions


def is_denial(group: GroupCode | str, carc: str) -> bool:
    """Does this adjustment need work in the queue? Contractual write-offs (CO-45) and the plan's
    cost sharing (PR-1/2/3) are the normal shape of a paid line, not denials."""
    return (GroupCode(group), carc) not in {
        (GroupCode.CO, "45"),
        (GroupCode.PR, "1"),
        (GroupCode.PR, "2"),
        (GroupCode.PR, "3"),
        (GroupCode.OA, "23"),
    }


# ---- deadlines -----------------------------------------------------------------------------------

APPEAL_DAYS_BY_KIND = {
    "commercial": 180,
    "hmo": 180,
    "medicare": 120,
    "medicare-advantage": 60,
    "medicaid": 90,
}
DEFAULT_APPEAL_DAYS = 180


def appeal_days(payer: dict) -> int:
    """The payer's appeal window in days (office-template ``plan.appeal_days`` first, then by kind)."""
    plan = payer.get("plan") or {}
    if plan.get("appeal_days"):
        return int(plan["appeal_days"])
    return APPEAL_DAYS_BY_KIND.get(payer.get("kind", ""), DEFAULT_APPEAL_DAYS)


def appeal_deadline(*, remitted_on: date, payer: dict) -> date:
    """Last day to file the appeal: the date of the denial (the remittance) + the payer's window."""
    return remitted_on + timedelta(days=appeal_days(payer))


def filing_deadline(*, service_date: date, timely_filing_days: int) -> date:
    """Last day a (corrected) claim for the service reaches the payer in time."""
    return service_date + timedelta(days=timely_filing_days)


# Documents an appeal can attach (the appeal form offers them as checkboxes).
APPEAL_DOCUMENTS = {
    "visit_note": "Visit (encounter) note",
    "medical_records": "Relevant medical records / test results",
    "retro_authorization": "Retro-authorization from the payer",
    "proof_timely_filing": "Proof of timely filing (clearinghouse acceptance report)",
    "abn": "Signed advance beneficiary notice (ABN) / waiver",
    "letter_of_necessity": "Physician's letter of medical necessity",
    "corrected_claim": "Copy of the corrected claim",
}
# What an appeal for a reason must attach to stand a chance (checked on the form and by the grader).
APPEAL_REQUIRES = {
    "50": {"visit_note", "letter_of_necessity"},
    "197": {"retro_authorization"},
    "15": {"retro_authorization"},
    "29": {"proof_timely_filing"},
}
