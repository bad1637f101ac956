"""GIFT import and export: each construct, each refused feature by line, all-or-nothing imports."""

import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content.loader.questions import parse_questions
from coursesite.audit.models import AuditEvent
from quizzes.gift import escape, gift_export, gift_parse, unescape
from quizzes.grading import answer_grade
from quizzes.models import Question
from quizzes.services import question_bank_import
from tests.factories import QuestionFactory

CONTENT = Path(__file__).resolve().parents[2] / "content"


def only(text: str) -> dict:
    questions, problems = gift_parse(text)
    assert not problems, problems
    assert len(questions) == 1
    return questions[0]


def problem_lines(text: str) -> list[tuple[int, str]]:
    questions, problems = gift_parse(text)
    return [(p.line, p.message) for p in problems]


def test_multiple_choice_reads_right_wrong_and_per_answer_feedback():
    q = only("::Caller ID::Who calls? {\n=The patient#Yes\n~A stranger#No\n####Ask for two identifiers.}")
    assert q["type"] == "single" and q["id"] == "caller-id" and q["text"] == "Who calls?"
    assert [(o["text"], o["correct"], o["feedback"]) for o in q["data"]["options"]] == [
        ("The patient", True, "Yes"),
        ("A stranger", False, "No"),
    ]
    assert q["feedback"] == "Ask for two identifiers."


def test_multiple_response_reads_equal_positive_weights_as_right_choices():
    q = only("Pick two {~%50%Name ~%50%Date of birth ~%-100%Colour ~Shoe size####Two identifiers.}")
    assert q["type"] == "multiple"
    assert [o["correct"] for o in q["data"]["options"]] == [True, True, False, False]


@pytest.mark.parametrize(("answer", "expected"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)])
def test_true_false_reads_every_spelling(answer, expected):
    q = only(f"Caller ID proves identity. {{{answer}####Why.}}")
    assert q["type"] == "truefalse" and q["data"] == {"answer": expected}


def test_short_answer_reads_every_accepted_answer():
    q = only("Code for contractual obligation? {=CO-45 =CO 45####It is CO-45.}")
    assert q["type"] == "shorttext" and q["data"] == {"accepted": ["CO-45", "CO 45"]}


def test_numeric_reads_tolerance_and_ranges():
    assert only("Copay? {#3.5:0.1####x}")["data"] == {"answer": "3.5", "tolerance": "0.1", "unit": ""}
    assert only("Copay? {#1..5####x}")["data"] == {"answer": "3", "tolerance": "2", "unit": ""}
    assert only("Copay? {#=35####x}")["data"]["answer"] == "35"


def test_matching_reads_pairs():
    q = only("Match {\n=PR-1 -> Deductible\n=OA-23 -> Contract\n####x}")
    assert q["type"] == "matching"
    assert q["data"]["pairs"] == [{"prompt": "PR-1", "answer": "Deductible"}, {"prompt": "OA-23", "answer": "Contract"}]


def test_categories_become_topics_and_comments_are_ignored():
    text = "// a comment {not a question}\n$CATEGORY: $course$/top/Phone call\n\nQ one {T####x}\n\n$CATEGORY: Billing\n\nQ two {F####x}"
    questions, problems = gift_parse(text)
    assert not problems
    assert [q["topic"] for q in questions] == ["phone-call", "billing"]


def test_escaped_specials_are_literal_text():
    q = only(r"::Esc:: Say \~ \= \# \{ \} \: and a\nbreak {=a\=b####fb \#1}")
    assert q["text"] == "Say ~ = # { } : and a\nbreak"
    assert q["data"] == {"accepted": ["a=b"]} and q["feedback"] == "fb #1"


def test_missing_word_format_marks_the_blank():
    q = only("The patient's {=name ~shoe size####x} is asked first.")
    assert q["text"] == "The patient's _____ is asked first."


def test_markdown_and_plain_formats_are_accepted():
    assert only("::a::[markdown]**Bold** {T####x}")["text"] == "**Bold**"
    assert only("::a::[plain]Plain {T####x}")["text"] == "Plain"


