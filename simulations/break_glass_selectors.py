"""Who may open which chart in a shift: the work queue, and break-the-glass grants within their limit.

A scenario that sets `setup.work_queue` (patient keys) limits normal chart access to those patients (and
to patients the trainee registered in the shift); every other chart is searchable but opens only through
break-the-glass. `setup.break_glass_limit` is the grant's limit in simulated minutes (default 30) or
"end-of-shift". Scenarios without a work queue are unchanged: every chart opens normally.
"""

from dataclasses import dataclass

from .models import BreakGlassGrant, Patient, Shift

DEFAULT_LIMIT_MINUTES = 30


def work_queue(shift: Shift) -> list[str] | None:
    queue = (shift.variant.get("setup") or {}).get("work_queue")
    return list(queue) if queue else None


def in_work_queue(*, shift: Shift, patient: Patient) -> bool:
    queue = work_queue(shift)
    return queue is None or patient.key in queue or patient.registered_in_shift


def break_glass_limit(shift: Shift) -> int | None:
    """Minutes a grant lasts, or None for "until the end of the shift"."""
    value = (shift.variant.get("setup") or {}).get("break_glass_limit", DEFAULT_LIMIT_MINUTES)
    return None if value == "end-of-shift" else int(value)


def active_grant(*, shift: Shift, patient: Patient) -> BreakGlassGrant | None:
    """The latest grant for the chart if it is still within its limit (one query)."""
    grant = BreakGlassGrant.objects.for_shift(shift).filter(patient=patient).order_by("-granted_at_sim", "-pk").first()
    return grant if grant is not None and grant.is_active(shift.now) else None


@dataclass(frozen=True)
class ChartAccess:
    mode: str  # "queue" (normal), "glass" (an active grant), "closed" (needs break-the-glass)
    grant: BreakGlassGrant | None = None
    expired: BreakGlassGrant | None = None

    def allows(self, section: str) -> bool:
        return self.mode == "queue" or (self.mode == "glass" and section in self.grant.sections)


def chart_access(*, shift: Shift, patient: Patient) -> ChartAccess:
    if in_work_queue(shift=shift, patient=patient):
        return ChartAccess("queue")
    latest = BreakGlassGrant.objects.for_shift(shift).filter(patient=patient).order_by("-granted_at_sim", "-pk").first()
    if latest is not None and shift.is_open and latest.is_active(shift.now):
        return ChartAccess("glass", grant=latest)
    return ChartAccess("closed", expired=latest)
