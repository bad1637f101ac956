"""Reads for the office. Every read of office rows takes the shift and filters by it (`for_shift`):
an id from another sandbox is a 404, never a hint that it exists."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from coursesite.people.models import Membership

from .booking import Booked
from .grading import GradingInput
from .models import ActionLog, Appointment, ChartEntry, Coverage, Patient, Shift, SimulationPage


def shift_for_learner(*, learner, shift_id: int) -> Shift:
    """The learner's own shift, or 404."""
    return get_object_or_404(Shift.objects.select_related("scenario", "page"), pk=shift_id, learner=learner)


def shift_for_supervisor(*, user, shift_id: int) -> Shift:
    """A shift of a trainee in one of the supervisor's cohorts, or 404 (superusers see all)."""
    shifts = Shift.objects.select_related("scenario", "page", "learner")
    if not user.is_superuser:
        cohorts = Membership.objects.filter(user=user, role=Membership.Role.SUPERVISOR).values("cohort")
        trainees = Membership.objects.filter(cohort__in=cohorts, role=Membership.Role.TRAINEE).values("user")
        shifts = shifts.filter(learner__in=trainees)
    return get_object_or_404(shifts, pk=shift_id)


def patient_in_shift(*, shift: Shift, patient_id: int) -> Patient:
    return get_object_or_404(Patient.objects.for_shift(shift), pk=patient_id)


def appointment_in_shift(*, shift: Shift, appointment_id: int) -> Appointment:
    return get_object_or_404(Appointment.objects.for_shift(shift).select_related("patient"), pk=appointment_id)


def entry_in_chart(*, shift: Shift, patient: Patient, entry_id: int) -> ChartEntry:
    return get_object_or_404(ChartEntry.objects.for_shift(shift), pk=entry_id, patient=patient)


def booked_between(*, shift: Shift, start: date, end: date) -> list[Booked]:
    rows = (
        Appointment.objects.for_shift(shift)
        .filter(date__gte=start, date__lte=end, status__in=Appointment.ACTIVE)
        .values_list("provider_key", "type_key", "patient__key", "date", "start", "minutes")
    )
    return [Booked(*row) for row in rows]


@dataclass
class ProviderDay:
    provider: dict
    key: str
    hours: tuple | None
    appointments: list[Appointment] = field(default_factory=list)


def calendar_day(*, shift: Shift, day: date) -> list[ProviderDay]:
    """Each provider's appointments that day, in one query."""
    from .booking import provider_hours

    columns = {
        key: ProviderDay(provider=p, key=key, hours=provider_hours(shift.office, key, day))
        for key, p in sorted(shift.office["providers"].items())
    }
    rows = Appointment.objects.for_shift(shift).filter(date=day).select_related("patient", "series_link")
    for appt in rows.order_by("start", "pk"):
        if appt.provider_key in columns:
            columns[appt.provider_key].appointments.append(appt)
    return list(columns.values())


def calendar_week(*, shift: Shift, provider_key: str, day: date) -> list[tuple[date, list[Appointment]]]:
    """One provider's Monday–Friday around `day`, in one query."""
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(5)]
    by_day: dict[date, list[Appointment]] = defaultdict(list)
    rows = (
        Appointment.objects.for_shift(shift)
        .filter(provider_key=provider_key, date__gte=days[0], date__lte=days[-1])
        .select_related("patient", "series_link")
        .order_by("date", "start", "pk")
    )
    for appt in rows:
        by_day[appt.date].append(appt)
    return [(d, by_day[d]) for d in days]


def patients_matching(*, shift: Shift, name: str, dob: date | None) -> QuerySet[Patient]:
    """Search by any part of the name (and the DOB if given); look-alikes are listed side by side."""
    rows = Patient.objects.for_shift(shift)
    for word in name.split():
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if dob is not None:
        rows = rows.filter(dob=dob)
    return rows.order_by("last_name", "first_name", "dob")[:50]


def chart_view_data(*, shift: Shift, patient: Patient) -> dict:
    """The chart page's data in two queries: entries (corrections nested) and appointments."""
    entries = list(ChartEntry.objects.for_shift(shift).filter(patient=patient).order_by("entered_at", "pk"))
    corrections: dict[int, list[ChartEntry]] = defaultdict(list)
    for entry in entries:
        if entry.corrects_id:
            corrections[entry.corrects_id].append(entry)
    for entry in entries:
        entry.correction_list = corrections.get(entry.pk, [])
    appointments = list(Appointment.objects.for_shift(shift).filter(patient=patient).order_by("date", "start"))
    coverages = list(Coverage.objects.for_shift(shift).filter(patient=patient).order_by("rank"))
    return {"entries": [e for e in entries if not e.corrects_id], "appointments": appointments, "coverages": coverages}


