"""Reads for supervisors' reports. Each runs a fixed number of queries whatever the cohort's size.

Dependencies run one way: reports → people, progress, certificates, lessons, quizzes. The practice
office's results (simulations) are read in `office.py` for the dashboard's office charts and in
`record.py` for a trainee's own shifts and calls. Nothing imports reports.
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
from .office import OfficeResults, office_results, office_step_ids
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
    "OfficeResults",
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
    "office_results",
    "office_step_ids",
    "organisation_summary",
    "trainee_record",
]
