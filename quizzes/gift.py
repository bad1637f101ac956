"""Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format), read into and written from our bank.

`gift_parse(text)` gives plain question dicts in the loader's shape plus a list of problems, each
naming its line; an importer must refuse the whole file if there is any problem (all or nothing).
`gift_export(questions)` writes `Question`s back; re-reading an export gives questions that grade
every answer the same way.

What maps where: `::title::` is the question key, `$CATEGORY:` (its last part) the topic, `####` the
general feedback (required here, as in the YAML bank), `#...` after a choice its feedback. A
multiple-response question's right choices must share 100% equally; a wrong choice costs one right
choice's share whatever negative weight the file gives it (this platform's rule, exported as such).
Not supported, reported as problems: essays `{}`, description-only items, [html]/[moodle] text,
partial credit on single-choice or short answers, several weighted numeric answers, and per-answer
feedback where the bank has nowhere to keep it (true/false, short answer, numeric).
"""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

SPECIALS = "~=#{}:"
DEFAULT_TOPIC = "general"
BLANK = "_____"


@dataclass(frozen=True)
class GiftProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class _Skip(Exception):
    """One question cannot be imported; the message says why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def unescape(raw: str) -> str:
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            out.append("\n" if raw[i + 1] == "n" else raw[i + 1])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIALS:
        text = text.replace(char, "\\" + char)
    # A blank line ends a GIFT question, so every line break travels as \n.
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _find(raw: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after `start`, or -1."""
    i = start
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
            continue
        if raw.startswith(token, i):
            return i
        i += 1
    return -1


def _split(raw: str, markers: str) -> list[tuple[int, str]]:
    """Split at each unescaped marker character, keeping it: [(offset, "=right"), (offset, "~wrong")]."""
    parts, start, i = [], 0, 0
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
            continue
        if raw[i] in markers and i > start:
            parts.append((start, raw[start:i]))
            start = i
        i += 1
    parts.append((start, raw[start:]))
    return [(offset, part) for offset, part in parts if part.strip()]


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Questions and $CATEGORY lines as (first line number, lines), comments dropped."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped or stripped.startswith("$CATEGORY:"):
            if current:
                blocks.append((first, current))
                current = []
            if stripped:
                blocks.append((number, [stripped]))
            continue
        if not current:
            first = number
        current.append(line)
    if current:
        blocks.append((first, current))
    return blocks


@dataclass
class _Answer:
    line: int
    mark: str  # "=" or "~"
    weight: Decimal | None
    text: str
    feedback: str


WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def _answers(raw: str, line_of) -> list[_Answer]:
    answers = []
    for offset, part in _split(raw, "=~"):
        line = line_of(offset)
        part = part.strip()
        mark, body = part[0], part[1:].strip()
        if mark not in "=~":
            raise _Skip(line, f"an answer must start with = or ~, not “{part.strip()[:30]}”")
        weight = None
        if match := WEIGHT.match(body):
            weight, body = Decimal(match.group(1)), body[match.end() :].strip()
        hash_at = _find(body, "#")
        text, feedback = (body, "") if hash_at < 0 else (body[:hash_at], body[hash_at + 1 :])
        answers.append(_Answer(line, mark, weight, unescape(text).strip(), unescape(feedback).strip()))
    return answers


def _number(raw: str, line: int) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation as exc:
        raise _Skip(line, f"“{raw.strip()[:30]}” is not a number") from exc
    if not value.is_finite():
        raise _Skip(line, f"“{raw.strip()[:30]}” is not a number")
    return value


def _numeric(raw: str, line: int) -> dict:
    parts = _split(raw, "=")
    if len(parts) > 1:
        raise _Skip(line, "weighted numeric alternatives are not supported: give one value or range")
    body = parts[0][1].strip() if parts else ""
    body = body.removeprefix("=").strip()
    if match := WEIGHT.match(body):
        if Decimal(match.group(1)) != 100:
            raise _Skip(line, "a weighted numeric answer is not supported")
        body = body[match.end() :].strip()
    if _find(body, "#") >= 0:
        raise _Skip(line, "feedback on a numeric answer is not supported: use the general feedback (####)")
    body = unescape(body)
    if ".." in body:
        low, high = (_number(v, line) for v in body.split("..", 1))
        if low > high:
            raise _Skip(line, f"the range {body} runs backwards")
        return {"type": "numeric", "answer": str((low + high) / 2), "tolerance": str((high - low) / 2)}
    value, _, tolerance = body.partition(":")
    return {
        "type": "numeric",
        "answer": str(_number(value, line)),
        "tolerance": str(abs(_number(tolerance or "0", line))),
    }


