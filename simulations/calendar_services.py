"""Recurring series and provider blocks in the office: book a series, cancel the rest of it, enter a
block, and move or cancel (with a notice to the patient) the appointments a block falls on.

Each service is atomic, locks the shift (`_require_open`) and appends its action-log rows in the same
transaction; single bookings, cancellations and patient contacts go through the same services as the
single-appointment screens (simulations/services.py), so their rules and log rows are the same. A
refused action raises OfficeActionError and changes nothing.
"""

from datetime import date, time

from django.db import transaction

from . import services
from .calendar_selectors import appointments_in_block, block_rules_between
from .models import Appointment, AppointmentSeries, Patient, ProviderBlock, SeriesOccurrence, Shift
from .selectors import booked_between
from .series import FREQUENCIES, SeriesError, recurrence_dates, series_problems, week_of
from .services import OfficeActionError, _require_open, action_log_write

MAX_BLOCK_DAYS = 31
MAX_SERIES_PROBLEMS_SHOWN = 8


def _block_state(block: ProviderBlock) -> dict:
    return {
        "provider": block.provider_key,
        "first_date": block.first_date.isoformat(),
        "last_date": block.last_date.isoformat(),
        "start": block.start.strftime("%H:%M") if block.start else "",
        "end": block.end.strftime("%H:%M") if block.end else "",
        "reason": block.reason,
        "note": block.note,
    }


# ---- series --------------------------------------------------------------------------------------


@transaction.atomic
def series_book(
    *,
    shift: Shift,
    patient: Patient,
    provider_key: str,
    type_key: str,
    frequency: str,
    interval: int,
    count: int,
    first_day: date,
    start: time,
    occurrences: list[tuple[date, time]],
    auth_number: str = "",
) -> AppointmentSeries:
    """Book the series as confirmed from its preview: one Appointment per occurrence, linked to the series.

    `occurrences` are the dates and times the trainee confirmed: the planned ones, or an alternative in
    the same week as a planned date that had a conflict. All are checked again (against the calendar and
    each other); if any cannot be booked, none is.
    """
    shift = _require_open(shift)
    if provider_key not in shift.office["providers"] or type_key not in shift.office["types"]:
        raise OfficeActionError("Choose a provider and an appointment type from the lists.")
    if frequency not in FREQUENCIES:
        raise OfficeActionError("Choose how often the series repeats.")
    try:
        planned = recurrence_dates(first_day=first_day, frequency=frequency, interval=interval, count=count)
    except SeriesError as exc:
        raise OfficeActionError(str(exc)) from exc
    if first_day < shift.now.date():
        raise OfficeActionError(f"The series cannot start in the past (the office date is {shift.now:%d %B %Y}).")
    if len(occurrences) != count:
        raise OfficeActionError("Preview the series again: every occurrence needs a date.")
    for number, ((day, _), plan_day) in enumerate(zip(occurrences, planned, strict=True), start=1):
        if week_of(day) != week_of(plan_day):
            raise OfficeActionError(
                f"Occurrence {number} must stay in the week of {week_of(plan_day):%d %B} (it was planned for "
                f"{plan_day:%a %d %b})."
            )
    first, last = min(d for d, _ in occurrences), max(d for d, _ in occurrences)
    problems = series_problems(
        rules=shift.office, provider_key=provider_key, type_key=type_key, patient_key=patient.key,
        occurrences=occurrences, existing=booked_between(shift=shift, start=first, end=last),
        blocks=block_rules_between(shift=shift, start=first, end=last), now=shift.now, auth_number=auth_number,
    )  # fmt: skip
    if problems:
        extra = len(problems) - MAX_SERIES_PROBLEMS_SHOWN
        shown = problems[:MAX_SERIES_PROBLEMS_SHOWN] + ([f"… and {extra} more."] if extra > 0 else [])
        raise OfficeActionError(*shown)
    series = AppointmentSeries(
        shift=shift, patient=patient, provider_key=provider_key, type_key=type_key, frequency=frequency,
        interval=interval if frequency == "weekly" else 1, count=count, first_date=first_day, start=start,
        booked_at=shift.now,
    )  # fmt: skip
    series.full_clean()
    series.save()
    minutes = int(shift.office["types"][type_key]["minutes"])
    booked = []
    for number, (day, at) in enumerate(occurrences, start=1):
        appointment = Appointment(
            shift=shift, patient=patient, provider_key=provider_key, type_key=type_key, date=day, start=at,
            minutes=minutes, auth_number=auth_number.strip(),
        )  # fmt: skip
        appointment.full_clean()
        appointment.save()
        SeriesOccurrence.objects.create(shift=shift, series=series, appointment=appointment, number=number)
        action_log_write(
            shift=shift, kind="appointment_booked", target=f"appointment:{appointment.pk}", patient_key=patient.key,
            after={**services._appt_state(appointment), "series": series.pk, "number": number},
        )  # fmt: skip
        booked.append(day.isoformat())
    action_log_write(
        shift=shift, kind="series_booked", target=f"series:{series.pk}", patient_key=patient.key,
        after={
            "provider": provider_key, "type": type_key, "frequency": frequency, "interval": series.interval,
            "count": count, "first_date": first_day.isoformat(), "start": start.strftime("%H:%M"), "dates": booked,
            "moved": [n for n, ((d, t), p) in enumerate(zip(occurrences, planned, strict=True), start=1)
                      if (d, t) != (p, start)],
        },
    )  # fmt: skip
    return series


