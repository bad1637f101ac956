"""The learner × course summary table: kept up to date on write, rebuilt by a management command.

`LearnerCourseSummary` is derived data (a cache in a table): Completion and Certificate stay the
record. Listeners in receivers.py refresh one row after each completion or certificate change; the
`rebuild_learner_summaries` command recomputes every row (after an import, a restore, or a change
to which steps are live).
"""

import logging
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from coursesite.certificates.models import Certificate
from coursesite.progress.models import Completion

from .models import LearnerCourseSummary

logger = logging.getLogger(__name__)
BATCH = 1000


def _completion_totals():
    # Only live steps count, as on the cohort matrix.
    return {
        "steps_started": Count("pk"),
        "steps_passed": Count("pk", filter=Q(passed=True)),
        "average_score": Avg("score"),
        "last_activity_at": Max("completed_at"),
    }


def learner_course_summary_refresh(*, learner_id: int, course_id: int) -> LearnerCourseSummary | None:
    """Recompute one learner's summary for one course (three queries); None when there is nothing to
    summarise (no completion, no current certificate), in which case any old row is removed."""
    totals = Completion.objects.filter(learner_id=learner_id, course_id=course_id, step__live=True).aggregate(
        **_completion_totals()
    )
    certificate = (
        Certificate.objects.current()
        .filter(learner_id=learner_id, course_id=course_id)
        .order_by("-issued_at")
        .values_list("issued_at", "expires_at")
        .first()
    )
    with transaction.atomic():
        if not totals["steps_started"] and certificate is None:
            LearnerCourseSummary.objects.filter(learner_id=learner_id, course_id=course_id).delete()
            return None
        summary, _created = LearnerCourseSummary.objects.update_or_create(
            learner_id=learner_id,
            course_id=course_id,
            defaults={
                **totals,
                "average_score": _two_places(totals["average_score"]),
                "certified_at": certificate[0] if certificate else None,
                "certificate_expires_at": certificate[1] if certificate else None,
                "refreshed_at": timezone.now(),
            },
        )
    return summary


def _two_places(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def learner_course_summary_refresh_quietly(*, learner_id: int, course_id: int) -> None:
    """For listeners: the completion or certificate is already committed, so a failure here must not
    turn the learner's request into an error; it is logged, and the nightly rebuild repairs the row."""
    try:
        learner_course_summary_refresh(learner_id=learner_id, course_id=course_id)
    except Exception:
        logger.exception("Could not refresh the summary of learner %s in course %s", learner_id, course_id)


def learner_course_summaries_rebuild(*, course_ids: Iterable[int] | None = None) -> int:
    """Recompute the summary rows (of the given courses, or all) from Completion and Certificate in
    two grouped queries, streamed; replaces the old rows in one transaction. Returns the row count."""
    course_ids = list(course_ids) if course_ids is not None else None
    completions = Completion.objects.filter(step__live=True)
    certificates = Certificate.objects.current().filter(course__isnull=False)
    old = LearnerCourseSummary.objects.all()
    if course_ids is not None:
        completions = completions.filter(course_id__in=course_ids)
        certificates = certificates.filter(course_id__in=course_ids)
        old = old.filter(course_id__in=course_ids)
    certified = {
        (learner_id, course_id): (issued_at, expires_at)
        for learner_id, course_id, issued_at, expires_at in certificates.order_by("issued_at").values_list(
            "learner_id", "course_id", "issued_at", "expires_at"
        )
    }
    now = timezone.now()
    count = 0
    with transaction.atomic():
        old.delete()
        batch: list[LearnerCourseSummary] = []
        grouped = (
            completions.values("learner_id", "course_id")
            .annotate(**_completion_totals())
            .order_by()
            .iterator(chunk_size=BATCH)
        )
        for row in grouped:
            issued = certified.pop((row["learner_id"], row["course_id"]), (None, None))
            batch.append(
                LearnerCourseSummary(
                    **row | {"average_score": _two_places(row["average_score"])},
                    certified_at=issued[0],
                    certificate_expires_at=issued[1],
                    refreshed_at=now,
                )
            )
            if len(batch) >= BATCH:
                count += len(LearnerCourseSummary.objects.bulk_create(batch))
                batch = []
        # Certified without a completion row (completions purged, or a certificate imported).
        for (learner_id, course_id), (issued_at, expires_at) in certified.items():
            batch.append(
                LearnerCourseSummary(
                    learner_id=learner_id,
                    course_id=course_id,
                    certified_at=issued_at,
                    certificate_expires_at=expires_at,
                    refreshed_at=now,
                )
            )
        count += len(LearnerCourseSummary.objects.bulk_create(batch, batch_size=BATCH))
    return count
