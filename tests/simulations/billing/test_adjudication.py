from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.billing.adjudication import adjudicate, deductible_applied, remittance_build
from simulations.billing.claims import Frequency
from simulations.billing.codes import PROCEDURE_CODES, GroupCode, ServiceKind
from simulations.billing.remittance import Cas, ClaimStatus
from tests.simulations.billing.builders import DOS, TODAY, claim, line, plan

D = Decimal


def _cas(result):
    return [(a.group.value, a.carc, a.amount) for ln in result.lines for a in ln.adjustments]


def _adjudicate(c=None, p=None, **kwargs):
    result = adjudicate(c or claim(), p or plan(), received_on=kwargs.pop("received_on", TODAY), **kwargs)
    assert result.balancing_errors() == []
    return result


def test_office_visit_contractual_copay_and_coinsurance():
    # charge 110, contracted 80: CO-45 30; copay 20; coinsurance 20% of 60 = 12; paid 48.
    result = _adjudicate()
    assert _cas(result) == [("CO", "45", D("30.00")), ("PR", "3", D("20.00")), ("PR", "2", D("12.00"))]
    only = result.lines[0]
    assert (only.allowed, only.paid, only.patient_responsibility) == (D("80.00"), D("48.00"), D("32.00"))
    assert result.status is ClaimStatus.PRIMARY
    assert result.payer_claim_number == "260310CLM1001"


def test_deductible_runs_across_lines_before_coinsurance():
    c = claim(diagnoses=("Z23", "J20.9"), lines=(line("1", pointers=("B",)), line("2", "SIM-IMM-ADMIN", "35.00")))
    result = _adjudicate(c, plan(deductible_remaining=D("70.00")))
    assert _cas(result) == [
        ("CO", "45", D("30.00")),
        ("PR", "3", D("20.00")),
        ("PR", "1", D("60.00")),
        ("CO", "45", D("10.00")),
        ("PR", "1", D("10.00")),
        ("PR", "2", D("3.00")),
    ]
    assert deductible_applied(result) == D("70.00")
    assert plan(deductible_remaining=D("70.00")).after_deductible(deductible_applied(result)).deductible_remaining == 0


def test_copay_is_taken_once_per_claim_per_service_kind():
    c = claim(lines=(line("1"), line("2", "SIM-OV-EST-25", "150.00")))
    assert [a.carc for a in _adjudicate(c).lines[1].adjustments].count("3") == 0


def test_coinsurance_rounds_half_up_to_the_cent():
    c = claim(lines=(line(code="J1100", charge="4.00", units=1),))
    p = plan(contracted_fees={"J1100": D("0.55")}, coinsurance_percent=D("15"))
    # 0.55 * 15% = 0.0825 -> 0.08
    assert _cas(_adjudicate(c, p))[-1] == ("PR", "2", D("0.08"))


def test_preventive_service_has_no_cost_sharing():
    c = claim(diagnoses=("Z00.00",), lines=(line(code="G0439", charge="150.00"),))
    result = _adjudicate(c, plan(deductible_remaining=D("500.00"), copays={ServiceKind.PREVENTIVE: D("20.00")}))
    assert _cas(result) == [("CO", "45", D("35.00"))]
    assert result.lines[0].paid == D("115.00")


@pytest.mark.parametrize(
    ("claim_overrides", "plan_overrides", "expected"),
    [
        ({"member_id": ""}, {}, ("CO", "16")),
        ({"diagnoses": ("J20",)}, {}, ("CO", "16")),
        ({"lines": (line(code="NOT-A-CODE"),)}, {}, ("CO", "16")),
        ({}, {"cob_order": 2}, ("CO", "22")),
        ({}, {"effective_from": DOS + timedelta(days=1)}, ("CO", "26")),
        ({}, {"effective_to": DOS - timedelta(days=1)}, ("CO", "27")),
        ({}, {"timely_filing_days": 7}, ("CO", "29")),
        ({"lines": (line(code="J3301", charge="12.00"),)}, {}, ("CO", "197")),
        ({"lines": (line(code="A4565", charge="25.00"),)}, {}, ("CO", "96")),
        ({"lines": (line(code="A4565", charge="25.00", modifiers=("GA",)),)}, {}, ("PR", "96")),
        ({"lines": (line(modifiers=("59",)),)}, {}, ("CO", "4")),
        ({"lines": (line(code="SIM-IMM-ADMIN", charge="35.00"),)}, {}, ("CO", "11")),
    ],
)
def test_denials_adjust_the_whole_charge_with_the_rule_that_applies(claim_overrides, plan_overrides, expected):
    result = _adjudicate(claim(**claim_overrides), plan(**plan_overrides))
    ln = result.lines[0]
    assert _cas(result) == [(*expected, ln.charge)]
    assert ln.paid == 0
    assert ln.allowed == (ln.charge if expected[0] == "PR" else 0)
    assert result.status is (ClaimStatus.DENIED if expected[0] == "CO" else ClaimStatus.PRIMARY)


def test_prior_authorization_on_the_claim_gets_the_line_paid():
    result = _adjudicate(claim(lines=(line(code="J3301", charge="12.00"),), prior_authorization="AUTH1"))
    assert result.lines[0].paid > 0


