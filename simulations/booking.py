"""Booking rules as plain functions over the shift's rules snapshot and the day's appointments.

The services enforce them; the grader re-checks the end state with the same functions, so "inside
availability" means one thing everywhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .office import WEEKDAYS, parse_date, parse_time

SLOT_MINUTES = 15
NOON = time(12, 0)


@dataclass(frozen=True)
class Block:
    """A provider block (meeting, vacation, training): whole days, or a time window on each day."""

    provider_key: str
    first_day: date
    last_day: date
    start: time | None = None
    end: time | None = None
    reason: str = ""

    def covers(self, day: date, start: time, end: time) -> bool:
        if not self.first_day <= day <= self.last_day:
            return False
        return self.start is None or _overlaps(start, end, self.start, self.end)

    @property
    def when(self) -> str:
        days = f"{self.first_day:%a %d %b}" + (f"–{self.last_day:%a %d %b}" if self.last_day != self.first_day else "")
        hours = f" {self.start:%H:%M}–{self.end:%H:%M}" if self.start is not None else " (all day)"
        return days + hours


@dataclass(frozen=True)
class Conflict:
    """One broken rule: `kind` lets screens and the grader group them (holiday, block, double, ...)."""

    kind: str
    message: str


@dataclass(frozen=True)
class Booked:
    """What the rules need to know about an existing appointment."""

    provider_key: str
    type_key: str
    patient_key: str
    day: date
    start: time
    minutes: int

    @property
    def end(self) -> time:
        return _add(self.day, self.start, self.minutes)


def _add(day: date, start: time, minutes: int) -> time:
    return (datetime.combine(day, start) + timedelta(minutes=minutes)).time()


def _overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return a_start < b_end and b_start < a_end


def holiday_on(rules: dict, day: date) -> str | None:
    """The name of the office holiday on `day` (practice.holidays in the rules snapshot), or None."""
    for holiday in (rules.get("practice") or {}).get("holidays") or []:
        if str(holiday["date"]) == day.isoformat():
            return holiday["name"]
    return None


def on_vacation(rules: dict, provider_key: str, day: date) -> dict | None:
    for block in rules["providers"][provider_key].get("vacation") or []:
        if parse_date(block["start"]) <= day <= parse_date(block["end"]):
            return block
    return None


def provider_hours(rules: dict, provider_key: str, day: date) -> tuple[time, time] | None:
    """The provider's opening hours that day, or None (not working, on vacation, or an office holiday)."""
    provider = rules["providers"][provider_key]
    span = provider["hours"].get(WEEKDAYS[day.weekday()])
    if not span or on_vacation(rules, provider_key, day) or holiday_on(rules, day):
        return None
    return parse_time(span[0]), parse_time(span[1])


