"""Secondary claims (billing.secondary): COB adjudication after the primary, posting, and the 837P COB loops."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import pyx12.params
import pyx12.x12n_document

from simulations.billing.adjudication import adjudicate, remittance_build
from simulations.billing.codes import GroupCode
from simulations.billing.ledger import Charge, Ledger, Party, Payment
from simulations.billing.posting import remittance_post
from simulations.billing.remittance import ClaimStatus
from simulations.billing.secondary import adjudicate_secondary, prior_payer_lines
from simulations.billing.x12 import Envelope, OtherPayer, X12Error, claim_to_837p
from tests.simulations.billing.builders import TODAY, claim, line, plan

D = Decimal
ENVELOPE = Envelope(
    sender_id="1234567893", receiver_id="SIMPAYER2", control_number=42, created_at=datetime(2026, 3, 10, 9, tzinfo=UTC)
)


def _remit(result, trace):
    return remittance_build(
        [result], payer_id="SIMPAYER1", payer_name="SIMULATED HEALTH PLAN", payee_name="PRACTICE",
        payee_npi="1234567893", trace_number=trace, paid_on=TODAY,
    )  # fmt: skip


def _primary_and_ledger():
    c = claim(lines=(line(line_id="1"), line(line_id="2", code="J1100", charge="8.00", units=2)))
    ledger = Ledger(
        Charge(entry_id=ln.line_id, posted_on=ln.service_date, amount=ln.charge, service_date=ln.service_date,
               code=ln.code, claim_id=c.claim_id)
        for ln in c.lines
    )  # fmt: skip
    primary = adjudicate(c, plan(), received_on=TODAY)
    remittance_post(ledger, _remit(primary, "EFT1"))
    return c, primary, ledger


def test_the_secondary_pays_what_the_primary_left_to_the_patient_and_balances():
    c, primary, _ = _primary_and_ledger()
    second = adjudicate_secondary(c, plan(coinsurance_percent=D(0), copays={}), primary=primary,
                                  received_on=TODAY, payer_claim_number="S1")  # fmt: skip
    assert second.status is ClaimStatus.SECONDARY
    assert second.balancing_errors() == []
    for before, after in zip(primary.lines, second.lines, strict=True):
        assert after.paid == before.patient_responsibility  # a generous secondary covers it all
        assert [a for a in after.adjustments if a.group is GroupCode.OA] == [
            a for a in after.adjustments if a.carc == "23"
        ]
        assert after.charge - after.paid == sum(a.amount for a in after.adjustments)


def test_a_secondary_never_pays_more_than_it_would_as_primary():
    c, primary, _ = _primary_and_ledger()
    stingy = plan(
        contracted_fees={"SIM-OV-EST-15": D("30.00"), "J1100": D("0.50")}, copays={}, coinsurance_percent=D(0)
    )
    second = adjudicate_secondary(c, stingy, primary=primary, received_on=TODAY, payer_claim_number="S1")
    first = second.lines[0]
    assert first.paid == D("30.00") < primary.lines[0].patient_responsibility
    assert first.patient_responsibility == primary.lines[0].patient_responsibility - D("30.00")
    assert second.balancing_errors() == []


def test_a_denied_primary_cannot_go_to_a_secondary():
    c = claim(member_id="WRONG")
    primary = adjudicate(c, plan(), received_on=TODAY)
    with pytest.raises(ValueError, match="primary denied"):
        adjudicate_secondary(c, plan(), primary=primary, received_on=TODAY, payer_claim_number="S1")


def test_posting_the_secondary_pays_down_the_patients_share_only():
    c, primary, ledger = _primary_and_ledger()
    owed_before = ledger.patient_balance()
    second = adjudicate_secondary(c, plan(coinsurance_percent=D(0), copays={}), primary=primary,
                                  received_on=TODAY, payer_claim_number="S1")  # fmt: skip
    result = remittance_post(ledger, _remit(second, "EFT2"))
    assert [type(e) for e in result.entries] == [Payment, Payment]
    assert all(e.payer is Party.PATIENT for e in result.entries)
    assert ledger.patient_balance() == owed_before - second.paid == D("0.00")
    assert ledger.insurance_balance() == D("0.00")


def _pyx12_valid(text: str) -> bool:
    return pyx12.x12n_document.x12n_document(
        pyx12.params.params(), io.StringIO(text), None, None, fd_json=io.StringIO()
    )


def test_the_secondary_837p_carries_the_primarys_adjudication_and_passes_pyx12():
    c, primary, _ = _primary_and_ledger()
    other = OtherPayer(payer_name="SIMULATED HEALTH PLAN", payer_id="SIMPAYER1", member_id=c.member_id,
                       group_number="GRP5001", adjudicated_on=TODAY,
                       lines={ln.line_id: (ln.paid, ln.adjustments) for ln in primary.lines})  # fmt: skip
    text = claim_to_837p(c, envelope=ENVELOPE, other_payer=other)
    segments = [s.split("*") for s in text.replace("\n", "").split("~") if s]
    assert segments[[s[0] for s in segments].index("SBR")][:2] == ["SBR", "S"]  # this payer is secondary
    (amt,) = [s for s in segments if s[:2] == ["AMT", "D"]]  # 2320: what the primary paid on the claim
    assert D(amt[2]) == primary.paid
    svd = [s for s in segments if s[0] == "SVD"]
    assert [D(s[2]) for s in svd] == [ln.paid for ln in primary.lines]
    assert any(s[:3] == ["CAS", "CO", "45"] for s in segments)
    assert _pyx12_valid(text)


def test_the_secondary_837p_refuses_a_line_the_primary_never_answered():
    c, primary, _ = _primary_and_ledger()
    first = prior_payer_lines(primary)["1"]
    other = OtherPayer(payer_name="P", payer_id="SIMPAYER1", member_id="M", group_number="G",
                       adjudicated_on=TODAY, lines={"1": (first.paid, first.adjustments)})  # fmt: skip
    with pytest.raises(X12Error, match="no line 2"):
        claim_to_837p(c, envelope=ENVELOPE, other_payer=other)


def test_secondary_dates_are_the_primarys():
    c, primary, _ = _primary_and_ledger()
    second = adjudicate_secondary(c, plan(), primary=primary, received_on=date(2026, 3, 12), payer_claim_number="S9")
    assert second.payer_claim_number == "S9" and [ln.service_date for ln in second.lines] == [
        ln.service_date for ln in primary.lines
    ]
