from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.grading import AnswerError, answer_clean, answer_grade


def content(kind: str, data: dict) -> dict:
    if "options" in data:
        data = {"options": [{"id": f"o{n}", **option} for n, option in enumerate(data["options"])]}
    return {"type": kind, "data": data}


SINGLE = content("single", {"options": [{"text": "A", "correct": True}, {"text": "B", "correct": False}]})
MULTIPLE = content(
    "multiple",
    {"options": [{"text": "A", "correct": True}, {"text": "B", "correct": True}, {"text": "C", "correct": False}]},
)
TRUEFALSE = content("truefalse", {"answer": False})
NUMERIC = content("numeric", {"answer": "35.00", "tolerance": "0.50", "unit": "$"})
SHORTTEXT = content("shorttext", {"accepted": ["CO-45", "CO 45"]})
ORDERING = content("ordering", {"items": ["a", "b", "c", "d"]})
MATCHING = content("matching", {"pairs": [{"prompt": "1", "answer": "x"}, {"prompt": "2", "answer": "y"}]})


def grade(question: dict, raw) -> Decimal:
    return answer_grade(question, answer_clean(question, raw))


@pytest.mark.parametrize(("raw", "expected"), [("o0", 1), ("o1", 0), (None, 0)])
def test_single_choice_is_all_or_nothing(raw, expected):
    assert grade(SINGLE, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["o0", "o1"], Decimal("1")),
        (["o0"], Decimal("0.5")),
        (["o0", "o2"], Decimal("0")),  # +1/2 − 1/2
        (["o2"], Decimal("0")),  # floored at zero, never negative
        (["o0", "o1", "o2"], Decimal("0.5")),
        ([], Decimal("0")),
    ],
)
def test_multiple_response_earns_and_loses_a_share_per_option(raw, expected):
    assert grade(MULTIPLE, raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("false", 1), ("true", 0)])
def test_true_false(raw, expected):
    assert grade(TRUEFALSE, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("35", 1), ("35.00", 1), (" $35.40 ", 1), ("34.50", 1), ("35.51", 0), ("1,035.00", 0), ("-35", 0)],
)
def test_numeric_uses_an_absolute_tolerance_on_decimals(raw, expected):
    assert grade(NUMERIC, raw) == expected


@pytest.mark.parametrize("raw", ["thirty-five", "35..0", "NaN", "Infinity", "1e"])
def test_a_malformed_number_is_a_validation_error_not_a_crash(raw):
    with pytest.raises(AnswerError, match="not a number"):
        answer_clean(NUMERIC, raw)


@pytest.mark.parametrize(("raw", "expected"), [("co-45", 1), ("  CO 45 ", 1), ("CO45", 0), ("PR-1", 0)])
def test_short_text_matches_case_insensitively_and_trimmed(raw, expected):
    assert grade(SHORTTEXT, raw) == expected


def test_short_text_length_is_bounded():
    with pytest.raises(AnswerError, match="at most"):
        answer_clean(SHORTTEXT, "x" * 201)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["i0", "i1", "i2", "i3"], Decimal("1")),
        (["i1", "i0", "i2", "i3"], Decimal("0.5")),
        (["i3", "i2", "i1", "i0"], Decimal("0")),
        (["i0", "", "", ""], Decimal("0.25")),
    ],
)
def test_ordering_earns_credit_per_item_in_the_right_place(raw, expected):
    assert grade(ORDERING, raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(["m0", "m1"], 1), (["m0", "m0"], Decimal("0.5")), (["m1", "m0"], 0)])
def test_matching_earns_credit_per_pair(raw, expected):
    assert grade(MATCHING, raw) == expected


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (SINGLE, "o9"),
        (SINGLE, ["o0"]),
        (MULTIPLE, ["o0", "o7"]),
        (MULTIPLE, "o0"),
        (TRUEFALSE, "maybe"),
        (ORDERING, ["i0", "i1"]),
        (ORDERING, ["i0", "i1", "i2", "x"]),
        (MATCHING, ["m0", "m5"]),
        (SHORTTEXT, 45),
    ],
)
def test_answers_that_could_not_come_from_the_form_are_rejected(question, raw):
    with pytest.raises(AnswerError):
        answer_clean(question, raw)


def test_an_unanswered_question_earns_nothing():
    for question in (SINGLE, MULTIPLE, TRUEFALSE, NUMERIC, SHORTTEXT, ORDERING, MATCHING):
        assert answer_clean(question, None) is None
        assert answer_grade(question, None) == 0


@given(
    correct=st.lists(st.booleans(), min_size=2, max_size=8).filter(any),
    chosen=st.sets(st.integers(min_value=0, max_value=7)),
)
def test_multiple_response_credit_is_always_between_0_and_1(correct, chosen):
    question = content("multiple", {"options": [{"text": str(n), "correct": c} for n, c in enumerate(correct)]})
    answer = [f"o{n}" for n in chosen if n < len(correct)]
    assert 0 <= grade(question, answer) <= 1


@given(order=st.permutations(["i0", "i1", "i2", "i3"]))
def test_ordering_credit_is_the_share_of_items_in_place(order):
    expected = Decimal(sum(1 for n, item in enumerate(order) if item == f"i{n}")) / 4
    assert grade(ORDERING, list(order)) == expected
