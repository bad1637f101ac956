"""The patient side of billing in the office: copays at check-in, desk payments, refunds, payment plans,
statements (and their PDF), the daily close and the ERA posting worksheet; their screens, their refusals
(which change nothing), their query counts, and the grader on typical wrong answers."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from simulations import accounts_services, billing_services, services
from simulations.models import (
    ActionLog,
    Appointment,
    DepositCount,
    LedgerEntry,
    PaymentPlan,
    Receipt,
    Remittance,
    Statement,
)
from simulations.services import OfficeActionError
from simulations.solutions import SOLUTIONS, patient
from tests.factories import make_simulation, seed_for_variant


def _start(course, learner, key: str, variant: int = 0, slug: str = ""):
    page = make_simulation(course, scenario=key, slug=slug or f"{key}-{variant}")
    return services.shift_start(learner=learner, page=page, seed=seed_for_variant(key, variant))


@pytest.fixture
def p3(office_course, trainee):
    """Variant 0: Maria Gonzalez (check 2231, $30), Li Chen (card 4417, $25), Chloe Gallagher (cash, $3),
    Anh Xiong (annual physical: no copay); a mailed $40 check and an insurer's EFT already posted today."""
    return _start(office_course, trainee, "p3-copays-and-day-close")


@pytest.fixture
def p6(office_course, trainee):
    """Variant 0: statements for Anh Xiong and Mei Castillo only; Li Chen holds a $25.00 patient credit;
    Mei Castillo owes $77.00 and asks for 3 instalments."""
    return _start(office_course, trainee, "p6-statements-refund-plan")


@pytest.fixture
def p1(office_course, trainee):
    """Variant 0: Kathryn O'Brien's ERA E-4101, three lines (CO-45, PR-1, PR-2, PR-3); she owes 51.90."""
    return _start(office_course, trainee, "p1-post-era")


def _visit(shift, key: str) -> Appointment:
    return Appointment.objects.for_shift(shift).select_related("patient").get(key=key)


def _state(shift) -> tuple:
    return tuple(
        model.objects.for_shift(shift).count()
        for model in (LedgerEntry, Receipt, PaymentPlan, Statement, DepositCount, ActionLog)
    )


def _failed(shift) -> dict[str, str]:
    shift = services.shift_submit(shift=shift)
    return {i["id"]: i["detail"] for i in shift.result["items"] if not i["passed"]}


# ---- copays at check-in ---------------------------------------------------------------------------


