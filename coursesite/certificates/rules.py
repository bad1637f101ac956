"""Has a learner met a course's completion rule? Reads progress only, in a fixed number of queries
whatever the course size (five for one course; seven for every course a learner has started)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from wagtail.models import Page

from coursesite.progress.models import Completion

from .models import CompletionRule, RuleException, SignOff


@dataclass
class RuleResult:
    met: bool
    reasons: list[str] = field(default_factory=list)
    # What a certificate records about how the rule was met (JSON-serialisable).
    evidence: dict = field(default_factory=dict)
    seconds_spent: int = 0
    min_hours: Decimal | None = None

    @property
    def hours_spent(self) -> Decimal:
        """Recorded time on task in hours, rounded down to a tenth (5.96 h is not yet 6)."""
        return (Decimal(self.seconds_spent) / 3600).quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    @property
    def hours_progress(self) -> str:
        """ "2.5 of 6 hours" when the rule asks for hours, else ""."""
        if self.min_hours is None:
            return ""
        return f"{_number(self.hours_spent)} of {_number(self.min_hours)} hours"


@dataclass
class CourseRuleProgress:
    """Where a learner stands against one course's rule (the "working towards" list)."""

    course: Page
    result: RuleResult


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def rule_for_course(course) -> CompletionRule:
    """The course's rule, or the default one (every live step passed) when editors set none."""
    return CompletionRule.objects.filter(course_id=course.pk).first() or CompletionRule(course_id=course.pk)


def _evaluate(
    *,
    rule: CompletionRule,
    steps: list[tuple[int, str]],
    completions: dict[int, Completion],
    exceptions: dict[int, RuleException],
    sign_off: SignOff | None,
    completed_after: datetime | None = None,
) -> RuleResult:
    """The rule applied to what was read: pure, so one course and many courses share it."""
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
                f"“{title}” needs a score of at least {_number(rule.min_score)}% "
                f"(best so far {_number(completion.score)}%)."
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
    # Time on every step of the course counts, failed attempts included: they were study too.
    result = RuleResult(
        met=False, seconds_spent=sum(c.seconds_spent for c in completions.values()), min_hours=rule.min_hours
    )
    if rule.min_hours is not None and result.hours_spent < rule.min_hours:
        reasons.append(f"Time on task so far: {result.hours_progress} of training.")
    if rule.require_signoff and sign_off is None:
        reasons.append("A supervisor has not signed off yet.")
    evidence = {"rule": rule.describe(), "steps": counted}
    if rule.min_hours is not None:
        evidence["hours_on_task"] = str(result.hours_spent)
    if rule.require_signoff and sign_off is not None:
        evidence["sign_off"] = {"by": sign_off.signed_by_id, "at": sign_off.signed_at.isoformat()}
    result.met, result.reasons, result.evidence = not reasons, reasons, evidence
    return result


def rule_evaluate(*, learner, course, completed_after: datetime | None = None) -> RuleResult:
    """Check the rule and say why it is not met. `completed_after` counts only newer completions (renewal)."""
    rule = rule_for_course(course)
    steps = list(Page.objects.child_of(course).live().order_by("path").values_list("pk", "title"))
    completions = {c.step_id: c for c in Completion.objects.filter(learner_id=learner.pk, course_id=course.pk)}
    exceptions = {e.step_id: e for e in RuleException.objects.filter(learner_id=learner.pk, course_id=course.pk)}
    sign_off = None
    if rule.require_signoff:
        sign_off = SignOff.objects.filter(learner_id=learner.pk, course_id=course.pk).first()
    return _evaluate(
        rule=rule,
        steps=steps,
        completions=completions,
        exceptions=exceptions,
        sign_off=sign_off,
        completed_after=completed_after,
    )


def completion_rule_met(*, learner, course) -> tuple[bool, list[str]]:
    """(met, reasons it is not met). A pure read: nothing is written."""
    result = rule_evaluate(learner=learner, course=course)
    return result.met, result.reasons


def rules_progress_for_learner(*, learner, exclude_course_ids: set[int]) -> list[CourseRuleProgress]:
    """The rule's verdict for every live course the learner has started, except `exclude_course_ids`
    (those already certified): seven queries however many courses, steps and completions."""
    completions: dict[int, dict[int, Completion]] = {}
    for completion in Completion.objects.filter(learner_id=learner.pk).exclude(course_id__in=exclude_course_ids):
        completions.setdefault(completion.course_id, {})[completion.step_id] = completion
    if not completions:
        return []
    courses = list(Page.objects.live().filter(pk__in=completions).order_by("path"))
    if not courses:
        return []
    steps: dict[str, list[tuple[int, str]]] = {course.path: [] for course in courses}
    for pk, path, title in (
        Page.objects.live().filter(depth=courses[0].depth + 1).order_by("path").values_list("pk", "path", "title")
    ):
        if path[: -Page.steplen] in steps:
            steps[path[: -Page.steplen]].append((pk, title))
    course_ids = [course.pk for course in courses]
    rules = {r.course_id: r for r in CompletionRule.objects.filter(course_id__in=course_ids)}
    exceptions: dict[int, dict[int, RuleException]] = {}
    for exception in RuleException.objects.filter(learner_id=learner.pk, course_id__in=course_ids):
        exceptions.setdefault(exception.course_id, {})[exception.step_id] = exception
    sign_offs = {s.course_id: s for s in SignOff.objects.filter(learner_id=learner.pk, course_id__in=course_ids)}
    return [
        CourseRuleProgress(
            course=course,
            result=_evaluate(
                rule=rules.get(course.pk) or CompletionRule(course_id=course.pk),
                steps=steps[course.path],
                completions=completions[course.pk],
                exceptions=exceptions.get(course.pk, {}),
                sign_off=sign_offs.get(course.pk),
            ),
        )
        for course in courses
    ]
