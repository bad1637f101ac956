"""Breach risk assessment and notification deadlines (45 CFR 164.402-164.408).

An impermissible use or disclosure of unsecured PHI is presumed to be a breach unless the practice
demonstrates a low probability that the PHI has been compromised, based on a risk assessment of at least
the four factors of 164.402(2)(i)-(iv), or one of the three exceptions of 164.402(1) applies.

Teaching simplification (documented so the lead can review it): the helper concludes "low probability"
only when every factor is assessed as low risk. Real assessments weigh the factors together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .deadlines import (
    DEFAULT_DEADLINES,
    DeadlineParameters,
    breach_individual_notice_due,
    hhs_small_breach_log_due,
)


class Risk(StrEnum):
    LOW = "low"
    HIGH = "high"
    UNKNOWN = "unknown"


FACTORS = {
    "nature_and_extent": (
        "45 CFR 164.402(2)(i)",
        "The nature and extent of the PHI involved, including the types of identifiers and the likelihood of "
        "re-identification.",
    ),
    "recipient": ("45 CFR 164.402(2)(ii)", "The unauthorized person who used the PHI or to whom it was disclosed."),
    "acquired_or_viewed": ("45 CFR 164.402(2)(iii)", "Whether the PHI was actually acquired or viewed."),
    "mitigation": ("45 CFR 164.402(2)(iv)", "The extent to which the risk to the PHI has been mitigated."),
}

EXCEPTIONS = {
    "workforce_good_faith": (
        "45 CFR 164.402(1)(i)",
        "Unintentional acquisition, access or use by a workforce member acting in good faith within their "
        "authority, not further used or disclosed impermissibly.",
    ),
    "inadvertent_internal": (
        "45 CFR 164.402(1)(ii)",
        "Inadvertent disclosure between people authorized to access PHI at the same covered entity or business "
        "associate, not further used or disclosed impermissibly.",
    ),
    "could_not_retain": (
        "45 CFR 164.402(1)(iii)",
        "A good-faith belief that the unauthorized recipient would not reasonably have been able to retain it.",
    ),
}


@dataclass(frozen=True)
class BreachFacts:
    discovered: date
    individuals_affected: int = 1
    residents_of_one_state: int = 0  # the most affected residents of any one State or jurisdiction
    unsecured: bool = True  # not encrypted/destroyed per HHS guidance
    nature_and_extent: Risk = Risk.UNKNOWN
    recipient: Risk = Risk.UNKNOWN
    acquired_or_viewed: Risk = Risk.UNKNOWN
    mitigation: Risk = Risk.UNKNOWN
    exception: str = ""  # a key of EXCEPTIONS, if one applies


@dataclass(frozen=True)
class Notification:
    to: str  # individuals / hhs / media
    due: date | None  # None = "contemporaneously with the individual notices"
    citation: str


@dataclass(frozen=True)
class BreachAssessment:
    is_breach: bool
    reason: str
    factors: dict[str, Risk]
    citations: tuple[str, ...]
    notifications: list[Notification] = field(default_factory=list)
    # "secured" (encrypted/destroyed: not unsecured PHI), "exception" (164.402(1)), "low_probability"
    # (documented four-factor assessment) or "breach" (notification required).
    conclusion: str = "breach"

    def latest_dates(self) -> dict[str, date]:
        """The latest permitted date of each notice. HHS notice for 500 or more is due contemporaneously
        with the individual notices (164.408(b)), so its latest date is theirs: 60 days from discovery."""
        individuals = next((n.due for n in self.notifications if n.to == "individuals"), None)
        return {n.to: n.due or individuals for n in self.notifications if (n.due or individuals) is not None}


def breach_assess(facts: BreachFacts, *, params: DeadlineParameters = DEFAULT_DEADLINES) -> BreachAssessment:
    """Whether the incident is a reportable breach, with the four factors and every notice deadline."""
    factors = {name: getattr(facts, name) for name in FACTORS}
    if not facts.unsecured:
        # HHS "Guidance to Render Unsecured PHI Unusable, Unreadable, or Indecipherable" (74 FR 42740,
        # 42742): PHI encrypted per NIST SP 800-111 (data at rest), with the key not also lost, is secured.
        return BreachAssessment(
            False,
            "The PHI was secured (encrypted or destroyed per HHS guidance): not a breach of unsecured PHI.",
            factors,
            ("45 CFR 164.402",),
            conclusion="secured",
        )
    if facts.exception:
        citation, text = EXCEPTIONS[facts.exception]
        return BreachAssessment(False, f"Exception applies: {text}", factors, (citation,), conclusion="exception")
    if all(risk is Risk.LOW for risk in factors.values()):
        return BreachAssessment(
            False,
            "The documented assessment of all four factors shows a low probability that the PHI was compromised.",
            factors,
            tuple(citation for citation, _ in FACTORS.values()),
            conclusion="low_probability",
        )
    notices = [
        Notification("individuals", breach_individual_notice_due(facts.discovered, params=params), "45 CFR 164.404(b)")
    ]
    if facts.individuals_affected >= params.large_breach_threshold:
        notices.append(Notification("hhs", None, "45 CFR 164.408(b)"))
    if facts.residents_of_one_state > params.large_breach_threshold:
        # 164.406: media notice for breaches involving *more than* 500 residents of a State or jurisdiction.
        notices.append(
            Notification("media", breach_individual_notice_due(facts.discovered, params=params), "45 CFR 164.406")
        )
    if facts.individuals_affected < params.large_breach_threshold:
        notices.append(
            Notification("hhs", hhs_small_breach_log_due(facts.discovered, params=params), "45 CFR 164.408(c)")
        )
    undetermined = [name for name, risk in factors.items() if risk is not Risk.LOW]
    return BreachAssessment(
        True,
        "Presumed a breach: the assessment does not show a low probability of compromise "
        f"(factors not shown low: {', '.join(undetermined)}).",
        factors,
        ("45 CFR 164.402(2)", "45 CFR 164.404(b)"),
        notices,
    )
