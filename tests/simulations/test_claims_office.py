"""Claim follow-up in the office: the denial work queue (P4), corrected and void claims (B5), secondary
claims (B6), the claim batch (B4), 837P and 835 files; services, screens, grading and query counts."""

import io
from datetime import date
from decimal import Decimal

import pytest
import pyx12.params
import pyx12.x12n_document
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simulations import billing_services, claims_selectors, claims_services, services
from simulations.billing.adjudication import adjudicate, remittance_build
from simulations.billing.x12 import Envelope, PayerDetails, remittance_to_835
from simulations.claims_plans import claim_plan
from simulations.models import (
    ActionLog,
    Claim,
    ClaimLine,
    ClaimLink,
    DefectMark,
    DenialWork,
    LedgerEntry,
    Remittance,
)
from simulations.services import OfficeActionError
from simulations.solutions import SOLUTIONS, _claim_by_key
from tests.factories import make_simulation, seed_for_variant


def _start(course, learner, key: str, variant: int = 0):
    page = make_simulation(course, scenario=key, slug=f"{key}-{variant}")
    return services.shift_start(learner=learner, page=page, seed=seed_for_variant(key, variant))


@pytest.fixture
def p4(office_course, trainee):
    """P4 variant 0: CO-197 (d1), CO-16 (d2), CO-29 (d3), CO-22 (d4), CO-50 (d5), CO-27 (d6)."""
    return _start(office_course, trainee, "p4-denial-work-queue")


@pytest.fixture
def b5(office_course, trainee):
    """B5 variant 0: Li Chen's claim denied CO-16 (member ID typo); Eli Gonzales's claim to void."""
    return _start(office_course, trainee, "b5-corrected-claim")


def _state(shift) -> tuple[int, ...]:
    return tuple(
        model.objects.for_shift(shift).count()
        for model in (DenialWork, LedgerEntry, Claim, ClaimLink, ActionLog, Remittance, DefectMark)
    )


def _row(shift, key: str):
    claim = _claim_by_key(shift, key)
    return next(r for r in claims_selectors.denial_queue(shift=shift) if r.claim.pk == claim.pk)


def _work(shift, key: str, action: str, **kwargs):
    row = _row(shift, key)
    return claims_services.denial_work_record(
        shift=shift, claim=row.claim, line_id=row.line["line_id"], group=row.group, carc=row.carc, action=action,
        **kwargs,
    )  # fmt: skip


def _pyx12_valid(text: str) -> bool:
    return pyx12.x12n_document.x12n_document(
        pyx12.params.params(), io.StringIO(text), None, None, fd_json=io.StringIO()
    )


# ---- P4: the denial work queue -------------------------------------------------------------------


def test_the_queue_lists_each_denial_with_its_meaning_age_and_deadlines(p4):
    rows = claims_selectors.denial_queue(shift=p4)
    assert sorted(r.rule.code for r in rows) == ["CO-16", "CO-197", "CO-22", "CO-27", "CO-29", "CO-50"]
    auth = _row(p4, "d1")
    assert auth.line["code"] == "J3301" and auth.amount == Decimal("24.00")  # line 1 was paid: a partial denial
    assert auth.rule.description == "Pre-certification or authorization was not obtained"
    assert auth.age_days == (date(2026, 3, 10) - date(2026, 2, 20)).days
    assert auth.appeal_deadline == date(2026, 8, 19)  # Harborlight (HMO): 180 days from the remittance
    assert auth.filing_deadline == date(2026, 3, 18)  # 02/16 + the 30-day limit of this shift's Harborlight


@pytest.mark.parametrize(
    ("key", "action", "kwargs", "message"),
    [
        ("d1", "bill_patient", {}, "balance billing"),
        ("d1", "appeal", {"reason": "The retro-authorization covers it."}, "Attach at least one document"),
        ("d1", "appeal", {"reason": "short", "documents": ["retro_authorization"]}, "reason for the appeal"),
        ("d1", "appeal", {"reason": "x" * 30, "documents": ["a-forged-letter"]}, "Attach at least one document"),
        ("d3", "write_off", {"reason": ""}, "reason for the write-off"),
        ("d1", "bill_secondary", {}, "no other coverage on file"),
        ("d1", "shred_it", {}, "Choose what to do"),
    ],
)
def test_a_wrong_or_incomplete_denial_action_is_refused_and_changes_nothing(p4, key, action, kwargs, message):
    before = _state(p4)
    with pytest.raises(OfficeActionError, match=message):
        _work(p4, key, action, **kwargs)
    assert _state(p4) == before


