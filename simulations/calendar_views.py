"""The series and block screens of the office. Thin: find the shift (the learner's own, else 404) and its
rows inside it, call one service or selector, render. An id posted in a form is looked up inside the
shift too: one from another shift gets a message and changes nothing."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from coursesite.people.access import AUTHENTICATED, access

from . import calendar_selectors, calendar_services
from .calendar_forms import (
    BlockCancelForm,
    BlockForm,
    BlockMoveForm,
    SeriesCancelForm,
    SeriesForm,
    parse_occurrences,
)
from .models import Patient
from .series import SeriesError
from .services import OfficeActionError, appointment_cancel
from .views import _fail, _int, _office, _shift


def _patient_or_none(shift, value) -> Patient | None:
    return Patient.objects.for_shift(shift).filter(pk=_int(value)).first()


# ---- series --------------------------------------------------------------------------------------


@access(AUTHENTICATED)
def office_series_new(request, shift_id: int):
    """Book a recurring series: the form; POST "preview" shows each occurrence with its conflicts and a
    suggested alternative; POST "confirm" books the occurrences chosen in the preview."""
    shift = _shift(request, shift_id)
    source = request.POST if request.method == "POST" else request.GET
    patient = _patient_or_none(shift, source.get("patient"))
    initial = {"frequency": "weekly", "interval": 1, "count": 6, **request.GET.dict()}
    if request.method == "POST":
        form = SeriesForm(request.POST, rules=shift.office)
    else:
        form = SeriesForm(initial=initial, rules=shift.office)
    context = {"form": form, "patient": patient, "plan": None}
    if request.method != "POST":
        return _office(request, shift, "simulations/series_new.html", context)
    if patient is None:
        messages.error(request, "Find the patient first, then book the series from their chart.")
        return _office(request, shift, "simulations/series_new.html", context, status=400)
    if not form.is_valid():
        return _office(request, shift, "simulations/series_new.html", context, status=400)
    data = form.cleaned_data
    args = {
        "provider_key": data["provider"], "type_key": data["type"], "frequency": data["frequency"],
        "interval": data["interval"], "count": data["count"], "first_day": data["first_date"], "start": data["start"],
        "auth_number": data["auth_number"],
    }  # fmt: skip
    try:
        context["plan"] = calendar_selectors.series_preview(shift=shift, patient=patient, **args)
    except SeriesError as exc:
        messages.error(request, str(exc))
        return _office(request, shift, "simulations/series_new.html", context, status=400)
    if request.POST.get("action") != "confirm":
        return _office(request, shift, "simulations/series_new.html", context)
    occurrences = parse_occurrences(request.POST, data["count"])
    try:
        if occurrences is None:
            raise OfficeActionError("Choose the date of every visit in the preview (planned or suggested).")
        series = calendar_services.series_book(shift=shift, patient=patient, occurrences=occurrences, **args)
    except OfficeActionError as exc:
        _fail(request, exc)
        return _office(request, shift, "simulations/series_new.html", context, status=400)
    messages.success(request, f"Booked a series of {series.count} visits for {patient.full_name}.")
    return redirect("office_series", shift_id=shift.pk, series_id=series.pk)


@access(AUTHENTICATED)
def office_series(request, shift_id: int, series_id: int):
    """A series and its visits; POST cancels one visit or the rest of the series."""
    shift = _shift(request, shift_id)
    series = calendar_selectors.series_in_shift(shift=shift, series_id=series_id)
    status = 200
    form = SeriesCancelForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise OfficeActionError("Choose what to cancel and give the patient's reason.")
            data = form.cleaned_data
            appointment = next(
                (a for a in calendar_selectors.series_detail(series=series) if a.pk == data["appointment"]), None
            )
            if appointment is None:
                raise OfficeActionError("That visit is not part of this series.")
            if data["scope"] == "rest":
                count = calendar_services.series_cancel_rest(
                    shift=shift, appointment=appointment, reason=data["reason"], late=data["late"]
                )
                messages.success(request, f"Cancelled {count} visit(s) of the series.")
            else:
                appointment_cancel(shift=shift, appointment=appointment, late=data["late"], reason=data["reason"])
                messages.success(request, "Visit cancelled; the rest of the series is unchanged.")
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            return redirect("office_series", shift_id=shift.pk, series_id=series.pk)
    context = {"series": series, "appointments": calendar_selectors.series_detail(series=series), "form": form}
    return _office(request, shift, "simulations/series.html", context, status=status)


# ---- provider blocks -----------------------------------------------------------------------------


@access(AUTHENTICATED)
def office_blocks(request, shift_id: int):
    """The provider blocks with the patients booked inside each; POST enters a new block."""
    shift = _shift(request, shift_id)
    form = BlockForm(request.POST or None, rules=shift.office)
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise OfficeActionError("Correct the block's details below.")
            data = form.cleaned_data
            block = calendar_services.block_add(
                shift=shift, provider_key=data["provider"], first_day=data["first_date"],
                last_day=data["last_date"] or data["first_date"], start=data["start"], end=data["end"],
                reason=data["reason"], note=data["note"],
            )  # fmt: skip
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, "Block entered. Move or cancel the patients booked inside it.")
            return redirect("office_block", shift_id=shift.pk, block_id=block.pk)
    context = {"form": form, "rows": calendar_selectors.blocks_overview(shift=shift)}
    return _office(request, shift, "simulations/blocks.html", context, status=status)


BLOCK_ACTIONS = {"move": BlockMoveForm, "cancel": BlockCancelForm}


def _block_action(request, shift, block, action: str, form, affected) -> None:
    data = form.cleaned_data
    appointment = next((a for a in affected if a.pk == data["appointment"]), None)
    if appointment is None:
        raise OfficeActionError("That appointment is not a booked appointment inside this block.")
    if action == "move":
        provider_key, day, start = data["slot"]
        moved = calendar_services.block_appointment_move(
            shift=shift, block=block, appointment=appointment, provider_key=provider_key, day=day, start=start,
            channel=data["channel"], notice=data["notice"],
        )  # fmt: skip
        messages.success(
            request,
            f"Moved {appointment.patient.full_name} to {moved.date:%a %d %b} {moved.start:%H:%M}; notice recorded.",
        )
    else:
        calendar_services.block_appointment_cancel(
            shift=shift, block=block, appointment=appointment, channel=data["channel"], notice=data["notice"]
        )
        messages.success(request, f"Cancelled {appointment.patient.full_name}'s visit; notice recorded.")


@access(AUTHENTICATED)
def office_block(request, shift_id: int, block_id: int):
    """One block: the appointments inside it, each with its open slots to move to, or cancel; both with
    the notice to the patient (the channels they allow are shown)."""
    shift = _shift(request, shift_id)
    block = calendar_selectors.block_in_shift(shift=shift, block_id=block_id)
    affected = calendar_selectors.appointments_in_block(shift=shift, block=block)
    status, bound, bound_for = 200, None, None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in BLOCK_ACTIONS:
                raise OfficeActionError("Choose to move or to cancel the appointment.")
            bound, bound_for = BLOCK_ACTIONS[action](request.POST), _int(request.POST.get("appointment"))
            if not bound.is_valid():
                raise OfficeActionError("Choose a slot (to move) and how you told the patient, and write the notice.")
            _block_action(request, shift, block, action, bound, affected)
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            return redirect(f"{reverse('office_block', args=[shift.pk, block.pk])}#affected")
    rows = []
    practice = shift.office["practice"]
    options = calendar_selectors.move_options_many(shift=shift, appointments=affected) if shift.is_open else {}
    for appt in affected:
        rows.append(
            {
                "appointment": appt,
                "options": options.get(appt.pk, []),
                "errors": bound.errors if bound is not None and bound_for == appt.pk else None,
                "notice": calendar_services.default_notice(practice=practice, appointment=appt, channel="letter"),
            }
        )
    context = {"pblock": block, "rows": rows, "channels": list(calendar_services.services.CONTACT_CHANNELS.items())}
    return _office(request, shift, "simulations/block.html", context, status=status)
