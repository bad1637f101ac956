"""The grader: each check kind on hand-made end states and logs, the scoring with X-gates, determinism."""

from datetime import UTC, date, datetime, time

import pytest

from simulations.grading import CHECKS, GradingInput, grade, normalise, word_diff
from simulations.office import office_rules


@pytest.fixture(scope="module")
def rules():
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "content/office/practice.yaml").read_text())
    return office_rules({**data, "patients": []})


def person(key, first, last, dob, **extra):
    return {"id": hash(key) % 1000, "key": key, "first_name": first, "last_name": last, "dob": date.fromisoformat(dob),
            "registered_in_shift": False, **extra}  # fmt: skip


def appt(pk, patient, day, start, *, provider="okafor", type_key="follow-up", minutes=15, status="booked", key=""):
    return {"id": pk, "key": key, "patient": patient, "provider": provider, "type": type_key, "date": day,
            "start": start, "minutes": minutes, "status": status, "auth_number": ""}  # fmt: skip


def log(*entries):
    return [{"seq": n, "kind": k, "patient": p, "target": "", "after": a} for n, (k, p, a) in enumerate(entries, 1)]


def make(rules, *, appointments=(), chart=(), entries=(), patients=None):
    patients = patients or {
        "ann": person("ann", "Ann", "Lee", "1980-01-01"),
        "anne": person("anne", "Anne", "Lee", "1980-01-01"),
    }
    return GradingInput(rules=rules, now=datetime(2026, 3, 10, 9, tzinfo=UTC), patients=patients,
                        appointments=list(appointments), chart=list(chart), log=list(entries))  # fmt: skip


# E ------------------------------------------------------------------------------------------------


def test_appointment_booked_accepts_any_valid_slot_and_rejects_rule_breaks(rules):
    ok = make(rules, appointments=[appt(1, "ann", date(2026, 3, 17), time(9, 0))])
    assert CHECKS["appointment_booked"](ok, patient="ann", type="follow-up").passed
    lunch = make(rules, appointments=[appt(1, "ann", date(2026, 3, 17), time(12, 0))])
    assert "lunch" in CHECKS["appointment_booked"](lunch, patient="ann", type="follow-up").detail
    two = make(
        rules, appointments=[appt(1, "ann", date(2026, 3, 17), time(9)), appt(2, "ann", date(2026, 3, 18), time(9))]
    )
    assert not CHECKS["appointment_booked"](two, patient="ann", type="follow-up").passed
    cancelled = make(rules, appointments=[appt(1, "ann", date(2026, 3, 17), time(9), status="cancelled")])
    assert not CHECKS["appointment_booked"](cancelled, patient="ann", type="follow-up").passed
    wrong_day = CHECKS["appointment_booked"](ok, patient="ann", type="follow-up", weekdays=["wed"])
    assert not wrong_day.passed and "Tuesday" in wrong_day.detail
    assert not CHECKS["appointment_booked"](ok, patient="ann", type="follow-up", providers=["lindqvist"]).passed
    assert not CHECKS["appointment_booked"](ok, patient="ann", type="follow-up", on_or_before="2026-03-16").passed
    overlap = make(
        rules, appointments=[appt(1, "ann", date(2026, 3, 17), time(9)), appt(2, "anne", date(2026, 3, 17), time(9))]
    )
    assert "already has a visit" in CHECKS["appointment_booked"](overlap, patient="ann", type="follow-up").detail


def test_appointment_status_and_no_entry_and_correction(rules):
    g = make(
        rules,
        appointments=[appt(1, "ann", date(2026, 3, 11), time(8), status="cancelled_late", key="old")],
        chart=[
            {"id": 5, "key": "note", "patient": "ann", "kind": "note", "text": "moved to 03/17", "corrects": None, "reason": "", "by_trainee": True},
            {"id": 6, "key": "", "patient": "ann", "kind": "correction", "text": "moved to 03/18/2026", "corrects": 5, "reason": "typo", "by_trainee": True},
        ],
    )  # fmt: skip
    assert CHECKS["appointment_status"](g, appointment="old", status="cancelled_late").passed
    assert not CHECKS["appointment_status"](g, appointment="old", status="cancelled").passed
    assert CHECKS["no_entry"](g, patient="ann", kind="order").passed
    assert not CHECKS["no_entry"](g, patient="ann", kind="correction").passed
    assert CHECKS["correction_appended"](g, entry="note", contains_any=["03/18/2026"]).passed
    assert not CHECKS["correction_appended"](g, entry="note", contains_any=["03/19/2026"]).passed