def test_a_question_without_a_title_gets_a_stable_key():
    assert only("Q {T####x}")["id"] == only("Q {T####x}")["id"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("// c\n\n::e:: Describe the call. {####x}", 3, "essay"),
        ("\n::e:: Describe the call. {}", 2, "essay"),
        ("::d:: Just a description.", 1, "description"),
        ("::h::[html]<b>Q</b> {T####x}", 1, "[html]"),
        ("::h::[moodle]Q {T####x}", 1, "[moodle]"),
        ("::n:: Copay?\n{#=35:0 =%50%30:5####x}", 2, "weighted numeric"),
        ("::n:: Copay? {#35#close####x}", 1, "feedback on a numeric"),
        ("::t:: True? {T#wrong#right####x}", 1, "true/false"),
        ("::s:: Code? {=%50%CO-45####x}", 1, "partial credit on a short"),
        ("::s:: Code? {=CO-45#yes####x}", 1, "feedback on a short"),
        ("::m:: Pick {\n=a\n~%50%b\n####x}", 3, "partial credit on a single"),
        ("::m:: Pick {~%70%a ~%30%b ~c####x}", 1, "share 100% equally"),
        ("::m:: Pick {~a ~b####x}", 1, "no right answer"),
        ("::m:: Pick {=a =b ~c####x}", 1, "exactly one correct"),
        ("::m:: Match {=a -> b =c####x}", 1, "matching"),
        ("::f:: No feedback {T}", 1, "general feedback"),
        ("::x:: Open {T####x", 1, "no closing }"),
        ("::x:: Q {T####x}\n::y:: Q {F####x}", 2, "blank line between"),
        ("::n:: Copay? {#abc####x}", 1, "not a number"),
        ("::n:: Copay? {#5..1####x}", 1, "backwards"),
        ("::a:: One {T####x}\n\n::A:: Two {F####x}", 3, "already used on line 1"),
    ],
)
def test_unsupported_or_broken_items_are_reported_with_their_line(text, line, message):
    problems = problem_lines(text)
    assert len(problems) == 1, problems
    assert problems[0][0] == line and message in problems[0][1], problems


def test_every_problem_of_a_file_is_reported_not_just_the_first():
    text = "::ok:: Fine {T####x}\n\n::e:: Essay {}\n\n::d:: Description\n\n::h::[html]Q {T####x}"
    assert [line for line, _ in problem_lines(text)] == [3, 5, 7]


def test_escape_and_unescape_round_trip_every_special():
    text = "a ~ b = c # d { e } f : g \\ h\n\nnew paragraph"
    assert "\n" not in escape(text)
    assert unescape(escape(text)) == text


@pytest.mark.django_db
def test_import_creates_questions_with_versions_and_an_audit_row(editor):
    text = "$CATEGORY: phone-call\n\n::call-01:: Who? {=Patient ~Other####Because.}\n\n::call-02:: OK? {T####Yes.}"
    result = question_bank_import(course_slug="cs", text=text, actor=editor)
    assert result.imported and result.created == ["call-01", "call-02"]
    question = Question.objects.get(key="call-01")
    assert (question.course_slug, question.topic, question.type) == ("cs", "phone-call", "single")
    assert question.current_version is not None
    assert AuditEvent.objects.filter(action="question_bank_imported", actor=editor).count() == 1
    again = question_bank_import(course_slug="cs", text=text, actor=editor)
    assert again.unchanged == ["call-01", "call-02"] and not again.created


@pytest.mark.django_db
def test_import_with_any_problem_saves_nothing(editor):
    text = "::good:: Fine {T####x}\n\n::bad:: Essay {}"
    result = question_bank_import(course_slug="cs", text=text, actor=editor)
    assert not result.imported and [p.line for p in result.problems] == [3]
    assert not Question.objects.exists() and not AuditEvent.objects.filter(action="question_bank_imported").exists()


@pytest.mark.django_db
def test_import_refuses_a_key_of_another_course(editor):
    QuestionFactory(key="shared-key", course_slug="other-course")
    result = question_bank_import(course_slug="cs", text="\n::shared-key:: Q {T####x}", actor=editor)
    assert [(p.line, "other-course" in p.message) for p in result.problems] == [(2, True)]


@pytest.mark.django_db
def test_import_updates_a_changed_question_into_a_new_version(editor):
    question_bank_import(course_slug="cs", text="::q:: Old? {T####x}", actor=editor)
    result = question_bank_import(course_slug="cs", text="::q:: New? {F####x}", actor=editor)
    assert result.updated == ["q"]
    question = Question.objects.get(key="q")
    assert question.text == "New?" and question.versions.count() == 2


