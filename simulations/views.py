"""The office's screens. Thin: parse the request, find the shift (the learner's own, else 404), call
one service or selector, render. Every office URL carries the shift id; every object id in it is
looked up inside that shift."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coursesite.people.access import AUTHENTICATED, SUPERVISOR, access

from . import calendar_selectors, selectors, services
from .booking import next_open_slot
from .forms import (
    BookingForm,
    CallCloseForm,
    CancelForm,
    ContactForm,
    CorrectForm,
    EditForm,
    FileDocumentForm,
    NextSlotForm,
    OrderForm,
    QueryForm,
    SearchForm,
    VerifyForm,
)  # fmt: skip
from .models import Appointment, Shift
from .records_selectors import disclosure_log_rows
from .services import OfficeActionError
from .step_pages import practice_step_serve


def simulation_page_serve(page, request, *args, **kwargs):
    """The course step: the brief and the learner's shifts; POST starts (or resumes) a shift."""

    def start(*, learner, page) -> str:
        return reverse("office_home", args=[services.shift_start(learner=learner, page=page).pk])

    return practice_step_serve(page, request, template="simulations/simulation_page.html", start=start)


def _shift(request, shift_id: int) -> Shift:
    return selectors.shift_for_learner(learner=request.user, shift_id=shift_id)


def _today(shift: Shift) -> date:
    return shift.now.date()