def test_patient_registered_compares_loosely_but_field_by_field(rules):
    patients = {
        "new-1": person("new-1", "Li", "Chen", "1997-03-04", registered_in_shift=True, member_id="ME-4002 1977")
    }
    g = make(rules, patients=patients)
    ok = CHECKS["patient_registered"](
        g, patient={"last_name": "chen", "dob": "1997-03-04"}, fields={"member_id": "me40021977"}
    )
    assert ok.passed
    bad = CHECKS["patient_registered"](
        g, patient={"last_name": "Chen", "dob": "1997-03-04"}, fields={"member_id": "ME4002"}
    )
    assert not bad.passed and "member_id" in bad.detail


def test_order_matches_ignores_whitespace_only(rules):
    order = "Lisinopril 10 mg tablet: take 1 tablet by mouth once daily."
    chart = [{"id": 1, "key": "", "patient": "ann", "kind": "order", "text": "  Lisinopril 10 mg  tablet:\n take 1 tablet by mouth once daily.", "corrects": None, "reason": "", "by_trainee": True}]  # fmt: skip
    assert CHECKS["order_matches"](make(rules, chart=chart), patient="ann", text=order).passed
    chart[0]["text"] = "Lisinopril 10 mg tablet: take 1 tablet by mouth once a day."
    result = CHECKS["order_matches"](make(rules, chart=chart), patient="ann", text=order)
    assert not result.passed and ("removed", "daily.") in result.diff and ("added", "a day.") in result.diff


# P ------------------------------------------------------------------------------------------------


def test_identified_before_needs_name_and_dob_before_the_action(rules):
    before = log(("identity_verified", "ann", {"identifiers": ["dob", "name"]}), ("appointment_booked", "ann", {}))
    after = log(("appointment_booked", "ann", {}), ("identity_verified", "ann", {"identifiers": ["dob", "name"]}))
    weak = log(("identity_verified", "ann", {"identifiers": ["name", "phone"]}), ("appointment_booked", "ann", {}))
    other = log(("identity_verified", "anne", {"identifiers": ["dob", "name"]}), ("appointment_booked", "ann", {}))
    check = CHECKS["identified_before"]
    assert check(make(rules, entries=before), patient="ann", actions=["appointment_booked"]).passed
    for entries in (after, weak, other, []):
        assert not check(make(rules, entries=entries), patient="ann", actions=["appointment_booked"]).passed


def test_charts_opened_only_names_the_snooped_patient(rules):
    g = make(rules, entries=log(("chart_view", "ann", {}), ("chart_view", "anne", {})))
    result = CHECKS["charts_opened_only"](g, patients=["ann"])
    assert not result.passed and "Anne Lee" in result.detail
    assert CHECKS["charts_opened_only"](g, patients=["ann", "anne"]).passed


def test_action_before_and_action_logged(rules):
    g = make(rules, entries=log(("patient_search", "", {}), ("patient_registered", "ann", {})))
    assert CHECKS["action_before"](g, first=["patient_search"], then=["patient_registered"]).passed
    assert not CHECKS["action_before"](g, first=["patient_registered"], then=["patient_search"]).passed
    assert CHECKS["action_logged"](g, patient="ann", kinds=["patient_registered"]).passed
    assert not CHECKS["action_logged"](g, patient="anne", kinds=["patient_registered"]).passed


# C ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("booked", "ok"),
    [(date(2026, 3, 17), True), (date(2026, 3, 13), True), (date(2026, 3, 19), True), (date(2026, 3, 12), False),
     (date(2026, 3, 20), False)],
)  # fmt: skip
def test_two_weeks_plus_minus_two_business_days(rules, booked, ok):
    g = make(rules, appointments=[appt(1, "ann", booked, time(9))])
    assert (
        CHECKS["date_within_business_days"](
            g, patient="ann", type="follow-up", base="2026-03-03", days=14, tolerance=2
        ).passed
        is ok
    )