@transaction.atomic
def series_cancel_rest(*, shift: Shift, appointment: Appointment, reason: str, late: bool = False) -> int:
    """Cancel this occurrence and every later active one of its series; returns how many were cancelled.
    `late` flags this occurrence only (the later ones are more than 24 hours away by definition)."""
    shift = _require_open(shift)
    link = SeriesOccurrence.objects.for_shift(shift).filter(appointment=appointment).first()
    if link is None:
        raise OfficeActionError("This appointment is not part of a series.")
    if not reason.strip():
        raise OfficeActionError("Give the reason for the cancellation.")
    rest = list(
        Appointment.objects.for_shift(shift)
        .filter(
            series_link__series_id=link.series_id, series_link__number__gte=link.number, status__in=Appointment.ACTIVE
        )
        .select_related("patient")
        .order_by("series_link__number")
    )
    if not rest:
        raise OfficeActionError("No booked occurrence is left from this one on.")
    for row in rest:
        services.appointment_cancel(shift=shift, appointment=row, late=late and row.pk == appointment.pk, reason=reason)
    shift = _require_open(shift)  # the nested services advanced the log: lock and read it again
    action_log_write(
        shift=shift, kind="series_cancelled", target=f"series:{link.series_id}", patient_key=appointment.patient.key,
        after={"from_number": link.number, "cancelled": [r.pk for r in rest], "reason": reason.strip()[:200]},
    )  # fmt: skip
    return len(rest)


# ---- provider blocks -----------------------------------------------------------------------------


@transaction.atomic
def block_add(
    *,
    shift: Shift,
    provider_key: str,
    first_day: date,
    last_day: date,
    start: time | None,
    end: time | None,
    reason: str,
    note: str = "",
) -> ProviderBlock:
    """Enter a provider block. Booked patients inside it are not moved automatically: the block screen
    lists them for the front desk to move or cancel, with a notice to each."""
    shift = _require_open(shift)
    problems = []
    if provider_key not in shift.office["providers"]:
        problems.append("Choose the provider from the list.")
    if reason not in ProviderBlock.Reason.values:
        problems.append("Choose the reason: meeting, vacation or training.")
    if last_day < first_day:
        problems.append("The block ends before it starts: the last day must be on or after the first day.")
    elif (last_day - first_day).days >= MAX_BLOCK_DAYS:
        problems.append(f"A block covers at most {MAX_BLOCK_DAYS} days; enter a longer absence as several blocks.")
    if (start is None) != (end is None):
        problems.append("Give both a start and an end time, or neither for whole days.")
    elif start is not None and end <= start:
        problems.append("The block ends before it starts: the end time must be after the start time.")
    today = shift.now.date()
    if first_day < today or (first_day == today and start is not None and start < shift.now.time()):
        problems.append(f"A block cannot start in the past (the office time is {shift.now:%d %B %Y %H:%M}).")
    if problems:
        raise OfficeActionError(*problems)
    block = ProviderBlock(
        shift=shift, provider_key=provider_key, first_date=first_day, last_date=last_day, start=start, end=end,
        reason=reason, note=note.strip()[:200],
    )  # fmt: skip
    block.full_clean()
    block.save()
    affected = appointments_in_block(shift=shift, block=block)
    action_log_write(
        shift=shift, kind="block_added", target=f"block:{block.pk}",
        after={**_block_state(block), "affected": [a.pk for a in affected]},
    )  # fmt: skip
    return block


