"""The pure patient-account rules: copays, desk payments, payment plans, the day sheet and deposit,
statements and aging, and the hand-posting worksheet (tasks R6, P1, P3, P6, P7, P8)."""

from datetime import date
from decimal import Decimal

import pytest

from simulations.billing.checkin import DeskPaymentError, copay_due, desk_payment
from simulations.billing.codes import GroupCode, ServiceKind
from simulations.billing.daysheet import CountError, day_sheet, deposit_reconcile, parse_counts
from simulations.billing.ledger import (
    Adjustment,
    Charge,
    Ledger,
    Party,
    Payment,
    PaymentMethod,
    Refund,
    TransferToPatient,
)
from simulations.billing.payplans import PlanError, add_months, instalment_schedule
from simulations.billing.remittance import Cas, ClaimStatus, RemitClaim, RemitLine, Remittance
from simulations.billing.statements import statement_build, statement_select
from simulations.billing.worksheet import WorksheetError, worksheet_entries, worksheet_parse

from .builders import plan

D = Decimal
TODAY = date(2026, 3, 16)


# ---- copays and desk payments ---------------------------------------------------------------------


def test_copay_comes_from_the_plan_and_preventive_and_self_pay_visits_have_none():
    rules = plan(copays={ServiceKind.OFFICE_VISIT: D("30.00")})
    assert copay_due(rules, type_key="follow-up") == D("30.00")
    assert copay_due(rules, type_key="new-patient") == D("30.00")
    assert copay_due(rules, type_key="annual-physical") == D("0.00")
    assert copay_due(rules, type_key="well-child") == D("0.00")
    assert copay_due(None, type_key="follow-up") == D("0.00")


def test_a_desk_payment_keeps_only_the_check_number_or_the_cards_last_four():
    assert desk_payment(amount="$30.00", method="check", check_number="2231").detail == "2231"
    assert desk_payment(amount="25", method="card", card_last4="4417").amount == D("25.00")
    assert desk_payment(amount="3.00", method="cash", check_number="99").detail == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "-30.00", "method": "cash"}, "cannot be negative"),
        ({"amount": "0", "method": "cash"}, "must be greater than zero"),
        ({"amount": "30.001", "method": "cash"}, "fractions of a cent"),
        ({"amount": "thirty", "method": "cash"}, "is not an amount"),
        ({"amount": "30.00", "method": "eft"}, "cash, check or card"),
        ({"amount": "30.00", "method": "check", "check_number": ""}, "check number"),
        ({"amount": "30.00", "method": "card", "card_last4": "4111111111111111"}, "last four digits"),
        ({"amount": "30.00", "method": "card", "card_last4": "44a7"}, "last four digits"),
        ({"amount": "9000.00", "method": "cash"}, "office manager"),
    ],
)
def test_a_bad_desk_payment_is_refused_with_the_reason(kwargs, message):
    with pytest.raises(DeskPaymentError) as exc:
        desk_payment(**kwargs)
    assert message in " ".join(exc.value.args)


# ---- payment plans --------------------------------------------------------------------------------


def test_the_last_instalment_absorbs_the_rounding():
    schedule = instalment_schedule(balance="100.00", count=3, first_due=date(2026, 4, 1))
    assert [(i.number, i.due_on, i.amount) for i in schedule] == [
        (1, date(2026, 4, 1), D("33.33")),
        (2, date(2026, 5, 1), D("33.33")),
        (3, date(2026, 6, 1), D("33.34")),
    ]
    assert [i.amount for i in instalment_schedule(balance="77.00", count=3, first_due=TODAY)] == [
        D("25.66"), D("25.66"), D("25.68"),
    ]  # fmt: skip


def test_month_ends_stay_in_their_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("balance", "count", "message"),
    [
        ("100.00", 0, "at least one instalment"),
        ("100.00", -2, "at least one instalment"),
        ("100.00", 25, "at most 24"),
        ("-50.00", 2, "cannot be negative"),
        ("0.00", 2, "greater than zero"),
        ("30.00", 6, "at least 10.00"),
    ],
)
def test_a_plan_that_cannot_work_is_refused(balance, count, message):
    with pytest.raises(PlanError, match=message):
        instalment_schedule(balance=balance, count=count, first_due=TODAY)


# ---- the day sheet and the deposit ----------------------------------------------------------------


