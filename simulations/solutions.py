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
    shift.refresh_from_db(fields=["actions"])  # the office clock: never offer a time that has passed
    day = after
    for _ in range(30):
        from datetime import datetime

        found = next_open_slot(
            rules=shift.office, provider_key=provider, type_key=type_key, patient_key=p.key,
            after=max(datetime.combine(day, time(0, 0)), shift.now.replace(tzinfo=None)), existing=existing, days=0,
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
            "sex": caller["sex"], "phone": caller["phone"], "address": caller["address"],
        },
        coverages=[{"payer_key": caller["payer"], "member_id": caller["member_id"],
                    "group_number": caller["group_number"], "relationship": "self"}],
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
        },
        coverages=[{"payer_key": form["payer"], "member_id": form["member_id"].replace("-", "").replace(" ", ""),
                    "group_number": form["group_number"], "relationship": form["relationship"],
                    "subscriber_first_name": form["sub_first"], "subscriber_last_name": form["sub_last"],
                    "subscriber_dob": date.fromisoformat(form["sub_dob"]), "subscriber_sex": form["sub_sex"]}],
    )  # fmt: skip


def r2_coverage(card: dict) -> dict:
    """A card from the R2 intake form as the registration screen takes it."""
    fields = ["payer_key", "member_id", "group_number", "relationship", "subscriber_first_name", "subscriber_last_name",
              "subscriber_sex"]  # fmt: skip
    return {
        **{name: card[name] for name in fields},
        "subscriber_dob": date.fromisoformat(card["subscriber_dob"]),
        "effective_from": date.fromisoformat(card["effective_from"]),
    }


def solve_r2(shift):
    """Register the child with the plan the coordination-of-benefits rules make primary first."""
    values = shift.variant["values"]
    child = values["child"]
    services.patient_search_record(
        shift=shift, name=child["last_name"], dob=date.fromisoformat(child["dob"]), results=0
    )
    services.patient_register(
        shift=shift,
        data={"first_name": child["first_name"], "last_name": child["last_name"], "dob": date.fromisoformat(child["dob"]),
              "sex": child["sex"], "phone": child["phone"], "address": child["address"]},
        coverages=[r2_coverage(values["primary"]), r2_coverage(values["secondary"])],
    )  # fmt: skip


