from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.billing.codes import GroupCode
from simulations.billing.ledger import (
    Adjustment,
    AgingBuckets,
    Charge,
    CoToPatientError,
    Ledger,
    LedgerError,
    Party,
    Payment,
    PaymentMethod,
    Refund,
    TransferToPatient,
)
from simulations.billing.money import MoneyError, money

DOS = date(2026, 3, 2)


def _charge(entry_id="c1", amount="150.00", *, service_date=DOS, responsibility=Party.INSURANCE):
    return Charge(
        entry_id=entry_id,
        posted_on=service_date,
        amount=Decimal(amount),
        service_date=service_date,
        code="SIM-OV-EST-15",
        responsibility=responsibility,
    )


def test_posted_era_line_balances_and_moves_only_pr_to_the_patient():
    ledger = Ledger([_charge()])
    ledger.post(
        Payment(
            entry_id="p1",
            posted_on=DOS,
            amount=Decimal("68.00"),
            payer=Party.INSURANCE,
            method=PaymentMethod.EFT,
            charge_id="c1",
        )
    )
    ledger.post(
        Adjustment(entry_id="a1", posted_on=DOS, amount=Decimal("62.00"), group=GroupCode.CO, carc="45", charge_id="c1")
    )
    ledger.post(
        TransferToPatient(
            entry_id="t1", posted_on=DOS, amount=Decimal("20.00"), group=GroupCode.PR, carc="3", charge_id="c1"
        )
    )
    assert ledger.balance() == Decimal("20.00")
    assert ledger.insurance_balance() == Decimal("0.00")
    assert ledger.patient_balance() == Decimal("20.00")
    assert ledger.statement_eligible()


def test_co_amount_can_never_become_patient_responsibility():
    with pytest.raises(CoToPatientError, match="CO-45 cannot become patient responsibility"):
        TransferToPatient(entry_id="t", posted_on=DOS, amount=Decimal("5.00"), group=GroupCode.CO, carc="45")
    with pytest.raises(CoToPatientError):
        TransferToPatient(entry_id="t", posted_on=DOS, amount=Decimal("5.00"), group="OA", carc="18")


def test_pr_amount_is_a_transfer_not_a_write_off():
    with pytest.raises(LedgerError, match="record a TransferToPatient"):
        Adjustment(entry_id="a", posted_on=DOS, amount=Decimal("5.00"), group=GroupCode.PR, carc="1")


@pytest.mark.parametrize("amount", [Decimal("-1.00"), "-0.01"])
def test_negative_amounts_are_refused_with_a_clear_error(amount):
    with pytest.raises(MoneyError, match="cannot be negative"):
        _charge(amount=amount)


@pytest.mark.parametrize(
    ("amount", "message"),
    [(1.5, "never float"), ("1.005", "fractions of a cent"), ("0", "greater than zero"), ("abc", "not an amount")],
)
def test_amounts_must_be_decimal_with_two_places(amount, message):
    with pytest.raises(MoneyError, match=message):
        Payment(entry_id="p", posted_on=DOS, amount=amount, payer=Party.PATIENT, method=PaymentMethod.CASH)


def test_amounts_are_normalised_to_two_places():
    assert _charge(amount="150").amount == Decimal("150.00")
    assert str(money(7)) == "7.00"


def test_write_off_beyond_what_the_insurance_owes_is_refused():
    ledger = Ledger([_charge(amount="100.00")])
    with pytest.raises(LedgerError, match="owes only 100.00"):
        ledger.post(
            Adjustment(
                entry_id="a", posted_on=DOS, amount=Decimal("100.01"), group=GroupCode.CO, carc="45", charge_id="c1"
            )
        )