def _day_entries():
    day = date(2026, 3, 10)
    return day, [
        Charge(entry_id="c1", posted_on=day, amount=D("150.00"), service_date=day, code="SIM-OV-EST-25"),
        Payment(entry_id="r1", posted_on=day, amount=D("30.00"), payer=Party.PATIENT, method=PaymentMethod.CHECK),
        Payment(entry_id="r2", posted_on=day, amount=D("25.00"), payer=Party.PATIENT, method=PaymentMethod.CARD),
        Payment(entry_id="r3", posted_on=day, amount=D("3.00"), payer=Party.PATIENT, method=PaymentMethod.CASH),
        Payment(entry_id="r4", posted_on=day, amount=D("40.00"), payer=Party.PATIENT, method=PaymentMethod.CHECK),
        Payment(entry_id="e1", posted_on=day, amount=D("57.00"), payer=Party.INSURANCE, method=PaymentMethod.EFT),
        Adjustment(entry_id="a1", posted_on=day, amount=D("30.00"), group=GroupCode.CO, carc="45"),
        TransferToPatient(entry_id="t1", posted_on=day, amount=D("30.00"), group=GroupCode.PR, carc="3"),
        Refund(entry_id="f1", posted_on=day, amount=D("5.00"), to=Party.PATIENT, method=PaymentMethod.CHECK),
        Charge(entry_id="c0", posted_on=date(2026, 3, 9), amount=D("999.00"), service_date=day, code="X"),
    ]


def test_the_day_sheet_totals_the_day_by_method_and_ignores_other_days():
    day, entries = _day_entries()
    sheet = day_sheet(entries, day=day)
    assert sheet.charges == D("150.00")
    assert sheet.patient_payments == {
        PaymentMethod.CHECK: D("70.00"), PaymentMethod.CARD: D("25.00"), PaymentMethod.CASH: D("3.00"),
    }  # fmt: skip
    assert sheet.insurance_payments == {PaymentMethod.EFT: D("57.00")}
    assert (sheet.payments, sheet.adjustments, sheet.refunds, sheet.transfers) == (
        D("155.00"), D("30.00"), D("5.00"), D("30.00"),
    )  # fmt: skip
    assert sheet.net_change == D("150.00") + D("5.00") - D("155.00") - D("30.00")
    # The EFT is already in the bank: it is not part of the deposit.
    assert sheet.deposit_expected() == {
        PaymentMethod.CASH: D("3.00"), PaymentMethod.CHECK: D("70.00"), PaymentMethod.CARD: D("25.00"),
    }  # fmt: skip


def test_the_deposit_reconciles_method_by_method_to_the_cent():
    day, entries = _day_entries()
    sheet = day_sheet(entries, day=day)
    good = deposit_reconcile(sheet, parse_counts({"cash": "3.00", "check": "$70.00", "card": "25"}))
    assert good.balanced and good.counted_total == good.expected_total == D("98.00")
    # Counting the opening float with the cash, and a check short by a cent: both flagged, the card is fine.
    bad = deposit_reconcile(sheet, parse_counts({"cash": "153.00", "check": "69.99", "card": "25.00"}))
    assert not bad.balanced
    assert [(ln.method.value, ln.difference, ln.matches) for ln in bad.lines] == [
        ("cash", D("150.00"), False), ("check", D("-0.01"), False), ("card", D("0.00"), True),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "message"), [({"cash": "-3"}, "cannot be negative"), ({"card": "2O.00"}, "not an amount")]
)
def test_an_unreadable_count_is_refused(raw, message):
    with pytest.raises(CountError) as exc:
        parse_counts(raw)
    assert message in " ".join(exc.value.args)


# ---- statements and aging -------------------------------------------------------------------------


def _settled(prefix: str, dos: date, pr: str, carc: str = "3", *, paid: str = "55.00", co: str = "30.00") -> list:
    charge = D(paid) + D(co) + D(pr)
    return [
        Charge(entry_id=f"{prefix}c", posted_on=dos, amount=charge, service_date=dos, code="SIM-OV-EST-15"),
        Payment(
            entry_id=f"{prefix}p",
            posted_on=dos,
            amount=D(paid),
            payer=Party.INSURANCE,
            method=PaymentMethod.EFT,
            charge_id=f"{prefix}c",
        ),  # fmt: skip
        Adjustment(
            entry_id=f"{prefix}a", posted_on=dos, amount=D(co), group=GroupCode.CO, carc="45", charge_id=f"{prefix}c"
        ),  # fmt: skip
        TransferToPatient(
            entry_id=f"{prefix}t", posted_on=dos, amount=D(pr), group=GroupCode.PR, carc=carc, charge_id=f"{prefix}c"
        ),  # fmt: skip
    ]


def test_statements_go_only_where_the_patient_owes_and_nothing_is_pending():
    owes = Ledger(_settled("a", date(2026, 2, 9), "25.00"))
    pending = Ledger([*_settled("b", date(2026, 1, 12), "30.00"),
                      Charge(entry_id="b2", posted_on=TODAY, amount=D("110.00"), service_date=TODAY, code="X")])  # fmt: skip
    settled = Ledger([*_settled("c", date(2026, 2, 16), "3.00"),
                      Payment(entry_id="cpay", posted_on=TODAY, amount=D("3.00"), payer=Party.PATIENT,
                              method=PaymentMethod.CASH)])  # fmt: skip
    credit = Ledger([*_settled("d", date(2026, 2, 23), "25.00"),
                     Payment(entry_id="d1", posted_on=TODAY, amount=D("50.00"), payer=Party.PATIENT,
                             method=PaymentMethod.CHECK)])  # fmt: skip
    assert statement_select({"owes": owes, "pending": pending, "settled": settled, "credit": credit}) == ["owes"]


