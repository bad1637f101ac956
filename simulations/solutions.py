"""The right way through each shipped scenario, done through the services (as the screens do).

Used by the tests (every variant must score 100%) and by `seed_demo` (the demo trainee who finished
Customer Service worked its office shift for real)."""

from datetime import date, time, timedelta

from simulations import services
from simulations.booking import next_open_slot
from simulations.models import Appointment, ChartEntry, Patient
from simulations.selectors import booked_between


def patient(shift, key: str) -> Patient:
    return Patient.objects.for_shift(shift).get(key=key)


def book_next(shift, p: Patient, *, provider: str, type_key: str, after: date, weekdays: set[int] | None = None):
    """Book the first open slot from `after` (on one of `weekdays`) for the patient."""
    existing = booked_between(shift=shift, start=after, end=after + timedelta(days=40))
    day = after
    for _ in range(30):
        from datetime import datetime

        found = next_open_slot(
            rules=shift.office, provider_key=provider, type_key=type_key, patient_key=p.key,
            after=datetime.combine(day, time(0, 0)), existing=existing, days=0,
        )  # fmt: skip
        if found and (weekdays is None or found[0].weekday() in weekdays):
            return services.appointment_book(
                shift=shift, patient=p, provider_key=provider, type_key=type_key, day=found[0], start=found[1]
            )
        day += timedelta(days=1)
    raise RuntimeError("no open slot found in 30 days")


def solve_s1(shift):
    caller = shift.variant["values"]["caller"]
    services.patient_search_record(
        shift=shift, name=caller["last_name"], dob=date.fromisoformat(caller["dob"]), results=0
    )
    p = services.patient_register(
        shift=shift,
        data={
            "first_name": caller["first_name"], "last_name": caller["last_name"], "dob": date.fromisoformat(caller["dob"]),
            "sex": caller["sex"], "phone": caller["phone"], "address": caller["address"], "payer_key": caller["payer"],
            "member_id": caller["member_id"], "group_number": caller["group_number"], "relationship": "self",
        },
    )  # fmt: skip
    days = {["mon", "tue", "wed", "thu", "fri"].index(d) for d in shift.variant["values"]["days"]}
    book_next(
        shift,
        p,
        provider=shift.variant["values"]["provider"],
        type_key="new-patient",
        after=date(2026, 3, 10),
        weekdays=days,
    )


