"""Coordination of benefits: which of a patient's two plans pays first. Plain Python, no Django.

Source: the NAIC Coordination of Benefits Model Regulation (MDL-120), section on the order of benefit
determination rules, which most states adopt for group health plans. The rules are applied in order; the
first that decides, decides:

1. **Non-dependent / dependent.** The plan that covers the person other than as a dependent (as the
   employee, member, subscriber or retiree) is primary; the plan that covers them as a dependent is
   secondary. (The Medicare-related reversal of this rule for retirees is not modelled here.)
2. **Dependent child covered by more than one plan.**
   a. Parents married or living together (whether or not ever married): the **birthday rule**. The plan of
      the parent whose birthday, month and day only, not year, falls earlier in the calendar year is
      primary. Same birthday: the plan that has covered a parent longer is primary.
   b. Parents divorced, separated or not living together:
      i.   a **court decree** that makes one parent responsible for the child's health-care expenses or
           coverage: that parent's plan is primary (once the plan knows of the decree);
      ii.  a decree giving both parents responsibility, or joint custody without saying who pays: the
           birthday rule, as in (a);
      iii. no decree: the custodial parent's plan, then the custodial parent's spouse's plan, then the
           non-custodial parent's plan, then the non-custodial parent's spouse's plan.
3. Active employee before laid-off or retired; COBRA or state continuation coverage after the plan covering
   the person as an employee; then **longer coverage** before shorter. (Only the last is modelled here, as
   the tie-breaker of last resort.)
4. If none decides, the plans share the allowable expense equally; the office asks the plans.

This module implements rules 1, 2a (with its same-birthday tie-breaker), 2b(i)-(ii), 2b(iii) between the
two parents' own plans (step-parents' plans are not modelled) and 3's length-of-coverage tie-breaker. The office grades a trainee's ordering against it (simulations/grading/
registration.py) and the scenario keys are checked against it in the tests.
"""

from dataclasses import dataclass
from datetime import date

# X12 individual relationship codes (837P SBR02 / PAT01; CMS-1500 box 6 in words).
X12_RELATIONSHIP = {"self": "18", "spouse": "01", "child": "19", "other": "G8"}

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
]  # fmt: skip


class CobUndecided(ValueError):
    """No rule decides (for example same birthday and same coverage start): ask the plans."""


@dataclass(frozen=True, kw_only=True)
class Plan:
    """One plan covering the patient, as the coordination rules see it."""

    key: str  # anything that names the plan for the caller (a payer key, a rank)
    relationship: str  # the patient's relationship to the subscriber: self / spouse / child / other
    subscriber: str  # the subscriber's name, for the explanation
    subscriber_dob: date
    covered_since: date | None = None  # when this plan began covering the subscriber (length of coverage)
    court_ordered: bool = False  # a court decree makes this subscriber responsible for the child's coverage
    custodial: bool | None = None  # the subscriber has custody of the child (separated parents only)


@dataclass(frozen=True)
class Decision:
    primary: Plan
    secondary: Plan
    rule: str  # short name of the rule that decided
    reason: str  # the sentence the office shows


def birthday_text(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def _birthday_key(day: date) -> tuple[int, int]:
    return (day.month, day.day)


def _ordered(first: Plan, second: Plan, rule: str, reason: str) -> Decision:
    return Decision(primary=first, secondary=second, rule=rule, reason=reason)


def _birthday_rule(a: Plan, b: Plan) -> Decision:
    if _birthday_key(a.subscriber_dob) != _birthday_key(b.subscriber_dob):
        first, second = sorted((a, b), key=lambda p: _birthday_key(p.subscriber_dob))
        return _ordered(
            first,
            second,
            "birthday",
            f"{first.subscriber}'s birthday {birthday_text(first.subscriber_dob)} comes before "
            f"{second.subscriber}'s {birthday_text(second.subscriber_dob)} in the calendar year: birthday rule "
            "(month and day only; the year does not count).",
        )
    return _longer_coverage(a, b, same_birthday=True)


def _longer_coverage(a: Plan, b: Plan, *, same_birthday: bool = False) -> Decision:
    prefix = f"Both parents' birthdays fall on {birthday_text(a.subscriber_dob)}, so " if same_birthday else ""
    if a.covered_since is None or b.covered_since is None or a.covered_since == b.covered_since:
        raise CobUndecided(f"{prefix}no rule decides; ask both plans how they coordinate.")
    first, second = sorted((a, b), key=lambda p: p.covered_since)
    return _ordered(
        first,
        second,
        "longer-coverage",
        f"{prefix}the plan that has covered the parent longer is primary: {first.subscriber}'s plan since "
        f"{first.covered_since:%m/%d/%Y}, {second.subscriber}'s since {second.covered_since:%m/%d/%Y}.",
    )


def cob_order(a: Plan, b: Plan, *, parents_together: bool = True) -> Decision:
    """Which of two plans covering one patient is primary, and why (NAIC MDL-120 order of benefit rules).

    `parents_together`: for a child on both parents' plans, whether the parents are married or living
    together (the birthday rule applies) or divorced / separated / living apart (court decree, then custody).
    Raises CobUndecided when no modelled rule decides.
    """
    a_self, b_self = a.relationship == "self", b.relationship == "self"
    if a_self != b_self:
        first, second = (a, b) if a_self else (b, a)
        return _ordered(
            first,
            second,
            "non-dependent",
            f"The plan that covers the patient as the subscriber ({first.subscriber}) pays before the plan that "
            f"covers them as a dependent ({second.subscriber}'s): non-dependent/dependent rule.",
        )
    if a.relationship == "child" and b.relationship == "child":
        if not parents_together:
            if a.court_ordered != b.court_ordered:
                first, second = (a, b) if a.court_ordered else (b, a)
                return _ordered(
                    first,
                    second,
                    "court-decree",
                    f"A court decree makes {first.subscriber} responsible for the child's health coverage, so "
                    f"{first.subscriber}'s plan is primary whatever the birthdays: court-decree rule.",
                )
            if not (a.court_ordered and b.court_ordered) and a.custodial is not None and a.custodial != b.custodial:
                first, second = (a, b) if a.custodial else (b, a)
                return _ordered(
                    first,
                    second,
                    "custodial-parent",
                    f"The parents live apart and no decree assigns coverage: the custodial parent's "
                    f"({first.subscriber}'s) plan pays first: custodial-parent rule.",
                )
        return _birthday_rule(a, b)
    return _longer_coverage(a, b)
