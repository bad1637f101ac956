"""Write parsed content into Wagtail pages: create, update, or leave an editor's change alone."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from wagtail.images.models import Image
from wagtail.models import Page, Site

from content.models import LoadRecord
from lessons.models import CourseIndexPage, CoursePage, LessonPage
from quizzes.models import Question, QuizPage
from quizzes.services import question_version_current

from .parse import CourseData, LessonData
from .questions import QuestionData, stable_hash


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_editor_changes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"created   {s}" for s in self.created]
        out += [f"updated   {s}" for s in self.updated]
        out += [f"left alone (edited in the admin since the last load): {s}" for s in self.kept_editor_changes]
        out.append(
            f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept_editor_changes)} left alone because an editor changed them."
        )
        return out


def course_index() -> CourseIndexPage:
    """The catalogue page, made the default site's root on first load."""
    index = CourseIndexPage.objects.first()
    if index is None:
        root = Page.get_first_root_node()
        index = root.add_child(
            instance=CourseIndexPage(title="Courses", slug="courses", intro="Courses for patient representatives.")
        )
        index.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=index, is_default_site=True, site_name="Front Desk Academy"
            )
        else:
            old_root = site.root_page
            site.root_page, site.site_name = index, "Front Desk Academy"
            site.save()
            # Wagtail's "Welcome" placeholder page has no purpose once the catalogue exists.
            if old_root.specific_class is Page and old_root.pk != index.pk and not old_root.get_children().exists():
                old_root.delete()
    return index


def _apply(page: Page, values: dict) -> None:
    for name, value in values.items():
        setattr(page, name, value)


def _upsert(
    *, report: LoadReport, source: str, content_hash: str, parent: Page, model, slug: str, values: dict, root: Path
):
    record = LoadRecord.objects.filter(source=source).select_related("page").first()
    page = record.page.specific if record and record.page else None
    if page is None:
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:  # made by an editor, not by a previous load: theirs to keep
            report.kept_editor_changes.append(source)
            return existing.specific
        page = model(slug=slug, **values)
        parent.add_child(instance=page)
        revision = page.save_revision()
        revision.publish()
        LoadRecord.objects.update_or_create(
            source=source, defaults={"page": page, "content_hash": content_hash, "revision_id": revision.pk}
        )
        report.created.append(source)
        return page
    if record.content_hash == content_hash:
        report.unchanged.append(source)
        return page
    if page.latest_revision_id != record.revision_id:
        report.kept_editor_changes.append(source)
        return page
    _apply(page, values)
    revision = page.save_revision()
    revision.publish()
    record.content_hash, record.revision_id = content_hash, revision.pk
    record.save()
    report.updated.append(source)
    return page


def _resolve_images(body: list[dict], root: Path) -> list[dict]:
    resolved = []
    for block in body:
        if block["type"] == "image":
            value = block["value"]
            image = Image.objects.filter(title=value["src"]).first()
            if image is None:
                from django.core.files.images import ImageFile

                with (root / value["src"]).open("rb") as handle:
                    image = Image(title=value["src"], file=ImageFile(handle, name=Path(value["src"]).name))
                    image.save()
            block = {"type": "image", "value": {"image": image.pk, "alt": value["alt"], "caption": value["caption"]}}
        resolved.append(block)
    return resolved


def _lesson_values(lesson: LessonData, root: Path) -> dict:
    return {
        "title": lesson.title,
        "summary": lesson.summary,
        "estimated_minutes": lesson.estimated_minutes,
        "body": _resolve_images(lesson.body, root),
    }


def _place_after(*, page: Page, previous: Page | None, course_page: Page) -> None:
    """Put a newly created step where course.yaml lists it (it was appended after the existing steps)."""
    page = Page.objects.get(pk=page.pk)
    if previous is None:
        first = course_page.get_children().first()
        if first is not None and first.pk != page.pk:
            page.move(first, pos="left")
        return
    after = previous.get_next_sibling()
    if after is None or after.pk != page.pk:
        page.move(Page.objects.get(pk=previous.pk), pos="right")


def _question_hash(question: Question) -> str:
    return stable_hash([question.content_hash(), question.course_slug])


def _upsert_question(*, report: LoadReport, data: QuestionData) -> Question:
    """Create or update one bank question; a changed question gets a new frozen version."""
    loaded = Question(key=data.key, **data.fields)
    loaded_hash = _question_hash(loaded)
    record = LoadRecord.objects.filter(source=data.source).first()
    question = Question.objects.select_related("current_version").filter(key=data.key).first()
    if question is None:
        loaded.save()
        question_version_current(question=loaded)
        LoadRecord.objects.update_or_create(source=data.source, defaults={"page": None, "content_hash": loaded_hash})
        report.created.append(data.source)
        return loaded
    if record is None:  # made by an editor in the admin, not by a previous load: theirs to keep
        report.kept_editor_changes.append(data.source)
        return question
    if record.content_hash == loaded_hash:
        report.unchanged.append(data.source)
        return question
    if _question_hash(question) != record.content_hash:
        report.kept_editor_changes.append(data.source)
        return question
    _apply(question, data.fields)
    question.full_clean()
    question.save()
    question_version_current(question=question)
    record.content_hash = loaded_hash
    record.save()
    report.updated.append(data.source)
    return question


@transaction.atomic
def write_tree(courses: list[CourseData], root: Path, office=None) -> LoadReport:
    """Write the courses; first the practice office (template and scenarios) that simulation steps
    need: `office` as parsed by `content.loader.office.parse_office_content`, else parsed from root."""
    from .office import parse_office_content, write_office_content

    report = LoadReport()
    write_office_content(office if office is not None else parse_office_content(root), report)
    index = course_index()
    for course in courses:
        course_page = _upsert(
            report=report,
            source=course.source,
            content_hash=course.content_hash,
            parent=index,
            model=CoursePage,
            slug=course.slug,
            values={"title": course.title, **course.fields},
            root=root,
        )
        for question in course.questions:
            _upsert_question(report=report, data=question)
        previous: Page | None = None
        for step in course.steps:
            if "lesson" in step:
                lesson = course.lessons[step["lesson"]]
                source, content_hash, model, slug = lesson.source, lesson.content_hash, LessonPage, lesson.slug
                values = _lesson_values(lesson, root)
            elif "simulation" in step:
                from simulations.models import Scenario, SimulationPage

                simulation = course.simulations[step["simulation"]]
                source, content_hash, model, slug = (
                    simulation.source, simulation.content_hash, SimulationPage, simulation.slug,
                )  # fmt: skip
                values = {**simulation.fields, "scenario": Scenario.objects.get(key=simulation.scenario)}
            elif "call" in step:
                from simulations.models import CallPage

                call = course.calls[step["call"]]
                source, content_hash, model, slug = call.source, call.content_hash, CallPage, call.slug
                values = dict(call.fields)
            else:
                quiz = course.quizzes[step["quiz"]]
                source, content_hash, model, slug, values = (
                    quiz.source,
                    quiz.content_hash,
                    QuizPage,
                    quiz.slug,
                    quiz.fields,
                )
            created_before = len(report.created)
            page = _upsert(
                report=report,
                source=source,
                content_hash=content_hash,
                parent=course_page,
                model=model,
                slug=slug,
                values=values,
                root=root,
            )
            if len(report.created) > created_before:  # new steps are appended; move them into course order
                _place_after(page=page, previous=previous, course_page=course_page)
            previous = page
    return report