def solve_s2(shift):
    values = shift.variant["values"]
    p = patient(shift, values["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.identity_verify(shift=shift, patient=p, identifiers=["name", "dob"])
    base = date.fromisoformat(values["visit_date"]) + timedelta(days=12)
    book_next(shift, p, provider=values["provider"], type_key="follow-up", after=base)


def solve_s3(shift):
    values = shift.variant["values"]
    p = patient(shift, values["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.identity_verify(shift=shift, patient=p, identifiers=["name", "dob"])
    old = Appointment.objects.for_shift(shift).get(key="target-appt")
    services.appointment_cancel(
        shift=shift, appointment=old, late=values["expected"] == "cancelled_late", reason="Cannot make it"
    )
    book_next(shift, p, provider="okafor", type_key="follow-up", after=date(2026, 3, 16))


def solve_c1(shift):
    values = shift.variant["values"]
    p = patient(shift, values["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.order_enter(shift=shift, patient=p, text="  " + values["order"].replace(" ", "  ") + "\n")


def solve_c2(shift):
    p = patient(shift, shift.variant["values"]["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.physician_query(shift=shift, patient=p, question="Please clarify the dose and frequency of this order.")


def solve_c6(shift):
    values = shift.variant["values"]
    p = patient(shift, values["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    note = ChartEntry.objects.for_shift(shift).get(key="note")
    services.chart_entry_correct(
        shift=shift, entry=note, text=f"Follow-up moved to {values['right_us']} at 10:00.", reason="Wrong date typed"
    )


def solve_s4(shift):
    p = patient(shift, shift.variant["values"]["target"])
    missed = Appointment.objects.for_shift(shift).get(key="noshow-appt")
    services.appointment_mark(shift=shift, appointment=missed, status="noshow")
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.contact_record(
        shift=shift, patient=p, channel="letter", note="No-show letter sent; asked to call to rebook."
    )


def solve_s6(shift):
    services.call_close(
        shift=shift, item_key="item-1", outcome="transfer", note="Chest pain: told to call 911 now; nurse informed."
    )


def solve_c5(shift):
    p = patient(shift, shift.variant["values"]["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.identity_verify(shift=shift, patient=p, identifiers=["name", "dob"])
    services.document_file(shift=shift, patient=p, item_key="item-1")


def solve_r1(shift):
    form = shift.variant["values"]["p"]
    services.patient_search_record(shift=shift, name=form["last_name"], dob=date.fromisoformat(form["dob"]), results=0)
    services.patient_register(
        shift=shift,
        data={
            "first_name": form["first_name"].upper(), "last_name": form["last_name"], "dob": date.fromisoformat(form["dob"]),
            "sex": form["sex"], "phone": form["phone"].replace("(", "").replace(")", ""), "address": form["address"],
            "payer_key": form["payer"], "member_id": form["member_id"].replace("-", "").replace(" ", ""),
            "group_number": form["group_number"], "relationship": form["relationship"],
        },
    )  # fmt: skip


SOLUTIONS = {
    "r1-register-from-intake": solve_r1,
    "c5-file-lab-report": solve_c5,
    "s6-red-flag-call": solve_s6,
    "s4-no-show": solve_s4,
    "s1-new-patient-booking": solve_s1,
    "s2-follow-up-two-weeks": solve_s2,
    "s3-late-cancel-reschedule": solve_s3,
    "c1-transcribe-order": solve_c1,
    "c2-ambiguous-order": solve_c2,
    "c6-correct-by-appending": solve_c6,
}


def solve_b1(shift):
    from simulations import billing_services

    values = shift.variant["values"]
    p = patient(shift, values["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    visit = Appointment.objects.for_shift(shift).get(key="visit")
    lines = [{"code": ln["code"], "units": ln["units"], "diagnoses": ln["dx"]} for ln in values["lines"]]
    claim = billing_services.charges_capture(shift=shift, appointment=visit, lines=lines)
    remittance = billing_services.claim_submit(shift=shift, claim=claim)
    billing_services.remittance_post(shift=shift, remittance=remittance)


SOLUTIONS["b1-charge-claim-post"] = solve_b1


def call_work_ideal(session):
    """Answer a call session the model way (the first optimal choice at each node, each note node's example
    note) through the same service as the call screen, then finish it. Returns the finished session."""
    from simulations import call_services
    from simulations.calls import ideal_path
    from simulations.calls_registry import call_definition

    definition = call_definition(session.call_id)
    choices, notes = ideal_path(definition, session.variant or None)
    pending = list(choices)
    while True:
        transcript = call_services.call_transcript(session=session, definition=definition)
        if transcript.finished:
            return call_services.call_session_finish(session=session)
        node = definition.nodes[transcript.current_node]
        step = len(transcript.turns) + 1
        if node.note is not None:
            session = call_services.call_session_choose(session=session, step=step, note=notes[node.id])
        else:
            session = call_services.call_session_choose(session=session, step=step, choice_id=pending.pop(0))


# ---- claim follow-up (simulations/claims_services.py) ---------------------------------------------


def _claim_by_key(shift, key: str):
    from simulations.models import Claim

    return Claim.objects.for_shift(shift).filter(appointment__key=f"claim-{key}").order_by("pk").first()


def solve_p4(shift):
    """Every denial in the queue gets the oracle's suggested action (billing.denials), done properly."""
    from simulations import claims_selectors, claims_services
    from simulations.billing.denials import APPEAL_REQUIRES, QueueAction

    for row in claims_selectors.denial_queue(shift=shift):
        if row.work is not None:
            continue
        action, extra = row.rule.best, {}
        if action is QueueAction.APPEAL:
            extra = {
                "documents": sorted(APPEAL_REQUIRES.get(row.carc, set()) | {"visit_note"}),
                "reason": f"{row.rule.code}: the attached documents show the service was authorised and necessary.",
            }
        elif action is QueueAction.WRITE_OFF:
            extra = {"reason": f"{row.rule.code}: {row.rule.rule}"}
        elif action is QueueAction.VERIFY_ELIGIBILITY:
            extra = {
                "note": "Called the payer: coverage ended before the date of service; asked the patient for the new plan."
            }
        claims_services.denial_work_record(
            shift=shift, claim=row.claim, line_id=row.line["line_id"], group=row.group, carc=row.carc,
            action=action.value, **extra,
        )  # fmt: skip


SOLUTIONS["p4-denial-work-queue"] = solve_p4


def solve_b5(shift):
    """Replace the denied claim fixing only the boxes the note names; post the answer; void the other."""
    from simulations import billing_services, claims_services
    from simulations.models import ClaimLine

    values = shift.variant["values"]
    corrected = claims_services.claim_correction_start(shift=shift, claim=_claim_by_key(shift, "orig"))
    data = {
        "member_id": corrected.member_id, "group_number": corrected.group_number,
        "prior_authorization": corrected.prior_authorization, "diagnoses": corrected.diagnoses,
        "lines": {ln.line_id: {"pointers": ln.pointers, "modifiers": ln.modifiers}
                  for ln in ClaimLine.objects.for_shift(shift).filter(claim=corrected)},
        **values["fixed"],
    }  # fmt: skip
    claims_services.claim_correct(shift=shift, claim=corrected, data=data)
    remittance = billing_services.claim_submit(shift=shift, claim=corrected)
    billing_services.remittance_post(shift=shift, remittance=remittance)
    claims_services.claim_void(shift=shift, claim=_claim_by_key(shift, "void"))


SOLUTIONS["b5-corrected-claim"] = solve_b5


def solve_b2(shift):
    """Correct boxes 1a, 11, 21, 23 and 24E from registration and the note, then send the claim."""
    from simulations import billing_services, claims_services
    from simulations.models import ClaimLine

    values = shift.variant["values"]
    claim = _claim_by_key(shift, "visit")
    lines = list(ClaimLine.objects.for_shift(shift).filter(claim=claim).order_by("position"))
    data = {
        "member_id": values["member_id"], "group_number": values["group"], "prior_authorization": values["auth"],
        "diagnoses": values["dx"],
        "lines": {ln.line_id: {"pointers": p, "modifiers": ln.modifiers} for ln, p in zip(lines, values["pointers"], strict=True)},
    }  # fmt: skip
    claims_services.claim_correct(shift=shift, claim=claim, data=data)
    billing_services.claim_submit(shift=shift, claim=claim)


def solve_b4(shift):
    """Mark exactly the seeded defects on each claim of the batch."""
    from simulations import claims_services

    for key, defects in shift.variant["values"]["defects"].items():
        claims_services.defects_mark(shift=shift, claim=_claim_by_key(shift, key), defects=defects)


SOLUTIONS["b2-cms1500-box-by-box"] = solve_b2
SOLUTIONS["b4-scrubber-defects"] = solve_b4
