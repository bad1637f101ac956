from datetime import date

from simulations.privacy.authorization import AuthorizationForm, authorization_check, authorization_missing_elements
from simulations.privacy.deadlines import (
    DeadlineParameters,
    access_due,
    accounting_due,
    amendment_due,
    breach_individual_notice_due,
    hhs_small_breach_log_due,
)
from simulations.privacy.rules import (
    Ask,
    Authorization,
    PatientFacts,
    Request,
    Requester,
    Verification,
    evaluate_request,
)

COMPLETE = AuthorizationForm(
    information_description="Lab results 1 Jan - 31 Mar 2026",
    discloser="Maple Street Family Practice",
    recipient="Corbin Logistics",
    purpose="Return-to-work clearance",
    expiration=date(2026, 12, 31),
    signature="Joanna Price",
    signed_on=date(2026, 3, 1),
    states_right_to_revoke=True,
    states_conditioning=True,
    states_redisclosure=True,
)


def test_a_complete_form_has_no_problems():
    assert authorization_check(COMPLETE, as_of=date(2026, 4, 1)) == []


def test_a_blank_form_lists_every_core_element_and_statement():
    assert authorization_missing_elements(AuthorizationForm()) == [
        "information",
        "discloser",
        "recipient",
        "purpose",
        "expiration",
        "signature",
        "revocation_statement",
        "conditioning_statement",
        "redisclosure_statement",
    ]


def test_each_problem_cites_its_paragraph():
    problems = authorization_check(AuthorizationForm(expiration_event="end of the claim"))
    citations = [problem.citation for problem in problems]
    assert "45 CFR 164.508(c)(1)(v)" not in citations  # an expiration event is enough
    assert citations[0] == "45 CFR 164.508(c)(1)(i)"
    assert "45 CFR 164.508(c)(2)(iii)" in citations


def test_expired_revoked_and_representative_without_authority_are_invalid():
    from dataclasses import replace

    expired = authorization_check(COMPLETE, as_of=date(2027, 1, 1))
    assert [(p.code, p.citation) for p in expired] == [("expired", "45 CFR 164.508(b)(2)(i)")]
    revoked = authorization_check(replace(COMPLETE, revoked=True))
    assert [p.citation for p in revoked] == ["45 CFR 164.508(b)(2)(iii)"]
    by_rep = authorization_check(replace(COMPLETE, signed_by_representative=True))
    assert [p.code for p in by_rep] == ["representative_authority"]
    compound = authorization_check(replace(COMPLETE, conditions_treatment=True, combined_with_other_document=True))
    assert [p.citation for p in compound] == ["45 CFR 164.508(b)(3)", "45 CFR 164.508(b)(4)"]


def test_an_authorization_on_file_with_a_defective_form_does_not_permit_the_disclosure():
    from dataclasses import replace

    request = Request(
        requester=Requester.EMPLOYER,
        ask=Ask.APPOINTMENT_INFO,
        requester_name="Corbin Logistics",
        received=date(2026, 4, 1),
    )
    verified = Verification(called_back_number_on_file=True)

    def on_file(form):
        return PatientFacts(
            authorizations=(Authorization("Corbin Logistics", frozenset({Ask.APPOINTMENT_INFO}), form=form),)
        )

    assert evaluate_request(request, on_file(COMPLETE), verified).outcome == "release_full"
    unsigned = replace(COMPLETE, signature="")
    assert evaluate_request(request, on_file(unsigned), verified).outcome == "decline"


def test_request_deadlines_with_and_without_extension():
    received = date(2026, 3, 2)
    assert access_due(received) == date(2026, 4, 1)
    assert access_due(received, extended=True) == date(2026, 5, 1)
    assert accounting_due(received) == date(2026, 5, 1)
    assert accounting_due(received, extended=True) == date(2026, 5, 31)
    assert amendment_due(received) == date(2026, 5, 1)


def test_deadlines_are_configurable():
    shorter = DeadlineParameters(access_days=15, breach_individual_days=30)
    assert access_due(date(2026, 3, 2), params=shorter) == date(2026, 3, 17)
    assert breach_individual_notice_due(date(2026, 3, 2), params=shorter) == date(2026, 4, 1)


def test_breach_deadlines():
    assert breach_individual_notice_due(date(2026, 4, 7)) == date(2026, 6, 6)
    # fewer than 500: within 60 days after the end of the calendar year of discovery
    assert hhs_small_breach_log_due(date(2026, 4, 7)) == date(2027, 3, 1)
    assert hhs_small_breach_log_due(date(2027, 12, 31)) == date(2028, 2, 29)
