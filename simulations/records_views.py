"""The records desk: an inbox of requests, the request (verify, check what is on file, decide, release,
log), and the accounting-of-disclosures log. Thin: find the shift (the learner's own, else 404) and the
row inside it, call one service or selector, render."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect

from coursesite.people.access import AUTHENTICATED, access

from . import records_selectors, records_services
from .models import RecordsRequest
from .privacy.accounting import EXCLUDED, Basis
from .privacy.rules import ORGANISATIONS, Requester
from .records_setup import chart_identifiers
from .services import OfficeActionError
from .views import _fail, _office, _shift

BASIS_CHOICES = [(b.value, b.value.replace("_", " ") + (" (excluded from an accounting)" if b in EXCLUDED else ""))
                 for b in Basis]  # fmt: skip


def _ids(values) -> list[int]:
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError):
        raise OfficeActionError("Unknown document.") from None


def _due(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise OfficeActionError("Enter the due date as a date (YYYY-MM-DD).") from None


def _act(request, shift, row: RecordsRequest, action: str) -> str:
    post = request.POST
    if action == "verify":
        ok = records_services.records_identity_verify(
            shift=shift,
            request=row,
            identifiers=post.getlist("identifier"),
            document_ids=_ids(post.getlist("document")),
        )
        return "Identity verified." if ok else "Identity check recorded: NOT verified by the office's standard."
    if action == "callback":
        ok = records_services.records_call_back(shift=shift, request=row)
        return (
            "You called the number on file: they confirm the request." if ok
            else "You called the number on file: they have no record of this request. Identity NOT verified."
        )  # fmt: skip
    if action == "check":
        records_services.records_check(shift=shift, request=row, check=post.get("check", ""))
        return "Checked and noted."
    if action == "authority":
        records_services.records_authority_verify(
            shift=shift, request=row, document_ids=_ids(post.getlist("document")), none_found=bool(post.get("none"))
        )
        return "Authority document recorded."
    if action == "decide":
        records_services.records_decide(
            shift=shift, request=row, user=request.user, decision=post.get("decision", ""),
            section_keys=post.getlist("section"), delivery=post.get("delivery", ""), due_on=_due(post.get("due_on", "")),
            fee=post.get("fee", ""), steps=post.getlist("step"), note=post.get("note", ""),
        )  # fmt: skip
        return "Decision recorded."
    if action == "log":
        records_services.disclosure_log(
            shift=shift, request=row, user=request.user, recipient=post.get("recipient", ""),
            purpose=post.get("purpose", ""), description=post.get("description", ""), basis=post.get("basis", ""),
            recipient_address=post.get("recipient_address", ""),
        )  # fmt: skip
        return "Disclosure entered in the accounting of disclosures log."
    raise OfficeActionError("Choose an action.")


@access(AUTHENTICATED)
def office_records(request, shift_id: int):
    """The records desk's inbox of requests."""
    shift = _shift(request, shift_id)
    context = {"requests": records_selectors.records_inbox(shift=shift)}
    return _office(request, shift, "simulations/records_inbox.html", context)


@access(AUTHENTICATED)
def office_records_request(request, shift_id: int, request_id: int):
    """One request: the requester, the documents (readable), what is on file, the steps, the decision."""
    shift = _shift(request, shift_id)
    row = records_selectors.records_request_in_shift(shift=shift, request_id=request_id)
    status = 200
    if request.method == "POST":
        try:
            text = _act(request, shift, row, request.POST.get("action", ""))
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
            row.refresh_from_db()
        else:
            messages.success(request, text)
            return redirect("office_records_request", shift_id=shift.pk, request_id=row.pk)
    elif shift.is_open:
        records_services.records_request_view(shift=shift, request=row, user=request.user)
    desk = records_selectors.records_request_desk(shift=shift, request=row)
    pages = records_services.copy_pages(desk.sections)
    context = {
        "desk": desk, "row": row, "patient": row.patient, "pages": pages, "chart": chart_identifiers(row.patient),
        "identifiers": list(records_services.IDENTIFIER_LABELS.items()),
        "checks": [(s.value, label) for s, label in records_services.CHECKS.items()],
        "decision_steps": [(s.value, label) for s, label in records_services.DECISION_STEPS.items()],
        "decisions": RecordsRequest.Decision.choices, "deliveries": RecordsRequest.Delivery.choices,
        "bases": BASIS_CHOICES,
        "fees": {"per_page": records_services.FEE_PER_PAGE, "postage": records_services.FEE_POSTAGE,
                 "flat": records_services.FEE_ELECTRONIC_FLAT},
        "checked": {s.get("step") for s in desk.steps},
        "organisation": Requester(row.requester) in ORGANISATIONS,
    }  # fmt: skip
    return _office(request, shift, "simulations/records_request.html", context, status=status)


@access(AUTHENTICATED)
def office_disclosures(request, shift_id: int):
    """The accounting-of-disclosures log; `?patient=<id>` shows what an accounting for that patient lists."""
    shift = _shift(request, shift_id)
    rows = records_selectors.disclosure_log_rows(shift=shift)
    records_services.disclosure_log_view(shift=shift, user=request.user)
    accounting = None
    patient_id = request.GET.get("patient", "")
    if patient_id.isdigit():
        accounting = records_selectors.disclosure_accounting(shift=shift, rows=rows, patient_id=int(patient_id))
    context = {"disclosures": rows, "accounting": accounting}
    return _office(request, shift, "simulations/records_disclosures.html", context)