def test_each_action_does_its_work(p4):
    appeal = _work(
        p4, "d1", "appeal", reason="Retro-authorization RA-HL-30917 was granted.", documents=["retro_authorization"]
    )
    assert appeal.details["deadline"] == "2026-08-19" and appeal.details["documents"] == ["retro_authorization"]
    corrected = _work(p4, "d2", "correct_resubmit")
    replacement = Claim.objects.for_shift(p4).get(number=corrected.details["claim"])
    original = _claim_by_key(p4, "d2")
    assert replacement.frequency == "7" and replacement.status == "draft"
    assert replacement.original_ref == Remittance.objects.get(claim=original).data["claims"][0]["payer_claim_number"]
    assert ClaimLink.objects.get(claim=replacement).source == original
    written = _work(p4, "d3", "write_off", reason="Filed after Harborlight's 30-day limit.")
    assert written.details["reason"].startswith("Filed after")
    with pytest.raises(OfficeActionError, match="already been worked"):
        _work(p4, "d3", "write_off", reason="twice")


def test_billing_the_other_payer_sends_the_claim_to_the_plan_that_should_pay(p4):
    work = _work(p4, "d4", "bill_secondary", note="Bluepine is primary for Connor Hoang (employer plan).")
    original = _claim_by_key(p4, "d4")  # Meridian answered CO-22: it is not primary
    rebill = Claim.objects.for_shift(p4).get(number=work.details["claim"])
    assert (rebill.payer_key, rebill.member_id, rebill.status) == ("bluepine", "BL27906571", "draft")
    assert ClaimLink.objects.get(claim=rebill).kind == "rebill" and work.details["payer"] == "bluepine"
    remittance = billing_services.claim_submit(shift=p4, claim=rebill)
    assert remittance.data["claims"][0]["status"] == "1" and remittance.data["payer_id"] == "SIMBP1"
    billing_services.remittance_post(shift=p4, remittance=remittance)
    from simulations.billing_selectors import ledger_view

    account = ledger_view(shift=p4, patient=original.patient)
    assert account.insurance == Decimal("0.00") and account.patient > 0  # the charge is settled by Bluepine


def test_a_write_off_of_an_open_denial_posts_an_adjustment_with_its_reason(p4):
    line_id = _row(p4, "d6").line["line_id"]
    _work(p4, "d6", "write_off", reason="Office policy: small balance")
    entry = LedgerEntry.objects.for_shift(p4).get(entry_id=f"W-{line_id}-CO27")
    assert entry.kind == "adjustment" and entry.amount == Decimal("110.00") and "small balance" in entry.reference


def test_the_worked_solution_passes_and_a_wrong_action_fails_with_the_rule(office_course, trainee):
    shift = _start(office_course, trainee, "p4-denial-work-queue")
    _work(shift, "d5", "write_off", reason="Not worth appealing")  # CO-50 must be appealed
    SOLUTIONS["p4-denial-work-queue"](shift)
    shift = services.shift_submit(shift=shift)
    items = {i["id"]: i for i in shift.result["items"]}
    assert not items["d5"]["passed"] and "appeal with the documentation" in items["d5"]["detail"]
    assert all(items[k]["passed"] for k in ("d1", "d2", "d3", "d4", "d6"))
    assert Decimal(shift.score) < 100


def test_an_appeal_without_what_the_reason_needs_fails_the_check(office_course, trainee):
    shift = _start(office_course, trainee, "p4-denial-work-queue")
    _work(shift, "d1", "appeal", reason="Please reconsider this claim, it was needed.", documents=["visit_note"])
    shift = services.shift_submit(shift=shift)
    item = {i["id"]: i for i in shift.result["items"]}["d1"]
    assert not item["passed"] and "Retro-authorization from the payer" in item["detail"]


# ---- B5: replacement and void --------------------------------------------------------------------