def test_entry_ids_are_unique_and_charge_references_must_exist():
    ledger = Ledger([_charge()])
    with pytest.raises(LedgerError, match="already on the ledger"):
        ledger.post(_charge())
    with pytest.raises(LedgerError, match="no charge 'zz'"):
        ledger.post(
            Payment(
                entry_id="p",
                posted_on=DOS,
                amount=Decimal("1.00"),
                payer=Party.INSURANCE,
                method=PaymentMethod.EFT,
                charge_id="zz",
            )
        )


def test_overpayment_creates_a_credit_that_only_the_right_party_can_get_back():
    ledger = Ledger([_charge(amount="20.00", responsibility=Party.PATIENT)])
    ledger.post(
        Payment(entry_id="p", posted_on=DOS, amount=Decimal("50.00"), payer=Party.PATIENT, method=PaymentMethod.CARD)
    )
    assert ledger.credit_balance() == {Party.PATIENT: Decimal("30.00")}
    assert not ledger.statement_eligible()
    with pytest.raises(LedgerError, match="refund 30.00 to the insurance"):
        ledger.post(
            Refund(
                entry_id="r0", posted_on=DOS, amount=Decimal("30.00"), to=Party.INSURANCE, method=PaymentMethod.CHECK
            )
        )
    with pytest.raises(LedgerError, match="credit is only 30.00"):
        ledger.post(
            Refund(entry_id="r1", posted_on=DOS, amount=Decimal("30.01"), to=Party.PATIENT, method=PaymentMethod.CARD)
        )
    ledger.post(
        Refund(entry_id="r2", posted_on=DOS, amount=Decimal("30.00"), to=Party.PATIENT, method=PaymentMethod.CARD)
    )
    assert ledger.balance() == Decimal("0.00") and ledger.credit_balance() == {}


def test_no_statement_while_insurance_is_pending():
    ledger = Ledger([_charge(), _charge("c2", "40.00", responsibility=Party.PATIENT)])
    assert ledger.patient_balance() == Decimal("40.00")
    assert ledger.has_pending_insurance()
    assert not ledger.statement_eligible()


def test_aging_buckets_by_date_of_service_with_payments_applied_oldest_first():
    as_of = date(2026, 6, 30)
    ledger = Ledger(
        [
            _charge("old", "100.00", service_date=as_of - timedelta(days=120), responsibility=Party.PATIENT),
            _charge("d90", "10.00", service_date=as_of - timedelta(days=90), responsibility=Party.PATIENT),
            _charge("d61", "20.00", service_date=as_of - timedelta(days=61), responsibility=Party.PATIENT),
            _charge("d31", "30.00", service_date=as_of - timedelta(days=31), responsibility=Party.PATIENT),
            _charge("d30", "40.00", service_date=as_of - timedelta(days=30), responsibility=Party.PATIENT),
        ]
    )
    ledger.post(
        Payment(entry_id="p", posted_on=as_of, amount=Decimal("60.00"), payer=Party.PATIENT, method=PaymentMethod.CASH)
    )
    aging = ledger.aging(as_of)
    assert aging == AgingBuckets(Decimal("40.00"), Decimal("30.00"), Decimal("30.00"), Decimal("40.00"))
    assert aging.total == ledger.patient_balance()


def test_pr_transfer_ages_from_the_charge_date_of_service():
    ledger = Ledger([_charge(service_date=date(2026, 1, 1))])
    ledger.post(
        TransferToPatient(
            entry_id="t",
            posted_on=date(2026, 3, 1),
            amount=Decimal("20.00"),
            group=GroupCode.PR,
            carc="1",
            charge_id="c1",
        )
    )
    assert ledger.aging(date(2026, 3, 5)).days_61_90 == Decimal("20.00")
    assert ledger.aging(date(2026, 3, 5), party=Party.INSURANCE).days_61_90 == Decimal("130.00")


# ------------------------------------------------------------------ properties

