"""Records-desk checks (HIPAA requests). The expected answer is never written in the scenario: each check
runs `simulations.privacy.rules.evaluate_request` on the bank case the request was built from, so the
rules and the grader cannot disagree. Feedback quotes the rule's reason and citations."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from simulations.privacy.accounting import EXCLUDED, Basis
from simulations.privacy.rules import (
    ACTION_RELEASE,
    ASK_CONTENT,
    Content,
    Decision,
    Outcome,
    Step,
    evaluate_request,
)
from simulations.privacy.scenarios import scenario_case

from .core import GradingInput, check
from .core import Outcome as CheckOutcome

# What each released record section counts as, and what each permitted content allows.
FULL_RECORD_PART = "full_record_part"  # a visit note of a date nobody asked for
FULL_RECORD_ALLOWS = frozenset(
    {FULL_RECORD_PART, Content.REQUESTED_DATES, Content.RESULTS, Content.VISIT_SUMMARY, Content.APPOINTMENT_INFO,
     Content.IMMUNIZATIONS}
)  # fmt: skip
OUTCOME_LABELS = {
    Outcome.RELEASE_FULL: "release in full",
    Outcome.RELEASE_MINIMUM_NECESSARY: "release the minimum necessary",
    Outcome.DECLINE: "decline",
    Outcome.ROUTE_TO_PRIVACY_OFFICER: "route to the privacy officer",
    Outcome.ACCEPT_ACCESS_REQUEST: "accept the access request",
    Outcome.ACCEPT_AMENDMENT_REQUEST: "accept the amendment request",
    Outcome.ACCEPT_ACCOUNTING_REQUEST: "accept the accounting request",
    Outcome.ACCOMMODATE: "accommodate the request",
}
# Bases that fit a logged disclosure, by the rule that permitted it (an accountable one must not be
# logged as TPO, and a TPO one must not be logged as accountable).
ACCOUNTABLE_STEPS_BASES = {
    "45 CFR 164.512(l)": {Basis.WORKERS_COMP},
    "45 CFR 164.512(b)(1)(vi)": {Basis.PUBLIC_HEALTH},
    "45 CFR 164.512(e)(1)(i)": {Basis.JUDICIAL},
    "45 CFR 164.512(f)(1)(ii)(A)": {Basis.LAW_ENFORCEMENT},
    "45 CFR 164.508(a)(1)": {Basis.AUTHORIZATION},
    "45 CFR 164.508(a)(2)": {Basis.AUTHORIZATION},
    "45 CFR 164.510(b)(1)": {Basis.DIRECTORY_OR_INVOLVED_PERSONS},
    "42 CFR 2.31": {Basis.TREATMENT, Basis.PAYMENT, Basis.OPERATIONS, Basis.AUTHORIZATION},
}


def _request(g: GradingInput, key: str) -> dict | None:
    return (g.records.get("requests") or {}).get(key)


def expected_decision(g: GradingInput, key: str = "request-1") -> Decision | None:
    """The rules' answer for the request, from its bank case, as received in this shift."""
    row = _request(g, key)
    if row is None:
        return None
    case = scenario_case(row["case"])
    return evaluate_request(replace(case.request, received=row["received_on"]), case.patient, case.verification)


def _cite(decision: Decision) -> str:
    return "; ".join(decision.citations)


def _steps_taken(g: GradingInput, key: str) -> list[dict]:
    """The trainee's process steps for the request, in log order; the release is the marker `release`."""
    out = []
    for row in g.log:
        after = row.get("after") or {}
        if after.get("request") != key:
            continue
        if row["kind"] == "records_step":
            out.append(after)
        elif row["kind"] == ACTION_RELEASE:
            out.append({"step": ACTION_RELEASE})
    return out


def released_content(g: GradingInput, key: str) -> set[str]:
    """What the released sections amount to: requested dates, other visit notes, results, ..."""
    row = _request(g, key)
    sections = g.records.get("sections") or {}
    asked = set(row["dates_requested"])
    content = set()
    for section_key in row["released"]:
        section = sections[section_key]
        if section["content"] == "visit_note":
            on = section["on_date"].isoformat() if section["on_date"] else ""
            content.add(Content.REQUESTED_DATES.value if on in asked else FULL_RECORD_PART)
        else:
            content.add(section["content"])
    return content


