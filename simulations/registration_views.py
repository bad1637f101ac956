"""The registration screen: a new patient's demographics and up to two insurance coverages. Thin: find the
shift (the learner's own, else 404), validate the forms, call `services.patient_register`, render."""

from django.contrib import messages
from django.shortcuts import redirect

from coursesite.people.access import AUTHENTICATED, access

from . import services
from .registration_forms import registration_forms, registration_valid
from .services import OfficeActionError
from .views import _fail, _office, _shift


@access(AUTHENTICATED)
def office_register(request, shift_id: int):
    shift = _shift(request, shift_id)
    patient_form, primary, secondary = registration_forms(request.POST or None, rules=shift.office)
    context = {"form": patient_form, "primary": primary, "secondary": secondary}
    if request.method == "POST":
        if registration_valid(patient_form, primary, secondary):
            try:
                patient = services.patient_register(
                    shift=shift,
                    data={name: patient_form.cleaned_data[name] for name in patient_form.Meta.fields},
                    coverages=[primary.coverage(), secondary.coverage()],
                )
            except OfficeActionError as exc:
                _fail(request, exc)
            else:
                messages.success(request, f"Registered {patient.full_name}.")
                return redirect("office_chart", shift_id=shift.pk, patient_id=patient.pk)
        return _office(request, shift, "simulations/register.html", context, status=400)
    return _office(request, shift, "simulations/register.html", context)