def _fix(shift, claim: Claim, **changes) -> Claim:
    lines = ClaimLine.objects.for_shift(shift).filter(claim=claim)
    data = {
        "member_id": claim.member_id, "group_number": claim.group_number,
        "prior_authorization": claim.prior_authorization, "diagnoses": claim.diagnoses,
        "lines": {ln.line_id: {"pointers": ln.pointers, "modifiers": ln.modifiers} for ln in lines}, **changes,
    }  # fmt: skip
    return claims_services.claim_correct(shift=shift, claim=claim, data=data)


def test_a_replacement_is_adjudicated_in_place_of_the_original_and_posts_to_the_same_charges(b5):
    original = _claim_by_key(b5, "orig")
    new = claims_services.claim_correction_start(shift=b5, claim=original)
    _fix(b5, new, member_id="BL41340138")
    remittance = billing_services.claim_submit(shift=b5, claim=new)
    new.refresh_from_db()
    codes = {a["carc"] for c in remittance.data["claims"] for ln in c["lines"] for a in ln["adjustments"]}
    assert new.status == "adjudicated" and "18" not in codes and "16" not in codes
    assert new.scrub_at_submission == []
    billing_services.remittance_post(shift=b5, remittance=remittance)
    charge_ids = set(
        LedgerEntry.objects.for_shift(b5).filter(claim_number=new.number).values_list("charge_id", flat=True)
    )
    assert charge_ids == {f"{original.number}-1"}  # the original charge, not a new one


def test_resending_a_correction_as_a_new_original_is_a_duplicate_and_a_critical_error(office_course, trainee):
    shift = _start(office_course, trainee, "b5-corrected-claim", 1)  # Grace Sandoval: line 1 was paid
    original = _claim_by_key(shift, "orig")
    new = claims_services.claim_correction_start(shift=shift, claim=original, frequency="1")
    assert new.original_ref == ""
    _fix(shift, new, prior_authorization="RA-HL-30917")
    remittance = billing_services.claim_submit(shift=shift, claim=new)
    codes = [a["carc"] for ln in remittance.data["claims"][0]["lines"] for a in ln["adjustments"]]
    assert codes == ["18", "18"]  # the payer already has both services
    assert "duplicate" in [p["key"] for p in Claim.objects.get(pk=new.pk).scrub_at_submission]
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["duplicate"] and not shift.passed


def test_changing_more_than_the_fixed_field_fails_the_replacement_check(office_course, trainee):
    shift = _start(office_course, trainee, "b5-corrected-claim")
    new = claims_services.claim_correction_start(shift=shift, claim=_claim_by_key(shift, "orig"))
    _fix(shift, new, member_id="BL41340138", group_number="G0000")
    billing_services.claim_submit(shift=shift, claim=new)
    shift = services.shift_submit(shift=shift)
    item = {i["id"]: i for i in shift.result["items"]}["replacement"]
    assert not item["passed"] and "group_number" in item["detail"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"member_id": ""}, "Box 1a: enter the member ID"),
        ({"member_id": "BL-4134-0138"}, "letters and digits only"),
        ({"diagnoses": ["J3O.9"]}, "not a billable ICD-10-CM code"),
        ({"diagnoses": ["E78"]}, "not a billable ICD-10-CM code"),
        ({"lines": {"*": {"pointers": ["A", "B", "C", "D", "E"]}}}, "at most 4"),
        ({"lines": {"*": {"pointers": ["C"]}}}, "points to no diagnosis"),
        ({"lines": {"*": {"modifiers": ["25"]}}}, "not a modifier this office uses"),
    ],
)
def test_a_bad_correction_is_refused_with_a_clear_message_and_changes_nothing(b5, changes, message):
    new = claims_services.claim_correction_start(shift=b5, claim=_claim_by_key(b5, "orig"))
    line = ClaimLine.objects.for_shift(b5).get(claim=new)
    if "lines" in changes:
        changes = {"lines": {line.line_id: changes["lines"]["*"]}}
    before = (_state(b5), new.member_id, new.diagnoses, line.pointers, line.modifiers)
    with pytest.raises(OfficeActionError, match=message):
        _fix(b5, new, **changes)
    new.refresh_from_db()
    line.refresh_from_db()
    assert (_state(b5), new.member_id, new.diagnoses, line.pointers, line.modifiers) == before


