from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.billing.adjudication import adjudicate, remittance_build
from simulations.billing.claims import Frequency
from simulations.billing.codes import PROCEDURE_CODES, Action, GroupCode, PatientOwes
from simulations.billing.ledger import Adjustment, Charge, Ledger, Party, Payment, TransferToPatient
from simulations.billing.posting import (
    ChargeMismatchError,
    DuplicatePaymentError,
    RemittanceImbalanceError,
    UnmatchedLineError,
    denial_action,
    denial_guidance,
    remittance_post,
)
from simulations.billing.remittance import Cas
from tests.simulations.billing.builders import DOS, TODAY, claim, line, plan

D = Decimal


def _ledger_for(c):
    return Ledger(
        Charge(
            entry_id=ln.line_id,
            posted_on=ln.service_date,
            amount=ln.charge,
            service_date=ln.service_date,
            code=ln.code,
            claim_id=c.claim_id,
        )
        for ln in c.lines
    )


def _remit(*results, trace="EFT0001"):
    return remittance_build(
        list(results),
        payer_id="SIMPAYER1",
        payer_name="SIMULATED HEALTH PLAN",
        payee_name="SIMULATED FAMILY PRACTICE",
        payee_npi="1234567893",
        trace_number=trace,
        paid_on=TODAY,
    )


def test_posting_pays_writes_off_co_and_moves_pr_to_the_patient_as_memo():
    c = claim()
    ledger = _ledger_for(c)
    result = remittance_post(ledger, _remit(adjudicate(c, plan(), received_on=TODAY)))
    kinds = [(type(e).__name__, getattr(e, "group", None), e.amount) for e in result.entries]
    assert kinds == [
        ("Payment", None, D("48.00")),
        ("Adjustment", GroupCode.CO, D("30.00")),
        ("TransferToPatient", GroupCode.PR, D("20.00")),
        ("TransferToPatient", GroupCode.PR, D("12.00")),
    ]
    assert ledger.insurance_balance() == 0
    assert ledger.patient_balance() == D("32.00") == ledger.balance()
    assert ledger.statement_eligible()
    assert result.follow_ups == ()


def test_denial_to_be_worked_stays_open_with_the_insurance_as_a_follow_up():
    c = claim(lines=(line(code="J3301", charge="12.00"),))
    ledger = _ledger_for(c)
    result = remittance_post(ledger, _remit(adjudicate(c, plan(), received_on=TODAY)))
    assert result.entries == ()
    assert [(f.group, f.carc, f.amount, f.action) for f in result.follow_ups] == [
        (GroupCode.CO, "197", D("12.00"), Action.OBTAIN_AUTHORIZATION)
    ]
    assert ledger.insurance_balance() == D("12.00") and ledger.patient_balance() == 0
    assert not ledger.statement_eligible()


def test_timely_filing_denial_is_written_off_never_billed_to_the_patient():
    c = claim()
    ledger = _ledger_for(c)
    remittance_post(ledger, _remit(adjudicate(c, plan(timely_filing_days=1), received_on=TODAY)))
    assert ledger.balance() == 0 and ledger.patient_balance() == 0
    assert [(e.group, e.carc) for e in ledger.entries if isinstance(e, Adjustment)] == [(GroupCode.CO, "29")]


def test_pr_96_non_covered_goes_to_the_patient_and_co_96_is_written_off():
    pr = claim(lines=(line(code="A4565", charge="25.00", modifiers=("GA",)),))
    ledger = _ledger_for(pr)
    remittance_post(ledger, _remit(adjudicate(pr, plan(), received_on=TODAY)))
    assert ledger.patient_balance() == D("25.00")
    co = claim(lines=(line(code="A4565", charge="25.00"),))
    ledger = _ledger_for(co)
    remittance_post(ledger, _remit(adjudicate(co, plan(), received_on=TODAY)))
    assert ledger.balance() == 0 and not any(isinstance(e, TransferToPatient) for e in ledger.entries)


