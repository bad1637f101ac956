"""Break-the-glass screens: the request form for a chart outside the work queue, and the gate the chart
and ledger views pass through (a closed chart sends the trainee to the form; an open grant shows only
its sections, read-only)."""

from django.contrib import messages
from django.shortcuts import redirect

from coursesite.people.access import AUTHENTICATED, access

from . import break_glass_services, selectors, services
from .break_glass_selectors import break_glass_limit, chart_access
from .incident_forms import BreakGlassForm
from .models import Patient, Shift
from .privacy.emergency_access import CITATION, SECTIONS
from .services import OfficeActionError
from .views import _fail, _office, _shift


def chart_gate(request, shift: Shift, patient: Patient, *, section: str = ""):
    """None if the chart (or `section` of it) opens normally; else the response: the break-the-glass form
    for a closed chart, the read-only scoped chart for an open grant. Changes nothing on a refused POST."""
    access_ = chart_access(shift=shift, patient=patient)
    if access_.mode == "queue":
        return None
    if access_.mode == "closed":
        if access_.expired is not None:
            messages.error(request, "Your emergency access to this chart has ended; the chart is closed again.")
        elif request.method == "POST":
            messages.error(request, "This chart is outside your work queue.")
        return redirect("office_break_glass", shift_id=shift.pk, patient_id=patient.pk)
    if request.method == "POST":
        messages.error(request, "Emergency access is read-only: nothing was changed.")
        return redirect("office_chart", shift_id=shift.pk, patient_id=patient.pk)
    if section and not access_.allows(section):
        messages.error(request, "That part of the chart is outside the scope of your emergency access.")
        return redirect("office_chart", shift_id=shift.pk, patient_id=patient.pk)
    if section:
        return None
    grant = access_.grant
    services.chart_open(shift=shift, patient=patient, reason=f"break-glass:{grant.pk}")
    data = (
        selectors.chart_view_data(shift=shift, patient=patient)
        if {"entries", "appointments"} & set(grant.sections)
        else {}
    )
    context = {"patient": patient, "grant": grant, "sections": set(grant.sections), "section_labels": SECTIONS, **data}
    return _office(request, shift, "simulations/break_glass_chart.html", context)


@access(AUTHENTICATED)
def office_break_glass(request, shift_id: int, patient_id: int):
    """Request emergency access to a chart outside the work queue: reason, justification, scope."""
    shift = _shift(request, shift_id)
    patient = selectors.patient_in_shift(shift=shift, patient_id=patient_id)
    access_ = chart_access(shift=shift, patient=patient)
    if access_.mode != "closed":
        return redirect("office_chart", shift_id=shift.pk, patient_id=patient.pk)
    form = BreakGlassForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                break_glass_services.break_glass_request(
                    shift=shift, patient=patient, reason=form.cleaned_data["reason"],
                    justification=form.cleaned_data["justification"], sections=form.cleaned_data["sections"],
                )  # fmt: skip
            except OfficeActionError as exc:
                _fail(request, exc)
            else:
                messages.warning(request, "Emergency access granted; your supervisor has been notified.")
                return redirect("office_chart", shift_id=shift.pk, patient_id=patient.pk)
        else:
            messages.error(request, "Complete the request: see the fields marked below.")
        status = 400
    context = {
        "patient": patient, "form": form, "limit": break_glass_limit(shift), "citation": CITATION,
        "expired": access_.expired,
    }  # fmt: skip
    return _office(request, shift, "simulations/break_glass.html", context, status=status)