def test_a_void_quotes_the_payers_number_and_cannot_be_repeated_or_sent_for_a_paid_claim(office_course, trainee):
    shift = _start(office_course, trainee, "b5-corrected-claim", 1)
    paid_in_part = _claim_by_key(shift, "orig")
    with pytest.raises(OfficeActionError, match="take the payment back"):
        claims_services.claim_void(shift=shift, claim=paid_in_part)
    target = _claim_by_key(shift, "void")
    void = claims_services.claim_void(shift=shift, claim=target)
    assert (
        void.frequency == "8"
        and void.original_ref == Remittance.objects.get(claim=target).data["claims"][0]["payer_claim_number"]
    )
    with pytest.raises(OfficeActionError, match="already replaced or voided"):
        claims_services.claim_void(shift=shift, claim=target)
    with pytest.raises(OfficeActionError, match="already has a void"):
        claims_services.claim_correction_start(shift=shift, claim=target)


# ---- B6: secondary claims ------------------------------------------------------------------------


def test_a_secondary_claim_carries_the_primarys_payment_is_adjudicated_as_secondary_and_posts(client, trainee, p4):
    primary = _claim_by_key(p4, "d1")  # Grace Sandoval: the visit line was paid, the injection denied
    with pytest.raises(OfficeActionError, match="no other coverage"):
        claims_services.secondary_claim_create(shift=p4, claim=primary)
    p4.variant["setup"]["other_coverage"] = [
        {"patient": "grace-sandoval", "payer": "meridian", "member_id": "ME85209805", "group_number": "G4196"}
    ]
    p4.save(update_fields=["variant"])
    patient_owed = billing_selectors_patient(p4, primary)
    secondary = claims_services.secondary_claim_create(shift=p4, claim=primary)
    assert secondary.payer_key == "meridian" and secondary.member_id == "ME85209805"
    assert _pyx12_valid(claims_selectors.claim_837p(shift=p4, claim=secondary))
    assert "SVD*SIMHL5*" in claims_selectors.claim_837p(shift=p4, claim=secondary)
    client.force_login(trainee)
    page = client.get(reverse("office_claim", args=[p4.pk, secondary.pk])).content.decode()
    assert "Box 11d" in page and "Harborlight HMO" in page and "secondary" in page  # boxes 9/9a/9d/11d
    remittance = billing_services.claim_submit(shift=p4, claim=secondary)
    answer = remittance.data["claims"][0]
    assert answer["status"] == "2"
    assert {a["carc"] for ln in answer["lines"] for a in ln["adjustments"] if a["group"] == "OA"} == {"23"}
    billing_services.remittance_post(shift=p4, remittance=remittance)
    paid = sum(Decimal(ln["paid"]) for ln in answer["lines"])
    assert paid > 0 and billing_selectors_patient(p4, primary) == patient_owed - paid
    with pytest.raises(OfficeActionError, match="already exists"):
        claims_services.secondary_claim_create(shift=p4, claim=primary)


def billing_selectors_patient(shift, claim) -> Decimal:
    from simulations.billing_selectors import ledger_view

    return ledger_view(shift=shift, patient=claim.patient).patient


# ---- 835 in and out ------------------------------------------------------------------------------


def _awaiting_835(shift, key: str = "d2") -> tuple[Claim, str]:
    """A claim of the shift that was sent and whose answer is still on its way, and that answer as an 835."""
    claim = _claim_by_key(shift, key)
    Remittance.objects.filter(claim=claim).delete()
    LedgerEntry.objects.for_shift(shift).filter(claim_number=claim.number).exclude(kind="charge").delete()
    member_id = claim.patient.coverages.get(rank=1).member_id
    Claim.objects.filter(pk=claim.pk).update(status="submitted", member_id=member_id)
    claim.refresh_from_db()
    lines = list(ClaimLine.objects.for_shift(shift).filter(claim=claim))
    domain = billing_services.claim_domain(shift=shift, claim=claim, lines=lines)
    plan = claim_plan(shift=shift, payer_key=claim.payer_key, member_id=member_id)
    remit = remittance_build(
        [adjudicate(domain, plan, received_on=date(2026, 3, 9))], payer_id=plan.payer_id, payer_name=plan.payer_name,
        payee_name="Maple Grove Family Health", payee_npi="1555010101", trace_number="EFT7001", paid_on=date(2026, 3, 9),
    )  # fmt: skip
    text = remittance_to_835(
        remit,
        envelope=Envelope(sender_id="SIMBP1", receiver_id="1555010101", control_number=7001,
                          created_at=shift.clock_start),
        payer=PayerDetails(tax_id="990000000", address="PO BOX 100", city="Maple Grove", state="IL", zip_code="00501"),
    )  # fmt: skip
    return claim, text


