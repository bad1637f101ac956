"""Every change in the office: one atomic function per action, writing its action-log row in the same
transaction. Views call these; so do the tests and the benchmark."""

import secrets
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from coursesite.audit.services import audit_record
from coursesite.progress.services import completion_record
from coursesite.progress.timing import seconds_on_task

from .booking import booking_problems
from .calendar_selectors import block_rules_between
from .grading import grade
from .models import ActionLog, Appointment, ChartEntry, Coverage, OfficeTemplate, Patient, Shift, SimulationPage
from .office import office_rules
from .sandbox import sandbox_build
from .scenarios import scenario_render
from .selectors import booked_between, grading_input

OFFICE_TEMPLATE_KEY = "maple-grove"


class OfficeActionError(Exception):
    """An action the office refuses, with messages the trainee can act on."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def _require_open(shift: Shift) -> Shift:
    """Lock the shift row (serialises a trainee's two tabs) and refuse changes to a closed shift."""
    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    if not locked.is_open:
        raise OfficeActionError("This shift has been submitted; start a new one to practise again.")
    return locked


def action_log_write(
    *, shift: Shift, kind: str, target: str = "", patient_key: str = "", before=None, after=None
) -> ActionLog:
    """Append one row to the shift's log and advance the simulated clock. Call inside the action's
    transaction, after `_require_open` has locked the shift."""
    seq = shift.actions + 1
    entry = ActionLog.objects.create(
        shift=shift,
        seq=seq,
        kind=kind,
        target=target,
        patient_key=patient_key,
        at_sim=shift.clock_start + timedelta(minutes=2 * seq),
        at_real=timezone.now(),
        before=before,
        after=after,
    )
    Shift.objects.filter(pk=shift.pk).update(actions=F("actions") + 1)
    shift.actions = seq
    return entry


def _appt_state(a: Appointment) -> dict:
    return {
        "patient": a.patient.key,
        "provider": a.provider_key,
        "type": a.type_key,
        "date": a.date.isoformat(),
        "start": a.start.strftime("%H:%M"),
        "minutes": a.minutes,
        "status": a.status,
    }


# ---- shifts --------------------------------------------------------------------------------------


@transaction.atomic
def shift_start(*, learner, page: SimulationPage, seed: str | None = None) -> Shift:
    """The learner's open shift on this step, or a new one built from the template, scenario and seed.

    A new shift gets a new random seed unless one is given (tests, the benchmark): a retry may draw a
    different variant, which is the point.
    """
    existing = Shift.objects.filter(learner=learner, page=page, status=Shift.Status.OPEN).first()
    if existing is not None:
        return existing
    template = OfficeTemplate.objects.get(key=OFFICE_TEMPLATE_KEY)
    scenario = page.scenario
    definition = scenario.parsed
    rules = office_rules(template.data)
    patients = {p["key"]: p for p in template.data["patients"]}
    seed = seed or secrets.token_hex(8)
    rendered = scenario_render(definition, seed=seed, patients=patients, rules=rules)
    number = (Shift.objects.filter(learner=learner, page=page).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            shift = Shift.objects.create(
                learner=learner,
                page=page,
                scenario=scenario,
                number=number,
                seed=seed,
                started_at=timezone.now(),
                clock_start=timezone.make_aware(definition.today, timezone.UTC),
                office=rules,
                variant=rendered,
            )
    except IntegrityError:  # a second tab started it first
        return Shift.objects.get(learner=learner, page=page, status=Shift.Status.OPEN)
    sandbox_build(shift=shift, patients=template.data["patients"])
    audit_record(action="shift_started", actor=learner, target=shift, scenario=scenario.key, seed=seed)
    return shift


@transaction.atomic
def shift_reset(*, shift: Shift) -> Shift:
    """Put the open shift aside (kept for the supervisor's replay) and start afresh with a new seed."""
    shift = _require_open(shift)
    shift.status = Shift.Status.RESET
    shift.save(update_fields=["status"])
    audit_record(action="shift_reset", actor=shift.learner, target=shift)
    return shift_start(learner=shift.learner, page=shift.page)


@transaction.atomic
def shift_submit(*, shift: Shift) -> Shift:
    """Grade the shift (deterministic: end state + log only) and record the course step's completion."""
    shift = _require_open(shift)
    result = grade(
        grading_input(shift=shift),
        shift.variant["checks"],
        pass_mark=shift.page.pass_mark,
        x_cap=shift.variant.get("x_cap", 0),
    )
    shift.status = Shift.Status.SUBMITTED
    shift.submitted_at = timezone.now()
    shift.score = Decimal(result["score"])
    shift.passed = result["passed"]
    shift.result = result
    shift.full_clean()
    shift.save()
    action_log_write(shift=shift, kind="shift_submitted", after={"score": result["score"], "passed": shift.passed})
    page = shift.page
    completion_record(
        learner=shift.learner,
        step=page,
        course=page.get_parent(),
        passed=shift.passed,
        score=shift.score,
        seconds=seconds_on_task(started_at=shift.started_at, ended_at=shift.submitted_at),
    )
    audit_record(action="shift_submitted", actor=shift.learner, target=shift, score=result["score"])
    return shift


# ---- patients ------------------------------------------------------------------------------------


@transaction.atomic
def patient_search_record(*, shift: Shift, name: str, dob: date | None, results: int) -> None:
    shift = _require_open(shift)
    action_log_write(
        shift=shift,
        kind="patient_search",
        after={"name": name, "dob": dob.isoformat() if dob else "", "results": results},
    )


@transaction.atomic
def identity_verify(*, shift: Shift, patient: Patient, identifiers: list[str]) -> None:
    """Record which identifiers the caller confirmed (two are required before acting: name and DOB)."""
    shift = _require_open(shift)
    if len(set(identifiers)) < 2:
        raise OfficeActionError("Confirm two identifiers: the full name and the date of birth.")
    action_log_write(
        shift=shift,
        kind="identity_verified",
        target=f"patient:{patient.pk}",
        patient_key=patient.key,
        after={"identifiers": sorted(set(identifiers))},
    )


REGISTRATION_FIELDS = ["first_name", "last_name", "dob", "sex", "phone", "address"]


@transaction.atomic
def patient_register(*, shift: Shift, data: dict, coverages: list[dict | None] | None = None) -> Patient:
    """Register a new patient: demographics and 0-2 coverages, [primary, secondary] in the order the
    desk decided (simulations/registration.py validates the structure; the grader judges the order)."""
    from .registration import CoverageError, coverage_rows, coverage_state

    shift = _require_open(shift)
    number = Patient.objects.for_shift(shift).filter(registered_in_shift=True).count() + 1
    patient = Patient(shift=shift, key=f"new-{number}", registered_in_shift=True, **data)
    patient.full_clean()
    patient.save()
    try:
        rows = coverage_rows(shift=shift, patient=patient, coverages=list(coverages or []))
    except CoverageError as exc:
        raise OfficeActionError(*exc.messages) from exc
    Coverage.objects.bulk_create(rows)
    after = {name: str(getattr(patient, name)) for name in REGISTRATION_FIELDS}
    after["coverages"] = [coverage_state(row) for row in rows]
    action_log_write(
        shift=shift, kind="patient_registered", target=f"patient:{patient.pk}", patient_key=patient.key, after=after
    )
    return patient


@transaction.atomic
def chart_open(*, shift: Shift, patient: Patient, reason: str) -> None:
    """Log that the chart was opened, and why (an inbox item, or nothing: which is gradable), in the
    shift's log and on the audit trail (every chart access is audited: 164.312(b)). A chart outside the
    scenario's work queue opens only under an active break-the-glass grant."""
    from .break_glass_selectors import chart_access

    shift = _require_open(shift)
    if chart_access(shift=shift, patient=patient).mode == "closed":
        raise OfficeActionError("This chart is outside your work queue: it opens only through emergency access.")
    action_log_write(
        shift=shift,
        kind="chart_view",
        target=f"patient:{patient.pk}",
        patient_key=patient.key,
        after={"reason": reason},
    )
    # The actor by id: the locked shift row has no learner loaded, and a chart view should not fetch it.
    learner = type(shift).learner.field.related_model(pk=shift.learner_id)
    audit_record(action="chart_opened", actor=learner, target=patient, shift=shift.pk, reason=reason)


# ---- appointments --------------------------------------------------------------------------------


@transaction.atomic
def appointment_book(
    *, shift: Shift, patient: Patient, provider_key: str, type_key: str, day: date, start: time, auth_number: str = ""
) -> Appointment:
    shift = _require_open(shift)
    existing = booked_between(shift=shift, start=day, end=day)
    problems = booking_problems(
        blocks=block_rules_between(shift=shift, start=day, end=day),
        rules=shift.office,
        provider_key=provider_key,
        type_key=type_key,
        patient_key=patient.key,
        day=day,
        start=start,
        existing=existing,
        now=shift.now,
        auth_number=auth_number,
    )
    if problems:
        raise OfficeActionError(*problems)
    appointment = Appointment(
        shift=shift,
        patient=patient,
        provider_key=provider_key,
        type_key=type_key,
        date=day,
        start=start,
        minutes=int(shift.office["types"][type_key]["minutes"]),
        auth_number=auth_number.strip(),
    )
    appointment.full_clean()
    appointment.save()
    action_log_write(
        shift=shift,
        kind="appointment_booked",
        target=f"appointment:{appointment.pk}",
        patient_key=patient.key,
        after=_appt_state(appointment),
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, shift: Shift, appointment: Appointment, late: bool, reason: str) -> Appointment:
    """Cancel; the trainee decides whether it is a late cancellation (< 24 h notice, per policy)."""
    shift = _require_open(shift)
    if not appointment.is_active:
        raise OfficeActionError("Only a booked or arrived appointment can be cancelled.")
    before = _appt_state(appointment)
    appointment.status = Appointment.Status.CANCELLED_LATE if late else Appointment.Status.CANCELLED
    appointment.cancel_reason = reason.strip()[:200]
    appointment.save(update_fields=["status", "cancel_reason"])
    action_log_write(
        shift=shift,
        kind="appointment_cancelled",
        target=f"appointment:{appointment.pk}",
        patient_key=appointment.patient.key,
        before=before,
        after={**_appt_state(appointment), "reason": appointment.cancel_reason},
    )
    return appointment


@transaction.atomic
def appointment_mark(*, shift: Shift, appointment: Appointment, status: str) -> Appointment:
    """Mark a booked appointment arrived, or a past one a no-show."""
    shift = _require_open(shift)
    if status not in (Appointment.Status.ARRIVED, Appointment.Status.NOSHOW):
        raise OfficeActionError("An appointment can be marked arrived or no-show.")
    if appointment.status != Appointment.Status.BOOKED:
        raise OfficeActionError("Only a booked appointment can be marked arrived or no-show.")
    if status == Appointment.Status.NOSHOW and appointment.date > shift.now.date():
        raise OfficeActionError("A future appointment cannot be a no-show.")
    before = _appt_state(appointment)
    appointment.status = status
    appointment.save(update_fields=["status"])
    action_log_write(
        shift=shift,
        kind=f"appointment_{status}",
        target=f"appointment:{appointment.pk}",
        patient_key=appointment.patient.key,
        before=before,
        after=_appt_state(appointment),
    )
    return appointment


# ---- the chart -----------------------------------------------------------------------------------


def _entry_state(entry: ChartEntry) -> dict:
    return {"kind": entry.kind, "text": entry.text, "author": entry.author, "corrects": entry.corrects_id}


def _trainee(shift: Shift) -> str:
    return f"{shift.learner.display_name or shift.learner.email} (front desk)"


@transaction.atomic
def order_enter(*, shift: Shift, patient: Patient, text: str) -> ChartEntry:
    """Enter a physician's order on the chart exactly as written (it is stored as typed)."""
    shift = _require_open(shift)
    if not text.strip():
        raise OfficeActionError("Type the order as written.")
    entry = ChartEntry.objects.create(
        shift=shift, patient=patient, kind=ChartEntry.Kind.ORDER, text=text.strip(), author=_trainee(shift),
        entered_at=shift.now, by_trainee=True,
    )  # fmt: skip
    action_log_write(
        shift=shift, kind="order_entered", target=f"chart_entry:{entry.pk}", patient_key=patient.key,
        after=_entry_state(entry),
    )  # fmt: skip
    return entry


@transaction.atomic
def chart_entry_correct(*, shift: Shift, entry: ChartEntry, text: str, reason: str) -> ChartEntry:
    """Append a correction to an entry: the original stays as it was; who, when and why are kept."""
    shift = _require_open(shift)
    if not text.strip() or not reason.strip():
        raise OfficeActionError("A correction needs the corrected text and the reason for it.")
    if entry.kind == ChartEntry.Kind.CORRECTION:
        raise OfficeActionError("Correct the original entry, not a correction.")
    correction = ChartEntry(
        shift=shift, patient=entry.patient, kind=ChartEntry.Kind.CORRECTION, text=text.strip(), author=_trainee(shift),
        entered_at=shift.now, corrects=entry, reason=reason.strip()[:300], by_trainee=True,
    )  # fmt: skip
    correction.full_clean()
    correction.save()
    action_log_write(
        shift=shift, kind="chart_entry_corrected", target=f"chart_entry:{entry.pk}", patient_key=entry.patient.key,
        before=_entry_state(entry), after={**_entry_state(correction), "reason": correction.reason},
    )  # fmt: skip
    return correction


@transaction.atomic
def chart_entry_edit(*, shift: Shift, entry: ChartEntry, text: str) -> ChartEntry:
    """Overwrite the text of the trainee's own entry. The office allows it (as many systems do); the
    grader treats it as overwriting the record (a critical error) — the log keeps the before/after."""
    shift = _require_open(shift)
    if not entry.by_trainee:
        raise OfficeActionError("You can only edit entries you made. Append a correction instead.")
    before = _entry_state(entry)
    entry.text = text.strip()
    entry.save(update_fields=["text"])
    action_log_write(
        shift=shift, kind="chart_entry_edited", target=f"chart_entry:{entry.pk}", patient_key=entry.patient.key,
        before=before, after=_entry_state(entry),
    )  # fmt: skip
    return entry


CALL_OUTCOMES = {
    "booked": "Appointment booked or changed",
    "message": "Message taken for the clinical team",
    "transfer": "Warm transfer to clinical staff / told to call 911 now",
    "information": "Information given (no clinical content)",
}


@transaction.atomic
def call_close(*, shift: Shift, item_key: str, outcome: str, note: str) -> None:
    """Close an inbox call or walk-in with its outcome and a call note (who, what, what was done)."""
    shift = _require_open(shift)
    if item_key not in {item["key"] for item in shift.variant["inbox"]}:
        raise OfficeActionError("That inbox item does not exist.")
    if outcome not in CALL_OUTCOMES or not note.strip():
        raise OfficeActionError("Choose the outcome of the call and write the call note.")
    action_log_write(
        shift=shift, kind="call_closed", target=f"inbox:{item_key}", after={"outcome": outcome, "note": note.strip()}
    )


@transaction.atomic
def document_file(*, shift: Shift, patient: Patient, item_key: str) -> ChartEntry:
    """File an incoming document (a fax in the inbox) to a patient's chart, as a note that quotes it."""
    shift = _require_open(shift)
    item = next((i for i in shift.variant["inbox"] if i["key"] == item_key and i["kind"] == "fax"), None)
    if item is None:
        raise OfficeActionError("Choose a faxed document from the inbox.")
    entry = ChartEntry.objects.create(
        shift=shift, patient=patient, kind=ChartEntry.Kind.NOTE, text=f"Filed document: {item['title']}\n{item['text']}",
        author=_trainee(shift), entered_at=shift.now, by_trainee=True,
    )  # fmt: skip
    action_log_write(
        shift=shift, kind="document_filed", target=f"inbox:{item_key}", patient_key=patient.key,
        after={"item": item_key, "entry": entry.pk},
    )  # fmt: skip
    return entry


CONTACT_CHANNELS = {
    "phone": "Phone call",
    "voicemail": "Voicemail",
    "letter": "Letter",
    "portal": "Portal message",
    "sms": "Text message",
}


@transaction.atomic
def contact_record(*, shift: Shift, patient: Patient, channel: str, note: str) -> ChartEntry:
    """Document a call, voicemail, letter or message to the patient (a note on the chart + the log)."""
    shift = _require_open(shift)
    if channel not in CONTACT_CHANNELS or not note.strip():
        raise OfficeActionError("Choose how you contacted the patient and write what was said or sent.")
    entry = ChartEntry.objects.create(
        shift=shift, patient=patient, kind=ChartEntry.Kind.NOTE, text=f"{CONTACT_CHANNELS[channel]}: {note.strip()}",
        author=_trainee(shift), entered_at=shift.now, by_trainee=True,
    )  # fmt: skip
    action_log_write(
        shift=shift, kind="patient_contacted", target=f"chart_entry:{entry.pk}", patient_key=patient.key,
        after={"channel": channel, "note": note.strip()},
    )  # fmt: skip
    return entry


@transaction.atomic
def physician_query(*, shift: Shift, patient: Patient, question: str, entry: ChartEntry | None = None) -> ChartEntry:
    """Send the ordering physician a question about an unclear order (a task in their inbox)."""
    shift = _require_open(shift)
    if not question.strip():
        raise OfficeActionError("Say what is unclear in the order.")
    query = ChartEntry.objects.create(
        shift=shift, patient=patient, kind=ChartEntry.Kind.QUERY, text=question.strip(), author=_trainee(shift),
        entered_at=shift.now, by_trainee=True,
    )  # fmt: skip
    action_log_write(
        shift=shift, kind="physician_queried", target=f"chart_entry:{query.pk}", patient_key=patient.key,
        after={"question": query.text, "about": entry.pk if entry else None},
    )  # fmt: skip
    return query
