from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from simulations.billing.adjudication import adjudicate
from simulations.billing.claims import BOX_INSTRUCTIONS, Frequency, Relationship, Sex, claim_scrub
from simulations.billing.money import MoneyError
from tests.simulations.billing.builders import DOS, TODAY, claim, line, person, plan


def _keys(problems):
    return [p.key for p in problems]


def test_clean_claim_has_no_problems():
    assert claim_scrub(claim(), today=TODAY, payer=plan(), history=()) == []


def test_total_charge_is_the_sum_of_lines_box_28():
    c = claim(lines=(line("1"), line("2", "SIM-IMM-ADMIN", "35.00")))
    assert c.total_charge == Decimal("145.00")


def test_every_problem_names_a_box_with_our_own_instruction():
    bad = claim(member_id="", diagnoses=("J20",), lines=(line(pointers=()),))
    problems = claim_scrub(bad, today=TODAY, payer=plan())
    assert problems
    for problem in problems:
        assert problem.box in BOX_INSTRUCTIONS or problem.box == "24", problem
        assert problem.reason


@pytest.mark.parametrize(
    ("overrides", "box", "key", "carc"),
    [
        ({"member_id": " "}, "1a", "missing_policy_number", "16"),
        ({"lines": (line(pointers=()),)}, "24E", "missing_pointer", "16"),
        (
            {
                "lines": (line(pointers=("A", "B", "C", "D", "E")),),
                "diagnoses": ("J20.9", "R05.1", "E11.9", "I10", "Z23"),
            },
            "24E",
            "too_many_pointers",
            "16",
        ),
        ({"lines": (line(pointers=("C",)),)}, "24E", "dangling_pointer", "16"),
        ({"diagnoses": ("J20",)}, "21", "non_billable_icd", "16"),
        ({"diagnoses": ("ZZZ.9",)}, "21", "non_billable_icd", "16"),
        ({"diagnoses": ()}, "21", "no_diagnosis", "16"),
        ({"diagnoses": ("J20.9",) * 13}, "21", "too_many_diagnoses", "16"),
        ({"patient": person(birth_date=DOS + timedelta(days=1))}, "3", "dob_after_dos", "14"),
        ({"lines": (line(code="J3301", charge="12.00"),)}, "23", "missing_prior_auth", "197"),
        ({"lines": (line(service_date=TODAY - timedelta(days=91)),)}, "24A", "filing_limit_passed", "29"),
        ({"lines": (line(service_date=TODAY + timedelta(days=1)),)}, "24A", "future_dos", "16"),
        ({"lines": (line(modifiers=("25",)),)}, "24D", "invalid_modifier", "4"),
        ({"lines": (line(code="99213"),)}, "24D", "unknown_procedure", "16"),
        ({"lines": (line(code="SIM-IMM-ADMIN", charge="35.00"),)}, "24E", "dx_inconsistent", "11"),
        ({"diagnoses": ("N40.0",)}, "21", "dx_sex_mismatch", "10"),
        ({"lines": (line(code="G0102", charge="45.00"),)}, "24D", "procedure_sex_mismatch", "7"),
        ({"lines": (line(charge="99.00"),)}, "24F", "charge_not_fee", None),
        ({"frequency": Frequency.REPLACEMENT}, "22", "missing_original_ref", "16"),
        ({"frequency": Frequency.REPLACEMENT, "original_claim_ref": "NOPE"}, "22", "unknown_original_ref", "16"),
        ({"billing_provider": replace(claim().billing_provider, npi="1234567890")}, "33a", "invalid_npi", "16"),
        ({"billing_provider": replace(claim().billing_provider, tax_id="")}, "25", "missing_tax_id", "16"),
    ],
)
def test_scrubber_names_box_reason_and_carc_for_each_seeded_defect(overrides, box, key, carc):
    problems = claim_scrub(claim(**overrides), today=TODAY, payer=plan())
    matching = [p for p in problems if p.key == key]
    assert matching, _keys(problems)
    assert matching[0].box == box and matching[0].carc == carc