def _no_feedback(answers: list[_Answer], kind: str) -> None:
    for answer in answers:
        if answer.feedback:
            raise _Skip(answer.line, f"feedback on a {kind} answer is not supported: use the general feedback (####)")


def _choice_item(answers: list[_Answer], line: int) -> dict:
    marks = {a.mark for a in answers}
    if any("->" in a.text for a in answers):
        if marks != {"="} or not all("->" in a.text for a in answers):
            raise _Skip(line, "a matching question needs every pair written as =prompt -> answer")
        _no_feedback(answers, "matching")
        pairs = [dict(zip(("prompt", "answer"), map(str.strip, a.text.split("->", 1)), strict=True)) for a in answers]
        return {"type": "matching", "pairs": pairs}
    if marks == {"="}:
        _no_feedback(answers, "short")
        for answer in answers:
            if answer.weight is not None and answer.weight != 100:
                raise _Skip(answer.line, "partial credit on a short answer is not supported")
        return {"type": "shorttext", "accepted": [a.text for a in answers]}
    options = []
    if "=" in marks:
        for answer in answers:
            if answer.mark == "~" and answer.weight:
                raise _Skip(answer.line, "partial credit on a single-choice answer is not supported")
            if answer.mark == "=" and answer.weight is not None and answer.weight != 100:
                raise _Skip(answer.line, "a right answer (=) must be worth 100%")
            options.append({"text": answer.text, "correct": answer.mark == "=", "feedback": answer.feedback})
        return {"type": "single", "options": options}
    right = [a.weight for a in answers if a.weight is not None and a.weight > 0]
    if not right:
        raise _Skip(line, "no right answer: mark one with = or give right choices positive weights (~%50%)")
    if len(set(right)) > 1 or abs(sum(right) - 100) > Decimal("0.01"):
        raise _Skip(line, "the right choices of a multiple-response question must share 100% equally")
    for answer in answers:
        options.append(
            {"text": answer.text, "correct": bool(answer.weight and answer.weight > 0), "feedback": answer.feedback}
        )
    return {"type": "multiple", "options": options}


TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _question(start: int, lines: list[str], topic: str) -> dict:
    raw = "\n".join(lines)

    def line_of(offset: int) -> int:
        return start + raw[:offset].count("\n")

    position, title = 0, ""
    if raw.lstrip().startswith("::"):
        opening = raw.index("::")
        closing = _find(raw, "::", opening + 2)
        if closing < 0:
            raise _Skip(start, "the title has no closing ::")
        title, position = unescape(raw[opening + 2 : closing]).strip(), closing + 2
    rest = raw[position:].lstrip()
    position = len(raw) - len(rest)
    if match := re.match(r"\[(\w+)\]", rest):
        if match.group(1) not in ("plain", "markdown"):
            raise _Skip(start, f"the [{match.group(1)}] text format is not supported: use [plain] or [markdown]")
        position += match.end()
    opening = _find(raw, "{", position)
    if opening < 0:
        raise _Skip(start, "a description without answers is not supported")
    closing = _find(raw, "}", opening + 1)
    if closing < 0:
        raise _Skip(line_of(opening), "the answers have no closing }")
    if (second := _find(raw, "{", closing + 1)) >= 0:
        raise _Skip(line_of(second), "a second set of answers: put a blank line between questions")
    before, after = unescape(raw[position:opening]).strip(), unescape(raw[closing + 1 :]).strip()
    text = f"{before} {BLANK} {after}".strip() if after else before
    if not text:
        raise _Skip(start, "the question has no text")
    inner, base = raw[opening + 1 : closing], opening + 1
    general_at = _find(inner, "####")
    feedback = unescape(inner[general_at + 4 :]).strip() if general_at >= 0 else ""
    body = inner[:general_at] if general_at >= 0 else inner
    body_line = line_of(base + len(body) - len(body.lstrip()))
    if not body.strip():
        raise _Skip(body_line, "essay questions ({}) are not supported")
    head = body.strip()
    hash_at = _find(head, "#", 1)
    if head.startswith("#"):
        item = _numeric(head[1:], body_line)
    elif (head if hash_at < 0 else head[:hash_at]).strip().upper() in TRUE_FALSE:
        if hash_at >= 0:
            raise _Skip(body_line, "feedback on a true/false answer is not supported: use the general feedback (####)")
        item = {"type": "truefalse", "answer": TRUE_FALSE[head.strip().upper()]}
    else:
        item = _choice_item(_answers(body, lambda offset: line_of(base + offset)), body_line)
    if not feedback:
        raise _Skip(line_of(closing), "general feedback (#### after the answers) is required")
    key = slugify(title)[:80] if title else ""
    if not key:
        key = "gift-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    return {**item, "id": key, "topic": topic, "text": text, "feedback": feedback, "line": start}


