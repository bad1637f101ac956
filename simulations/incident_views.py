"""The incident screens of the office: the incident report of an inbox incident, and routing an inbox item
to the privacy officer. Thin: find the shift (the learner's own, else 404) and the item in it, call one
service, render."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from coursesite.people.access import AUTHENTICATED, access

from . import incident_selectors, incident_services
from .incident_forms import IncidentReportForm, PrivacyOfficerForm
from .incident_services import PHI_ELEMENTS, IncidentData
from .services import OfficeActionError
from .views import _fail, _office, _shift


@access(AUTHENTICATED)
def office_incident(request, shift_id: int, item_key: str):
    """The incident report of one inbox incident; POST files it (once: a filed report is final)."""
    shift = _shift(request, shift_id)
    item = incident_selectors.incident_item(shift=shift, item_key=item_key)
    report = incident_selectors.incident_report_for(shift=shift, item_key=item_key)
    form = IncidentReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = incident_services.incident_report_file(
                    shift=shift, item_key=item_key, data=IncidentData(**form.cleaned_data)
                )
            except OfficeActionError as exc:
                _fail(request, exc)
            else:
                messages.success(request, "Incident report filed.")
                return redirect("office_incident", shift_id=shift.pk, item_key=item_key)
        else:
            messages.error(request, "The report is incomplete: see the fields marked below.")
        status = 400
        report = incident_selectors.incident_report_for(shift=shift, item_key=item_key)
    context = {
        "item": item, "report": report, "form": form, "phi_labels": PHI_ELEMENTS,
        "officer_form": PrivacyOfficerForm(initial={"item": item_key}),
    }  # fmt: skip
    return _office(request, shift, "simulations/incident.html", context, status=status)


@require_POST
@access(AUTHENTICATED)
def office_privacy_officer(request, shift_id: int):
    """Route an inbox item to the privacy officer with a note."""
    shift = _shift(request, shift_id)
    form = PrivacyOfficerForm(request.POST)
    try:
        if not form.is_valid():
            raise OfficeActionError("Write a note for the privacy officer: what happened and what you have done.")
        incident_services.privacy_officer_notify(
            shift=shift, item_key=form.cleaned_data["item"], note=form.cleaned_data["note"]
        )
    except OfficeActionError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Sent to the privacy officer.")
    item_key = request.POST.get("item", "")
    if any(i.get("key") == item_key and i.get("kind") == "incident" for i in shift.variant["inbox"]):
        return redirect("office_incident", shift_id=shift.pk, item_key=item_key)
    return redirect("office_home", shift_id=shift.pk)