def test_an_835_is_read_matched_to_its_claim_and_posted_once(p4):
    claim, text = _awaiting_835(p4)
    assert _pyx12_valid(text)
    (remittance,) = claims_services.remittance_import(shift=p4, text=text)
    assert remittance.claim == claim and remittance.posted and remittance.trace_number == "EFT7001"
    assert LedgerEntry.objects.for_shift(p4).filter(claim_number=claim.number, kind="payment").exists()
    before = _state(p4)
    with pytest.raises(OfficeActionError, match="Duplicate: claim .* already has a remittance .*this same 835"):
        claims_services.remittance_import(shift=p4, text=text)
    assert _state(p4) == before


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t, n: t.replace(f"CLP*{n}*", "CLP*C999-9*"), "not one of this office's claims"),
        (lambda t, n: "GS*HP*NOT AN ISA", "not a readable 835"),
        (lambda t, n: "", "Paste the 835 file"),
        (lambda t, n: t.replace("SVC*HC:SIM-OV-EST-15*110*", "SVC*HC:SIM-OV-EST-15*-110*"), "Negative or zero amounts"),
        (lambda t, n: t.replace("CAS*CO*45*30", "CAS*CO*45*31"), "does not balance"),
    ],
)
def test_a_bad_835_is_refused_with_a_clear_message_and_posts_nothing(p4, mutate, message):
    claim, text = _awaiting_835(p4)
    before = _state(p4)
    with pytest.raises(OfficeActionError, match=message):
        claims_services.remittance_import(shift=p4, text=mutate(text, claim.number))
    assert _state(p4) == before
    claim.refresh_from_db()
    assert claim.status == "submitted"


# ---- screens -------------------------------------------------------------------------------------


def test_the_denial_screens_show_the_queue_and_take_an_action(client, trainee, p4):
    client.force_login(trainee)
    page = client.get(reverse("office_denials", args=[p4.pk]))
    assert page.status_code == 200
    assert b"CO-197" in page.content and b"Pre-certification or authorization was not obtained" in page.content
    row = _row(p4, "d5")
    url = reverse("office_denial_work", args=[p4.pk, row.claim.pk, row.line["line_id"], "CO-50"])
    assert client.get(url).status_code == 200
    before = _state(p4)
    bad = client.post(url, {"action": "appeal", "reason": "Needed.", "documents": ["visit_note"]})
    assert bad.status_code == 400 and b"reason for the appeal" in bad.content and _state(p4) == before
    assert b"Needed." in bad.content  # the input is kept
    good = client.post(url, {"action": "appeal", "reason": "The visit note documents why the service was needed.",
                             "documents": ["visit_note", "letter_of_necessity"]})  # fmt: skip
    assert good.status_code == 302
    assert DenialWork.objects.for_shift(p4).get(claim=row.claim).action == "appeal"
    assert client.get(reverse("office_denial_work", args=[p4.pk, row.claim.pk, "nope", "CO-50"])).status_code == 404