def test_statement_aging_buckets_from_the_date_of_service_with_payments_applied_oldest_first():
    ledger = Ledger([
        *_settled("a", date(2025, 11, 17), "30.00"),  # 119 days
        Payment(entry_id="p", posted_on=date(2026, 1, 5), amount=D("10.00"), payer=Party.PATIENT,
                method=PaymentMethod.CHECK),
        *_settled("b", date(2026, 1, 26), "57.00", "1"),  # 49 days
        *_settled("c", date(2026, 1, 15), "8.00", "2"),  # 60 days: still 31-60
        *_settled("d", date(2026, 1, 14), "9.00", "2"),  # 61 days
        *_settled("e", date(2026, 3, 4), "1.40", "2"),  # 12 days
    ])  # fmt: skip
    data = statement_build(ledger, as_of=TODAY)
    aging = data.aging
    assert (aging.days_0_30, aging.days_31_60, aging.days_61_90, aging.over_90) == (
        D("1.40"), D("65.00"), D("9.00"), D("20.00"),
    )  # fmt: skip
    assert data.amount_due == aging.total == D("95.40")


def test_the_statement_itemises_in_plain_words_and_never_bills_the_contractual_amount():
    data = statement_build(Ledger(_settled("a", date(2026, 2, 9), "25.00")), as_of=TODAY)
    assert data.amount_due == D("25.00")
    texts = [i.description for i in data.items]
    assert "Your share after insurance: your copay" in texts[3]
    assert texts[2].startswith("Insurance adjustment, not billed to you")
    assert not data.items[2].patient_side
    assert any("you do not owe them" in n for n in data.notes)


# ---- the posting worksheet ------------------------------------------------------------------------


def _era() -> Remittance:
    dos = date(2026, 3, 2)
    return Remittance(
        payer_id="SIMMM2", payer_name="Meridian", payee_name="Maple Grove", payee_npi="1555010101",
        trace_number="T1", paid_on=date(2026, 3, 11),
        claims=(RemitClaim(claim_id="E1", payer_claim_number="P1", status=ClaimStatus.PRIMARY, member_id="M",
                           patient_last_name="X", patient_first_name="Y", lines=(
            RemitLine(line_id="E1-1", service_date=dos, code="SIM-OV-EST-25", charge=D("150.00"), paid=D("90.00"),
                      allowed=D("120.00"), adjustments=(Cas(GroupCode.CO, "45", D("30.00")),
                                                        Cas(GroupCode.PR, "3", D("30.00")))),
            RemitLine(line_id="E1-2", service_date=dos, code="G0008", charge=D("30.00"), paid=D("17.10"),
                      allowed=D("25.00"), adjustments=(Cas(GroupCode.CO, "45", D("5.00")), Cas(GroupCode.PR, "1", D("6.00")),
                                                       Cas(GroupCode.PR, "2", D("1.90")))),
        )),),
    )  # fmt: skip


def test_the_worksheet_posts_payments_write_offs_and_pr_memos_split_by_reason():
    era = _era()
    typed = {"E1-1": {"paid": "90.00", "write_off": "30.00", "patient": "30.00"},
             "E1-2": {"paid": "17.10", "write_off": "5", "patient": "7.90"}}  # fmt: skip
    entries = worksheet_entries(era, worksheet_parse(typed, era))
    summary = [(type(e).__name__, getattr(e, "carc", ""), e.amount) for e in entries]
    assert summary == [
        ("Payment", "", D("90.00")), ("Adjustment", "45", D("30.00")), ("TransferToPatient", "3", D("30.00")),
        ("Payment", "", D("17.10")), ("Adjustment", "45", D("5.00")),
        ("TransferToPatient", "1", D("6.00")), ("TransferToPatient", "2", D("1.90")),
    ]  # fmt: skip


def test_a_worksheet_line_that_does_not_balance_is_refused():
    era = _era()
    typed = {"E1-1": {"paid": "90.00", "write_off": "30.00", "patient": "20.00"},
             "E1-2": {"paid": "17.10", "write_off": "-5", "patient": "7.90"}}  # fmt: skip
    with pytest.raises(WorksheetError) as exc:
        worksheet_parse(typed, era)
    assert "E1-2 write-off cannot be negative" in " ".join(exc.value.args)
    typed["E1-2"]["write_off"] = "5.00"
    with pytest.raises(WorksheetError) as exc:
        worksheet_entries(era, worksheet_parse(typed, era))
    assert exc.value.args == ("Line E1-1 does not balance: charge 150.00 − paid 90.00 − written off 30.00 − "
                              "patient 20.00 = 10.00, not 0.00.",)  # fmt: skip
