"""Every shipped scenario, every variant: the right path scores 100%, the critical error fails."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from simulations import services
from simulations.models import Appointment, ChartEntry, Coverage, Patient, Scenario
from simulations.solutions import SOLUTIONS, patient
from tests.factories import make_simulation, seed_for_variant

SCENARIOS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "content" / "scenarios").glob("*.yaml"))


def test_every_shipped_scenario_has_a_solution_here():
    assert set(SCENARIOS) == set(SOLUTIONS)


def _start(course, trainee, key: str, variant: int):
    page = make_simulation(course, scenario=key, slug=f"{key}-{variant}")
    return services.shift_start(learner=trainee, page=page, seed=seed_for_variant(key, variant))


@pytest.mark.parametrize("key", SCENARIOS)
def test_the_right_path_scores_full_marks_in_every_variant(office_course, trainee, key):
    make_simulation(office_course, scenario=key, slug="probe")  # loads the office
    variants = len(Scenario.objects.get(key=key).parsed.variants)
    assert variants >= 2
    for variant in range(variants):
        shift = _start(office_course, trainee, key, variant)
        SOLUTIONS[key](shift)
        shift = services.shift_submit(shift=shift)
        failed = [(i["id"], i["detail"]) for i in shift.result["items"] if not i["passed"]]
        assert failed == [], (key, variant)
        assert shift.score == 100 and shift.passed


def test_doing_nothing_fails_every_scenario(office_course, trainee):
    for key in SCENARIOS:
        page = make_simulation(office_course, scenario=key, slug=f"idle-{key}")
        shift = services.shift_submit(shift=services.shift_start(learner=trainee, page=page, seed="x"))
        assert not shift.passed, key


def test_booking_the_look_alike_fails_s2_whatever_the_points(office_course, trainee):
    shift = _start(office_course, trainee, "s2-follow-up-two-weeks", 0)
    SOLUTIONS["s2-follow-up-two-weeks"](shift)
    lookalike = patient(shift, shift.variant["values"]["lookalike"])
    from simulations.solutions import book_next

    book_next(shift, lookalike, provider="okafor", type_key="follow-up", after=date(2026, 3, 11))
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["wrong-patient"]
    assert shift.score == 0 and shift.passed is False


def test_rewording_an_order_is_a_critical_error_with_a_word_diff(office_course, trainee):
    shift = _start(office_course, trainee, "c1-transcribe-order", 0)
    order = shift.variant["values"]["order"]
    p = patient(shift, shift.variant["values"]["target"])
    services.order_enter(shift=shift, patient=p, text=order.replace("three times daily", "twice daily"))
    shift = services.shift_submit(shift=shift)
    items = {i["id"]: i for i in shift.result["items"]}
    assert not items["verbatim"]["passed"] and not items["altered"]["passed"]
    assert ["removed", "three times"] in [list(d) for d in items["verbatim"]["diff"]]
    assert ["added", "twice"] in [list(d) for d in items["verbatim"]["diff"]]
    assert not shift.passed


def test_fixing_an_ambiguous_order_fails_but_querying_passes(office_course, trainee):
    shift = _start(office_course, trainee, "c2-ambiguous-order", 0)
    p = patient(shift, shift.variant["values"]["target"])
    services.order_enter(shift=shift, patient=p, text="Digoxin 0.125 mg by mouth daily.")
    shift = services.shift_submit(shift=shift)
    assert "altered" in shift.result["critical_errors"]


def test_overwriting_the_note_fails_c6_even_with_a_correct_date(office_course, trainee):
    shift = _start(office_course, trainee, "c6-correct-by-appending", 0)
    note = ChartEntry.objects.for_shift(shift).get(key="note")
    services.chart_entry_edit(shift=shift, entry=note, text="Follow-up moved to 03/18/2026 at 10:00 with Dr. Okafor.")
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["overwritten"]
    assert not shift.passed


def test_s3_flag_depends_on_the_notice_given(office_course, trainee):
    """Variant 2's appointment is more than 24 h away: flagging it late is wrong."""
    shift = _start(office_course, trainee, "s3-late-cancel-reschedule", 1)
    p = patient(shift, shift.variant["values"]["target"])
    services.identity_verify(shift=shift, patient=p, identifiers=["name", "dob"])
    old = Appointment.objects.for_shift(shift).get(key="target-appt")
    services.appointment_cancel(shift=shift, appointment=old, late=True, reason="sick")
    shift = services.shift_submit(shift=shift)
    assert not {i["id"]: i for i in shift.result["items"]}["old-status"]["passed"]


