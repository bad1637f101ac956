"""Parse content/courses/*/ into plain data, checking everything a page will need."""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import markdown
import yaml
from django.core.exceptions import ValidationError

from .errors import ContentError
from .questions import QuestionData, QuizData, check_quiz_questions, parse_questions, parse_quiz_step

FENCE = re.compile(r"^```([a-z-]+)\s*$")
HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*#*\s*$")
FENCED_BLOCKS = {
    "callout", "key-terms", "script", "worked-example", "citation", "self-check", "local-policy", "image", "video",
}  # fmt: skip


@dataclass
class LessonData:
    source: str
    slug: str
    title: str
    summary: str
    estimated_minutes: int
    body: list[dict]
    content_hash: str


@dataclass
class CourseData:
    source: str
    slug: str
    title: str
    fields: dict
    steps: list[dict]
    lessons: dict[str, LessonData] = field(default_factory=dict)
    content_hash: str = ""
    questions: list[QuestionData] = field(default_factory=list)
    quizzes: dict[str, QuizData] = field(default_factory=dict)
    simulations: dict[str, "SimulationData"] = field(default_factory=dict)
    calls: dict[str, "CallStepData"] = field(default_factory=dict)


@dataclass
class SimulationData:
    source: str
    slug: str
    scenario: str
    fields: dict
    content_hash: str = ""


@dataclass
class CallStepData:
    source: str
    slug: str
    call_id: str
    fields: dict
    content_hash: str = ""


def md(text: str) -> str:
    """Markdown → the HTML subset Wagtail's rich text stores."""
    return markdown.markdown(str(text or "").strip(), extensions=["sane_lists"], output_format="html")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _yaml(text: str, source: str, first_line: int):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        raise ContentError(source, line, f"invalid YAML: {getattr(exc, 'problem', exc)}") from exc


def _require(data: dict, keys: list[str], source: str, line: int | None = None) -> None:
    if not isinstance(data, dict):
        raise ContentError(source, line, "expected a mapping of fields")
    missing = [key for key in keys if data.get(key) in (None, "")]
    if missing:
        raise ContentError(source, line, f"missing required field(s): {', '.join(missing)}")


def _money(value, source: str, line: int) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    except InvalidOperation as exc:
        raise ContentError(source, line, f"not an amount of money: {value!r}") from exc


def _block(kind: str, data, source: str, line: int) -> dict:
    """One fenced block's YAML → the StreamField value for that block type."""
    if kind == "key-terms":
        if not isinstance(data, list):
            raise ContentError(source, line, "key-terms must be a list of {term, definition}")
        for item in data:
            _require(item, ["term", "definition"], source, line)
        return {"type": "key_terms", "value": [{"term": t["term"], "definition": t["definition"]} for t in data]}
    if kind == "callout":
        _require(data, ["kind", "text"], source, line)
        return {
            "type": "callout",
            "value": {"kind": data["kind"], "title": data.get("title", ""), "text": md(data["text"])},
        }
    if kind == "script":
        _require(data, ["title", "lines"], source, line)
        lines = []
        for item in data["lines"]:
            _require(item, ["speaker", "text"], source, line)
            lines.append({"speaker": item["speaker"], "text": item["text"], "note": item.get("note", "")})
        return {
            "type": "script",
            "value": {"title": data["title"], "setting": data.get("setting", "phone"), "lines": lines},
        }
    if kind == "worked-example":
        _require(data, ["title", "entries"], source, line)
        entries = []
        for item in data["entries"]:
            _require(item, ["date", "description"], source, line)
            entries.append(
                {
                    "date": str(item["date"]),
                    "description": item["description"],
                    "charge": _money(item.get("charge"), source, line),
                    "payment": _money(item.get("payment"), source, line),
                    "adjustment": _money(item.get("adjustment"), source, line),
                }
            )
        return {
            "type": "worked_example",
            "value": {
                "title": data["title"],
                "description": md(data.get("description", "")),
                "entries": entries,
                "expected_balance": _money(data.get("expected_balance"), source, line),
                "explanation": md(data.get("explanation", "")),
            },
        }
    if kind == "citation":
        _require(data, ["reference", "summary"], source, line)
        return {"type": "citation", "value": {k: data.get(k, "") for k in ("reference", "title", "summary", "url")}}
    if kind == "self-check":
        _require(data, ["question", "options"], source, line)
        options = []
        for item in data["options"]:
            _require(item, ["text", "feedback"], source, line)
            options.append({"text": item["text"], "correct": bool(item.get("correct")), "feedback": item["feedback"]})
        return {"type": "self_check", "value": {"question": data["question"], "options": options}}
    if kind == "local-policy":
        _require(data, ["title", "text"], source, line)
        return {"type": "local_policy", "value": {"title": data["title"], "text": md(data["text"])}}
    if kind == "video":
        _require(data, ["url", "title", "transcript"], source, line)
        return {
            "type": "video",
            "value": {"url": data["url"], "title": data["title"], "transcript": md(data["transcript"])},
        }
    if kind == "image":
        _require(data, ["src", "alt"], source, line)
        return {"type": "image", "value": {"src": data["src"], "alt": data["alt"], "caption": data.get("caption", "")}}
    raise ContentError(source, line, f"unknown block type {kind!r}")


