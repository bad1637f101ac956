"""Reads for supervisors' reports. Each runs a fixed number of queries whatever the cohort's size.

Dependencies run one way: reports → people, progress, certificates, lessons, quizzes; the practice
office's results (simulations) are read only in `office.py`. Nothing imports reports.
"""

from .matrix import (
    NUDGE_INTERVAL,
    ROW_STATUSES,
    STATUS_ICONS,
    STATUS_LABELS,
    AttentionItem,
    Cell,
    CohortMatrix,
    Row,
    Step,
    cohort_attention,
    cohort_courses,
    cohort_matrix,
    cohort_matrix_csv_rows,
    cohort_needs_attention,
    course_steps,
)
from .organisation import OrganisationSummary, SummaryLine, organisation_summary
from .record import CourseRecord, TraineeRecord, audit_events_for, trainee_record

__all__ = [
    "NUDGE_INTERVAL",
    "ROW_STATUSES",
    "STATUS_ICONS",
    "STATUS_LABELS",
    "AttentionItem",
    "Cell",
    "CohortMatrix",
    "CourseRecord",
    "OrganisationSummary",
    "Row",
    "Step",
    "SummaryLine",
    "TraineeRecord",
    "audit_events_for",
    "cohort_attention",
    "cohort_courses",
    "cohort_matrix",
    "cohort_matrix_csv_rows",
    "cohort_needs_attention",
    "course_steps",
    "organisation_summary",
    "trainee_record",
]
