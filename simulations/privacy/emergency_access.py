"""Emergency ("break-the-glass") access to a chart outside one's work queue: which reasons justify it.

45 CFR 164.312(a)(2)(ii) (emergency access procedure, a required implementation specification of the
access-control standard) asks a covered entity to have procedures for obtaining necessary ePHI during an
emergency; 45 CFR 164.308(a)(4) (information access management) asks it to authorise access consistent
with the minimum-necessary rule of 164.502(b) and 164.514(d). The office's policy below puts the two
together: normal access follows the work queue (the patients the trainee is assigned); the glass is broken
only when a patient's care needs the information now and the normal route is unavailable, for the
sections that need requires, for a limited time, with a reason and a justification, and the supervisor
is told at once.

Plain Python: no Django. The screens offer REASONS; the grader reads JUSTIFIED.
"""

from __future__ import annotations

from dataclasses import dataclass

CITATION = "45 CFR 164.312(a)(2)(ii); 45 CFR 164.308(a)(4)"


@dataclass(frozen=True)
class Reason:
    key: str
    label: str
    justified: bool
    why: str


REASONS: dict[str, Reason] = {
    r.key: r
    for r in (
        Reason(
            "emergency_treatment",
            "Emergency treatment: the patient's life or health is at risk and a treating clinician needs the "
            "information now",
            True,
            "An emergency in which care depends on the information is what the emergency access procedure "
            "is for (164.312(a)(2)(ii)).",
        ),
        Reason(
            "urgent_continuity",
            "Urgent continuity of care: a provider treating the patient now needs it and the assigned team "
            "cannot be reached",
            True,
            "Treatment disclosures are permitted (164.506(c)(2)) and the normal route is unavailable.",
        ),
        Reason(
            "covering_queue",
            "Covering a colleague's work queue (no reassignment made)",
            False,
            "Not an emergency: ask the supervisor to reassign the queue (164.308(a)(4): access is authorised, "
            "not taken).",
        ),
        Reason(
            "billing_question",
            "A billing or scheduling question",
            False,
            "Not an emergency: route it to the assigned team or the billing office.",
        ),
        Reason(
            "personal",
            "Personal interest: a friend, relative, co-worker or public figure",
            False,
            "Never a reason to open a chart (164.502(b); sanctions under 164.530(e)).",
        ),
    )
}

JUSTIFIED = frozenset(key for key, reason in REASONS.items() if reason.justified)

# The chart sections a break-the-glass grant may open; a grant names the ones the emergency needs.
SECTIONS: dict[str, str] = {
    "demographics": "Demographics and contact details",
    "problems": "Problem list and allergies",
    "appointments": "Appointments",
    "entries": "Chart entries (orders, notes)",
    "billing": "Insurance and account",
}

# A justification a supervisor can act on: who asked, for what, why now.
MIN_JUSTIFICATION_CHARS = 20


def reason_justifies(key: str) -> bool:
    """Whether the policy accepts the reason for emergency access."""
    return key in JUSTIFIED


def break_glass_problems(*, reason: str, justification: str, sections: list[str]) -> list[str]:
    """What is wrong with a break-the-glass request (empty if it may proceed). Any listed reason may be
    chosen (the grader judges it against JUSTIFIED); the request must be complete and scoped."""
    problems = []
    if reason not in REASONS:
        problems.append("Choose the reason for emergency access from the list.")
    if len(justification.strip()) < MIN_JUSTIFICATION_CHARS:
        problems.append(
            f"Write a justification (at least {MIN_JUSTIFICATION_CHARS} characters): who needs what, and why now."
        )
    if not sections:
        problems.append("Choose the parts of the chart the emergency needs (the scope).")
    elif set(sections) - set(SECTIONS):
        problems.append("Choose the scope from the sections listed.")
    elif set(sections) == set(SECTIONS):
        problems.append("Limit the scope: emergency access opens only the sections the emergency needs.")
    return problems