def shift_log(*, shift: Shift) -> list[ActionLog]:
    return list(ActionLog.objects.for_shift(shift).order_by("seq"))


def _with_coverages(patients: dict[str, dict], key_by_id: dict[int, str], rows) -> None:
    """Each patient row gets `coverages` (primary first, as plain data) and, for the registration checks,
    the primary plan's payer_key / member_id / group_number / relationship ("selfpay" when none)."""
    from .registration import coverage_state

    for row in patients.values():
        row.update(coverages=[], payer_key="selfpay", member_id="", group_number="", relationship="")
    for coverage in rows:
        row = patients[key_by_id[coverage.patient_id]]
        row["coverages"].append(coverage_state(coverage))
        if coverage.rank == Coverage.Rank.PRIMARY:
            row.update(
                payer_key=coverage.payer_key,
                member_id=coverage.member_id,
                group_number=coverage.group_number,
                relationship=coverage.relationship,
            )


def grading_input(*, shift: Shift) -> GradingInput:
    """The shift's end state and log as plain data, in a fixed number of queries (patients and their
    coverages, four for billing, one for blocks, five for claim follow-up; four more for the
    patient-account data when the scenario grades it; one more for a privacy scenario's incident reports
    or break-the-glass grants; the records desk's rows for a records scenario)."""
    patients = {
        p["key"]: p
        for p in Patient.objects.for_shift(shift).values(
            "id", "key", "first_name", "last_name", "dob", "sex", "phone", "address", "registered_in_shift",
            "voicemail_ok", "sms_ok",
        )
    }  # fmt: skip
    key_by_id = {p["id"]: k for k, p in patients.items()}
    _with_coverages(patients, key_by_id, Coverage.objects.for_shift(shift).order_by("patient_id", "rank"))
    appointments = [
        {
            "id": a.pk,
            "key": a.key,
            "patient": key_by_id[a.patient_id],
            "provider": a.provider_key,
            "type": a.type_key,
            "date": a.date,
            "start": a.start,
            "minutes": a.minutes,
            "status": a.status,
            "auth_number": a.auth_number,
            "series": a.series_link.series_id if hasattr(a, "series_link") else None,
        }
        for a in Appointment.objects.for_shift(shift).select_related("series_link").order_by("pk")
    ]
    chart = [
        {
            "id": e.pk,
            "key": e.key,
            "patient": key_by_id[e.patient_id],
            "kind": e.kind,
            "text": e.text,
            "corrects": e.corrects_id,
            "reason": e.reason,
            "by_trainee": e.by_trainee,
        }
        for e in ChartEntry.objects.for_shift(shift).order_by("pk")
    ]
    log = [
        {"seq": e.seq, "kind": e.kind, "patient": e.patient_key, "target": e.target, "after": e.after}
        for e in ActionLog.objects.for_shift(shift).order_by("seq")
    ]
    from .accounts_selectors import accounts_grading_data
    from .billing_selectors import billing_grading_data
    from .calendar_selectors import calendar_grading_data
    from .claims_selectors import claims_grading_data
    from .incident_selectors import incident_grading_data
    from .records_selectors import records_grading_data

    return GradingInput(
        billing=billing_grading_data(shift=shift, key_by_id=key_by_id),
        accounts=accounts_grading_data(shift=shift, key_by_id=key_by_id),
        calendar=calendar_grading_data(shift=shift),
        claims=claims_grading_data(shift=shift),
        privacy=incident_grading_data(shift=shift),
        records=records_grading_data(shift=shift),
        rules=shift.office,
        now=shift.clock_start.replace(tzinfo=None),
        patients=patients,
        appointments=appointments,
        chart=chart,
        log=log,
    )


@dataclass
class SimulationIntro:
    shifts: list[Shift]
    open_shift: Shift | None


def simulation_intro(*, page: SimulationPage, learner) -> SimulationIntro:
    if not learner.is_authenticated:
        return SimulationIntro(shifts=[], open_shift=None)
    shifts = list(
        Shift.objects.filter(page=page, learner=learner).exclude(status=Shift.Status.RESET).order_by("-number")
    )
    return SimulationIntro(shifts=shifts, open_shift=next((s for s in shifts if s.is_open), None))
