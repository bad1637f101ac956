"""Recurring series and office holidays as plain functions (no database).

A series is planned occurrence by occurrence with the same rules as a single booking
(simulations/booking.py): each planned date is checked against the calendar, the office holidays, the
provider's blocks and the occurrences planned before it; a date that breaks a rule gets the nearest open
slot in the same week as its suggested alternative. The services book what the trainee confirmed, and
the grader re-checks the end state with the same functions.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .booking import SLOT_MINUTES, Block, Booked, Conflict, booking_conflicts, provider_hours
from .office import OfficeError, parse_date

SERIES_MAX_COUNT = 52
SERIES_MAX_INTERVAL = 4
FREQUENCIES = {"weekly": "Every N weeks", "weekdays": "Every weekday (Monday to Friday)"}
CONFLICT_LABELS = {
    "holiday": "Office holiday",
    "vacation": "Provider vacation",
    "block": "Provider block",
    "availability": "Outside availability",
    "double": "Double booking",
    "daily_limit": "Daily limit reached",
    "past": "In the past",
    "type": "Wrong provider for the type",
    "slot": "Not on a slot",
    "auth": "Prior authorization missing",
    "choice": "Unknown provider or type",
}


class SeriesError(ValueError):
    """A series request that cannot be planned (bad count, interval or frequency), in plain words."""


# ---- holidays ------------------------------------------------------------------------------------


def holidays_validate(practice: dict) -> None:
    """practice.holidays: a list of {date: YYYY-MM-DD, name}, each date once."""
    holidays = practice.get("holidays")
    if holidays is None:
        return
    if not isinstance(holidays, list):
        raise OfficeError("practice holidays: expected a list of {date, name}")
    seen: set[date] = set()
    for number, holiday in enumerate(holidays, start=1):
        if not isinstance(holiday, dict) or not str(holiday.get("name") or "").strip():
            raise OfficeError(f"practice holiday {number}: give its date and name")
        day = parse_date(holiday.get("date"))
        if day in seen:
            raise OfficeError(f"practice holiday {number}: {day} is listed twice")
        seen.add(day)


# ---- recurrence ----------------------------------------------------------------------------------


def recurrence_dates(*, first_day: date, frequency: str, interval: int, count: int) -> list[date]:
    """The planned dates: `count` occurrences from `first_day`, every `interval` weeks (the same
    weekday, like RFC 5545 FREQ=WEEKLY;INTERVAL=n;COUNT=c) or every weekday (FREQ=DAILY;BYDAY=MO..FR)."""
    if not 1 <= count <= SERIES_MAX_COUNT:
        raise SeriesError(f"A series has between 1 and {SERIES_MAX_COUNT} occurrences.")
    if frequency not in FREQUENCIES:
        raise SeriesError("Choose how often the series repeats.")
    if frequency == "weekly":
        if not 1 <= interval <= SERIES_MAX_INTERVAL:
            raise SeriesError(f"Repeat every 1 to {SERIES_MAX_INTERVAL} weeks.")
        return [first_day + timedelta(weeks=interval * n) for n in range(count)]
    days, day = [], first_day
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


# ---- planning ------------------------------------------------------------------------------------


@dataclass
class PlannedOccurrence:
    number: int
    day: date
    start: time
    conflicts: list[Conflict] = field(default_factory=list)
    suggestion: tuple[date, time] | None = None

    @property
    def ok(self) -> bool:
        return not self.conflicts

    @property
    def kinds(self) -> list[str]:
        return sorted({CONFLICT_LABELS.get(c.kind, c.kind) for c in self.conflicts})

    @property
    def planned_value(self) -> str:
        return f"{self.day.isoformat()}T{self.start:%H:%M}"

    @property
    def suggestion_value(self) -> str:
        return f"{self.suggestion[0].isoformat()}T{self.suggestion[1]:%H:%M}" if self.suggestion else ""


def nearest_open_in_week(
    *,
    rules: dict,
    provider_key: str,
    type_key: str,
    patient_key: str,
    day: date,
    start: time,
    existing: list[Booked],
    blocks: list[Block],
    now: datetime | None,
    taken_days: set[date],
) -> tuple[date, time] | None:
    """The open slot nearest to `day` at `start` in the same Monday–Friday week: same day first, then
    the days nearest to it (later before earlier), and on each day the time nearest to `start`."""
    monday = week_of(day)
    days = [monday + timedelta(days=n) for n in range(5)]
    days.sort(key=lambda d: (abs((d - day).days), d < day))
    for candidate in days:
        if candidate in taken_days and candidate != day:
            continue
        hours = provider_hours(rules, provider_key, candidate)
        if hours is None:
            continue
        slots, slot = [], datetime.combine(candidate, hours[0])
        while slot.time() < hours[1]:
            slots.append(slot.time())
            slot += timedelta(minutes=SLOT_MINUTES)
        anchor = datetime.combine(candidate, start)
        slots.sort(key=lambda t: (abs(datetime.combine(candidate, t) - anchor), t))
        for t in slots:
            if candidate == day and t == start:
                continue
            if not booking_conflicts(
                rules=rules, provider_key=provider_key, type_key=type_key, patient_key=patient_key, day=candidate,
                start=t, existing=existing, now=now, auth_number="(checked separately)", blocks=blocks,
            ):  # fmt: skip
                return candidate, t
    return None


def series_plan(
    *,
    rules: dict,
    provider_key: str,
    type_key: str,
    patient_key: str,
    dates: list[date],
    start: time,
    existing: Iterable[Booked],
    blocks: Iterable[Block],
    now: datetime | None,
    auth_number: str = "",
) -> list[PlannedOccurrence]:
    """Each planned occurrence with its conflicts and, when it has any, a suggested alternative.

    Occurrences are planned in order; each counts the ones before it as booked (at their planned time
    when free, else at their suggestion), so a series never collides with itself.
    """
    booked, blocks = list(existing), list(blocks)
    minutes = int(rules["types"][type_key]["minutes"]) if type_key in rules["types"] else SLOT_MINUTES
    taken: set[date] = set()
    plan: list[PlannedOccurrence] = []
    for number, day in enumerate(dates, start=1):
        conflicts = booking_conflicts(
            rules=rules, provider_key=provider_key, type_key=type_key, patient_key=patient_key, day=day, start=start,
            existing=booked, now=now, auth_number=auth_number, blocks=blocks,
        )  # fmt: skip
        row = PlannedOccurrence(number=number, day=day, start=start, conflicts=conflicts)
        chosen: tuple[date, time] | None = (day, start)
        if conflicts and not any(c.kind in ("choice", "type", "auth") for c in conflicts):
            row.suggestion = nearest_open_in_week(
                rules=rules, provider_key=provider_key, type_key=type_key, patient_key=patient_key, day=day,
                start=start, existing=booked, blocks=blocks, now=now, taken_days=taken,
            )  # fmt: skip
            chosen = row.suggestion
        elif conflicts:
            chosen = None
        if chosen is not None:
            booked.append(Booked(provider_key, type_key, patient_key, chosen[0], chosen[1], minutes))
            taken.add(chosen[0])
        plan.append(row)
    return plan


def series_problems(
    *,
    rules: dict,
    provider_key: str,
    type_key: str,
    patient_key: str,
    occurrences: list[tuple[date, time]],
    existing: Iterable[Booked],
    blocks: Iterable[Block],
    now: datetime | None,
    auth_number: str = "",
) -> list[str]:
    """Why the confirmed occurrences cannot all be booked (each against the calendar and the ones before
    it); an empty list means the whole series may be booked."""
    booked, blocks = list(existing), list(blocks)
    minutes = int(rules["types"][type_key]["minutes"]) if type_key in rules["types"] else SLOT_MINUTES
    problems: list[str] = []
    seen: set[date] = set()
    for number, (day, start) in enumerate(occurrences, start=1):
        if day in seen:
            problems.append(f"Occurrence {number}: the series already has a visit on {day:%a %d %b}.")
        seen.add(day)
        for conflict in booking_conflicts(
            rules=rules, provider_key=provider_key, type_key=type_key, patient_key=patient_key, day=day, start=start,
            existing=booked, now=now, auth_number=auth_number, blocks=blocks,
        ):  # fmt: skip
            problems.append(f"Occurrence {number} ({day:%a %d %b} {start:%H:%M}): {conflict.message}")
        booked.append(Booked(provider_key, type_key, patient_key, day, start, minutes))
    return problems


# ---- scenario setup: provider blocks --------------------------------------------------------------

BLOCK_REASONS = ("meeting", "vacation", "training")


def setup_blocks_validate(items, rules: dict) -> None:
    """A scenario's `setup.blocks`: [{key, provider, date, last_date?, start?, end?, reason, note?}]."""
    from .office import parse_time

    if not isinstance(items, list):
        raise OfficeError("setup blocks: expected a list")
    for number, item in enumerate(items, start=1):
        where = f"setup block {number}"
        if not isinstance(item, dict) or not item.get("provider") or not item.get("date"):
            raise OfficeError(f"{where}: give at least provider, date and reason")
        if item["provider"] not in rules["providers"]:
            raise OfficeError(f"{where}: unknown provider {item['provider']!r}")
        if item.get("reason") not in BLOCK_REASONS:
            raise OfficeError(f"{where}: reason must be one of {', '.join(BLOCK_REASONS)}")
        if parse_date(item.get("last_date") or item["date"]) < parse_date(item["date"]):
            raise OfficeError(f"{where}: last_date is before date")
        if bool(item.get("start")) != bool(item.get("end")):
            raise OfficeError(f"{where}: give start and end, or neither for whole days")
        if item.get("start") and parse_time(item["end"]) <= parse_time(item["start"]):
            raise OfficeError(f"{where}: end is not after start")