def parse_lesson_body(text: str, source: str, first_line: int) -> list[tuple[int, dict]]:
    """Markdown with fenced YAML blocks → [(line, block)], line numbers counted in the file."""
    blocks: list[tuple[int, dict]] = []
    prose: list[str] = []
    prose_start = first_line

    def flush_prose():
        chunk = "\n".join(prose).strip()
        if chunk:
            blocks.append((prose_start, {"type": "text", "value": md(chunk)}))
        prose.clear()

    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line, number = lines[index], first_line + index
        fence = FENCE.match(line)
        heading = HEADING.match(line)
        if fence:
            flush_prose()
            kind = fence.group(1)
            if kind not in FENCED_BLOCKS:
                raise ContentError(source, number, f"unknown block type {kind!r}; use one of {sorted(FENCED_BLOCKS)}")
            end = next((j for j in range(index + 1, len(lines)) if lines[j].strip() == "```"), None)
            if end is None:
                raise ContentError(source, number, f"the {kind} block is never closed with ```")
            data = _yaml("\n".join(lines[index + 1 : end]), source, number + 1)
            blocks.append((number, _block(kind, data, source, number)))
            index = end + 1
            prose_start = first_line + index
            continue
        if line.startswith("# "):
            raise ContentError(source, number, "do not use a level-1 heading: the lesson title is the page's h1")
        if heading:
            flush_prose()
            level = "h2" if len(heading.group(1)) == 2 else "h3"
            blocks.append((number, {"type": "heading", "value": {"text": heading.group(2), "level": level}}))
            index += 1
            prose_start = first_line + index
            continue
        if not prose:
            prose_start = number
        prose.append(line)
        index += 1
    flush_prose()
    return blocks


def _validate_stream(blocks: list[tuple[int, dict]], source: str) -> list[dict]:
    """Run the real StreamField validation, so a file cannot create a page the admin would reject."""
    from lessons.blocks import LessonStreamBlock

    stream_block = LessonStreamBlock()
    values = []
    for line, block in blocks:
        if block["type"] == "image":  # images are resolved to Wagtail images when written
            values.append(block)
            continue
        child = stream_block.child_blocks[block["type"]]
        try:
            child.clean(child.to_python(block["value"]))
        except ValidationError as exc:
            raise ContentError(source, line, f"invalid {block['type']} block: {_flatten(exc)}") from exc
        values.append(block)
    return values


def _flatten(exc: ValidationError) -> str:
    if hasattr(exc, "as_json_data"):
        data = exc.as_json_data()
        return str(data.get("messages") or data.get("blockErrors") or data)
    return "; ".join(exc.messages)


def parse_lesson(path: Path, root: Path) -> LessonData:
    source = str(path.relative_to(root))
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ContentError(source, 1, "a lesson starts with YAML front matter between --- lines")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise ContentError(source, 1, "the front matter is never closed with ---")
    front = _yaml(text[4:end], source, 2) or {}
    _require(front, ["title", "slug", "summary", "estimated_minutes"], source, 1)
    if front["slug"] != path.stem:
        raise ContentError(source, 1, f"slug {front['slug']!r} does not match the file name {path.stem!r}")
    body_first_line = text[: end + 5].count("\n") + 1
    blocks = _validate_stream(parse_lesson_body(text[end + 5 :], source, body_first_line), source)
    if not blocks:
        raise ContentError(source, body_first_line, "the lesson has no body")
    return LessonData(
        source=source,
        slug=front["slug"],
        title=front["title"],
        summary=front["summary"],
        estimated_minutes=int(front["estimated_minutes"]),
        body=blocks,
        content_hash=_hash(text),
    )


COURSE_FIELDS = ["summary", "audience", "estimated_hours", "sequential", "certificate_valid_months"]