def _affected(shift: Shift, block: ProviderBlock, appointment: Appointment) -> None:
    if appointment.pk not in {a.pk for a in appointments_in_block(shift=shift, block=block)}:
        raise OfficeActionError("That appointment is not a booked appointment inside this block.")


def _notice(shift: Shift, appointment: Appointment, channel: str, notice: str) -> None:
    if channel not in services.CONTACT_CHANNELS or not notice.strip():
        raise OfficeActionError("Choose how you told the patient and write the notice you gave or sent.")
    services.contact_record(shift=shift, patient=appointment.patient, channel=channel, note=notice)


@transaction.atomic
def block_appointment_cancel(
    *, shift: Shift, block: ProviderBlock, appointment: Appointment, channel: str, notice: str
) -> Appointment:
    """Cancel an appointment the block falls on (the office cancels: never a late cancellation by the
    patient) and record the notice to the patient."""
    shift = _require_open(shift)
    _affected(shift, block, appointment)
    reason = f"Provider unavailable ({block.get_reason_display().lower()}); cancelled by the office"
    services.appointment_cancel(shift=shift, appointment=appointment, late=False, reason=reason)
    _notice(shift, appointment, channel, notice)
    shift = _require_open(shift)  # the nested services advanced the log: lock and read it again
    action_log_write(
        shift=shift, kind="block_appointment_cancelled", target=f"block:{block.pk}",
        patient_key=appointment.patient.key, after={"appointment": appointment.pk, "channel": channel},
    )  # fmt: skip
    return appointment


@transaction.atomic
def block_appointment_move(
    *,
    shift: Shift,
    block: ProviderBlock,
    appointment: Appointment,
    provider_key: str,
    day: date,
    start: time,
    channel: str,
    notice: str,
) -> Appointment:
    """Move an appointment out of the block to an open slot (same type; the same or another provider who
    sees it) and record the notice to the patient. A series occurrence stays in its series."""
    shift = _require_open(shift)
    _affected(shift, block, appointment)
    if not notice.strip() or channel not in services.CONTACT_CHANNELS:
        raise OfficeActionError("Choose how you told the patient and write the notice you gave or sent.")
    services.appointment_cancel(
        shift=shift, appointment=appointment, late=False,
        reason=f"Moved by the office: provider unavailable ({block.get_reason_display().lower()})",
    )  # fmt: skip
    moved = services.appointment_book(
        shift=shift, patient=appointment.patient, provider_key=provider_key, type_key=appointment.type_key,
        day=day, start=start, auth_number=appointment.auth_number,
    )  # fmt: skip
    SeriesOccurrence.objects.for_shift(shift).filter(appointment=appointment).update(appointment=moved)
    _notice(shift, appointment, channel, notice)
    shift = _require_open(shift)  # the nested services advanced the log: lock and read it again
    action_log_write(
        shift=shift, kind="block_appointment_moved", target=f"block:{block.pk}", patient_key=appointment.patient.key,
        after={"from": appointment.pk, "to": moved.pk, "date": day.isoformat(), "start": start.strftime("%H:%M"),
               "provider": provider_key, "channel": channel},
    )  # fmt: skip
    return moved


def default_notice(*, practice: dict, appointment: Appointment, channel: str) -> str:
    """A notice that is safe on any channel: no diagnosis, no visit reason (HHS FAQ 198 for messages)."""
    if channel == "voicemail":
        return (
            f"This is {practice['name']} calling for {appointment.patient.first_name}. Please call us back at "
            f"{practice['phone']} about your appointment."
        )
    return (
        f"Your appointment on {appointment.date:%A %d %B} at {appointment.start:%H:%M} has to change because the "
        f"provider is unavailable. Please call {practice['name']} at {practice['phone']} with any questions."
    )
