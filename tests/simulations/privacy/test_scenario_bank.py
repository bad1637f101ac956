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


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_doing_exactly_the_decision_raises_no_x_but_releasing_the_full_record_beyond_it_does(case):
    decision = evaluate_request(case.request, case.patient, case.verification)
    steps = [step.value for step in decision.steps]
    assert decision.critical_errors(decision.outcome, decision.scope, [*steps, "release"]) == []
    if "full_record" not in decision.scope:
        errors = decision.critical_errors(decision.outcome, [*decision.scope, "full_record"], [*steps, "release"])
        assert "phi_to_unentitled" in [error.code for error in errors]


def test_loader_names_file_and_line_of_an_unknown_field(tmp_path):
    from simulations.calls.source import DefinitionError

    path = tmp_path / "bank.yaml"
    path.write_text(
        "scenarios:\n"
        "  - id: one\n"
        "    request: {requester: patient, ask: results}\n"
        "    patient: {name: A, agee: 4}\n"
        "    expect: {decision: decline, steps: [], citations: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as info:
        scenarios_load(path)
    assert info.value.line == 4
    assert "unknown field(s) ['agee']" in info.value.message
    path.write_text(path.read_text().replace("agee", "age").replace("ask: results", "ask: gossip"))
    with pytest.raises(DefinitionError) as info:
        scenarios_load(path)
    assert info.value.line == 3
    assert "'gossip' is not a valid Ask" in info.value.message