def _fail(request, exc: OfficeActionError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _office(request, shift: Shift, template: str, context: dict, status: int = 200):
    base = {
        "shift": shift, "office": shift.office, "variant": shift.variant, "sim_now": shift.now,
        "call_outcomes": list(services.CALL_OUTCOMES.items()),
    }  # fmt: skip
    return render(request, template, {**base, **context}, status=status)


@access(AUTHENTICATED)
def office_home(request, shift_id: int):
    """The inbox; POST closes a call (its outcome and note)."""
    shift = _shift(request, shift_id)
    if request.method == "POST":
        form = CallCloseForm(request.POST)
        try:
            if not form.is_valid():
                raise OfficeActionError("Choose the outcome of the call and write the call note.")
            services.call_close(
                shift=shift, item_key=form.cleaned_data["item"], outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except OfficeActionError as exc:
            _fail(request, exc)
            return _office(request, shift, "simulations/office_home.html", {}, status=400)
        messages.success(request, "Call closed and documented.")
        return redirect("office_home", shift_id=shift.pk)
    return _office(request, shift, "simulations/office_home.html", {})


def _parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@access(AUTHENTICATED)
def office_calendar(request, shift_id: int):
    shift = _shift(request, shift_id)
    day = _parse_day(request.GET.get("date"), _today(shift))
    finder = NextSlotForm(request.GET if "find_type" in request.GET else None, rules=shift.office)
    suggestion = None
    patient = None
    if request.GET.get("patient"):
        patient = selectors.patient_in_shift(shift=shift, patient_id=_int(request.GET["patient"]))
    if finder.is_bound and finder.is_valid():
        existing = selectors.booked_between(shift=shift, start=_today(shift), end=_today(shift) + timedelta(days=31))
        suggestion = next_open_slot(
            blocks=calendar_selectors.block_rules_between(
                shift=shift, start=_today(shift), end=_today(shift) + timedelta(days=31)
            ),
            rules=shift.office,
            provider_key=finder.cleaned_data["find_provider"],
            type_key=finder.cleaned_data["find_type"],
            patient_key=patient.key if patient else "",
            after=shift.now,
            existing=existing,
        )
        if suggestion:
            day = suggestion[0]
    context = {
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        **calendar_selectors.calendar_day_with_blocks(shift=shift, day=day),  # columns (+ blocks), holiday
        "finder": finder,
        "suggestion": suggestion,
        "patient": patient,
    }
    return _office(request, shift, "simulations/calendar_day.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@access(AUTHENTICATED)
def office_week(request, shift_id: int):
    shift = _shift(request, shift_id)
    day = _parse_day(request.GET.get("date"), _today(shift))
    provider_key = request.GET.get("provider") or sorted(shift.office["providers"])[0]
    if provider_key not in shift.office["providers"]:
        provider_key = sorted(shift.office["providers"])[0]
    context = {
        "provider_key": provider_key,
        "provider": shift.office["providers"][provider_key],
        "week": calendar_selectors.calendar_week_with_blocks(shift=shift, provider_key=provider_key, day=day),
        "previous_week": day - timedelta(days=7),
        "next_week": day + timedelta(days=7),
    }
    return _office(request, shift, "simulations/calendar_week.html", context)


@access(AUTHENTICATED)
def office_book(request, shift_id: int):
    shift = _shift(request, shift_id)
    source = request.POST if request.method == "POST" else request.GET
    form = BookingForm(request.POST or None, initial=request.GET.dict(), rules=shift.office)
    patient = None
    if _int(source.get("patient")):
        patient = selectors.patient_in_shift(shift=shift, patient_id=_int(source.get("patient")))
    if request.method == "POST":
        if patient is not None and form.is_valid():
            try:
                appointment = services.appointment_book(
                    shift=shift,
                    patient=patient,
                    provider_key=form.cleaned_data["provider"],
                    type_key=form.cleaned_data["type"],
                    day=form.cleaned_data["date"],
                    start=form.cleaned_data["start"],
                    auth_number=form.cleaned_data["auth_number"],
                )
            except OfficeActionError as exc:
                _fail(request, exc)
            else:
                messages.success(
                    request, f"Booked {patient.full_name}: {appointment.date:%a %d %b} {appointment.start:%H:%M}."
                )
                return redirect(f"{reverse('office_calendar', args=[shift.pk])}?date={appointment.date}")
        elif patient is None:
            messages.error(request, "Find the patient first, then book from their chart.")
        return _office(request, shift, "simulations/book.html", {"form": form, "patient": patient}, status=400)
    return _office(request, shift, "simulations/book.html", {"form": form, "patient": patient})


@access(AUTHENTICATED)
def office_appointment(request, shift_id: int, appointment_id: int):
    shift = _shift(request, shift_id)
    appointment = selectors.appointment_in_shift(shift=shift, appointment_id=appointment_id)
    form = CancelForm(request.POST if request.POST.get("action") == "cancel" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                if not form.is_valid():
                    raise OfficeActionError("Give the reason for the cancellation.")
                services.appointment_cancel(
                    shift=shift,
                    appointment=appointment,
                    late=form.cleaned_data["late"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "Appointment cancelled; the slot is free again.")
            elif action in (Appointment.Status.ARRIVED, Appointment.Status.NOSHOW):
                services.appointment_mark(shift=shift, appointment=appointment, status=action)
                messages.success(request, f"Marked {appointment.get_status_display().lower()}.")
            else:
                raise OfficeActionError("Choose an action.")
        except OfficeActionError as exc:
            _fail(request, exc)
            return _office(
                request, shift, "simulations/appointment.html", {"appointment": appointment, "form": form}, status=400
            )
        return redirect("office_appointment", shift_id=shift.pk, appointment_id=appointment.pk)
    return _office(request, shift, "simulations/appointment.html", {"appointment": appointment, "form": form})


@access(AUTHENTICATED)
def office_patients(request, shift_id: int):
    shift = _shift(request, shift_id)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and (form.cleaned_data["name"] or form.cleaned_data["dob"]):
        results = list(
            selectors.patients_matching(shift=shift, name=form.cleaned_data["name"], dob=form.cleaned_data["dob"])
        )
        if shift.is_open:
            services.patient_search_record(
                shift=shift, name=form.cleaned_data["name"], dob=form.cleaned_data["dob"], results=len(results)
            )
    return _office(request, shift, "simulations/patients.html", {"form": form, "results": results})


CHART_ACTIONS = {
    "file": FileDocumentForm,
    "contact": ContactForm,
    "verify": VerifyForm,
    "order": OrderForm,
    "correct": CorrectForm,
    "edit": EditForm,
    "query": QueryForm,
}


def _chart_action(request, shift: Shift, patient, action: str, form) -> None:
    data = form.cleaned_data
    if action == "verify":
        services.identity_verify(shift=shift, patient=patient, identifiers=data["identifiers"])
        messages.success(request, "Identity check recorded.")
    elif action == "order":
        services.order_enter(shift=shift, patient=patient, text=data["text"])
        messages.success(request, "Order entered.")
    elif action == "correct":
        entry = selectors.entry_in_chart(shift=shift, patient=patient, entry_id=data["entry"])
        services.chart_entry_correct(shift=shift, entry=entry, text=data["text"], reason=data["reason"])
        messages.success(request, "Correction appended; the original entry is kept.")
    elif action == "edit":
        entry = selectors.entry_in_chart(shift=shift, patient=patient, entry_id=data["entry"])
        services.chart_entry_edit(shift=shift, entry=entry, text=data["text"])
        messages.warning(request, "Entry overwritten.")
    elif action == "file":
        services.document_file(shift=shift, patient=patient, item_key=data["item"])
        messages.success(request, "Document filed to this chart.")
    elif action == "contact":
        services.contact_record(shift=shift, patient=patient, channel=data["channel"], note=data["note"])
        messages.success(request, "Contact documented.")
    elif action == "query":
        services.physician_query(shift=shift, patient=patient, question=data["question"])
        messages.success(request, "Query sent to the physician.")


@access(AUTHENTICATED)
def office_chart(request, shift_id: int, patient_id: int):
    shift = _shift(request, shift_id)
    patient = selectors.patient_in_shift(shift=shift, patient_id=patient_id)
    from .break_glass_views import chart_gate  # outside the work queue: break-the-glass only

    if (gated := chart_gate(request, shift, patient)) is not None:
        return gated
    forms_ = {name: form_class() for name, form_class in CHART_ACTIONS.items()}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in CHART_ACTIONS:
            messages.error(request, "Choose an action.")
            status = 400
        else:
            form = CHART_ACTIONS[action](request.POST)
            forms_[action] = form
            if form.is_valid():
                try:
                    _chart_action(request, shift, patient, action, form)
                except OfficeActionError as exc:
                    _fail(request, exc)
                    status = 400
                else:
                    return redirect("office_chart", shift_id=shift.pk, patient_id=patient.pk)
            else:
                status = 400
    elif shift.is_open:
        services.chart_open(shift=shift, patient=patient, reason=request.GET.get("reason", "")[:40])
    context = {"patient": patient, "forms": forms_, **selectors.chart_view_data(shift=shift, patient=patient)}
    return _office(request, shift, "simulations/chart.html", context, status=status)


@require_POST
@access(AUTHENTICATED)
def office_submit(request, shift_id: int):
    shift = _shift(request, shift_id)
    try:
        services.shift_submit(shift=shift)
    except OfficeActionError as exc:
        _fail(request, exc)
    return redirect("office_result", shift_id=shift.pk)


@require_POST
@access(AUTHENTICATED)
def office_reset(request, shift_id: int):
    shift = _shift(request, shift_id)
    try:
        new = services.shift_reset(shift=shift)
    except OfficeActionError as exc:
        _fail(request, exc)
        return redirect("office_home", shift_id=shift.pk)
    messages.success(request, "The office is back at the start of the shift, with a new variant.")
    return redirect("office_home", shift_id=new.pk)


@access(AUTHENTICATED)
def office_result(request, shift_id: int):
    shift = _shift(request, shift_id)
    if shift.is_open:
        return redirect("office_home", shift_id=shift.pk)
    return _office(request, shift, "simulations/result.html", {"result": shift.result})


@access(SUPERVISOR)
def office_replay(request, shift_id: int):
    shift = selectors.shift_for_supervisor(user=request.user, shift_id=shift_id)
    return render(
        request,
        "simulations/replay.html",
        {
            "shift": shift, "log": selectors.shift_log(shift=shift), "result": shift.result, "variant": shift.variant,
            "disclosures": disclosure_log_rows(shift=shift) if shift.variant["setup"].get("records") else None,
        },
    )  # fmt: skip
