from datetime import date

from simulations.privacy.rules import (
    Ask,
    Channel,
    Outcome,
    PatientFacts,
    Request,
    Requester,
    Step,
    Verification,
    evaluate_request,
    request_grade,
)

VERIFIED = Verification(identifiers_checked=frozenset({"name", "dob"}))


def _daughter_asks_results():
    request = Request(requester=Requester.FAMILY, ask=Ask.RESULTS, requester_name="Nadia Haddad")
    return evaluate_request(request, PatientFacts(name="Karim Haddad", age=78), VERIFIED)


def test_results_given_to_a_family_member_without_permission_is_a_critical_error():
    decision = _daughter_asks_results()
    errors = decision.critical_errors("release_full", ["results"], ["verify_identity", "release"])
    assert [error.code for error in errors] == ["phi_to_unentitled"]
    assert errors[0].citation == "45 CFR 164.510(b)(1)"


def test_declining_and_offering_an_alternative_has_no_critical_error():
    decision = _daughter_asks_results()
    assert decision.critical_errors("decline", [], ["check_authorized_contacts", "offer_alternative"]) == []


def test_releasing_before_verifying_is_a_critical_error_even_to_the_patient():
    request = Request(requester=Requester.PATIENT, ask=Ask.RESULTS, requester_name="Lucy Tran")
    decision = evaluate_request(request, PatientFacts(name="Lucy Tran"), VERIFIED)
    assert decision.outcome is Outcome.RELEASE_FULL
    late = decision.critical_errors("release_full", ["results"], ["release", "verify_identity"])
    assert [error.code for error in late] == ["disclosure_before_verification"]
    never = decision.critical_errors("release_full", ["results"], [])
    assert [error.code for error in never] == ["disclosure_before_verification"]
    assert decision.critical_errors("release_full", ["results"], ["verify_identity", "release"]) == []


def test_a_voicemail_with_only_name_and_number_is_fine_but_a_result_is_not():
    request = Request(requester=Requester.STAFF, ask=Ask.LEAVE_MESSAGE, channel=Channel.PHONE)
    decision = evaluate_request(request, PatientFacts(), Verification())
    allowed = ["practice_name", "callback_number", "request_to_call_back"]
    assert decision.critical_errors("release_minimum_necessary", allowed, []) == []
    errors = decision.critical_errors("release_minimum_necessary", [*allowed, "results"], [])
    assert [error.code for error in errors] == ["phi_to_unentitled"]


def test_front_desk_editing_the_allergy_entry_is_a_critical_error():
    request = Request(requester=Requester.PATIENT, ask=Ask.AMENDMENT, received=date(2026, 1, 20))
    decision = evaluate_request(request, PatientFacts(), VERIFIED)
    errors = decision.critical_errors("accept_amendment_request", [], ["verify_identity", "edit_clinical_entry"])
    assert [error.code for error in errors] == ["edited_clinical_entry"]


def test_opening_a_neighbours_chart_for_a_coworker_is_a_critical_error():
    request = Request(requester=Requester.COWORKER, ask=Ask.APPOINTMENT_INFO)
    decision = evaluate_request(request, PatientFacts(), Verification())
    assert Step.DO_NOT_ACCESS_RECORD in decision.steps
    errors = decision.critical_errors("decline", [], ["open_record"])
    assert [error.code for error in errors] == ["access_without_need"]


def test_grade_gives_full_marks_for_the_right_decision_and_steps_in_order():
    request = Request(requester=Requester.PATIENT, ask=Ask.ACCESS_COPY, received=date(2026, 3, 2))
    decision = evaluate_request(request, PatientFacts(), VERIFIED)
    grade = request_grade(
        decision,
        decision_taken="accept_access_request",
        steps_taken=["verify_identity", "log_request", "compute_deadline"],
    )
    assert grade.score == 100
    assert grade.decision_correct


def test_grade_deducts_for_missing_and_misordered_steps_and_a_wrong_decision():
    request = Request(requester=Requester.PATIENT, ask=Ask.ACCESS_COPY, received=date(2026, 3, 2))
    decision = evaluate_request(request, PatientFacts(), VERIFIED)
    grade = request_grade(decision, decision_taken="decline", steps_taken=["log_request", "verify_identity"])
    assert not grade.decision_correct
    assert grade.missing_steps == [Step.COMPUTE_DEADLINE]
    assert grade.steps_out_of_order == [Step.LOG_REQUEST]
    assert grade.score == round(50 * 1 / 3)


def test_asking_the_reason_for_a_confidential_communication_request_costs_points():
    request = Request(requester=Requester.PATIENT, ask=Ask.CONFIDENTIAL_COMMUNICATION)
    decision = evaluate_request(request, PatientFacts(), VERIFIED)
    grade = request_grade(
        decision,
        decision_taken="accommodate",
        steps_taken=["verify_identity", "require_reason", "update_communication_preferences"],
    )
    assert grade.forbidden_actions == ["require_reason"]
    assert grade.score == 75


def test_any_critical_error_zeroes_the_grade():
    decision = _daughter_asks_results()
    grade = request_grade(
        decision,
        decision_taken="decline",
        steps_taken=["check_authorized_contacts", "offer_alternative"],
        content_released=["results"],
    )
    assert grade.critical_errors
    assert grade.score == 0


def test_route_is_accepted_and_decline_also_earns_decision_credit_for_a_minor_consent_service():
    request = Request(requester=Requester.PARENT, ask=Ask.RESULTS)
    decision = evaluate_request(request, PatientFacts(age=16, minor_consent_service=True), VERIFIED)
    assert decision.accepts("route_to_privacy_officer")
    assert decision.accepts("decline")
    assert not decision.accepts("release_full")


def test_an_adult_childs_parent_is_not_a_personal_representative():
    request = Request(requester=Requester.PARENT, ask=Ask.RESULTS, requester_name="Pat Doe")
    decision = evaluate_request(request, PatientFacts(age=22), VERIFIED)
    assert decision.outcome is Outcome.DECLINE
    assert decision.citations == ("45 CFR 164.508(a)(1)", "45 CFR 164.502(a)")


def test_workers_comp_carrier_gets_the_claim_dates_only_after_a_call_back():
    request = Request(requester=Requester.WORKERS_COMP, ask=Ask.SPECIFIC_DATES, requester_name="Keystone Comp")
    called = evaluate_request(request, PatientFacts(), Verification(called_back_number_on_file=True))
    assert called.outcome is Outcome.RELEASE_MINIMUM_NECESSARY
    assert called.citations[0] == "45 CFR 164.512(l)"
    assert Step.LOG_DISCLOSURE in called.steps
    assert evaluate_request(request, PatientFacts(), Verification()).outcome is Outcome.DECLINE