SOLUTIONS = {
    "r1-register-from-intake": solve_r1,
    "r2-birthday-rule": solve_r2,
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
    from simulations.calls_registry import session_call_definition

    definition = session_call_definition(session)
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


# ---- privacy: chart access (H1, H2) and incidents (H4) ------------------------------------------------


def solve_h1(shift):
    from simulations import incident_services

    p = patient(shift, shift.variant["values"]["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    services.identity_verify(shift=shift, patient=p, identifiers=["name", "dob"])
    services.document_file(shift=shift, patient=p, item_key="item-1")
    services.call_close(
        shift=shift, item_key="item-2", outcome="information",
        note="Co-worker asked me to look up a patient's appointment; declined: no work reason to open the chart.",
    )  # fmt: skip
    incident_services.privacy_officer_notify(
        shift=shift,
        item_key="item-2",
        note="A co-worker asked me to look up a patient without a work reason. I declined.",
    )


def solve_h2(shift):
    from simulations import break_glass_services

    values = shift.variant["values"]
    d = patient(shift, values["d"])
    break_glass_services.break_glass_request(
        shift=shift, patient=d, reason="emergency_treatment",
        justification=f"{values['caller']} is treating the patient now and needs {values['need']}; "
        "the patient's care team cannot be reached.",
        sections=[s for s in values["allowed"] if s != "demographics"],
    )  # fmt: skip
    services.chart_open(shift=shift, patient=d, reason="break-glass")
    services.call_close(
        shift=shift, item_key="item-1", outcome="information",
        note="Treating physician (hospital main line, number on file) given the allergy and medication list.",
    )  # fmt: skip


INCIDENT_RISKS = {
    # the four factors as the facts of each conclusion support them
    "low_probability": {"nature_and_extent": "low", "recipient_risk": "low", "acquired_or_viewed": "low", "mitigation": "low"},
    "breach": {"nature_and_extent": "high", "recipient_risk": "high", "acquired_or_viewed": "high", "mitigation": "high"},
    "secured": {"nature_and_extent": "high", "recipient_risk": "high", "acquired_or_viewed": "low", "mitigation": "low"},
}  # fmt: skip


def _incident_data(shift, *, discovered: str, individuals: int, residents: int, device: str, recipient: str):
    from simulations.incident_services import IncidentData

    values = shift.variant["values"]
    expected = values["expected"]
    due = values.get("individuals_due")
    return IncidentData(
        what_happened="See the inbox item.", discovered_on=date.fromisoformat(discovered), individuals=individuals,
        residents_of_one_state=residents, device=device, recipient=recipient,
        phi_elements=["name", "dob", "results"], returned_or_destroyed=expected == "low_probability",
        individual_notice_by=date.fromisoformat(due) if due else None, **INCIDENT_RISKS[expected],
    )  # fmt: skip


def solve_h4_fax(shift):
    from simulations import incident_services

    values = shift.variant["values"]
    recipient = "covered_entity" if values["expected"] == "low_probability" else "public"
    incident_services.privacy_officer_notify(
        shift=shift, item_key="item-1", note="Lab report faxed to the wrong number; recipient called this morning."
    )
    data = _incident_data(
        shift, discovered=values["discovered"], individuals=1, residents=1, device="none", recipient=recipient
    )
    incident_services.incident_report_file(shift=shift, item_key="item-1", data=data)


def solve_h4_laptop(shift):
    from simulations import incident_services

    values = shift.variant["values"]
    incident_services.privacy_officer_notify(
        shift=shift,
        item_key="item-1",
        note="Practice laptop lost on the bus Friday; reported to the manager that evening.",
    )
    data = _incident_data(
        shift, discovered="2026-05-15", individuals=values["individuals"], residents=values["residents"],
        device=values["device"], recipient="unknown",
    )  # fmt: skip
    incident_services.incident_report_file(shift=shift, item_key="item-1", data=data)


SOLUTIONS.update(
    {
        "h1-celebrity-chart": solve_h1,
        "h2-break-the-glass": solve_h2,
        "h4-misdirected-fax": solve_h4_fax,
        "h4-lost-laptop": solve_h4_laptop,
    }
)


# ---- records desk (content/scenarios/h*.yaml) --------------------------------------------------------


def records_allowed_sections(shift, request, decision) -> list[str]:
    """The record sections a right answer releases: everything the rules' scope permits."""
    from simulations.grading.records import FULL_RECORD_PART, allowed_content
    from simulations.models import RecordSection
    from simulations.privacy.rules import Content

    allowed = allowed_content(decision, request.ask)
    keys = []
    for section in RecordSection.objects.for_shift(shift).filter(patient=request.patient):
        if section.content == "visit_note":
            asked = section.on_date.isoformat() in request.dates_requested
            content = Content.REQUESTED_DATES.value if asked else FULL_RECORD_PART
        else:
            content = section.content
        if content in allowed:
            keys.append(section.key)
    return keys


DISCLOSURE_BASIS = {
    "45 CFR 164.512(l)": "workers_comp",
    "45 CFR 164.512(b)(1)(vi)": "public_health",
    "45 CFR 164.512(e)(1)(i)": "judicial",
    "45 CFR 164.512(f)(1)(ii)(A)": "law_enforcement",
    "45 CFR 164.510(b)(1)": "directory_or_involved_persons",
    "42 CFR 2.31": "treatment",
}


def solve_records(shift, user=None):
    """Work every request of the desk the right way: the steps the rules require, in order, then the
    decision, the release (only what is permitted), and the disclosure log entry when one is due."""
    from dataclasses import replace

    from simulations import records_services as rs
    from simulations.models import RecordDocument, RecordSection, RecordsRequest
    from simulations.privacy.rules import ORGANISATIONS, Requester, Step, evaluate_request
    from simulations.privacy.scenarios import scenario_case

    for request in RecordsRequest.objects.for_shift(shift).select_related("patient"):
        case = scenario_case(request.case)
        expected = evaluate_request(
            replace(case.request, received=request.received_on), case.patient, case.verification
        )
        steps = set(expected.steps)
        presented = list(RecordDocument.objects.for_shift(shift).filter(request=request))
        organisation = Requester(request.requester) in ORGANISATIONS
        if Step.VERIFY_IDENTITY in steps:
            identifiers = [k for k, v in request.stated.items() if v and k in rs.IDENTIFIER_LABELS]
            if presented or identifiers and not organisation:
                rs.records_identity_verify(
                    shift=shift, request=request, identifiers=[] if organisation else identifiers,
                    document_ids=[d.pk for d in presented],
                )  # fmt: skip
            if organisation and (Step.CALL_BACK_NUMBER_ON_FILE in steps or not presented):
                rs.records_call_back(shift=shift, request=request)
        if Step.VERIFY_AUTHORITY in steps:
            on_file = RecordDocument.objects.for_shift(shift).filter(patient=request.patient).exclude(
                kind__in=[RecordDocument.Kind.AUTHORIZATION, RecordDocument.Kind.IDENTIFICATION,
                          RecordDocument.Kind.LETTER]
            )  # fmt: skip
            ids = [d.pk for d in on_file] or [d.pk for d in presented]
            rs.records_authority_verify(shift=shift, request=request, document_ids=ids, none_found=not ids)
        for step in expected.steps:
            if step in rs.CHECKS:
                rs.records_check(shift=shift, request=request, check=step.value)
        sections = records_allowed_sections(shift, request, expected) if expected.scope else []
        delivery = "mail" if sections or expected.outcome == "accept_access_request" else ""
        fee = None
        if expected.outcome == "accept_access_request":
            fee = rs.access_fee(
                pages=rs.copy_pages(RecordSection.objects.for_shift(shift).filter(patient=request.patient)),
                delivery=delivery,
            )
        rs.records_decide(
            shift=shift, request=request, user=user, decision=expected.outcome.value, section_keys=sections,
            delivery=delivery, due_on=expected.due, fee=fee,
            steps=[s.value for s in expected.steps if s in rs.DECISION_STEPS],
        )  # fmt: skip
        if Step.LOG_DISCLOSURE in steps:
            request.refresh_from_db()
            basis = next((b for c, b in DISCLOSURE_BASIS.items() if c in expected.citations), "authorization")
            rs.disclosure_log(
                shift=shift, request=request, user=user, recipient=request.requester_name,
                purpose=request.purpose.replace("_", " "), description=", ".join(request.released), basis=basis,
            )  # fmt: skip


for _key in (
    "h01-patient-access", "h02-parent-of-minor", "h03-personal-representative", "h04-spouse",
    "h05-relative-authorization", "h06-provider-treatment", "h07-payer-minimum-necessary", "h08-employer-marketer",
    "h09-subpoena-police", "h10-school-workers-comp", "h11-part2-records", "h12-accounting-amendment",
):  # fmt: skip
    SOLUTIONS[_key] = solve_records


# ---- patient accounts (accounts_services) ---------------------------------------------------------


def solve_p1(shift):
    """Post each ERA line as remitted: the payment, the non-PR adjustments written off, the PR amounts
    moved to the patient."""
    from decimal import Decimal

    from simulations import accounts_services
    from simulations.models import Remittance

    remittance = Remittance.objects.for_shift(shift).get(claim__number=shift.variant["values"]["claim"])
    lines = {}
    for claim in remittance.data["claims"]:
        for line in claim["lines"]:
            pr = sum((Decimal(a["amount"]) for a in line["adjustments"] if a["group"] == "PR"), Decimal("0.00"))
            other = sum((Decimal(a["amount"]) for a in line["adjustments"] if a["group"] != "PR"), Decimal("0.00"))
            lines[line["line_id"]] = {"paid": line["paid"], "write_off": str(other), "patient": str(pr)}
    accounts_services.era_worksheet_post(shift=shift, remittance=remittance, lines=lines)


def solve_p3(shift):
    """Check in the four arrivals, take the three copays as paid, then count the deposit as it should be."""
    from simulations import accounts_services

    values = shift.variant["values"]
    for n in (1, 2, 3, 4):
        visit = Appointment.objects.for_shift(shift).select_related("patient").get(key=f"v{n}")
        services.appointment_mark(shift=shift, appointment=visit, status=Appointment.Status.ARRIVED)
        if n < 4:
            pay = values[f"p{n}_pay"]
            accounts_services.copay_collect(
                shift=shift, appointment=visit,
                data={"amount": pay["amount"], "method": pay["method"], "check_number": pay["detail"] if pay["method"] == "check" else "",
                      "card_last4": pay["detail"] if pay["method"] == "card" else ""},
            )  # fmt: skip
    accounts_services.deposit_count_record(
        shift=shift, counts={"cash": values["cash"], "check": values["check"], "card": values["card"]}
    )


def solve_p6(shift):
    """Statements to the two eligible accounts, the credit refunded to its owner, the plan set up."""
    from simulations import accounts_services

    values = shift.variant["values"]
    chosen = [patient(shift, values["stmt"]).pk, patient(shift, values["plan"]).pk]
    accounts_services.statement_run_create(shift=shift, patient_ids=chosen)
    accounts_services.credit_refund(
        shift=shift, patient=patient(shift, values["refund"]), party=values["refund_party"],
        amount=values["refund_amount"], check_number="10021",
    )  # fmt: skip
    accounts_services.payment_plan_create(
        shift=shift, patient=patient(shift, values["plan"]), count=values["plan_count"], first_due=date(2026, 4, 1)
    )


SOLUTIONS["p1-post-era"] = solve_p1
SOLUTIONS["p3-copays-and-day-close"] = solve_p3
SOLUTIONS["p6-statements-refund-plan"] = solve_p6

# ---- calendar: recurring series (S7) and provider blocks (S8) -------------------------------------


def series_confirmable(shift, p: Patient, *, provider: str, type_key: str, first_day: date, start: time, count: int):
    """The series as previewed on the series screen, each conflicting date replaced by its suggestion."""
    from simulations.calendar_selectors import series_preview

    plan = series_preview(
        shift=shift, patient=p, provider_key=provider, type_key=type_key, frequency="weekly", interval=1,
        count=count, first_day=first_day, start=start,
    )  # fmt: skip
    return [(row.day, row.start) if row.ok else row.suggestion for row in plan]


def solve_s7(shift):
    from simulations import calendar_services

    values = shift.variant["values"]
    p = patient(shift, values["target"])
    services.chart_open(shift=shift, patient=p, reason="item-1")
    first, start = date.fromisoformat(values["first"]), time.fromisoformat(values["time"])
    occurrences = series_confirmable(
        shift, p, provider=values["provider"], type_key="allergy-injection", first_day=first, start=start, count=6
    )
    calendar_services.series_book(
        shift=shift, patient=p, provider_key=values["provider"], type_key="allergy-injection", frequency="weekly",
        interval=1, count=6, first_day=first, start=start, occurrences=occurrences,
    )  # fmt: skip


def solve_s8(shift):
    """Move the first three affected patients to the first open slot offered, cancel the fourth; tell each
    by voicemail where they allow it, else by a letter."""
    from simulations import calendar_services
    from simulations.calendar_selectors import appointments_in_block, move_options
    from simulations.models import ProviderBlock

    block = ProviderBlock.objects.for_shift(shift).get(key="block")
    affected = appointments_in_block(shift=shift, block=block)
    practice = shift.office["practice"]
    for number, appt in enumerate(affected):
        channel = "voicemail" if appt.patient.voicemail_ok else "letter"
        notice = calendar_services.default_notice(practice=practice, appointment=appt, channel=channel)
        if number == len(affected) - 1:
            calendar_services.block_appointment_cancel(
                shift=shift, block=block, appointment=appt, channel=channel, notice=notice
            )
            continue
        option = move_options(shift=shift, appointment=appt)[0]
        calendar_services.block_appointment_move(
            shift=shift, block=block, appointment=appt, provider_key=option.provider_key, day=option.day,
            start=option.start, channel=channel, notice=notice,
        )  # fmt: skip


SOLUTIONS["s7-recurring-series"] = solve_s7
SOLUTIONS["s8-provider-block"] = solve_s8


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
