"""Item analysis: how each question (version) of a quiz behaves across submitted attempts.

Facility is the mean fraction of credit earned (Moodle's facility index); `right_share` the share of
responses fully right. Discrimination is the corrected point-biserial (Pearson) correlation between the
question's fraction and the rest of the attempt (mean fraction of the attempt's other questions):
leaving the question out of the total keeps short quizzes from correlating with themselves.
A question "looks broken" when, with enough responses, almost nobody or almost everybody gets it,
or strong candidates do no better at it than weak ones.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from math import sqrt

from django.db.models import QuerySet

from .models import QuestionVersion, QuizPage, Response

MIN_RESPONSES = 10
TOO_HARD, TOO_EASY, WEAK_DISCRIMINATION = 0.2, 0.95, 0.1


@dataclass
class ItemStats:
    version_id: int
    responses: int
    facility: float
    right_share: float
    discrimination: float | None  # None: undefined (no spread in the question or in the rest)
    key: str = ""
    number: int = 0
    type: str = ""
    text: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def looks_broken(self) -> bool:
        return bool(self.problems)


def correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / sqrt(sxx * syy)


def item_statistics(rows: list[tuple[int, int, float]], *, min_responses: int = MIN_RESPONSES) -> list[ItemStats]:
    """Statistics per version from (attempt id, version id, fraction) rows of submitted attempts."""
    by_attempt: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for attempt_id, version_id, fraction in rows:
        by_attempt[attempt_id].append((version_id, fraction))
    pairs: dict[int, list[tuple[float, float]]] = defaultdict(list)  # version → (fraction, rest)
    for answered in by_attempt.values():
        total = sum(fraction for _version, fraction in answered)
        for version_id, fraction in answered:
            rest = (total - fraction) / (len(answered) - 1) if len(answered) > 1 else 0.0
            pairs[version_id].append((fraction, rest))
    stats = []
    for version_id, values in pairs.items():
        fractions = [fraction for fraction, _rest in values]
        item = ItemStats(
            version_id=version_id,
            responses=len(values),
            facility=sum(fractions) / len(fractions),
            right_share=sum(1 for f in fractions if f >= 1) / len(fractions),
            discrimination=correlation(fractions, [rest for _fraction, rest in values]),
        )
        if item.responses >= min_responses:
            if item.facility < TOO_HARD:
                item.problems.append(f"very hard (facility below {TOO_HARD:.0%})")
            if item.facility > TOO_EASY:
                item.problems.append(f"very easy (facility above {TOO_EASY:.0%})")
            if item.discrimination is not None and item.discrimination < WEAK_DISCRIMINATION:
                item.problems.append(f"does not separate strong from weak (discrimination below {WEAK_DISCRIMINATION})")
        stats.append(item)
    return stats


def quiz_item_analysis(*, quiz: QuizPage, learners: QuerySet | None = None) -> list[ItemStats]:
    """Item statistics of a quiz's submitted attempts (of `learners` only, if given), in two queries."""
    responses = Response.objects.filter(attempt__quiz=quiz, attempt__submitted_at__isnull=False)
    if learners is not None:
        responses = responses.filter(attempt__learner__in=learners)
    rows = [
        (attempt_id, version_id, float(fraction or 0))
        for attempt_id, version_id, fraction in responses.values_list("attempt_id", "question_version_id", "fraction")
    ]
    stats = item_statistics(rows)
    versions = QuestionVersion.objects.filter(pk__in=[s.version_id for s in stats]).select_related("question")
    by_version = {item.version_id: item for item in stats}
    for version in versions.only("number", "content", "question__key"):
        item = by_version[version.pk]
        item.key, item.number = version.question.key, version.number
        item.type, item.text = version.content["type"], version.content["text"]
    return sorted(stats, key=lambda item: (not item.looks_broken, item.key, item.number))
