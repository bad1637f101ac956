"""The patient-account screens of the office: check-in (copay), the account (payments, refunds, payment
plans), statements (run and PDF), the daily close (day sheet and deposit count) and the ERA posting
worksheet. Thin: find the shift (the learner's own, else 404) and its rows inside it, call one service or
selector, render."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from coursesite.people.access import AUTHENTICATED, access

from . import accounts_selectors, accounts_services, billing_selectors, selectors, services
from .billing.ledger import PaymentMethod
from .billing.payplans import MAX_INSTALMENTS
from .models import Appointment
from .services import OfficeActionError
from .views import _fail, _office, _shift

DESK_FIELDS = ("amount", "method", "check_number", "card_last4")


def _desk_data(post) -> dict:
    return {name: post.get(name, "") for name in DESK_FIELDS}


@access(AUTHENTICATED)
def office_checkin(request, shift_id: int, appointment_id: int):
    """Check-in: mark the patient arrived, then take the plan's copay (cash, check or card) with a receipt."""
    shift = _shift(request, shift_id)
    appointment = selectors.appointment_in_shift(shift=shift, appointment_id=appointment_id)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "arrived":
                services.appointment_mark(shift=shift, appointment=appointment, status=Appointment.Status.ARRIVED)
                messages.success(request, "Marked arrived. Collect the copay now.")
            elif action == "copay":
                receipt = accounts_services.copay_collect(
                    shift=shift, appointment=appointment, data=_desk_data(request.POST)
                )
                messages.success(request, f"Copay of {receipt.amount} posted; receipt {receipt.number}.")
            else:
                raise OfficeActionError("Choose an action.")
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            return redirect("office_checkin", shift_id=shift.pk, appointment_id=appointment.pk)
    context = {
        "appointment": appointment, "patient": appointment.patient,
        "copay": accounts_services.checkin_copay(shift=shift, appointment=appointment),
        "receipts": accounts_selectors.receipts_for_appointment(shift=shift, appointment=appointment),
        "posted": request.POST if status == 400 else {}, "methods": ["cash", "check", "card"],
    }  # fmt: skip
    return _office(request, shift, "simulations/checkin.html", context, status=status)


def _account_action(request, shift, patient, action: str) -> None:
    post = request.POST
    if action == "payment":
        receipt = accounts_services.patient_payment_post(shift=shift, patient=patient, data=_desk_data(post))
        messages.success(request, f"Payment of {receipt.amount} posted; receipt {receipt.number}.")
    elif action == "refund":
        accounts_services.credit_refund(
            shift=shift, patient=patient, party=post.get("party", ""), amount=post.get("refund_amount", ""),
            check_number=post.get("refund_check", ""),
        )  # fmt: skip
        messages.success(request, "Refund recorded on the account.")
    elif action == "plan":
        plan = accounts_services.payment_plan_create(
            shift=shift, patient=patient, count=post.get("count", ""), first_due=post.get("first_due", "")
        )
        messages.success(request, f"Payment plan set up: {plan.count} monthly instalments.")
    else:
        raise OfficeActionError("Choose an action.")


@access(AUTHENTICATED)
def office_account(request, shift_id: int, patient_id: int):
    """The patient's account at the desk: take a payment, refund a credit, set up a payment plan."""
    shift = _shift(request, shift_id)
    patient = selectors.patient_in_shift(shift=shift, patient_id=patient_id)
    status = 200
    if request.method == "POST":
        try:
            _account_action(request, shift, patient, request.POST.get("action", ""))
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            return redirect("office_account", shift_id=shift.pk, patient_id=patient.pk)
    context = {
        "patient": patient, "ledger": billing_selectors.ledger_view(shift=shift, patient=patient),
        "extras": accounts_selectors.account_extras(shift=shift, patient=patient),
        "posted": request.POST if status == 400 else {}, "methods": ["cash", "check", "card"],
        "max_instalments": MAX_INSTALMENTS,
    }  # fmt: skip
    return _office(request, shift, "simulations/account.html", context, status=status)


@access(AUTHENTICATED)
def office_statements(request, shift_id: int):
    """The statement run: every account with a balance, its aging; POST sends statements to those ticked."""
    shift = _shift(request, shift_id)
    status = 200
    if request.method == "POST":
        try:
            run = accounts_services.statement_run_create(shift=shift, patient_ids=request.POST.getlist("patient"))
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, f"{run.statements.count()} statement(s) sent.")
            return redirect("office_statements", shift_id=shift.pk)
    context = {
        "accounts": accounts_selectors.statement_candidates(shift=shift),
        "runs": accounts_selectors.statement_runs(shift=shift),
    }
    return _office(request, shift, "simulations/statements.html", context, status=status)


@access(AUTHENTICATED)
def office_statement_pdf(request, shift_id: int, statement_id: int):
    """One patient's statement as a tagged PDF (PDF/UA-1): the copy the background task rendered after the
    run, or, if it has not run yet, rendered now (one page, about a second) and kept."""
    from coursesite.certificates.pdf import RenderError

    from .statement_pdf import statement_pdf_bytes

    shift = _shift(request, shift_id)
    statement = accounts_selectors.statement_in_shift(shift=shift, statement_id=statement_id)
    if not statement.pdf:
        try:
            content = statement_pdf_bytes(shift=shift, statement=statement)
        except RenderError as error:
            messages.error(request, f"The statement PDF could not be produced ({error}). Try again in a minute.")
            return redirect("office_statements", shift_id=shift.pk)
        statement = accounts_services.statement_pdf_store(statement=statement, content=content)
    with statement.pdf.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{statement.pk}.pdf"'
    return response


@access(AUTHENTICATED)
def office_day_close(request, shift_id: int):
    """Today's day sheet and the deposit reconciliation; POST records the count by method."""
    shift = _shift(request, shift_id)
    status = 200
    if request.method == "POST":
        try:
            count = accounts_services.deposit_count_record(
                shift=shift, counts={m.value: request.POST.get(m.value, "") for m in PaymentMethod},
                note=request.POST.get("note", ""),
            )  # fmt: skip
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            if count.balanced:
                messages.success(request, "The deposit matches the day sheet.")
            else:
                messages.warning(request, "The deposit does not match the day sheet: see the flagged methods.")
            return redirect("office_day_close", shift_id=shift.pk)
    context = {"close": accounts_selectors.day_close_view(shift=shift), "posted": request.POST if status == 400 else {}}
    return _office(request, shift, "simulations/day_close.html", context, status=status)


@access(AUTHENTICATED)
def office_era_worksheet(request, shift_id: int, remittance_id: int):
    """Post a remittance by hand: per line the payment, the write-off and the patient's share."""
    shift = _shift(request, shift_id)
    remittance = accounts_selectors.remittance_in_shift(shift=shift, remittance_id=remittance_id)
    lines = billing_selectors.remittance_view(remittance=remittance)
    status = 200
    if request.method == "POST":
        typed = {
            line["line_id"]: {
                f: request.POST.get(f"{f}-{line['line_id']}", "") for f in ("paid", "write_off", "patient")
            }
            for line in lines
        }
        try:
            accounts_services.era_worksheet_post(shift=shift, remittance=remittance, lines=typed)
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, "Remittance posted to the ledger.")
            return redirect("office_ledger", shift_id=shift.pk, patient_id=remittance.claim.patient.pk)
    context = {"remittance": remittance, "claim": remittance.claim, "lines": lines,
               "posted": request.POST if status == 400 else {}}  # fmt: skip
    return _office(request, shift, "simulations/era_worksheet.html", context, status=status)
