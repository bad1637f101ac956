"""The records desk: setup from the HIPAA request bank, the screens, the grading of typical wrong answers,
bad input, isolation between trainees, the audit trail and bounded queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from coursesite.audit.models import AuditEvent
from simulations import records_services as rs
from simulations import services
from simulations.grading.records import expected_decision
from simulations.models import ActionLog, Disclosure, RecordDocument, RecordSection, RecordsRequest
from simulations.privacy.rules import Outcome
from simulations.selectors import grading_input
from simulations.solutions import SOLUTIONS
from tests.factories import make_simulation, seed_for_variant


def _shift(course, learner, key: str, variant: int, slug: str | None = None):
    page = make_simulation(course, scenario=key, slug=slug or f"{key}-{variant}")
    return services.shift_start(learner=learner, page=page, seed=seed_for_variant(key, variant))


def _request(shift) -> RecordsRequest:
    return RecordsRequest.objects.for_shift(shift).select_related("patient").get()


def _verify(shift, request):
    identifiers = [k for k, v in request.stated.items() if v and k in rs.IDENTIFIER_LABELS]
    documents = [d.pk for d in RecordDocument.objects.for_shift(shift).filter(request=request)]
    return rs.records_identity_verify(shift=shift, request=request, identifiers=identifiers, document_ids=documents)


def _items(shift) -> dict:
    return {i["id"]: i for i in shift.result["items"]}


@pytest.fixture
def spouse_shift(office_course, trainee):
    """h04, variant 0: the husband comes alone; nothing on file lets him be told."""
    return _shift(office_course, trainee, "h04-spouse", 0)


# ---- setup from the bank -----------------------------------------------------------------------------


def test_a_shift_builds_the_request_documents_and_sections_from_its_bank_case(office_course, trainee):
    shift = _shift(office_course, trainee, "h05-relative-authorization", 2)  # authorization-not-signed
    request = _request(shift)
    assert request.case == "row09-daughter-asks-results/authorization-not-signed"
    assert request.requester == "family" and request.requester_name == "Nadia Haddad"
    assert request.patient.full_name == "Karim Haddad" and request.received_on == date(2026, 3, 10)
    form = RecordDocument.objects.for_shift(shift).get(kind="authorization")
    fields = dict(form.fields)
    assert fields["To whom (recipient)"] == "Nadia Haddad"
    assert fields["Signature"] == "" and fields["Date signed"] == ""  # the blank the trainee must spot
    keys = set(RecordSection.objects.for_shift(shift).values_list("key", flat=True))
    assert {"results", "visit-summary", "appointments"} <= keys
    assert Disclosure.objects.for_shift(shift).count() == 2  # the log's history: one excluded, one listed


def test_the_expected_answer_comes_from_the_rules_module(office_course, trainee):
    shift = _shift(office_course, trainee, "h01-patient-access", 0)
    expected = expected_decision(grading_input(shift=shift))
    assert expected.outcome is Outcome.ACCEPT_ACCESS_REQUEST
    assert expected.due == date(2026, 3, 10) + timedelta(days=30)  # received in the shift, 164.524(b)(2)


# ---- typical wrong answers -------------------------------------------------------------------------


def test_releasing_results_to_the_spouse_is_the_critical_error(spouse_shift):
    request = _request(spouse_shift)
    _verify(spouse_shift, request)
    rs.records_decide(
        shift=spouse_shift, request=request, user=None, decision="release_full", section_keys=["results"],
        delivery="pickup",
    )  # fmt: skip
    shift = services.shift_submit(shift=spouse_shift)
    items = _items(shift)
    assert shift.result["critical_errors"] == ["phi-to-unentitled"]
    assert shift.score == 0 and shift.passed is False
    assert "45 CFR 164.510(b)(1)" in items["phi-to-unentitled"]["detail"]
    assert not items["decision"]["passed"] and "decline" in items["decision"]["detail"]


def test_declining_the_spouse_with_an_alternative_passes(spouse_shift):
    SOLUTIONS["h04-spouse"](spouse_shift)
    shift = services.shift_submit(shift=spouse_shift)
    assert shift.passed and shift.score == 100
    assert not AuditEvent.objects.filter(action="phi_disclosed").exists()


def test_releasing_before_verifying_is_a_critical_error_even_to_the_right_person(office_course, trainee):
    shift = _shift(office_course, trainee, "h06-provider-treatment", 0)  # verifiable by a call back
    request = _request(shift)
    rs.records_decide(
        shift=shift, request=request, user=None, decision="release_full",
        section_keys=list(RecordSection.objects.for_shift(shift).values_list("key", flat=True)), delivery="fax",
    )  # fmt: skip
    shift = services.shift_submit(shift=shift)
    assert shift.result["critical_errors"] == ["phi-to-unentitled"]
    assert "before the requester's identity was verified" in _items(shift)["phi-to-unentitled"]["detail"]


def test_sending_the_payer_more_than_the_date_of_service_fails_minimum_necessary(office_course, trainee):
    shift = _shift(office_course, trainee, "h07-payer-minimum-necessary", 0)
    request = _request(shift)
    rs.records_call_back(shift=shift, request=request)
    everything = [s.key for s in RecordSection.objects.for_shift(shift)]
    rs.records_decide(
        shift=shift, request=request, user=None, decision="release_minimum_necessary", section_keys=everything,
        delivery="fax", steps=["limit_to_minimum_necessary"],
    )  # fmt: skip
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert not items["scope"]["passed"] and "45 CFR 164.502(b)" in items["scope"]["detail"]
    assert "phi-to-unentitled" in shift.result["critical_errors"]


def test_the_right_payer_release_is_not_logged_as_accountable(office_course, trainee):
    shift = _shift(office_course, trainee, "h07-payer-minimum-necessary", 0)
    SOLUTIONS["h07-payer-minimum-necessary"](shift)
    request = _request(shift)
    assert request.released == ["visit-2026-01-12"]  # only the date the claim concerns
    rs.disclosure_log(
        shift=shift, request=request, user=None, recipient="Bluecrest Health", purpose="Claim", description="Note",
        basis="public_health",
    )  # fmt: skip
    shift = services.shift_submit(shift=shift)
    assert not _items(shift)["disclosure-log"]["passed"]
    assert "164.528(a)(1)" in _items(shift)["disclosure-log"]["detail"]


def test_a_wrong_deadline_and_fee_lose_their_points_with_the_rule(office_course, trainee):
    shift = _shift(office_course, trainee, "h01-patient-access", 0)
    request = _request(shift)
    _verify(shift, request)
    rs.records_decide(
        shift=shift, request=request, user=None, decision="accept_access_request", delivery="mail",
        due_on=date(2026, 4, 10), fee="25.00",
    )  # fmt: skip
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert items["decision"]["passed"] and items["steps"]["passed"]
    assert not items["deadline"]["passed"] and "09 Apr 2026" in items["deadline"]["detail"]
    assert not items["fee"]["passed"] and "164.524(c)(4)" in items["fee"]["detail"]
    assert not shift.result["critical_errors"]


def test_the_office_fee_is_cost_based():
    assert rs.access_fee(pages=14, delivery="mail") == Decimal("5.00")
    assert rs.access_fee(pages=14, delivery="pickup") == Decimal("3.50")
    assert rs.access_fee(pages=400, delivery="portal") == Decimal("6.50")


def test_an_unsigned_authorization_authorizes_nothing(office_course, trainee):
    shift = _shift(office_course, trainee, "h05-relative-authorization", 2)
    request = _request(shift)
    _verify(shift, request)
    rs.records_decide(
        shift=shift, request=request, user=None, decision="release_full", section_keys=["results"], delivery="mail"
    )
    shift = services.shift_submit(shift=shift)
    assert "phi-to-unentitled" in shift.result["critical_errors"]


# ---- bad input changes nothing -------------------------------------------------------------------


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def _post(client, shift, request, data):
    return client.post(reverse("office_records_request", args=[shift.pk, request.pk]), data, follow=True)


def test_bad_input_gets_a_clear_message_and_changes_nothing(as_trainee, spouse_shift):
    request = _request(spouse_shift)
    before = ActionLog.objects.for_shift(spouse_shift).count()
    cases = [
        ({"action": "authority", "document": "999999"}, "not on file for this patient"),
        ({"action": "authority", "document": "abc"}, "Unknown document"),
        ({"action": "verify", "identifier": "name", "document": "999999"}, "did not come with this request"),
        ({"action": "decide", "decision": "release_full", "delivery": "mail"}, "tick at least one record section"),
        ({"action": "decide", "decision": "release_full", "section": "no-such"}, "not in this patient"),
        ({"action": "decide", "decision": "accept_access_request", "delivery": "mail"}, "Enter the date"),
        ({"action": "decide", "decision": "accept_access_request", "due_on": "2026-04-09", "delivery": "mail",
          "fee": "-1"}, "not negative"),
        ({"action": "log", "basis": "payment", "recipient": "x", "purpose": "y", "description": "z"},
         "Nothing was released"),
        ({"action": "check", "check": "edit_clinical_entry"}, "Choose what to check"),
        ({"action": "nonsense"}, "Choose an action"),
    ]  # fmt: skip
    for data, message in cases:
        response = _post(as_trainee, spouse_shift, request, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), (data, message)
    request.refresh_from_db()
    assert request.status == "open" and request.released == []
    assert ActionLog.objects.for_shift(spouse_shift).count() == before
    assert not AuditEvent.objects.filter(action="phi_disclosed").exists()


def test_a_decided_request_cannot_be_decided_again(as_trainee, spouse_shift):
    SOLUTIONS["h04-spouse"](spouse_shift)
    request = _request(spouse_shift)
    response = _post(as_trainee, spouse_shift, request, {"action": "decide", "decision": "release_full",
                                                         "section": "results", "delivery": "mail"})  # fmt: skip
    assert response.status_code == 400 and "can no longer be changed" in response.content.decode()
    request.refresh_from_db()
    assert request.decision == "decline" and request.released == []


# ---- the screens -------------------------------------------------------------------------------------


def test_working_a_request_through_the_screens(as_trainee, office_course, trainee):
    shift = _shift(office_course, trainee, "h06-provider-treatment", 0)
    request = _request(shift)
    inbox = as_trainee.get(reverse("office_records", args=[shift.pk]))
    assert inbox.status_code == 200 and request.requester_name in inbox.content.decode()
    page = as_trainee.get(reverse("office_records_request", args=[shift.pk, request.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        action="record_viewed", target=f"simulations.patient:{request.patient.pk}"
    ).exists()
    assert _post(as_trainee, shift, request, {"action": "callback"}).status_code == 200
    sections = list(RecordSection.objects.for_shift(shift).values_list("key", flat=True))
    response = _post(as_trainee, shift, request, {"action": "decide", "decision": "release_full", "section": sections,
                                                  "delivery": "fax"})  # fmt: skip
    assert response.status_code == 200 and "Decision recorded" in response.content.decode()
    assert AuditEvent.objects.filter(action="phi_disclosed").count() == 1
    log = as_trainee.get(reverse("office_disclosures", args=[shift.pk]) + f"?patient={request.patient.pk}")
    assert "County Health Department" in log.content.decode() and "164.528(a)(1)(i)" in log.content.decode()


# ---- isolation -------------------------------------------------------------------------------------


def test_another_trainees_requests_and_disclosure_log_are_404(as_trainee, office_course, trainee, other_trainee):
    mine = _shift(office_course, trainee, "h04-spouse", 0, slug="mine")
    theirs = services.shift_start(learner=other_trainee, page=mine.page, seed=seed_for_variant("h04-spouse", 0))
    their_request = _request(theirs)
    for url in [
        reverse("office_records", args=[theirs.pk]),
        reverse("office_records_request", args=[theirs.pk, their_request.pk]),
        reverse("office_disclosures", args=[theirs.pk]),
    ]:
        assert as_trainee.get(url).status_code == 404, url
    # Tampering: my shift in the URL, their request id.
    tampered = reverse("office_records_request", args=[mine.pk, their_request.pk])
    assert as_trainee.get(tampered).status_code == 404
    assert as_trainee.post(tampered, {"action": "callback"}).status_code == 404
    assert not ActionLog.objects.for_shift(theirs).exists()
    assert their_request.patient.full_name not in as_trainee.get(
        reverse("office_disclosures", args=[mine.pk])
    ).content.decode() or (their_request.patient.full_name == _request(mine).patient.full_name)


# ---- bounded queries -----------------------------------------------------------------------------


def _many_requests(shift, count: int):
    base = _request(shift)
    RecordsRequest.objects.bulk_create(
        RecordsRequest(shift=shift, patient=base.patient, key=f"extra-{n}", case=base.case, requester=base.requester,
                       requester_name=f"Caller {n}", channel=base.channel, ask=base.ask, ask_text=base.ask_text,
                       purpose=base.purpose, prompt=base.prompt, received_on=base.received_on)
        for n in range(count)
    )  # fmt: skip
    Disclosure.objects.bulk_create(
        Disclosure(shift=shift, patient=base.patient, disclosed_on=date(2025, 1, 1) + timedelta(days=n), recipient=f"R{n}",
                   purpose="p", description="d", basis="payment", excluded=True)
        for n in range(count)
    )  # fmt: skip


@pytest.mark.parametrize("name", ["office_records", "office_disclosures"])
def test_inbox_and_disclosure_log_run_a_fixed_number_of_queries(
    as_trainee, spouse_shift, django_assert_max_num_queries, name
):
    url = reverse(name, args=[spouse_shift.pk])
    as_trainee.get(url)
    _many_requests(spouse_shift, 30)
    with django_assert_max_num_queries(12):
        response = as_trainee.get(url)
    assert response.status_code == 200


def test_request_page_runs_a_fixed_number_of_queries(as_trainee, spouse_shift, django_assert_max_num_queries):
    request = _request(spouse_shift)
    url = reverse("office_records_request", args=[spouse_shift.pk, request.pk])
    as_trainee.get(url)
    with django_assert_max_num_queries(20):
        assert as_trainee.get(url).status_code == 200


# ---- the supervisor's view -----------------------------------------------------------------------


def test_the_replay_shows_the_shifts_disclosure_log(client, office_course, trainee, supervisor, cohort):
    shift = _shift(office_course, trainee, "h10-school-workers-comp", 0)  # school immunization: logged
    SOLUTIONS["h10-school-workers-comp"](shift)
    client.force_login(supervisor)
    body = client.get(reverse("office_replay", args=[shift.pk])).content.decode()
    assert "Accounting of disclosures" in body and "Cedar Hill Elementary" in body and "public_health" in body


def test_the_trainee_record_shows_each_shifts_disclosure_log(client, office_course, trainee, supervisor, cohort):
    shift = _shift(office_course, trainee, "h10-school-workers-comp", 0)
    SOLUTIONS["h10-school-workers-comp"](shift)
    client.force_login(supervisor)
    body = client.get(reverse("trainee_record", args=[cohort.pk, trainee.pk])).content.decode()
    assert f"Disclosure log: {shift.page.title}, shift 1" in body
    assert "Cedar Hill Elementary" in body and "County Health Department" in body


def test_a_scenario_naming_a_case_the_bank_does_not_have_is_refused():
    from pathlib import Path

    from simulations.scenarios import ScenarioError, scenario_parse

    text = (Path(__file__).resolve().parents[2] / "content" / "scenarios" / "h04-spouse.yaml").read_text()
    scenario_parse(text)
    with pytest.raises(ScenarioError, match="unknown case 'row10-spouse-with-patient/no-such-variant'"):
        scenario_parse(
            text.replace("row10-spouse-with-patient/other-couple", "row10-spouse-with-patient/no-such-variant")
        )


def test_handing_a_verified_patient_her_records_at_once_is_no_critical_error(office_course, trainee):
    """The rules expect the access request to be accepted (and the copy made within 30 days); releasing at
    the desk instead misses the log and deadline, but the patient is entitled to her own record."""
    shift = _shift(office_course, trainee, "h01-patient-access", 0)
    request = _request(shift)
    _verify(shift, request)
    rs.records_decide(
        shift=shift, request=request, user=None, decision="release_full", section_keys=["results"], delivery="pickup"
    )
    shift = services.shift_submit(shift=shift)
    items = _items(shift)
    assert shift.result["critical_errors"] == []
    assert not items["decision"]["passed"] and not items["deadline"]["passed"] and items["scope"]["passed"]


def test_reading_the_disclosure_log_is_audited(as_trainee, spouse_shift):
    as_trainee.get(reverse("office_disclosures", args=[spouse_shift.pk]))
    assert AuditEvent.objects.filter(
        action="disclosure_log_viewed", target=f"simulations.shift:{spouse_shift.pk}"
    ).exists()