def test_check_in_shows_the_plans_copay_and_posts_it_with_a_receipt(client, trainee, p3):
    client.force_login(trainee)
    visit = _visit(p3, "v1")
    url = reverse("office_checkin", args=[p3.pk, visit.pk])
    assert client.post(url, {"action": "arrived"}).status_code == 302
    page = client.get(url)
    assert b"Copay due today" in page.content and b"30.00" in page.content
    response = client.post(url, {"action": "copay", "amount": "30.00", "method": "check", "check_number": "2231"})
    assert response.status_code == 302
    receipt = Receipt.objects.for_shift(p3).get()
    assert (receipt.number, receipt.amount, receipt.method, receipt.detail, receipt.appointment_id) == (
        "R-0001", Decimal("30.00"), "check", "2231", visit.pk,
    )  # fmt: skip
    assert (receipt.entry.kind, receipt.entry.party, receipt.entry.method) == ("payment", "patient", "check")
    assert ActionLog.objects.for_shift(p3).filter(kind="copay_collected").count() == 1
    page = client.get(url)
    assert b"R-0001" in page.content and b"check no. 2231" in page.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "-30.00", "method": "cash"}, "cannot be negative"),
        ({"amount": "30.00", "method": "check", "check_number": ""}, "Enter the check number"),
        ({"amount": "30.00", "method": "card", "card_last4": "4111111111111111"}, "last four digits"),
        ({"amount": "30.00", "method": "bitcoin"}, "cash, check or card"),
    ],
)
def test_a_bad_copay_is_refused_on_screen_and_changes_nothing(client, trainee, p3, data, message):
    client.force_login(trainee)
    visit = _visit(p3, "v1")
    services.appointment_mark(shift=p3, appointment=visit, status="arrived")
    before = _state(p3)
    response = client.post(reverse("office_checkin", args=[p3.pk, visit.pk]), {"action": "copay", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state(p3) == before


def test_a_copay_is_taken_once_after_arrival_and_never_for_a_preventive_visit(p3):
    visit = _visit(p3, "v1")
    pay = {"amount": "30.00", "method": "cash"}
    with pytest.raises(OfficeActionError, match="Mark the patient arrived first"):
        accounts_services.copay_collect(shift=p3, appointment=visit, data=pay)
    services.appointment_mark(shift=p3, appointment=visit, status="arrived")
    accounts_services.copay_collect(shift=p3, appointment=visit, data=pay)
    with pytest.raises(OfficeActionError, match="already collected"):
        accounts_services.copay_collect(shift=p3, appointment=visit, data=pay)
    physical = _visit(p3, "v4")
    services.appointment_mark(shift=p3, appointment=physical, status="arrived")
    assert accounts_services.checkin_copay(shift=p3, appointment=physical) == Decimal("0.00")
    with pytest.raises(OfficeActionError, match="No copay is due"):
        accounts_services.copay_collect(shift=p3, appointment=physical, data=pay)


def test_a_tampered_shift_or_appointment_id_is_not_found_and_a_foreign_row_is_refused(
    client, trainee, other_trainee, office_course, p3
):
    theirs = _start(office_course, other_trainee, "p3-copays-and-day-close", slug="theirs")
    their_visit = _visit(theirs, "v1")
    client.force_login(trainee)
    assert client.get(reverse("office_checkin", args=[p3.pk, their_visit.pk])).status_code == 404
    assert client.get(reverse("office_checkin", args=[theirs.pk, their_visit.pk])).status_code == 404
    their_patient = their_visit.patient
    assert (
        client.post(reverse("office_account", args=[p3.pk, their_patient.pk]), {"action": "payment"}).status_code == 404
    )
    before = _state(theirs)
    with pytest.raises(OfficeActionError, match="not in this office"):
        accounts_services.patient_payment_post(shift=p3, patient=their_patient, data={"amount": "5", "method": "cash"})
    with pytest.raises(OfficeActionError, match="not in this office"):
        accounts_services.statement_run_create(shift=p3, patient_ids=[their_patient.pk])
    assert _state(theirs) == before


# ---- refunds and payment plans --------------------------------------------------------------------


def test_a_refund_above_the_credit_or_to_the_wrong_party_is_refused_and_changes_nothing(client, trainee, p6):
    client.force_login(trainee)
    li = patient(p6, "li-chen")
    url = reverse("office_account", args=[p6.pk, li.pk])
    page = client.get(url)
    assert b"25.00 held for the patient" in page.content
    before = _state(p6)
    for data, message in [
        ({"party": "patient", "refund_amount": "25.01", "refund_check": "10021"}, "its credit is only 25.00"),
        ({"party": "insurance", "refund_amount": "25.00", "refund_check": "10021"}, "its credit is only 0.00"),
        ({"party": "patient", "refund_amount": "-25.00", "refund_check": "10021"}, "cannot be negative"),
        ({"party": "patient", "refund_amount": "25.00", "refund_check": ""}, "refund check"),
        ({"party": "landlord", "refund_amount": "25.00", "refund_check": "1"}, "the insurance or the patient"),
    ]:
        response = client.post(url, {"action": "refund", **data})
        assert response.status_code == 400
        assert message in response.content.decode(), data
    assert _state(p6) == before
    assert client.post(url, {"action": "refund", "party": "patient", "refund_amount": "25.00",
                             "refund_check": "10021"}).status_code == 302  # fmt: skip
    refund = LedgerEntry.objects.for_shift(p6).get(kind="refund")
    assert (refund.party, refund.amount, refund.reference) == ("patient", Decimal("25.00"), "check 10021")


def test_a_payment_plan_is_shown_with_a_schedule_that_sums_to_the_balance(client, trainee, p6):
    client.force_login(trainee)
    mei = patient(p6, "mei-castillo")
    url = reverse("office_account", args=[p6.pk, mei.pk])
    before = _state(p6)
    for data, message in [
        ({"count": "0", "first_due": "2026-04-01"}, "at least one instalment"),
        ({"count": "three", "first_due": "2026-04-01"}, "whole number"),
        ({"count": "3", "first_due": "2026-03-01"}, "after today"),
        ({"count": "3", "first_due": "next month"}, "first due date"),
        ({"count": "30", "first_due": "2026-04-01"}, "at most 24"),
    ]:
        response = client.post(url, {"action": "plan", **data})
        assert response.status_code == 400 and message in response.content.decode(), data
    assert _state(p6) == before
    assert client.post(url, {"action": "plan", "count": "3", "first_due": "2026-04-01"}).status_code == 302
    plan = PaymentPlan.objects.for_shift(p6).get()
    assert [(i["due_on"], i["amount"]) for i in plan.schedule] == [
        ("2026-04-01", "25.66"), ("2026-05-01", "25.66"), ("2026-06-01", "25.68"),
    ]  # fmt: skip
    page = client.get(url)
    assert b"25.68" in page.content and b"Plan for 77.00 in 3 monthly instalments" in page.content


def test_no_plan_while_the_insurance_is_pending_or_for_a_credit(p6):
    with pytest.raises(OfficeActionError, match="insurance has not paid yet"):
        accounts_services.payment_plan_create(
            shift=p6, patient=patient(p6, "connor-hoang"), count=2, first_due=date(2026, 4, 1)
        )
    with pytest.raises(OfficeActionError, match="owes nothing"):
        accounts_services.payment_plan_create(shift=p6, patient=patient(p6, "li-chen"), count=2, first_due="2026-04-01")


# ---- statements -----------------------------------------------------------------------------------


def test_the_statement_run_lists_balances_with_aging_and_refuses_an_account_that_owes_nothing(client, trainee, p6):
    client.force_login(trainee)
    url = reverse("office_statements", args=[p6.pk])
    page = client.get(url).content.decode()
    for name in ("Anh Xiong", "Mei Castillo", "Connor Hoang", "Li Chen"):
        assert name in page
    assert "Tomasz Iwasaki" not in page  # a settled account is not listed
    before = _state(p6)
    response = client.post(url, {"patient": [patient(p6, "anh-xiong").pk, patient(p6, "li-chen").pk]})
    assert response.status_code == 400 and "Li Chen owes nothing: no statement." in response.content.decode()
    assert client.post(url, {"patient": []}).status_code == 400
    assert _state(p6) == before
    chosen = [patient(p6, "anh-xiong").pk, patient(p6, "mei-castillo").pk]
    assert client.post(url, {"patient": chosen}).status_code == 302
    statement = Statement.objects.for_shift(p6).get(patient__key="anh-xiong")
    assert statement.aging == {"0-30": "5.00", "31-60": "25.00", "61-90": "0.00", "90+": "25.00"}
    assert statement.amount_due == Decimal("55.00")
    with pytest.raises(OfficeActionError, match="already went out today"):
        accounts_services.statement_run_create(shift=p6, patient_ids=chosen)


def test_the_statement_pdf_is_tagged_and_escapes_what_it_prints(client, trainee, p6):
    from django.template.loader import render_to_string

    from simulations.statement_pdf import statement_context

    anh = patient(p6, "anh-xiong")
    anh.last_name = "<img src='file:///etc/passwd'>"
    anh.save(update_fields=["last_name"])
    accounts_services.statement_run_create(shift=p6, patient_ids=[anh.pk])
    statement = Statement.objects.for_shift(p6).get()
    html = render_to_string("simulations/statement_pdf.html", statement_context(shift=p6, statement=statement))
    assert "<img" not in html and "&lt;img" in html
    for text in ("Maple Grove Family Health", "Amount due", "$55.00", "Over 90 days", "How to pay",
                 "you do not owe them", "your copay"):  # fmt: skip
        assert text in html, text
    client.force_login(trainee)
    response = client.get(reverse("office_statement_pdf", args=[p6.pk, statement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(BytesIO(response.content))
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog and catalog["/Lang"] == "en"
    text = pdf.pages[0].extract_text()
    assert "Amount due" in text and "55.00" in text and "<img src='file:///etc/passwd'>" in text


def test_the_statement_run_renders_each_pdf_in_the_background_once(p6, django_capture_on_commit_callbacks):
    from simulations.accounts_tasks import statement_render_task

    chosen = [patient(p6, "anh-xiong").pk, patient(p6, "mei-castillo").pk]
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.statement_run_create(shift=p6, patient_ids=chosen)
    statements = list(Statement.objects.for_shift(p6))
    assert len(statements) == 2 and all(s.pdf.name.startswith(f"statements/{p6.pk}/") for s in statements)
    with statements[0].pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert statement_render_task.call(statement_id=statements[0].pk) is False  # already stored: nothing to do


def test_a_statement_that_cannot_be_rendered_says_so_and_stores_nothing(client, trainee, p6, monkeypatch):
    from coursesite.certificates.pdf import RenderError
    from simulations import statement_pdf

    def fail(**kwargs):
        raise RenderError("took too long")

    monkeypatch.setattr(statement_pdf, "statement_pdf_bytes", fail)
    accounts_services.statement_run_create(shift=p6, patient_ids=[patient(p6, "anh-xiong").pk])
    statement = Statement.objects.for_shift(p6).get()
    client.force_login(trainee)
    response = client.get(reverse("office_statement_pdf", args=[p6.pk, statement.pk]), follow=True)
    assert "could not be produced (took too long)" in response.content.decode()
    statement.refresh_from_db()
    assert not statement.pdf


# ---- the daily close ------------------------------------------------------------------------------


def test_the_day_sheet_and_a_deposit_count_flag_each_mismatched_method(client, trainee, p3):
    client.force_login(trainee)
    SOLUTIONS["p3-copays-and-day-close"]  # noqa: B018 - the solution exists
    for n, pay in ((1, {"method": "check", "check_number": "2231", "amount": "30.00"}),
                   (2, {"method": "card", "card_last4": "4417", "amount": "25.00"}),
                   (3, {"method": "cash", "amount": "3.00"})):  # fmt: skip
        visit = _visit(p3, f"v{n}")
        services.appointment_mark(shift=p3, appointment=visit, status="arrived")
        accounts_services.copay_collect(shift=p3, appointment=visit, data=pay)
    url = reverse("office_day_close", args=[p3.pk])
    page = client.get(url).content.decode()
    assert "Patient payments: check" in page and "70.00" in page and "Insurance payments: eft" in page
    before = _state(p3)
    response = client.post(url, {"cash": "-3.00", "check": "70.00", "card": "25.00"})
    assert response.status_code == 400 and "cannot be negative" in response.content.decode()
    assert _state(p3) == before
    # The opening float counted with the cash: the cash line is flagged, the others match.
    assert client.post(url, {"cash": "153.00", "check": "70.00", "card": "25.00"}).status_code == 302
    page = client.get(url).content.decode()
    assert "does not balance" in page and page.count("Mismatch: find it") == 1
    assert client.post(url, {"cash": "3.00", "check": "70.00", "card": "25.00"}).status_code == 302
    assert "balanced" in client.get(url).content.decode()
    assert DepositCount.objects.for_shift(p3).order_by("pk").last().balanced


# ---- the ERA worksheet ----------------------------------------------------------------------------


def test_the_worksheet_refuses_an_unbalanced_line_and_the_one_click_post(client, trainee, p1):
    client.force_login(trainee)
    remittance = Remittance.objects.for_shift(p1).get()
    with pytest.raises(OfficeActionError, match="line by line"):
        billing_services.remittance_post(shift=p1, remittance=remittance)
    page = client.get(reverse("office_remittance", args=[p1.pk, remittance.claim_id])).content.decode()
    assert "posting worksheet" in page
    url = reverse("office_era_worksheet", args=[p1.pk, remittance.pk])
    assert client.get(url).status_code == 200
    before = _state(p1)
    data = {"paid-E-4101-1": "90.00", "write_off-E-4101-1": "30.00", "patient-E-4101-1": "30.00",
            "paid-E-4101-2": "0", "write_off-E-4101-2": "2.00", "patient-E-4101-2": "14.00",
            "paid-E-4101-3": "17.10", "write_off-E-4101-3": "5.00", "patient-E-4101-3": "6.00"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    assert (
        "Line E-4101-3 does not balance" in response.content.decode()
        and "= 1.90, not 0.00" in response.content.decode()
    )
    assert _state(p1) == before
    data["patient-E-4101-3"] = "7.90"
    assert client.post(url, data).status_code == 302
    remittance.refresh_from_db()
    assert remittance.posted
    with pytest.raises(OfficeActionError, match="already posted"):
        accounts_services.era_worksheet_post(shift=p1, remittance=remittance, lines={})


# ---- query counts ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm: the session and the shift's first read
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_statement_run_and_day_sheet_screens_take_a_fixed_number_of_queries(client, trainee, p6, p3):
    client.force_login(trainee)
    statements, close = reverse("office_statements", args=[p6.pk]), reverse("office_day_close", args=[p3.pk])
    small = (_queries(client, statements), _queries(client, close))
    assert small[0] <= 12 and small[1] <= 12
    # More accounts, statements, receipts and entries: the same number of queries.
    SOLUTIONS["p6-statements-refund-plan"](p6)
    SOLUTIONS["p3-copays-and-day-close"](p3)
    for p in ("tomasz-iwasaki", "connor-hoang"):
        accounts_services.patient_payment_post(shift=p3, patient=patient(p3, p), data={"amount": "5", "method": "cash"})
    assert (_queries(client, statements), _queries(client, close)) == small


def test_account_and_check_in_screens_are_bounded(client, trainee, p3, django_assert_max_num_queries):
    client.force_login(trainee)
    SOLUTIONS["p3-copays-and-day-close"](p3)
    visit = _visit(p3, "v1")
    with django_assert_max_num_queries(12):
        client.get(reverse("office_checkin", args=[p3.pk, visit.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("office_account", args=[p3.pk, visit.patient.pk]))


# ---- the grader on typical wrong answers ----------------------------------------------------------


def test_p1_moving_the_contractual_adjustment_to_the_patient_is_the_critical_error(p1):
    remittance = Remittance.objects.for_shift(p1).get()
    lines = {"E-4101-1": {"paid": "90.00", "write_off": "0", "patient": "60.00"},
             "E-4101-2": {"paid": "0", "write_off": "2.00", "patient": "14.00"},
             "E-4101-3": {"paid": "17.10", "write_off": "5.00", "patient": "7.90"}}  # fmt: skip
    accounts_services.era_worksheet_post(shift=p1, remittance=remittance, lines=lines)
    shift = services.shift_submit(shift=p1)
    items = {i["id"]: i for i in shift.result["items"]}
    assert shift.result["critical_errors"] == ["co-to-patient"] and shift.score == 0 and not shift.passed
    assert "balance billing" in items["co-to-patient"]["feedback"]
    assert items["lines"]["detail"] == (
        "line E-4101-1 written off 0.00, the ERA says 30.00; line E-4101-1 moved to the patient 60.00, the ERA says 30.00."
    )


def test_p1_writing_off_the_patients_share_fails_the_balance_not_the_critical_check(p1):
    remittance = Remittance.objects.for_shift(p1).get()
    lines = {"E-4101-1": {"paid": "90.00", "write_off": "30.00", "patient": "30.00"},
             "E-4101-2": {"paid": "0", "write_off": "16.00", "patient": "0"},
             "E-4101-3": {"paid": "17.10", "write_off": "5.00", "patient": "7.90"}}  # fmt: skip
    accounts_services.era_worksheet_post(shift=p1, remittance=remittance, lines=lines)
    failed = _failed(p1)
    assert set(failed) == {"lines", "balance"}
    assert failed["balance"] == "Patient owes 37.90, insurance 0.00; expected 51.90 and 0.00."


def test_p3_counting_the_float_and_skipping_the_mailed_check_fails_the_deposit(p3):
    SOLUTIONS["p3-copays-and-day-close"](p3)
    accounts_services.deposit_count_record(shift=p3, counts={"cash": "153.00", "check": "30.00", "card": "25.00"})
    assert _failed(p3) == {"deposit": "cash: counted 153.00, posted 3.00; check: counted 30.00, posted 70.00."}


def test_p3_a_copay_by_the_wrong_method_fails_the_copays(p3):
    visit = _visit(p3, "v2")
    services.appointment_mark(shift=p3, appointment=visit, status="arrived")
    accounts_services.copay_collect(shift=p3, appointment=visit, data={"amount": "25.00", "method": "cash"})
    failed = _failed(p3)
    assert "Li Chen: recorded as cash, paid by card" in failed["copays"]
    assert "Maria Gonzalez: no copay taken at check-in" in failed["copays"]


def test_p6_a_statement_while_insurance_is_pending_and_a_short_refund_fail_with_the_reason(p6):
    chosen = [patient(p6, k).pk for k in ("anh-xiong", "mei-castillo", "connor-hoang")]
    accounts_services.statement_run_create(shift=p6, patient_ids=chosen)
    accounts_services.credit_refund(
        shift=p6, patient=patient(p6, "li-chen"), party="patient", amount="20.00", check_number="7"
    )
    accounts_services.payment_plan_create(
        shift=p6, patient=patient(p6, "mei-castillo"), count=2, first_due="2026-04-01"
    )
    failed = _failed(p6)
    assert failed["statements"] == "statement sent to Connor Hoang (should not get one)."
    assert failed["refund"] == "Refunded 20.00 to the patient; the credit was 25.00 held for the patient."
    assert failed["plan"] == "2 instalments, the patient asked for 3."
    assert set(failed) == {"statements", "refund", "plan"}


def test_p5_telling_the_patient_they_owe_the_co_amount_fails_the_call():
    from simulations.calls import call_score, call_walk, calls_load_all

    call = calls_load_all()["p5-explain-eob"]
    notes = {
        node_id: "Patient called. Verified DOB. Explained deductible; statement."
        for node_id, node in call.nodes.items()
        if node.note
    }
    transcript = call_walk(call, ["welcome", "two-identifiers", "both", "maybe", "options", "thank"], notes=notes)
    result = call_score(call, transcript)
    assert not result.passed
    assert [e.code for e in result.critical_errors] == ["co_billed_to_patient", "co_billed_to_patient"]
    jargon = call_score(call, call_walk(call, ["welcome", "two-identifiers", "jargon", "not-owed", "wait", "thank"],
                                         notes=notes))  # fmt: skip
    assert jargon.critical_errors == () and jargon.axes["accuracy"] < 100