def test_business_days_skip_the_weekend(rules):
    # DOS Fri 6 Mar + 14 = Fri 20 Mar; +2 business days = Tue 24 Mar.
    g = make(rules, appointments=[appt(1, "ann", date(2026, 3, 24), time(9), provider="okafor")])
    assert CHECKS["date_within_business_days"](
        g, patient="ann", type="follow-up", base="2026-03-06", days=14, tolerance=2
    ).passed


def test_appointment_provider(rules):
    g = make(rules, appointments=[appt(1, "ann", date(2026, 3, 17), time(9))])
    assert CHECKS["appointment_provider"](g, patient="ann", type="follow-up", provider="okafor").passed
    assert not CHECKS["appointment_provider"](g, patient="ann", type="follow-up", provider="lindqvist").passed


# X ------------------------------------------------------------------------------------------------


def test_critical_checks(rules):
    g = make(rules, entries=log(("appointment_booked", "anne", {}), ("chart_entry_edited", "ann", {})))
    assert not CHECKS["no_action_on"](g, patients=["anne"], kinds=["appointment_booked"]).passed
    assert CHECKS["no_action_on"](g, patients=["ann"], kinds=["appointment_booked"]).passed
    assert not CHECKS["nothing_overwritten"](g).passed
    assert CHECKS["nothing_overwritten"](make(rules)).passed
    chart = [{"id": 1, "key": "", "patient": "ann", "kind": "order", "text": "Digoxin 0.125 mg daily", "corrects": None, "reason": "", "by_trainee": True}]  # fmt: skip
    assert not CHECKS["orders_unaltered"](make(rules, chart=chart), patient="ann", text="Digoxin .125 mg QD").passed
    assert CHECKS["orders_unaltered"](make(rules), patient="ann", text="Digoxin .125 mg QD").passed


# scoring ------------------------------------------------------------------------------------------


def spec(check_id, kind, weight, check, **params):
    return {
        "id": check_id,
        "kind": kind,
        "weight": weight,
        "check": check,
        "params": params,
        "pass": "ok",
        "fail": "no",
        "rule": "R",
    }


def test_score_is_weighted_and_an_x_failure_fails_and_caps(rules):
    g = make(rules, entries=log(("chart_view", "anne", {})))
    checks = [
        spec("a", "P", 3, "charts_opened_only", patients=["ann", "anne"]),
        spec("b", "P", 1, "charts_opened_only", patients=["ann"]),
    ]
    result = grade(g, checks, pass_mark=70)
    assert result["score"] == "75.00" and result["passed"]
    assert not grade(g, checks, pass_mark=80)["passed"]
    gated = grade(
        g, [*checks, spec("x", "X", 0, "no_action_on", patients=["anne"], kinds=["chart_view"])], pass_mark=70
    )
    assert gated["score"] == "0.00" and not gated["passed"] and gated["critical_errors"] == ["x"]
    capped = grade(
        g, [*checks, spec("x", "X", 0, "no_action_on", patients=["anne"], kinds=["chart_view"])], pass_mark=70, x_cap=40
    )
    assert capped["score"] == "40.00" and not capped["passed"]


def test_grading_is_deterministic(rules):
    g = make(rules, appointments=[appt(1, "ann", date(2026, 3, 17), time(9))], entries=log(("chart_view", "ann", {})))
    checks = [
        spec("a", "E", 2, "appointment_booked", patient="ann", type="follow-up"),
        spec("b", "P", 1, "charts_opened_only", patients=["ann"]),
    ]
    assert all(grade(g, checks, pass_mark=80) == grade(g, checks, pass_mark=80) for _ in range(5))


def test_normalise_and_word_diff():
    assert normalise("  a \n b\tc ") == "a b c"
    assert word_diff("take 1 tablet daily", "take 2 tablets daily") == [
        ("same", "take"),
        ("removed", "1 tablet"),
        ("added", "2 tablets"),
        ("same", "daily"),
    ]