_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("charge"), st.sampled_from(list(Party)), _amounts, st.integers(0, 200)),
        st.tuples(st.just("payment"), st.sampled_from(list(Party)), _amounts, st.integers(0, 200)),
        st.tuples(st.just("adjust"), st.sampled_from(["CO", "OA", "PI", "PR"]), _amounts, st.integers(0, 200)),
        st.tuples(st.just("transfer"), st.sampled_from(["CO", "OA", "PI", "PR"]), _amounts, st.integers(0, 200)),
        st.tuples(st.just("refund"), st.sampled_from(list(Party)), _amounts, st.integers(0, 200)),
    ),
    max_size=40,
)


def _entry(index: int, op: tuple):
    kind, who, amount, day = op
    posted = DOS + timedelta(days=day)
    entry_id = f"e{index}"
    if kind == "charge":
        return Charge(
            entry_id=entry_id,
            posted_on=posted,
            amount=amount,
            service_date=posted,
            code="SIM-OV-EST-15",
            responsibility=who,
        )
    if kind == "payment":
        return Payment(entry_id=entry_id, posted_on=posted, amount=amount, payer=who, method=PaymentMethod.CHECK)
    if kind == "adjust":
        return Adjustment(
            entry_id=entry_id, posted_on=posted, amount=amount, group=who, carc="45" if who != "PR" else "2"
        )
    if kind == "transfer":
        return TransferToPatient(
            entry_id=entry_id, posted_on=posted, amount=amount, group=who, carc="2" if who == "PR" else "45"
        )
    return Refund(entry_id=entry_id, posted_on=posted, amount=amount, to=who, method=PaymentMethod.CHECK)


@settings(max_examples=300, deadline=None)
@given(_ops)
def test_any_sequence_keeps_balance_equal_to_sum_of_entries_and_never_bills_co_to_the_patient(ops):
    ledger = Ledger()
    expected_total = Decimal("0.00")
    expected_patient = Decimal("0.00")
    for index, op in enumerate(ops):
        kind, who, amount, _ = op
        before = ledger.entries
        try:
            ledger.post(_entry(index, op))
        except CoToPatientError:
            assert kind == "transfer" and who != "PR"
            assert ledger.entries == before
            continue
        except (LedgerError, MoneyError):
            assert ledger.entries == before  # a refused entry leaves no trace
            continue
        # Independent model of the account, written from the rules, not from the ledger code.
        sign = {"charge": 1, "payment": -1, "adjust": -1, "transfer": 0, "refund": 1}[kind]
        expected_total += sign * amount
        if kind == "charge" and who is Party.PATIENT or kind == "refund" and who is Party.PATIENT:
            expected_patient += amount
        elif kind == "payment" and who is Party.PATIENT:
            expected_patient -= amount
        elif kind == "transfer":
            assert who == "PR", "a non-PR amount reached the patient"
            expected_patient += amount
        assert kind != "adjust" or who != "PR"
    assert ledger.balance() == expected_total
    assert ledger.balance() == sum((e.signed_amount for e in ledger.entries), Decimal("0.00"))
    assert ledger.patient_balance() == expected_patient
    assert ledger.insurance_balance() + ledger.patient_balance() == ledger.balance()
    assert all(e.group is GroupCode.PR for e in ledger.entries if isinstance(e, TransferToPatient))
    assert all(e.amount.as_tuple().exponent == -2 for e in ledger.entries)
    for party in Party:
        aging = ledger.aging(DOS + timedelta(days=400), party=party)
        own = ledger.patient_balance() if party is Party.PATIENT else ledger.insurance_balance()
        assert aging.total == max(own, Decimal("0.00"))


# ------------------------------------------------------------------ patient accounts: copays, refunds, plans

