"""Reads for the privacy screens. Every read takes the shift: another trainee's rows are a 404."""

from django.http import Http404

from .models import BreakGlassGrant, IncidentReport, Shift


def incident_item(*, shift: Shift, item_key: str) -> dict:
    """The inbox incident `item_key` of this shift, or 404 (a tampered key names nothing)."""
    item = next((i for i in shift.variant["inbox"] if i.get("key") == item_key), None)
    if item is None or item.get("kind") != "incident":
        raise Http404("No such incident in this shift.")
    return item


def incident_report_for(*, shift: Shift, item_key: str) -> IncidentReport | None:
    return IncidentReport.objects.for_shift(shift).filter(item_key=item_key).first()


def incident_grading_data(*, shift: Shift) -> dict:
    """The shift's incident reports and break-the-glass grants as plain data, for the grader: one query
    each, and none for a scenario without incident items (reports) or a work queue (grants)."""
    has_incidents = any(item.get("kind") == "incident" for item in shift.variant["inbox"])
    has_queue = bool((shift.variant.get("setup") or {}).get("work_queue"))
    reports = {
        r.item_key: {
            "discovered_on": r.discovered_on,
            "occurred_on": r.occurred_on,
            "individuals": r.individuals,
            "residents_of_one_state": r.residents_of_one_state,
            "device": r.device,
            "recipient": r.recipient,
            "phi_elements": r.phi_elements,
            "conclusion": r.conclusion,
            "notifications": r.notifications,
            "individual_notice_by": r.individual_notice_by,
            "filed_at_sim": r.filed_at_sim,
        }
        for r in (IncidentReport.objects.for_shift(shift) if has_incidents else [])
    }
    grants = [
        {
            "patient": g.patient.key,
            "reason": g.reason,
            "justification": g.justification,
            "sections": g.sections,
            "notified": g.notified,
            "expires": g.expires_at_sim,
        }
        for g in (
            BreakGlassGrant.objects.for_shift(shift).select_related("patient").order_by("granted_at_sim", "pk")
            if has_queue
            else []
        )
    ]
    return {"reports": reports, "grants": grants}
