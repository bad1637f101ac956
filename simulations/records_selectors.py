"""Reads for the records desk. Every read takes the shift and filters by it (`for_shift`): an id from
another trainee's sandbox is a 404, never a hint that it exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from .models import Disclosure, RecordDocument, RecordSection, RecordsRequest, Shift
from .privacy.accounting import Accounting, Basis, accounting_filter
from .privacy.accounting import Disclosure as AccountingRow


def records_inbox(*, shift: Shift) -> list[RecordsRequest]:
    """The shift's requests with their patient, in one query."""
    return list(RecordsRequest.objects.for_shift(shift).select_related("patient").order_by("pk"))


def records_request_in_shift(*, shift: Shift, request_id: int) -> RecordsRequest:
    return get_object_or_404(RecordsRequest.objects.for_shift(shift).select_related("patient"), pk=request_id)


@dataclass
class RequestDesk:
    request: RecordsRequest
    presented: list[RecordDocument]  # came with the request
    on_file: list[RecordDocument]  # in the patient's chart
    sections: list[RecordSection]
    steps: list[dict]  # what the trainee has done so far, in order
    disclosures: list[Disclosure]


def records_request_desk(*, shift: Shift, request: RecordsRequest) -> RequestDesk:
    """Everything the request screen shows, in four queries."""
    from .models import ActionLog

    documents = list(RecordDocument.objects.for_shift(shift).filter(patient=request.patient).order_by("pk"))
    steps = [
        {
            **row.after,
            "kind": row.kind,
            "at": row.at_sim,
            "label": str(row.after.get("step", "")).replace("_", " ").capitalize(),
        }
        for row in ActionLog.objects.for_shift(shift)
        .filter(target=f"records_request:{request.pk}")
        .exclude(kind="records_viewed")
        .order_by("seq")
    ]
    return RequestDesk(
        request=request,
        presented=[d for d in documents if d.request_id == request.pk],
        on_file=[d for d in documents if d.request_id is None],
        sections=list(RecordSection.objects.for_shift(shift).filter(patient=request.patient).order_by("pk")),
        steps=steps,
        disclosures=list(Disclosure.objects.for_shift(shift).filter(request=request)),
    )


def disclosure_log_rows(*, shift: Shift) -> list[Disclosure]:
    """The shift's accounting-of-disclosures log, oldest first, in one query."""
    return list(Disclosure.objects.for_shift(shift).select_related("patient", "request").order_by("disclosed_on", "pk"))


def disclosure_accounting(*, shift: Shift, rows: list[Disclosure], patient_id: int) -> Accounting | None:
    """What an accounting for one patient would list (and leave out, with the paragraph), from `rows`."""
    mine = [r for r in rows if r.patient_id == patient_id]
    if not mine:
        return None
    items = [
        AccountingRow(r.disclosed_on, r.recipient, Basis(r.basis), r.description, r.purpose, r.recipient_address)
        for r in mine
    ]
    return accounting_filter(items, requested_on=shift.now.date())


def disclosures_by_shift(*, shift_ids: list[int]) -> dict[int, list[Disclosure]]:
    """The disclosure logs of several shifts (the trainee record), in one query."""
    grouped: dict[int, list[Disclosure]] = {}
    for row in (
        Disclosure.objects.filter(shift_id__in=shift_ids).select_related("patient").order_by("disclosed_on", "pk")
    ):
        grouped.setdefault(row.shift_id, []).append(row)
    return grouped


def records_grading_data(*, shift: Shift) -> dict:
    """The desk's end state as plain data for the grader, in three queries (none without a records setup)."""
    if not (shift.variant.get("setup") or {}).get("records"):
        return {}
    requests = {
        r.key: {
            "id": r.pk, "case": r.case, "received_on": r.received_on, "decision": r.decision, "status": r.status,
            "released": list(r.released), "delivery": r.delivery, "due_on": r.due_on, "fee": r.fee,
            "dates_requested": list(r.dates_requested), "patient_id": r.patient_id,
        }
        for r in RecordsRequest.objects.for_shift(shift).order_by("pk")
    }  # fmt: skip
    sections = {
        s.key: {"content": s.content, "on_date": s.on_date, "pages": s.pages, "patient_id": s.patient_id}
        for s in RecordSection.objects.for_shift(shift)
    }
    disclosures = [
        {"request": d.request_id, "basis": d.basis, "excluded": d.excluded, "by_trainee": d.by_trainee}
        for d in Disclosure.objects.for_shift(shift).order_by("pk")
    ]
    return {"requests": requests, "sections": sections, "disclosures": disclosures}


def records_counts(*, shift: Shift) -> dict:
    """Open and decided requests (for the inbox heading), in one query."""
    return RecordsRequest.objects.for_shift(shift).aggregate(
        open=Count("pk", filter=Q(status=RecordsRequest.Status.OPEN)), total=Count("pk")
    )