def test_posting_the_same_remittance_twice_is_a_duplicate_payment():
    c = claim()
    ledger = _ledger_for(c)
    remittance = _remit(adjudicate(c, plan(), received_on=TODAY))
    remittance_post(ledger, remittance)
    before = ledger.entries
    with pytest.raises(DuplicatePaymentError, match="already posted"):
        remittance_post(ledger, remittance)
    assert ledger.entries == before


def test_a_second_payment_for_an_already_paid_line_is_refused():
    c = claim()
    ledger = _ledger_for(c)
    remittance_post(ledger, _remit(adjudicate(c, plan(), received_on=TODAY)))
    second = _remit(adjudicate(c, plan(), received_on=TODAY + timedelta(days=1)), trace="EFT0002")
    with pytest.raises(DuplicatePaymentError, match="already paid by the payer"):
        remittance_post(ledger, second)


def test_charge_mismatch_and_unmatched_line_are_refused_and_nothing_is_posted():
    c = claim(lines=(line("1"), line("2", "SIM-IMM-ADMIN", "35.00", pointers=("A",))))
    result = adjudicate(c, plan(supporting_diagnoses={}), received_on=TODAY)
    wrong = Ledger(
        [
            Charge(entry_id="1", posted_on=DOS, amount=D("110.00"), service_date=DOS, code="SIM-OV-EST-15"),
            Charge(entry_id="2", posted_on=DOS, amount=D("30.00"), service_date=DOS, code="SIM-IMM-ADMIN"),
        ]
    )
    with pytest.raises(ChargeMismatchError, match="the remittance says the charge was 35.00, the ledger has 30.00"):
        remittance_post(wrong, _remit(result))
    assert len(wrong.entries) == 2
    partial = Ledger(wrong.entries[:1])
    with pytest.raises(UnmatchedLineError, match="line 2: no matching charge"):
        remittance_post(partial, _remit(result))
    assert len(partial.entries) == 1


def test_line_of_another_claim_is_unmatched():
    c = claim()
    ledger = Ledger(
        [
            Charge(
                entry_id="1",
                posted_on=DOS,
                amount=D("110.00"),
                service_date=DOS,
                code="SIM-OV-EST-15",
                claim_id="OTHER",
            )
        ]
    )
    with pytest.raises(UnmatchedLineError, match="belongs to claim OTHER"):
        remittance_post(ledger, _remit(adjudicate(c, plan(), received_on=TODAY)))


def test_unbalanced_remittance_is_refused():
    result = adjudicate(claim(), plan(), received_on=TODAY)
    bad_line = replace(
        result.lines[0], adjustments=(Cas(GroupCode.CO, "45", D("29.00")), *result.lines[0].adjustments[1:])
    )
    with pytest.raises(RemittanceImbalanceError, match="charge 110.00 - paid 48.00"):
        remittance_post(_ledger_for(claim()), _remit(replace(result, lines=(bad_line,))))


def test_posted_payment_is_the_payers_by_eft_with_the_era_reference():
    ledger = _ledger_for(claim())
    remittance_post(ledger, _remit(adjudicate(claim(), plan(), received_on=TODAY)))
    payment = next(e for e in ledger.entries if isinstance(e, Payment))
    assert payment.payer is Party.INSURANCE and payment.method == "eft"
    assert payment.reference == "EFT0001/260310CLM1001"


