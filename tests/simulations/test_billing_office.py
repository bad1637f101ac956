"""Billing in the office: charge capture → claim → remittance → posting, the screens and the grader."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulations import billing_services, services
from simulations.billing import ledger as dl
from simulations.billing_selectors import ledger_view
from simulations.models import ActionLog, Appointment, Claim, LedgerEntry, Patient
from simulations.services import OfficeActionError
from simulations.solutions import SOLUTIONS, patient
from tests.factories import make_simulation, seed_for_variant

KEY = "b1-charge-claim-post"


def _b1(course, learner, variant: int = 0, slug: str = "b1"):
    page = make_simulation(course, scenario=KEY, slug=f"{slug}-{variant}")
    return services.shift_start(learner=learner, page=page, seed=seed_for_variant(KEY, variant))


@pytest.fixture
def b1(office_course, trainee):
    """Variant 0: Jon Smith (StateCare), allergic rhinitis visit + dexamethasone 4 units."""
    return _b1(office_course, trainee)


def _visit(shift) -> Appointment:
    return Appointment.objects.for_shift(shift).get(key="visit")


GOOD = [
    {"code": "SIM-OV-EST-15", "units": "1", "diagnoses": ["J30.9"]},
    {"code": "J1100", "units": "4", "diagnoses": ["J30.9"]},
]


def _state(shift) -> tuple[int, int, int]:
    return (
        LedgerEntry.objects.for_shift(shift).count(),
        Claim.objects.for_shift(shift).count(),
        ActionLog.objects.for_shift(shift).count(),
    )


# ---- services ------------------------------------------------------------------------------------


def test_charge_capture_posts_fee_schedule_charges_and_drafts_the_claim_with_pointers(b1):
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    assert claim.status == Claim.Status.DRAFT and claim.diagnoses == ["J30.9"]
    lines = list(claim.lines.all())
    assert [(ln.code, ln.units, ln.pointers, ln.charge) for ln in lines] == [
        ("SIM-OV-EST-15", 1, ["A"], Decimal("110.00")),
        ("J1100", 4, ["A"], Decimal("16.00")),
    ]
    charges = LedgerEntry.objects.for_shift(b1).filter(kind="charge")
    assert sorted(c.amount for c in charges) == [Decimal("16.00"), Decimal("110.00")]
    assert ActionLog.objects.for_shift(b1).filter(kind="charges_captured").count() == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{"code": "99213", "units": "1", "diagnoses": ["J30.9"]}], "99213 is not a code on the practice fee schedule"),
        ([{"code": "J1100", "units": "-4", "diagnoses": ["J30.9"]}], "units must be a whole number from 1 to 99"),
        ([{"code": "J1100", "units": "two", "diagnoses": ["J30.9"]}], "units must be a whole number"),
        ([{"code": "J1100", "units": "1", "diagnoses": []}], "point to at least one diagnosis"),
        ([{"code": "J1100", "units": "1", "diagnoses": ["E11.9"]}], "E11.9 is not on the patient's problem list"),
        (
            [{"code": "J1100", "units": "1", "diagnoses": ["J30.9", "K21.9", "E11.9", "I10", "E78.5"]}],
            "5 diagnosis pointers; a line takes at most 4",
        ),
        ([], "Add at least one service line"),
    ],
)
def test_a_bad_fee_sheet_is_refused_with_a_clear_message_and_changes_nothing(b1, lines, message):
    before = _state(b1)
    with pytest.raises(OfficeActionError) as exc:
        billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=lines)
    assert message in str(exc.value)
    assert _state(b1) == before


def test_charges_are_captured_once_per_visit_and_only_for_a_visit_that_took_place(b1):
    billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    with pytest.raises(OfficeActionError, match="already captured"):
        billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    booked = Appointment.objects.for_shift(b1).filter(status="booked").first()
    with pytest.raises(OfficeActionError, match="patient arrived"):
        billing_services.charges_capture(shift=b1, appointment=booked, lines=GOOD)


def test_submitting_adjudicates_deterministically_and_posting_balances_the_account_to_the_cent(b1):
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    remittance = billing_services.claim_submit(shift=b1, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ADJUDICATED and claim.scrub_at_submission == []
    line = remittance.data["claims"][0]["lines"][0]
    # StateCare: EST-15 allowed 60.00 (CO-45 50.00), copay PR-3 3.00, paid 57.00
    assert (line["allowed"], line["paid"]) == ("60.00", "57.00")
    assert {(a["group"], a["carc"], a["amount"]) for a in line["adjustments"]} == {
        ("CO", "45", "50.00"),
        ("PR", "3", "3.00"),
    }
    with pytest.raises(OfficeActionError, match="already sent"):
        billing_services.claim_submit(shift=b1, claim=claim)
    billing_services.remittance_post(shift=b1, remittance=remittance)
    view = ledger_view(shift=b1, patient=claim.patient)
    assert view.charges - view.payments - view.adjustments == view.balance == Decimal("3.00")
    assert (view.insurance, view.patient) == (Decimal("0.00"), Decimal("3.00"))
    assert view.rows[-1].running == view.balance
    with pytest.raises(OfficeActionError, match="already posted"):
        billing_services.remittance_post(shift=b1, remittance=remittance)


def test_a_co_amount_cannot_be_moved_to_the_patient(b1):
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    before = _state(b1)
    with pytest.raises(OfficeActionError, match="CO-45 cannot become patient responsibility"):
        billing_services.ledger_transfer(
            shift=b1, patient=claim.patient, charge_id=f"{claim.number}-1", amount="50.00", group="CO", carc="45"
        )
    with pytest.raises(OfficeActionError, match="cannot be negative"):
        billing_services.ledger_transfer(
            shift=b1, patient=claim.patient, charge_id=f"{claim.number}-1", amount="-5", group="PR", carc="3"
        )
    assert _state(b1) == before


def test_plan_rules_come_from_the_office_payer_data(b1):
    plan = billing_services.plan_rules(rules=b1.office, patient=patient(b1, "jon-smith"))
    assert plan.payer_name.startswith("StateCare") and plan.member_id == "ST49383498"
    assert plan.contracted_fees["SIM-OV-EST-15"] == Decimal("60.00")
    assert billing_services.plan_rules(rules=b1.office, patient=Patient()) is None  # no coverage: self-pay
    selfpay = Patient.objects.for_shift(b1).filter(coverages__isnull=True).first()
    assert billing_services.plan_rules(rules=b1.office, patient=selfpay) is None


def test_the_office_loader_refuses_a_plan_with_an_unknown_code():
    from simulations.office import OfficeError, plan_validate

    with pytest.raises(OfficeError, match="not on the practice code list"):
        plan_validate(
            {
                "payer_id": "X",
                "coverage_from": "2026-01-01",
                "timely_filing_days": 90,
                "contracted_fees": {"99213": "1.00"},
            },
            "payer x",
        )


# ---- grading: typical mistakes fail the right checks ---------------------------------------------


def _failed(shift) -> set[str]:
    shift = services.shift_submit(shift=shift)
    return {i["id"] for i in shift.result["items"] if not i["passed"]}


def test_pointing_to_the_diagnosis_not_addressed_fails_the_lines_check_only(b1):
    wrong = [{**GOOD[0], "diagnoses": ["K21.9"]}, GOOD[1]]
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=wrong)
    billing_services.remittance_post(shift=b1, remittance=billing_services.claim_submit(shift=b1, claim=claim))
    assert _failed(b1) == {"lines"}


def test_leaving_the_remittance_unposted_fails_posting_and_balance(b1):
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    billing_services.claim_submit(shift=b1, claim=claim)
    assert _failed(b1) == {"posted", "balance"}


def test_billing_the_patient_charge_minus_payment_is_a_critical_error(b1):
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    billing_services.claim_submit(shift=b1, claim=claim)
    # The trainee bills the patient the whole unpaid 53.00 of line 1 as if it were theirs (it is 3.00).
    billing_services.ledger_transfer(
        shift=b1, patient=claim.patient, charge_id=f"{claim.number}-1", amount="53.00", group="PR", carc="2"
    )
    shift = services.shift_submit(shift=b1)
    assert "co-to-patient" in shift.result["critical_errors"]
    assert shift.passed is False and shift.score == 0


def test_every_b1_variant_is_solved_by_the_worked_solution(office_course, trainee):
    from simulations.models import Scenario

    make_simulation(office_course, scenario=KEY, slug="probe")
    for variant in range(len(Scenario.objects.get(key=KEY).parsed.variants)):
        shift = _b1(office_course, trainee, variant, slug="all")
        SOLUTIONS[KEY](shift)
        shift = services.shift_submit(shift=shift)
        assert shift.score == 100 and shift.passed, variant


# ---- screens -------------------------------------------------------------------------------------


def test_the_whole_flow_through_the_screens(client, trainee, b1):
    client.force_login(trainee)
    visit = _visit(b1)
    url = reverse("office_charges", args=[b1.pk, visit.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"J30.9" in page.content
    response = client.post(url, {"code-1": "SIM-OV-EST-15", "units-1": "1", "dx-1": ["J30.9"],
                                 "code-2": "J1100", "units-2": "4", "dx-2": ["J30.9"]})  # fmt: skip
    claim = Claim.objects.for_shift(b1).get()
    assert response.status_code == 302 and response["Location"] == reverse("office_claim", args=[b1.pk, claim.pk])
    page = client.get(response["Location"])
    assert b"no problem found" in page.content and b"24E Pointers" in page.content
    assert b"Copy the member ID exactly" in page.content  # our box instructions
    response = client.post(reverse("office_claim", args=[b1.pk, claim.pk]))
    assert response["Location"] == reverse("office_remittance", args=[b1.pk, claim.pk])
    page = client.get(response["Location"])
    assert b"CO-45" in page.content and b"The patient&#x27;s copay" in page.content
    response = client.post(reverse("office_remittance", args=[b1.pk, claim.pk]))
    assert response["Location"] == reverse("office_ledger", args=[b1.pk, claim.patient.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["ledger"].patient == Decimal("3.00")


def test_the_fee_sheet_shows_errors_keeps_the_input_and_changes_nothing(client, trainee, b1):
    client.force_login(trainee)
    before = _state(b1)
    response = client.post(
        reverse("office_charges", args=[b1.pk, _visit(b1).pk]), {"code-1": "J1100", "units-1": "-1", "dx-1": ["J30.9"]}
    )
    assert response.status_code == 400
    assert b"units must be a whole number" in response.content
    assert b'value="-1"' in response.content
    assert _state(b1) == before


def test_the_ledger_form_refuses_a_co_transfer_on_screen(client, trainee, b1):
    client.force_login(trainee)
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    url = reverse("office_ledger", args=[b1.pk, claim.patient.pk])
    response = client.post(url, {"charge": f"{claim.number}-1", "amount": "50.00", "group": "CO", "carc": "45"})
    assert response.status_code == 400 and b"only PR amounts are billed" in response.content
    assert not LedgerEntry.objects.for_shift(b1).filter(kind="transfer").exists()


def test_another_trainees_claim_is_not_found_inside_my_shift(client, trainee, other_trainee, office_course, b1):
    theirs = _b1(office_course, other_trainee, slug="theirs")
    SOLUTIONS[KEY](theirs)
    their_claim = Claim.objects.for_shift(theirs).get()
    client.force_login(trainee)
    assert client.get(reverse("office_claim", args=[b1.pk, their_claim.pk])).status_code == 404
    assert client.get(reverse("office_remittance", args=[b1.pk, their_claim.pk])).status_code == 404
    assert client.get(reverse("office_ledger", args=[b1.pk, their_claim.patient.pk])).status_code == 404


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_charges(shift, claim, count: int) -> None:
    LedgerEntry.objects.bulk_create(
        LedgerEntry(shift=shift, patient=claim.patient, entry_id=f"extra-{claim.pk}-{n}", kind="charge",
                    posted_on=date(2026, 3, 10), amount=Decimal("12.34"), code="J1100", units=1,
                    service_date=date(2026, 3, 9), party="insurance")
        for n in range(count)
    )  # fmt: skip


def test_ledger_and_claim_screens_take_a_fixed_number_of_queries(client, trainee, b1):
    client.force_login(trainee)
    claim = billing_services.charges_capture(shift=b1, appointment=_visit(b1), lines=GOOD)
    ledger_url = reverse("office_ledger", args=[b1.pk, claim.patient.pk])
    claim_url = reverse("office_claim", args=[b1.pk, claim.pk])
    small = (_queries(client, ledger_url), _queries(client, claim_url))
    _add_charges(b1, claim, 30)
    from simulations.models import ClaimLine

    ClaimLine.objects.bulk_create(
        ClaimLine(shift=b1, claim=claim, line_id=f"x-{n}", position=10 + n, code="J1100", units=1, pointers=["A"],
                  charge=Decimal("4.00"))
        for n in range(10)
    )  # fmt: skip
    assert (_queries(client, ledger_url), _queries(client, claim_url)) == small


# ---- persistence keeps the balance ---------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)


# The shift is built once; each example starts by clearing the patient's entries.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(charges=st.lists(amounts, min_size=1, max_size=6), paid_share=st.integers(0, 100), pr_share=st.integers(0, 100))
def test_persisting_and_reloading_a_ledger_keeps_the_balance_to_the_cent(b1, charges, paid_share, pr_share):
    p = patient(b1, "jon-smith")
    LedgerEntry.objects.for_shift(b1).filter(patient=p).delete()
    ledger = dl.Ledger()
    for n, amount in enumerate(charges):
        cid = f"c{n}"
        ledger.post(dl.Charge(entry_id=cid, posted_on=date(2026, 3, 10), amount=amount, service_date=date(2026, 3, 9),
                              code="J1100", claim_id="C1"))  # fmt: skip
        paid = (amount * paid_share / 100).quantize(Decimal("0.01"))
        if paid > 0:
            ledger.post(dl.Payment(entry_id=f"{cid}p", posted_on=date(2026, 3, 10), amount=paid,
                                   payer=dl.Party.INSURANCE, method=dl.PaymentMethod.EFT, charge_id=cid))  # fmt: skip
        rest = amount - paid
        moved = (rest * pr_share / 100).quantize(Decimal("0.01"))
        if moved > 0:
            ledger.post(dl.TransferToPatient(entry_id=f"{cid}t", posted_on=date(2026, 3, 10), amount=moved,
                                             group="PR", carc="2", charge_id=cid))  # fmt: skip
        if rest - moved > 0:
            ledger.post(dl.Adjustment(entry_id=f"{cid}a", posted_on=date(2026, 3, 10), amount=rest - moved,
                                      group="CO", carc="45", charge_id=cid))  # fmt: skip
    LedgerEntry.objects.bulk_create(billing_services.entry_row(e, shift=b1, patient=p) for e in ledger.entries)
    reloaded = billing_services.ledger_load(shift=b1, patient=p)
    view = ledger_view(shift=b1, patient=p)
    assert reloaded.balance() == ledger.balance() == view.balance
    assert (reloaded.insurance_balance(), reloaded.patient_balance()) == (view.insurance, view.patient)
    assert view.charges - view.payments - view.adjustments == view.balance


def _g(**billing):
    from datetime import UTC, datetime

    from simulations.grading import GradingInput

    return GradingInput(rules={}, now=datetime(2026, 3, 10, tzinfo=UTC), patients={}, appointments=[], chart=[], log=[],
                        billing={"claims": [], "remittances": [], "ledger": [], **billing})  # fmt: skip


def test_claim_clean_fails_when_the_claim_went_out_with_scrubber_findings():
    from simulations.grading.billing import claim_clean

    claim = {"patient": "p", "scrub": [{"box": "23", "key": "missing_prior_auth", "reason": "needs auth"}]}
    outcome = claim_clean(_g(claims=[claim]), patient="p")
    assert not outcome.passed and "box 23" in outcome.detail
    assert not claim_clean(_g(claims=[{"patient": "p", "scrub": None}]), patient="p").passed
    assert claim_clean(_g(claims=[{"patient": "p", "scrub": []}]), patient="p").passed


def test_no_co_to_patient_allows_the_pr_share_and_flags_anything_more():
    from simulations.grading.billing import no_co_to_patient

    remit = {"patient": "p", "claim": "C1", "posted": True, "data": {"claims": [{"lines": [
        {"line_id": "C1-1", "adjustments": [{"group": "CO", "carc": "45", "amount": "50.00"},
                                            {"group": "PR", "carc": "3", "amount": "3.00"}]}]}]}}  # fmt: skip

    def transfer(amount):
        return {"patient": "p", "kind": "transfer", "amount": amount, "party": "", "group": "PR", "carc": "3",
                "charge_id": "C1-1"}  # fmt: skip

    assert no_co_to_patient(_g(remittances=[remit], ledger=[transfer("3.00")]), patient="p").passed
    outcome = no_co_to_patient(_g(remittances=[remit], ledger=[transfer("3.00"), transfer("0.01")]), patient="p")
    assert not outcome.passed and "C1-1" in outcome.detail
