"""Reads for recurring series and provider blocks. Every read takes the shift and filters by it: an id
from another sandbox is a 404, never a hint that it exists."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.shortcuts import get_object_or_404

from .booking import Block, holiday_on, next_open_slot, provider_hours
from .models import Appointment, AppointmentSeries, Patient, ProviderBlock, Shift
from .selectors import booked_between, calendar_day, calendar_week
from .series import PlannedOccurrence, recurrence_dates, series_plan, week_of

# How far ahead the block screen looks for open slots to move an affected patient to.
MOVE_LOOKAHEAD_DAYS = 21
MOVE_OPTIONS_PER_PROVIDER = 3


def block_in_shift(*, shift: Shift, block_id: int) -> ProviderBlock:
    return get_object_or_404(ProviderBlock.objects.for_shift(shift), pk=block_id)


def series_in_shift(*, shift: Shift, series_id: int) -> AppointmentSeries:
    return get_object_or_404(AppointmentSeries.objects.for_shift(shift).select_related("patient"), pk=series_id)


def blocks_between(*, shift: Shift, start: date, end: date, provider_key: str | None = None) -> list[ProviderBlock]:
    """The blocks touching [start, end], in one query."""
    rows = ProviderBlock.objects.for_shift(shift).filter(first_date__lte=end, last_date__gte=start)
    if provider_key is not None:
        rows = rows.filter(provider_key=provider_key)
    return list(rows)


def block_rules_between(*, shift: Shift, start: date, end: date) -> list[Block]:
    """The same blocks as the booking rules see them."""
    return [b.as_rule() for b in blocks_between(shift=shift, start=start, end=end)]


def shift_blocks(*, shift: Shift) -> list[ProviderBlock]:
    return list(ProviderBlock.objects.for_shift(shift))


def appointments_in_block(*, shift: Shift, block: ProviderBlock) -> list[Appointment]:
    """Active appointments of the block's provider that fall inside it (the patients to move or cancel)."""
    rule = block.as_rule()
    rows = (
        Appointment.objects.for_shift(shift)
        .filter(
            provider_key=block.provider_key,
            date__gte=block.first_date,
            date__lte=block.last_date,
            status__in=Appointment.ACTIVE,
        )
        .select_related("patient")
        .order_by("date", "start", "pk")
    )
    return [a for a in rows if rule.covers(a.date, a.start, a.end)]


@dataclass
class BlockRow:
    block: ProviderBlock
    affected: list[Appointment]


def blocks_overview(*, shift: Shift) -> list[BlockRow]:
    """Every block of the shift with the booked appointments inside it: two queries, whatever the size."""
    blocks = shift_blocks(shift=shift)
    if not blocks:
        return []
    rows = (
        Appointment.objects.for_shift(shift)
        .filter(
            date__gte=min(b.first_date for b in blocks),
            date__lte=max(b.last_date for b in blocks),
            provider_key__in={b.provider_key for b in blocks},
            status__in=Appointment.ACTIVE,
        )
        .select_related("patient")
        .order_by("date", "start", "pk")
    )
    appointments = list(rows)
    overview = []
    for block in blocks:
        rule = block.as_rule()
        inside = [
            a for a in appointments if a.provider_key == block.provider_key and rule.covers(a.date, a.start, a.end)
        ]
        overview.append(BlockRow(block=block, affected=inside))
    return overview


# ---- the calendar views --------------------------------------------------------------------------


def day_blocks(*, shift: Shift, day: date) -> dict:
    """The day view's extras: blocks per provider key, and the office holiday (or None)."""
    by_provider: dict[str, list[ProviderBlock]] = defaultdict(list)
    for block in blocks_between(shift=shift, start=day, end=day):
        by_provider[block.provider_key].append(block)
    return {"holiday": holiday_on(shift.office, day), "blocks": dict(by_provider)}


def calendar_day_with_blocks(*, shift: Shift, day: date) -> dict:
    """The day view: each provider's column with its appointments and blocks, and the holiday; two queries."""
    extras = day_blocks(shift=shift, day=day)
    columns = calendar_day(shift=shift, day=day)
    for column in columns:
        column.blocks = extras["blocks"].get(column.key, [])
    return {"columns": columns, "holiday": extras["holiday"]}


@dataclass
class WeekDay:
    day: date
    appointments: list[Appointment]
    blocks: list[ProviderBlock] = field(default_factory=list)
    holiday: str | None = None
    hours: tuple | None = None