def test_correcting_a_claim_through_the_screens_and_downloading_its_837p(client, trainee, b5):
    client.force_login(trainee)
    original = _claim_by_key(b5, "orig")
    page = client.get(reverse("office_claim", args=[b5.pk, original.pk]))
    assert b"Claim history" in page.content and b"Start a corrected claim" in page.content
    response = client.post(
        reverse("office_claim_followup", args=[b5.pk, original.pk]), {"do": "correct", "frequency": "7"}
    )
    new = Claim.objects.for_shift(b5).get(link__source=original)
    assert response["Location"] == reverse("office_claim_edit", args=[b5.pk, new.pk])
    line = ClaimLine.objects.for_shift(b5).get(claim=new)
    form = {"member_id": "BL41340138", "group_number": new.group_number, "dx-A": "E78.5", "dx-B": "F41.1",
            f"pointers-{line.pk}": "A B C D E", f"modifiers-{line.pk}": ""}  # fmt: skip
    bad = client.post(reverse("office_claim_edit", args=[b5.pk, new.pk]), form)
    assert bad.status_code == 400 and b"at most 4" in bad.content and b"BL41340138" in bad.content
    form[f"pointers-{line.pk}"] = "A B"
    assert client.post(reverse("office_claim_edit", args=[b5.pk, new.pk]), form).status_code == 302
    new.refresh_from_db()
    assert new.member_id == "BL41340138"
    download = client.get(reverse("office_claim_837p", args=[b5.pk, new.pk]))
    text = download.content.decode()
    assert download["Content-Disposition"].startswith("attachment") and "CLM*" in text and ":B:7*" in text
    assert "REF*F8*" in text and _pyx12_valid(text)
    assert client.post(reverse("office_claim", args=[b5.pk, new.pk])).status_code == 302  # submit
    view = client.get(reverse("office_remittance_835", args=[b5.pk, new.pk]))
    assert view.status_code == 200 and b"CLP*" in view.content
    assert _pyx12_valid(claims_selectors.remittance_835(shift=b5, remittance=Remittance.objects.get(claim=new)))


def test_the_835_screen_reads_a_pasted_file_and_refuses_an_unknown_claim(client, trainee, p4):
    client.force_login(trainee)
    claim, text = _awaiting_835(p4)
    url = reverse("office_era_import", args=[p4.pk])
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    unknown = text.replace(f"CLP*{claim.number}*", "CLP*C999-9*").encode()
    bad = client.post(url, {"text": "", "file": SimpleUploadedFile("era.835", unknown, content_type="text/plain")})
    assert bad.status_code == 400 and b"not one of this office" in bad.content
    assert client.post(url, {"text": text}).status_code == 302
    assert Remittance.objects.get(claim=claim).posted


def test_the_batch_screen_marks_defects(client, trainee, office_course):
    shift = _start(office_course, trainee, "b4-scrubber-defects")
    client.force_login(trainee)
    url = reverse("office_batch", args=[shift.pk])
    claim = _claim_by_key(shift, "b1")
    bad = client.post(url, {"claim": claim.pk, "defects": ["missing_policy_number", "made_up"]})
    assert bad.status_code == 400 and b"Unknown defect made_up" in bad.content
    assert not DefectMark.objects.for_shift(shift).exists()
    assert client.post(url, {"claim": claim.pk, "defects": ["missing_policy_number"]}).status_code == 302
    assert list(DefectMark.objects.for_shift(shift).values_list("defect", flat=True)) == ["missing_policy_number"]
    assert b'value="missing_policy_number" checked' in client.get(url).content
    page = client.get(reverse("office_claim", args=[shift.pk, claim.pk])).content
    assert b"switched off for this exercise" in page and b"Missing policy" not in page  # B4: no answers shown


def test_b4_over_marking_lowers_precision_and_fails(office_course, trainee):
    shift = _start(office_course, trainee, "b4-scrubber-defects")
    SOLUTIONS["b4-scrubber-defects"](shift)
    for key in ("b2", "b3", "b4"):
        claims_services.defects_mark(
            shift=shift, claim=_claim_by_key(shift, key), defects=["missing_policy_number", "invalid_npi", "duplicate"]
        )
    shift = services.shift_submit(shift=shift)
    found = {i["id"]: i for i in shift.result["items"]}["found"]
    assert not found["passed"] and "Precision" in found["detail"] and "Not a defect" in found["detail"]


def test_b4_seeded_defects_are_exactly_what_the_scrubber_finds(office_course, trainee):
    for variant in (0, 1):
        shift = _start(office_course, trainee, "b4-scrubber-defects", variant)
        expected = shift.variant["values"]["defects"]
        for claim in Claim.objects.for_shift(shift).filter(status="draft").select_related("appointment"):
            key = claim.appointment.key.removeprefix("claim-")
            found = [p.key for p in claims_services.claim_findings(shift=shift, claim=claim)]
            assert found == expected.get(key, []), (variant, key)