@pytest.mark.parametrize(
    ("group", "carc", "action"),
    [
        ("PR", "1", Action.BILL_PATIENT),
        ("PR", "2", Action.BILL_PATIENT),
        ("PR", "3", Action.BILL_PATIENT),
        ("CO", "45", Action.CONTRACTUAL_WRITE_OFF),
        ("CO", "97", Action.WRITE_OFF),
        ("CO", "16", Action.CORRECT_AND_RESUBMIT),
        ("CO", "18", Action.VERIFY_DUPLICATE),
        ("OA", "18", Action.VERIFY_DUPLICATE),
        ("CO", "22", Action.UPDATE_COB_BILL_PRIMARY),
        ("CO", "27", Action.VERIFY_ELIGIBILITY),
        ("CO", "29", Action.WRITE_OFF),
        ("CO", "50", Action.APPEAL),
        ("CO", "109", Action.SEND_TO_CORRECT_PAYER),
        ("CO", "197", Action.OBTAIN_AUTHORIZATION),
        ("CO", "15", Action.OBTAIN_AUTHORIZATION),
        ("CO", "11", Action.CORRECT_AND_RESUBMIT),
        ("CO", "4", Action.CORRECT_AND_RESUBMIT),
        ("PR", "96", Action.BILL_PATIENT),
        ("CO", "96", Action.WRITE_OFF),
    ],
)
def test_denial_action_follows_the_oracle(group, carc, action):
    assert denial_action(group, carc) is action


def test_denial_guidance_says_whether_the_patient_owes():
    assert denial_guidance("CO", "45")[1] is PatientOwes.NO
    assert denial_guidance(GroupCode.PR, "2")[1] is PatientOwes.YES


@pytest.mark.parametrize(("group", "carc"), [("PR", "45"), ("XX", "45"), ("CO", "1")])
def test_denial_action_refuses_combinations_that_do_not_exist(group, carc):
    with pytest.raises(ValueError, match="not a combination"):
        denial_action(group, carc)


_CODES = sorted(code for code, p in PROCEDURE_CODES.items() if not p.sex)


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.tuples(st.sampled_from(_CODES), st.sampled_from([(), ("GA",), ("RT",)])), min_size=1, max_size=5),
    deductible=st.decimals(min_value=0, max_value=300, places=2),
    filing_days=st.sampled_from([1, 90]),
    auth=st.booleans(),
)
def test_posting_any_adjudicated_claim_bills_the_patient_exactly_the_pr_amounts(picks, deductible, filing_days, auth):
    lines = tuple(
        line(f"L{i}", code, str(PROCEDURE_CODES[code].fee), modifiers=mods, pointers=("A", "B"))
        for i, (code, mods) in enumerate(picks)
    )
    c = claim(diagnoses=("Z23", "J20.9"), lines=lines, prior_authorization="AUTH1" if auth else "")
    result = adjudicate(c, plan(deductible_remaining=deductible, timely_filing_days=filing_days), received_on=TODAY)
    ledger = _ledger_for(c)
    posted = remittance_post(ledger, _remit(result))
    assert ledger.patient_balance() == result.patient_responsibility
    assert all(e.group is GroupCode.PR for e in ledger.entries if isinstance(e, TransferToPatient))
    open_denials = sum((f.amount for f in posted.follow_ups), D("0.00"))
    assert ledger.insurance_balance() == open_denials
    written_off = sum((e.amount for e in posted.entries if isinstance(e, Adjustment)), D("0.00"))
    assert ledger.balance() == c.total_charge - result.paid - written_off


def test_denied_claim_corrected_and_replaced_then_posts_against_the_same_charges():
    missing_member = claim(member_id="")
    ledger = _ledger_for(missing_member)
    denied = adjudicate(missing_member, plan(), received_on=TODAY)
    first = remittance_post(ledger, _remit(denied))
    assert [(f.carc, f.action) for f in first.follow_ups] == [("16", Action.CORRECT_AND_RESUBMIT)]
    corrected = claim(frequency=Frequency.REPLACEMENT, original_claim_ref=denied.payer_claim_number)
    paid = adjudicate(corrected, plan(), received_on=TODAY + timedelta(days=5), history=[denied])
    remittance_post(ledger, _remit(paid, trace="EFT0002"))
    assert ledger.insurance_balance() == 0 and ledger.patient_balance() == D("32.00")