def calendar_week_with_blocks(*, shift: Shift, provider_key: str, day: date) -> list[WeekDay]:
    """One provider's Monday–Friday with appointments, blocks and holidays: two queries."""
    week = calendar_week(shift=shift, provider_key=provider_key, day=day)
    blocks = blocks_between(shift=shift, start=week[0][0], end=week[-1][0], provider_key=provider_key)
    return [
        WeekDay(
            day=d,
            appointments=appointments,
            blocks=[b for b in blocks if b.first_date <= d <= b.last_date],
            holiday=holiday_on(shift.office, d),
            hours=provider_hours(shift.office, provider_key, d),
        )
        for d, appointments in week
    ]


# ---- series --------------------------------------------------------------------------------------


def series_preview(
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
    auth_number: str = "",
) -> list[PlannedOccurrence]:
    """The series planned occurrence by occurrence against the calendar, holidays and blocks: two
    queries. Raises SeriesError for a count, interval or frequency out of range."""
    dates = recurrence_dates(first_day=first_day, frequency=frequency, interval=interval, count=count)
    first, last = week_of(dates[0]), week_of(dates[-1]) + timedelta(days=6)
    return series_plan(
        rules=shift.office, provider_key=provider_key, type_key=type_key, patient_key=patient.key, dates=dates,
        start=start, existing=booked_between(shift=shift, start=first, end=last),
        blocks=block_rules_between(shift=shift, start=first, end=last), now=shift.now, auth_number=auth_number,
    )  # fmt: skip


def series_detail(*, series: AppointmentSeries) -> list[Appointment]:
    """The series' appointments in order, each with `.series_number`; one query."""
    rows = (
        Appointment.objects.for_shift(series.shift_id)
        .filter(series_link__series=series)
        .select_related("series_link")
        .order_by("series_link__number")
    )
    appointments = list(rows)
    for appt in appointments:
        appt.series_number = appt.series_link.number
    return appointments


# ---- moving a patient out of a block -------------------------------------------------------------


@dataclass(frozen=True)
class MoveOption:
    provider_key: str
    day: date
    start: time

    @property
    def value(self) -> str:
        return f"{self.provider_key}|{self.day.isoformat()}|{self.start:%H:%M}"


def move_options_many(*, shift: Shift, appointments: list[Appointment]) -> dict[int, list[MoveOption]]:
    """Open slots to move each affected appointment to: the first few (on different days) with each
    provider who sees its type, from the later of now and the appointment's day. Two queries in all."""
    if not appointments:
        return {}
    today = shift.now.date()
    first_day = max(today, min(a.date for a in appointments))
    last_day = max(today, max(a.date for a in appointments)) + timedelta(days=MOVE_LOOKAHEAD_DAYS)
    calendar = booked_between(shift=shift, start=first_day, end=last_day)
    blocks = block_rules_between(shift=shift, start=first_day, end=last_day)
    found: dict[int, list[MoveOption]] = {}
    for appt in appointments:
        existing = [
            b
            for b in calendar
            if not (b.patient_key == appt.patient.key and b.day == appt.date and b.start == appt.start)
        ]
        start_day = max(today, appt.date)
        after = max(shift.now.replace(tzinfo=None), datetime.combine(start_day, time(0, 0)))
        kind = shift.office["types"].get(appt.type_key) or {"providers": []}
        options: list[MoveOption] = []
        for provider_key in sorted(kind["providers"]):
            cursor = after
            for _ in range(MOVE_OPTIONS_PER_PROVIDER):
                slot = next_open_slot(
                    rules=shift.office, provider_key=provider_key, type_key=appt.type_key,
                    patient_key=appt.patient.key, after=cursor, existing=existing, days=MOVE_LOOKAHEAD_DAYS,
                    blocks=blocks,
                )  # fmt: skip
                if slot is None:
                    break
                options.append(MoveOption(provider_key, slot[0], slot[1]))
                cursor = datetime.combine(slot[0] + timedelta(days=1), time(0, 0))  # the next option: another day
        found[appt.pk] = sorted(options, key=lambda o: (o.day, o.start, o.provider_key))
    return found


def move_options(*, shift: Shift, appointment: Appointment) -> list[MoveOption]:
    """The open slots offered for one affected appointment (see `move_options_many`)."""
    return move_options_many(shift=shift, appointments=[appointment])[appointment.pk]


# ---- grading -------------------------------------------------------------------------------------


def calendar_grading_data(*, shift: Shift) -> dict:
    """The shift's provider blocks as plain data for the calendar checks (one query)."""
    return {
        "blocks": [
            {
                "id": b.pk, "key": b.key, "provider": b.provider_key, "first_date": b.first_date,
                "last_date": b.last_date, "start": b.start, "end": b.end, "reason": b.reason,
            }
            for b in ProviderBlock.objects.for_shift(shift).order_by("pk")
        ]
    }  # fmt: skip