def allowed_content(decision: Decision, ask: str | None) -> set[str]:
    """The content kinds the requester may receive. An accepted access request (the individual, a personal
    representative, or a directive's recipient) entitles them to the designated record set, even though the
    rules expect the copy to be produced later rather than at the desk."""
    allowed: set[str] = set()
    if decision.outcome is Outcome.ACCEPT_ACCESS_REQUEST:
        allowed |= {str(c) for c in FULL_RECORD_ALLOWS}
        if ask == Content.PART2_RECORDS.value:
            allowed.add(Content.PART2_RECORDS.value)
    for item in decision.scope:
        if item is Content.FULL_RECORD:
            allowed |= {str(c) for c in FULL_RECORD_ALLOWS}
        elif item is Content.RELEVANT_TO_INVOLVEMENT and ask and ASK_CONTENT.get(ask):
            allowed.add(ASK_CONTENT[ask].value)
        elif item is Content.ORDER_SPECIFIED:
            allowed.add(Content.REQUESTED_DATES.value)
        else:
            allowed.add(item.value)
    return allowed


def _names(items) -> str:
    return ", ".join(str(i).replace("_", " ") for i in sorted(items))


def _expect(g: GradingInput, request: str) -> tuple[dict | None, Decision | None]:
    row = _request(g, request)
    return row, expected_decision(g, request) if row else None


@check
def records_decision(g: GradingInput, request: str = "request-1") -> CheckOutcome:
    """The request was decided, and the decision is the rules' (or one they accept as equally right)."""
    row, expected = _expect(g, request)
    if row is None or not row["decision"]:
        return CheckOutcome(False, "The request was never decided.")
    if expected.accepts(row["decision"]):
        return CheckOutcome(True, f"{expected.reason} ({_cite(expected)})")
    return CheckOutcome(
        False,
        f"You chose to {OUTCOME_LABELS[Outcome(row['decision'])]}; the right decision is to "
        f"{OUTCOME_LABELS[expected.outcome]}. {expected.reason} ({_cite(expected)})",
    )


@check
def records_steps(g: GradingInput, request: str = "request-1") -> CheckOutcome:
    """Every step the rules require was taken, in the required order (verify before disclosing)."""
    _, expected = _expect(g, request)
    if expected is None:
        return CheckOutcome(False, "There is no such request.")
    taken = [s["step"] for s in _steps_taken(g, request)]
    missing, out_of_order, _ = expected.step_mistakes(taken)
    problems = []
    if missing:
        problems.append(f"Missing: {_names(s.value for s in missing)}.")
    if out_of_order:
        problems.append(f"Out of order: {_names(s.value for s in out_of_order)}.")
    order = " → ".join(s.value.replace("_", " ") for s in expected.steps)
    if problems:
        return CheckOutcome(False, f"{' '.join(problems)} Required, in order: {order} ({_cite(expected)}).")
    return CheckOutcome(True, f"Required, in order: {order}.")


@check
def records_released_within_scope(g: GradingInput, request: str = "request-1") -> CheckOutcome:
    """What was released is a subset of what the requester may have (minimum necessary where it applies)."""
    row, expected = _expect(g, request)
    if row is None:
        return CheckOutcome(False, "There is no such request.")
    released = released_content(g, request)
    case = scenario_case(row["case"])
    extra = released - allowed_content(expected, case.request.ask)
    if extra:
        return CheckOutcome(False, f"Released beyond what is permitted: {_names(extra)} ({_cite(expected)}).")
    return CheckOutcome(True, f"Released: {_names(released) or 'nothing'}.")


@check
def records_deadline(g: GradingInput, request: str = "request-1") -> CheckOutcome:
    """The deadline the trainee entered is the rules' (access 30 days, accounting and amendment 60)."""
    row, expected = _expect(g, request)
    if row is None:
        return CheckOutcome(False, "There is no such request.")
    if expected.due is None:
        ok = row["due_on"] is None
        return CheckOutcome(ok, "" if ok else "No deadline applies to this decision.")
    if row["due_on"] == expected.due:
        return CheckOutcome(True, f"Due {expected.due:%d %b %Y}.")
    entered = f"{row['due_on']:%d %b %Y}" if row["due_on"] else "no date"
    return CheckOutcome(
        False,
        f"You entered {entered}; received {row['received_on']:%d %b %Y}, the office must act by "
        f"{expected.due:%d %b %Y} ({_cite(expected)}).",
    )


