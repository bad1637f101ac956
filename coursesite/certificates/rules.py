"""Has a learner met a course's completion rule? Reads progress only, in five queries whatever the course size."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from wagtail.models import Page

from coursesite.progress.models import Completion

from .models import CompletionRule, RuleException, SignOff


@dataclass
class RuleResult:
    met: bool
    reasons: list[str] = field(default_factory=list)
    # What a certificate records about how the rule was met (JSON-serialisable).
    evidence: dict = field(default_factory=dict)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def rule_for_course(course) -> CompletionRule:
    """The course's rule, or the default one (every live step passed) when editors set none."""
    return CompletionRule.objects.filter(course_id=course.pk).first() or CompletionRule(course_id=course.pk)


def rule_evaluate(*, learner, course, completed_after: datetime | None = None) -> RuleResult:
    """Check the rule and say why it is not met. `completed_after` counts only newer completions (renewal)."""
    rule = rule_for_course(course)
    steps = list(Page.objects.child_of(course).live().order_by("path").values_list("pk", "title"))
    completions = {c.step_id: c for c in Completion.objects.filter(learner_id=learner.pk, course_id=course.pk)}
    exceptions = {e.step_id: e for e in RuleException.objects.filter(learner_id=learner.pk, course_id=course.pk)}
    reasons: list[str] = []
    counted: list[dict] = []
    if not steps:
        reasons.append("The course has no published steps.")
    for step_id, title in steps:
        exception = exceptions.get(step_id)
        if exception is not None:
            counted.append({"step": step_id, "title": title, "exception": exception.reason})
            continue
        completion = completions.get(step_id)
        if completion is None or not completion.passed:
            reasons.append(f"“{title}” is not passed yet.")
            continue
        if completed_after is not None and completion.completed_at <= completed_after:
            reasons.append(f"“{title}” must be completed again for the renewal.")
            continue
        if rule.min_score is not None and completion.score is not None and completion.score < rule.min_score:
            reasons.append(
                f"“{title}” needs a score of at least {_percent(rule.min_score)}% "
                f"(best so far {_percent(completion.score)}%)."
            )
            continue
        counted.append(
            {
                "step": step_id,
                "title": title,
                "score": str(completion.score) if completion.score is not None else None,
                "content_revision": completion.content_revision,
                "completed_at": completion.completed_at.isoformat(),
            }
        )
    sign_off = None
    if rule.require_signoff:
        sign_off = SignOff.objects.filter(learner_id=learner.pk, course_id=course.pk).first()
        if sign_off is None:
            reasons.append("A supervisor has not signed off yet.")
    evidence = {"rule": rule.describe(), "steps": counted}
    if sign_off is not None:
        evidence["sign_off"] = {"by": sign_off.signed_by_id, "at": sign_off.signed_at.isoformat()}
    return RuleResult(met=not reasons, reasons=reasons, evidence=evidence)


def completion_rule_met(*, learner, course) -> tuple[bool, list[str]]:
    """(met, reasons it is not met). A pure read: nothing is written."""
    result = rule_evaluate(learner=learner, course=course)
    return result.met, result.reasons