_desk_ops = st.lists(
    st.one_of(
        st.tuples(st.just("charge"), st.sampled_from(list(Party)), _amounts),
        st.tuples(st.just("copay"), st.just(Party.PATIENT), _amounts),
        st.tuples(st.just("insurer_pays"), st.just(Party.INSURANCE), _amounts),
        st.tuples(st.just("pr"), st.sampled_from(["PR", "CO"]), _amounts),
        st.tuples(st.just("refund"), st.sampled_from(list(Party)), _amounts),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_desk_ops)
def test_copays_and_refunds_keep_the_balance_and_never_refund_more_than_the_credit(ops):
    """Desk copays (patient payments before the claim is paid), payer payments, PR/CO memos and refund
    attempts of any size: the balance stays the sum of the entries, a refund never exceeds the credit the
    refunded party holds (so no bucket's credit goes below zero by a refund), and no CO amount reaches the
    patient."""
    from simulations.billing.checkin import desk_payment

    ledger = Ledger()
    for index, (kind, who, amount) in enumerate(ops):
        credit_before = ledger.credit_balance()
        posted = DOS + timedelta(days=index)
        try:
            if kind == "charge":
                entry = _charge(f"c{index}", str(amount), service_date=posted, responsibility=who)
            elif kind == "copay":
                paid = desk_payment(amount=str(amount), method="card", card_last4="4242")
                entry = Payment(entry_id=f"r{index}", posted_on=posted, amount=paid.amount, payer=Party.PATIENT,
                                method=paid.method)  # fmt: skip
            elif kind == "insurer_pays":
                entry = Payment(entry_id=f"i{index}", posted_on=posted, amount=amount, payer=Party.INSURANCE,
                                method=PaymentMethod.EFT)  # fmt: skip
            elif kind == "pr":
                entry = TransferToPatient(entry_id=f"t{index}", posted_on=posted, amount=amount, group=who,
                                          carc="3" if who == "PR" else "45")  # fmt: skip
            else:
                entry = Refund(
                    entry_id=f"f{index}", posted_on=posted, amount=amount, to=who, method=PaymentMethod.CHECK
                )
            ledger.post(entry)
        except CoToPatientError:
            assert kind == "pr" and who == "CO"
            continue
        except LedgerError:
            continue
        if kind == "refund":
            assert amount <= credit_before.get(who, Decimal("0.00"))
            assert ledger.credit_balance().get(who, Decimal("0.00")) == credit_before[who] - amount
    assert ledger.balance() == sum((e.signed_amount for e in ledger.entries), Decimal("0.00"))
    assert ledger.insurance_balance() + ledger.patient_balance() == ledger.balance()
    assert all(e.group is GroupCode.PR for e in ledger.entries if isinstance(e, TransferToPatient))


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    st.integers(min_value=1, max_value=24),
)
def test_any_payment_plan_sums_to_the_balance_to_the_cent(balance, count):
    from simulations.billing.payplans import PlanError, instalment_schedule

    try:
        schedule = instalment_schedule(balance=balance, count=count, first_due=date(2026, 1, 31))
    except PlanError as exc:
        assert "at least" in str(exc)  # instalments under the office minimum: fewer instalments
        return
    amounts = [i.amount for i in schedule]
    assert sum(amounts, Decimal("0.00")) == balance
    assert len(amounts) == count
    assert len(set(amounts[:-1])) <= 1
    assert Decimal("0.00") <= amounts[-1] - amounts[0] < Decimal("0.01") * count
    assert all(a.as_tuple().exponent == -2 for a in amounts)
    assert [i.due_on.month for i in schedule][:2] == [1, 2][: min(count, 2)]


@settings(max_examples=200, deadline=None)
@given(_ops)
def test_the_day_sheet_net_change_is_the_days_entries_summed(ops):
    from simulations.billing.daysheet import day_sheet

    ledger = Ledger()
    for index, op in enumerate(ops):
        try:
            ledger.post(_entry(index, op))
        except (LedgerError, MoneyError):
            continue
    for day in {e.posted_on for e in ledger.entries}:
        sheet = day_sheet(ledger.entries, day=day)
        todays = [e for e in ledger.entries if e.posted_on == day]
        assert sheet.net_change == sum((e.signed_amount for e in todays), Decimal("0.00"))
        assert sheet.entries == len(todays)
