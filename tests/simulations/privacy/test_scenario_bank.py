"""Every scenario and variant of content/privacy/scenarios.yaml, run through the rules case by case."""

from collections import Counter

import pytest

from simulations.privacy.rules import Outcome, evaluate_request
from simulations.privacy.scenarios import scenarios_load

CASES = scenarios_load()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_scenario_gets_the_expected_decision_steps_and_citations(case):
    decision = evaluate_request(case.request, case.patient, case.verification)
    where = f"{case.source}:{case.line}"
    assert decision.outcome == case.expected.decision, where
    assert decision.steps == case.expected.steps, where
    assert decision.citations == case.expected.citations, where
    if case.expected.scope is not None:
        assert decision.scope == case.expected.scope, where
    if case.expected.due is not None:
        assert decision.due == case.expected.due, where
    assert decision.reason


def test_bank_covers_the_required_rows_each_with_two_variants():
    rows = {case.row for case in CASES}
    assert rows >= {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 22, 23, 24, 25, 28, 29}
    variants = Counter(case.variant_of for case in CASES if case.variant_of)
    assert len([case for case in CASES if not case.variant_of]) >= 14
    assert all(variants[case.id] >= 2 for case in CASES if not case.variant_of)


def test_some_variant_flips_the_decision_of_its_scenario():
    base = {case.id: case.expected.decision for case in CASES if not case.variant_of}
    flipped = [case.id for case in CASES if case.variant_of and case.expected.decision != base[case.variant_of]]
    assert len(flipped) >= 14


def test_every_decision_kind_is_exercised_by_the_bank():
    assert {case.expected.decision for case in CASES} == set(Outcome)