def test_scrubber_flags_coverage_inactive_on_date_of_service():
    problems = claim_scrub(claim(), today=TODAY, payer=plan(effective_to=DOS - timedelta(days=1)))
    assert ("24A", "coverage_inactive", "27") in [(p.box, p.key, p.carc) for p in problems]


def test_sex_checks_skip_unknown_sex_and_matching_sex():
    male = person(sex=Sex.MALE)
    assert claim_scrub(claim(patient=male, insured=male, diagnoses=("N40.0",)), today=TODAY, payer=plan()) == []
    unknown = person(sex=Sex.UNKNOWN)
    assert claim_scrub(claim(patient=unknown, insured=unknown, diagnoses=("O80",)), today=TODAY, payer=plan()) == []


def test_prior_auth_present_satisfies_the_payer():
    c = claim(lines=(line(code="J3301", charge="12.00"),), prior_authorization="AUTH778")
    assert "missing_prior_auth" not in _keys(claim_scrub(c, today=TODAY, payer=plan()))


def test_filing_limit_counts_days_from_the_date_of_service():
    on_limit = claim(lines=(line(service_date=TODAY - timedelta(days=90)),))
    assert "filing_limit_passed" not in _keys(claim_scrub(on_limit, today=TODAY, payer=plan()))


def test_duplicate_of_an_earlier_claim_is_flagged_per_line():
    earlier = claim(claim_id="CLM0999")
    problems = claim_scrub(claim(), today=TODAY, payer=plan(), history=[earlier])
    assert [(p.box, p.key, p.carc, p.line_id) for p in problems] == [("24", "duplicate", "18", "1")]


def test_same_service_for_another_member_or_date_is_not_a_duplicate():
    other_member = claim(claim_id="CLM0999", member_id="SIMW000")
    other_day = claim(claim_id="CLM0998", lines=(line(service_date=date(2026, 2, 2)),))
    assert claim_scrub(claim(), today=TODAY, payer=plan(), history=[other_member, other_day]) == []


def test_original_resent_as_original_with_the_same_number_is_a_duplicate():
    problems = claim_scrub(claim(), today=TODAY, payer=plan(), history=[claim()])
    assert [p.key for p in problems] == ["duplicate"]


def test_replacement_quotes_the_payer_claim_number_and_is_not_a_duplicate_of_the_original():
    original = claim()
    remitted = [adjudicate(original, plan(), received_on=TODAY)]
    replacement = claim(frequency=Frequency.REPLACEMENT, original_claim_ref=remitted[0].payer_claim_number)
    assert claim_scrub(replacement, today=TODAY, payer=plan(), history=[original], remitted=remitted) == []


def test_replacement_quoting_the_practice_claim_number_is_flagged():
    problems = claim_scrub(
        claim(frequency=Frequency.REPLACEMENT, original_claim_ref="CLM1001"),
        today=TODAY,
        payer=plan(),
        history=[claim()],
    )
    assert [(p.box, p.key) for p in problems] == [("22", "original_ref_not_payer_number")]


def test_a_voided_claim_no_longer_counts_as_an_earlier_claim():
    original = claim(claim_id="CLM0999")
    void = claim(claim_id="CLM0999", frequency=Frequency.VOID, original_claim_ref="260305CLM0999")
    assert claim_scrub(claim(), today=TODAY, payer=plan(), history=[original, void]) == []


def test_child_on_parent_plan_keeps_both_people():
    child = person(first_name="JORDAN", birth_date=date(2015, 1, 1))
    c = claim(patient=child, relationship=Relationship.CHILD)
    assert c.insured.first_name == "ALEX" and c.patient.first_name == "JORDAN"
    assert claim_scrub(c, today=TODAY, payer=plan()) == []


def test_service_line_refuses_negative_charge_and_zero_units():
    with pytest.raises(MoneyError):
        line(charge="-5.00")
    with pytest.raises(ValueError, match="units"):
        line(units=0)