def test_s1_registration_is_compared_field_by_field(office_course, trainee):
    shift = _start(office_course, trainee, "s1-new-patient-booking", 0)
    SOLUTIONS["s1-new-patient-booking"](shift)
    new = Patient.objects.for_shift(shift).get(registered_in_shift=True)
    Coverage.objects.filter(patient=new, rank=1).update(member_id="WRONG")
    shift = services.shift_submit(shift=shift)
    item = {i["id"]: i for i in shift.result["items"]}["registered"]
    assert not item["passed"] and "member_id" in item["detail"]


def test_s4_voicemail_to_a_patient_who_refused_it_loses_the_channel_points(office_course, trainee):
    shift = _start(office_course, trainee, "s4-no-show", 0)
    p = patient(shift, shift.variant["values"]["target"])
    assert not p.voicemail_ok
    services.appointment_mark(
        shift=shift, appointment=Appointment.objects.for_shift(shift).get(key="noshow-appt"), status="noshow"
    )
    services.contact_record(shift=shift, patient=p, channel="voicemail", note="Please call Maple Grove back.")
    shift = services.shift_submit(shift=shift)
    items = {i["id"]: i for i in shift.result["items"]}
    assert items["contacted"]["passed"] and not items["channel"]["passed"] and items["count"]["passed"]


def test_s6_booking_an_emergency_caller_is_a_critical_error(office_course, trainee):
    from simulations.solutions import book_next

    shift = _start(office_course, trainee, "s6-red-flag-call", 0)
    book_next(shift, patient(shift, shift.variant["values"]["target"]), provider="okafor", type_key="follow-up",
              after=date(2026, 3, 11))  # fmt: skip
    services.call_close(shift=shift, item_key="item-1", outcome="booked", note="Booked for tomorrow.")
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["just-booked"] and shift.score == 0


def test_c5_filing_to_the_look_alike_is_a_critical_error(office_course, trainee):
    shift = _start(office_course, trainee, "c5-file-lab-report", 0)
    wrong = patient(shift, shift.variant["values"]["lookalike"])
    services.identity_verify(shift=shift, patient=wrong, identifiers=["name", "dob"])
    services.document_file(shift=shift, patient=wrong, item_key="item-1")
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["wrong-chart"] and not shift.passed
    assert not {i["id"]: i for i in shift.result["items"]}["filed"]["passed"]


def test_r1_gives_partial_credit_field_by_field(office_course, trainee):
    shift = _start(office_course, trainee, "r1-register-from-intake", 0)
    form = shift.variant["values"]["p"]
    services.patient_search_record(shift=shift, name=form["last_name"], dob=None, results=0)
    services.patient_register(
        shift=shift,
        data={
            "first_name": form["first_name"], "last_name": form["last_name"], "dob": date.fromisoformat(form["dob"]),
            "sex": form["sex"], "phone": form["phone"], "address": form["address"],
        },
        coverages=[{"payer_key": form["payer"], "member_id": "WRONG123", "group_number": form["group_number"],
                    "relationship": "self"}],
    )  # fmt: skip
    shift = services.shift_submit(shift=shift)
    failed = sorted(i["id"] for i in shift.result["items"] if not i["passed"])
    assert failed == ["member-id", "relationship"]
    assert shift.score == Decimal("80.00") and shift.passed  # 8 of 10 points; no critical error in R1
