"""The billing screens of the office: fee sheet, claim (box by box), remittance, ledger. Thin: find the
shift (the learner's own, else 404) and its rows inside it, call one service or selector, render."""

from django.contrib import messages
from django.shortcuts import redirect

from coursesite.people.access import AUTHENTICATED, access

from . import billing_selectors, billing_services, selectors
from .billing.claims import MAX_POINTERS
from .billing.codes import PROCEDURE_CODES
from .models import Claim, ClaimLine
from .services import OfficeActionError
from .views import _fail, _office, _shift

FEE_SHEET_ROWS = 4


def _fee_sheet_lines(post) -> list[dict]:
    """The filled rows of the posted fee sheet (a row with no code and no units is an unused row)."""
    lines = []
    for n in range(1, FEE_SHEET_ROWS + 1):
        code, units = post.get(f"code-{n}", "").strip(), post.get(f"units-{n}", "").strip()
        diagnoses = [d for d in post.getlist(f"dx-{n}") if d.strip()]
        if code or units or diagnoses:
            lines.append({"code": code, "units": units, "diagnoses": diagnoses})
    return lines


@access(AUTHENTICATED)
def office_charges(request, shift_id: int, appointment_id: int):
    """The fee sheet of a visit: service lines (code, units, up to four diagnoses); POST posts the charges."""
    shift = _shift(request, shift_id)
    appointment = selectors.appointment_in_shift(shift=shift, appointment_id=appointment_id)
    existing = Claim.objects.for_shift(shift).filter(appointment=appointment).first()
    status, posted = 200, {}
    if request.method == "POST":
        posted = request.POST
        try:
            claim = billing_services.charges_capture(
                shift=shift, appointment=appointment, lines=_fee_sheet_lines(request.POST)
            )
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, f"Charges posted; claim {claim.number} drafted.")
            return redirect("office_claim", shift_id=shift.pk, claim_id=claim.pk)
    rows = [
        {"n": n, "code": posted.get(f"code-{n}", "") if posted else "", "units": posted.get(f"units-{n}", "") if posted else "",
         "dx": posted.getlist(f"dx-{n}") if posted else []}
        for n in range(1, FEE_SHEET_ROWS + 1)
    ]  # fmt: skip
    context = {
        "appointment": appointment, "patient": appointment.patient, "existing": existing, "rows": rows,
        "codes": sorted(PROCEDURE_CODES.values(), key=lambda p: p.code), "max_pointers": MAX_POINTERS,
    }  # fmt: skip
    return _office(request, shift, "simulations/charges.html", context, status=status)


@access(AUTHENTICATED)
def office_claim(request, shift_id: int, claim_id: int):
    """The claim, box by box with our instructions, and the scrubber's findings; POST submits it."""
    shift = _shift(request, shift_id)
    claim = billing_selectors.claim_in_shift(shift=shift, claim_id=claim_id)
    status = 200
    if request.method == "POST":
        try:
            billing_services.claim_submit(shift=shift, claim=claim)
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, "Claim sent; the payer's remittance is back.")
            return redirect("office_remittance", shift_id=shift.pk, claim_id=claim.pk)
    lines = list(ClaimLine.objects.for_shift(shift).filter(claim=claim))
    problems = billing_services.claim_problems(shift=shift, claim=claim, lines=lines) if claim.status == "draft" else []
    from .claims_views import claim_panel  # history chain, correct / void / secondary (claims area)

    context = {
        "claim": claim, "lines": lines, "problems": problems,
        "boxes": billing_selectors.claim_boxes(shift=shift, claim=claim, lines=lines),
        **claim_panel(shift=shift, claim=claim),
    }  # fmt: skip
    return _office(request, shift, "simulations/claim.html", context, status=status)


@access(AUTHENTICATED)
def office_remittance(request, shift_id: int, claim_id: int):
    """The payer's answer: allowed, paid, patient responsibility, each adjustment in plain words; POST posts it."""
    shift = _shift(request, shift_id)
    claim = billing_selectors.claim_in_shift(shift=shift, claim_id=claim_id)
    remittance = billing_selectors.remittance_for_claim(shift=shift, claim=claim)
    if request.method == "POST":
        try:
            billing_services.remittance_post(shift=shift, remittance=remittance)
        except OfficeActionError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Remittance posted to the ledger.")
            return redirect("office_ledger", shift_id=shift.pk, patient_id=claim.patient.pk)
        status = 400
    else:
        status = 200
    context = {
        "claim": claim,
        "remittance": remittance,
        "lines": billing_selectors.remittance_view(remittance=remittance),
    }
    return _office(request, shift, "simulations/remittance.html", context, status=status)


@access(AUTHENTICATED)
def office_ledger(request, shift_id: int, patient_id: int):
    """The patient's account with a running balance; POST moves an amount to the patient."""
    shift = _shift(request, shift_id)
    patient = selectors.patient_in_shift(shift=shift, patient_id=patient_id)
    status = 200
    if request.method == "POST":
        try:
            billing_services.ledger_transfer(
                shift=shift, patient=patient, charge_id=request.POST.get("charge", ""),
                amount=request.POST.get("amount", ""), group=request.POST.get("group", ""),
                carc=request.POST.get("carc", ""),
            )  # fmt: skip
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, "Amount moved to the patient.")
            return redirect("office_ledger", shift_id=shift.pk, patient_id=patient.pk)
    context = {
        "patient": patient, "ledger": billing_selectors.ledger_view(shift=shift, patient=patient),
        "claims": billing_selectors.claims_for_patient(shift=shift, patient=patient),
        "carcs": billing_selectors.CARC_CHOICES, "groups": ["PR", "CO", "OA", "PI"],
    }  # fmt: skip
    return _office(request, shift, "simulations/ledger.html", context, status=status)
