"""Build a shift's office, deterministically, from the office template, the scenario and the seed."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from .booking import Block, Booked, booking_problems, provider_hours
from .models import Appointment, ChartEntry, Coverage, Patient, ProviderBlock, Shift
from .office import parse_date, parse_time

# How full the calendar is around "today": enough that finding a slot takes looking, not so full that
# a scenario has no valid answer. Days are counted from the shift's simulated today.
FILL_FROM_DAY, FILL_TO_DAY, FILL_RATE = -1, 21, 0.35


def patient_coverages(data: dict) -> list[dict]:
    """A template patient's plans, primary first: `coverages:` (a list) or the older single `insurance:`."""
    if data.get("coverages"):
        return list(data["coverages"])
    return [data["insurance"]] if data.get("insurance") else []


def _coverage_rows(shift: Shift, patients: list[dict], by_key: dict[str, Patient]) -> list[Coverage]:
    """The template's coverages as rows; a `subscriber:` naming another patient gives the subscriber's
    name, birth date and sex (a child on a parent's plan), otherwise the patient is the subscriber."""
    people = {p["key"]: p for p in patients}
    rows = []
    for data in patients:
        for rank, plan in enumerate(patient_coverages(data), start=1):
            subscriber = people.get(plan.get("subscriber") or data["key"], data)
            rows.append(
                Coverage(
                    shift=shift,
                    patient=by_key[data["key"]],
                    rank=rank,
                    payer_key=plan["payer"],
                    member_id=plan.get("member_id", ""),
                    group_number=plan.get("group_number", ""),
                    relationship=plan.get("relationship", "self"),
                    subscriber_first_name=subscriber["first_name"],
                    subscriber_last_name=subscriber["last_name"],
                    subscriber_dob=parse_date(subscriber["dob"]),
                    subscriber_sex=subscriber["sex"],
                    effective_from=parse_date(plan["effective_from"]) if plan.get("effective_from") else None,
                )
            )
    return rows


def _patient_row(shift: Shift, data: dict) -> Patient:
    return Patient(
        shift=shift,
        key=data["key"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        dob=parse_date(data["dob"]),
        sex=data["sex"],
        phone=data.get("phone", ""),
        address=data.get("address", ""),
        language=data.get("language", ""),
        preferred_contact=data.get("preferred_contact", ""),
        voicemail_ok=bool(data.get("voicemail_ok")),
        sms_ok=bool(data.get("sms_ok")),
        guarantor_key=data.get("guarantor") or "",
        problems=data.get("problems") or [],
    )


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value, timezone.UTC) if timezone.is_naive(value) else value


# ---- calendar: provider blocks (setup.blocks; see simulations/calendar_services.py) ----------------


def _setup_blocks(shift: Shift, items: list[dict]) -> list[Block]:
    """Create the scenario's provider blocks; the background fill keeps out of them (the patients the
    scenario booked inside a block are its own `setup.appointments`)."""
    rows = [
        ProviderBlock(
            shift=shift,
            key=item.get("key", ""),
            provider_key=item["provider"],
            first_date=parse_date(item["date"]),
            last_date=parse_date(item.get("last_date") or item["date"]),
            start=parse_time(item["start"]) if item.get("start") else None,
            end=parse_time(item["end"]) if item.get("end") else None,
            reason=item["reason"],
            note=item.get("note", ""),
        )
        for item in items
    ]
    ProviderBlock.objects.bulk_create(rows)
    return [row.as_rule() for row in rows]