def booking_conflicts(
    *,
    rules: dict,
    provider_key: str,
    type_key: str,
    patient_key: str,
    day: date,
    start: time,
    existing: Iterable[Booked],
    now: datetime | None = None,
    auth_number: str = "",
    blocks: Iterable[Block] = (),
) -> list[Conflict]:
    """Every rule this booking would break, each with its kind; an empty list means it may be booked."""
    kind = rules["types"].get(type_key)
    provider = rules["providers"].get(provider_key)
    if kind is None or provider is None:
        return [Conflict("choice", "Choose a provider and an appointment type from the lists.")]
    problems: list[Conflict] = []
    minutes = int(kind["minutes"])
    end = _add(day, start, minutes)
    name = provider["name"]
    if provider_key not in kind["providers"]:
        problems.append(Conflict("type", f"{name} does not see “{kind['name']}” appointments."))
    if now is not None and datetime.combine(day, start) < now.replace(tzinfo=None):
        problems.append(Conflict("past", "That time has already passed."))
    if start.minute % SLOT_MINUTES:
        problems.append(Conflict("slot", f"Appointments start on the quarter hour ({SLOT_MINUTES}-minute slots)."))
    holiday = holiday_on(rules, day)
    vacation = on_vacation(rules, provider_key, day)
    hours = provider_hours(rules, provider_key, day)
    if holiday:
        problems.append(Conflict("holiday", f"The office is closed on {day:%A %d %B %Y} ({holiday})."))
    elif vacation:
        problems.append(
            Conflict(
                "vacation", f"{name} is not working on {day:%A %d %B %Y} ({vacation.get('reason') or 'vacation'})."
            )
        )
    elif hours is None:
        problems.append(Conflict("availability", f"{name} is not working on {day:%A %d %B %Y}."))
    else:
        if start < hours[0] or end > hours[1]:
            problems.append(
                Conflict(
                    "availability",
                    f"{name} works {hours[0]:%H:%M}–{hours[1]:%H:%M} that day; "
                    f"a {minutes}-minute visit at {start:%H:%M} ends at {end:%H:%M}.",
                )
            )
        lunch = provider.get("lunch")
        if lunch and _overlaps(start, end, parse_time(lunch[0]), parse_time(lunch[1])):
            problems.append(Conflict("availability", f"{name} is at lunch {lunch[0]}–{lunch[1]}."))
    for block in blocks:
        if block.provider_key == provider_key and block.covers(day, start, end):
            problems.append(Conflict("block", f"{name} is blocked {block.when} ({block.reason or 'unavailable'})."))
            break
    if kind["am_only"] and end > NOON:
        problems.append(
            Conflict("availability", f"“{kind['name']}” appointments are morning only (they must end by 12:00).")
        )
    if kind["needs_prior_auth"] and not auth_number.strip():
        problems.append(
            Conflict("auth", f"“{kind['name']}” needs the payer's prior-authorization number before booking.")
        )
    same_day = [b for b in existing if b.day == day]
    for other in same_day:
        if other.provider_key == provider_key and _overlaps(start, end, other.start, other.end):
            problems.append(Conflict("double", f"{name} already has a visit {other.start:%H:%M}–{other.end:%H:%M}."))
            break
    for other in same_day:
        if other.patient_key == patient_key and _overlaps(start, end, other.start, other.end):
            problems.append(
                Conflict("double", f"The patient already has an appointment {other.start:%H:%M}–{other.end:%H:%M}.")
            )
            break
    limit = int(kind["daily_limit"] or 0)
    if limit:
        taken = sum(1 for b in same_day if b.provider_key == provider_key and b.type_key == type_key)
        if taken >= limit:
            problems.append(
                Conflict("daily_limit", f"{name} already has the daily limit of {limit} “{kind['name']}” visits.")
            )
    return problems


def booking_problems(**kwargs) -> list[str]:
    """Every rule this booking would break, in plain words (see `booking_conflicts` for the arguments);
    an empty list means it may be booked."""
    return [c.message for c in booking_conflicts(**kwargs)]


def next_open_slot(
    *,
    rules: dict,
    provider_key: str,
    type_key: str,
    patient_key: str,
    after: datetime,
    existing: Iterable[Booked],
    days: int = 30,
    blocks: Iterable[Block] = (),
) -> tuple[date, time] | None:
    """The first time from `after` at which the booking breaks no rule, looking `days` ahead."""
    existing, blocks = list(existing), list(blocks)
    start_day = after.date()
    naive_after = after.replace(tzinfo=None)
    for offset in range(days + 1):
        day = start_day + timedelta(days=offset)
        hours = provider_hours(rules, provider_key, day)
        if hours is None:
            continue
        slot = datetime.combine(day, hours[0])
        while slot.time() < hours[1]:
            if slot >= naive_after and not booking_problems(
                rules=rules,
                provider_key=provider_key,
                type_key=type_key,
                patient_key=patient_key,
                day=day,
                start=slot.time(),
                existing=existing,
                auth_number="(checked separately)",
                blocks=blocks,
            ):
                return day, slot.time()
            slot += timedelta(minutes=SLOT_MINUTES)
    return None