def test_duplicate_of_an_earlier_result_is_co_18_but_a_replacement_is_not():
    first = _adjudicate()
    again = _adjudicate(claim(claim_id="CLM1002"), history=[first])
    assert _cas(again) == [("CO", "18", D("110.00"))]
    resent = _adjudicate(claim(), history=[first])  # same claim sent again as an original
    assert _cas(resent) == [("CO", "18", D("110.00"))]
    replacement = claim(frequency=Frequency.REPLACEMENT, original_claim_ref=first.payer_claim_number)
    assert _adjudicate(replacement, history=[first]).lines[0].paid == D("48.00")


def test_frequency_limit_reached_is_co_119():
    wellness = claim(diagnoses=("Z00.00",), lines=(line(code="G0439", charge="150.00"),))
    first = _adjudicate(wellness)
    later = claim(
        claim_id="CLM2",
        diagnoses=("Z00.00",),
        lines=(line(code="G0439", charge="150.00", service_date=DOS + timedelta(days=3)),),
    )
    assert _cas(_adjudicate(later, history=[first])) == [("CO", "119", D("150.00"))]
    next_year = replace(later, lines=(line(code="G0439", charge="150.00", service_date=DOS + timedelta(days=365)),))
    assert _adjudicate(next_year, received_on=DOS + timedelta(days=366), history=[first]).lines[0].paid > 0


def test_void_claims_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="reverses the original"):
        adjudicate(claim(frequency=Frequency.VOID, original_claim_ref="X"), plan(), received_on=TODAY)


def test_adjudication_is_deterministic():
    assert _adjudicate() == _adjudicate()


def test_remittance_bundles_claims_and_picks_the_payment_method():
    paid = _adjudicate()
    denied = _adjudicate(claim(claim_id="CLM9", member_id=""))
    kwargs = {
        "payer_id": "SIMPAYER1",
        "payer_name": "P",
        "payee_name": "Q",
        "payee_npi": "1234567893",
        "trace_number": "T1",
        "paid_on": TODAY,
    }
    remittance = remittance_build([paid, denied], **kwargs)
    assert remittance.total_paid == D("48.00") and remittance.method == "ACH"
    assert remittance_build([denied], **kwargs).method == "NON"
    assert remittance.balancing_errors() == []


def test_balancing_errors_are_reported_for_an_unbalanced_line():
    bad = replace(_adjudicate().lines[0], paid=D("50.00"))
    errors = bad.balancing_errors()
    assert len(errors) == 2 and "charge 110.00 - paid 50.00" in errors[0]
    assert replace(bad, adjustments=(*bad.adjustments, Cas(GroupCode.OA, "45", D("0.00")))).balancing_errors()


_payable = sorted(code for code, p in PROCEDURE_CODES.items() if p.kind is not ServiceKind.SUPPLY and not p.sex)


@settings(max_examples=150, deadline=None)
@given(
    codes=st.lists(st.sampled_from(_payable), min_size=1, max_size=6),
    units=st.integers(1, 5),
    deductible=st.decimals(min_value=0, max_value=1000, places=2),
    coinsurance=st.decimals(min_value=0, max_value=100, places=1),
    copay=st.decimals(min_value=0, max_value=60, places=2),
    contracted_factor=st.decimals(min_value=D("0.1"), max_value=D("1.5"), places=2),
)
def test_every_adjudicated_line_balances(codes, units, deductible, coinsurance, copay, contracted_factor):
    lines = tuple(
        line(str(i), code, str(PROCEDURE_CODES[code].fee * units), units=units, pointers=("A", "B"))
        for i, code in enumerate(codes, 1)
    )
    p = plan(
        covered_codes=frozenset(_payable),
        auth_required_codes=frozenset(),
        frequency_limits={},
        contracted_fees={c: (PROCEDURE_CODES[c].fee * contracted_factor).quantize(D("0.01")) for c in _payable},
        deductible_remaining=deductible,
        coinsurance_percent=coinsurance,
        copays=dict.fromkeys(ServiceKind, copay),
    )
    result = adjudicate(claim(diagnoses=("J20.9", "Z23"), lines=lines), p, received_on=TODAY)
    assert result.balancing_errors() == []
    for ln in result.lines:
        assert ln.paid >= 0 and all(a.amount > 0 for a in ln.adjustments)
        assert ln.charge - ln.paid == sum(a.amount for a in ln.adjustments)
        assert ln.allowed == ln.paid + ln.patient_responsibility
    assert deductible_applied(result) <= deductible


def test_at_least_ten_distinct_adjustment_reasons_are_produced():
    first = _adjudicate()
    scenarios = [
        _adjudicate(),
        _adjudicate(p=plan(deductible_remaining=D("10.00"))),
        _adjudicate(claim(member_id="")),
        _adjudicate(p=plan(cob_order=2)),
        _adjudicate(p=plan(effective_to=DOS - timedelta(days=1))),
        _adjudicate(p=plan(timely_filing_days=1)),
        _adjudicate(claim(lines=(line(code="J3301", charge="12.00"),))),
        _adjudicate(claim(claim_id="CLM2"), history=[first]),
        _adjudicate(claim(lines=(line(code="A4565", charge="25.00", modifiers=("GY",)),))),
        _adjudicate(claim(lines=(line(code="SIM-IMM-ADMIN", charge="35.00"),))),
        _adjudicate(claim(lines=(line(modifiers=("25",)),))),
    ]
    reasons = {(a.group, a.carc) for result in scenarios for ln in result.lines for a in ln.adjustments}
    assert {carc for _, carc in reasons} >= {"45", "1", "2", "3", "16", "22", "27", "29", "197", "18", "96", "11", "4"}
    assert (GroupCode.PR, "96") in reasons
