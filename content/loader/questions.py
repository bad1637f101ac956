"""Parse a course's questions.yaml and its course.yaml quiz steps into plain data, checking each
question the way the grader will read it, so that a quiz can never hold an ungradable question."""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .errors import ContentError

QUESTION_TYPES = {"single", "multiple", "truefalse", "numeric", "shorttext", "ordering", "matching"}
QUIZ_FIELDS = {"pass_mark": 80, "attempts_allowed": 3, "time_limit_minutes": 0, "retry_delay_minutes": 0}
REVIEW_CHOICES = {"score", "full", "done"}


@dataclass
class QuestionData:
    source: str
    line: int
    key: str
    fields: dict
    content_hash: str = ""


@dataclass
class QuizData:
    source: str
    slug: str
    title: str
    fields: dict
    content_hash: str = ""


@dataclass
class QuestionBank:
    questions: list[QuestionData] = field(default_factory=list)


def stable_hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _item_lines(text: str, source: str) -> list[int]:
    """The line of each entry under `questions:`, so that errors can name it."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(source, (mark.line + 1) if mark else None, f"invalid YAML: {exc}") from exc
    if root is None or not isinstance(root, yaml.MappingNode):
        raise ContentError(source, 1, "expected `scenarios:` and `questions:`")
    for key, value in root.value:
        if key.value == "questions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    raise ContentError(source, 1, "no `questions:` list")


def _decimal(value, what: str, source: str, line: int) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ContentError(source, line, f"{what} {value!r} is not a number") from exc
    if not number.is_finite():
        raise ContentError(source, line, f"{what} {value!r} is not a number")
    return str(value)


def type_data(item: dict, source: str, line: int) -> dict:
    """The `data` JSON of a Question, in the shape quizzes.grading reads."""
    kind = item["type"]
    if kind in ("single", "multiple"):
        options = item.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise ContentError(source, line, f"a {kind} question needs at least two options")
        for option in options:
            if not isinstance(option, dict) or not str(option.get("text", "")).strip():
                raise ContentError(source, line, "every option needs text")
        correct = sum(1 for option in options if option.get("correct") is True)
        if kind == "single" and correct != 1:
            raise ContentError(
                source, line, f"a single-choice question needs exactly one correct option, not {correct}"
            )
        if kind == "multiple" and correct < 1:
            raise ContentError(source, line, "a multiple-response question needs at least one correct option")
        return {
            "options": [
                {
                    "id": f"o{n}",
                    "text": str(o["text"]),
                    "correct": o.get("correct") is True,
                    "feedback": str(o.get("feedback", "")),
                }
                for n, o in enumerate(options)
            ]
        }
    if kind == "truefalse":
        if not isinstance(item.get("answer"), bool):
            raise ContentError(source, line, "a true/false question needs `answer: true` or `answer: false`")
        return {"answer": item["answer"]}
    if kind == "numeric":
        if item.get("answer") in (None, ""):
            raise ContentError(source, line, "a numeric question needs an answer")
        return {
            "answer": _decimal(item["answer"], "answer", source, line),
            "tolerance": _decimal(item.get("tolerance", "0"), "tolerance", source, line),
            "unit": str(item.get("unit", "")),
        }
    if kind == "shorttext":
        accepted = item.get("accepted")
        if not isinstance(accepted, list) or not all(str(a).strip() for a in accepted) or not accepted:
            raise ContentError(source, line, "a short-text question needs a non-empty `accepted` list")
        return {"accepted": [str(a) for a in accepted]}
    if kind == "ordering":
        items = item.get("items")
        if not isinstance(items, list) or len(items) < 2:
            raise ContentError(source, line, "an ordering question needs at least two items")
        return {"items": [str(i) for i in items]}
    pairs = item.get("pairs")
    if not isinstance(pairs, list) or len(pairs) < 2:
        raise ContentError(source, line, "a matching question needs at least two pairs")
    for pair in pairs:
        if not isinstance(pair, dict) or not pair.get("prompt") or not pair.get("answer"):
            raise ContentError(source, line, "every pair needs a prompt and an answer")
    return {"pairs": [{"prompt": str(p["prompt"]), "answer": str(p["answer"])} for p in pairs]}


def parse_questions(path: Path, root: Path, course_slug: str) -> list[QuestionData]:
    source = str(path.relative_to(root))
    text = path.read_text(encoding="utf-8")
    lines = _item_lines(text, source)
    data = yaml.safe_load(text) or {}
    scenarios = {}
    for scenario in data.get("scenarios") or []:
        if not isinstance(scenario, dict) or not scenario.get("id") or not scenario.get("text"):
            raise ContentError(source, None, "every scenario needs an id and text")
        scenarios[scenario["id"]] = str(scenario["text"]).strip()
    questions: list[QuestionData] = []
    lines_by_key: dict[str, int] = {}
    for line, item in zip(lines, data["questions"], strict=True):
        if not isinstance(item, dict):
            raise ContentError(source, line, "a question is a mapping of fields")
        missing = [k for k in ("id", "type", "topic", "text", "feedback") if item.get(k) in (None, "")]
        if missing:
            raise ContentError(source, line, f"missing required field(s): {', '.join(missing)}")
        if str(item["id"]) in lines_by_key:
            raise ContentError(
                source, line, f"question id {item['id']!r} is already used on line {lines_by_key[str(item['id'])]}"
            )
        lines_by_key[str(item["id"])] = line
        if item["type"] not in QUESTION_TYPES:
            raise ContentError(
                source, line, f"unknown question type {item['type']!r}; use one of {sorted(QUESTION_TYPES)}"
            )
        if item.get("scenario") and item["scenario"] not in scenarios:
            raise ContentError(source, line, f"no scenario with id {item['scenario']!r} in this file")
        fields = {
            "type": item["type"],
            "course_slug": course_slug,
            "topic": str(item["topic"]),
            "lesson_slug": str(item.get("lesson", "")),
            "scenario": scenarios.get(item.get("scenario"), ""),
            "text": str(item["text"]).strip(),
            "data": type_data(item, source, line),
            "feedback": str(item["feedback"]).strip(),
        }
        questions.append(QuestionData(source=f"{source}#{item['id']}", line=line, key=str(item["id"]), fields=fields))
    return questions


def parse_quiz_step(step: dict, *, course_source: str, position: int) -> QuizData:
    where = f"step {position} (quiz {step.get('quiz')!r})"
    if not step.get("title"):
        raise ContentError(course_source, None, f"{where}: a quiz needs a title")
    fields: dict = {"title": str(step["title"])}
    for name, default in QUIZ_FIELDS.items():
        value = step.get(name, default)
        if not isinstance(value, int) or value < 0 or (name == "pass_mark" and value > 100):
            raise ContentError(course_source, None, f"{where}: {name} must be a whole number (0-100 for pass_mark)")
        fields[name] = value
    fields["review"] = step.get("review", "full")
    if fields["review"] not in REVIEW_CHOICES:
        raise ContentError(course_source, None, f"{where}: review must be one of {sorted(REVIEW_CHOICES)}")
    keys = step.get("questions") or []
    draws = step.get("draws") or []
    if not isinstance(keys, list) or not isinstance(draws, list) or not (keys or draws):
        raise ContentError(course_source, None, f"{where}: give a `questions` list, `draws`, or both")
    for draw in draws:
        if (
            not isinstance(draw, dict)
            or not isinstance(draw.get("topics"), list)
            or not isinstance(draw.get("count"), int)
            or draw["count"] < 1
        ):
            raise ContentError(course_source, None, f"{where}: each draw is {{topics: [...], count: N}}")
    fields["fixed_questions"] = [str(k) for k in keys]
    fields["draws"] = [{"topics": [str(t) for t in d["topics"]], "count": d["count"]} for d in draws]
    return QuizData(
        source=f"{course_source}#quiz:{step['quiz']}",
        slug=str(step["quiz"]),
        title=fields["title"],
        fields=fields,
        content_hash=stable_hash(fields),
    )


def check_quiz_questions(quiz: QuizData, bank: list[QuestionData], course_source: str) -> None:
    """Every fixed key exists in the course's bank and every draw can be filled."""
    keys = {q.key for q in bank}
    unknown = [k for k in quiz.fields["fixed_questions"] if k not in keys]
    if unknown:
        raise ContentError(course_source, None, f"quiz {quiz.slug!r}: unknown question id(s) {', '.join(unknown)}")
    fixed = set(quiz.fields["fixed_questions"])
    for draw in quiz.fields["draws"]:
        pool = [q for q in bank if q.fields["topic"] in draw["topics"] and q.key not in fixed]
        if len(pool) < draw["count"]:
            raise ContentError(
                course_source, None,
                f"quiz {quiz.slug!r}: draws {draw['count']} from {draw['topics']} but the bank holds {len(pool)}",
            )  # fmt: skip