def gift_parse(text: str) -> tuple[list[dict], list[GiftProblem]]:
    """Questions in the loader's item shape (plus `line` and a checked `data`), and every problem found."""
    # The content loader checks each question exactly as for the YAML bank. Imported here because the
    # loader package itself imports quizzes.services, which imports this module.
    from content.loader.errors import ContentError
    from content.loader.questions import type_data

    questions: list[dict] = []
    problems: list[GiftProblem] = []
    topic = DEFAULT_TOPIC
    keys: dict[str, int] = {}
    for start, lines in _blocks(text):
        if lines[0].strip().startswith("$CATEGORY:"):
            path = lines[0].strip().removeprefix("$CATEGORY:").strip()
            topic = slugify(path.rstrip("/").rsplit("/", 1)[-1])[:80] or DEFAULT_TOPIC
            continue
        try:
            item = _question(start, lines, topic)
            item["data"] = type_data(item, "gift", start)
        except _Skip as exc:
            problems.append(GiftProblem(exc.line, str(exc)))
            continue
        except ContentError as exc:
            problems.append(GiftProblem(start, exc.message))
            continue
        if item["id"] in keys:
            problems.append(GiftProblem(start, f"the title {item['id']!r} is already used on line {keys[item['id']]}"))
            continue
        keys[item["id"]] = start
        questions.append(item)
    return questions, problems


def _percent(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.00001")).normalize(), "f")


def _answers_gift(question) -> str:
    data, kind = question.data, question.type
    if kind == "truefalse":
        return "TRUE" if data["answer"] else "FALSE"
    if kind == "numeric":
        return f"#{data['answer']}:{data.get('tolerance') or 0}"
    if kind == "shorttext":
        return " ".join(f"={escape(str(value))}" for value in data["accepted"])
    if kind == "matching":
        return " ".join(f"={escape(p['prompt'])} -> {escape(p['answer'])}" for p in data["pairs"])
    lines = []
    share = Decimal(100) / max(1, sum(1 for o in data["options"] if o.get("correct")))
    for option in data["options"]:
        if kind == "single":
            mark = "=" if option.get("correct") else "~"
        else:
            mark = f"~%{_percent(share if option.get('correct') else -share)}%"
        feedback = f"#{escape(option['feedback'])}" if option.get("feedback") else ""
        lines.append(f"\t{mark}{escape(option['text'])}{feedback}")
    return "\n" + "\n".join(lines) + "\n"


def gift_export(questions) -> str:
    """The questions as GIFT, grouped by topic; ordering questions (no GIFT form) are listed as skipped."""
    questions = sorted(questions, key=lambda q: (q.topic, q.key))
    skipped = [q.key for q in questions if q.type == "ordering"]
    out = ["// Exported from Front Desk Academy in Moodle GIFT format."]
    if skipped:
        out.append(f"// Ordering questions have no GIFT form and were left out: {', '.join(skipped)}")
    topic = None
    for question in questions:
        if question.type == "ordering":
            continue
        if question.topic != topic:
            topic = question.topic
            out += ["", f"$CATEGORY: {topic}"]
        text = f"{question.scenario}\n\n{question.text}" if question.scenario else question.text
        out += [
            "",
            f"::{question.key}::[markdown]{escape(text)} {{{_answers_gift(question)}####{escape(question.feedback)}}}",
        ]
    return "\n".join(out) + "\n"