def sandbox_build(*, shift: Shift, patients: list[dict]) -> None:
    """Create the shift's patients, the scenario's appointments and chart entries, and a seeded calendar."""
    rules, setup = shift.office, shift.variant["setup"]
    Patient.objects.bulk_create([_patient_row(shift, p) for p in patients])
    by_key = {p.key: p for p in Patient.objects.for_shift(shift)}
    Coverage.objects.bulk_create(_coverage_rows(shift, patients, by_key))
    booked: list[Booked] = []
    rows: list[Appointment] = []
    for item in setup.get("appointments") or []:
        kind = rules["types"][item["type"]]
        row = Appointment(
            shift=shift,
            key=item["key"],
            patient=by_key[item["patient"]],
            provider_key=item["provider"],
            type_key=item["type"],
            date=parse_date(item["date"]),
            start=parse_time(item["time"]),
            minutes=int(kind["minutes"]),
            status=item.get("status", Appointment.Status.BOOKED),
        )
        rows.append(row)
        booked.append(Booked(row.provider_key, row.type_key, row.patient.key, row.date, row.start, row.minutes))
    blocks = _setup_blocks(shift, setup.get("blocks") or [])
    # Background patients fill the calendar; the scenario's people are kept out of it so that the only
    # appointments they have are the ones the scenario gave them.
    named = {str(v) for v in shift.variant["values"].values() if isinstance(v, str)}
    pool = sorted(k for k in by_key if k not in named)
    rng = random.Random(f"calendar:{shift.seed}")  # noqa: S311 - reproducible sandbox, not security
    today = shift.clock_start.date()
    for offset in range(FILL_FROM_DAY, FILL_TO_DAY + 1):
        day = today + timedelta(days=offset)
        for provider_key in sorted(rules["providers"]):
            hours = provider_hours(rules, provider_key, day)
            if hours is None:
                continue
            kinds = sorted(k for k, t in rules["types"].items() if provider_key in t["providers"])
            slot = datetime.combine(day, hours[0])
            while slot.time() < hours[1]:
                if rng.random() < FILL_RATE:
                    type_key, patient_key = rng.choice(kinds), rng.choice(pool)
                    if not booking_problems(
                        rules=rules,
                        provider_key=provider_key,
                        type_key=type_key,
                        patient_key=patient_key,
                        day=day,
                        start=slot.time(),
                        existing=booked,
                        auth_number="PA-SEEDED",
                        blocks=blocks,
                    ):
                        minutes = int(rules["types"][type_key]["minutes"])
                        past = day < today
                        rows.append(
                            Appointment(
                                shift=shift,
                                patient=by_key[patient_key],
                                provider_key=provider_key,
                                type_key=type_key,
                                date=day,
                                start=slot.time(),
                                minutes=minutes,
                                status=Appointment.Status.ARRIVED if past else Appointment.Status.BOOKED,
                                auth_number="PA-SEEDED" if rules["types"][type_key]["needs_prior_auth"] else "",
                            )
                        )
                        booked.append(Booked(provider_key, type_key, patient_key, day, slot.time(), minutes))
                slot += timedelta(minutes=15)
    Appointment.objects.bulk_create(rows)
    entries = []
    for item in setup.get("chart") or []:
        entries.append(
            ChartEntry(
                shift=shift,
                patient=by_key[item["patient"]],
                key=item.get("key", ""),
                kind=item["kind"],
                text=item["text"],
                author=item["author"],
                entered_at=_aware(datetime.fromisoformat(str(item["at"]))),
                by_trainee=bool(item.get("by_trainee")),
            )
        )
    ChartEntry.objects.bulk_create(entries)

    # ---- patient accounts (accounts_services): seeded ledgers (`ledger:`) and remittances (`era:`) ----
    if setup.get("ledger") or setup.get("era"):
        from .accounts_services import accounts_setup

        accounts_setup(shift=shift, by_key=by_key)

    # Claims the office sent before the shift (billing follow-up scenarios): simulations/claims_setup.py.
    if setup.get("claims"):
        from .claims_setup import claims_build

        claims_build(shift=shift, by_key=by_key)

    records_setup_build(shift=shift)


# ---- records desk -----------------------------------------------------------------------------------
# `setup: {records: {case: <bank case id>}}` builds the request, documents and record sections from the
# HIPAA request scenario bank (simulations/records_setup.py).
def records_setup_build(*, shift: Shift) -> None:
    spec = shift.variant["setup"].get("records")
    if spec:
        from .records_setup import records_build

        records_build(shift=shift, spec=spec)
