"""Practice-office results for the cohort dashboard: the average score per call axis, and the pass
rate per office task kind (PRACTICE_OFFICE.md: S, R, C, B, P, H, T).

Dependencies: reports reads progress and people; the one exception is this module, which reads the
practice office's attempt rows (simulations.CallSession and Shift) and the task ids of scenarios and
calls, read-only, for these charts. Nothing in simulations imports reports.

Four queries whatever the cohort's size: call axes, calls by call, shifts by scenario, and (when
there are shifts) the scenarios' task ids.
"""

from dataclasses import dataclass

import yaml
from django.db.models import Avg, Count, FloatField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from simulations.calls import Axis
from simulations.calls_registry import call_definition
from simulations.models import CallPage, CallSession, Scenario, Shift, SimulationPage

AXIS_LABELS = {
    Axis.COMPLIANCE: "Compliance (privacy and safety)",
    Axis.ACCURACY: "Accuracy (facts and rules)",
    Axis.SERVICE: "Service (courtesy, HEAT / AIDET)",
    Axis.EFFICIENCY: "Efficiency (resolved without detours)",
}
TASK_KINDS = {
    "S": "Scheduling",
    "R": "Registration and insurance",
    "C": "Charting",
    "B": "Claims",
    "P": "Payments and ledger",
    "H": "Confidentiality",
    "T": "Telephone calls",
}


@dataclass
class AxisFigure:
    axis: str
    label: str
    average: float | None  # percent, over every finished call that touched the axis
    calls: int


@dataclass
class TaskKindFigure:
    kind: str
    label: str
    attempts: int = 0
    passed: int = 0

    @property
    def rate(self) -> int:
        return round(100 * self.passed / self.attempts) if self.attempts else 0


@dataclass
class OfficeResults:
    axes: list[AxisFigure]
    kinds: list[TaskKindFigure]

    @property
    def has_calls(self) -> bool:
        return any(figure.calls for figure in self.axes)


def _task_kinds(task_ids) -> set[str]:
    return {str(task_id)[:1].upper() for task_id in task_ids or [] if str(task_id)[:1].upper() in TASK_KINDS}


def office_step_ids(pages) -> list[int]:
    """The ids of the pages that are practice-office steps (calls and shifts), from the content-type cache."""
    return [page.pk for page in pages if page.specific_class in (CallPage, SimulationPage)]


def office_results(*, learners: QuerySet, step_ids: list[int]) -> OfficeResults:
    """Finished calls and shifts of `learners` (a queryset, sent as a subquery) on the given steps; no
    query at all when none of the steps is an office step."""
    if not step_ids:
        return OfficeResults(axes=[], kinds=[])
    learner_ids = learners.values("pk")
    calls = CallSession.objects.filter(learner__in=learner_ids, page_id__in=step_ids, submitted_at__isnull=False)
    axis_values = {axis: Cast(KT(f"result__axes__{axis}"), FloatField()) for axis in Axis}
    # An axis the call's path never touched is stored as JSON null: leave it out (on SQLite the text of
    # a JSON null would cast to 0).
    touched = {
        axis: Q(**{f"result__axes__{axis}__isnull": False}) & ~Q(**{f"result__axes__{axis}": None}) for axis in Axis
    }
    averages = calls.aggregate(
        **{f"{axis}_avg": Avg(value, filter=touched[axis]) for axis, value in axis_values.items()},
        **{f"{axis}_n": Count("pk", filter=touched[axis]) for axis in Axis},
    )
    axes = [
        AxisFigure(
            axis=str(axis),
            label=AXIS_LABELS[axis],
            average=averages[f"{axis}_avg"],
            calls=averages[f"{axis}_n"],
        )
        for axis in Axis
    ]
    kinds = {kind: TaskKindFigure(kind=kind, label=label) for kind, label in TASK_KINDS.items()}
    passed = Count("pk", filter=Q(passed=True))
    for row in calls.order_by().values("call_id").annotate(n=Count("pk"), passed=passed):
        definition = call_definition(row["call_id"])
        for kind in _task_kinds([definition.task] if definition is not None else []):
            kinds[kind].attempts += row["n"]
            kinds[kind].passed += row["passed"]
    shifts = list(
        Shift.objects.filter(learner__in=learner_ids, page_id__in=step_ids, submitted_at__isnull=False)
        .order_by()
        .values("scenario_id")
        .annotate(n=Count("pk"), passed=passed)
    )
    if shifts:
        definitions = dict(
            Scenario.objects.filter(pk__in=[row["scenario_id"] for row in shifts]).values_list("pk", "definition")
        )
        for row in shifts:
            # Only the task ids are needed: the scenario was validated in full when it was saved.
            data = yaml.safe_load(definitions.get(row["scenario_id"], "")) or {}
            for kind in _task_kinds(data.get("task_ids")):
                kinds[kind].attempts += row["n"]
                kinds[kind].passed += row["passed"]
    return OfficeResults(axes=axes, kinds=[figure for figure in kinds.values() if figure.attempts])
