"""Checking and grading answers: pure functions over a question version's frozen content.

`content` is the JSON stored on a `QuestionVersion` (type, data, ...). Every answer is first cleaned
(`answer_clean`), which rejects anything that could not have come from the attempt form, then graded
(`answer_grade`) into a fraction of the question's credit between 0 and 1.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

ZERO, ONE = Decimal(0), Decimal(1)
MAX_TEXT_LENGTH = 200


class AnswerError(ValueError):
    """An answer that is malformed or names options the question does not have."""


def option_ids(content: dict) -> list[str]:
    return [option["id"] for option in content["data"].get("options", [])]


def item_ids(content: dict) -> list[str]:
    """Ids of the things a learner places: ordering items, or matching answers."""
    if content["type"] == "ordering":
        return [f"i{n}" for n in range(len(content["data"]["items"]))]
    return [f"m{n}" for n in range(len(content["data"]["pairs"]))]


def parse_decimal(raw: str) -> Decimal:
    text = str(raw).strip().replace(",", "").removeprefix("$").strip()
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise AnswerError(f"“{str(raw)[:40]}” is not a number.") from exc
    if not value.is_finite():
        raise AnswerError(f"“{str(raw)[:40]}” is not a number.")
    return value


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise AnswerError("Expected a text answer.")
    if len(raw) > MAX_TEXT_LENGTH:
        raise AnswerError(f"An answer may be at most {MAX_TEXT_LENGTH} characters.")
    return raw


def _placement(raw: Any, allowed: list[str]) -> list[str]:
    """An ordering or matching answer: one allowed id (or "" for unanswered) per slot."""
    if not isinstance(raw, list) or len(raw) != len(allowed):
        raise AnswerError("The answer does not fit this question.")
    for value in raw:
        if value != "" and value not in allowed:
            raise AnswerError("The answer names an item this question does not have.")
    return list(raw)


def answer_clean(content: dict, raw: Any) -> Any:
    """The answer in its stored form, or AnswerError. `None` means unanswered."""
    if raw is None or raw == "" or raw == []:
        return None
    kind = content["type"]
    if kind == "single":
        if _text(raw) not in option_ids(content):
            raise AnswerError("The answer names an option this question does not have.")
        return raw
    if kind == "multiple":
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise AnswerError("Expected a list of options.")
        unknown = set(raw) - set(option_ids(content))
        if unknown:
            raise AnswerError("The answer names an option this question does not have.")
        return sorted(set(raw))
    if kind == "truefalse":
        if raw not in ("true", "false"):
            raise AnswerError("Answer true or false.")
        return raw
    if kind == "numeric":
        parse_decimal(_text(raw))
        return raw.strip()
    if kind == "shorttext":
        return _text(raw).strip()
    if kind in ("ordering", "matching"):
        return _placement(raw, item_ids(content))
    raise AnswerError(f"Unknown question type {kind!r}.")


def grade_single(data: dict, answer: str) -> Decimal:
    correct = next(option["id"] for option in data["options"] if option["correct"])
    return ONE if answer == correct else ZERO


def grade_multiple(data: dict, answer: list[str]) -> Decimal:
    correct = {option["id"] for option in data["options"] if option["correct"]}
    chosen = set(answer)
    earned = Decimal(len(chosen & correct) - len(chosen - correct)) / len(correct)
    return max(ZERO, earned)


def grade_truefalse(data: dict, answer: str) -> Decimal:
    return ONE if (answer == "true") == bool(data["answer"]) else ZERO


def grade_numeric(data: dict, answer: str) -> Decimal:
    difference = abs(parse_decimal(answer) - Decimal(str(data["answer"])))
    return ONE if difference <= Decimal(str(data.get("tolerance") or "0")) else ZERO


def grade_shorttext(data: dict, answer: str) -> Decimal:
    accepted = {str(value).strip().casefold() for value in data["accepted"]}
    return ONE if answer.strip().casefold() in accepted else ZERO


def grade_ordering(data: dict, answer: list[str]) -> Decimal:
    right = sum(1 for position, item in enumerate(answer) if item == f"i{position}")
    return Decimal(right) / len(data["items"])


def grade_matching(data: dict, answer: list[str]) -> Decimal:
    # Slot n is the n-th prompt; its right answer is the n-th pair's answer, id "m<n>".
    right = sum(1 for position, chosen in enumerate(answer) if chosen == f"m{position}")
    return Decimal(right) / len(data["pairs"])


GRADERS = {
    "single": grade_single,
    "multiple": grade_multiple,
    "truefalse": grade_truefalse,
    "numeric": grade_numeric,
    "shorttext": grade_shorttext,
    "ordering": grade_ordering,
    "matching": grade_matching,
}


def answer_grade(content: dict, answer: Any) -> Decimal:
    """Fraction of credit earned (0..1), rounded to 4 places. An unanswered question earns 0."""
    if answer is None:
        return ZERO
    return GRADERS[content["type"]](content["data"], answer).quantize(Decimal("0.0001"))