def test_b2_the_look_alikes_member_id_is_a_critical_error(office_course, trainee):
    shift = _start(office_course, trainee, "b2-cms1500-box-by-box")
    values = shift.variant["values"]
    claim = _claim_by_key(shift, "visit")
    _fix(shift, claim, member_id=values["lookalike_member"], diagnoses=values["dx"])
    shift = services.shift_submit(shift=shift)
    assert "wrong-insured" in shift.result["critical_errors"] and not shift.passed


# ---- query counts --------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_claims(shift, source: Claim, numbers: range) -> None:
    """Another denied (answered, posted) claim and another draft claim for each number."""
    lines = list(ClaimLine.objects.for_shift(shift).filter(claim=source))
    remittance = Remittance.objects.get(claim=source)
    for n in numbers:
        for status in ("denied", "draft"):
            claim = Claim.objects.create(
                shift=shift, patient=source.patient, appointment=source.appointment, number=f"X{n}{status}",
                payer_key=source.payer_key, service_date=source.service_date, created_at=source.created_at,
                diagnoses=source.diagnoses, status=status,
            )  # fmt: skip
            ClaimLine.objects.bulk_create(
                ClaimLine(shift=shift, claim=claim, line_id=f"X{n}{status}-{ln.position}", position=ln.position,
                          code=ln.code, units=ln.units, pointers=ln.pointers, charge=ln.charge)
                for ln in lines
            )  # fmt: skip
            if status == "denied":
                Remittance.objects.create(
                    shift=shift, claim=claim, trace_number=f"T{n}", paid_on=remittance.paid_on, data=remittance.data,
                    posted=True,
                )  # fmt: skip


def test_the_denial_queue_and_the_batch_take_a_fixed_number_of_queries(client, trainee, p4):
    client.force_login(trainee)
    denials, batch = reverse("office_denials", args=[p4.pk]), reverse("office_batch", args=[p4.pk])
    source = _claim_by_key(p4, "d5")
    _more_claims(p4, source, range(1))
    baseline = (_queries(client, denials), _queries(client, batch))
    _more_claims(p4, source, range(1, 13))
    assert len(claims_selectors.denial_queue(shift=p4)) == 6 + 13
    assert len(claims_selectors.claim_batch(shift=p4)) == 13
    assert (_queries(client, denials), _queries(client, batch)) == baseline
    with CaptureQueriesContext(connection) as ctx:
        claims_selectors.denial_queue(shift=p4)
    assert len(ctx.captured_queries) == 3


def test_sending_and_posting_a_claim_takes_the_same_queries_whatever_the_patients_history(p4):
    from simulations.claims_setup import _claim_build

    patient = _claim_by_key(p4, "d2").patient

    def send_one(n: int) -> int:
        item = {"key": f"q{n}", "patient": patient.key, "date": f"2026-02-{n + 1:02d}", "diagnoses": ["E78.5"],
                "lines": [{"code": "SIM-OV-EST-15", "units": 1}, {"code": "J1100", "units": 2}], "status": "draft"}  # fmt: skip
        claim = _claim_build(shift=p4, patient=patient, item=item, number=100 + n, history=[])
        with CaptureQueriesContext(connection) as ctx:
            billing_services.remittance_post(shift=p4, remittance=billing_services.claim_submit(shift=p4, claim=claim))
        return len(ctx.captured_queries)

    second = send_one(1)
    for n in range(2, 8):
        send_one(n)
    assert send_one(8) == second


def test_the_shipped_claim_scenarios_exercise_many_adjustment_reasons(office_course, trainee):
    seen = set()
    for key, variants in (("p4-denial-work-queue", 2), ("b5-corrected-claim", 1)):
        for variant in range(variants):
            shift = _start(office_course, trainee, key, variant)
            for remittance in Remittance.objects.for_shift(shift):
                for line in remittance.data["claims"][0]["lines"]:
                    seen |= {f"{a['group']}-{a['carc']}" for a in line["adjustments"]}
    assert len(seen) >= 12, sorted(seen)
    assert {"CO-45", "PR-1", "PR-2", "PR-3", "CO-16", "CO-18", "CO-29", "CO-197", "CO-11", "CO-22", "CO-109"} <= seen