@check
def records_fee(g: GradingInput, request: str = "request-1") -> CheckOutcome:
    """For a copy (an accepted access request), the fee is the office's reasonable cost-based fee."""
    from simulations.records_services import access_fee

    row, expected = _expect(g, request)
    if row is None:
        return CheckOutcome(False, "There is no such request.")
    if expected.outcome is not Outcome.ACCEPT_ACCESS_REQUEST:
        return CheckOutcome(row["fee"] in (None, Decimal("0")), "No copy fee applies to this decision.")
    if row["decision"] != Outcome.ACCEPT_ACCESS_REQUEST:
        return CheckOutcome(
            False, "The access request was not accepted, so no fee was computed (45 CFR 164.524(c)(4))."
        )
    sections = [s for s in (g.records.get("sections") or {}).values() if s["patient_id"] == row["patient_id"]]
    pages = sum(s["pages"] for s in sections if s["content"] != Content.PSYCHOTHERAPY_NOTES.value)
    fee = access_fee(pages=pages, delivery=row["delivery"])
    if row["fee"] == fee:
        return CheckOutcome(True, f"Fee ${fee} for {pages} pages ({row['delivery']}).")
    return CheckOutcome(
        False,
        f"You entered ${row['fee']}; for {pages} pages by {row['delivery']} the cost-based fee is ${fee} "
        "(45 CFR 164.524(c)(4)).",
    )


@check
def records_disclosure_logged(g: GradingInput, request: str = "request-1") -> CheckOutcome:
    """A release the rules say to log is in the disclosure log with a fitting basis; a TPO release or the
    patient's own access is not entered as an accountable disclosure."""
    row, expected = _expect(g, request)
    if row is None:
        return CheckOutcome(False, "There is no such request.")
    logged = [d for d in g.records.get("disclosures", []) if d["request"] == row["id"] and d["by_trainee"]]
    if Step.LOG_DISCLOSURE in expected.steps:
        if not logged:
            return CheckOutcome(False, f"The release is not in the accounting of disclosures log ({_cite(expected)}).")
        bases = next((b for c, b in ACCOUNTABLE_STEPS_BASES.items() if c in expected.citations), None)
        if bases and Basis(logged[0]["basis"]) not in bases:
            return CheckOutcome(
                False, f"Logged with the basis {logged[0]['basis']}; the basis is {_names(b.value for b in bases)}."
            )
        return CheckOutcome(True)
    accountable = [d for d in logged if Basis(d["basis"]) not in EXCLUDED]
    if accountable:
        return CheckOutcome(
            False,
            f"Logged as an accountable disclosure ({accountable[0]['basis']}), but this one is excluded from an "
            "accounting (45 CFR 164.528(a)(1)).",
        )
    return CheckOutcome(True)


@check
def records_no_unentitled_disclosure(g: GradingInput, request: str = "request-1") -> CheckOutcome:
    """Critical: PHI went to someone not entitled to it, or before the requester's identity was verified."""
    row, expected = _expect(g, request)
    if row is None:
        return CheckOutcome(True)
    released = released_content(g, request)
    if not released:
        return CheckOutcome(True)
    case = scenario_case(row["case"])
    not_entitled = released - allowed_content(expected, case.request.ask)
    if not_entitled and not expected.scope:
        return CheckOutcome(False, f"PHI released to someone not entitled to any of it ({_cite(expected)}).")
    if not_entitled:
        return CheckOutcome(
            False, f"Released to someone not entitled to it: {_names(not_entitled)} ({_cite(expected)})."
        )
    if expected.verification_required:
        steps = _steps_taken(g, request)
        cut = next(i for i, s in enumerate(steps) if s["step"] == ACTION_RELEASE)
        if not any(s["step"] == Step.VERIFY_IDENTITY.value and s.get("verified") for s in steps[:cut]):
            return CheckOutcome(
                False, "PHI was released before the requester's identity was verified (45 CFR 164.514(h)(1))."
            )
    return CheckOutcome(True)
