"""The denial work queue's oracle (billing.denials), case by case against PRACTICE_OFFICE.md's table."""

from datetime import date

import pytest

from simulations.billing.codes import CARCS, GroupCode, PatientOwes
from simulations.billing.denials import (
    APPEAL_DOCUMENTS,
    APPEAL_REQUIRES,
    QueueAction,
    action_is_right,
    appeal_days,
    appeal_deadline,
    denial_rule,
    filing_deadline,
    is_denial,
)

A = QueueAction


@pytest.mark.parametrize(
    ("code", "best", "also", "owes"),
    [
        ("PR-1", A.BILL_PATIENT, set(), PatientOwes.YES),
        ("PR-2", A.BILL_PATIENT, set(), PatientOwes.YES),
        ("PR-3", A.BILL_PATIENT, set(), PatientOwes.YES),
        ("CO-45", A.WRITE_OFF, set(), PatientOwes.NO),
        ("CO-97", A.WRITE_OFF, {A.CORRECT_RESUBMIT}, PatientOwes.NO),
        ("CO-16", A.CORRECT_RESUBMIT, set(), PatientOwes.NO),
        ("OA-16", A.CORRECT_RESUBMIT, set(), PatientOwes.NO),
        ("CO-18", A.WRITE_OFF, set(), PatientOwes.NO),
        ("OA-18", A.WRITE_OFF, set(), PatientOwes.NO),
        ("CO-22", A.BILL_SECONDARY, set(), PatientOwes.NO),
        ("CO-27", A.VERIFY_ELIGIBILITY, {A.BILL_SECONDARY}, PatientOwes.MAYBE),
        ("CO-29", A.WRITE_OFF, set(), PatientOwes.NO),
        ("CO-50", A.APPEAL, set(), PatientOwes.NO),
        ("CO-109", A.BILL_SECONDARY, set(), PatientOwes.NO),
        ("CO-197", A.APPEAL, set(), PatientOwes.NO),
        ("CO-15", A.APPEAL, set(), PatientOwes.NO),
        ("CO-11", A.CORRECT_RESUBMIT, set(), PatientOwes.NO),
        ("CO-4", A.CORRECT_RESUBMIT, set(), PatientOwes.NO),
        ("PR-96", A.BILL_PATIENT, set(), PatientOwes.YES),
        ("CO-96", A.WRITE_OFF, set(), PatientOwes.NO),
    ],
)
def test_each_reason_code_has_the_oracles_action(code, best, also, owes):
    group, carc = code.split("-")
    rule = denial_rule(group, carc)
    assert rule.best is best
    assert rule.actions == {best} | also
    assert rule.patient_owes is owes
    assert rule.code == code and rule.rule and rule.description
    for action in QueueAction:
        assert action_is_right(group, carc, action) is (action in rule.actions)


def test_a_co_amount_is_never_billed_to_the_patient_by_the_oracle():
    for carc, definition in CARCS.items():
        for group in definition.groups:
            if group is not GroupCode.PR:
                assert QueueAction.BILL_PATIENT not in denial_rule(group, carc).actions, f"{group}-{carc}"


def test_an_unused_group_reason_pair_is_refused():
    with pytest.raises(ValueError, match="PR-45"):
        denial_rule("PR", "45")
    with pytest.raises(ValueError, match="XX-1"):
        denial_rule("XX", "1")
    with pytest.raises(ValueError):
        denial_rule("CO", "99999")


def test_normal_pricing_and_the_prior_payers_impact_are_not_denials():
    assert not is_denial("CO", "45")
    assert not is_denial("PR", "2")
    assert not is_denial("OA", "23")
    assert is_denial("CO", "197") and is_denial("PR", "96")


def test_appeal_deadline_is_the_remittance_date_plus_the_payers_window():
    remitted = date(2026, 2, 20)
    assert appeal_deadline(remitted_on=remitted, payer={"kind": "commercial"}) == date(2026, 8, 19)
    assert appeal_deadline(remitted_on=remitted, payer={"kind": "medicaid"}) == date(2026, 5, 21)
    assert appeal_days({"kind": "medicare-advantage"}) == 60
    assert appeal_days({"kind": "commercial", "plan": {"appeal_days": 30}}) == 30
    assert appeal_days({}) == 180


def test_filing_deadline_counts_from_the_date_of_service():
    assert filing_deadline(service_date=date(2026, 1, 12), timely_filing_days=90) == date(2026, 4, 12)


def test_every_required_appeal_document_is_on_the_form():
    for documents in APPEAL_REQUIRES.values():
        assert documents <= set(APPEAL_DOCUMENTS)