def parse_course(directory: Path, root: Path) -> CourseData:
    path = directory / "course.yaml"
    source = str(path.relative_to(root))
    text = path.read_text(encoding="utf-8")
    data = _yaml(text, source, 1)
    _require(data, ["title", "slug", "summary", "steps"], source)
    if data["slug"] != directory.name:
        raise ContentError(source, None, f"slug {data['slug']!r} does not match the folder {directory.name!r}")
    fields = {key: data[key] for key in COURSE_FIELDS if key in data}
    fields["objectives"] = "\n".join(data.get("objectives") or [])
    course = CourseData(
        source=source, slug=data["slug"], title=data["title"], fields=fields, steps=[], content_hash=_hash(text)
    )
    questions_path = directory / "questions.yaml"
    if questions_path.exists():
        course.questions = parse_questions(questions_path, root, course_slug=data["slug"])
    for position, step in enumerate(data["steps"], start=1):
        if not isinstance(step, dict) or not ({"lesson", "quiz", "simulation", "call"} & step.keys()):
            raise ContentError(source, None, f"step {position} must name a lesson, a quiz, a simulation or a call")
        if "lesson" in step:
            lesson_path = directory / "lessons" / f"{step['lesson']}.md"
            if not lesson_path.exists():
                raise ContentError(source, None, f"step {position}: no file lessons/{step['lesson']}.md")
            course.lessons[step["lesson"]] = parse_lesson(lesson_path, root)
        elif "simulation" in step:
            simulation = parse_simulation_step(step, source=source, position=position)
            course.simulations[simulation.slug] = simulation
        elif "call" in step:
            call = parse_call_step(step, source=source, position=position)
            if call.slug in course.calls:
                raise ContentError(source, None, f"step {position}: a second call step with id {call.slug!r}")
            course.calls[call.slug] = call
        else:
            quiz = parse_quiz_step(step, course_source=source, position=position)
            if quiz.slug in course.quizzes:
                raise ContentError(source, None, f"step {position}: a second quiz with id {quiz.slug!r}")
            check_quiz_questions(quiz, course.questions, source)
            course.quizzes[quiz.slug] = quiz
        course.steps.append(step)
    return course


def parse_simulation_step(step: dict, *, source: str, position: int) -> SimulationData:
    """`- simulation: <slug>` with `title`, `scenario` (a content/scenarios/ key), `pass_mark`, `summary`."""
    _require(step, ["simulation", "title", "scenario"], source)
    pass_mark = step.get("pass_mark", 80)
    if not isinstance(pass_mark, int) or not 0 <= pass_mark <= 100:
        raise ContentError(source, None, f"step {position}: pass_mark must be a percentage")
    fields = {"title": step["title"], "summary": step.get("summary", ""), "pass_mark": pass_mark}
    return SimulationData(
        source=f"{source}#simulation:{step['simulation']}",
        slug=step["simulation"],
        scenario=step["scenario"],
        fields=fields,
        content_hash=_hash(repr(sorted(step.items()))),
    )


CALL_AXES = ("compliance", "accuracy", "service", "efficiency")


def parse_call_step(step: dict, *, source: str, position: int) -> CallStepData:
    """`- call: <slug>` with `title`, `call_id` (a content/calls/ id), `pass_mark`, `summary` and optional
    `axis_minimums` ({axis: percent})."""
    _require(step, ["call", "title", "call_id"], source)
    unknown = sorted(set(step) - {"call", "title", "call_id", "pass_mark", "summary", "axis_minimums"})
    if unknown:
        raise ContentError(source, None, f"step {position}: unknown field {unknown[0]!r} in a call step")
    pass_mark = step.get("pass_mark", 80)
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 0 <= pass_mark <= 100:
        raise ContentError(source, None, f"step {position}: pass_mark must be a percentage")
    minimums = step.get("axis_minimums") or {}
    if not isinstance(minimums, dict) or any(
        axis not in CALL_AXES or isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100
        for axis, value in minimums.items()
    ):
        raise ContentError(
            source, None, f"step {position}: axis_minimums maps an axis ({', '.join(CALL_AXES)}) to a percentage"
        )
    fields = {
        "title": step["title"],
        "summary": step.get("summary", ""),
        "call_id": step["call_id"],
        "pass_mark": pass_mark,
        "axis_minimums": dict(minimums),
    }
    return CallStepData(
        source=f"{source}#call:{step['call']}",
        slug=step["call"],
        call_id=step["call_id"],
        fields=fields,
        content_hash=_hash(repr(sorted((key, repr(value)) for key, value in step.items()))),
    )


def check_call_steps(courses: list[CourseData], root: Path) -> None:
    """Every call step names a call in root/calls/ (which must itself be valid)."""
    steps = [call for course in courses for call in course.calls.values()]
    if not steps:
        return
    from simulations.calls import DefinitionError, calls_load_all

    try:
        known = calls_load_all(root / "calls")
    except DefinitionError as exc:
        raise ContentError(exc.source, exc.line, exc.message) from exc
    for call in steps:
        if call.call_id not in known:
            raise ContentError(call.source, None, f"no call {call.call_id!r} in calls/")


def parse_tree(root: Path) -> list[CourseData]:
    """Every course under root/courses, fully parsed and validated, or a ContentError."""
    courses_dir = root / "courses"
    courses = [parse_course(d, root) for d in sorted(courses_dir.iterdir()) if (d / "course.yaml").exists()]
    first_seen: dict[str, str] = {}
    for course in courses:
        for question in course.questions:
            source = question.source.partition("#")[0]
            if question.key in first_seen:
                raise ContentError(
                    source, question.line, f"question id {question.key!r} is already used in {first_seen[question.key]}"
                )
            first_seen[question.key] = source
    check_call_steps(courses, root)
    return courses
