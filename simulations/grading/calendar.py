"""Calendar checks: recurring series (S7) and provider blocks (S8).

They re-check the end state with the booking rules (simulations/booking.py), the office holidays of the
shift's rules snapshot and the shift's provider blocks (`g.calendar["blocks"]`).
"""

from datetime import datetime, timedelta

from ..booking import Block, Booked, booking_conflicts
from ..office import parse_date
from ..series import CONFLICT_LABELS, week_of
from .core import GradingInput, Outcome, check, resolve_patient

ACTIVE = ("booked", "arrived")
# Conflicts that do not make a booked occurrence wrong after the fact (the clock moved on; the
# authorization number is graded elsewhere).
NOT_GRADED_HERE = {"past", "auth"}


def _blocks(g: GradingInput, key: str | None = None) -> list[tuple[dict, Block]]:
    return [
        (b, Block(b["provider"], b["first_date"], b["last_date"], b["start"], b["end"], b["reason"]))
        for b in g.calendar.get("blocks") or []
        if key is None or b["key"] == key
    ]


def _booked(a: dict) -> Booked:
    return Booked(a["provider"], a["type"], a["patient"], a["date"], a["start"], a["minutes"])


def _name(g: GradingInput, key: str) -> str:
    row = g.patients.get(key) or {}
    return f"{row.get('first_name', '')} {row.get('last_name', '')}".strip() or key


def _end(a: dict):
    return (datetime.combine(a["date"], a["start"]) + timedelta(minutes=a["minutes"])).time()


# ---- E: a recurring series -----------------------------------------------------------------------


@check
def series_booked(
    g: GradingInput,
    patient,
    type: str,  # noqa: A002 - the word the scenario files use
    provider: str,
    count: int,
    interval: int = 1,
    first_week: str | None = None,
) -> Outcome:
    """Exactly `count` active `type` visits with `provider` for the patient, one in each week of the
    recurrence (every `interval` weeks from `first_week` if given), each valid under the office rules:
    not on an office holiday, not inside a provider block or vacation, inside availability, no double
    booking, within the daily limit. A visit moved to another day of its own week still counts."""
    key = resolve_patient(g, patient)
    if key is None:
        return Outcome(False, "The patient is not in the system.")
    found = sorted(
        (a for a in g.appointments if a["patient"] == key and a["status"] in ACTIVE and a["type"] == type),
        key=lambda a: (a["date"], a["start"]),
    )
    kind = g.rules["types"].get(type, {}).get("name", type)
    if len(found) != count:
        return Outcome(
            False, f"Found {len(found)} active “{kind}” visit(s) for the patient; the order asks for {count}."
        )
    wrong_provider = [a for a in found if a["provider"] != provider]
    if wrong_provider:
        a = wrong_provider[0]
        return Outcome(
            False, f"The visit on {a['date']:%a %d %b} is with {g.rules['providers'][a['provider']]['name']}."
        )
    start_week = week_of(found[0]["date"])
    if first_week is not None:
        wanted = week_of(parse_date(first_week))
        if start_week != wanted:
            return Outcome(False, f"The series starts in the week of {start_week:%d %b}, not {wanted:%d %b}.")
    for number, appt in enumerate(found):
        expected = start_week + timedelta(weeks=interval * number)
        if week_of(appt["date"]) != expected:
            return Outcome(
                False,
                f"Visit {number + 1} is on {appt['date']:%a %d %b}; it belongs in the week of {expected:%d %b} "
                f"(every {interval} week{'s' if interval > 1 else ''}).",
            )
    blocks = [rule for _, rule in _blocks(g)]
    for appt in found:
        others = [_booked(a) for a in g.appointments if a["id"] != appt["id"] and a["status"] in ACTIVE]
        conflicts = [
            c
            for c in booking_conflicts(
                rules=g.rules,
                provider_key=appt["provider"],
                type_key=appt["type"],
                patient_key=key,
                day=appt["date"],
                start=appt["start"],
                existing=others,
                blocks=blocks,
                auth_number=appt["auth_number"] or "(not graded here)",
            )  # fmt: skip
            if c.kind not in NOT_GRADED_HERE
        ]
        if conflicts:
            labels = ", ".join(sorted({CONFLICT_LABELS.get(c.kind, c.kind) for c in conflicts}))
            return Outcome(False, f"{appt['date']:%a %d %b} {appt['start']:%H:%M}: {labels}. {conflicts[0].message}")
    return Outcome(True, f"{count} visits: " + ", ".join(f"{a['date']:%d %b}" for a in found) + ".")


# ---- E: nothing left inside a block --------------------------------------------------------------


@check
def none_inside_block(g: GradingInput, block: str | None = None) -> Outcome:
    """No active appointment of the blocked provider falls inside the block (`block`: a seeded block's
    key; without it, every block of the shift)."""
    blocks = _blocks(g, block)
    if block is not None and not blocks:
        return Outcome(False, "The provider block is gone.")
    inside = [
        a
        for a in g.appointments
        if a["status"] in ACTIVE
        and any(
            rule.provider_key == a["provider"] and rule.covers(a["date"], a["start"], _end(a)) for _, rule in blocks
        )
    ]
    if not inside:
        return Outcome(True)
    listed = ", ".join(f"{_name(g, a['patient'])} ({a['date']:%a %d %b} {a['start']:%H:%M})" for a in inside[:6])
    return Outcome(False, f"{len(inside)} appointment(s) still inside the block: {listed}.")


@check
def appointments_cancelled_by_office(g: GradingInput, appointments: list[str]) -> Outcome:
    """Each listed seeded appointment is cancelled as an office cancellation (moved or cancelled), not
    left booked and not flagged as the patient's late cancellation."""
    rows = {a["key"]: a for a in g.appointments if a["key"]}
    wrong = [k for k in appointments if (rows.get(k) or {}).get("status") != "cancelled"]
    if not wrong:
        return Outcome(True)
    listed = ", ".join(f"{_name(g, rows[k]['patient'])}: “{rows[k]['status']}”" for k in wrong if k in rows)
    return Outcome(False, f"Not cancelled by the office: {listed}.")


# ---- P: notices ----------------------------------------------------------------------------------


def _refused(row: dict) -> set[str]:
    refused = {"voicemail"} if not row.get("voicemail_ok") else set()
    return refused | ({"sms"} if not row.get("sms_ok") else set())


@check
def notices_sent(g: GradingInput, appointments: list[str]) -> Outcome:
    """Every patient of the listed (seeded) appointments was told of the change, and only through
    channels they allow (no voicemail or text message if they said no: 45 CFR 164.522(b))."""
    rows = {a["key"]: a for a in g.appointments if a["key"]}
    patients = sorted({rows[k]["patient"] for k in appointments if k in rows})
    silent, wrong = [], []
    for key in patients:
        used = [
            (e["after"] or {}).get("channel") for e in g.log if e["kind"] == "patient_contacted" and e["patient"] == key
        ]
        if not used:
            silent.append(_name(g, key))
        bad = sorted(set(used) & _refused(g.patients.get(key) or {}))
        if bad:
            wrong.append(f"{_name(g, key)} ({', '.join(bad)})")
    details = []
    if silent:
        details.append(f"No notice to: {', '.join(silent)}.")
    if wrong:
        details.append(f"Channel the patient does not allow: {'; '.join(wrong)}.")
    return Outcome(not details, " ".join(details))