@pytest.mark.django_db
def test_dry_run_reports_without_saving(editor):
    result = question_bank_import(course_slug="cs", text="::q:: Q? {T####x}", actor=editor, dry_run=True)
    assert result.created == ["q"] and not Question.objects.exists()


def candidate_answers(content: dict) -> list:
    """Enough answers to tell two gradings of one question apart."""
    data, kind = content["data"], content["type"]
    if kind == "single":
        return [o["id"] for o in data["options"]]
    if kind == "multiple":
        ids = [o["id"] for o in data["options"]]
        return [list(c) for n in range(len(ids) + 1) for c in itertools.combinations(ids, n)]
    if kind == "truefalse":
        return ["true", "false"]
    if kind == "numeric":
        answer, tolerance = Decimal(data["answer"]), Decimal(data.get("tolerance") or 0)
        steps = [Decimal(0), tolerance, -tolerance, tolerance + Decimal("0.01"), -tolerance - Decimal("0.01")]
        return [str(answer + step) for step in steps]
    if kind == "shorttext":
        return [*data["accepted"], *(a.upper() for a in data["accepted"]), "something else"]
    slots = [f"m{n}" for n in range(len(data["pairs"]))]
    return [list(p) for p in itertools.islice(itertools.permutations(slots), 24)]


@pytest.mark.django_db
@pytest.mark.parametrize("course", ["customer-service", "confidentiality", "bookkeeping"])
def test_shipped_bank_round_trips_through_gift_with_the_same_grading(editor, course):
    path = CONTENT / "courses" / course / "questions.yaml"
    originals = {}
    for data in parse_questions(path, CONTENT, course):
        originals[data.key] = Question(key=data.key, **data.fields).frozen_content()
        Question.objects.create(key=data.key, **data.fields)
    exported = gift_export(Question.objects.filter(course_slug=course))
    Question.objects.all().delete()  # a clean bank

    result = question_bank_import(course_slug=course, text=exported, actor=editor)

    assert result.imported, result.problems[:5]
    supported = {key for key, content in originals.items() if content["type"] != "ordering"}
    assert set(result.created) == supported and len(supported) > 30
    for question in Question.objects.filter(course_slug=course):
        before, after = originals[question.key], question.frozen_content()
        assert (after["type"], after["topic"]) == (before["type"], before["topic"])
        for answer in candidate_answers(before):
            assert answer_grade(after, answer) == answer_grade(before, answer), (question.key, answer)
    assert all(key in exported for key in originals.keys() - supported)  # skipped ones are named


@pytest.mark.django_db
def test_gift_commands_export_and_import_a_course(tmp_path, capsys):
    QuestionFactory(key="cmd-01", course_slug="cs", type="truefalse")
    call_command("gift_export", "--course", "cs")
    exported = capsys.readouterr().out
    assert "::cmd-01::" in exported
    Question.objects.all().delete()
    file = tmp_path / "bank.gift"
    file.write_text(exported)
    call_command("gift_import", str(file), "--course", "cs", "--dry-run")
    assert not Question.objects.exists()
    call_command("gift_import", str(file), "--course", "cs")
    assert Question.objects.filter(key="cmd-01", course_slug="cs").exists()
    file.write_text("::e:: Essay {}")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("gift_import", str(file), "--course", "cs")


@pytest.mark.django_db
def test_editor_imports_a_file_and_downloads_an_export(client, editor, quiz_course):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(editor)
    upload = SimpleUploadedFile("bank.gift", b"::web-01:: Web? {T####x}\n\n::web-02:: Essay {}")
    response = client.post(reverse("question_bank_gift"), {"course": quiz_course.slug, "file": upload})
    assert response.status_code == 400 and b"Line 3" in response.content and not Question.objects.exists()
    upload = SimpleUploadedFile("bank.gift", b"::web-01:: Web? {T####x}")
    response = client.post(reverse("question_bank_gift"), {"course": quiz_course.slug, "file": upload})
    assert response.status_code == 200 and Question.objects.filter(key="web-01").exists()
    response = client.get(reverse("question_bank_gift_export"), {"course": quiz_course.slug})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"::web-01::" in response.content
